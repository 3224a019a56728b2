"""Bounds (`maxLength`, `minimum`, `exclusiveMaximum`, `minItems`, `maxItems` ...) and `pattern`.

A request bound tightened rejects values clients sent (ERR); set where there was none, WARN (clients
may already stay inside it). A response bound loosened lets the server return values clients never
saw (ERR). The opposite moves are INFO where oasdiff has an ID for them and silent where it has none.
A read-only request property is not sent, so its tightening is INFO (`request-read-only-property-*`).

Emits: request-body/property/parameter-(exclusive-)max/min(-length/-items)-*,
request-read-only-property-*, response-body/property-* bounds, *-pattern-*.
"""

from __future__ import annotations

from relmgr.spec.checks.base import at, handler, rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.nodes import Delta
from relmgr.spec.place import ByPlace, Finding, Kind, Place, quote
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _RESP, _S, _P = Direction.REQUEST, Direction.RESPONSE, Area.SCHEMA, Area.PARAMETERS
_RB, _RP = "the request body {keyword}", "the request property '{property}' {keyword}"
_RO = "the read-only request property '{property}' {keyword}"
_SB, _SP = "the response body {keyword}", "the response property '{property}' {keyword} for status {status}"
_PA = "the {location} parameter '{parameter}' {keyword}"
_SET, _UNSET, _MOVED = " was set to {after}", " was unset (it was {before})", " was {verb} from {before} to {after}"


def _table(check: str, direction: Direction = _REQ, area: Area = _S) -> RuleTable:
    return RuleTable(check, direction, area)


_max_len, _min_len = _table("RequestPropertyMaxLengthUpdatedCheck"), _table("RequestPropertyMinLengthUpdatedCheck")
_max_len_set = _table("RequestPropertyMaxLengthSetCheck")
_max, _min = _table("RequestPropertyMaxDecreasedCheck"), _table("RequestPropertyMinIncreasedCheck")
_max_set, _min_set = _table("RequestPropertyMaxSetCheck"), _table("RequestPropertyMinSetCheck")
_min_items, _min_items_set = _table("RequestPropertyMinItemsIncreasedCheck"), _table("RequestPropertyMinItemsSetCheck")
_p_max_len, _p_min_len = _table("RequestParameterMaxLengthUpdatedCheck", area=_P), \
    _table("RequestParameterMinLengthUpdatedCheck", area=_P)
_p_max_len_set = _table("RequestParameterMaxLengthSetCheck", area=_P)
_p_max, _p_min = _table("RequestParameterMaxUpdatedCheck", area=_P), _table("RequestParameterMinUpdatedCheck", area=_P)
_p_max_set, _p_min_set = _table("RequestParameterMaxSetCheck", area=_P), _table("RequestParameterMinSetCheck", area=_P)
_p_items, _p_min_items_set = _table("RequestParameterMinItemsUpdatedCheck", area=_P), \
    _table("RequestParameterMinItemsSetCheck", area=_P)
_p_max_items = _table("RequestParameterMaxItemsUpdatedCheck", area=_P)
_s_max_len, _s_max_len_unset = _table("ResponsePropertyMaxLengthIncreasedCheck", _RESP), \
    _table("ResponsePropertyMaxLengthUnsetCheck", _RESP)
_s_min_len = _table("ResponsePropertyMinLengthDecreasedCheck", _RESP)
_s_max, _s_min = _table("ResponsePropertyMaxIncreasedCheck", _RESP), _table("ResponsePropertyMinDecreasedCheck", _RESP)
_s_min_items, _s_min_items_unset = _table("ResponsePropertyMinItemsDecreasedCheck", _RESP), \
    _table("ResponsePropertyMinItemsUnsetCheck", _RESP)


def _req(table: RuleTable, body: str, prop: str, severity: Severity, change: str) -> dict[str, str]:
    text = {"set": _SET, "unset": _UNSET}.get(change, _MOVED)
    return {"request_body": table.add(body, severity, _RB + text),
            "request_property": table.add(prop, severity, _RP + text)}


