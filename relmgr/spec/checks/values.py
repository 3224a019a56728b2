"""Values: `enum` (and `x-extensible-enum`), `default` and `const`.

A request restricted to fewer values breaks the clients that sent the others; a response that may
return a value clients never saw may break them (unless the enum is declared extensible).

Emits: *-became-enum, request-header-property-became-enum, *-enum-value-added/-removed,
response-mediatype-enum-value-removed, *-x-extensible-enum-value-removed, *-default-value-*, *-const-*.
"""

from __future__ import annotations

from relmgr.spec.checks.base import at, handler, rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.nodes import Delta
from relmgr.spec.place import ByPlace, Finding, Kind, Place, quote
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _RESP, _PARAMS = Direction.REQUEST, Direction.RESPONSE, Area.PARAMETERS
_body_enum = RuleTable("RequestBodyBecameEnumCheck", _REQ, Area.SCHEMA)
_prop_enum = RuleTable("RequestPropertyBecameEnumCheck", _REQ, Area.SCHEMA)
_param_enum = RuleTable("RequestParameterBecameEnumCheck", _REQ, _PARAMS)
_header_enum = RuleTable("RequestHeaderPropertyBecameEnumCheck", _REQ, _PARAMS)
BECAME_ENUM = ByPlace(
    request_body=_body_enum.add("request-body-became-enum", E, "the request body was restricted to the enum {values}"),
    request_property=_prop_enum.add("request-property-became-enum", E,
                                    "the request property '{property}' was restricted to the enum {values}"),
    parameter=_param_enum.add("request-parameter-became-enum", E,
                              "the {location} parameter '{parameter}' was restricted to the enum {values}"),
)
HEADER_BECAME_ENUM = ByPlace(
    parameter=_header_enum.add("request-header-property-became-enum", E,
                               "the header '{parameter}'{of_property} was restricted to the enum {values}"),
)
HEADER_BECAME_ENUM_NESTED = ByPlace(parameter_property=HEADER_BECAME_ENUM.parameter)


@handler("became-enum")
def _became_enum(delta: Delta, place: Place) -> list[Finding]:
    if not place.request or (delta.path and delta.read_only):
        return []
    values = ", ".join(quote(v) for v in delta.after)
    found = at(BECAME_ENUM, delta, place, values=values)
    if place.kind is Kind.PARAMETER and place.location == "header":
        of = f" property '{'/'.join(delta.path)}'" if delta.path else ""
        ids = HEADER_BECAME_ENUM_NESTED if delta.path else HEADER_BECAME_ENUM
        found += at(ids, delta, place, values=values, of_property=of)
    return found


_body_removed = RuleTable("RequestBodyEnumValueRemovedCheck", _REQ, Area.SCHEMA)
_prop_values = RuleTable("RequestPropertyEnumValueUpdatedCheck", _REQ, Area.SCHEMA)
_param_values = RuleTable("RequestParameterEnumValueUpdatedCheck", _REQ, _PARAMS)
_resp_removed = RuleTable("ResponseParameterEnumValueRemovedCheck", _RESP, Area.SCHEMA)
_media_removed = RuleTable("ResponseMediaTypeEnumValueRemovedCheck", _RESP, Area.SCHEMA)
_resp_added = RuleTable("ResponsePropertyEnumValueAddedCheck", _RESP, Area.SCHEMA)
ENUM_REMOVED = ByPlace(
    _body_removed.add("request-body-enum-value-removed", E, "removed the enum value {value} of the request body"),
    _prop_values.add("request-property-enum-value-removed", E,
                     "removed the enum value {value} of the request property '{property}'"),
    _media_removed.add("response-mediatype-enum-value-removed", INF,
                       "removed the enum value {value} of the response body for status {status}"),
    _resp_removed.add("response-property-enum-value-removed", INF,
                      "removed the enum value {value} of the response property '{property}' for status {status}"),
    _param_values.add("request-parameter-enum-value-removed", E,
                      "removed the enum value {value} of the {location} parameter '{parameter}'"),
    _param_values.add("request-parameter-property-enum-value-removed", E,
                      "removed the enum value {value} of the property '{property}' of the {location} parameter "
                      "'{parameter}'"),
)
READ_ONLY_ENUM_REMOVED = ByPlace(
    request_property=_prop_values.add("request-read-only-property-enum-value-removed", INF,
                                      "removed the enum value {value} of the read-only request property "
                                      "'{property}'"),
)
ENUM_ADDED = ByPlace(
    request_property=_prop_values.add("request-property-enum-value-added", INF,
                                      "added the enum value {value} to the request property '{property}'"),
    response_property=_resp_added.add("response-property-enum-value-added", W,
                                      "added the enum value {value} to the response property '{property}' for "
                                      "status {status}: clients may not handle it"),
    parameter=_param_values.add("request-parameter-enum-value-added", INF,
                                "added the enum value {value} to the {location} parameter '{parameter}'"),
    parameter_property=_param_values.add("request-parameter-property-enum-value-added", INF,
                                         "added the enum value {value} to the property '{property}' of the "
                                         "{location} parameter '{parameter}'"),
)
WRITE_ONLY_ENUM_ADDED = ByPlace(
    response_property=_resp_added.add("response-write-only-property-enum-value-added", INF,
                                      "added the enum value {value} to the write-only response property "
                                      "'{property}' for status {status}"),
)


@handler("enum-value-removed")
def _enum_removed(delta: Delta, place: Place) -> list[Finding]:
    read_only = place.request and place.kind is Kind.BODY and delta.read_only
    return at(READ_ONLY_ENUM_REMOVED if read_only else ENUM_REMOVED, delta, place, value=quote(delta.before))


