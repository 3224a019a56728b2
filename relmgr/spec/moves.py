"""Route moves: an operation that leaves one level's prefix and appears at another's (`/v1alpha/connectors`
→ `/v1beta/connectors`) is a level change of that operation, not a removal plus an addition.

Pure, on the engine's output: `pair_moves` turns each such removal (`api-removed-…`, `api-path-removed-…`)
and addition (`endpoint-added`) of the same method and the same path after the level segment into one
`LevelMove`, relmgr's own check `operation-level-changed` (oasdiff has no such check). It is judged as the
old route's removal at its old level would be: its severity is the removal's (ERR without deprecation or
before the sunset, INFO after a deprecation), raised to ERR when the route moves to a less stable stage
(v1 → v1beta), as `api-stability-decreased` is. Keeping the old route served as well (an alias) removes
nothing, so it is no move.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from relmgr.policy.levels import Level
from relmgr.spec.catalog import RULES
from relmgr.spec.model import Severity, SpecChange
from relmgr.spec.view import normalize_path

OPERATION_LEVEL_CHANGED = "operation-level-changed"
ADDED = "endpoint-added"
_REMOVAL = re.compile(r"^api-(?:path-)?(?:removed-(?:with|without)-deprecation|removed-before-sunset|sunset-parse)$|"
                      r"^api-path-sunset-parse$")
_LEVEL_SEGMENT = re.compile(r"^v[1-9][0-9]*(?:alpha|beta)?$")
DEPRECATED_REMOVALS = frozenset({"api-removed-with-deprecation", "api-path-removed-with-deprecation",
                                 "api-removed-before-sunset", "api-path-removed-before-sunset"})


@dataclass(frozen=True, slots=True)
class LevelMove(SpecChange):
    """`operation-level-changed`: `path`/`level` are the old route's, `to_path`/`to_level` the new one's;
    `removal` is the check the old route's removal alone would have been (`removal_message` its text)."""

    to_path: str = ""
    to_level: str = ""
    removal: str = ""
    removal_message: str = ""

    def as_removal(self) -> SpecChange:
        """The old route's removal, as the engine reported it before pairing."""
        return SpecChange(self.removal, RULES[self.removal], self.method, self.path, self.level, self.removal_message,
                          self.explicit)


def split_level(path: str) -> tuple[str, str] | None:
    """(`v1alpha`, `/connectors/{}`) for `/v1alpha/connectors/{id}`: the first path segment that names a
    level and the path after it, parameter names aside; None when no segment names a level."""
    segments = normalize_path(path).split("/")
    for index, segment in enumerate(segments):
        if _LEVEL_SEGMENT.match(segment):
            return segment, "/".join([*segments[:index], "{level}", *segments[index + 1:]])
    return None


def pair_moves(changes: Sequence[SpecChange]) -> list[SpecChange]:
    """`changes` (one diff's) with each removal + addition of a moved route replaced by one `LevelMove`."""
    added: dict[tuple[str, str], list[tuple[int, SpecChange, str]]] = {}
    for index, change in enumerate(changes):
        if change.id == ADDED and (where := split_level(change.path)) is not None:
            added.setdefault((change.method, where[1]), []).append((index, change, where[0]))
    if not added:
        return list(changes)
    taken: set[int] = set()
    moves: dict[int, SpecChange] = {}
    for index, change in enumerate(changes):
        where = split_level(change.path) if _REMOVAL.match(change.id) else None
        if where is None:
            continue
        partners = [p for p in added.get((change.method, where[1]), ()) if p[2] != where[0] and p[0] not in taken]
        if partners:
            partner = max(partners, key=lambda p: Level.parse(p[2]))  # the most stable new home
            taken.add(partner[0])
            moves[index] = _move(change, where[0], partner[1], partner[2])
    if not moves:
        return list(changes)
    kept = [moves.get(i, change) for i, change in enumerate(changes) if i not in taken]
    return sorted(kept, key=SpecChange.sort_key)


def _move(removal: SpecChange, old: str, addition: SpecChange, new: str) -> LevelMove:
    decreased = Level.parse(new).stage < Level.parse(old).stage
    severity = Severity.ERR if decreased else removal.severity
    how = ("after deprecating the old route" if "with-deprecation" in removal.id
           else "before the old route's sunset date" if removal.id.endswith("before-sunset")
           else "but the old route's x-sunset is not a date" if removal.id.endswith("sunset-parse")
           else "without deprecating the old route")
    message = f"moved to {addition.path} ({old} → {new}) {how}"
    return LevelMove(OPERATION_LEVEL_CHANGED, severity, removal.method, removal.path, removal.level, message,
                     removal.explicit, to_path=addition.path, to_level=new, removal=removal.id,
                     removal_message=removal.message)


def is_move(change: SpecChange) -> bool:
    return isinstance(change, LevelMove)
