"""What the schema families share: the aspect -> handler table and the finding builder.

A family module registers one handler per delta aspect it understands (`@handler("const")`); a
handler turns a delta at a place into findings, choosing IDs with a `ByPlace`. An aspect no family
claims is never reported, and two families claiming one aspect is a bug caught at import.
"""

from __future__ import annotations

from collections.abc import Callable

from relmgr.spec.nodes import Delta
from relmgr.spec.place import ByPlace, Finding, Place
from relmgr.spec.registry import RuleTable

Handler = Callable[[Delta, Place], list[Finding]]
HANDLERS: dict[str, Handler] = {}


def handler(*aspects: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        for aspect in aspects:
            if aspect in HANDLERS:
                raise ValueError(f"two handlers for the delta aspect {aspect!r}")
            HANDLERS[aspect] = function
        return function

    return register


def at(ids: ByPlace, delta: Delta, place: Place, **extra: str) -> list[Finding]:
    """The finding of `delta` at `place`, or none where `ids` has no ID for the place."""
    rule_id = ids.pick(place, bool(delta.path))
    if rule_id is None:
        return []
    return [Finding(rule_id, {**place.details(), "property": "/".join(delta.path), **extra})]


def rule_tables(*tables: RuleTable) -> tuple[RuleTable, ...]:
    return tables
