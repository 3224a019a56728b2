"""Which spec operations belong to which API, and the `routes` globs that say so. Pure.

When code folders name APIs, an operation belongs to the folder its OpenAPI `tags` name (`Inference` →
`src/ogx_api/inference/`), else the one its `operationId` namespace names (`files.list`,
`FilesService_List`), else the one its first path segment after the level names (`/v1/models` → `models`).
So a folder serving `/v1/chat/completions` and `/v1alpha/inference/rerank` gets both. Operations no folder
claims are grouped by that first segment (`/v1alpha/files/{id}` → files): URL-segment APIs, as a spec-only
repository has them.

Routes are the shortest literal path prefixes that hold an API's operations and no other's (`/v1/chat`
when nothing else lives below it, else `/v1/chat/completions`), escaped so brackets stay literal. A path
with another API's operations below it is written to match itself only: its last character in a class
(`/v1alpha/eval/benchmark[s]`), since a glob without wildcards also matches everything below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from relmgr.init.folders import LEVEL_SEGMENT, key_variants, name_key
from relmgr.policy.globs import escape_glob, subtree_glob
from relmgr.policy.levels import Level
from relmgr.spec.stability import DEFAULT_LEVELS_FROM, operation_level, path_level
from relmgr.spec.view import METHODS

Via = Literal["tag", "operationId", "path"]
_NAMESPACE = re.compile(r"^(?P<ns>[A-Za-z][A-Za-z0-9-]*?)(?:Service|Api|API|Controller)?(?:[./:]|__)")
_CAMEL_NAMESPACE = re.compile(r"^(?P<ns>[A-Z][A-Za-z0-9]*?)(?:Service|Api|API|Controller)?_")


@dataclass(frozen=True, slots=True)
class SpecOp:
    """One operation of a spec, as init reads it."""

    method: str
    path: str
    tags: tuple[str, ...]
    operation_id: str | None
    level: Level | None  # from `x-stability-level` or a level path segment; None: neither says
    deprecated: bool


def spec_ops(document: Mapping[str, Any]) -> list[SpecOp]:
    """The operations of a spec; a marker (`x-stability-level`) names the level and wins over the path."""
    paths = document.get("paths")
    found: list[SpecOp] = []
    for raw_path, item in (paths.items() if isinstance(paths, Mapping) else ()):
        path = str(raw_path)
        if not isinstance(item, Mapping):
            continue
        for method in METHODS:
            node = item.get(method)
            if not isinstance(node, Mapping):
                continue
            tags = node.get("tags")
            operation_id = node.get("operationId")
            found.append(SpecOp(method.upper(), path,
                                tuple(str(t) for t in tags) if isinstance(tags, list) else (),
                                str(operation_id) if isinstance(operation_id, str) else None,
                                _level(node, path), node.get("deprecated") is True))
    return found


def _level(node: Mapping[str, Any], path: str) -> Level | None:
    if DEFAULT_LEVELS_FROM in node:
        marked = operation_level(node, path, DEFAULT_LEVELS_FROM)
        if marked.valid:
            return Level.parse(marked.level)
    found = resource(path)
    return found.level if found is not None else None


@dataclass(frozen=True, slots=True)
class Resource:
    """What a path names: `/api/v1beta2/jobs:run` → jobs, prefix `/api/v1beta2/jobs`, level v1beta."""

    name: str
    prefix: str
    level: Level | None


@lru_cache(maxsize=4096)  # the same paths at every release read for `history`
def resource(path: str) -> Resource | None:
    """The first segment after `api/` and a level segment; None for `/` or `/{id}`."""
    parts = [p for p in path.split("/") if p]
    taken = []
    if parts and parts[0].lower() == "api":
        taken.append(parts.pop(0))
    level = None
    if parts and LEVEL_SEGMENT.match(parts[0]):
        level = Level.parse(path_level("/" + parts[0]).level)
        taken.append(parts.pop(0))
    if not parts or parts[0].startswith("{"):
        return None
    name = parts[0].split(":", 1)[0]  # Google's custom methods: `files:batchGet`
    return Resource(name, "/" + "/".join([*taken, name]), level) if name else None


# -- claims ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    op: SpecOp
    via: Via
    word: str  # the tag, namespace or segment that named the folder


def claim(ops: Iterable[SpecOp], names: Iterable[str]) -> tuple[dict[str, list[Claimed]], list[SpecOp]]:
    """The operations each named folder claims (by tag, then operationId, then path segment), and the rest."""
    keys = {name_key(name): name for name in names}
    claimed: dict[str, list[Claimed]] = {}
    rest: list[SpecOp] = []
    for op in ops:
        found = _claim(op, keys)
        if found is None:
            rest.append(op)
        else:
            claimed.setdefault(found[0], []).append(Claimed(op, found[1], found[2]))
    return claimed, rest


def _claim(op: SpecOp, keys: Mapping[str, str]) -> tuple[str, Via, str] | None:
    words: list[tuple[Via, str]] = [("tag", tag) for tag in op.tags]
    namespace = _namespace(op.operation_id)
    if namespace:
        words.append(("operationId", namespace))
    found = resource(op.path)
    if found is not None:
        words.append(("path", found.name))
    for exact in (True, False):  # an exact name anywhere beats a plural/singular one
        for via, word in words:
            key = name_key(word)
            candidates = [key] if exact else list(key_variants(key))
            name = next((keys[k] for k in candidates if k in keys), None)
            if name is not None:
                return name, via, word
    return None


def _namespace(operation_id: str | None) -> str | None:
    """`files.list`, `files/list`, `Files__list`, `FilesService_List` → files; FastAPI's snake-case ids
    (`list_files_v1_files_get`) name no namespace."""
    if not operation_id:
        return None
    match = _NAMESPACE.match(operation_id) or _CAMEL_NAMESPACE.match(operation_id)
    return match.group("ns") if match else None


def by_segment(ops: Iterable[SpecOp]) -> dict[str, list[SpecOp]]:
    """Operations with a level (marker or path) grouped by their first segment: URL-segment APIs."""
    groups: dict[str, list[SpecOp]] = {}
    for op in ops:
        found = resource(op.path)
        if found is not None and op.level is not None:
            groups.setdefault(found.name, []).append(op)
    return groups


# -- routes ---------------------------------------------------------------------------------------------


def route_globs(mine: Sequence[str], every: Iterable[str]) -> tuple[str, ...]:
    """The shortest literal prefixes of the paths `mine` below which no other path of `every` lies."""
    own = set(mine)
    taken = {prefix for other in set(every) - own for prefix in _prefixes(other)}  # held by another API
    prefixes: set[str] = set()
    for path in own:
        parts = [p for p in path.split("/") if p]
        found = resource(path)
        start = found.prefix.count("/") if found else len(parts)
        for size in range(start, len(parts) + 1):
            prefix = "/" + "/".join(parts[:size])
            if size == len(parts) or prefix not in taken:
                prefixes.add(prefix)
                break
    # a prefix written for itself only (`taken`) does not hold the paths below it
    kept = sorted(p for p in prefixes if not any(q != p and q not in taken and _below(p, q) for q in prefixes))
    return tuple(exact_glob(p) if p in taken else subtree_glob(p) for p in kept)


def exact_glob(path: str) -> str:
    """A glob matching `path` and nothing below it: escaped, its last character in a class if nothing else
    made it a pattern (`/v1/models` → `/v1/model[s]`)."""
    escaped = escape_glob(path)
    if escaped != path:
        return escaped
    return f"{path[:-1]}[{path[-1]}]" if path[-1] not in "^!" else escaped  # `[^]` would be no class


def _prefixes(path: str) -> list[str]:
    """`/v1/chat/completions` → `/v1`, `/v1/chat`, `/v1/chat/completions`: the prefixes it lies below."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:size]) for size in range(1, len(parts) + 1)]


