"""Composition: members of `allOf`, `anyOf`, `oneOf` added or removed, and the `discriminator`.

A request allOf member added is one more constraint every request must meet (ERR; a member of
annotations only constrains nothing: INFO); an anyOf/oneOf member removed is one way fewer to send a
valid request (ERR). A response oneOf member added is one more shape clients may receive (ERR).

Emits: *-all-of-added/-removed(-annotation-only), *-any-of-added/-removed, *-one-of-added/-removed,
*-discriminator-added/-removed/-property-name-changed/-mapping-added/-deleted/-changed.
"""

from __future__ import annotations

from relmgr.spec.checks.base import at, handler, rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.nodes import Delta
from relmgr.spec.place import ByPlace, Finding, Kind, Place, joined
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _RESP, _S = Direction.REQUEST, Direction.RESPONSE, Area.SCHEMA
_all_req = RuleTable("RequestPropertyAllOfUpdatedCheck", _REQ, _S)
_all_resp = RuleTable("ResponsePropertyAllOfUpdatedCheck", _RESP, _S)
_any_req = RuleTable("RequestPropertyAnyOfUpdatedCheck", _REQ, _S)
_any_resp = RuleTable("ResponsePropertyAnyOfUpdatedCheck", _RESP, _S)
_one_req = RuleTable("RequestPropertyOneOfUpdatedCheck", _REQ, _S)
_one_resp = RuleTable("ResponsePropertyOneOfUpdated", _RESP, _S)
_ADD, _DEL = "added {subschemas} to ", "removed {subschemas} from "
_B, _P = "the request body `{keyword}` list", "the request property '{property}' `{keyword}` list"
_SB, _SP = "the response body `{keyword}` list for status {status}", \
    "the response property '{property}' `{keyword}` list for status {status}"
_NOTE = " (annotations only: no constraint)"
MEMBERS: dict[str, ByPlace] = {
    "all-of-added": ByPlace(_all_req.add("request-body-all-of-added", E, _ADD + _B),
                            _all_req.add("request-property-all-of-added", E, _ADD + _P),
                            _all_resp.add("response-body-all-of-added", INF, _ADD + _SB),
                            _all_resp.add("response-property-all-of-added", INF, _ADD + _SP)),
    "all-of-removed": ByPlace(_all_req.add("request-body-all-of-removed", W, _DEL + _B),
                              _all_req.add("request-property-all-of-removed", W, _DEL + _P),
                              _all_resp.add("response-body-all-of-removed", INF, _DEL + _SB),
                              _all_resp.add("response-property-all-of-removed", INF, _DEL + _SP)),
    "all-of-added-annotation": ByPlace(
        _all_req.add("request-body-all-of-added-annotation-only", INF, _ADD + _B + _NOTE),
        _all_req.add("request-property-all-of-added-annotation-only", INF, _ADD + _P + _NOTE),
        _all_resp.add("response-body-all-of-added-annotation-only", INF, _ADD + _SB + _NOTE),
        _all_resp.add("response-property-all-of-added-annotation-only", INF, _ADD + _SP + _NOTE)),
    "all-of-removed-annotation": ByPlace(
        _all_req.add("request-body-all-of-removed-annotation-only", INF, _DEL + _B + _NOTE),
        _all_req.add("request-property-all-of-removed-annotation-only", INF, _DEL + _P + _NOTE),
        _all_resp.add("response-body-all-of-removed-annotation-only", INF, _DEL + _SB + _NOTE),
        _all_resp.add("response-property-all-of-removed-annotation-only", INF, _DEL + _SP + _NOTE)),
    "any-of-added": ByPlace(_any_req.add("request-body-any-of-added", INF, _ADD + _B),
                            _any_req.add("request-property-any-of-added", INF, _ADD + _P),
                            _any_resp.add("response-body-any-of-added", INF, _ADD + _SB),
                            _any_resp.add("response-property-any-of-added", INF, _ADD + _SP)),
    "any-of-removed": ByPlace(_any_req.add("request-body-any-of-removed", E, _DEL + _B),
                              _any_req.add("request-property-any-of-removed", E, _DEL + _P),
                              _any_resp.add("response-body-any-of-removed", INF, _DEL + _SB),
                              _any_resp.add("response-property-any-of-removed", INF, _DEL + _SP)),
    "one-of-added": ByPlace(_one_req.add("request-body-one-of-added", INF, _ADD + _B),
                            _one_req.add("request-property-one-of-added", INF, _ADD + _P),
                            _one_resp.add("response-body-one-of-added", E, _ADD + _SB),
                            _one_resp.add("response-property-one-of-added", E, _ADD + _SP)),
    "one-of-removed": ByPlace(_one_req.add("request-body-one-of-removed", E, _DEL + _B),
                              _one_req.add("request-property-one-of-removed", E, _DEL + _P),
                              _one_resp.add("response-body-one-of-removed", INF, _DEL + _SB),
                              _one_resp.add("response-property-one-of-removed", INF, _DEL + _SP)),
}
_KEYWORD = {"all": "allOf", "any": "anyOf", "one": "oneOf"}


