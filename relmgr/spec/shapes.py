"""Reading the shape of a schema node: its properties, members, and the patterns oasdiff recognises.

`list_of_types` is oasdiff's "list of types": a single `type`, or a `oneOf`/`anyOf` whose members are
each one simple type (`oneOf: [{type: string}, {type: integer}]`). `wrapped` is its "wrapped in oneOf":
an object whose properties moved into the alternatives of a `oneOf` that replaced it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from relmgr.spec.nodes import raw_types

_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class TypeList:
    types: tuple[str, ...]
    listed: bool  # from a oneOf/anyOf (else a single `type`)


def as_schema(node: Any) -> Mapping[str, Any]:
    if type(node) is dict or isinstance(node, Mapping):  # (the dict test first: it is the hot path)
        return node
    return _EMPTY  # `true`, absent or junk: any value


def present(value: Any) -> bool:
    """A sub-schema keyword that constrains something: a schema or `false` (absent and `true` allow all)."""
    return value is not None and value is not True


def properties(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    value = schema.get("properties")
    if value is None or not (type(value) is dict or isinstance(value, Mapping)):
        return _EMPTY
    if all(isinstance(k, str) for k in value):
        return value
    return {str(k): v for k, v in value.items()}


def required(schema: Mapping[str, Any]) -> frozenset[str]:
    value = schema.get("required")
    return frozenset(str(n) for n in value) if isinstance(value, list) else frozenset()


def members(schema: Mapping[str, Any], keyword: str) -> list[Any]:
    value = schema.get(keyword)
    return value if isinstance(value, list) else []


def list_of_types(schema: Mapping[str, Any], resolve: Callable[[Any], Mapping[str, Any]]) -> TypeList | None:
    """The types a schema allows as a single type or a oneOf/anyOf of simple types; None otherwise."""
    if "not" in schema or members(schema, "allOf") or properties(schema):
        return None
    single = raw_types(schema)
    if single:
        return TypeList((single[0],), listed=False) if len(single) == 1 else None
    for keyword in ("oneOf", "anyOf"):
        found = members(schema, keyword)
        if found:
            names = [_simple_type(resolve(member)) for member in found]
            if any(name is None for name in names):
                return None
            return TypeList(tuple(str(name) for name in names), listed=True)
    return None


def _simple_type(schema: Mapping[str, Any]) -> str | None:
    found = raw_types(schema)
    if len(found) != 1 or properties(schema) or any(members(schema, k) for k in ("oneOf", "anyOf", "allOf")):
        return None
    return found[0]


def wrapped(
    base: Mapping[str, Any], revision: Mapping[str, Any], alternatives: list[Mapping[str, Any]]
) -> frozenset[str]:
    """The base properties that moved into a oneOf's alternatives, when the base object became that oneOf."""
    if members(base, "oneOf") or not properties(base):
        return frozenset()
    if not alternatives or properties(revision) or raw_types(revision):
        return frozenset()
    return frozenset(name for name in properties(base) if any(name in properties(alt) for alt in alternatives))
