"""Where a compared schema sits, and the ID a kind of change has there.

oasdiff names one change differently by place: a `maxLength` decrease is `request-body-...` at the root
of a request body, `request-property-...` below it, `request-parameter-...` in a parameter's schema. A
`ByPlace` lists those IDs (literally, never composed) and `pick` chooses; a place without an ID means
oasdiff reports nothing there (a response `maxLength` decrease narrows what clients get: no finding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from relmgr.policy.levels import Stage


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """What deprecation and stability checks of a place need: the operation's deprecation days (oasdiff's
    per-stability-level policy), today's date, and the stability threshold."""

    deprecation_days: int = 0
    today: date | None = None
    min_stage: Stage = Stage.BETA
    judged: bool = True  # False: the operation's level is unreadable, so its deprecations are not judged


class Kind(StrEnum):
    BODY = "body"  # a request or response body (media type schema)
    PARAMETER = "parameter"
    HEADER = "header"  # a response header


@dataclass(frozen=True, slots=True)
class Place:
    """A compared schema's place: direction, what holds it, and the words that locate it."""

    request: bool
    kind: Kind
    strongly_typed: bool  # JSON: 1 and "1" differ, so number -> string is no widening
    media_type: str = ""
    status: str = ""
    location: str = ""  # a parameter's `in`
    name: str = ""  # a parameter's or header's name
    lifecycle: Lifecycle = field(default_factory=Lifecycle)

    def details(self) -> dict[str, str]:
        """The fields every finding here carries (and templates may use)."""
        found = {"media_type": self.media_type, "status": self.status}
        if self.kind is Kind.PARAMETER:
            found.update(location=self.location, parameter=self.name)
        elif self.kind is Kind.HEADER:
            found["header"] = self.name
        return found

    def context(self) -> str:
        """What a body finding's message ends with: ` in application/json`."""
        return f" in {self.media_type}" if self.kind is Kind.BODY and self.media_type else ""


@dataclass(frozen=True, slots=True)
class ByPlace:
    """The ID of one kind of change at each place; None where oasdiff has no such ID."""

    request_body: str | None = None
    request_property: str | None = None
    response_body: str | None = None
    response_property: str | None = None
    parameter: str | None = None
    parameter_property: str | None = None
    header: str | None = None

    def pick(self, place: Place, nested: bool) -> str | None:
        if place.kind is Kind.PARAMETER:
            return self.parameter_property if nested else self.parameter
        if place.kind is Kind.HEADER:
            return None if nested else self.header
        if place.request:
            return self.request_property if nested else self.request_body
        return self.response_property if nested else self.response_body


@dataclass(frozen=True, slots=True)
class Finding:
    """A classified delta: the ID and the fields its message names."""

    rule_id: str
    details: dict[str, str]


def quote(value: Any) -> str:
    """A value as messages show it: `'text'`, `3`, `true`, `['a', 'b']`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, int | float) or value is None:
        return "null" if value is None else str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(quote(item) for item in value) + "]"
    return repr(value)


def joined(values: Any) -> str:
    """`'a', 'b'` for a list of names."""
    return ", ".join(quote(value) for value in values)
