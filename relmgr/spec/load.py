"""Read an OpenAPI document (YAML or JSON text) into plain Python data, and cache parsed blobs."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from relmgr.errors import SpecError
from relmgr.spec import fastyaml

# The C loader is ~10x faster on large specs; fall back to the pure-Python one when libyaml is missing.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A spec's nodes once every YAML alias is expanded where it is used, the size the diff would walk. The
# largest real spec measured has ~15,000 (0.48 MB); 8 levels of 8 aliases make 16,777,216 from 1 KB.
MAX_NODES = 1_000_000


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, with scalars that do not fit Python read as text, never a crash: an unquoted
    `x-sunset: 2025-13-45` (a timestamp by YAML's rules, no date by the calendar's) stays that text, and
    an integer of thousands of digits (past Python's int-conversion limit) becomes a float."""


def _timestamp(loader: Any, node: Any) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


def _integer(loader: Any, node: Any) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except (ValueError, OverflowError):
        return _big_number(loader.construct_scalar(node))


def _big_number(text: str) -> float | str:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return text


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _integer)


def load_spec(data: str | bytes, source: str) -> dict[str, Any]:
    """Parse `data` (YAML or JSON) as an OpenAPI 3.x or Swagger 2.0 document.

    Raises SpecError naming `source` when the text is not YAML/JSON or not an OpenAPI document.
    The result is shared by callers (see SpecCache): treat it as read-only.
    """
    text = _decode(data, source)
    document = _parse(text, source)
    check_size(document, source)
    return _check_openapi(document, source)


def _decode(data: str | bytes, source: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError(f"{source}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def _parse(text: str, source: str) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text, parse_int=_json_int)
        except (ValueError, RecursionError):
            pass  # YAML is a superset of JSON in practice; let it report the error with a line number
    fast = fastyaml.load(text)  # yaml-rs where it gives the same data (its docstring), else PyYAML's C loader
    if fast is not None:
        return fast
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader: plain data only
    except yaml.YAMLError as error:
        raise SpecError(f"{source}: not valid YAML or JSON: {_describe(error)}") from None
    except RecursionError:
        raise SpecError(f"{source}: the document is nested too deeply to read") from None


def _json_int(text: str) -> int | float:
    return int(text) if len(text) < 4000 else float(text)  # int() refuses 4,300 digits


def check_size(document: Any, source: str, budget: int = MAX_NODES) -> int:
    """The number of nodes `document` has once its YAML aliases are expanded (an alias is one shared
    Python object: each is counted once, at the cost of one visit); a SpecError (exit 5) past `budget`.
    An alias inside its own anchor (a recursive schema, `&node {properties: {self: *node}}`) counts once
    there: the diff cuts such cycles by identity, as it does `$ref` cycles."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        key = id(node)
        if done:
            sizes[key] = total = 1 + sum(sizes.get(id(child), 1) for child in children)
            open_.discard(key)
            if total > budget:
                raise SpecError(f"{source}: the document has more than {budget:,} nodes once its YAML aliases "
                                "are expanded (relmgr's budget, docs/safety.md); refusing to read it")
        elif key not in sizes and key not in open_:
            open_.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children)
    return sizes.get(id(document), 1)


def _describe(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return str(problem)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"


def _check_openapi(document: Any, source: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        kind = "empty" if document is None else type(document).__name__
        raise SpecError(f"{source}: not an OpenAPI document (the top level is {kind}, not a mapping)")
    version = document.get("openapi")
    if version is not None:
        if not str(version).startswith("3."):
            raise SpecError(f"{source}: OpenAPI version {version!r} is not supported (3.x or Swagger 2.0)")
    elif str(document.get("swagger", "")) != "2.0":
        raise SpecError(f"{source}: not an OpenAPI document (no `openapi: 3.x` or `swagger: '2.0'` field)")
    paths = document.get("paths")
    if paths is not None and not isinstance(paths, Mapping):
        raise SpecError(f"{source}: `paths` must be a mapping of path templates to path items")
    return document


class SpecCache:
    """Parsed specs keyed by a caller-given key (a git blob id), so each blob is parsed once per run.

    Failures are cached too: a broken blob raises the same SpecError without being parsed again.
    `maxsize=None` keeps everything; otherwise the least recently used entry is dropped.
    """

    def __init__(self, maxsize: int | None = 256) -> None:
        self._maxsize = maxsize
        self._entries: OrderedDict[str, dict[str, Any] | SpecError] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def load(self, key: str, data: str | bytes, source: str) -> dict[str, Any]:
        """The parsed spec for `key`, parsing `data` only the first time."""
        return self.get_or_load(key, lambda: data, source)

    def get_or_load(self, key: str, read: Callable[[], str | bytes], source: str) -> dict[str, Any]:
        """Like `load`, but calls `read()` (say, `git show`) only when `key` is not cached."""
        entry = self._entries.get(key)
        if entry is None:
            try:
                entry = load_spec(read(), source)
            except SpecError as error:
                entry = error
            self._store(key, entry)
        else:
            self._entries.move_to_end(key)
        if isinstance(entry, SpecError):
            raise entry
        return entry

    def put(self, key: str, document: dict[str, Any]) -> None:
        """Remember a document parsed elsewhere (relmgr's cache on disk) under `key`."""
        self._store(key, document)

    def _store(self, key: str, entry: dict[str, Any] | SpecError) -> None:
        self._entries[key] = entry
        if self._maxsize is not None:
            while len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)
