"""Several OpenAPI documents read as one API surface, before the diff engine sees them.

Generators write one surface as several files (a stable, an experimental and a deprecated spec), so moving
an operation from one file to another is no change, and deprecating it (moved into the deprecated file with
`deprecated: true`) is a deprecation, not a removal. The composed document:

- has every operation any file has (paths matched as the engine matches them: `/files/{id}` and
  `/files/{file_id}` are one path, spelt as the first file spells it);
- marks an operation `deprecated: true` when any file does (with that file's `x-sunset` when the first
  has none);
- takes an operation found in several files from the first file (in the configured order); when their
  content differs (lifecycle markers aside), that is a `Conflict` naming both files;
- merges `components` (Swagger 2.0: `definitions`, `parameters`, `responses`) by name; a name two files
  define differently is kept apart: the later file's is renamed (`Model.deprecated-spec`), and that file's
  `$ref`s follow.

Pure, and the inputs are never changed (they are shared, cached parse results). One document comes back
as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relmgr.errors import SpecError
from relmgr.spec.resolve import Resolver
from relmgr.spec.view import METHODS, normalize_path

_LIFECYCLE = ("deprecated", "x-sunset")
_SWAGGER_SECTIONS = ("definitions", "parameters", "responses", "securityDefinitions")
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Part:
    """One file of the surface: `label` names it stably across refs (the configured path), `source` in
    messages (`v0.8.0:docs/static/llama-stack-spec.yaml`)."""

    label: str
    source: str
    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Conflict:
    """The same operation with different content in two files; the first file's is read."""

    operation: str  # `GET /v1/models`
    first: str  # the label of the file whose content is used
    second: str


@dataclass(frozen=True, slots=True)
class Surface:
    document: Mapping[str, Any]
    labels: tuple[str, ...]  # the files composed, in order
    conflicts: tuple[Conflict, ...] = ()


def compose(parts: Sequence[Part]) -> Surface:
    """One document holding the surface of `parts` (see the module's docstring); SpecError when the parts
    mix Swagger 2.0 and OpenAPI 3.x, which have no common document."""
    if not parts:
        return Surface({"openapi": "3.0.0", "paths": {}}, ())
    if len(parts) == 1:
        return Surface(parts[0].document, (parts[0].label,))
    _same_kind(parts)
    first = parts[0]
    merged = _Merger(swagger2="openapi" not in first.document)
    for part in parts:
        merged.add(part)
    document = {key: value for key, value in first.document.items() if key not in ("paths", "components",
                                                                                     *_SWAGGER_SECTIONS)}
    document["paths"] = merged.paths
    if merged.swagger2:
        document.update(merged.components)
    elif merged.components:
        document["components"] = merged.components
    return Surface(document, tuple(p.label for p in parts), tuple(merged.conflicts))


def _same_kind(parts: Sequence[Part]) -> None:
    kinds = {"swagger" if "openapi" not in p.document else "openapi" for p in parts}
    if len(kinds) > 1:
        names = ", ".join(p.source for p in parts)
        raise SpecError(f"{names}: Swagger 2.0 and OpenAPI 3.x files cannot be read as one surface; "
                        "convert them to one version, or configure them apart")


