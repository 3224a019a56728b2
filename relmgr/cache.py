"""A cache on disk of what is costly to rebuild from a git object (a parsed spec), shared by runs and worktrees.

Where: `RELMGR_CACHE_DIR` when set, else `relmgr/` in the repository's common git dir (`git rev-parse
--git-common-dir`: the worktrees of a repository share it), then `specs-<FORMAT>/<repository>/`. Off with
`RELMGR_NO_CACHE=1` or `[tool.relmgr.openapi] cache = false`. docs/performance.md documents it, docs/ci.md
keeps it between CI runs.

Safe to share, even with someone who can write into it (a CI cache a pull request's job fills):

* an entry is data, never code: orjson's JSON (zlib-compressed), never pickle or marshal; values JSON cannot
  hold (keys that are numbers, dates, NaN, integers past 64 bits, bytes) are tagged, and revived on read;
* it is read only when its header names this format, this relmgr version, the repository (a digest of the
  common git dir's path: never another repository's entries, even in one `RELMGR_CACHE_DIR`), the kind and
  the whole key asked for, and the payload's SHA-256 matches; anything else is ignored (and rebuilt);
* writes are atomic (a temp file in the same folder, then a rename), so concurrent runs never see half a file;
* unwritable (a read-only checkout, a full disk, a folder of another user's): the first failed write turns
  writing off for the run and reports one line through `warn`, if set; reading goes on, and nothing fails;
* bounded: past `max_bytes` (default 200 MB, `RELMGR_CACHE_MAX_MB`) the least recently used entries (by mtime,
  which a read refreshes) are removed, down to 80 % of the bound.

What is cached must be a function of its key alone: the key holds every input (a blob id is its content;
derived data adds the options it was made with).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import math
import os
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

FORMAT = 1
MAGIC = b"relmgr-cache\n"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_TAG = "\x00relmgr"  # the one key of a tagged value's object: {"\x00relmgr": [kind, value]}
_INT64 = 2**63
_MAX_PAYLOAD = 256 * 1024 * 1024  # what one entry may decompress to: a planted zlib bomb is a miss
_STALE_TEMP = 3600.0  # seconds after which a temp file is a crashed writer's, not a running one's


class Cache:
    """Entries by (kind, key) in one folder, for one repository and one relmgr version."""

    def __init__(self, folder: Path, repository: str, version: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder
        self.repository = repository
        self.version = version
        self.max_bytes = max_bytes
        self._written = 0  # bytes written since the size was last checked
        self._checked = False
        self.warn: Callable[[str], None] | None = None  # told once when the cache cannot be written
        self.write_error: str | None = None  # why the first write failed: then no other is tried

    @classmethod
    def for_repository(cls, common_dir: Path, version: str,
                       environ: Mapping[str, str] = os.environ) -> Cache | None:
        """The cache of the repository whose common git dir is `common_dir`; None when turned off."""
        if environ.get("RELMGR_NO_CACHE", "") not in ("", "0"):
            return None
        where = Path(environ["RELMGR_CACHE_DIR"]) if environ.get("RELMGR_CACHE_DIR") else common_dir / "relmgr"
        repository = hashlib.sha256(os.fsencode(common_dir.resolve())).hexdigest()[:16]
        try:
            max_bytes = int(float(environ.get("RELMGR_CACHE_MAX_MB", "")) * 1024 * 1024)
        except ValueError:
            max_bytes = DEFAULT_MAX_BYTES
        return cls(where / f"specs-{FORMAT}" / repository, repository, version, max_bytes)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:40]}"

    def _header(self, kind: str, key: str) -> dict[str, Any]:
        return {"format": FORMAT, "relmgr": self.version, "repository": self.repository, "kind": kind, "key": key}

    # -- reading -----------------------------------------------------------------------------------

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored for (kind, key), or None: missing, unreadable, or not this repository's and
        version's (never an exception: a broken entry is a miss)."""
        found = self.fetch(kind, key)
        return None if found is None else found[0]

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry for (kind, key) is there (not whether it is valid: `get` decides that)."""
        return self._path(kind, key).is_file()

    def fetch(self, kind: str, key: str) -> tuple[Any, bool] | None:
        """Like `get`, with whether the value was plain JSON when stored (text keys, finite numbers, no dates)."""
        path = self._path(kind, key)
        data = self._read(path)
        found = None if data is None else self._decode(data, kind, key)
        if found is not None:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: the size bound removes the oldest first
        return found

    def _read(self, path: Path) -> bytes | None:
        """The bytes of a regular file no larger than the bound; never follows a symlink or blocks on a FIFO
        someone put there."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > self.max_bytes:
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read()
        except OSError:
            return None
        finally:
            os.close(fd)

    def _decode(self, data: bytes, kind: str, key: str) -> tuple[Any, bool] | None:
        end = data.find(b"\n", len(MAGIC))
        if not data.startswith(MAGIC) or end < 0:
            return None
        try:
            header = orjson.loads(data[len(MAGIC):end])
            payload = data[end + 1:]
            if (not isinstance(header, dict)
                    or {k: header.get(k) for k in ("format", "relmgr", "repository", "kind", "key")}
                    != self._header(kind, key) or header.get("sha256") != hashlib.sha256(payload).hexdigest()):
                return None
            inflate = zlib.decompressobj()
            text = inflate.decompress(payload, _MAX_PAYLOAD)
            if inflate.unconsumed_tail or not inflate.eof:
                return None
            value = orjson.loads(text)
            tagged = header.get("tagged") is True
            return (_revive(value) if tagged else value), not tagged
        except (orjson.JSONDecodeError, zlib.error, ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None

    # -- writing -----------------------------------------------------------------------------------

    def put(self, kind: str, key: str, value: Any, *, finite: bool = False) -> bool:
        """Store `value` (JSON data, plus what `_tag` handles) for (kind, key); False when it cannot be stored
        (a cycle, nesting past orjson's 254 levels, a full disk): the cache is a speed-up, never an error.
        After a write failed, none is tried again (`write_error`).

        `finite`: the caller knows `value` holds no NaN or infinity (orjson writes them as null); else it is
        walked to find out. Values JSON cannot hold are tagged (`_tag`: a walk in Python, the rare case)."""
        if self.write_error is not None:
            return False
        try:
            text = _plain_json(value) if finite or _finite(value) else None
            tagged = text is None
            if text is None:
                text = orjson.dumps(_tag(value))
        except (orjson.JSONEncodeError, TypeError, ValueError, RecursionError):
            return False
        payload = zlib.compress(text, 1)
        header = {**self._header(kind, key), "tagged": tagged, "sha256": hashlib.sha256(payload).hexdigest()}
        data = MAGIC + orjson.dumps(header) + b"\n" + payload
        if not self._write(self._path(kind, key), data):
            return False
        self._written += len(data)
        if not self._checked or self._written > self.max_bytes // 10:
            self.prune()
        return True

    def _write(self, path: Path, data: bytes) -> bool:
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one, never a mix
            return True
        except OSError as error:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            self._cannot_write(error)
            return False

    def _cannot_write(self, error: OSError) -> None:
        self.write_error = error.strerror or type(error).__name__
        if self.warn is not None:
            self.warn(f"the cache in {self.folder.parent.parent} cannot be written ({self.write_error}): parsed "
                      "specs are not kept for the next run; set RELMGR_CACHE_DIR to a writable folder, or "
                      "RELMGR_NO_CACHE=1 to turn the cache off")

    def prune(self) -> None:
        """Remove the least recently used entries of every repository in the cache folder while it holds
        more than `max_bytes`, down to 80 %; leftover temp files of crashed runs go too."""
        self._checked, self._written = True, 0
        entries: list[tuple[float, int, Path]] = []
        stale = time.time() - _STALE_TEMP
        for path in self.folder.parent.parent.glob("specs-*/*/*"):  # every format's and repository's
            if path.name.startswith("."):
                continue  # a writer's temp file (pathlib's glob lists dot files)
            with contextlib.suppress(OSError):
                info = path.lstat()
                entries.append((info.st_mtime, info.st_size, path))
        for path in self.folder.parent.parent.glob("specs-*/*/.*.tmp"):
            with contextlib.suppress(OSError):
                if path.lstat().st_mtime < stale:
                    path.unlink()
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries, key=lambda entry: entry[0]):
            if total <= self.max_bytes * 0.8:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


