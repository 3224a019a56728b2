"""Paths and operations: added, removed, deprecated, sunset, stability level, operationId and tags.

A removal needs a deprecation first and, when a sunset date is set, that date passed. A deprecation
under a policy of N days (oasdiff's --deprecation-days-beta/-stable) needs a sunset at least N days out;
moving a sunset earlier than it was, inside those N days, breaks the notice given.

Emits: endpoint-added/-deprecated(-with-sunset)/-reactivated, api-(path-)removed-*, api-path-sunset-parse,
api-deprecated-sunset-*, api-sunset-date-too-small, sunset-deleted, api-sunset-date-changed-too-small,
api-stability-decreased/-increased, api-invalid-stability-level, api-operation-id-*, api-tag-*; and registers
relmgr's own operation-level-changed, which spec.moves emits after the diff (a route moved to another level).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from relmgr.spec.checks.base import rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.place import Finding, quote
from relmgr.spec.registry import Area, Direction, RuleTable
from relmgr.spec.stability import deprecation_verdict, sunset_date, sunset_status, sunset_text

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_NONE, _PATHS = Direction.NONE, Area.PATHS
_added = RuleTable("APIAddedCheck", _NONE, _PATHS)
_removed = RuleTable("APIRemovedCheck", _NONE, _PATHS)
_deprecation = RuleTable("APIDeprecationCheck", _NONE, _PATHS)
_sunset = RuleTable("APISunsetChangedCheck", _NONE, _PATHS)
_stability = RuleTable("", _NONE, _PATHS)  # oasdiff reports these outside its check functions
_operation_id = RuleTable("APIOperationIdUpdatedCheck", _NONE, _PATHS)
_tags = RuleTable("APITagUpdatedCheck", _NONE, Area.TAGS)
_moves = RuleTable("", _NONE, _PATHS)  # relmgr's own: spec.moves pairs a removal and an addition after the diff

ENDPOINT_ADDED = _added.add("endpoint-added", INF, "added the operation")
# (whole path, sunset) -> ID; the sunset is stability.sunset_status's verdict, or "kept" (not deprecated)
REMOVAL = {
    (True, "kept"): _removed.add("api-path-removed-without-deprecation", E,
                                 "removed the path {path} without deprecation"),
    (True, "none"): _removed.add("api-path-removed-with-deprecation", INF, "removed the path {path} {when}"),
    (True, "future"): _removed.add("api-path-removed-before-sunset", E,
                                   "removed the path {path} before its sunset date {date}"),
    (False, "kept"): _removed.add("api-removed-without-deprecation", E, "removed the operation without deprecation"),
    (False, "none"): _removed.add("api-removed-with-deprecation", INF, "removed the operation {when}"),
    (False, "future"): _removed.add("api-removed-before-sunset", E,
                                    "removed the operation before its sunset date {date}"),
}
SUNSET_PARSE = _removed.add("api-path-sunset-parse", E, "the x-sunset {date} is not a date (YYYY-MM-DD)")
DEPRECATION = {
    "deprecated": _deprecation.add("endpoint-deprecated", INF, "deprecated the operation"),
    "with-sunset": _deprecation.add("endpoint-deprecated-with-sunset", INF,
                                    "deprecated the operation with the sunset date {date}"),
    "no-sunset": _deprecation.add("api-deprecated-sunset-missing", E,
                                       "deprecated without an x-sunset date; the deprecation policy asks for {days} "
                                       "days' notice"),
    "bad-sunset": _deprecation.add("api-deprecated-sunset-parse", E,
                                       "deprecated with an x-sunset that is not a date: {date}"),
    "too-soon": _deprecation.add("api-sunset-date-too-small", E,
                                 "deprecated with the sunset date {date}, sooner than the {days} days' notice the "
                                 "deprecation policy asks for"),
}
REACTIVATED = _deprecation.add("endpoint-reactivated", INF, "the operation is no longer deprecated")
INVALID_STABILITY = _deprecation.add("api-invalid-stability-level", E,
                                     "the {what}'s x-stability-level {raw} is not draft, alpha, beta, stable or a "
                                     "level")
SUNSET_DELETED = _sunset.add("sunset-deleted", E, "the x-sunset date was deleted but the operation stays deprecated")
SUNSET_TOO_SOON = _sunset.add("api-sunset-date-changed-too-small", E,
                              "the sunset date moved earlier, from {before} to {after}, inside the {days} days' "
                              "notice the deprecation policy asks for")
STABILITY_DECREASED = _stability.add("api-stability-decreased", E,
                                     "endpoint stability level decreased from {before} to {after}")
STABILITY_INCREASED = _stability.add("api-stability-increased", INF,
                                     "endpoint stability level increased from {before} to {after}")
OPERATION_ID_ADDED = _operation_id.add("api-operation-id-added", INF, "the operationId {after} was added")
OPERATION_ID_REMOVED = _operation_id.add("api-operation-id-removed", INF,
                                         "the operationId {before} was removed (now {after})")
TAG_ADDED = _tags.add("api-tag-added", INF, "the tag {tag} was added")
TAG_REMOVED = _tags.add("api-tag-removed", INF, "the tag {tag} was removed")
# ERR as the old route's removal without deprecation; a move keeps its removal's severity (INFO after a
# deprecation), raised to ERR when the new level is less stable
LEVEL_CHANGED = _moves.add("operation-level-changed", E, "moved to {to} ({before} → {after}) {how}")


def removal(node: Mapping[str, Any], path: str, *, whole_path: bool, today: date | None) -> Finding:
    """APIRemovedCheck. oasdiff reports nothing once the sunset passed; an INFO keeps it in the notes."""
    sunset = node.get("x-sunset")
    status = "kept" if node.get("deprecated") is not True else sunset_status(sunset, today)
    details = {"path": path, "date": quote(sunset_text(sunset)), "when": "after deprecation"}
    if status == "invalid":
        return Finding(SUNSET_PARSE, details)
    if status == "past":
        status, details["when"] = "none", f"after its sunset date {quote(sunset_text(sunset))}"
    return Finding(REMOVAL[whole_path, status], details)


def deprecation(nodes: tuple[Mapping[str, Any], Mapping[str, Any]], days: int, today: date | None) -> list[Finding]:
    """APIDeprecationCheck, with the operation's deprecation days (0: no policy)."""
    was, now = (node.get("deprecated") is True for node in nodes)
    if was == now:
        return []
    if not now:
        return [Finding(REACTIVATED, {})]
    sunset = nodes[1].get("x-sunset")
    verdict = deprecation_verdict(sunset, days, today)
    return [Finding(DEPRECATION[verdict], {"date": quote(sunset_text(sunset)), "days": str(days)})]