class _Merger:
    def __init__(self, *, swagger2: bool) -> None:
        self.swagger2 = swagger2
        self.paths: dict[str, dict[str, Any]] = {}
        self.spelling: dict[str, str] = {}  # normalized path → the path as the composed document spells it
        self.origin: dict[tuple[str, str], Part] = {}  # (path, method) → the part its content came from
        self.components: dict[str, Any] = {}
        self.conflicts: list[Conflict] = []

    def add(self, part: Part) -> None:
        document = _renamed(part, self._component_clashes(part))
        self._add_components(document)
        resolver = Resolver(document)
        paths = document.get("paths")
        for path, raw in (paths.items() if isinstance(paths, Mapping) else ()):
            item = resolver.value(raw)
            if isinstance(item, Mapping):
                self._add_path(part, str(path), item)

    # components

    def _sections(self, document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        if self.swagger2:
            return {name: value for name in _SWAGGER_SECTIONS if isinstance(value := document.get(name), Mapping)}
        components = document.get("components")
        if not isinstance(components, Mapping):
            return {}
        return {name: value for name, value in components.items() if isinstance(value, Mapping)}

    def _component_clashes(self, part: Part) -> dict[str, dict[str, str]]:
        """Per section, the names `part` defines differently from an earlier file, and their new names."""
        clashes: dict[str, dict[str, str]] = {}
        for section, entries in self._sections(part.document).items():
            known = self.components.get(section, {})
            for name, node in entries.items():
                if name in known and known[name] != node:
                    clashes.setdefault(section, {})[name] = f"{name}.{_slug(part.label)}"
        return clashes

    def _add_components(self, document: Mapping[str, Any]) -> None:
        for section, entries in self._sections(document).items():
            known = self.components.setdefault(section, {})
            for name, node in entries.items():
                known.setdefault(name, node)

    # paths

    def _add_path(self, part: Part, path: str, item: Mapping[str, Any]) -> None:
        key = normalize_path(path)
        spelt = self.spelling.setdefault(key, path)
        target = self.paths.get(spelt)
        if target is None:
            self.paths[spelt] = dict(item)
            for method in METHODS:
                if isinstance(item.get(method), Mapping):
                    self.origin[(spelt, method)] = part
            return
        for method in METHODS:
            node = item.get(method)
            if not isinstance(node, Mapping):
                continue
            if method not in target:
                target[method] = _with_path_parameters(node, item, target)
                self.origin[(spelt, method)] = part
            else:
                self._duplicate(part, spelt, method, node, item)

    def _duplicate(self, part: Part, path: str, method: str, node: Mapping[str, Any], item: Mapping[str, Any]) -> None:
        target = self.paths[path]
        kept = target[method]
        first = self.origin[(path, method)]
        if _content(kept, target) != _content(node, item):
            self.conflicts.append(Conflict(f"{method.upper()} {path}", first.label, part.label))
        if node.get("deprecated") is True and kept.get("deprecated") is not True:
            marked = {**kept, "deprecated": True}
            if "x-sunset" in node and "x-sunset" not in kept:
                marked["x-sunset"] = node["x-sunset"]
            target[method] = marked


def _content(node: Mapping[str, Any], item: Mapping[str, Any]) -> tuple[Any, Any]:
    """What two copies of one operation must agree on: the operation without lifecycle markers, and the
    path item's parameters."""
    return {k: v for k, v in node.items() if k not in _LIFECYCLE}, item.get("parameters")


def _with_path_parameters(node: Mapping[str, Any], item: Mapping[str, Any], target: Mapping[str, Any]) -> Any:
    """`node` moved under another file's path item: its own path item's parameters go with it."""
    own = item.get("parameters")
    if own == target.get("parameters") or not isinstance(own, list):
        return node
    declared = node.get("parameters")
    operation = declared if isinstance(declared, list) else []
    keys = {(p.get("in"), p.get("name")) for p in operation if isinstance(p, Mapping)}
    inherited = [p for p in own if not (isinstance(p, Mapping) and (p.get("in"), p.get("name")) in keys)]
    return {**node, "parameters": [*inherited, *operation]}


def _slug(label: str) -> str:
    stem = label.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return _SLUG.sub("-", stem) or "spec"


def _renamed(part: Part, clashes: Mapping[str, Mapping[str, str]]) -> Mapping[str, Any]:
    """`part`'s document with its clashing components renamed and every `$ref` to them rewritten."""
    if not clashes:
        return part.document
    prefix = "#/" if "openapi" not in part.document else "#/components/"
    refs = {f"{prefix}{section}/{_escape(old)}": f"{prefix}{section}/{_escape(new)}"
            for section, names in clashes.items() for old, new in names.items()}
    document: dict[str, Any] = _rewrite(part.document, refs)
    sections = document if "openapi" not in part.document else document.get("components", {})
    for section, names in clashes.items():
        entries = dict(sections[section])
        for old, new in names.items():
            entries[new] = entries.pop(old)
        sections[section] = entries
    return document


def _rewrite(node: Any, refs: Mapping[str, str]) -> Any:
    """A copy of `node` with `$ref` values replaced by `refs`; mappings and lists are copied."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        copied = {key: _rewrite(value, refs) for key, value in node.items() if key != "$ref"}
        if isinstance(ref, str):
            copied["$ref"] = refs.get(ref, ref)
        elif ref is not None:
            copied["$ref"] = ref
        return copied
    if isinstance(node, list):
        return [_rewrite(value, refs) for value in node]
    return node


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
