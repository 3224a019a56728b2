"""Follow local `$ref`s (`#/components/...`, Swagger 2's `#/definitions/...`) inside one document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

_MISSING = object()


class Resolver:
    """Resolves JSON-pointer references against one document, memoising each pointer.

    External references (`other.yaml#/...`, URLs) and dangling pointers are left as they are: the
    node keeps its `$ref` and compares equal only to the same reference.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._targets: dict[str, Any] = {}

    def deref(self, node: Any) -> tuple[Any, str | None]:
        """`(target, pointer)` for a `$ref` node (following chains), `(node, None)` otherwise."""
        if type(node) is dict and "$ref" not in node:  # the hot path: a plain schema
            return node, None
        pointer: str | None = None
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:  # a chain of refs that loops on itself describes nothing
                return {}, ref
            seen.add(ref)
            target = self._lookup(ref)
            if target is _MISSING:
                return node, ref
            node, pointer = target, ref
        return node, pointer

    def value(self, node: Any) -> Any:
        """The dereferenced node (the target of a `$ref`, or the node itself)."""
        return self.deref(node)[0]

    def lookup(self, ref: str) -> Any | None:
        """The node a local pointer (`#/components/...`) names, one step (no chain followed); None if none."""
        target = self._lookup(ref)
        return None if target is _MISSING else target

    def _lookup(self, ref: str) -> Any:
        target = self._targets.get(ref, _MISSING)
        if target is _MISSING and ref.startswith("#"):
            target = _walk(self._document, ref[1:])
            self._targets[ref] = target
        return target


def _walk(document: Any, pointer: str) -> Any:
    if pointer in ("", "/"):
        return document
    node = document
    for raw in pointer.lstrip("/").split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


def ref_name(pointer: str) -> str:
    """The last segment of a pointer: `#/components/schemas/Pet` -> `Pet`."""
    return unquote(pointer.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~")
