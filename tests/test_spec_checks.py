"""One tiny spec pair per oasdiff check ID, and edits that must not be reported as breaking."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from relmgr.policy.levels import Stage
from relmgr.spec import DeprecationPolicy, Severity, diff_specs
from tests.spec_builders import (
    doc,
    json_body,
    json_response,
    obj,
    op,
    param,
    param_pair,
    request_pair,
    response_pair,
)

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
S = {"type": "string"}
INT = {"type": "integer"}
TODAY = date(2025, 1, 1)
REF = {"$ref": "#/components/schemas/Pet"}

PET_V1 = doc({"/pets": {"get": op(), "post": op()}})


def _with_schemas(pair: tuple[dict[str, Any], dict[str, Any]], schemas: dict[str, Any]) -> Any:
    before, after = pair
    before["components"] = {"schemas": schemas}
    after["components"] = {"schemas": schemas}
    return before, after


def _header(required: bool) -> dict[str, Any]:
    return {"X-Rate": {"schema": INT, "required": required}}


def _deprecated_op(sunset: str | None = None) -> dict[str, Any]:
    extra = {"x-sunset": sunset} if sunset else {}
    return op(deprecated=True, **extra)


# (check ID, severity, base, revision)
CASES: list[tuple[str, Severity, dict[str, Any], dict[str, Any]]] = [
    # paths and operations
    ("api-path-removed-without-deprecation", E, PET_V1, doc({})),
    ("api-removed-without-deprecation", E, PET_V1, doc({"/pets": {"get": op()}})),
    (
        "api-removed-before-sunset",
        E,
        doc({"/pets": {"get": op(), "post": _deprecated_op("2030-01-01")}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "api-removed-with-deprecation",
        INF,
        doc({"/pets": {"get": op(), "post": _deprecated_op("2020-01-01")}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "api-removed-with-deprecation",
        INF,
        doc({"/pets": {"get": op(), "post": _deprecated_op()}}),
        doc({"/pets": {"get": op()}}),
    ),
    ("api-path-removed-before-sunset", E, doc({"/pets": {"get": _deprecated_op("2030-01-01")}}), doc({})),
    (
        "api-path-removed-with-deprecation",
        INF,
        doc({"/pets": {"get": _deprecated_op("2024-12-31")}}),
        doc({}),
    ),
    ("api-path-sunset-parse", E, doc({"/pets": {"get": _deprecated_op("soon")}}), doc({})),
    (
        "api-stability-decreased",
        E,
        doc({"/pets": {"get": op(**{"x-stability-level": "stable"})}}),
        doc({"/pets": {"get": op(**{"x-stability-level": "beta"})}}),
    ),
    (
        "api-stability-increased",
        INF,
        doc({"/pets": {"get": op(**{"x-stability-level": "beta"})}}),
        doc({"/pets": {"get": op()}}),
    ),
    ("endpoint-added", INF, doc({"/pets": {"get": op()}}), PET_V1),
    ("endpoint-deprecated", INF, PET_V1, doc({"/pets": {"get": op(), "post": _deprecated_op()}})),
    ("endpoint-reactivated", INF, doc({"/pets": {"get": op(), "post": _deprecated_op()}}), PET_V1),
    # parameters
    (
        "new-required-request-parameter",
        E,
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"get": op(params=[param("limit", required=True)])}}),
    ),
    (
        "new-optional-request-parameter",
        INF,
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"get": op(params=[param("limit")])}}),
    ),
    (
        "new-request-path-parameter",
        E,
        doc({"/pets/{id}": {"get": op()}}),
        doc({"/pets/{id}": {"get": op(params=[param("id", "path", required=True)])}}),
    ),
    (
        "new-required-request-default-parameter-to-existing-path",
        E,
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"parameters": [param("tenant", "header", required=True)], "get": op()}}),
    ),
    ("request-parameter-became-required", E, *param_pair(param("limit"), param("limit", required=True))),
    ("request-parameter-became-optional", INF, *param_pair(param("limit", required=True), param("limit"))),
    (
        "request-parameter-removed",
        W,
        doc({"/pets": {"get": op(params=[param("limit")])}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "request-parameter-removed-before-sunset",
        E,
        doc({"/pets": {"get": op(params=[param("limit", deprecated=True, **{"x-sunset": "2031-01-01"})])}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "request-parameter-removed-with-deprecation",
        INF,
        doc({"/pets": {"get": op(params=[param("limit", deprecated=True)])}}),
        doc({"/pets": {"get": op()}}),
    ),
    ("request-parameter-deprecated", INF, *param_pair(param("limit"), param("limit", deprecated=True))),
    ("request-parameter-type-changed", E, *param_pair(param("limit", schema=S), param("limit", schema=INT))),
    (
        "request-parameter-type-generalized",
        INF,
        *param_pair(param("limit", schema=INT), param("limit", schema=S)),
    ),
    (
        "request-parameter-enum-value-removed",
        E,
        *param_pair(
            param("kind", schema={"type": "string", "enum": ["a", "b"]}),
            param("kind", schema={"type": "string", "enum": ["a"]}),
        ),
    ),
    (
        "request-parameter-enum-value-added",
        INF,
        *param_pair(
            param("kind", schema={"type": "string", "enum": ["a"]}),
            param("kind", schema={"type": "string", "enum": ["a", "b"]}),
        ),
    ),
    (
        "request-parameter-became-enum",
        E,
        *param_pair(param("kind"), param("kind", schema={"type": "string", "enum": ["a"]})),
    ),
    (
        "request-parameter-default-value-changed",
        E,
        *param_pair(
            param("n", schema={"type": "integer", "default": 1}),
            param("n", schema={"type": "integer", "default": 2}),
        ),
    ),
    (
        "request-parameter-default-value-added",
        E,
        *param_pair(param("n", schema=INT), param("n", schema={"type": "integer", "default": 2})),
    ),
    (
        "request-parameter-default-value-removed",
        E,
        *param_pair(param("n", schema={"type": "integer", "default": 1}), param("n", schema=INT)),
    ),
    (
        "request-parameter-max-length-decreased",
        E,
        *param_pair(
            param("q", schema={"type": "string", "maxLength": 10}),
            param("q", schema={"type": "string", "maxLength": 5}),
        ),
    ),
    (
        "request-parameter-max-length-set",
        W,
        *param_pair(param("q"), param("q", schema={"type": "string", "maxLength": 5})),
    ),
    (
        "request-parameter-min-length-increased",
        E,
        *param_pair(param("q"), param("q", schema={"type": "string", "minLength": 2})),
    ),
    (
        "request-parameter-max-decreased",
        E,
        *param_pair(
            param("n", schema={"type": "integer", "maximum": 10}),
            param("n", schema={"type": "integer", "maximum": 5}),
        ),
    ),
    (
        "request-parameter-max-set",
        W,
        *param_pair(param("n", schema=INT), param("n", schema={"type": "integer", "maximum": 5})),
    ),
    (
        "request-parameter-min-increased",
        E,
        *param_pair(
            param("n", schema={"type": "integer", "minimum": 0}),
            param("n", schema={"type": "integer", "minimum": 1}),
        ),
    ),
    (
        "request-parameter-min-set",
        W,
        *param_pair(param("n", schema=INT), param("n", schema={"type": "integer", "minimum": 1})),
    ),
    (
        "request-parameter-max-items-decreased",
        E,
        *param_pair(
            param("ids", schema={"type": "array", "items": S, "maxItems": 10}),
            param("ids", schema={"type": "array", "items": S, "maxItems": 3}),
        ),
    ),
    (
        "request-parameter-min-items-increased",
        E,
        *param_pair(
            param("ids", schema={"type": "array", "items": S, "minItems": 1}),
            param("ids", schema={"type": "array", "items": S, "minItems": 2}),
        ),
    ),
    (
        "request-parameter-pattern-added",
        E,
        *param_pair(param("q"), param("q", schema={"type": "string", "pattern": "^[a-z]+$"})),
    ),
    (
        "request-parameter-pattern-changed",
        W,
        *param_pair(
            param("q", schema={"type": "string", "pattern": "^[a-z]+$"}),
            param("q", schema={"type": "string", "pattern": "^[0-9]+$"}),
        ),
    ),
    (
        "request-parameter-pattern-generalized",
        INF,
        *param_pair(
            param("q", schema={"type": "string", "pattern": "^[a-z]+$"}),
            param("q", schema={"type": "string", "pattern": ".*"}),
        ),
    ),
    (
        "request-parameter-became-not-nullable",
        E,
        *param_pair(param("q", schema={"type": "string", "nullable": True}), param("q")),
    ),
    (
        "request-parameter-reactivated",
        INF,
        *param_pair(param("limit", deprecated=True), param("limit")),
    ),
    (
        "request-parameter-sunset-parse",
        E,
        doc({"/pets": {"get": op(params=[param("limit", deprecated=True, **{"x-sunset": "later"})])}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "request-parameter-property-enum-value-removed",
        E,
        *param_pair(
            param("filter", schema=obj(kind={"type": "string", "enum": ["a", "b"]})),
            param("filter", schema=obj(kind={"type": "string", "enum": ["a"]})),
        ),
    ),
    (
        "request-parameter-property-type-changed",  # WARN: breaking only if the object travels as JSON
        W,
        *param_pair(param("filter", schema=obj(n=INT)), param("filter", schema=obj(n=S))),
    ),
    # request bodies
    (
        "request-body-removed",
        E,
        doc({"/pets": {"post": op(body=json_body(obj(a=S)))}}),
        doc({"/pets": {"post": op()}}),
    ),
    (
        "request-body-added-required",
        E,
        doc({"/pets": {"post": op()}}),
        doc({"/pets": {"post": op(body=json_body(obj(a=S), required=True))}}),
    ),
    (
        "request-body-added-optional",
        INF,
        doc({"/pets": {"post": op()}}),
        doc({"/pets": {"post": op(body=json_body(obj(a=S)))}}),
    ),
    (
        "request-body-became-required",
        E,
        doc({"/pets": {"post": op(body=json_body(obj(a=S)))}}),
        doc({"/pets": {"post": op(body=json_body(obj(a=S), required=True))}}),
    ),
    (
        "request-body-media-type-removed",
        E,
        doc(
            {
                "/pets": {
                    "post": op(
                        body={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}
                    )
                }
            }
        ),
        doc({"/pets": {"post": op(body={"content": {"application/json": {"schema": S}}})}}),
    ),
    ("request-body-type-changed", E, *request_pair({"type": "object"}, {"type": "array", "items": S})),
    ("request-body-type-generalized", INF, *request_pair(INT, {"type": "number"})),
    ("request-property-type-changed", E, *request_pair(obj(age=INT), obj(age=S))),
    ("new-required-request-property", E, *request_pair(obj(a=S), obj(["b"], a=S, b=S))),
    (
        "new-required-request-property-with-default",
        E,
        *request_pair(obj(a=S), obj(["b"], a=S, b={"type": "string", "default": "x"})),
    ),
    ("new-optional-request-property", INF, *request_pair(obj(a=S), obj(a=S, b=S))),
    ("request-property-became-required", E, *request_pair(obj(a=S), obj(["a"], a=S))),
    (
        "request-property-became-required-with-default",
        E,
        *request_pair(
            obj(a={"type": "string", "default": "x"}), obj(["a"], a={"type": "string", "default": "x"})
        ),
    ),
    ("request-property-became-optional", INF, *request_pair(obj(["a"], a=S), obj(a=S))),
    ("request-property-removed", W, *request_pair(obj(a=S, b=S), obj(a=S))),
    ("request-property-became-enum", E, *request_pair(obj(a=S), obj(a={"type": "string", "enum": ["x"]}))),
    (
        "request-property-enum-value-removed",
        E,
        *request_pair(
            obj(a={"type": "string", "enum": ["x", "y"]}), obj(a={"type": "string", "enum": ["x"]})
        ),
    ),
    (
        "request-property-enum-value-added",
        INF,
        *request_pair(
            obj(a={"type": "string", "enum": ["x"]}), obj(a={"type": "string", "enum": ["x", "y"]})
        ),
    ),
    ("request-body-became-enum", E, *request_pair(S, {"type": "string", "enum": ["x"]})),
    (
        "request-body-enum-value-removed",
        E,
        *request_pair({"type": "string", "enum": ["x", "y"]}, {"type": "string", "enum": ["x"]}),
    ),
    (
        "request-property-became-not-nullable",
        E,
        *request_pair(obj(a={"type": "string", "nullable": True}), obj(a=S)),
    ),
    (
        "request-body-became-not-nullable",
        E,
        *request_pair({"type": "object", "nullable": True}, {"type": "object"}),
    ),
    (
        "request-property-pattern-changed",
        W,
        *request_pair(obj(a={"type": "string", "pattern": "^a"}), obj(a={"type": "string", "pattern": "^b"})),
    ),
    (
        "request-property-pattern-added",
        E,
        *request_pair(obj(a=S), obj(a={"type": "string", "pattern": "^b"})),
    ),
    (
        "request-property-max-length-decreased",
        E,
        *request_pair(obj(a={"type": "string", "maxLength": 9}), obj(a={"type": "string", "maxLength": 3})),
    ),
    (
        "request-property-max-length-set",
        W,
        *request_pair(obj(a=S), obj(a={"type": "string", "maxLength": 3})),
    ),
    (
        "request-property-min-length-increased",
        E,
        *request_pair(obj(a=S), obj(a={"type": "string", "minLength": 3})),
    ),
    (
        "request-property-max-decreased",
        E,
        *request_pair(obj(n={"type": "integer", "maximum": 9}), obj(n={"type": "integer", "maximum": 3})),
    ),
    (
        "request-property-min-increased",
        E,
        *request_pair(obj(n={"type": "integer", "minimum": 1}), obj(n={"type": "integer", "minimum": 3})),
    ),
    (
        "request-property-min-items-increased",
        E,
        *request_pair(
            obj(l={"type": "array", "items": S, "minItems": 1}),
            obj(l={"type": "array", "items": S, "minItems": 2}),
        ),
    ),
    (
        "request-property-default-value-changed",
        INF,
        *request_pair(obj(a={"type": "string", "default": "x"}), obj(a={"type": "string", "default": "y"})),
    ),
    (
        "request-property-any-of-removed",
        E,
        *request_pair(obj(a={"anyOf": [obj(x=S), obj(y=INT)]}), obj(a={"anyOf": [obj(x=S)]})),
    ),
    (
        "request-property-one-of-added",
        INF,
        *request_pair(obj(a={"oneOf": [obj(x=S)]}), obj(a={"oneOf": [obj(x=S), obj(y=INT)]})),
    ),
    # a oneOf/anyOf of simple types is oasdiff's "list of types": it stands for the member changes
    ("request-property-list-of-types-narrowed", E, *request_pair(obj(a={"anyOf": [S, INT]}), obj(a={"anyOf": [S]}))),
    ("request-property-list-of-types-widened", INF, *request_pair(obj(a={"oneOf": [S]}), obj(a={"oneOf": [S, INT]}))),
    (
        "request-body-one-of-removed",
        E,
        *_with_schemas(
            request_pair({"oneOf": [REF, {"$ref": "#/components/schemas/Cat"}]}, {"oneOf": [REF]}),
            {"Pet": obj(a=S), "Cat": obj(b=S)},
        ),
    ),
    (
        "request-body-media-type-added",
        INF,
        doc({"/pets": {"post": op(body={"content": {"application/json": {"schema": S}}})}}),
        doc(
            {
                "/pets": {
                    "post": op(
                        body={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}
                    )
                }
            }
        ),
    ),
    # responses
    (
        "response-media-type-added",
        INF,
        doc({"/pets": {"get": op(responses=json_response(S))}}),
        doc(
            {
                "/pets": {
                    "get": op(
                        responses={
                            "200": {
                                "description": "OK",
                                "content": {
                                    "application/json": {"schema": S},
                                    "application/xml": {"schema": S},
                                },
                            }
                        }
                    )
                }
            }
        ),
    ),
    (
        "response-non-success-status-added",
        INF,
        doc({"/pets": {"get": op()}}),
        doc(
            {
                "/pets": {
                    "get": op(responses={"200": {"description": "OK"}, "409": {"description": "conflict"}})
                }
            }
        ),
    ),
    (
        "response-success-status-removed",
        E,
        doc({"/pets": {"get": op(responses={"200": {"description": "OK"}, "201": {"description": "OK"}})}}),
        doc({"/pets": {"get": op(responses={"200": {"description": "OK"}})}}),
    ),
    (
        "response-non-success-status-removed",
        INF,
        doc({"/pets": {"get": op(responses={"200": {"description": "OK"}, "404": {"description": "no"}})}}),
        doc({"/pets": {"get": op(responses={"200": {"description": "OK"}})}}),
    ),
    (
        "response-success-status-added",
        INF,
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"get": op(responses={"200": {"description": "OK"}, "202": {"description": "OK"}})}}),
    ),
    (
        "response-media-type-removed",
        E,
        doc(
            {
                "/pets": {
                    "get": op(
                        responses={
                            "200": {
                                "description": "OK",
                                "content": {
                                    "application/json": {"schema": S},
                                    "application/xml": {"schema": S},
                                },
                            }
                        }
                    )
                }
            }
        ),
        doc({"/pets": {"get": op(responses=json_response(S))}}),
    ),
    ("response-body-type-changed", E, *response_pair(S, {"type": "object"})),
    ("response-body-type-specialized", INF, *response_pair({"type": "number"}, INT)),
    ("response-property-type-changed", E, *response_pair(obj(a=INT), obj(a=S))),
    ("response-required-property-removed", E, *response_pair(obj(["a"], a=S, b=S), obj(b=S))),
    ("response-optional-property-removed", W, *response_pair(obj(a=S, b=S), obj(b=S))),
    ("response-required-property-added", INF, *response_pair(obj(b=S), obj(["a"], a=S, b=S))),
    ("response-optional-property-added", INF, *response_pair(obj(b=S), obj(a=S, b=S))),
    ("response-property-became-optional", E, *response_pair(obj(["a"], a=S), obj(a=S))),
    ("response-property-became-required", INF, *response_pair(obj(a=S), obj(["a"], a=S))),
    ("response-body-became-nullable", E, *response_pair(obj(a=S), {**obj(a=S), "nullable": True})),
    ("response-property-became-nullable", E, *response_pair(obj(a=S), obj(a={"type": ["string", "null"]}))),
    (
        "response-property-enum-value-added",
        W,
        *response_pair(
            obj(a={"type": "string", "enum": ["x"]}), obj(a={"type": "string", "enum": ["x", "y"]})
        ),
    ),
    (
        "response-property-enum-value-removed",
        INF,
        *response_pair(
            obj(a={"type": "string", "enum": ["x", "y"]}), obj(a={"type": "string", "enum": ["x"]})
        ),
    ),
    (
        "response-property-max-length-increased",
        E,
        *response_pair(obj(a={"type": "string", "maxLength": 3}), obj(a={"type": "string", "maxLength": 9})),
    ),
    (
        "response-property-max-length-unset",
        E,
        *response_pair(obj(a={"type": "string", "maxLength": 3}), obj(a=S)),
    ),
    (
        "response-property-min-decreased",
        E,
        *response_pair(obj(n={"type": "integer", "minimum": 3}), obj(n={"type": "integer", "minimum": 1})),
    ),
    ("response-body-one-of-added", E, *response_pair({"oneOf": [obj(a=S)]}, {"oneOf": [obj(a=S), obj(b=INT)]})),
    ("response-body-list-of-types-widened", E, *response_pair({"oneOf": [S]}, {"oneOf": [S, INT]})),
    (
        "response-property-pattern-changed",
        INF,
        *response_pair(
            obj(a={"type": "string", "pattern": "^a"}), obj(a={"type": "string", "pattern": "^b"})
        ),
    ),
    (
        "required-response-header-removed",
        E,
        doc({"/pets": {"get": op(responses={"200": {"description": "OK", "headers": _header(True)}})}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "optional-response-header-removed",
        W,
        doc({"/pets": {"get": op(responses={"200": {"description": "OK", "headers": _header(False)}})}}),
        doc({"/pets": {"get": op()}}),
    ),
    (
        "response-header-became-optional",
        E,
        doc({"/pets": {"get": op(responses={"200": {"description": "OK", "headers": _header(True)}})}}),
        doc({"/pets": {"get": op(responses={"200": {"description": "OK", "headers": _header(False)}})}}),
    ),
]


@pytest.mark.parametrize(("rule_id", "severity", "base", "revision"), CASES, ids=[c[0] for c in CASES])
def test_check(rule_id: str, severity: Severity, base: dict[str, Any], revision: dict[str, Any]) -> None:
    changes = diff_specs(base, revision, today=TODAY)
    assert (rule_id, severity) in [(c.id, c.severity) for c in changes], changes
    breaking = {c.id for c in changes if c.severity is not Severity.INFO}
    assert breaking == ({rule_id} if severity is not Severity.INFO else set()), changes


def test_every_case_message_is_one_sentence() -> None:
    for rule_id, _, base, revision in CASES:
        for change in diff_specs(base, revision, today=TODAY):
            assert change.message and "\n" not in change.message, rule_id


NOT_BREAKING: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "description and summary edits",
        doc({"/pets": {"get": op(summary="a", description="a", params=[param("q", description="a")])}}),
        doc({"/pets": {"get": op(summary="b", description="b", params=[param("q", description="b")])}}),
    ),
    (
        "examples",
        *request_pair(obj(a={"type": "string", "example": "x"}), obj(a={"type": "string", "example": "y"})),
    ),
    (
        "extensions",
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"get": op(**{"x-internal": True})}}, **{"x-foo": 1}),
    ),
    (
        "optional parameter added",
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"get": op(params=[param("q")])}}),
    ),
    ("optional request property added", *request_pair(obj(a=S), obj(a=S, b=S))),
    (
        "request enum value added",
        *request_pair(
            obj(a={"type": "string", "enum": ["x"]}), obj(a={"type": "string", "enum": ["x", "y"]})
        ),
    ),
    (
        "enum reordered",
        *request_pair(
            obj(a={"type": "string", "enum": ["x", "y"]}), obj(a={"type": "string", "enum": ["y", "x"]})
        ),
    ),
    ("response property added", *response_pair(obj(a=S), obj(["b"], a=S, b=S))),
    (
        "response enum value removed",
        *response_pair(
            obj(a={"type": "string", "enum": ["x", "y"]}), obj(a={"type": "string", "enum": ["x"]})
        ),
    ),
    (
        "request limits relaxed",
        *request_pair(
            obj(a={"type": "string", "maxLength": 3, "minLength": 2}),
            obj(a={"type": "string", "maxLength": 9}),
        ),
    ),
    ("request integer -> number", *request_pair(obj(n=INT), obj(n={"type": "number"}))),
    (
        "request int32 -> int64",
        *request_pair(
            obj(n={"type": "integer", "format": "int32"}), obj(n={"type": "integer", "format": "int64"})
        ),
    ),
    ("response number -> integer", *response_pair(obj(n={"type": "number"}), obj(n=INT))),
    (
        "3.0 nullable == 3.1 null type",
        *request_pair(obj(a={"type": "string", "nullable": True}), obj(a={"type": ["string", "null"]})),
    ),
    (
        "request body became optional",
        doc({"/pets": {"post": op(body=json_body(S, required=True))}}),
        doc({"/pets": {"post": op(body=json_body(S))}}),
    ),
    (
        "response header added and made required",
        doc({"/pets": {"get": op(responses={"200": {"description": "OK", "headers": _header(False)}})}}),
        doc(
            {
                "/pets": {
                    "get": op(
                        responses={
                            "200": {"description": "OK", "headers": {**_header(True), "X-New": {"schema": S}}}
                        }
                    )
                }
            }
        ),
    ),
    (
        "operation and path added",
        doc({"/pets": {"get": op()}}),
        doc({"/pets": {"get": op(), "put": op()}, "/cats": {"get": op()}}),
    ),
    ("inline schema moved to a component", *_with_schemas(request_pair(obj(a=S), REF), {"Pet": obj(a=S)})),
    (
        "draft operation broken (below the default threshold)",
        doc({"/pets": {"get": op(params=[param("q")], **{"x-stability-level": "draft"})}}),
        doc({"/pets": {"get": op(params=[param("q", required=True)], **{"x-stability-level": "draft"})}}),
    ),
]


@pytest.mark.parametrize(("name", "base", "revision"), NOT_BREAKING, ids=[c[0] for c in NOT_BREAKING])
def test_not_breaking(name: str, base: dict[str, Any], revision: dict[str, Any]) -> None:
    changes = diff_specs(base, revision, today=TODAY)
    assert [c for c in changes if c.severity is not Severity.INFO] == []


def test_alpha_changes_are_reported_with_their_level_when_asked() -> None:
    base = doc({"/pets": {"get": op(params=[param("q")], **{"x-stability-level": "alpha"})}})
    revision = doc(
        {"/pets": {"get": op(params=[param("q", required=True)], **{"x-stability-level": "alpha"})}}
    )
    assert diff_specs(base, revision) == []
    [change] = diff_specs(base, revision, min_stage=Stage.ALPHA)
    assert (change.id, change.level, change.operation) == (
        "request-parameter-became-required",
        "v1alpha",
        "GET /pets",
    )


def test_parameter_deprecation_policy() -> None:
    base, revision = param_pair(param("limit"), param("limit", deprecated=True))
    changes = diff_specs(base, revision, deprecation=DeprecationPolicy(stable_days=90))
    assert [(c.id, c.severity) for c in changes] == [("request-parameter-deprecated-sunset-missing", E)]
