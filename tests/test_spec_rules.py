"""The rule registry: every registered rule is emitted by a case here (or in test_spec_checks), each case
emits the rule it names, every emitted ID is registered, and docs/spec-rules.md is generated from it.

Schema changes are tried at every place a schema sits: a request body and a property below it, a
response body and a property, a parameter and a property of its object, a response header.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from relmgr.policy.levels import Stage
from relmgr.spec import RULES, DeprecationPolicy, SpecChange, UnknownRule, diff_specs
from relmgr.spec.checks import FAMILIES
from relmgr.spec.model import Severity
from relmgr.spec.place import ByPlace
from relmgr.spec.registry import rules_markdown
from relmgr.spec.sink import Sink
from tests import test_spec_checks
from tests.spec_builders import Json, doc, json_body, json_response, obj, op, param, param_pair

REPO = Path(__file__).resolve().parents[1]
RELMGRS_OWN = {"operation-level-changed"}  # relmgr's own IDs: no oasdiff check has them
TODAY = date(2026, 12, 1)
S, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
ARR = {"type": "array", "items": S}
Pair = tuple[Json, Json]


def _media(*names: str, schema: Json | None = S) -> Json:
    return {name: ({"schema": schema} if schema is not None else {}) for name in names}


def response_pair(before: Json, after: Json, media: str = "application/json") -> Pair:
    def spec(schema: Json) -> Json:
        response = {"200": {"description": "OK", "content": _media(media, schema=schema)}}
        return doc({"/pets": {"get": op(responses=response)}})

    return spec(before), spec(after)


def request_pair(before: Json, after: Json, media: str = "application/json") -> Pair:
    return (doc({"/pets": {"post": op(body=json_body(before, media=media))}}),
            doc({"/pets": {"post": op(body=json_body(after, media=media))}}))


def header_pair(before: Json, after: Json) -> Pair:
    def spec(schema: Json) -> Json:
        headers = {"X-Rate": {"schema": schema}}
        return doc({"/pets": {"get": op(responses={"200": {"description": "OK", "headers": headers}})}})

    return spec(before), spec(after)


PLACES = {
    "request_body": lambda b, a: request_pair(b, a),
    "request_property": lambda b, a: request_pair(obj(x=b), obj(x=a)),
    "response_body": lambda b, a: response_pair(b, a),
    "response_property": lambda b, a: response_pair(obj(x=b), obj(x=a)),
    "parameter": lambda b, a: param_pair(param("q", schema=b), param("q", schema=a)),
    "parameter_property": lambda b, a: param_pair(param("q", schema=obj(x=b)), param("q", schema=obj(x=a))),
    "header_parameter": lambda b, a: param_pair(param("X-Q", "header", schema=b), param("X-Q", "header", schema=a)),
    "header_property": lambda b, a: param_pair(param("X-Q", "header", schema=obj(x=b)),
                                               param("X-Q", "header", schema=obj(x=a))),
    "header": header_pair,
}
RB, RP, SB, SP, PA, PP, HP, HQ, HD = PLACES  # the keys, in order

# (before, after, {place: the ID expected there})
SCHEMA_CASES: list[tuple[Json, Json, dict[str, str]]] = [
    # types
    (S, {"type": "object"}, {RB: "request-body-type-changed", RP: "request-property-type-changed",
                             SB: "response-body-type-changed", SP: "response-property-type-changed",
                             PA: "request-parameter-type-changed"}),
    (INT, NUM, {RB: "request-body-type-generalized", RP: "request-property-type-generalized",
                SB: "response-body-type-generalized", SP: "response-property-type-generalized",
                PA: "request-parameter-type-generalized", PP: "request-parameter-property-type-generalized",
                HD: "response-header-type-generalized"}),
    (NUM, INT, {SB: "response-body-type-specialized", SP: "response-property-type-specialized",
                HD: "response-header-type-specialized", PP: "request-parameter-property-type-specialized"}),
    (INT, S, {PP: "request-parameter-property-type-changed"}),
    (S, INT, {HD: "response-header-type-compatible"}),  # a header is text: a client reads a number as a string
    ({"type": "string", "format": "date-time"}, INT, {HD: "response-header-type-changed"}),
    ({"type": ["string", "integer"]}, INT, {SB: "response-body-type-specialized"}),
    (S, {"oneOf": [S, INT]}, {RB: "request-body-list-of-types-widened", RP: "request-property-list-of-types-widened",
                              SB: "response-body-list-of-types-widened",
                              SP: "response-property-list-of-types-widened",
                              PA: "request-parameter-list-of-types-widened",
                              PP: "request-parameter-property-list-of-types-widened"}),
    ({"anyOf": [S, INT]}, S, {RB: "request-body-list-of-types-narrowed", RP: "request-property-list-of-types-narrowed",
                              SB: "response-body-list-of-types-narrowed",
                              SP: "response-property-list-of-types-narrowed",
                              PA: "request-parameter-list-of-types-narrowed",
                              PP: "request-parameter-property-list-of-types-narrowed"}),
    (S, {"type": ["string", "null"]}, {RB: "request-body-became-nullable", RP: "request-property-became-nullable",
                                        SB: "response-body-became-nullable", SP: "response-property-became-nullable",
                                        PA: "request-parameter-became-nullable",
                                        PP: "request-parameter-property-became-nullable",
                                        HD: "response-header-became-nullable"}),
    ({"type": "string", "nullable": True}, S, {
        RB: "request-body-became-not-nullable", RP: "request-property-became-not-nullable",
        SB: "response-body-became-not-nullable", SP: "response-property-became-not-nullable",
        PA: "request-parameter-became-not-nullable", PP: "request-parameter-property-became-not-nullable",
        HD: "response-header-became-not-nullable"}),
    # values
    (S, {"type": "string", "enum": ["a"]}, {RB: "request-body-became-enum", RP: "request-property-became-enum",
                                            PA: "request-parameter-became-enum",
                                            HQ: "request-header-property-became-enum",
                                            HP: "request-header-property-became-enum"}),
    ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}, {
        RB: "request-body-enum-value-removed", RP: "request-property-enum-value-removed",
        SB: "response-mediatype-enum-value-removed", SP: "response-property-enum-value-removed",
        PA: "request-parameter-enum-value-removed", PP: "request-parameter-property-enum-value-removed"}),
    ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}, {
        RP: "request-property-enum-value-added", SP: "response-property-enum-value-added",
        PA: "request-parameter-enum-value-added", PP: "request-parameter-property-enum-value-added"}),
    ({"type": "string", "readOnly": True, "enum": ["a", "b"]}, {"type": "string", "readOnly": True, "enum": ["a"]},
     {RP: "request-read-only-property-enum-value-removed"}),
    ({"type": "string", "writeOnly": True, "enum": ["a"]}, {"type": "string", "writeOnly": True, "enum": ["a", "b"]},
     {SP: "response-write-only-property-enum-value-added"}),
    ({"type": "string", "x-extensible-enum": ["a", "b"]}, {"type": "string", "x-extensible-enum": ["a"]},
     {RP: "request-property-x-extensible-enum-value-removed", PA: "request-parameter-x-extensible-enum-value-removed"}),
    (S, {"type": "string", "default": "a"}, {RB: "request-body-default-value-added",
                                             RP: "request-property-default-value-added",
                                             SB: "response-body-default-value-added",
                                             SP: "response-property-default-value-added",
                                             PA: "request-parameter-default-value-added"}),
    ({"type": "string", "default": "a"}, S, {RB: "request-body-default-value-removed",
                                             RP: "request-property-default-value-removed",
                                             SB: "response-body-default-value-removed",
                                             SP: "response-property-default-value-removed",
                                             PA: "request-parameter-default-value-removed"}),
    ({"type": "string", "default": "a"}, {"type": "string", "default": "b"}, {
        RB: "request-body-default-value-changed", RP: "request-property-default-value-changed",
        SB: "response-body-default-value-changed", SP: "response-property-default-value-changed",
        PA: "request-parameter-default-value-changed"}),
    (S, {"const": "a"}, {RB: "request-body-const-added", RP: "request-property-const-added",
                         SB: "response-body-const-added", SP: "response-property-const-added"}),
    ({"const": "a"}, S, {RB: "request-body-const-removed", RP: "request-property-const-removed",
                         SB: "response-body-const-removed", SP: "response-property-const-removed"}),
    ({"const": "a"}, {"const": "b"}, {RB: "request-body-const-changed", RP: "request-property-const-changed",
                                      SB: "response-body-const-changed", SP: "response-property-const-changed"}),
]


Case = tuple[Json, Json, dict[str, str]]


def _bounds(keyword: str, low: int, high: int, ids: dict[str, dict[str, str]]) -> list[Case]:
    """The bound `keyword` moved up (`increased`), down (`decreased`), set and unset, at every place."""
    kind = "array" if "Items" in keyword else "string" if "Length" in keyword else "integer"
    base = {"type": kind, **({"items": S} if kind == "array" else {})}
    moves = {"increased": (low, high), "decreased": (high, low), "set": (None, low), "unset": (low, None)}
    cases = []
    for move, expected in ids.items():
        old, new = moves[move]
        before = {**base, **({keyword: old} if old is not None else {})}
        after = {**base, **({keyword: new} if new is not None else {})}
        cases.append((before, after, expected))
    return cases


SCHEMA_CASES += _bounds("maxLength", 3, 9, {
    "decreased": {RB: "request-body-max-length-decreased", RP: "request-property-max-length-decreased",
                  PA: "request-parameter-max-length-decreased"},
    "increased": {RB: "request-body-max-length-increased", RP: "request-property-max-length-increased",
                  PA: "request-parameter-max-length-increased", SB: "response-body-max-length-increased",
                  SP: "response-property-max-length-increased"},
    "set": {RB: "request-body-max-length-set", RP: "request-property-max-length-set",
            PA: "request-parameter-max-length-set"},
    "unset": {SB: "response-body-max-length-unset", SP: "response-property-max-length-unset"},
})
SCHEMA_CASES += _bounds("minLength", 3, 9, {
    "increased": {RB: "request-body-min-length-increased", RP: "request-property-min-length-increased",
                  PA: "request-parameter-min-length-increased"},
    "decreased": {RB: "request-body-min-length-decreased", RP: "request-property-min-length-decreased",
                  PA: "request-parameter-min-length-decreased", SB: "response-body-min-length-decreased",
                  SP: "response-property-min-length-decreased"},
})
SCHEMA_CASES += _bounds("maximum", 3, 9, {
    "decreased": {RB: "request-body-max-decreased", RP: "request-property-max-decreased",
                  PA: "request-parameter-max-decreased"},
    "increased": {RB: "request-body-max-increased", RP: "request-property-max-increased",
                  PA: "request-parameter-max-increased", SB: "response-body-max-increased",
                  SP: "response-property-max-increased"},
    "set": {RB: "request-body-max-set", RP: "request-property-max-set", PA: "request-parameter-max-set"},
})
SCHEMA_CASES += _bounds("exclusiveMaximum", 3, 9, {
    "decreased": {RB: "request-body-exclusive-max-decreased", RP: "request-property-exclusive-max-decreased",
                  PA: "request-parameter-exclusive-max-decreased"},
    "increased": {RB: "request-body-exclusive-max-increased", RP: "request-property-exclusive-max-increased",
                  PA: "request-parameter-exclusive-max-increased", SB: "response-body-exclusive-max-increased",
                  SP: "response-property-exclusive-max-increased"},
    "set": {RB: "request-body-exclusive-max-set", RP: "request-property-exclusive-max-set",
            PA: "request-parameter-exclusive-max-set"},
})
SCHEMA_CASES += _bounds("minimum", 3, 9, {
    "increased": {RB: "request-body-min-increased", RP: "request-property-min-increased",
                  PA: "request-parameter-min-increased"},
    "decreased": {RB: "request-body-min-decreased", RP: "request-property-min-decreased",
                  PA: "request-parameter-min-decreased", SB: "response-body-min-decreased",
                  SP: "response-property-min-decreased"},
    "set": {RB: "request-body-min-set", RP: "request-property-min-set", PA: "request-parameter-min-set"},
})
SCHEMA_CASES += _bounds("exclusiveMinimum", 3, 9, {
    "increased": {RB: "request-body-exclusive-min-increased", RP: "request-property-exclusive-min-increased",
                  PA: "request-parameter-exclusive-min-increased"},
    "decreased": {RB: "request-body-exclusive-min-decreased", RP: "request-property-exclusive-min-decreased",
                  PA: "request-parameter-exclusive-min-decreased", SB: "response-body-exclusive-min-decreased",
                  SP: "response-property-exclusive-min-decreased"},
    "set": {RB: "request-body-exclusive-min-set", RP: "request-property-exclusive-min-set",
            PA: "request-parameter-exclusive-min-set"},
})
SCHEMA_CASES += _bounds("minItems", 3, 9, {
    "increased": {RB: "request-body-min-items-increased", RP: "request-property-min-items-increased",
                  PA: "request-parameter-min-items-increased"},
    "decreased": {PA: "request-parameter-min-items-decreased", SB: "response-body-min-items-decreased",
                  SP: "response-property-min-items-decreased"},
    "set": {RB: "request-body-min-items-set", RP: "request-property-min-items-set",
            PA: "request-parameter-min-items-set"},
    "unset": {SB: "response-body-min-items-unset", SP: "response-property-min-items-unset"},
})
SCHEMA_CASES += _bounds("maxItems", 3, 9, {
    "increased": {PA: "request-parameter-max-items-increased"},
    "decreased": {PA: "request-parameter-max-items-decreased"},
})
_RO = {"type": "integer", "readOnly": True}
SCHEMA_CASES += [
    ({"type": "string", "readOnly": True, "maxLength": 9}, {"type": "string", "readOnly": True, "maxLength": 3},
     {RP: "request-read-only-property-max-length-decreased"}),
    ({**_RO, "maximum": 9}, {**_RO, "maximum": 3}, {RP: "request-read-only-property-max-decreased"}),
    ({**_RO, "exclusiveMaximum": 9}, {**_RO, "exclusiveMaximum": 3},
     {RP: "request-read-only-property-exclusive-max-decreased"}),
    ({**_RO, "minimum": 3}, {**_RO, "minimum": 9}, {RP: "request-read-only-property-min-increased"}),
    ({**_RO, "exclusiveMinimum": 3}, {**_RO, "exclusiveMinimum": 9},
     {RP: "request-read-only-property-exclusive-min-increased"}),
    (S, {"type": "string", "pattern": "^a"}, {RP: "request-property-pattern-added",
                                              PA: "request-parameter-pattern-added",
                                              SP: "response-property-pattern-added"}),
    ({"type": "string", "pattern": "^a"}, {"type": "string", "pattern": ""},  # an empty pattern is none
     {RP: "request-property-pattern-removed", PA: "request-parameter-pattern-removed",
      SP: "response-property-pattern-removed"}),
    ({"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"},
     {RP: "request-property-pattern-changed", PA: "request-parameter-pattern-changed",
      SP: "response-property-pattern-changed"}),
    ({"type": "string", "pattern": "^a"}, {"type": "string", "pattern": ".*"},
     {RP: "request-property-pattern-generalized", PA: "request-parameter-pattern-generalized"}),
]
_REF = {"$ref": "#/components/schemas/Pet"}
_ANNOTATION = {"title": "note", "description": "constrains nothing"}
SCHEMA_CASES += [
    # composition
    ({"allOf": [obj(a=S)]}, {"allOf": [obj(a=S), obj(["b"], b=S)]}, {
        RB: "request-body-all-of-added", RP: "request-property-all-of-added", SB: "response-body-all-of-added",
        SP: "response-property-all-of-added"}),
    ({"allOf": [obj(a=S), obj(["b"], b=S)]}, {"allOf": [obj(a=S)]}, {
        RB: "request-body-all-of-removed", RP: "request-property-all-of-removed",
        SB: "response-body-all-of-removed", SP: "response-property-all-of-removed"}),
    (obj(a=S), {**obj(a=S), "allOf": [_ANNOTATION]}, {
        RB: "request-body-all-of-added-annotation-only", RP: "request-property-all-of-added-annotation-only",
        SB: "response-body-all-of-added-annotation-only", SP: "response-property-all-of-added-annotation-only"}),
    ({**obj(a=S), "allOf": [_ANNOTATION]}, obj(a=S), {
        RB: "request-body-all-of-removed-annotation-only", RP: "request-property-all-of-removed-annotation-only",
        SB: "response-body-all-of-removed-annotation-only", SP: "response-property-all-of-removed-annotation-only"}),
    ({"anyOf": [obj(a=S)]}, {"anyOf": [obj(a=S), obj(b=INT)]}, {
        RB: "request-body-any-of-added", RP: "request-property-any-of-added", SB: "response-body-any-of-added",
        SP: "response-property-any-of-added"}),
    ({"anyOf": [obj(a=S), obj(b=INT)]}, {"anyOf": [obj(a=S)]}, {
        RB: "request-body-any-of-removed", RP: "request-property-any-of-removed",
        SB: "response-body-any-of-removed", SP: "response-property-any-of-removed"}),
    ({"oneOf": [obj(a=S)]}, {"oneOf": [obj(a=S), obj(b=INT)]}, {
        RB: "request-body-one-of-added", RP: "request-property-one-of-added", SB: "response-body-one-of-added",
        SP: "response-property-one-of-added"}),
    ({"oneOf": [obj(a=S), obj(b=INT)]}, {"oneOf": [obj(a=S)]}, {
        RB: "request-body-one-of-removed", RP: "request-property-one-of-removed",
        SB: "response-body-one-of-removed", SP: "response-property-one-of-removed"}),
    (obj(a=S, b=S), {"oneOf": [obj(a=S), obj(b=S)]}, {RB: "request-body-wrapped-in-one-of",
                                                      SB: "response-body-wrapped-in-one-of"}),
]


def _discriminated(discriminator: Json | None) -> Json:
    schema: Json = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
    if discriminator is not None:
        schema["discriminator"] = discriminator
    return schema


_MAP = {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
_PETS = {"Cat": obj(kind=S, meow=S), "Dog": obj(kind=S, bark=S)}
DISCRIMINATOR_CASES: list[tuple[Json, Json, tuple[str, str, str, str]]] = [
    (_discriminated(None), _discriminated({"propertyName": "kind"}), (
        "request-body-discriminator-added", "request-property-discriminator-added",
        "response-body-discriminator-added", "response-property-discriminator-added")),
    (_discriminated({"propertyName": "kind"}), _discriminated(None), (
        "request-body-discriminator-removed", "request-property-discriminator-removed",
        "response-body-discriminator-removed", "response-property-discriminator-removed")),
    (_discriminated({"propertyName": "kind"}), _discriminated({"propertyName": "type"}), (
        "request-body-discriminator-property-name-changed", "request-property-discriminator-property-name-changed",
        "response-body-discriminator-property-name-changed", "response-property-discriminator-property-name-changed")),
    (_discriminated({"propertyName": "kind"}), _discriminated({"propertyName": "kind", "mapping": _MAP}), (
        "request-body-discriminator-mapping-added", "request-property-discriminator-mapping-added",
        "response-body-discriminator-mapping-added", "response-property-discriminator-mapping-added")),
    (_discriminated({"propertyName": "kind", "mapping": _MAP}), _discriminated({"propertyName": "kind"}), (
        "request-body-discriminator-mapping-deleted", "request-property-discriminator-mapping-deleted",
        "response-body-discriminator-mapping-deleted", "response-property-discriminator-mapping-deleted")),
    (_discriminated({"propertyName": "kind", "mapping": _MAP}),
     _discriminated({"propertyName": "kind", "mapping": {**_MAP, "cat": "#/components/schemas/Dog"}}), (
        "request-body-discriminator-mapping-changed", "request-property-discriminator-mapping-changed",
        "response-body-discriminator-mapping-changed", "response-property-discriminator-mapping-changed")),
]
for _before, _after, (_rb, _rp, _sb, _sp) in DISCRIMINATOR_CASES:
    SCHEMA_CASES.append((_before, _after, {RB: _rb, RP: _rp, SB: _sb, SP: _sp}))


def _keyword(name: str, value: Any, ids: tuple[str, ...]) -> list[Case]:
    """A JSON Schema 2020 keyword added and removed, at the four body places."""
    base: Json = {"type": "object"}
    with_it = {**base, name: value}
    added = dict(zip((RB, RP, SB, SP), ids[:4], strict=True))
    removed = dict(zip((RB, RP, SB, SP), ids[4:], strict=True))
    return [(base, with_it, added), (with_it, base, removed)]


_FOUR = (("request", "body"), ("request", "property"), ("response", "body"), ("response", "property"))
_KEYWORDS: list[tuple[str, str, Any]] = [
    ("if", "if", obj(a=S)), ("then", "then", obj(["a"], a=S)), ("else", "else", obj(a=INT)),
    ("contains", "contains", INT), ("propertyNames", "property-names", {"pattern": "^a"}),
    ("unevaluatedItems", "unevaluated-items", S), ("unevaluatedProperties", "unevaluated-properties", False),
    ("contentSchema", "content-schema", S), ("dependentRequired", "dependent-required", {"a": ["b"]}),
    ("dependentSchemas", "dependent-schema", {"a": obj(["b"], b=S)}),
    ("patternProperties", "pattern-property", {"^x-": S}), ("prefixItems", "prefix-items", [INT]),
]
for _name, _slug, _value in _KEYWORDS:
    SCHEMA_CASES += _keyword(_name, _value, tuple(f"{side}-{spot}-{_slug}-{verb}" for verb in ("added", "removed")
                                                  for side, spot in _FOUR))
_CHANGES: list[tuple[str, str, Any, Any]] = [
    ("dependentRequired", "dependent-required-changed", {"a": ["b"]}, {"a": ["c"]}),
    ("minContains", "min-contains-increased", 1, 2),
    ("minContains", "min-contains-decreased", 2, 1),
    ("maxContains", "max-contains-increased", 1, 2),
    ("maxContains", "max-contains-decreased", 2, 1),
    ("contentMediaType", "content-media-type-changed", "text/plain", "text/csv"),
    ("contentEncoding", "content-encoding-changed", "base64", "base32"),
]
for _keyword_name, _slug, _old, _new in _CHANGES:
    _start: Json = {"type": "array", "contains": INT} if "Contains" in _keyword_name else {"type": "object"}
    SCHEMA_CASES.append(({**_start, _keyword_name: _old}, {**_start, _keyword_name: _new},
                         {place: f"{side}-{spot}-{_slug}"
                          for place, (side, spot) in zip((RB, RP, SB, SP), _FOUR, strict=True)}))


def _run(pair: Pair, **options: Any) -> list[SpecChange]:
    before, after = pair
    before.setdefault("components", {"schemas": _PETS})
    after.setdefault("components", {"schemas": _PETS})
    return diff_specs(before, after, today=TODAY, min_stage=Stage.ALPHA, **options)


SCHEMA_PARAMS = [(before, after, place, rule_id)
                 for before, after, ids in SCHEMA_CASES for place, rule_id in ids.items()]


@pytest.mark.parametrize(("before", "after", "place", "rule_id"), SCHEMA_PARAMS,
                         ids=[f"{rule_id}@{place}" for _, _, place, rule_id in SCHEMA_PARAMS])
def test_a_schema_change_has_its_id_at_each_place(before: Json, after: Json, place: str, rule_id: str) -> None:
    changes = _run(PLACES[place](before, after))
    assert rule_id in {change.id for change in changes}, [(c.id, c.message) for c in changes]
    [found] = [change for change in changes if change.id == rule_id]
    assert found.severity is RULES[rule_id].severity
    assert found.message and "{" not in found.message  # every template field was filled


def _ops(**operations: Json) -> Json:
    return doc({"/pets": operations})


def _deprecated(**extra: Any) -> Json:
    return op(deprecated=True, **extra)


def _with_param(**extra: Any) -> Json:
    return op(params=[param("limit", **extra)])


def _sunset(value: str, **extra: Any) -> dict[str, Any]:
    return {"x-sunset": value, **extra}


def _security(*requirements: Json) -> Json:
    return op(security=list(requirements))


def _schemes(**schemes: Json) -> Json:
    return {"securitySchemes": schemes}


def _oauth(scopes: Json, url: str = "https://a/auth", token: str = "https://a/token") -> Json:
    return {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": url, "tokenUrl": token, "scopes": scopes}}}


def _with_components(spec: Json, components: Json) -> Json:
    return {**spec, "components": components}


def _headers(**headers: Json) -> Json:
    return op(responses={"200": {"description": "OK", "headers": headers}})


_BETA = {"x-stability-level": "beta"}
POLICY = {"deprecation": DeprecationPolicy(beta_days=30, stable_days=100)}
# (rule ID, base, revision, diff_specs options)
OTHER_CASES: list[tuple[str, Json, Json, dict[str, Any]]] = [
    # paths and operations
    ("api-path-removed-with-deprecation", _ops(get=_deprecated()), doc({}), {}),
    ("api-removed-with-deprecation", _ops(get=op(), post=_deprecated(**_sunset("2020-01-01"))), _ops(get=op()), {}),
    ("api-path-sunset-parse", _ops(get=_deprecated(**_sunset("soon"))), doc({}), {}),
    ("endpoint-deprecated-with-sunset", _ops(get=op()), _ops(get=_deprecated(**_sunset("2030-01-01"))), {}),
    ("api-deprecated-sunset-missing", _ops(get=op()), _ops(get=_deprecated()), POLICY),
    ("api-deprecated-sunset-parse", _ops(get=op()), _ops(get=_deprecated(**_sunset("later"))), {}),
    ("api-sunset-date-too-small", _ops(get=op()), _ops(get=_deprecated(**_sunset("2027-01-01"))), POLICY),
    ("sunset-deleted", _ops(get=_deprecated(**_sunset("2030-01-01"))), _ops(get=_deprecated()), {}),
    ("api-sunset-date-changed-too-small", _ops(get=_deprecated(**_sunset("2030-01-01"))),
     _ops(get=_deprecated(**_sunset("2027-01-01"))), POLICY),
    ("api-invalid-stability-level", _ops(get=op()), _ops(get=op(**{"x-stability-level": "gamma"})), {}),
    ("api-operation-id-added", _ops(get=op()), _ops(get=op(operationId="listPets")), {}),
    ("api-operation-id-removed", _ops(get=op(operationId="listPets")), _ops(get=op(operationId="pets")), {}),
    ("api-tag-added", _ops(get=op(tags=["a"])), _ops(get=op(tags=["a", "b"])), {}),
    ("api-tag-removed", _ops(get=op(tags=["a", "b"])), _ops(get=op(tags=["a"])), {}),
    # parameters
    ("new-optional-request-default-parameter-to-existing-path", _ops(get=op()),
     doc({"/pets": {"parameters": [param("tenant", "header")], "get": op()}}), {}),
    ("request-parameter-deprecated-sunset-missing", _ops(get=_with_param()), _ops(get=_with_param(deprecated=True)),
     POLICY),
    ("request-parameter-sunset-date-too-small", _ops(get=_with_param()),
     _ops(get=_with_param(deprecated=True, **_sunset("2027-01-01"))), POLICY),
    ("request-parameter-sunset-deleted", _ops(get=_with_param(deprecated=True, **_sunset("2030-01-01"))),
     _ops(get=_with_param(deprecated=True)), {}),
    ("request-parameter-sunset-date-changed-too-small",
     _ops(get=_with_param(deprecated=True, **_sunset("2030-01-01"))),
     _ops(get=_with_param(deprecated=True, **_sunset("2027-01-01"))), POLICY),
    ("new-required-request-header-property", param_pair(param("X-Q", "header", schema=obj(a=S)),
                                                        param("X-Q", "header", schema=obj(["b"], a=S, b=S)))[0],
     param_pair(param("X-Q", "header", schema=obj(a=S)), param("X-Q", "header", schema=obj(["b"], a=S, b=S)))[1], {}),
    ("request-header-property-became-required",
     *param_pair(param("X-Q", "header", schema=obj(a=S)), param("X-Q", "header", schema=obj(["a"], a=S))), {}),
    # bodies and responses
    ("request-body-media-type-schema-added", _ops(post=op(body={"content": _media("text/plain", schema=None)})),
     _ops(post=op(body={"content": _media("text/plain")})), {}),
    ("request-body-media-type-schema-removed", _ops(post=op(body={"content": _media("text/plain")})),
     _ops(post=op(body={"content": _media("text/plain", schema=None)})), {}),
    ("response-body-media-type-schema-added",
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("text/plain", schema=None)}})),
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("text/plain")}})), {}),
    ("response-body-media-type-schema-removed",
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("text/plain")}})),
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("text/plain", schema=None)}})), {}),
    ("response-media-type-name-specialized",
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("application/json")}})),
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("application/problem+json")}})), {}),
    ("response-media-type-name-generalized",
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("application/problem+json")}})),
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("application/json")}})), {}),
    ("response-media-type-name-changed",
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("application/json")}})),
     _ops(get=op(responses={"200": {"description": "OK", "content": _media("application/json; charset=utf-8")}})),
     {}),
    ("response-header-added", _ops(get=op()), _ops(get=_headers(**{"X-Rate": {"schema": INT}})), {}),
    ("request-body-became-optional", _ops(post=op(body=json_body(S, required=True))), _ops(post=op(body=json_body(S))),
     {}),
    # outside JSON every value travels as text: a type swap no client can tell is "compatible"
    ("request-body-type-compatible", *request_pair({"type": "object"}, S, media="application/xml"), {}),
    ("request-property-type-compatible", *request_pair(obj(a={"type": "object"}), obj(a=S), media="text/xml"), {}),
    ("response-body-type-compatible", *response_pair(S, {"type": "object"}, media="application/xml"), {}),
    ("response-property-type-compatible", *response_pair(obj(a=S), obj(a={"type": "object"}), media="text/xml"), {}),
    # security
    ("api-security-added", _ops(get=op()), _ops(get=_security({"key": []})), {}),
    ("api-security-removed", _ops(get=_security({"key": []})), _ops(get=op()), {}),
    ("api-security-scope-added", _ops(get=_security({"oauth": ["read"]})),
     _ops(get=_security({"oauth": ["read", "write"]})), {}),
    ("api-security-scope-removed", _ops(get=_security({"oauth": ["read", "write"]})),
     _ops(get=_security({"oauth": ["read"]})), {}),
    ("api-global-security-added", _ops(get=op()), doc({"/pets": {"get": op()}}, security=[{"key": []}]), {}),
    ("api-global-security-removed", doc({"/pets": {"get": op()}}, security=[{"key": []}]), _ops(get=op()), {}),
    ("api-global-security-scope-added", doc({}, security=[{"oauth": ["read"]}]),
     doc({}, security=[{"oauth": ["read", "write"]}]), {}),
    ("api-global-security-scope-removed", doc({}, security=[{"oauth": ["read", "write"]}]),
     doc({}, security=[{"oauth": ["read"]}]), {}),
    ("api-security-component-added", doc({}), _with_components(doc({}), _schemes(key={"type": "apiKey"})), {}),
    ("api-security-component-removed", _with_components(doc({}), _schemes(key={"type": "apiKey"})), doc({}), {}),
    ("api-security-component-type-changed", _with_components(doc({}), _schemes(key={"type": "apiKey"})),
     _with_components(doc({}), _schemes(key={"type": "http"})), {}),
    ("api-security-component-oauth-url-changed", _with_components(doc({}), _schemes(o=_oauth({}))),
     _with_components(doc({}), _schemes(o=_oauth({}, url="https://b/auth"))), {}),
    ("api-security-component-oauth-token-url-changed", _with_components(doc({}), _schemes(o=_oauth({}))),
     _with_components(doc({}), _schemes(o=_oauth({}, token="https://b/token"))), {}),
    ("api-security-component-oauth-scope-added", _with_components(doc({}), _schemes(o=_oauth({}))),
     _with_components(doc({}), _schemes(o=_oauth({"read": "reads"}))), {}),
    ("api-security-component-oauth-scope-removed", _with_components(doc({}), _schemes(o=_oauth({"read": "reads"}))),
     _with_components(doc({}), _schemes(o=_oauth({}))), {}),
    ("api-security-component-oauth-scope-changed", _with_components(doc({}), _schemes(o=_oauth({"read": "reads"}))),
     _with_components(doc({}), _schemes(o=_oauth({"read": "reads all"}))), {}),
    # components
    ("webhook-added", doc({}), doc({}, webhooks={"newPet": {"post": op()}}), {}),
    ("webhook-removed", doc({}, webhooks={"newPet": {"post": op()}}), doc({}), {}),
    ("api-schema-removed", doc({}, {"Pet": obj(a=S)}), doc({}, {}), {}),
]


def _body(schema: Json) -> Json:
    return _ops(post=op(body=json_body(schema)), get=op(responses=json_response(schema)))


def _prop(**extra: Any) -> Json:
    return {"type": "string", **extra}


_REQUIRED = {"required": ["a"]}
# properties: access, deprecation, stability (in a request and a response body at once)
for _flags, _after, _ids in (
    ({}, {"readOnly": True}, ("request-optional-property-became-read-only",
                              "response-optional-property-became-read-only")),
    ({"readOnly": True}, {}, ("request-optional-property-became-not-read-only",
                              "response-optional-property-became-not-read-only")),
    ({}, {"writeOnly": True}, ("request-optional-property-became-write-only",
                               "response-optional-property-became-write-only")),
    ({"writeOnly": True}, {}, ("request-optional-property-became-not-write-only",
                               "response-optional-property-became-not-write-only")),
):
    OTHER_CASES += [(rule_id, _body(obj(a=_prop(**_flags))), _body(obj(a=_prop(**_after))), {}) for rule_id in _ids]
    _required_ids = tuple(rule_id.replace("optional", "required") for rule_id in _ids)
    OTHER_CASES += [(rule_id, _body({**obj(a=_prop(**_flags)), **_REQUIRED}),
                     _body({**obj(a=_prop(**_after)), **_REQUIRED}), {}) for rule_id in _required_ids]
for _side in ("request", "response"):
    OTHER_CASES += [
        (f"{_side}-property-deprecated", _body(obj(a=S)), _body(obj(a=_prop(deprecated=True))), {}),
        (f"{_side}-property-deprecated-with-sunset", _body(obj(a=S)),
         _body(obj(a=_prop(deprecated=True, **_sunset("2030-01-01")))), {}),
        (f"{_side}-property-deprecated-sunset-missing", _body(obj(a=S)), _body(obj(a=_prop(deprecated=True))), POLICY),
        (f"{_side}-property-deprecated-sunset-invalid", _body(obj(a=S)),
         _body(obj(a=_prop(deprecated=True, **_sunset("someday")))), {}),
        (f"{_side}-property-sunset-date-too-small", _body(obj(a=S)),
         _body(obj(a=_prop(deprecated=True, **_sunset("2027-01-01")))), POLICY),
        (f"{_side}-property-reactivated", _body(obj(a=_prop(deprecated=True))), _body(obj(a=S)), {}),
        (f"{_side}-property-stability-decreased", _body(obj(a=S)), _body(obj(a=_prop(**{"x-stability-level": "beta"}))),
         {}),
        (f"{_side}-property-stability-increased", _body(obj(a=_prop(**_BETA))), _body(obj(a=S)), {}),
    ]
OTHER_CASES += [
    ("response-write-only-property-became-optional", _body({**obj(a=_prop(writeOnly=True)), **_REQUIRED}),
     _body(obj(a=_prop(writeOnly=True))), {}),
    ("response-write-only-property-became-required", _body(obj(a=_prop(writeOnly=True))),
     _body({**obj(a=_prop(writeOnly=True)), **_REQUIRED}), {}),
    ("response-required-write-only-property-added", _body(obj(b=S)),
     _body({**obj(a=_prop(writeOnly=True), b=S), **_REQUIRED}), {}),
    ("response-required-write-only-property-removed", _body({**obj(a=_prop(writeOnly=True), b=S), **_REQUIRED}),
     _body(obj(b=S)), {}),
    ("response-optional-write-only-property-added", _body(obj(b=S)), _body(obj(a=_prop(writeOnly=True), b=S)), {}),
    ("response-optional-write-only-property-removed", _body(obj(a=_prop(writeOnly=True), b=S)), _body(obj(b=S)), {}),
]


@pytest.mark.parametrize(("rule_id", "base", "revision", "options"), OTHER_CASES, ids=[c[0] for c in OTHER_CASES])
def test_a_change_has_its_id(rule_id: str, base: Json, revision: Json, options: dict[str, Any]) -> None:
    changes = _run((base, revision), **options)
    assert rule_id in {change.id for change in changes}, [(c.id, c.message) for c in changes]
    for change in changes:
        assert change.severity is RULES[change.id].severity
        assert change.message and "{" not in change.message


def test_every_registered_rule_is_emitted_by_a_case() -> None:
    """With the cases of test_spec_checks, these name every rule; each case checks its rule is emitted."""
    named = {rule_id for _, _, _, rule_id in SCHEMA_PARAMS} | {case[0] for case in OTHER_CASES}
    named |= {case[0] for case in test_spec_checks.CASES}
    named |= RELMGRS_OWN  # emitted after the engine (spec.moves): tests/test_moves.py
    assert set(RULES) - named == set()
    assert named - set(RULES) == set()


def test_every_id_a_family_names_is_registered() -> None:
    """Every ID-like string literal of the check modules and every ByPlace entry is a registered rule."""
    looks_like_an_id = re.compile(r"(request|response|api|new|endpoint|webhook|sunset|required|optional)-[a-z-]+")
    named: set[str] = set()
    for family in FAMILIES:
        tree = ast.parse(Path(str(family.__file__)).read_text(encoding="utf-8"))
        named |= {node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and looks_like_an_id.fullmatch(node.value)}
        for value in vars(family).values():
            if isinstance(value, ByPlace):
                named |= {rule_id for slot in value.__slots__ if (rule_id := getattr(value, slot))}
    assert len(named) > 400
    assert named - set(RULES) == set()


def test_an_unregistered_id_is_a_bug() -> None:
    sink = Sink([], "GET", "/pets", "v1")
    with pytest.raises(UnknownRule):
        sink.add("request-body-enum-value-added")  # relmgr's old ID that oasdiff never had
    sink.add("endpoint-added")
    assert [change.id for change in sink.changes] == ["endpoint-added"]


def test_ids_are_spelled_like_oasdiffs() -> None:
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id), rule.id
        assert rule.template and rule.template == rule.template.strip()


def _shared_rules() -> Path | None:
    for parent in REPO.parents[:2]:
        path = parent / "shared/conformance/oasdiff-suite/rules.json"
        if path.exists():
            return path
    return None


def test_the_registry_agrees_with_oasdiffs_rules() -> None:
    """Same IDs, levels, check functions and directions as oasdiff's rules.go (when its table is beside us)."""
    path = _shared_rules()
    if path is None:
        pytest.skip("no shared oasdiff rules.json beside this checkout")
    theirs = {rule["id"]: rule for rule in json.loads(path.read_text(encoding="utf-8"))}
    assert set(RULES) - set(theirs) == RELMGRS_OWN
    assert all(RULES[rule_id].check == "" for rule_id in RELMGRS_OWN)
    assert set(theirs) - set(RULES) == {"api-version-not-bumped", "api-version-decreased",
                                        "api-major-version-not-bumped"}  # info.version: see docs/spec-rules.md
    for rule_id, rule in RULES.items():
        if rule_id in RELMGRS_OWN:
            continue
        other = theirs[rule_id]
        assert rule.severity is Severity(other["level"]), rule_id
        assert (rule.check or "nil") == other["handler"], rule_id
        assert rule.direction.value == other["direction"].removeprefix("Direction").lower(), rule_id


def test_the_rules_page_is_generated_from_the_registry() -> None:
    page = REPO / "docs" / "spec-rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(RULES), "run python scripts/spec_rules.py"
