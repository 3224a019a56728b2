"""Plain records of the spec engine: severities, findings, operations and the deprecation policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from relmgr.policy.levels import Stage


class Severity(StrEnum):
    """oasdiff's levels: ERR breaks clients, WARN may break them, INFO does not."""

    ERR = "ERR"
    WARN = "WARN"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        """INFO < WARN < ERR, for sorting and thresholds."""
        return _RANKS[self]  # (a StrEnum member is its value: no `.value` lookup on this hot path)

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANKS = {"INFO": 0, "WARN": 1, "ERR": 2}


@dataclass(frozen=True, slots=True)
class SpecChange:
    """One finding, named by its oasdiff check ID."""

    id: str
    severity: Severity
    method: str  # upper case; "" for a change not tied to one operation
    path: str  # the path as written in the spec that has the operation (base side when both do)
    level: str  # the operation's level (base side; revision side for added operations)
    message: str  # one human sentence
    # `level` came from a marker in the spec, not the v1 default of an unmarked operation (provenance only)
    explicit: bool = field(default=False, compare=False)
    # what the message is made of, as (name, value) pairs: parameter, property, old/new value, media type ...
    details: tuple[tuple[str, str], ...] = ()

    @property
    def detail_map(self) -> dict[str, str]:
        """`details` as a dict (the `--json` document's `details` object)."""
        return dict(self.details)

    @property
    def operation(self) -> str:
        """`POST /v1/chat/completions`, or just the path for a path-wide change."""
        return f"{self.method} {self.path}" if self.method else self.path

    def sort_key(self) -> tuple[int, str, str, str, str]:
        """oasdiff's order: most severe first, then path, method, ID (and text, to be total)."""
        return (-self.severity.rank, self.path, self.method, self.id, self.message)


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a spec, with its level and lifecycle markers."""

    method: str
    path: str
    level: str
    deprecated: bool
    sunset: str | None  # the x-sunset text, as written
    # `level` came from a marker in the spec, not the v1 default of an unmarked operation (provenance only)
    explicit: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class DeprecationPolicy:
    """Minimum days between deprecation and sunset, per stage (oasdiff's --deprecation-days-beta/-stable).

    0 (the default) means no policy: deprecating without a sunset is only INFO `endpoint-deprecated`.
    Alpha operations never need a sunset.
    """

    beta_days: int = 0
    stable_days: int = 0

    def days_for(self, stage: Stage) -> int:
        if stage is Stage.STABLE:
            return self.stable_days
        if stage is Stage.BETA:
            return self.beta_days
        return 0


@dataclass(frozen=True, slots=True)
class DiffOptions:
    """How `diff_specs` was asked to judge; passed down to the parts of the comparison."""

    levels_from: str
    today: date | None
    min_stage: Stage
    deprecation: DeprecationPolicy


DEPRECATED_REMOVALS = frozenset({"api-removed-with-deprecation", "api-path-removed-with-deprecation",
                                 "api-removed-before-sunset", "api-path-removed-before-sunset"})


@dataclass(frozen=True, slots=True)
class LevelMove(SpecChange):
    """`operation-level-changed`: `path`/`level` are the old route's, `to_path`/`to_level` the new one's;
    `removal` is the check the old route's removal alone would be (`removal_severity`, `removal_message`,
    `removal_details`: kept with the move, so that judging it needs no rule registry)."""

    to_path: str = ""
    to_level: str = ""
    removal: str = ""
    removal_message: str = ""
    removal_details: tuple[tuple[str, str], ...] = ()
    removal_severity: Severity = Severity.ERR

    def as_removal(self) -> SpecChange:
        """The old route's removal, as the engine would report it."""
        return SpecChange(self.removal, self.removal_severity, self.method, self.path, self.level,
                          self.removal_message, self.explicit, self.removal_details)