@handler(*MEMBERS)
def _members(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    labels = delta.after if "added" in delta.aspect else delta.before
    keyword = _KEYWORD[delta.aspect.split("-", 1)[0]]
    return at(MEMBERS[delta.aspect], delta, place, subschemas=", ".join(labels), keyword=keyword)


_disc_req = RuleTable("RequestDiscriminatorUpdatedCheck", _REQ, _S)
_disc_resp = RuleTable("ResponseDiscriminatorUpdatedCheck", _RESP, _S)
_DB, _DP = "the request body", "the request property '{property}'"
_DSB, _DSP = "the response body for status {status}", "the response property '{property}' for status {status}"
_ADDED, _REMOVED = " got a discriminator on {after}", " lost its discriminator on {before}"
_RENAMED = " discriminator property name changed from {before} to {after}"
_KEYS_ADDED, _KEYS_DELETED = " discriminator mapping got the keys {keys}", " discriminator mapping lost the keys {keys}"
_REMAPPED = " discriminator mapping key {key} changed from {before} to {after}"


def _discriminator(suffix: str, ids: tuple[str, str, str, str]) -> ByPlace:
    return ByPlace(_disc_req.add(ids[0], INF, _DB + suffix), _disc_req.add(ids[1], INF, _DP + suffix),
                   _disc_resp.add(ids[2], INF, _DSB + suffix), _disc_resp.add(ids[3], INF, _DSP + suffix))


DISCRIMINATOR: dict[str, ByPlace] = {
    "discriminator-added": _discriminator(_ADDED, (
        "request-body-discriminator-added", "request-property-discriminator-added",
        "response-body-discriminator-added", "response-property-discriminator-added")),
    "discriminator-removed": _discriminator(_REMOVED, (
        "request-body-discriminator-removed", "request-property-discriminator-removed",
        "response-body-discriminator-removed", "response-property-discriminator-removed")),
    "discriminator-property-name": _discriminator(_RENAMED, (
        "request-body-discriminator-property-name-changed", "request-property-discriminator-property-name-changed",
        "response-body-discriminator-property-name-changed", "response-property-discriminator-property-name-changed")),
    "discriminator-mapping-added": _discriminator(_KEYS_ADDED, (
        "request-body-discriminator-mapping-added", "request-property-discriminator-mapping-added",
        "response-body-discriminator-mapping-added", "response-property-discriminator-mapping-added")),
    "discriminator-mapping-deleted": _discriminator(_KEYS_DELETED, (
        "request-body-discriminator-mapping-deleted", "request-property-discriminator-mapping-deleted",
        "response-body-discriminator-mapping-deleted", "response-property-discriminator-mapping-deleted")),
    "discriminator-mapping-changed": _discriminator(_REMAPPED, (
        "request-body-discriminator-mapping-changed", "request-property-discriminator-mapping-changed",
        "response-body-discriminator-mapping-changed", "response-property-discriminator-mapping-changed")),
}


@handler(*DISCRIMINATOR)
def _discriminator_changed(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    before, after = delta.before, delta.after
    words = {"before": joined([before]) if before is not None else "", "after": joined([after]) if after else ""}
    if delta.aspect.startswith("discriminator-mapping-"):
        keys = after if delta.aspect.endswith("added") else before
        words = {"keys": joined(keys)}
        if delta.aspect.endswith("changed"):
            words = {"key": joined([before[0]]), "before": joined([before[1]]), "after": joined([after[1]])}
    return at(DISCRIMINATOR[delta.aspect], delta, place, **words)


TABLES = rule_tables(_all_req, _all_resp, _any_req, _any_resp, _one_req, _one_resp, _disc_req, _disc_resp)
