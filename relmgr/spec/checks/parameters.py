"""Parameters: added, removed, required or optional, deprecated, their sunset dates.

(A parameter's schema changes are the schema families' business, at a parameter place.)

Emits: new-required/optional-request-parameter, new-request-path-parameter,
new-required/optional-request-default-parameter-to-existing-path, request-parameter-removed(-*),
request-parameter-sunset-parse, request-parameter-became-required/-optional,
request-parameter-deprecated(-sunset-missing), request-parameter-reactivated,
request-parameter-sunset-date-too-small, request-parameter-sunset-deleted,
request-parameter-sunset-date-changed-too-small.
"""

from __future__ import annotations

from datetime import date

from relmgr.spec.checks.base import rule_tables
from relmgr.spec.checks.endpoints import sunset_change
from relmgr.spec.model import Severity
from relmgr.spec.place import Finding, quote
from relmgr.spec.registry import Area, Direction, RuleTable
from relmgr.spec.stability import deprecation_verdict, sunset_status, sunset_text
from relmgr.spec.view import Parameter

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _P = Direction.REQUEST, Area.PARAMETERS
_new = RuleTable("NewRequestNonPathParameterCheck", _REQ, _P)
_new_path = RuleTable("NewRequestPathParameterCheck", _REQ, _P)
_new_default = RuleTable("NewRequestNonPathDefaultParameterCheck", _REQ, _P)
_removed = RuleTable("RequestParameterRemovedCheck", _REQ, _P)
_required = RuleTable("RequestParameterRequiredValueUpdatedCheck", _REQ, _P)
_deprecation = RuleTable("RequestParameterDeprecationCheck", _REQ, _P)
_sunset = RuleTable("RequestParameterSunsetChangedCheck", _REQ, _P)
_THE = "the {location} parameter '{parameter}'"
NEW = {
    True: _new.add("new-required-request-parameter", E, "added the required {location} parameter '{parameter}'"),
    False: _new.add("new-optional-request-parameter", INF, "added the optional {location} parameter '{parameter}'"),
}
NEW_PATH = _new_path.add("new-request-path-parameter", E, "added the path parameter '{parameter}'")
NEW_DEFAULT = {
    True: _new_default.add("new-required-request-default-parameter-to-existing-path", E,
                           "added the required {location} parameter '{parameter}' to the path item"),
    False: _new_default.add("new-optional-request-default-parameter-to-existing-path", INF,
                            "added the optional {location} parameter '{parameter}' to the path item"),
}
REMOVED = {
    "kept": _removed.add("request-parameter-removed", W, "removed the {need} {location} parameter '{parameter}'"),
    "none": _removed.add("request-parameter-removed-with-deprecation", INF,
                         "removed the deprecated {need} {location} parameter '{parameter}' ({when})"),
    "future": _removed.add("request-parameter-removed-before-sunset", E,
                           "removed the deprecated {need} {location} parameter '{parameter}' before its sunset date "
                           "{date}"),
    "invalid": _removed.add("request-parameter-sunset-parse", E, _THE + " has an x-sunset that is not a date: {date}"),
}
BECAME = {
    True: _required.add("request-parameter-became-required", E, _THE + " became required"),
    False: _required.add("request-parameter-became-optional", INF, _THE + " became optional"),
}
DEPRECATION = {
    "deprecated": _deprecation.add("request-parameter-deprecated", INF, _THE + " was deprecated{when}"),
    "no-sunset": _deprecation.add("request-parameter-deprecated-sunset-missing", E,
                                       _THE + " was deprecated without the x-sunset date the deprecation policy "
                                       "asks for ({days} days' notice)"),
    "bad-sunset": REMOVED["invalid"],
    "too-soon": _deprecation.add("request-parameter-sunset-date-too-small", E,
                                 _THE + " sunset date {date} is sooner than the {days} days' notice the deprecation "
                                 "policy asks for"),
}
REACTIVATED = _deprecation.add("request-parameter-reactivated", INF, _THE + " is no longer deprecated")
SUNSET_DELETED = _sunset.add("request-parameter-sunset-deleted", E,
                             _THE + " lost its x-sunset date but stays deprecated")
SUNSET_TOO_SOON = _sunset.add("request-parameter-sunset-date-changed-too-small", E,
                              _THE + " sunset date moved earlier, from {before} to {after}, inside the {days} days' "
                              "notice the deprecation policy asks for")


def _words(parameter: Parameter) -> dict[str, str]:
    return {"location": parameter.location, "parameter": parameter.name,
            "need": "required" if parameter.required else "optional"}


def added(parameter: Parameter) -> Finding:
    if parameter.location == "path":
        return Finding(NEW_PATH, _words(parameter))
    table = NEW_DEFAULT if parameter.from_path_item else NEW
    return Finding(table[parameter.required], _words(parameter))


def removed(parameter: Parameter, today: date | None) -> Finding:
    sunset = parameter.node.get("x-sunset")
    status = "kept" if not parameter.deprecated else sunset_status(sunset, today)
    when = "after its sunset date" if status == "past" else "no sunset date"
    words = {**_words(parameter), "date": quote(sunset_text(sunset)), "when": when}
    return Finding(REMOVED["none" if status == "past" else status], words)


def changed(before: Parameter, after: Parameter, days: int | None, today: date | None) -> list[Finding]:
    """Requiredness, deprecation (with the operation's deprecation days) and sunset changes of one parameter.

    `days` None: the operation's level is unreadable, so its deprecations are not judged (oasdiff's rule).
    """
    found = [Finding(BECAME[after.required], _words(after))] if before.required != after.required else []
    if days is None:
        return found
    if before.deprecated != after.deprecated:
        found.append(_deprecation_finding(after, days, today))
    found += [Finding(f.rule_id, {**_words(after), **f.details}) for f in sunset_change(
        (before.node, after.node), days, today, (SUNSET_DELETED, SUNSET_TOO_SOON, REMOVED["invalid"]))]
    return found


def _deprecation_finding(parameter: Parameter, days: int, today: date | None) -> Finding:
    if not parameter.deprecated:
        return Finding(REACTIVATED, _words(parameter))
    sunset = parameter.node.get("x-sunset")
    verdict = deprecation_verdict(sunset, days, today)
    when = f" with the sunset date {quote(sunset_text(sunset))}" if verdict == "with-sunset" else ""
    words = {**_words(parameter), "date": quote(sunset_text(sunset)), "days": str(days), "when": when}
    return Finding(DEPRECATION["deprecated" if verdict == "with-sunset" else verdict], words)


TABLES = rule_tables(_new, _new_path, _new_default, _removed, _required, _deprecation, _sunset)
