"""Properties: added, removed, required or optional, read-only or write-only, deprecated, their stability.

A request property that becomes required (or appears required) breaks clients that omit it; a
response property that disappears or becomes optional breaks clients that read it. Read-only
properties are not sent and write-only ones are not returned, so those moves are news only.

Emits: new-*-request-property*, request-property-removed, response-*-property-added/-removed,
*-property-became-required/-optional, new-required-request-header-property,
request-header-property-became-required, *-property-became-(not-)read-only/-write-only,
request-/response-property-deprecated*, -reactivated, -sunset-date-too-small,
request-/response-property-stability-decreased/-increased.
"""

from __future__ import annotations

from relmgr.spec.checks.base import handler, rule_tables
from relmgr.spec.checks.endpoints import INVALID_STABILITY
from relmgr.spec.model import Severity
from relmgr.spec.nodes import Delta
from relmgr.spec.place import Finding, Kind, Place
from relmgr.spec.registry import Area, Direction, RuleTable
from relmgr.spec.stability import deprecation_verdict, read_stability, sunset_text

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _RESP, _S = Direction.REQUEST, Direction.RESPONSE, Area.SCHEMA
_req = RuleTable("RequestPropertyUpdatedCheck", _REQ, _S)
_req_required = RuleTable("RequestPropertyRequiredUpdatedCheck", _REQ, _S)
_resp_required = RuleTable("ResponseRequiredPropertyUpdatedCheck", _RESP, _S)
_resp_optional = RuleTable("ResponseOptionalPropertyUpdatedCheck", _RESP, _S)
_resp_became_optional = RuleTable("ResponsePropertyBecameOptionalCheck", _RESP, _S)
_resp_became_required = RuleTable("ResponsePropertyBecameRequiredCheck", _RESP, _S)
_header_new = RuleTable("NewRequiredRequestHeaderPropertyCheck", _REQ, Area.PARAMETERS)
_header_required = RuleTable("RequestHeaderPropertyBecameRequiredCheck", _REQ, Area.PARAMETERS)
_P, _RP = "the request property '{property}'", "the response property '{property}' for status {status}"
NEW_REQUIRED = _req.add("new-required-request-property", E, "added the required request property '{property}'")
NEW_REQUIRED_DEFAULT = _req.add("new-required-request-property-with-default", E,
                                "added the required request property '{property}' (with a default: a request "
                                "without it is still invalid)")
NEW_OPTIONAL = _req.add("new-optional-request-property", INF, "added the optional request property '{property}'")
REMOVED = _req.add("request-property-removed", W, "removed the request property '{property}'")
BECAME_REQUIRED = _req_required.add("request-property-became-required", E, _P + " became required")
BECAME_REQUIRED_DEFAULT = _req_required.add("request-property-became-required-with-default", E,
                                            _P + " became required (it has a default)")
BECAME_OPTIONAL = _req_required.add("request-property-became-optional", INF, _P + " became optional")
# (required, write-only, added) -> ID
RESPONSE_EXISTENCE = {
    (True, False, True): _resp_required.add("response-required-property-added", INF,
                                            "added the required response property '{property}' for status {status}"),
    (True, True, True): _resp_required.add("response-required-write-only-property-added", INF,
                                           "added the required write-only response property '{property}' for "
                                           "status {status}"),
    (True, False, False): _resp_required.add("response-required-property-removed", E,
                                             "removed the required response property '{property}' for status "
                                             "{status}"),
    (True, True, False): _resp_required.add("response-required-write-only-property-removed", INF,
                                            "removed the required write-only response property '{property}' for "
                                            "status {status}"),
    (False, False, True): _resp_optional.add("response-optional-property-added", INF,
                                             "added the optional response property '{property}' for status {status}"),
    (False, True, True): _resp_optional.add("response-optional-write-only-property-added", INF,
                                            "added the optional write-only response property '{property}' for "
                                            "status {status}"),
    (False, False, False): _resp_optional.add("response-optional-property-removed", W,
                                              "removed the optional response property '{property}' for status "
                                              "{status}"),
    (False, True, False): _resp_optional.add("response-optional-write-only-property-removed", INF,
                                             "removed the optional write-only response property '{property}' for "
                                             "status {status}"),
}
RESPONSE_BECAME_OPTIONAL = _resp_became_optional.add("response-property-became-optional", E, _RP + " became optional")
RESPONSE_WRITE_ONLY_OPTIONAL = _resp_became_optional.add("response-write-only-property-became-optional", INF,
                                                         "the write-only " + _RP[4:] + " became optional")
RESPONSE_BECAME_REQUIRED = _resp_became_required.add("response-property-became-required", INF, _RP + " became required")
RESPONSE_WRITE_ONLY_REQUIRED = _resp_became_required.add("response-write-only-property-became-required", INF,
                                                         "the write-only " + _RP[4:] + " became required")
