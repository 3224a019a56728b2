"""Compare two JSON Schemas (OpenAPI 3.0 and 3.1) into neutral deltas; `checks/` decides what they mean.

A delta says *what* changed at a location (`("items", "id")`, relative to the compared root), not
whether it breaks anyone: that depends on the direction (request or response) and place, which the
caller knows. Keeping the deltas context-free lets one comparison of a `$ref`'d component serve
every operation that uses it.

- `allOf` members are flattened into one schema (properties and `required` merged), so a property
  moving between an `allOf` member and the parent is no change; members added to or removed from the
  list are reported as such too (oasdiff's allOf checks).
- `anyOf`/`oneOf` members pair as oasdiff pairs them (`members.py`); `prefixItems` pair by position.
- Sub-schemas are compared below `items`, `additionalProperties`, `not`, `if`/`then`/`else`,
  `contains`, `propertyNames`, `unevaluatedItems`/`unevaluatedProperties`, `contentSchema`,
  `patternProperties`, `dependentSchemas` and `prefixItems`; one present on a side only is a delta.
- Reference cycles: a pair of schemas already being compared higher up the stack is not compared
  again (a recursive schema is compared once), so recursion always ends.
- One change reachable along several paths (a component used twice in a body, or a web of
  references) is kept once, at its shortest path, counting the other places (`also`). Without
  this a diamond-shaped reference graph would multiply the findings (and the work) exponentially.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Set
from dataclasses import replace
from typing import Any

from relmgr.spec.members import annotation_only, pair_members
from relmgr.spec.nodes import Delta, canon, flags_of, node_deltas, raw_types
from relmgr.spec.resolve import Resolver
from relmgr.spec.shapes import as_schema, list_of_types, members, present, properties, required, wrapped

_MAX_DEPTH = 64  # nested schema levels compared; deeper structure is not inspected
_NO_TAINT = 1 << 30
# sub-schema keywords whose appearance or disappearance oasdiff reports (the rest are only compared)
_SINGLE = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
           "unevaluatedItems", "unevaluatedProperties", "contentSchema")  # fmt: skip
_REPORTED = frozenset(_SINGLE[3:])
_KEYED = (("patternProperties", "pattern-property"), ("dependentSchemas", "dependent-schema"))
_REPLACED_BY_TYPE_LIST = frozenset({"type", "any-of-added", "any-of-removed", "one-of-added", "one-of-removed"})
_REPLACED_BY_WRAPPING = frozenset({"type", "one-of-added"})  # the wrapper has no type; its members are the news
_SUBSCHEMA_KEYS = frozenset({*_SINGLE, *(keyword for keyword, _ in _KEYED)})
_ACCESS = {"access-read-only": "read-only", "access-write-only": "write-only"}  # node-level -> property-level


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

    def key(self, base: Any, revision: Any) -> tuple[str, str] | None:
        """What identifies a comparison whose result is shared: the `$ref` pair, when both sides are refs."""
        base_ref, revision_ref = self._resolvers[0].deref(base)[1], self._resolvers[1].deref(revision)[1]
        return (base_ref, revision_ref) if base_ref is not None and revision_ref is not None else None

    def schema(self, node: Any, side: int) -> Mapping[str, Any]:
        """The dereferenced, allOf-flattened schema of `node` on side 0 (base) or 1 (revision)."""
        return self._flatten(as_schema(self._resolvers[side].value(node)), side)

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
            result = _shortest_paths(self._compare(as_schema(base), as_schema(revision)))
        finally:
            del self._stack[key]
        if self._taint >= depth:  # no cut above this frame: the result is complete, keep it
            self._taint = _NO_TAINT
            if cacheable:
                self._cache[key] = result
        return result

    def _compare(self, raw_base: Mapping[str, Any], raw_revision: Mapping[str, Any]) -> list[Delta]:
        base, revision = self._flatten(raw_base, 0), self._flatten(raw_revision, 1)
        keywords = base.keys() | revision.keys()  # most nodes use a few keywords: test for the rest once
        alternatives = [self.schema(member, 1) for member in members(revision, "oneOf")] if (
            "oneOf" in revision and "properties" in base) else []
        moved = wrapped(base, revision, alternatives) if alternatives else frozenset()
        out = node_deltas(base, revision)
        if "properties" in keywords:
            self._compare_properties(base, revision, out, moved)
        if not keywords.isdisjoint(_SUBSCHEMA_KEYS):
            self._compare_subschemas(base, revision, keywords, out)
        if "allOf" in raw_base or "allOf" in raw_revision:
            self._compare_all_of(raw_base, raw_revision, out)
        for keyword in ("anyOf", "oneOf"):
            if keyword in keywords:
                self._compare_members(base, revision, keyword, out)
        if "prefixItems" in keywords:
            self._compare_prefix_items(base, revision, out)
        if "oneOf" in keywords or "anyOf" in keywords:
            self._list_of_types(base, revision, out)
        if moved:  # an object wrapped into a oneOf: its properties moved, they were not removed
            out[:] = [d for d in out if d.path or d.aspect not in _REPLACED_BY_WRAPPING]
            out.append(Delta((), "wrapped-in-one-of", before=tuple(sorted(moved)), after=len(alternatives)))
        return out

    def _compare_properties(
        self, base: Mapping[str, Any], revision: Mapping[str, Any], out: list[Delta], moved: frozenset[str]
    ) -> None:
        base_props, revision_props = properties(base), properties(revision)
        if not base_props and not revision_props:
            return
        base_required, revision_required = required(base), required(revision)
        for name, node in base_props.items():
            if name not in revision_props and name not in moved:
                out.append(self._existence("property-removed", name, node, 0, name in base_required))
        for name, node in revision_props.items():
            if name not in base_props:
                out.append(self._existence("property-added", name, node, 1, name in revision_required))
        for name, node in base_props.items():
            if name in revision_props:
                self._compare_property(name, node, revision_props[name], (base_required, revision_required), out)

    def _compare_property(
        self, name: str, base: Any, revision: Any, required_sets: tuple[frozenset[str], frozenset[str]],
        out: list[Delta],
    ) -> None:
        was_required, now_required = (name in names for names in required_sets)
        if now_required != was_required:
            aspect = "became-required" if now_required else "became-optional"
            out.append(self._existence(aspect, name, revision, 1, now_required))
        for delta in self._diff(base, revision):
            if not delta.path and delta.aspect in _ACCESS:  # a property's own readOnly/writeOnly, with its parent's
                delta = replace(delta, aspect=_ACCESS[delta.aspect], required=was_required)  # required (base)
            out.append(delta.under(name))

    def _existence(self, aspect: str, name: str, node: Any, side: int, is_required: bool) -> Delta:
        schema = self.schema(node, side)
        return Delta((name,), aspect, required=is_required, has_default="default" in schema, **flags_of(schema))

    def _compare_subschemas(
        self, base: Mapping[str, Any], revision: Mapping[str, Any], keywords: Set[str], out: list[Delta]
    ) -> None:
        for keyword in _SINGLE:
            if keyword not in keywords:
                continue
            had, has = present(base.get(keyword)), present(revision.get(keyword))
            if had and has:
                if isinstance(base[keyword], Mapping) and isinstance(revision[keyword], Mapping):
                    out.extend(d.under(keyword) for d in self._diff(base[keyword], revision[keyword]))
            elif (had or has) and keyword in _REPORTED:
                out.append(Delta((), "subschema-added" if has else "subschema-removed", keyword, keyword))
        for keyword, aspect in _KEYED:
            if keyword not in keywords:
                continue
            old, new = _keyed(base.get(keyword)), _keyed(revision.get(keyword))
            out.extend(Delta((), f"{aspect}-removed", before=key) for key in old if key not in new)
            out.extend(Delta((), f"{aspect}-added", after=key) for key in new if key not in old)
            for key, node in old.items():
                if key in new:
                    out.extend(d.under(f"{keyword}[{key}]") for d in self._diff(node, new[key]))

    def _compare_all_of(self, base: Mapping[str, Any], revision: Mapping[str, Any], out: list[Delta]) -> None:
        """allOf members added or removed; their contents are compared in the flattened schema.

        Within an allOf list on both sides a member added or removed is reported, as oasdiff does: the
        flattened comparison cannot tell whether its keywords (beyond properties and `required`) were in
        force already. A schema rewritten as an allOf composition, or flattened back, is judged by what it
        describes: only its annotation-only members are news.
        """
        old, new = members(base, "allOf"), members(revision, "allOf")
        if not old and not new:
            return
        pairing = pair_members(old, new, self._title)
        for side, found, verb in ((1, pairing.added, "added"), (0, pairing.removed, "removed")):
            plain = tuple(name for name, m in found if annotation_only(self.schema(m, side)))
            real = tuple(name for name, _ in found if name not in plain)
            if real and old and new:
                out.append(Delta((), f"all-of-{verb}", real, real))
            if plain:
                out.append(Delta((), f"all-of-{verb}-annotation", plain, plain))

    def _compare_members(
        self, base: Mapping[str, Any], revision: Mapping[str, Any], keyword: str, out: list[Delta]
    ) -> None:
        old, new = members(base, keyword), members(revision, keyword)
        if not old and not new:
            return
        pairing = pair_members(old, new, self._title)
        aspect = "any-of" if keyword == "anyOf" else "one-of"
        if pairing.removed:
            out.append(Delta((), f"{aspect}-removed", before=tuple(name for name, _ in pairing.removed)))
        if pairing.added:
            out.append(Delta((), f"{aspect}-added", after=tuple(name for name, _ in pairing.added)))
        for name, old_member, new_member in pairing.matched:
            out.extend(d.under(f"{keyword}[{name}]") for d in self._diff(old_member, new_member))

    def _compare_prefix_items(self, base: Mapping[str, Any], revision: Mapping[str, Any], out: list[Delta]) -> None:
        old, new = members(base, "prefixItems"), members(revision, "prefixItems")
        for index in range(min(len(old), len(new))):
            out.extend(d.under(f"prefixItems[#{index + 1}]") for d in self._diff(old[index], new[index]))
        if len(old) > len(new):
            out.append(Delta((), "prefix-items-removed", before=_positions(len(new), len(old))))
        elif len(new) > len(old):
            out.append(Delta((), "prefix-items-added", after=_positions(len(old), len(new))))

    def _list_of_types(self, base: Mapping[str, Any], revision: Mapping[str, Any], out: list[Delta]) -> None:
        old = list_of_types(base, lambda m: self.schema(m, 0))
        new = list_of_types(revision, lambda m: self.schema(m, 1))
        if old is None or new is None or not (old.listed or new.listed) or set(old.types) == set(new.types):
            return
        # a list of types stands for the type change, the anyOf/oneOf members added or removed (oasdiff) and
        # what changed inside the members it paired (a member's type)
        out[:] = [d for d in out if (d.path and not d.path[0].startswith(("oneOf[", "anyOf[")))
                  or (not d.path and d.aspect not in _REPLACED_BY_TYPE_LIST)]
        out.append(Delta((), "list-of-types", old.types, new.types, **flags_of(revision)))

    def _title(self, member: Any, side: int) -> str:
        title = as_schema(self._resolvers[side].value(member)).get("title")
        return str(title) if title else ""

    def _flatten(self, node: Mapping[str, Any], side: int) -> Mapping[str, Any]:
        member_list = node.get("allOf")
        if not isinstance(member_list, list) or not member_list:
            return node
        cache = self._flat[side]
        hit = cache.get(id(node))
        if hit is not None:
            return hit
        cache[id(node)] = node  # placeholder: an allOf that includes itself merges its own members once
        merged = self._merge(node, member_list, side)
        cache[id(node)] = merged
        return merged

    def _merge(self, node: Mapping[str, Any], member_list: list[Any], side: int) -> dict[str, Any]:
        merged = {key: value for key, value in node.items() if key != "allOf"}
        props = dict(properties(merged))
        names = list(required(merged))
        for raw in member_list:
            member = self._flatten(as_schema(self._resolvers[side].value(raw)), side)
            for key, value in member.items():
                if key == "properties":
                    _merge_properties(props, properties(member))
                elif key == "required":
                    names += [n for n in required(member) if n not in names]
                elif key not in merged and key != "allOf":
                    merged[key] = value
        if props:
            merged["properties"] = props
        if names:
            merged["required"] = names
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


def _keyed(value: Any) -> dict[str, Any]:
    return {str(key): node for key, node in value.items()} if isinstance(value, Mapping) else {}


def _positions(start: int, stop: int) -> tuple[str, ...]:
    return tuple(f"subschema #{index + 1}" for index in range(start, stop))


__all__ = ["Delta", "SchemaDiffer", "canon", "raw_types"]
