"""Types: `type`/`format` changes, oasdiff's list of types, nullability, a body wrapped in a oneOf.

Requests are contravariant (the new type must accept every old value: widening is safe), responses
covariant (the new type must return only old values: narrowing is safe). Outside JSON every value
travels as text, so a type swap that no client can see there is "compatible", not breaking.

Emits: request-/response-body/property-type-*, request-parameter-(property-)type-*,
response-header-type-*, *-list-of-types-widened/narrowed, *-became-(not-)nullable, *-wrapped-in-one-of.
"""

from __future__ import annotations

from typing import Any

from relmgr.spec.checks.base import at, handler, rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.nodes import Delta
from relmgr.spec.place import ByPlace, Finding, Kind, Place, quote
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_req = RuleTable("RequestPropertyTypeChangedCheck", Direction.REQUEST, Area.SCHEMA)
_resp = RuleTable("ResponsePropertyTypeChangedCheck", Direction.RESPONSE, Area.SCHEMA)
_param = RuleTable("RequestParameterTypeChangedCheck", Direction.REQUEST, Area.PARAMETERS)
_header = RuleTable("ResponseHeaderTypeChangedCheck", Direction.RESPONSE, Area.HEADERS)
_BODY = "the request body {dimension} changed from {before} to {after}"
_PROP = "the request property '{property}' {dimension} changed from {before} to {after}"
_RBODY = "the response body {dimension} for status {status} changed from {before} to {after}"
_RPROP = "the response property '{property}' {dimension} for status {status} changed from {before} to {after}"
_PARAM = "the {location} parameter '{parameter}' {dimension} changed from {before} to {after}"
_PPROP = ("the property '{property}' of the {location} parameter '{parameter}' {dimension} changed from {before} "
          "to {after}")
_HEAD = "the response header '{header}' {dimension} for status {status} changed from {before} to {after}"
_WIDER, _SAFE = " (a widening)", " (compatible: the values travel as text)"
TYPE_CHANGED = ByPlace(
    _req.add("request-body-type-changed", E, _BODY),
    _req.add("request-property-type-changed", E, _PROP),
    _resp.add("response-body-type-changed", E, _RBODY),
    _resp.add("response-property-type-changed", E, _RPROP),
    _param.add("request-parameter-type-changed", E, _PARAM),
    _param.add("request-parameter-property-type-changed", W, _PPROP + " (breaking if the object travels as JSON)"),
    _header.add("response-header-type-changed", E, _HEAD),
)
TYPE_GENERALIZED = ByPlace(
    _req.add("request-body-type-generalized", INF, _BODY + _WIDER),
    _req.add("request-property-type-generalized", INF, _PROP + _WIDER),
    _resp.add("response-body-type-generalized", E, _RBODY + _WIDER),
    _resp.add("response-property-type-generalized", E, _RPROP + _WIDER),
    _param.add("request-parameter-type-generalized", INF, _PARAM + _WIDER),
    _param.add("request-parameter-property-type-generalized", INF, _PPROP + _WIDER),
    _header.add("response-header-type-generalized", E, _HEAD + _WIDER),
)
TYPE_SPECIALIZED = ByPlace(
    response_body=_resp.add("response-body-type-specialized", INF, _RBODY + " (a narrowing)"),
    response_property=_resp.add("response-property-type-specialized", INF, _RPROP + " (a narrowing)"),
    parameter_property=_param.add("request-parameter-property-type-specialized", E, _PPROP + " (a narrowing)"),
    header=_header.add("response-header-type-specialized", INF, _HEAD + " (a narrowing)"),
)
TYPE_COMPATIBLE = ByPlace(
    _req.add("request-body-type-compatible", INF, _BODY + _SAFE),
    _req.add("request-property-type-compatible", INF, _PROP + _SAFE),
    _resp.add("response-body-type-compatible", INF, _RBODY + _SAFE),
    _resp.add("response-property-type-compatible", INF, _RPROP + _SAFE),
    header=_header.add("response-header-type-compatible", INF, _HEAD + _SAFE),
)
_FORMATS = {
    "number": {("float", "double")},
    "integer": {("int32", "int64"), ("int32", "bigint"), ("int64", "bigint")},
    "string": {("date", "date-time"), ("time", "date-time")},
}

TypeFormat = tuple[tuple[str, ...], Any]


@handler("type")
def _type(delta: Delta, place: Place) -> list[Finding]:
    if place.request and delta.path and delta.read_only and place.kind is Kind.BODY:
        return []  # a read-only property is not sent
    before, after = delta.before, delta.after
    if place.kind is Kind.PARAMETER:
        ids = _parameter_ids(before, after, nested=bool(delta.path))
    elif place.request:
        ids = _request_ids(before, after, place.strongly_typed)
    else:
        ids = _response_ids(before, after, place.strongly_typed and place.kind is not Kind.HEADER)
    return at(ids, delta, place, **_words(before, after))