def _resp(table: RuleTable, body: str, prop: str, change: str) -> dict[str, str]:
    text = _UNSET if change == "unset" else _MOVED
    return {"response_body": table.add(body, E, _SB + text), "response_property": table.add(prop, E, _SP + text)}


def _param(table: RuleTable, rule_id: str, severity: Severity, change: str) -> dict[str, str]:
    text = {"set": _SET, "unset": _UNSET}.get(change, _MOVED)
    return {"parameter": table.add(rule_id, severity, _PA + text)}


# (aspect, change) -> IDs; a change with no entry is not reported
BOUNDS: dict[tuple[str, str], ByPlace] = {
    ("max-length", "decreased"): ByPlace(
        **_req(_max_len, "request-body-max-length-decreased", "request-property-max-length-decreased", E, "moved"),
        **_param(_p_max_len, "request-parameter-max-length-decreased", E, "moved")),
    ("max-length", "increased"): ByPlace(
        **_req(_max_len, "request-body-max-length-increased", "request-property-max-length-increased", INF, "moved"),
        **_param(_p_max_len, "request-parameter-max-length-increased", INF, "moved"),
        **_resp(_s_max_len, "response-body-max-length-increased", "response-property-max-length-increased", "moved")),
    ("max-length", "set"): ByPlace(
        **_req(_max_len_set, "request-body-max-length-set", "request-property-max-length-set", W, "set"),
        **_param(_p_max_len_set, "request-parameter-max-length-set", W, "set")),
    ("max-length", "unset"): ByPlace(
        **_resp(_s_max_len_unset, "response-body-max-length-unset", "response-property-max-length-unset", "unset")),
    ("min-length", "increased"): ByPlace(
        **_req(_min_len, "request-body-min-length-increased", "request-property-min-length-increased", E, "moved"),
        **_param(_p_min_len, "request-parameter-min-length-increased", E, "moved")),
    ("min-length", "decreased"): ByPlace(
        **_req(_min_len, "request-body-min-length-decreased", "request-property-min-length-decreased", INF, "moved"),
        **_param(_p_min_len, "request-parameter-min-length-decreased", INF, "moved"),
        **_resp(_s_min_len, "response-body-min-length-decreased", "response-property-min-length-decreased", "moved")),
    ("maximum", "decreased"): ByPlace(
        **_req(_max, "request-body-max-decreased", "request-property-max-decreased", E, "moved"),
        **_param(_p_max, "request-parameter-max-decreased", E, "moved")),
    ("maximum", "increased"): ByPlace(
        **_req(_max, "request-body-max-increased", "request-property-max-increased", INF, "moved"),
        **_param(_p_max, "request-parameter-max-increased", INF, "moved"),
        **_resp(_s_max, "response-body-max-increased", "response-property-max-increased", "moved")),
    ("maximum", "set"): ByPlace(**_req(_max_set, "request-body-max-set", "request-property-max-set", W, "set"),
                                **_param(_p_max_set, "request-parameter-max-set", W, "set")),
    ("exclusive-maximum", "decreased"): ByPlace(
        **_req(_max, "request-body-exclusive-max-decreased", "request-property-exclusive-max-decreased", E, "moved"),
        **_param(_p_max, "request-parameter-exclusive-max-decreased", E, "moved")),
    ("exclusive-maximum", "increased"): ByPlace(
        **_req(_max, "request-body-exclusive-max-increased", "request-property-exclusive-max-increased", INF, "moved"),
        **_param(_p_max, "request-parameter-exclusive-max-increased", INF, "moved"),
        **_resp(_s_max, "response-body-exclusive-max-increased", "response-property-exclusive-max-increased",
                "moved")),
    ("exclusive-maximum", "set"): ByPlace(
        **_req(_max_set, "request-body-exclusive-max-set", "request-property-exclusive-max-set", W, "set"),
        **_param(_p_max_set, "request-parameter-exclusive-max-set", W, "set")),
    ("minimum", "increased"): ByPlace(
        **_req(_min, "request-body-min-increased", "request-property-min-increased", E, "moved"),
        **_param(_p_min, "request-parameter-min-increased", E, "moved")),
    ("minimum", "decreased"): ByPlace(
        **_req(_min, "request-body-min-decreased", "request-property-min-decreased", INF, "moved"),
        **_param(_p_min, "request-parameter-min-decreased", INF, "moved"),
        **_resp(_s_min, "response-body-min-decreased", "response-property-min-decreased", "moved")),
    ("minimum", "set"): ByPlace(**_req(_min_set, "request-body-min-set", "request-property-min-set", W, "set"),
                                **_param(_p_min_set, "request-parameter-min-set", W, "set")),
    ("exclusive-minimum", "increased"): ByPlace(
        **_req(_min, "request-body-exclusive-min-increased", "request-property-exclusive-min-increased", E, "moved"),
        **_param(_p_min, "request-parameter-exclusive-min-increased", E, "moved")),
    ("exclusive-minimum", "decreased"): ByPlace(
        **_req(_min, "request-body-exclusive-min-decreased", "request-property-exclusive-min-decreased", INF, "moved"),
        **_param(_p_min, "request-parameter-exclusive-min-decreased", INF, "moved"),
        **_resp(_s_min, "response-body-exclusive-min-decreased", "response-property-exclusive-min-decreased",
                "moved")),
    ("exclusive-minimum", "set"): ByPlace(
        **_req(_min_set, "request-body-exclusive-min-set", "request-property-exclusive-min-set", W, "set"),
        **_param(_p_min_set, "request-parameter-exclusive-min-set", W, "set")),
    ("min-items", "increased"): ByPlace(
        **_req(_min_items, "request-body-min-items-increased", "request-property-min-items-increased", E, "moved"),
        **_param(_p_items, "request-parameter-min-items-increased", E, "moved")),
    ("min-items", "decreased"): ByPlace(
        **_param(_p_items, "request-parameter-min-items-decreased", INF, "moved"),
        **_resp(_s_min_items, "response-body-min-items-decreased", "response-property-min-items-decreased", "moved")),
    ("min-items", "set"): ByPlace(
        **_req(_min_items_set, "request-body-min-items-set", "request-property-min-items-set", W, "set"),
        **_param(_p_min_items_set, "request-parameter-min-items-set", W, "set")),
    ("min-items", "unset"): ByPlace(
        **_resp(_s_min_items_unset, "response-body-min-items-unset", "response-property-min-items-unset", "unset")),
    ("max-items", "decreased"): ByPlace(**_param(_p_max_items, "request-parameter-max-items-decreased", E, "moved")),
    ("max-items", "increased"): ByPlace(**_param(_p_max_items, "request-parameter-max-items-increased", INF, "moved")),
}
READ_ONLY: dict[tuple[str, str], str] = {
    ("max-length", "decreased"): _max_len.add("request-read-only-property-max-length-decreased", INF, _RO + _MOVED),
    ("maximum", "decreased"): _max.add("request-read-only-property-max-decreased", INF, _RO + _MOVED),
    ("exclusive-maximum", "decreased"): _max.add("request-read-only-property-exclusive-max-decreased", INF,
                                                 _RO + _MOVED),
    ("minimum", "increased"): _min.add("request-read-only-property-min-increased", INF, _RO + _MOVED),
    ("exclusive-minimum", "increased"): _min.add("request-read-only-property-exclusive-min-increased", INF,
                                                 _RO + _MOVED),
}
_KEYWORDS = {"max-length": "maxLength", "min-length": "minLength", "maximum": "maximum", "minimum": "minimum",
             "exclusive-maximum": "exclusiveMaximum", "exclusive-minimum": "exclusiveMinimum",
             "max-items": "maxItems", "min-items": "minItems"}