def _below(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def most_stable(ops: Iterable[SpecOp]) -> tuple[Level | None, tuple[Level, ...]]:
    """The most stable level the operations are served at, and every level they are served at."""
    levels = sorted({op.level for op in ops if op.level is not None}, reverse=True)
    return (levels[0] if levels else None), tuple(levels)


# -- what each API serves ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Served:
    """The operations of one API, and how init knows they are its own."""

    name: str
    ops: tuple[SpecOp, ...]
    how: str  # "5 operations tagged Inference", "3 operations below /v1alpha/files"
    by_folder: bool  # claimed by a code folder (else a URL-segment API)


def serve(ops: Sequence[SpecOp], folders: Iterable[str]) -> dict[str, Served]:
    """Each API's operations by name key: the folders' claims, then URL-segment APIs for the rest."""
    claimed, rest = claim(ops, folders)
    served = {name_key(name): Served(name, tuple(c.op for c in items), _how(items), True)
              for name, items in claimed.items()}
    for segment, group in by_segment(rest).items():
        found = resource(group[0].path)
        prefixes = sorted({r.prefix for op in group if (r := resource(op.path)) is not None})
        where = ", ".join(prefixes[:3]) + (" …" if len(prefixes) > 3 else "") if found else segment
        served.setdefault(name_key(segment), Served(segment, tuple(group), f"{_count(len(group))} below {where}",
                                                    False))
    return served


def _how(items: Sequence[Claimed]) -> str:
    """`5 operations tagged Inference, 1 operation whose path names models`."""
    by_word: dict[tuple[Via, str], int] = {}
    for item in items:
        by_word[item.via, item.word] = by_word.get((item.via, item.word), 0) + 1
    shown = []
    for (via, word), count in sorted(by_word.items(), key=lambda kv: (-kv[1], kv[0])):
        what = {"tag": f"tagged {word}", "operationId": f"whose operationId starts with {word}",
                "path": f"whose path names {word}"}[via]
        shown.append(f"{_count(count)} {what}")
    return ", ".join(shown)


def _count(count: int) -> str:
    return f"{count} operation" + ("" if count == 1 else "s")