@handler("enum-value-added")
def _enum_added(delta: Delta, place: Place) -> list[Finding]:
    write_only = not place.request and delta.write_only
    return at(WRITE_ONLY_ENUM_ADDED if write_only else ENUM_ADDED, delta, place, value=quote(delta.after))


_xprop = RuleTable("RequestPropertyXExtensibleEnumValueRemovedCheck", _REQ, Area.SCHEMA)
_xparam = RuleTable("RequestParameterXExtensibleEnumValueRemovedCheck", _REQ, _PARAMS)
EXTENSIBLE_REMOVED = ByPlace(
    request_property=_xprop.add("request-property-x-extensible-enum-value-removed", E,
                                "removed the x-extensible-enum value {value} of the request property '{property}'"),
    parameter=_xparam.add("request-parameter-x-extensible-enum-value-removed", E,
                          "removed the x-extensible-enum value {value} of the {location} parameter '{parameter}'"),
)


@handler("x-extensible-enum-value-removed")
def _extensible_removed(delta: Delta, place: Place) -> list[Finding]:
    return at(EXTENSIBLE_REMOVED, delta, place, value=quote(delta.before))


_dreq = RuleTable("RequestPropertyDefaultValueChangedCheck", _REQ, Area.SCHEMA)
_dresp = RuleTable("ResponsePropertyDefaultValueChangedCheck", _RESP, Area.SCHEMA)
_dparam = RuleTable("RequestParameterDefaultValueChangedCheck", _REQ, _PARAMS)


_RB, _RP = "the request body", "the request property '{property}'"
_SB, _SP = "the response body for status {status}", "the response property '{property}' for status {status}"
_PA = "the {location} parameter '{parameter}'"
_ADDED, _REMOVED, _CHANGED = " got the default {after}", " lost the default {before}", \
    " default changed from {before} to {after}"
DEFAULT_ADDED = ByPlace(
    _dreq.add("request-body-default-value-added", INF, _RB + _ADDED),
    _dreq.add("request-property-default-value-added", INF, _RP + _ADDED),
    _dresp.add("response-body-default-value-added", INF, _SB + _ADDED),
    _dresp.add("response-property-default-value-added", INF, _SP + _ADDED),
    _dparam.add("request-parameter-default-value-added", E, _PA + _ADDED),
)
DEFAULT_REMOVED = ByPlace(
    _dreq.add("request-body-default-value-removed", INF, _RB + _REMOVED),
    _dreq.add("request-property-default-value-removed", INF, _RP + _REMOVED),
    _dresp.add("response-body-default-value-removed", INF, _SB + _REMOVED),
    _dresp.add("response-property-default-value-removed", INF, _SP + _REMOVED),
    _dparam.add("request-parameter-default-value-removed", E, _PA + _REMOVED),
)
DEFAULT_CHANGED = ByPlace(
    _dreq.add("request-body-default-value-changed", INF, _RB + _CHANGED),
    _dreq.add("request-property-default-value-changed", INF, _RP + _CHANGED),
    _dresp.add("response-body-default-value-changed", INF, _SB + _CHANGED),
    _dresp.add("response-property-default-value-changed", INF, _SP + _CHANGED),
    _dparam.add("request-parameter-default-value-changed", E, _PA + _CHANGED),
)


@handler("default")
def _default(delta: Delta, place: Place) -> list[Finding]:
    ids = DEFAULT_ADDED if delta.before is None else DEFAULT_REMOVED if delta.after is None else DEFAULT_CHANGED
    return at(ids, delta, place, before=quote(delta.before), after=quote(delta.after))


_creq = RuleTable("RequestPropertyConstChangedCheck", _REQ, Area.SCHEMA)
_cresp = RuleTable("ResponsePropertyConstChangedCheck", _RESP, Area.SCHEMA)
_CADDED, _CREMOVED, _CCHANGED = " got the const value {after}", " lost the const value {before}", \
    " const value changed from {before} to {after}"
CONST_ADDED = ByPlace(
    _creq.add("request-body-const-added", E, _RB + _CADDED),
    _creq.add("request-property-const-added", E, _RP + _CADDED),
    _cresp.add("response-body-const-added", INF, _SB + _CADDED),
    _cresp.add("response-property-const-added", INF, _SP + _CADDED),
)
CONST_REMOVED = ByPlace(
    _creq.add("request-body-const-removed", INF, _RB + _CREMOVED),
    _creq.add("request-property-const-removed", INF, _RP + _CREMOVED),
    _cresp.add("response-body-const-removed", E, _SB + _CREMOVED),
    _cresp.add("response-property-const-removed", E, _SP + _CREMOVED),
)
CONST_CHANGED = ByPlace(
    _creq.add("request-body-const-changed", E, _RB + _CCHANGED),
    _creq.add("request-property-const-changed", E, _RP + _CCHANGED),
    _cresp.add("response-body-const-changed", E, _SB + _CCHANGED),
    _cresp.add("response-property-const-changed", E, _SP + _CCHANGED),
)


@handler("const")
def _const(delta: Delta, place: Place) -> list[Finding]:
    ids = CONST_ADDED if delta.before is None else CONST_REMOVED if delta.after is None else CONST_CHANGED
    return at(ids, delta, place, before=quote(delta.before), after=quote(delta.after))


TABLES = rule_tables(_body_enum, _prop_enum, _param_enum, _header_enum, _body_removed, _prop_values, _param_values,
                     _resp_removed, _media_removed, _resp_added, _xprop, _xparam, _dreq, _dresp, _dparam, _creq, _cresp)
