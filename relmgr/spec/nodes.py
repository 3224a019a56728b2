"""What changed in one schema node itself (not below it): type, bounds, values, annotations.

`node_deltas` compares the keywords of two (flattened) schemas that describe the node alone; the
sub-schemas below it are `schema.py`'s business. Deltas say what changed, not what it means.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import count
from typing import Any

_ORIGINS = count()
BOUNDS = (
    ("maxLength", "max-length"),
    ("minLength", "min-length"),
    ("maximum", "maximum"),
    ("minimum", "minimum"),
    ("exclusiveMaximum", "exclusive-maximum"),
    ("exclusiveMinimum", "exclusive-minimum"),
    ("maxItems", "max-items"),
    ("minItems", "min-items"),
    ("minContains", "min-contains"),
    ("maxContains", "max-contains"),
)
# every keyword node_deltas reads: equal on both sides means no node delta (the fast path)
NODE_KEYS = (
    "type", "format", "nullable", "enum", "x-extensible-enum", "pattern", "default", "const",
    "discriminator", "dependentRequired", "contentMediaType", "contentEncoding", "deprecated", "x-sunset",
    "x-stability-level", "readOnly", "writeOnly", *(key for key, _ in BOUNDS),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Delta:
    """One change at `path` (property names, `items`, `oneOf[...]` ... relative to the compared root)."""

    path: tuple[str, ...]
    aspect: str  # type, nullable, enum-value-removed, max-length, property-added, subschema-added ...
    before: Any = None
    after: Any = None
    read_only: bool = False  # flags of the schema at `path`
    write_only: bool = False
    required: bool = False  # property-added/-removed/read-only/...: required in its parent object
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


def node_deltas(base: Mapping[str, Any], revision: Mapping[str, Any]) -> list[Delta]:
    """The changes of the node itself, in a stable order; [] when none of its keywords differ."""
    if tuple(map(base.get, NODE_KEYS)) == tuple(map(revision.get, NODE_KEYS)):
        return []  # (`==` takes 1 and true for equal: the one edit this shortcut misses)
    flags = flags_of(revision or base)
    out: list[Delta] = []
    before, after = (types(base), base.get("format")), (types(revision), revision.get("format"))
    if before != after:
        out.append(Delta((), "type", before, after, **flags))
    if nullable(base) != nullable(revision):
        out.append(Delta((), "nullable", nullable(base), nullable(revision), **flags))
    out.extend(_enum_deltas(base.get("enum"), revision.get("enum"), flags))
    out.extend(_extensible_enum(base.get("x-extensible-enum"), revision.get("x-extensible-enum"), flags))
    for keyword, aspect in BOUNDS:
        low, high = number(base.get(keyword)), number(revision.get(keyword))
        if low != high:
            out.append(Delta((), aspect, low, high, **flags))
    for keyword, aspect in (("pattern", "pattern"), ("contentMediaType", "content-media-type"),
                            ("contentEncoding", "content-encoding")):
        old, new = base.get(keyword) or None, revision.get(keyword) or None  # an empty pattern is none
        if old != new:
            out.append(Delta((), aspect, old, new, **flags))
    for keyword in ("default", "const"):
        if canon(base.get(keyword)) != canon(revision.get(keyword)):
            out.append(Delta((), keyword, base.get(keyword), revision.get(keyword), **flags))
    out.extend(discriminator_deltas(base.get("discriminator"), revision.get("discriminator")))
    out.extend(_dependent_required(base.get("dependentRequired"), revision.get("dependentRequired")))
    out.extend(_lifecycle(base, revision, flags))
    for keyword, aspect in (("readOnly", "access-read-only"), ("writeOnly", "access-write-only")):
        old_flag, new_flag = base.get(keyword) is True, revision.get(keyword) is True
        if old_flag != new_flag:  # schema.py makes it a property's "read-only"/"write-only" delta
            out.append(Delta((), aspect, old_flag, new_flag, **flags))
    return out


def _enum_deltas(base: Any, revision: Any, flags: dict[str, bool]) -> Iterable[Delta]:
    if not isinstance(revision, list):
        return []  # no enum now: anything the old enum allowed is still allowed
    if not isinstance(base, list):
        return [Delta((), "became-enum", None, revision, **flags)]
    base_keys, revision_keys = {canon(v) for v in base}, {canon(v) for v in revision}
    removed = [Delta((), "enum-value-removed", v, None, **flags) for v in base if canon(v) not in revision_keys]
    added = [Delta((), "enum-value-added", None, v, **flags) for v in revision if canon(v) not in base_keys]
    return removed + added


def _extensible_enum(base: Any, revision: Any, flags: dict[str, bool]) -> Iterable[Delta]:
    """x-extensible-enum (Zalando): clients must accept unknown values, so only a removal matters."""
    if not isinstance(base, list) or not isinstance(revision, list):
        return []
    kept = {canon(v) for v in revision}
    return [Delta((), "x-extensible-enum-value-removed", v, None, **flags) for v in base if canon(v) not in kept]


def discriminator_deltas(base: Any, revision: Any) -> list[Delta]:
    """A discriminator added or removed, its property renamed, its mapping keys added, removed, re-pointed."""
    if not isinstance(base, Mapping) and not isinstance(revision, Mapping):
        return []
    if not isinstance(base, Mapping):
        return [Delta((), "discriminator-added", after=revision.get("propertyName"))]
    if not isinstance(revision, Mapping):
        return [Delta((), "discriminator-removed", before=base.get("propertyName"))]
    out: list[Delta] = []
    if base.get("propertyName") != revision.get("propertyName"):
        out.append(Delta((), "discriminator-property-name", base.get("propertyName"), revision.get("propertyName")))
    old, new = _mapping(base.get("mapping")), _mapping(revision.get("mapping"))
    if added := tuple(key for key in new if key not in old):
        out.append(Delta((), "discriminator-mapping-added", after=added))
    if deleted := tuple(key for key in old if key not in new):
        out.append(Delta((), "discriminator-mapping-deleted", before=deleted))
    for key, target in old.items():
        if key in new and new[key] != target:
            out.append(Delta((), "discriminator-mapping-changed", (key, target), (key, new[key])))
    return out


def _dependent_required(base: Any, revision: Any) -> list[Delta]:
    old, new = _mapping(base), _mapping(revision)
    out: list[Delta] = []
    for key, names in new.items():
        if key not in old:
            out.append(Delta((), "dependent-required-added", after=(key, _names(names))))
        elif _names(names) != _names(old[key]):
            out.append(Delta((), "dependent-required-changed", (key, _names(old[key])), (key, _names(names))))
    out.extend(Delta((), "dependent-required-removed", before=(key, _names(names)))
               for key, names in old.items() if key not in new)
    return out


def _lifecycle(base: Mapping[str, Any], revision: Mapping[str, Any], flags: dict[str, bool]) -> list[Delta]:
    """Deprecation (with the revision's x-sunset) and the x-stability-level of a node."""
    out: list[Delta] = []
    was, now = base.get("deprecated") is True, revision.get("deprecated") is True
    if was != now:
        aspect = "deprecated" if now else "reactivated"
        out.append(Delta((), aspect, base.get("x-sunset"), revision.get("x-sunset"), **flags))
    old, new = base.get("x-stability-level"), revision.get("x-stability-level")
    if old != new:
        out.append(Delta((), "stability", old, new, **flags))
    return out


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _names(value: Any) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in value)) if isinstance(value, list) else ()


def flags_of(schema: Mapping[str, Any]) -> dict[str, bool]:
    return {"read_only": schema.get("readOnly") is True, "write_only": schema.get("writeOnly") is True}


def raw_types(schema: Mapping[str, Any]) -> list[str]:
    value = schema.get("type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return sorted({v for v in value if isinstance(v, str)})
    return []


def types(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The types a schema allows besides null (OpenAPI 3.1 writes nullability as a `null` type)."""
    return tuple(t for t in raw_types(schema) if t != "null")


def nullable(schema: Mapping[str, Any]) -> bool:
    return schema.get("nullable") is True or "null" in raw_types(schema)


def number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # OpenAPI 3.0's boolean exclusiveMaximum is a modifier, not a bound
    return value


def canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
