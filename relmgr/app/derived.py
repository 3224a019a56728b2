"""What relmgr derives from parsed specs, as data for its cache on disk (relmgr/cache.py): a surface's composition
conflicts, its operations, the changes between two surfaces.

Each entry's key holds every input of what it stores: the surfaces' blob ids (their content), and the options
the result depends on (`levels-from`, the date sunsets are judged by, the paths compared). relmgr's version is in
every entry's header, so a release that changes the engine never reads an older one's results. A value read back
that is not what `dump_*` writes (a planted or damaged entry the checksum did not catch) is a miss: the `load_*`
functions raise nothing, they return None.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from relmgr.spec.compose import Conflict
from relmgr.spec.model import LevelMove, Operation, Severity, SpecChange

SurfaceKey = tuple[tuple[str, str], ...]  # (configured spec, blob id) of each file of a surface

_CHANGE = ("id", "severity", "method", "path", "level", "message", "explicit")
_MOVE = ("to_path", "to_level", "removal", "removal_message")


def surface_key(key: SurfaceKey | None) -> str:
    """A surface's files and blobs as text; `empty` for the side of a spec that is not there yet."""
    return "empty" if key is None else ";".join(f"{spec}={blob}" for spec, blob in key)


def diff_key(base: SurfaceKey | None, revision: SurfaceKey | None, levels_from: str, today: date | None,
             only_paths: Collection[str] | None) -> str:
    """Every input of one diff of two surfaces (the rule set and engine are relmgr's version's)."""
    paths = "*" if only_paths is None else hashlib.sha256("\n".join(sorted(only_paths)).encode()).hexdigest()
    return f"{surface_key(base)}|{surface_key(revision)}|{levels_from}|{today}|{paths}"


def dump_changes(changes: Sequence[SpecChange]) -> list[dict[str, Any]]:
    found = []
    for change in changes:
        entry: dict[str, Any] = {name: getattr(change, name) for name in _CHANGE}
        entry["details"] = [list(pair) for pair in change.details]
        if isinstance(change, LevelMove):
            entry["move"] = {name: getattr(change, name) for name in _MOVE}
            entry["move"]["removal_details"] = [list(pair) for pair in change.removal_details]
            entry["move"]["removal_severity"] = change.removal_severity
        found.append(entry)
    return found


def load_changes(value: Any) -> list[SpecChange] | None:
    if not isinstance(value, list):
        return None
    try:
        found: list[SpecChange] = []
        for entry in value:
            fields = {name: entry[name] for name in _CHANGE}
            fields["severity"] = Severity(fields["severity"])
            fields["details"] = _pairs(entry["details"])
            if not all(isinstance(fields[name], str) for name in ("id", "method", "path", "level", "message")):
                return None
            move = entry.get("move")
            if move is None:
                found.append(SpecChange(**fields))
            else:
                more = {name: move[name] for name in _MOVE}
                if not all(isinstance(text, str) for text in more.values()):
                    return None
                found.append(LevelMove(**fields, **more, removal_details=_pairs(move["removal_details"]),
                                       removal_severity=Severity(move["removal_severity"])))
        return found
    except (KeyError, TypeError, ValueError):
        return None


def dump_operations(operations: Sequence[Operation]) -> list[list[Any]]:
    return [[op.method, op.path, op.level, op.deprecated, op.sunset, op.explicit] for op in operations]


def load_operations(value: Any) -> list[Operation] | None:
    if not isinstance(value, list):
        return None
    try:
        found = []
        for method, path, level, deprecated, sunset, explicit in value:
            if not (isinstance(method, str) and isinstance(path, str) and isinstance(level, str)
                    and isinstance(deprecated, bool) and isinstance(explicit, bool)
                    and (sunset is None or isinstance(sunset, str))):
                return None
            found.append(Operation(method, path, level, deprecated, sunset, explicit))
        return found
    except (TypeError, ValueError):
        return None


def dump_conflicts(conflicts: Sequence[Conflict]) -> list[list[str]]:
    return [[c.operation, c.first, c.second] for c in conflicts]


def load_conflicts(value: Any) -> list[Conflict] | None:
    if not isinstance(value, list):
        return None
    try:
        found = [Conflict(operation, first, second) for operation, first, second in value]
    except (TypeError, ValueError):
        return None
    if not all(isinstance(text, str) for c in found for text in (c.operation, c.first, c.second)):
        return None
    return found


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    pairs = tuple((name, text) for name, text in value)
    if not all(isinstance(name, str) and isinstance(text, str) for name, text in pairs):
        raise ValueError("details are (name, value) pairs of text")
    return pairs