@handler(*_KEYWORDS)
def _bound(delta: Delta, place: Place) -> list[Finding]:
    before, after = delta.before, delta.after
    if delta.aspect == "min-length":
        before, after = before or 0, after or 0  # minLength defaults to 0
    if before is None:
        change = "set"
    elif after is None:
        change = "unset"
    else:
        change = "increased" if after > before else "decreased"
    words = {"keyword": _KEYWORDS[delta.aspect], "before": str(before), "after": str(after), "verb": change}
    if place.kind is Kind.BODY and place.request and delta.path and delta.read_only:
        rule_id = READ_ONLY.get((delta.aspect, change))  # not sent: a read-only tightening is news only
        return [Finding(rule_id, {**place.details(), "property": "/".join(delta.path), **words})] if rule_id else []
    ids = BOUNDS.get((delta.aspect, change))
    if ids is None:
        return []
    if place.kind is Kind.PARAMETER and delta.path == ("items",) and delta.aspect == "max-items":
        return at(ids, Delta((), delta.aspect), place, **words)  # oasdiff reads an array's items' maxItems too
    return at(ids, delta, place, **words)


_pat_param = RuleTable("RequestParameterPatternAddedOrChangedCheck", _REQ, _P)
_pat_req = RuleTable("RequestPropertyPatternUpdatedCheck", _REQ, _S)
_pat_resp = RuleTable("ResponsePatternAddedOrChangedCheck", _RESP, _S)
_PPA, _PPR = "the {location} parameter '{parameter}'", "the request property '{property}'"
_PSR = "the response property '{property}' for status {status}"
PATTERN: dict[str, ByPlace] = {
    "added": ByPlace(request_property=_pat_req.add("request-property-pattern-added", E,
                                                   _PPR + " got the pattern {after}"),
                     response_property=_pat_resp.add("response-property-pattern-added", INF,
                                                     _PSR + " got the pattern {after}"),
                     parameter=_pat_param.add("request-parameter-pattern-added", E, _PPA + " got the pattern {after}")),
    "removed": ByPlace(
        request_property=_pat_req.add("request-property-pattern-removed", INF, _PPR + " lost the pattern {before}"),
        response_property=_pat_resp.add("response-property-pattern-removed", INF, _PSR + " lost the pattern {before}"),
        parameter=_pat_param.add("request-parameter-pattern-removed", INF, _PPA + " lost the pattern {before}")),
    "changed": ByPlace(
        request_property=_pat_req.add("request-property-pattern-changed", W,
                                      _PPR + " pattern changed from {before} to {after}"),
        response_property=_pat_resp.add("response-property-pattern-changed", INF,
                                        _PSR + " pattern changed from {before} to {after}"),
        parameter=_pat_param.add("request-parameter-pattern-changed", W,
                                 _PPA + " pattern changed from {before} to {after}")),
    "generalized": ByPlace(
        request_property=_pat_req.add("request-property-pattern-generalized", INF,
                                      _PPR + " pattern changed from {before} to the more general {after}"),
        parameter=_pat_param.add("request-parameter-pattern-generalized", INF,
                                 _PPA + " pattern changed from {before} to the more general {after}")),
}
_ANY_STRING = {".*", "^.*$", "^(?:.*)$", "(.*)", "^(.*)$"}


@handler("pattern")
def _pattern(delta: Delta, place: Place) -> list[Finding]:
    before, after = delta.before, delta.after  # an empty pattern is none (nodes.py)
    if after is None:
        change = "removed"
    elif before is None:
        change = "added"
    else:
        change = "generalized" if place.request and after in _ANY_STRING else "changed"
    return at(PATTERN[change], delta, place, before=quote(before), after=quote(after))


TABLES = rule_tables(_max_len, _min_len, _max_len_set, _max, _min, _max_set, _min_set, _min_items, _min_items_set,
                     _p_max_len, _p_min_len, _p_max_len_set, _p_max, _p_min, _p_max_set, _p_min_set, _p_items,
                     _p_min_items_set, _p_max_items, _s_max_len, _s_max_len_unset, _s_min_len, _s_max, _s_min,
                     _s_min_items, _s_min_items_unset, _pat_param, _pat_req, _pat_resp)
