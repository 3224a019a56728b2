"""Compare two JSON Schemas (OpenAPI flavour) into neutral deltas; `rules.py` decides what they mean.

A delta says *what* changed at a location (`("items", "id")`, relative to the compared root), not
whether it breaks anyone: that depends on the direction (request or response) and place, which the
caller knows. Keeping the deltas context-free lets one comparison of a `$ref`'d component serve
every operation that uses it.

- `allOf` members are flattened into one schema (properties and `required` merged), so a property
  moving between an `allOf` member and the parent is no change.
- `anyOf`/`oneOf` members are matched by `$ref` name, then `title`, then type.
- Reference cycles: a pair of schemas already being compared higher up the stack is not compared
  again (a recursive schema is compared once), so recursion always ends.
- One change reachable along several paths (a component used twice in a body, or a web of
  references) is kept once, at its shortest path, counting the other places (`also`). Without
  this a diamond-shaped reference graph would multiply the findings (and the work) exponentially.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from relmgr.spec.resolve import Resolver, ref_name

_MAX_DEPTH = 64  # nested schema levels compared; deeper structure is not inspected
_NO_TAINT = 1 << 30
_BOUNDS = (
    ("maxLength", "max-length"),
    ("minLength", "min-length"),
    ("maximum", "maximum"),
    ("minimum", "minimum"),
    ("exclusiveMaximum", "exclusive-maximum"),
    ("exclusiveMinimum", "exclusive-minimum"),
    ("maxItems", "max-items"),
    ("minItems", "min-items"),
)
_SCALAR_KEYS = ("type", "format", "nullable", "enum", "pattern", "default", *(key for key, _ in _BOUNDS))
_EMPTY: Mapping[str, Any] = {}
_ORIGINS = itertools.count()


@dataclass(frozen=True, slots=True)
class Delta:
    """One change at `path` (property names, `items`, `additionalProperties`, `oneOf[Cat]` ...)."""

    path: tuple[str, ...]
    aspect: str  # type, nullable, became-enum, enum-value-removed, max-length, property-added ...
    before: Any = None
    after: Any = None
    read_only: bool = False  # flags of the schema at `path`
    write_only: bool = False
    required: bool = False  # property-added/-removed: required in its parent object
    has_default: bool = False
    # the same change seen along another path keeps its origin; `also` counts the other paths
    origin: int = field(default_factory=lambda: next(_ORIGINS), compare=False, repr=False)
    also: int = field(default=0, compare=False)

    def under(self, segment: str) -> Delta:
        """The same change seen from one level up (a plain constructor call: this is the hot path)."""
        return Delta(
            (segment, *self.path),
            self.aspect,
            self.before,
            self.after,
            self.read_only,
            self.write_only,
            self.required,
            self.has_default,
            self.origin,
            self.also,
        )


class SchemaDiffer:
    """Compares schemas of a base and a revision document; results are cached per `$ref` pair."""

    def __init__(self, base: Resolver, revision: Resolver) -> None:
        self._resolvers = (base, revision)
        self._flat: tuple[dict[int, Mapping[str, Any]], dict[int, Mapping[str, Any]]] = ({}, {})
        self._cache: dict[tuple[Hashable, Hashable], tuple[Delta, ...]] = {}
        self._stack: dict[tuple[Hashable, Hashable], int] = {}
        self._taint = _NO_TAINT  # lowest stack depth a cycle was cut at, while it is still open

    def diff(self, base: Any, revision: Any) -> tuple[Delta, ...]:
        """Deltas from `base` to `revision` (either may be a `$ref`, a schema or absent)."""
        return self._diff(base, revision)

    def schema(self, node: Any, side: int) -> Mapping[str, Any]:
        """The dereferenced, allOf-flattened schema of `node` on side 0 (base) or 1 (revision)."""
        return self._flatten(_as_schema(self._resolvers[side].value(node)), side)

    def _diff(self, base_raw: Any, revision_raw: Any) -> tuple[Delta, ...]:
        base, base_ref = self._resolvers[0].deref(base_raw)
        revision, revision_ref = self._resolvers[1].deref(revision_raw)
        if base is revision:
            return ()
        key = (base_ref or id(base), revision_ref or id(revision))
        if key in self._stack:
            self._taint = min(self._taint, self._stack[key])
            return ()
        cacheable = base_ref is not None or revision_ref is not None
        if cacheable and key in self._cache:
            return self._cache[key]
        depth = len(self._stack)
        if depth >= _MAX_DEPTH:
            self._taint = 0
            return ()
        self._stack[key] = depth
        try:
            flat_base = self._flatten(_as_schema(base), 0)
            flat_revision = self._flatten(_as_schema(revision), 1)
            result = _shortest_paths(self._compare(flat_base, flat_revision))
        finally:
            del self._stack[key]
        if self._taint >= depth:  # no cut above this frame: the result is complete, keep it
            self._taint = _NO_TAINT
            if cacheable:
                self._cache[key] = result
        return result

    def _compare(self, base: Mapping[str, Any], revision: Mapping[str, Any]) -> list[Delta]:
        out = _scalar_deltas(base, revision)
        self._compare_properties(base, revision, out)
        for key in ("items", "additionalProperties"):
            if isinstance(base.get(key), Mapping) and isinstance(revision.get(key), Mapping):
                out.extend(d.under(key) for d in self._diff(base[key], revision[key]))
        for keyword, aspect in (("anyOf", "any-of"), ("oneOf", "one-of")):
            self._compare_members(base, revision, keyword, aspect, out)
        return out

    def _compare_properties(
        self, base: Mapping[str, Any], revision: Mapping[str, Any], out: list[Delta]
    ) -> None:
        base_props, revision_props = _properties(base), _properties(revision)
        if not base_props and not revision_props:
            return
        base_required, revision_required = _required(base), _required(revision)
        for name, node in base_props.items():
            if name not in revision_props:
                out.append(self._existence("property-removed", name, node, 0, name in base_required))
        for name, node in revision_props.items():
            if name not in base_props:
                out.append(self._existence("property-added", name, node, 1, name in revision_required))
        for name, node in base_props.items():
            if name not in revision_props:
                continue
            now_required, was_required = name in revision_required, name in base_required
            if now_required != was_required:
                aspect = "became-required" if now_required else "became-optional"
                out.append(self._existence(aspect, name, revision_props[name], 1, now_required))
            out.extend(d.under(name) for d in self._diff(node, revision_props[name]))

    def _existence(self, aspect: str, name: str, node: Any, side: int, required: bool) -> Delta:
        schema = self.schema(node, side)
        return Delta((name,), aspect, required=required, has_default="default" in schema, **_flags(schema))

    def _compare_members(
        self,
        base: Mapping[str, Any],
        revision: Mapping[str, Any],
        keyword: str,
        aspect: str,
        out: list[Delta],
    ) -> None:
        base_members, revision_members = _list(base.get(keyword)), _list(revision.get(keyword))
        if not base_members and not revision_members:
            return
        base_by_label = dict(zip(self._labels(base_members, 0), base_members, strict=True))
        revision_by_label = dict(zip(self._labels(revision_members, 1), revision_members, strict=True))
        for label in base_by_label:
            if label not in revision_by_label:
                out.append(Delta((), f"{aspect}-removed", before=label))
        for label in revision_by_label:
            if label not in base_by_label:
                out.append(Delta((), f"{aspect}-added", after=label))
        for label, node in base_by_label.items():
            if label in revision_by_label:
                segment = f"{keyword}[{label}]"
                out.extend(d.under(segment) for d in self._diff(node, revision_by_label[label]))

    def _labels(self, members: list[Any], side: int) -> list[str]:
        labels: list[str] = []
        for index, member in enumerate(members):
            if isinstance(member, Mapping) and isinstance(member.get("$ref"), str):
                label = ref_name(member["$ref"])
            else:
                schema = _as_schema(self._resolvers[side].value(member))
                title = schema.get("title")
                label = str(title) if title else "|".join(_raw_types(schema)) or f"#{index}"
            labels.append(label)
        return _disambiguate(labels)

    def _flatten(self, node: Mapping[str, Any], side: int) -> Mapping[str, Any]:
        members = node.get("allOf")
        if not isinstance(members, list) or not members:
            return node
        cache = self._flat[side]
        hit = cache.get(id(node))
        if hit is not None:
            return hit
        cache[id(node)] = node  # placeholder: an allOf that includes itself merges its own members once
        merged = self._merge(node, members, side)
        cache[id(node)] = merged
        return merged

    def _merge(self, node: Mapping[str, Any], members: list[Any], side: int) -> dict[str, Any]:
        merged = {key: value for key, value in node.items() if key != "allOf"}
        properties = dict(_properties(merged))
        required = [name for name in _list(merged.get("required")) if isinstance(name, str)]
        for raw in members:
            member = self._flatten(_as_schema(self._resolvers[side].value(raw)), side)
            for key, value in member.items():
                if key == "properties":
                    _merge_properties(properties, _properties(member))
                elif key == "required":
                    required += [n for n in _list(value) if isinstance(n, str) and n not in required]
                elif key not in merged and key != "allOf":
                    merged[key] = value
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged


def _shortest_paths(deltas: list[Delta]) -> tuple[Delta, ...]:
    """One delta per origin, at its shortest path, with `also` counting the paths dropped."""
    best: dict[int, Delta] = {}
    for delta in deltas:
        kept = best.get(delta.origin)
        if kept is None:
            best[delta.origin] = delta
            continue
        winner = delta if (len(delta.path), delta.path) < (len(kept.path), kept.path) else kept
        best[delta.origin] = replace(winner, also=kept.also + delta.also + 1)
    return tuple(best.values())


def _merge_properties(into: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for name, node in extra.items():
        existing = into.get(name)
        into[name] = node if existing is None or existing is node else {"allOf": [existing, node]}


def _scalar_deltas(base: Mapping[str, Any], revision: Mapping[str, Any]) -> list[Delta]:
    # Fast path: most compared schemas are unchanged. (`==` takes 1 and true for equal: an enum or
    # default changing between those two values is the one edit this shortcut misses.)
    if tuple(map(base.get, _SCALAR_KEYS)) == tuple(map(revision.get, _SCALAR_KEYS)):
        return []
    flags = _flags(revision or base)
    out: list[Delta] = []
    before, after = (_types(base), base.get("format")), (_types(revision), revision.get("format"))
    if before != after:
        out.append(Delta((), "type", before, after, **flags))
    if _nullable(base) != _nullable(revision):
        out.append(Delta((), "nullable", _nullable(base), _nullable(revision), **flags))
    out.extend(_enum_deltas(base.get("enum"), revision.get("enum"), flags))
    for keyword, aspect in _BOUNDS:
        low, high = _number(base.get(keyword)), _number(revision.get(keyword))
        if low != high:
            out.append(Delta((), aspect, low, high, **flags))
    if base.get("pattern") != revision.get("pattern"):
        out.append(Delta((), "pattern", base.get("pattern"), revision.get("pattern"), **flags))
    if _canon(base.get("default")) != _canon(revision.get("default")):
        out.append(Delta((), "default", base.get("default"), revision.get("default"), **flags))
    return out


def _enum_deltas(base: Any, revision: Any, flags: dict[str, bool]) -> Iterable[Delta]:
    if not isinstance(revision, list):
        return []  # no enum now: anything the old enum allowed is still allowed
    if not isinstance(base, list):
        return [Delta((), "became-enum", None, revision, **flags)]
    base_keys, revision_keys = {_canon(v) for v in base}, {_canon(v) for v in revision}
    removed = [
        Delta((), "enum-value-removed", v, None, **flags) for v in base if _canon(v) not in revision_keys
    ]
    added = [Delta((), "enum-value-added", None, v, **flags) for v in revision if _canon(v) not in base_keys]
    return removed + added


def _flags(schema: Mapping[str, Any]) -> dict[str, bool]:
    return {"read_only": schema.get("readOnly") is True, "write_only": schema.get("writeOnly") is True}


def _raw_types(schema: Mapping[str, Any]) -> list[str]:
    value = schema.get("type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return sorted({v for v in value if isinstance(v, str)})
    return []


def _types(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The types a schema allows besides null (OpenAPI 3.1 writes nullability as a `null` type)."""
    return tuple(t for t in _raw_types(schema) if t != "null")


def _nullable(schema: Mapping[str, Any]) -> bool:
    return schema.get("nullable") is True or "null" in _raw_types(schema)


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # OpenAPI 3.0's boolean exclusiveMaximum is a modifier, not a bound
    return value


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _as_schema(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else _EMPTY  # `true`, absent or junk: any value


def _properties(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    value = schema.get("properties")
    if not isinstance(value, Mapping):
        return _EMPTY
    if all(isinstance(k, str) for k in value):
        return value
    return {str(k): v for k, v in value.items()}


def _required(schema: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(n) for n in _list(schema.get("required")))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _disambiguate(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label}#{seen[label]}")
    return out