def _request_ids(old: TypeFormat, new: TypeFormat, strong: bool) -> ByPlace:
    if breaking(old, new, strong):
        return TYPE_CHANGED
    if _swapped(old[0], new[0]) and not _subset(old[0], new[0]):
        return TYPE_COMPATIBLE
    return TYPE_GENERALIZED


def _response_ids(old: TypeFormat, new: TypeFormat, strong: bool) -> ByPlace:
    if breaking(new, old, strong):  # the response frame: every new value must have been an old one
        return TYPE_GENERALIZED if old[0] != new[0] and _subset(old[0], new[0]) else TYPE_CHANGED
    if _swapped(old[0], new[0]) and not _subset(new[0], old[0]):
        return TYPE_COMPATIBLE
    return TYPE_SPECIALIZED


def _parameter_ids(old: TypeFormat, new: TypeFormat, nested: bool) -> ByPlace:
    """A parameter travels as text; an object in one may travel as JSON (strongly typed) or not."""
    if not nested:
        return TYPE_GENERALIZED if not breaking(old, new, strong=False) else TYPE_CHANGED
    strict, loose = (breaking(old, new, strong) for strong in (True, False))
    return TYPE_CHANGED if strict != loose else TYPE_SPECIALIZED if strict else TYPE_GENERALIZED


def breaking(old: TypeFormat, new: TypeFormat, strong: bool) -> bool:
    """Does a value valid for `old` risk being invalid for `new` (oasdiff's type and format lattice)?"""
    (old_types, old_format), (new_types, new_format) = old, new
    type_diff = old_types != new_types and not _subset(old_types, new_types)
    if type_diff and not new_types:
        return False  # no type constraint any more: any value
    added = [t for t in new_types if t not in old_types]
    deleted = [t for t in old_types if t not in new_types]
    type_breaking = type_diff and not _contained(added, deleted, strong)
    format_breaking = old_format != new_format and not _format_contained(new_types, new_format, old_format)
    return type_breaking or format_breaking


def _contained(added: list[str], deleted: list[str], strong: bool) -> bool:
    if len(added) == 1 and len(deleted) == 1 and _subtype(deleted[0], added[0]):
        return True
    return not strong and (not added or added == ["string"])  # as text, anything is also a string


def _format_contained(new_types: tuple[str, ...], new_format: Any, old_format: Any) -> bool:
    if not new_format:
        return True  # a format dropped allows more
    if len(new_types) != 1:
        return False
    return (old_format, new_format) in _FORMATS.get(new_types[0], set())


def _subtype(sub: str, sup: str) -> bool:
    return sub == sup or (sub == "integer" and sup == "number")


def _subset(sub: tuple[str, ...], sup: tuple[str, ...]) -> bool:
    return bool(sub) and all(any(_subtype(t, s) for s in sup) for t in sub)


