"""JSON Schema 2020-12 keywords of OpenAPI 3.1: if/then/else, contains, dependentRequired,
dependentSchemas, patternProperties, propertyNames, unevaluatedItems/-Properties, prefixItems,
contentMediaType/contentEncoding/contentSchema.

Each one added to a request schema is a constraint more (ERR), removed one fewer (INFO); in a response
the other way round: a constraint dropped lets the server return what clients never saw (ERR).
A changed dependentRequired, contentMediaType or contentEncoding changes the contract both ways (ERR).
"""

from __future__ import annotations

from relmgr.spec.checks.base import at, handler, rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.nodes import Delta
from relmgr.spec.place import ByPlace, Finding, Kind, Place, joined, quote
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _RESP, _S = Direction.REQUEST, Direction.RESPONSE, Area.SCHEMA
_B, _P = "the request body", "the request property '{property}'"
_SB, _SP = "the response body for status {status}", "the response property '{property}' for status {status}"


def _four(request: RuleTable, response: RuleTable, ids: tuple[str, str, str, str],
          severities: tuple[Severity, Severity], suffix: str, *, bodies: bool = False) -> ByPlace:
    """The request body, request property, response body and response property IDs of one change
    (`bodies`: the body ones are about the body, oasdiff's request-body and responses areas)."""
    req, resp = severities
    areas = (Area.REQUEST_BODY, Area.RESPONSES) if bodies else (None, None)
    return ByPlace(request.add(ids[0], req, _B + suffix, area=areas[0]), request.add(ids[1], req, _P + suffix),
                   response.add(ids[2], resp, _SB + suffix, area=areas[1]), response.add(ids[3], resp, _SP + suffix))


_if_req = RuleTable("RequestPropertyIfUpdatedCheck", _REQ, _S)
_if_resp = RuleTable("ResponsePropertyIfUpdatedCheck", _RESP, _S)
_contains_req = RuleTable("RequestPropertyContainsUpdatedCheck", _REQ, _S)
_contains_resp = RuleTable("ResponsePropertyContainsUpdatedCheck", _RESP, _S)
_names_req = RuleTable("RequestPropertyPropertyNamesUpdatedCheck", _REQ, _S)
_names_resp = RuleTable("ResponsePropertyPropertyNamesUpdatedCheck", _RESP, _S)
_uneval_req = RuleTable("RequestPropertyUnevaluatedUpdatedCheck", _REQ, _S)
_uneval_resp = RuleTable("ResponsePropertyUnevaluatedUpdatedCheck", _RESP, _S)
_content_req = RuleTable("RequestPropertyContentUpdatedCheck", _REQ, _S)
_content_resp = RuleTable("ResponsePropertyContentUpdatedCheck", _RESP, _S)
_GOT, _LOST = " got the '{keyword}' subschema", " lost the '{keyword}' subschema"
ADDED, REMOVED = (E, INF), (INF, E)
# keyword -> (added IDs, removed IDs)
SUBSCHEMAS: dict[str, tuple[ByPlace, ByPlace]] = {
    "if": (_four(_if_req, _if_resp, ("request-body-if-added", "request-property-if-added", "response-body-if-added",
                                     "response-property-if-added"), ADDED, _GOT),
           _four(_if_req, _if_resp, ("request-body-if-removed", "request-property-if-removed",
                                     "response-body-if-removed", "response-property-if-removed"), REMOVED, _LOST)),
    "then": (_four(_if_req, _if_resp, ("request-body-then-added", "request-property-then-added",
                                       "response-body-then-added", "response-property-then-added"), ADDED, _GOT),
             _four(_if_req, _if_resp, ("request-body-then-removed", "request-property-then-removed",
                                       "response-body-then-removed", "response-property-then-removed"), REMOVED,
                   _LOST)),
    "else": (_four(_if_req, _if_resp, ("request-body-else-added", "request-property-else-added",
                                       "response-body-else-added", "response-property-else-added"), ADDED, _GOT),
             _four(_if_req, _if_resp, ("request-body-else-removed", "request-property-else-removed",
                                       "response-body-else-removed", "response-property-else-removed"), REMOVED,
                   _LOST)),
    "contains": (_four(_contains_req, _contains_resp, (
        "request-body-contains-added", "request-property-contains-added", "response-body-contains-added",
        "response-property-contains-added"), ADDED, _GOT),
        _four(_contains_req, _contains_resp, (
            "request-body-contains-removed", "request-property-contains-removed", "response-body-contains-removed",
            "response-property-contains-removed"), REMOVED, _LOST)),
    "propertyNames": (_four(_names_req, _names_resp, (
        "request-body-property-names-added", "request-property-property-names-added",
        "response-body-property-names-added", "response-property-property-names-added"), ADDED, _GOT),
        _four(_names_req, _names_resp, (
            "request-body-property-names-removed", "request-property-property-names-removed",
            "response-body-property-names-removed", "response-property-property-names-removed"), REMOVED, _LOST)),
    "unevaluatedItems": (_four(_uneval_req, _uneval_resp, (
        "request-body-unevaluated-items-added", "request-property-unevaluated-items-added",
        "response-body-unevaluated-items-added", "response-property-unevaluated-items-added"), ADDED, _GOT),
        _four(_uneval_req, _uneval_resp, (
            "request-body-unevaluated-items-removed", "request-property-unevaluated-items-removed",
            "response-body-unevaluated-items-removed", "response-property-unevaluated-items-removed"), REMOVED,
            _LOST)),
    "unevaluatedProperties": (_four(_uneval_req, _uneval_resp, (
        "request-body-unevaluated-properties-added", "request-property-unevaluated-properties-added",
        "response-body-unevaluated-properties-added", "response-property-unevaluated-properties-added"), ADDED,
        _GOT),
        _four(_uneval_req, _uneval_resp, (
            "request-body-unevaluated-properties-removed", "request-property-unevaluated-properties-removed",
            "response-body-unevaluated-properties-removed", "response-property-unevaluated-properties-removed"),
            REMOVED, _LOST)),
    "contentSchema": (_four(_content_req, _content_resp, (
        "request-body-content-schema-added", "request-property-content-schema-added",
        "response-body-content-schema-added", "response-property-content-schema-added"), ADDED, _GOT),
        _four(_content_req, _content_resp, (
            "request-body-content-schema-removed", "request-property-content-schema-removed",
            "response-body-content-schema-removed", "response-property-content-schema-removed"), REMOVED, _LOST)),
}


