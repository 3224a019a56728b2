"""Route moves: an operation that leaves one level's prefix and appears at another's (`/v1alpha/connectors`
→ `/v1beta/connectors`) is a level change of that operation, not a removal plus an addition.

Pure, around the engine: `diff_surfaces` runs `diff_specs`, then finds in the two documents each operation
whose method and path after the level segment left one level and appeared at another, and reports it as
one `LevelMove`, relmgr's own check `operation-level-changed` (registered with the engine's rules; oasdiff
has no such check), in place of the engine's removal and addition of it. The moves are found from the
documents, not from the engine's findings, because the engine does not report an alpha path's removal.

A move is judged as the old route's removal at its old level would be: its severity is that removal's
(ERR without deprecation or before the sunset, INFO after a deprecation), raised to ERR when the route moves
to a less stable stage (v1 → v1beta), as `api-stability-decreased` is. Keeping the old route served as well
(an alias) removes nothing, so it is no move. A move whose old route is below the stability threshold is
not reported (nor is its removal); its addition stays what the engine says.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from relmgr.policy.levels import Level, Stage
from relmgr.spec.checks import RULES
from relmgr.spec.checks.endpoints import ENDPOINT_ADDED, LEVEL_CHANGED, REMOVAL, SUNSET_PARSE, removal
from relmgr.spec.diff import diff_specs
from relmgr.spec.model import DEPRECATED_REMOVALS, LevelMove, Severity, SpecChange
from relmgr.spec.stability import DEFAULT_LEVELS_FROM, operation_level, split_level
from relmgr.spec.view import SpecView, mapping, normalize_path

OPERATION_LEVEL_CHANGED = LEVEL_CHANGED
ADDED = ENDPOINT_ADDED
REMOVALS = frozenset({*REMOVAL.values(), SUNSET_PARSE})
MOVE_PARTS = REMOVALS | {ADDED}  # the engine's findings a move stands for
Key = tuple[str, str]  # (METHOD, path template)
__all__ = ["DEPRECATED_REMOVALS", "LevelMove", "diff_surfaces", "split_level"]  # LevelMove lives in model (light)


def diff_surfaces(base: Mapping[str, Any], revision: Mapping[str, Any], *, levels_from: str = DEFAULT_LEVELS_FROM,
                  today: date | None = None, min_stage: Stage = Stage.BETA,
                  only_paths: Collection[str] | None = None, **options: Any) -> list[SpecChange]:
    """`diff_specs` (same options), with each route move reported as one `operation-level-changed`."""
    changes = diff_specs(base, revision, levels_from=levels_from, today=today, min_stage=min_stage,
                         only_paths=only_paths, **options)
    wanted = None if only_paths is None else {normalize_path(path) for path in only_paths}
    candidates = _candidates(base, revision, changes, wanted)
    if not candidates:
        return changes
    moves = find_moves(SpecView(base), SpecView(revision), levels_from=levels_from, today=today, wanted=candidates)
    kept = {key: move for key, move in moves.items() if Level.parse(move.level).stage >= min_stage}
    if not kept:
        return changes
    gone = set(kept) | {(m.method, normalize_path(m.to_path)) for m in kept.values()}
    left = [c for c in changes if not (c.id in MOVE_PARTS and (c.method, normalize_path(c.path)) in gone)]
    return sorted([*left, *kept.values()], key=SpecChange.sort_key)


def _candidates(base: Mapping[str, Any], revision: Mapping[str, Any], changes: Sequence[SpecChange],
                wanted: Collection[str] | None) -> set[str]:
    """The path templates a move may involve: a path (or an operation the engine saw removed) on one side, a
    path (or an operation it saw added) on the other, with the same path around their level segments. Most
    diffs have none, and then the documents' operations are not walked."""
    def templates(document: Mapping[str, Any]) -> set[str]:
        found = {normalize_path(str(path)) for path in mapping(document.get("paths"))}
        return found if wanted is None else found & set(wanted)

    before, after = templates(base), templates(revision)
    gone = (before - after) | {normalize_path(c.path) for c in changes if c.id in REMOVALS}
    new = (after - before) | {normalize_path(c.path) for c in changes if c.id == ADDED}
    if not gone or not new:
        return set()
    tails = ({w[1] for p in gone if (w := split_level(p))} & {w[1] for p in new if (w := split_level(p))})
    return {p for p in gone | new if (w := split_level(p)) is not None and w[1] in tails}


def find_moves(base: SpecView, revision: SpecView, *, levels_from: str, today: date | None,
               wanted: Collection[str] | None = None) -> dict[Key, LevelMove]:
    """The route moves from `base` to `revision`, by the old route's (METHOD, path template)."""
    before, after = _operations(base, wanted), _operations(revision, wanted)
    arrived: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, (path, _) in after.items():
        if key not in before and (where := split_level(path)) is not None:
            arrived.setdefault((key[0], where[1]), []).append((where[0], path))
    moves: dict[Key, LevelMove] = {}
    for key, (path, node) in before.items():
        where = split_level(path) if key not in after else None
        partners = [p for p in arrived.get((key[0], where[1]), ()) if p[0] != where[0]] if where else []
        if where is None or not partners:
            continue
        new_level, new_path = max(partners, key=lambda p: Level.parse(p[0]))  # the most stable new home
        whole = normalize_path(path) not in {normalize_path(p) for p in revision.paths}
        moves[key] = _move(key[0], path, node, where[0], new_path, new_level, whole, levels_from, today)
    return moves


def _operations(view: SpecView, wanted: Collection[str] | None) -> dict[Key, tuple[str, Mapping[str, Any]]]:
    found: dict[Key, tuple[str, Mapping[str, Any]]] = {}
    for path in view.paths:
        template = normalize_path(path)
        if wanted is None or template in wanted:
            for method, node in view.operations(path):
                found[(method.upper(), template)] = (path, node)
    return found


def _move(method: str, path: str, node: Mapping[str, Any], old: str, to_path: str, new: str, whole: bool,
          levels_from: str, today: date | None) -> LevelMove:
    gone = removal(node, path, whole_path=whole, today=today)
    rule = RULES[gone.rule_id]
    level = operation_level(node, path, levels_from)
    decreased = Level.parse(new).stage < Level.parse(old).stage
    severity = Severity.ERR if decreased else rule.severity
    how = ("after deprecating the old route" if "with-deprecation" in gone.rule_id
           else "before the old route's sunset date" if gone.rule_id.endswith("before-sunset")
           else "but the old route's x-sunset is not a date" if gone.rule_id == SUNSET_PARSE
           else "without deprecating the old route")
    details = {"to": to_path, "before": old, "after": new, "how": how}
    message = RULES[OPERATION_LEVEL_CHANGED].render(details)
    removal_details = tuple((k, v) for k, v in gone.details.items() if v)
    return LevelMove(OPERATION_LEVEL_CHANGED, severity, method, path, level.level, message, level.explicit,
                     tuple(details.items()), to_path=to_path, to_level=new, removal=gone.rule_id,
                     removal_message=rule.render(gone.details), removal_details=removal_details,
                     removal_severity=rule.severity)
