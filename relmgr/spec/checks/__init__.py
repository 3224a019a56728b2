"""The check families and the registry they make up.

Each `<family>.py` module registers the rules it emits (`TABLES`) and, for schema changes, the delta
aspects it classifies (`@handler`). `RULES` is every registered rule by ID; `classify` turns one
schema delta at a place into its findings (none for a delta no family knows, or a place without an ID).
"""

from __future__ import annotations

from relmgr.spec.checks import (
    bodies,
    components,
    composition,
    endpoints,
    headers,
    keywords,
    parameters,
    properties,
    security,
    types,
    values,
)
from relmgr.spec.checks import bounds as _bounds
from relmgr.spec.checks.base import HANDLERS
from relmgr.spec.nodes import Delta
from relmgr.spec.place import Finding, Place
from relmgr.spec.registry import Rule, build

FAMILIES = (endpoints, parameters, bodies, headers, security, components, types, values, _bounds, properties,
            composition, keywords)
RULES: dict[str, Rule] = build(table for family in FAMILIES for table in family.TABLES)


def classify(delta: Delta, place: Place) -> list[Finding]:
    """The findings a schema delta amounts to at `place` (oasdiff reports nothing for the rest)."""
    handler = HANDLERS.get(delta.aspect)
    return handler(delta, place) if handler is not None else []


__all__ = ["FAMILIES", "RULES", "classify"]