# -- values JSON cannot hold --------------------------------------------------------------------------


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _plain_json(value: Any) -> bytes | None:
    """orjson's text of `value` when that is all of it (text keys, 64-bit integers, no dates, bytes or sets)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME, default=_refuse)
    except (TypeError, orjson.JSONEncodeError):
        return None


def _finite(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            stack.extend(node.values())
        elif type(node) in (list, tuple):
            stack.extend(node)
        elif type(node) is float and not math.isfinite(node):
            return False
    return True


def _tag(node: Any) -> Any:
    kind = type(node)
    if kind is dict:
        if all(type(key) is str and key != _TAG for key in node):
            return {key: _tag(item) for key, item in node.items()}
        return {_TAG: ["map", [[_tag(key), _tag(item)] for key, item in node.items()]]}
    if kind is list:
        return [_tag(item) for item in node]
    if kind is tuple:
        return {_TAG: ["tuple", [_tag(item) for item in node]]}
    if kind is int and not -_INT64 <= node < _INT64:
        return {_TAG: ["int", str(node)]}
    if kind is float and not math.isfinite(node):
        return {_TAG: ["float", repr(node)]}
    if kind is datetime:
        return {_TAG: ["datetime", node.isoformat()]}
    if kind is date:
        return {_TAG: ["date", node.isoformat()]}
    if kind is bytes:
        return {_TAG: ["bytes", base64.b64encode(node).decode()]}
    if kind in (set, frozenset):
        return {_TAG: ["set", [_tag(item) for item in node]]}
    if kind in (str, int, float, bool, type(None)):
        return node
    raise TypeError(f"cannot cache a {kind.__name__}")


_REVIVE: dict[str, Any] = {
    "map": lambda pairs: {_revive(key): _revive(item) for key, item in pairs},
    "tuple": lambda items: tuple(_revive(item) for item in items),
    "int": int,
    "float": float,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "bytes": base64.b64decode,
    "set": lambda items: {_revive(item) for item in items},
}


def _revive(node: Any) -> Any:
    if type(node) is dict:
        if len(node) == 1 and _TAG in node:
            kind, value = node[_TAG]
            return _REVIVE[kind](value)
        return {key: _revive(item) for key, item in node.items()}
    if type(node) is list:
        return [_revive(item) for item in node]
    return node