@handler("subschema-added", "subschema-removed")
def _subschema(delta: Delta, place: Place) -> list[Finding]:
    keyword = str(delta.after if delta.aspect == "subschema-added" else delta.before)
    pair = SUBSCHEMAS.get(keyword)
    if pair is None or place.kind is not Kind.BODY:
        return []
    return at(pair[0] if delta.aspect == "subschema-added" else pair[1], delta, place, keyword=keyword)


_MOVED = " {keyword} was {verb} from {before} to {after}"
CONTAINS_BOUNDS: dict[tuple[str, str], ByPlace] = {
    ("min-contains", "increased"): _four(_contains_req, _contains_resp, (
        "request-body-min-contains-increased", "request-property-min-contains-increased",
        "response-body-min-contains-increased", "response-property-min-contains-increased"), (E, INF), _MOVED),
    ("min-contains", "decreased"): _four(_contains_req, _contains_resp, (
        "request-body-min-contains-decreased", "request-property-min-contains-decreased",
        "response-body-min-contains-decreased", "response-property-min-contains-decreased"), (INF, E), _MOVED),
    ("max-contains", "increased"): _four(_contains_req, _contains_resp, (
        "request-body-max-contains-increased", "request-property-max-contains-increased",
        "response-body-max-contains-increased", "response-property-max-contains-increased"), (INF, E), _MOVED),
    ("max-contains", "decreased"): _four(_contains_req, _contains_resp, (
        "request-body-max-contains-decreased", "request-property-max-contains-decreased",
        "response-body-max-contains-decreased", "response-property-max-contains-decreased"), (E, INF), _MOVED),
}


@handler("min-contains", "max-contains")
def _contains_bound(delta: Delta, place: Place) -> list[Finding]:
    if delta.before is None or delta.after is None or place.kind is not Kind.BODY:
        return []  # oasdiff compares two numbers only
    verb = "increased" if delta.after > delta.before else "decreased"
    keyword = "minContains" if delta.aspect == "min-contains" else "maxContains"
    return at(CONTAINS_BOUNDS[delta.aspect, verb], delta, place, keyword=keyword, verb=verb,
              before=str(delta.before), after=str(delta.after))


_dep_req = RuleTable("RequestPropertyDependentRequiredChangedCheck", _REQ, _S)
_dep_resp = RuleTable("ResponsePropertyDependentRequiredChangedCheck", _RESP, _S)
_DEP_ADDED = " got dependentRequired: when {key} is present, {names} are required"
_DEP_REMOVED = " lost dependentRequired: when {key} was present, {names} were required"
_DEP_CHANGED = " dependentRequired for {key} changed from {before} to {after}"
DEPENDENT_REQUIRED: dict[str, ByPlace] = {
    "dependent-required-added": _four(_dep_req, _dep_resp, (
        "request-body-dependent-required-added", "request-property-dependent-required-added",
        "response-body-dependent-required-added", "response-property-dependent-required-added"), ADDED, _DEP_ADDED),
    "dependent-required-removed": _four(_dep_req, _dep_resp, (
        "request-body-dependent-required-removed", "request-property-dependent-required-removed",
        "response-body-dependent-required-removed", "response-property-dependent-required-removed"), REMOVED,
        _DEP_REMOVED),
    "dependent-required-changed": _four(_dep_req, _dep_resp, (
        "request-body-dependent-required-changed", "request-property-dependent-required-changed",
        "response-body-dependent-required-changed", "response-property-dependent-required-changed"), (E, E),
        _DEP_CHANGED),
}


