"""Pairing the members of `allOf`/`anyOf`/`oneOf` lists, and `prefixItems` by position, as oasdiff does.

Members with a `$ref` pair by reference; inline members pair first with an identical member on the
other side (unchanged), then by `title`, and a single untitled member left on each side pairs with the
other (modified). Everything else was added or removed. Labels read like oasdiff's:
`#/components/schemas/Dog`, `subschema #2: Card`, `subschema #3`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from relmgr.spec.nodes import canon

_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "example", "default", "externalDocs", "$comment", "deprecated",
     "readOnly", "writeOnly", "xml"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Pairing:
    """Matched (label, base member, revision member) triples, and the labels of the unmatched ones."""

    matched: list[tuple[str, Any, Any]]
    added: list[tuple[str, Any]]
    removed: list[tuple[str, Any]]


def pair_members(base: list[Any], revision: list[Any], title: Callable[[Any, int], str]) -> Pairing:
    """Pair two member lists; `title(member, side)` reads an inline member's title ("" when none)."""
    matched: list[tuple[str, Any, Any]] = []
    left = dict(enumerate(base))
    right = dict(enumerate(revision))
    for i, member in list(left.items()):  # by $ref
        ref = _ref(member)
        if ref is None:
            continue
        j = next((j for j, other in right.items() if _ref(other) == ref), None)
        if j is not None:
            matched.append((label(member, i, ""), member, right.pop(j)))
            del left[i]
    for i, member in list(left.items()):  # identical inline members: unchanged
        if _ref(member) is not None:
            continue
        j = next((j for j, other in right.items() if _ref(other) is None and canon(other) == canon(member)), None)
        if j is not None:
            del left[i], right[j]
    for i, member in list(left.items()):  # by title
        name = title(member, 0) if _ref(member) is None else ""
        j = next((j for j, other in right.items() if name and _ref(other) is None and title(other, 1) == name),
                 None)
        if j is not None:
            matched.append((label(member, i, name), member, right.pop(j)))
            del left[i]
    inline_left = [i for i, m in left.items() if _ref(m) is None]
    inline_right = [j for j, m in right.items() if _ref(m) is None]
    if len(inline_left) == 1 and len(inline_right) == 1:
        i, j = inline_left[0], inline_right[0]
        if not title(left[i], 0) and not title(right[j], 1):
            matched.append((label(left.pop(i), i, ""), base[i], right.pop(j)))
    return Pairing(
        matched,
        [(label(m, j, title(m, 1) if _ref(m) is None else ""), m) for j, m in right.items()],
        [(label(m, i, title(m, 0) if _ref(m) is None else ""), m) for i, m in left.items()],
    )


def label(member: Any, index: int, title: str) -> str:
    ref = _ref(member)
    if ref is not None:
        return ref if ref.startswith("#/components/") else f"#/components/schemas/{ref.rsplit('/', 1)[-1]}"
    return f"subschema #{index + 1}: {title}" if title else f"subschema #{index + 1}"


def annotation_only(schema: Mapping[str, Any]) -> bool:
    """Only annotations (title, description, examples ...): validates like `{}`, so it constrains nothing."""
    return all(key in _ANNOTATIONS or str(key).startswith("x-") for key in schema)


def _ref(member: Any) -> str | None:
    if isinstance(member, Mapping) and isinstance(member.get("$ref"), str):
        return str(member["$ref"])
    return None