def _swapped(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    return old != new and bool(old) and bool(new)


def _words(old: TypeFormat, new: TypeFormat) -> dict[str, str]:
    type_changed, format_changed = old[0] != new[0], old[1] != new[1]
    dimension = "type/format" if type_changed and format_changed else "type" if type_changed else "format"

    def text(value: TypeFormat) -> str:
        names = ", ".join(value[0]) or "untyped"
        fmt = str(value[1]) if value[1] else "none"
        return {"type": names, "format": fmt}.get(dimension, f"{names}/{fmt}")

    return {"dimension": dimension, "before": text(old), "after": text(new)}


_lreq = RuleTable("RequestPropertyListOfTypesChangedCheck", Direction.REQUEST, Area.SCHEMA)
_lresp = RuleTable("ResponsePropertyListOfTypesChangedCheck", Direction.RESPONSE, Area.SCHEMA)
_lparam = RuleTable("RequestParameterListOfTypesChangedCheck", Direction.REQUEST, Area.PARAMETERS)
_LB = "the request body list of types was {verb} {types}"
_LP = "the request property '{property}' list of types was {verb} {types}"
_LRB = "the response body list of types for status {status} was {verb} {types}"
_LRP = "the response property '{property}' list of types for status {status} was {verb} {types}"
_LPA = "the {location} parameter '{parameter}' list of types was {verb} {types}"
_LPP = "the property '{property}' of the {location} parameter '{parameter}' list of types was {verb} {types}"
TYPES_WIDENED = ByPlace(
    _lreq.add("request-body-list-of-types-widened", INF, _LB),
    _lreq.add("request-property-list-of-types-widened", INF, _LP),
    _lresp.add("response-body-list-of-types-widened", E, _LRB),
    _lresp.add("response-property-list-of-types-widened", E, _LRP),
    _lparam.add("request-parameter-list-of-types-widened", INF, _LPA),
    _lparam.add("request-parameter-property-list-of-types-widened", INF, _LPP),
)
TYPES_NARROWED = ByPlace(
    _lreq.add("request-body-list-of-types-narrowed", E, _LB),
    _lreq.add("request-property-list-of-types-narrowed", E, _LP),
    _lresp.add("response-body-list-of-types-narrowed", INF, _LRB),
    _lresp.add("response-property-list-of-types-narrowed", INF, _LRP),
    _lparam.add("request-parameter-list-of-types-narrowed", E, _LPA),
    _lparam.add("request-parameter-property-list-of-types-narrowed", E, _LPP),
)


@handler("list-of-types")
def _list_of_types(delta: Delta, place: Place) -> list[Finding]:
    """One finding, the breaking side's when types were both added and removed (oasdiff's rule)."""
    added = [t for t in delta.after if t not in delta.before]
    removed = [t for t in delta.before if t not in delta.after]
    narrowing = bool(removed) if place.request else not added
    if narrowing:
        return at(TYPES_NARROWED, delta, place, verb="narrowed by removing", types=", ".join(removed))
    return at(TYPES_WIDENED, delta, place, verb="widened by adding", types=", ".join(added))


_nreq = RuleTable("RequestPropertyBecameNotNullableCheck", Direction.REQUEST, Area.SCHEMA)
_nresp = RuleTable("ResponsePropertyBecameNullableCheck", Direction.RESPONSE, Area.SCHEMA)
_nparam = RuleTable("RequestParameterBecameNullableCheck", Direction.REQUEST, Area.PARAMETERS)
_nhead = RuleTable("ResponseHeaderBecameNullableCheck", Direction.RESPONSE, Area.HEADERS)
BECAME_NULLABLE = ByPlace(
    _nreq.add("request-body-became-nullable", INF, "the request body became nullable"),
    _nreq.add("request-property-became-nullable", INF, "the request property '{property}' became nullable"),
    _nresp.add("response-body-became-nullable", E, "the response body for status {status} became nullable"),
    _nresp.add("response-property-became-nullable", E,
               "the response property '{property}' for status {status} became nullable"),
    _nparam.add("request-parameter-became-nullable", INF, "the {location} parameter '{parameter}' became nullable"),
    _nparam.add("request-parameter-property-became-nullable", INF,
                "the property '{property}' of the {location} parameter '{parameter}' became nullable"),
    _nhead.add("response-header-became-nullable", E,
               "the response header '{header}' for status {status} became nullable"),
)
BECAME_NOT_NULLABLE = ByPlace(
    _nreq.add("request-body-became-not-nullable", E, "the request body became not nullable"),
    _nreq.add("request-property-became-not-nullable", E, "the request property '{property}' became not nullable"),
    _nresp.add("response-body-became-not-nullable", INF, "the response body for status {status} became not nullable"),
    _nresp.add("response-property-became-not-nullable", INF,
               "the response property '{property}' for status {status} became not nullable"),
    _nparam.add("request-parameter-became-not-nullable", E,
                "the {location} parameter '{parameter}' became not nullable"),
    _nparam.add("request-parameter-property-became-not-nullable", E,
                "the property '{property}' of the {location} parameter '{parameter}' became not nullable"),
    _nhead.add("response-header-became-not-nullable", INF,
               "the response header '{header}' for status {status} became not nullable"),
)


@handler("nullable")
def _nullable(delta: Delta, place: Place) -> list[Finding]:
    return at(BECAME_NULLABLE if delta.after else BECAME_NOT_NULLABLE, delta, place)


_wreq = RuleTable("RequestPropertyUpdatedCheck", Direction.REQUEST, Area.SCHEMA)
_wresp = RuleTable("ResponseRequiredPropertyUpdatedCheck", Direction.RESPONSE, Area.SCHEMA)
WRAPPED = ByPlace(
    request_body=_wreq.add("request-body-wrapped-in-one-of", E,
                           "the request body was restructured into a oneOf of {count} alternatives "
                           "(properties {moved} moved): a payload valid before may match several and be rejected"),
    response_body=_wresp.add("response-body-wrapped-in-one-of", E,
                             "the response body for status {status} was restructured into a oneOf of {count} "
                             "alternatives (properties {moved} moved): a field it guaranteed may be missing"),
)


@handler("wrapped-in-one-of")
def _wrapped(delta: Delta, place: Place) -> list[Finding]:
    return at(WRAPPED, delta, place, count=str(delta.after), moved=", ".join(quote(n) for n in delta.before))


TABLES = rule_tables(_req, _resp, _param, _header, _lreq, _lresp, _lparam, _nreq, _nresp, _nparam, _nhead,
                     _wreq, _wresp)