@handler(*DEPENDENT_REQUIRED)
def _dependent_required(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    key, names = delta.after if delta.after is not None else delta.before
    words = {"key": quote(key), "names": joined(names)}
    if delta.aspect == "dependent-required-changed":
        words.update(before=f"[{joined(delta.before[1])}]", after=f"[{joined(delta.after[1])}]")
    return at(DEPENDENT_REQUIRED[delta.aspect], delta, place, **words)


_dschema_req = RuleTable("RequestPropertyDependentSchemasUpdatedCheck", _REQ, _S)
_dschema_resp = RuleTable("ResponsePropertyDependentSchemasUpdatedCheck", _RESP, _S)
_pprop_req = RuleTable("RequestPropertyPatternPropertiesUpdatedCheck", _REQ, _S)
_pprop_resp = RuleTable("ResponsePropertyPatternPropertiesUpdatedCheck", _RESP, _S)
_prefix_req = RuleTable("RequestPropertyPrefixItemsUpdatedCheck", _REQ, _S)
_prefix_resp = RuleTable("ResponsePropertyPrefixItemsUpdatedCheck", _RESP, _S)
KEYED: dict[str, ByPlace] = {
    "dependent-schema-added": _four(_dschema_req, _dschema_resp, (
        "request-body-dependent-schema-added", "request-property-dependent-schema-added",
        "response-body-dependent-schema-added", "response-property-dependent-schema-added"), ADDED,
        " got the dependent schema {key}"),
    "dependent-schema-removed": _four(_dschema_req, _dschema_resp, (
        "request-body-dependent-schema-removed", "request-property-dependent-schema-removed",
        "response-body-dependent-schema-removed", "response-property-dependent-schema-removed"), REMOVED,
        " lost the dependent schema {key}"),
    "pattern-property-added": _four(_pprop_req, _pprop_resp, (
        "request-body-pattern-property-added", "request-property-pattern-property-added",
        "response-body-pattern-property-added", "response-property-pattern-property-added"), ADDED,
        " got the pattern property {key}"),
    "pattern-property-removed": _four(_pprop_req, _pprop_resp, (
        "request-body-pattern-property-removed", "request-property-pattern-property-removed",
        "response-body-pattern-property-removed", "response-property-pattern-property-removed"), REMOVED,
        " lost the pattern property {key}"),
    # prefixItems: a leading item schema more is the old `items` constraint at that position, so adding one
    # to a request accepts no less (oasdiff: INFO); removing one lets any value stand there (ERR)
    "prefix-items-added": _four(_prefix_req, _prefix_resp, (
        "request-body-prefix-items-added", "request-property-prefix-items-added",
        "response-body-prefix-items-added", "response-property-prefix-items-added"), (INF, E),
        " `prefixItems` list got {key}"),
    "prefix-items-removed": _four(_prefix_req, _prefix_resp, (
        "request-body-prefix-items-removed", "request-property-prefix-items-removed",
        "response-body-prefix-items-removed", "response-property-prefix-items-removed"), (E, INF),
        " `prefixItems` list lost {key}"),
}


@handler(*KEYED)
def _keyed(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    key = delta.after if delta.aspect.endswith("added") else delta.before
    text = ", ".join(key) if isinstance(key, tuple) else quote(key)
    return at(KEYED[delta.aspect], delta, place, key=text)


_CHANGED = " {keyword} changed from {before} to {after}"
CONTENT: dict[str, ByPlace] = {
    "content-media-type": _four(_content_req, _content_resp, (
        "request-body-content-media-type-changed", "request-property-content-media-type-changed",
        "response-body-content-media-type-changed", "response-property-content-media-type-changed"), (E, E),
        _CHANGED, bodies=True),
    "content-encoding": _four(_content_req, _content_resp, (
        "request-body-content-encoding-changed", "request-property-content-encoding-changed",
        "response-body-content-encoding-changed", "response-property-content-encoding-changed"), (E, E), _CHANGED,
        bodies=True),
}


@handler(*CONTENT)
def _content(delta: Delta, place: Place) -> list[Finding]:
    if place.kind is not Kind.BODY:
        return []
    keyword = "contentMediaType" if delta.aspect == "content-media-type" else "contentEncoding"
    words = {"keyword": keyword, "before": quote(delta.before) if delta.before else "none",
             "after": quote(delta.after) if delta.after else "none"}
    return at(CONTENT[delta.aspect], delta, place, **words)


TABLES = rule_tables(_if_req, _if_resp, _contains_req, _contains_resp, _names_req, _names_resp, _uneval_req,
                     _uneval_resp, _content_req, _content_resp, _dep_req, _dep_resp, _dschema_req, _dschema_resp,
                     _pprop_req, _pprop_resp, _prefix_req, _prefix_resp)