HEADER_NEW_REQUIRED = _header_new.add("new-required-request-header-property", E,
                                      "added the required property '{property}' to the header '{parameter}'")
HEADER_BECAME_REQUIRED = _header_required.add("request-header-property-became-required", E,
                                              "the property '{property}' of the header '{parameter}' became required")


def _finding(rule_id: str, delta: Delta, place: Place) -> list[Finding]:
    return [Finding(rule_id, {**place.details(), "property": "/".join(delta.path)})]


@handler("property-added")
def _added(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is Kind.PARAMETER:
        header = place.location == "header" and delta.required and not delta.read_only
        return _finding(HEADER_NEW_REQUIRED, delta, place) if header else []
    if place.kind is Kind.HEADER:
        return []
    if not place.request:
        return _finding(RESPONSE_EXISTENCE[delta.required, delta.write_only, True], delta, place)
    if delta.read_only:
        return []
    if not delta.required:
        return _finding(NEW_OPTIONAL, delta, place)
    return _finding(NEW_REQUIRED_DEFAULT if delta.has_default else NEW_REQUIRED, delta, place)


@handler("property-removed")
def _removed(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    if not place.request:
        return _finding(RESPONSE_EXISTENCE[delta.required, delta.write_only, False], delta, place)
    return [] if delta.read_only else _finding(REMOVED, delta, place)


@handler("became-required")
def _became_required(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is Kind.PARAMETER:
        header = place.location == "header" and not delta.read_only
        return _finding(HEADER_BECAME_REQUIRED, delta, place) if header else []
    if place.kind is Kind.HEADER or (place.request and delta.read_only):
        return []
    if not place.request:
        return _finding(RESPONSE_WRITE_ONLY_REQUIRED if delta.write_only else RESPONSE_BECAME_REQUIRED, delta, place)
    return _finding(BECAME_REQUIRED_DEFAULT if delta.has_default else BECAME_REQUIRED, delta, place)


@handler("became-optional")
def _became_optional(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    if not place.request:
        return _finding(RESPONSE_WRITE_ONLY_OPTIONAL if delta.write_only else RESPONSE_BECAME_OPTIONAL, delta, place)
    return _finding(BECAME_OPTIONAL, delta, place)


_access_req = RuleTable("RequestPropertyWriteOnlyReadOnlyCheck", _REQ, _S)
_access_resp_required = RuleTable("ResponseRequiredPropertyWriteOnlyReadOnlyCheck", _RESP, _S)
_access_resp_optional = RuleTable("ResponseOptionalPropertyWriteOnlyReadOnlyCheck", _RESP, _S)
_Q, _R = "the {kind} request property '{property}' became {what}", \
    "the {kind} response property '{property}' for status {status} became {what}"
# (request, required, aspect, now) -> ID
ACCESS = {
    (True, True, "read-only", True): _access_req.add("request-required-property-became-read-only", INF, _Q),
    (True, True, "read-only", False): _access_req.add("request-required-property-became-not-read-only", INF, _Q),
    (True, True, "write-only", True): _access_req.add("request-required-property-became-write-only", INF, _Q),
    (True, True, "write-only", False): _access_req.add("request-required-property-became-not-write-only", INF, _Q),
    (True, False, "read-only", True): _access_req.add("request-optional-property-became-read-only", INF, _Q),
    (True, False, "read-only", False): _access_req.add("request-optional-property-became-not-read-only", INF, _Q),
    (True, False, "write-only", True): _access_req.add("request-optional-property-became-write-only", INF, _Q),
    (True, False, "write-only", False): _access_req.add("request-optional-property-became-not-write-only", INF, _Q),
    (False, True, "read-only", True): _access_resp_required.add("response-required-property-became-read-only", INF, _R),
    (False, True, "read-only", False): _access_resp_required.add("response-required-property-became-not-read-only",
                                                                 INF, _R),
    (False, True, "write-only", True): _access_resp_required.add("response-required-property-became-write-only",
                                                                 INF, _R),
    (False, True, "write-only", False): _access_resp_required.add("response-required-property-became-not-write-only",
                                                                  W, _R + ": clients may not have sent it"),
    (False, False, "read-only", True): _access_resp_optional.add("response-optional-property-became-read-only",
                                                                 INF, _R),
    (False, False, "read-only", False): _access_resp_optional.add("response-optional-property-became-not-read-only",
                                                                  INF, _R),
    (False, False, "write-only", True): _access_resp_optional.add("response-optional-property-became-write-only",
                                                                  INF, _R),
    (False, False, "write-only", False): _access_resp_optional.add(
        "response-optional-property-became-not-write-only", INF, _R),
}


@handler("read-only", "write-only")
def _access(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    rule_id = ACCESS[place.request, delta.required, delta.aspect, bool(delta.after)]
    what = delta.aspect if delta.after else f"not {delta.aspect}"
    kind = "required" if delta.required else "optional"
    return [Finding(rule_id, {**place.details(), "property": "/".join(delta.path), "what": what, "kind": kind})]


_dep_req = RuleTable("RequestPropertyDeprecationCheck", _REQ, _S)
_dep_resp = RuleTable("ResponsePropertyDeprecationCheck", _RESP, _S)
_DR, _DS = "the request property '{property}'", "the response property '{property}'"
_WITH, _MISSING = " was deprecated with the sunset date {date}", \
    " was deprecated without the x-sunset date the deprecation policy asks for ({days} days' notice)"
_INVALID, _SOON = " was deprecated with an x-sunset that is not a date: {date}", \
    " sunset date {date} is sooner than the {days} days' notice the deprecation policy asks for"
# request side, response side: verdict -> ID (lifecycle.deprecation_verdict's verdicts)
DEPRECATION = {
    True: {
        "deprecated": _dep_req.add("request-property-deprecated", INF, _DR + " was deprecated"),
        "with-sunset": _dep_req.add("request-property-deprecated-with-sunset", INF, _DR + _WITH),
        "no-sunset": _dep_req.add("request-property-deprecated-sunset-missing", E, _DR + _MISSING),
        "bad-sunset": _dep_req.add("request-property-deprecated-sunset-invalid", E, _DR + _INVALID),
        "too-soon": _dep_req.add("request-property-sunset-date-too-small", E, _DR + _SOON),
        "reactivated": _dep_req.add("request-property-reactivated", INF, _DR + " is no longer deprecated"),
    },
    False: {
        "deprecated": _dep_resp.add("response-property-deprecated", INF, _DS + " was deprecated"),
        "with-sunset": _dep_resp.add("response-property-deprecated-with-sunset", INF, _DS + _WITH),
        "no-sunset": _dep_resp.add("response-property-deprecated-sunset-missing", E, _DS + _MISSING),
        "bad-sunset": _dep_resp.add("response-property-deprecated-sunset-invalid", E, _DS + _INVALID),
        "too-soon": _dep_resp.add("response-property-sunset-date-too-small", E, _DS + _SOON),
        "reactivated": _dep_resp.add("response-property-reactivated", INF, _DS + " is no longer deprecated"),
    },
}


@handler("deprecated", "reactivated")
def _deprecation(delta: Delta, place: Place) -> list[Finding]:
    """A property (or item schema) deprecated, judged like an operation's deprecation (oasdiff's policy)."""
    if place.kind is not Kind.BODY or not delta.path or not place.lifecycle.judged:
        return []
    policy = place.lifecycle
    verdict = "reactivated" if delta.aspect == "reactivated" else \
        deprecation_verdict(delta.after, policy.deprecation_days, policy.today)
    when = sunset_text(delta.after) or ""
    details = {**place.details(), "property": "/".join(delta.path), "date": when,
               "days": str(policy.deprecation_days)}
    return [Finding(DEPRECATION[place.request][verdict], details)]


_stab = RuleTable("", _REQ, _S)  # oasdiff reports these outside its check functions
_stab_resp = RuleTable("", _RESP, _S)
_LEVEL = " stability level {verb} from {before} to {after}"
STABILITY = {
    (True, "decreased"): _stab.add("request-property-stability-decreased", E, _DR + _LEVEL),
    (True, "increased"): _stab.add("request-property-stability-increased", INF, _DR + _LEVEL),
    (False, "decreased"): _stab_resp.add("response-property-stability-decreased", E, _DS + _LEVEL),
    (False, "increased"): _stab_resp.add("response-property-stability-increased", INF, _DS + _LEVEL),
}


@handler("stability")
def _stability(delta: Delta, place: Place) -> list[Finding]:
    """A property's x-stability-level (a missing one is stable), gated on its base level like operations'."""
    if place.kind is not Kind.BODY or not delta.path:
        return []
    before, after = read_stability(delta.before), read_stability(delta.after)
    details = {**place.details(), "property": "/".join(delta.path)}
    invalid = next((level for level in (before, after) if not level.valid), None)
    if invalid is not None:
        return [Finding(INVALID_STABILITY, {**details, "raw": invalid.raw or "", "what": "property"})]
    if before.stage == after.stage or before.stage < place.lifecycle.min_stage:
        return []
    verb = "decreased" if after.stage < before.stage else "increased"
    words = {"verb": verb, "before": before.level, "after": after.level}
    return [Finding(STABILITY[place.request, verb], {**details, **words})]


TABLES = rule_tables(_req, _req_required, _resp_required, _resp_optional, _resp_became_optional,
                     _resp_became_required, _header_new, _header_required, _access_req, _access_resp_required,
                     _access_resp_optional, _dep_req, _dep_resp, _stab, _stab_resp)