def sunset_change(nodes: tuple[Mapping[str, Any], Mapping[str, Any]], days: int, today: date | None,
                  ids: tuple[str, str, str]) -> list[Finding]:
    """The x-sunset of a thing deprecated on both sides: deleted, unreadable, or moved too early.

    `ids` are the (deleted, moved too early, unreadable) IDs of the thing (operation or parameter).
    """
    before, after = (node.get("x-sunset") for node in nodes)
    if nodes[1].get("deprecated") is not True or before == after or before is None:
        return []
    deleted, too_soon, unreadable = ids
    if after is None:
        return [Finding(deleted, {})]
    try:
        old, new = sunset_date(before), sunset_date(after)
    except ValueError:
        broken = after if sunset_status(after, None) == "invalid" else before
        return [Finding(unreadable, {"date": quote(sunset_text(broken))})]
    if new < old and today is not None and (new - today).days < days:
        return [Finding(too_soon, {"before": old.isoformat(), "after": new.isoformat(), "days": str(days)})]
    return []


def operation_id(nodes: tuple[Mapping[str, Any], Mapping[str, Any]]) -> list[Finding]:
    before, after = (node.get("operationId") or None for node in nodes)
    if before == after:
        return []
    if before is None:
        return [Finding(OPERATION_ID_ADDED, {"after": quote(after)})]
    return [Finding(OPERATION_ID_REMOVED, {"before": quote(before), "after": quote(after) if after else "none"})]


def tags(nodes: tuple[Mapping[str, Any], Mapping[str, Any]]) -> list[Finding]:
    old, new = ([str(t) for t in node.get("tags") or [] if isinstance(t, str | int)] for node in nodes)
    return [Finding(TAG_REMOVED, {"tag": quote(tag)}) for tag in old if tag not in new] + [
        Finding(TAG_ADDED, {"tag": quote(tag)}) for tag in new if tag not in old
    ]


TABLES = rule_tables(_added, _removed, _deprecation, _sunset, _stability, _operation_id, _tags, _moves)
