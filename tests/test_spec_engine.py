"""Structure of the diff: $refs and cycles, renamed path parameters, allOf/oneOf, levels, sunsets."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
import yaml

from relmgr.policy.levels import Stage
from relmgr.spec import (
    DeprecationPolicy,
    Operation,
    Severity,
    SpecChange,
    diff_specs,
    load_spec,
    match_paths,
    operations,
)
from tests.spec_builders import doc, json_body, json_response, obj, op, param, request_pair

S = {"type": "string"}


def ids(changes: list[SpecChange], minimum: Severity = Severity.INFO) -> list[str]:
    return [c.id for c in changes if c.severity.at_least(minimum)]


# $ref and cycles


def _tree(leaf_type: str) -> dict[str, Any]:
    """A recursive schema: Node has children (Node) and a value; Other and Node refer to each other."""
    return {
        "Node": obj(
            value={"type": leaf_type},
            children={"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            other={"$ref": "#/components/schemas/Other"},
        ),
        "Other": obj(back={"$ref": "#/components/schemas/Node"}, name=S),
    }


def test_recursive_schemas_finish_and_report_each_change_once() -> None:
    node = {"$ref": "#/components/schemas/Node"}
    base = doc({"/tree": {"post": op(body=json_body(node))}}, _tree("integer"))
    revision = doc({"/tree": {"post": op(body=json_body(node))}}, _tree("string"))
    started = time.perf_counter()
    changes = diff_specs(base, revision)
    assert time.perf_counter() - started < 1
    assert [(c.id, c.message.split(" type changed")[0]) for c in changes] == [
        ("request-property-type-changed", "the request property 'value'")
    ]


def test_a_yaml_alias_cycle_without_refs_does_not_hang() -> None:
    text = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    post:
      requestBody:
        content:
          application/json:
            schema: &node
              type: object
              properties:
                self: *node
      responses: {'200': {description: OK}}
"""
    base = load_spec(text, "a.yaml")
    revision = load_spec(
        text.replace("type: object", "type: object\n              required: [self]"), "b.yaml"
    )
    assert ids(diff_specs(base, revision)) == ["request-property-became-required"]


def test_refs_chains_and_dangling_refs_are_tolerated() -> None:
    schemas = {
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"$ref": "#/components/schemas/A"},
        "C": obj(a=S),
    }
    base = doc(
        {
            "/x": {"post": op(body=json_body({"$ref": "#/components/schemas/A"}))},
            "/y": {"post": op(body=json_body({"$ref": "other.yaml#/Pet"}))},
        },
        schemas,
    )
    assert diff_specs(base, base) == []
    revision = doc(
        {
            "/x": {"post": op(body=json_body({"$ref": "#/components/schemas/C"}))},
            "/y": {"post": op(body=json_body({"$ref": "#/components/schemas/Missing"}))},
        },
        schemas,
    )
    assert "request-body-type-changed" in ids(diff_specs(base, revision))


def test_parameters_responses_and_bodies_behind_refs() -> None:
    components = {
        "parameters": {"Limit": param("limit", schema={"type": "integer", "maximum": 50})},
        "requestBodies": {"Pet": json_body(obj(["name"], name=S), required=True)},
        "responses": {"Pet": json_response(obj(["name"], name=S))["200"]},
    }
    path = {
        "post": op(
            params=[{"$ref": "#/components/parameters/Limit"}],
            body={"$ref": "#/components/requestBodies/Pet"},
            responses={"200": {"$ref": "#/components/responses/Pet"}},
        )
    }
    base = doc({"/pets": path}, components=components)
    changed = {
        "parameters": {"Limit": param("limit", schema={"type": "integer", "maximum": 10})},
        "requestBodies": {"Pet": json_body(obj(["name", "tag"], name=S, tag=S), required=True)},
        "responses": {"Pet": json_response(obj(name=S))["200"]},
    }
    revision = doc({"/pets": path}, components=changed)
    assert sorted(ids(diff_specs(base, revision), Severity.WARN)) == [
        "new-required-request-property",
        "request-parameter-max-decreased",
        "response-property-became-optional",
    ]


def test_a_component_used_twice_is_reported_once_counting_the_other_place() -> None:
    address = {"$ref": "#/components/schemas/Address"}
    before, after = request_pair(
        obj(billing=address, shipping=address), obj(billing=address, shipping=address)
    )
    before["components"] = {"schemas": {"Address": obj(zip=S)}}
    after["components"] = {"schemas": {"Address": obj(zip={"type": "integer"})}}
    [change] = diff_specs(before, after)
    assert change.id == "request-property-type-changed"
    assert "'billing/zip'" in change.message and change.message.endswith("(and 1 other place)")


def test_a_diamond_shaped_reference_graph_stays_linear() -> None:
    def level(index: int, leaf: str) -> dict[str, Any]:
        if index == 40:
            return obj(leaf={"type": leaf})
        down = {"$ref": f"#/components/schemas/L{index + 1}"}
        return obj(left=down, right=down)

    root = {"$ref": "#/components/schemas/L0"}
    before, after = request_pair(root, root)
    before["components"] = {"schemas": {f"L{i}": level(i, "string") for i in range(41)}}
    after["components"] = {"schemas": {f"L{i}": level(i, "integer") for i in range(41)}}
    started = time.perf_counter()
    [change] = diff_specs(before, after)
    assert time.perf_counter() - started < 1
    assert change.message.endswith(f"(and {2**40 - 1} other places)")


# paths and parameters


def test_a_renamed_path_parameter_is_no_change() -> None:
    base = doc({"/pets/{id}": {"get": op(params=[param("id", "path", required=True)])}})
    revision = doc({"/pets/{petId}": {"get": op(params=[param("petId", "path", required=True)])}})
    assert diff_specs(base, revision) == []


def test_paths_that_differ_only_in_parameter_names_are_all_accounted_for() -> None:
    assert match_paths({"/a/{x}": 1, "/b": 1}, {"/a/{y}": 1, "/a/{z}": 1, "/c/{id}": 1}) == (
        [("/a/{x}", "/a/{y}")],
        ["/b"],
        ["/a/{z}", "/c/{id}"],
    )
    assert match_paths({"/a/{x}": 1, "/a/{y}": 1}, {"/a/{y}": 1, "/a/{z}": 1}) == (
        [("/a/{y}", "/a/{y}"), ("/a/{x}", "/a/{z}")],
        [],
        [],
    )


def test_path_parameters_match_by_position() -> None:
    base = doc(
        {
            "/a/{x}/b/{y}": {
                "get": op(
                    params=[
                        param("x", "path", required=True, schema={"type": "integer"}),
                        param("y", "path", required=True),
                    ]
                )
            }
        }
    )
    revision = doc(
        {
            "/a/{first}/b/{second}": {
                "get": op(
                    params=[
                        param("first", "path", required=True, schema={"type": "integer"}),
                        param("second", "path", required=True, schema={"type": "integer"}),
                    ]
                )
            }
        }
    )
    [change] = diff_specs(base, revision)
    assert (change.id, change.path) == ("request-parameter-type-changed", "/a/{x}/b/{y}")
    assert "'second'" in change.message


def test_a_parameter_moved_to_the_path_item_is_no_change() -> None:
    base = doc({"/pets": {"get": op(params=[param("tenant", "header", required=True)])}})
    revision = doc({"/pets": {"parameters": [param("Tenant", "header", required=True)], "get": op()}})
    assert diff_specs(base, revision) == []


def test_an_operation_parameter_overrides_the_path_item_one() -> None:
    base = doc({"/pets": {"parameters": [param("q")], "get": op(params=[param("q", required=True)])}})
    revision = doc({"/pets": {"parameters": [param("q")], "get": op()}})
    assert ids(diff_specs(base, revision)) == ["request-parameter-became-optional"]


# allOf / anyOf / oneOf


def test_allof_properties_and_required_are_flattened() -> None:
    schemas = {"Base": obj(["id"], id=S)}
    flat = obj(["id"], id=S, name=S)
    composed = {"allOf": [{"$ref": "#/components/schemas/Base"}, obj(name=S)]}
    before, after = request_pair(flat, composed)
    before["components"] = after["components"] = {"schemas": schemas}
    assert diff_specs(before, after) == []
    stricter = {"allOf": [{"$ref": "#/components/schemas/Base"}, obj(["name"], name=S)]}
    before, after = request_pair(composed, stricter)
    before["components"] = after["components"] = {"schemas": schemas}
    assert ids(diff_specs(before, after)) == ["request-property-became-required"]


def test_oneof_members_are_matched_by_ref_name() -> None:
    schemas = {"Cat": obj(a=S), "Dog": obj(b=S)}
    cat, dog = {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}
    before, after = request_pair({"oneOf": [cat, dog]}, {"oneOf": [dog, cat]})
    before["components"] = after["components"] = {"schemas": schemas}
    assert diff_specs(before, after) == []
    changed = {"Cat": obj(a={"type": "integer"}), "Dog": obj(b=S)}
    after["components"] = {"schemas": changed}
    [change] = diff_specs(before, after)
    assert change.id == "request-property-type-changed"
    assert "'oneOf[#/components/schemas/Cat]/a'" in change.message


def test_oneof_members_are_matched_by_title() -> None:
    card = {"title": "Card", **obj(number=S)}
    cash = {"title": "Cash", **obj(amount={"type": "number"})}
    before, after = request_pair({"oneOf": [card, cash]}, {"oneOf": [card]})
    assert ids(diff_specs(before, after)) == ["request-body-one-of-removed"]


# levels


def test_levels_from_x_stability_level() -> None:
    spec = doc(
        {
            "/a": {
                m: op(**({"x-stability-level": v} if v else {}))
                for m, v in [
                    ("get", "draft"),
                    ("put", "alpha"),
                    ("post", "beta"),
                    ("patch", "stable"),
                    ("delete", None),
                ]
            },
            "/b": {"get": op(deprecated=True, **{"x-sunset": "2026-01-01"})},
        }
    )
    assert operations(spec) == [
        Operation("DELETE", "/a", "v1", False, None),
        Operation("GET", "/a", "v1alpha", False, None),
        Operation("PATCH", "/a", "v1", False, None),
        Operation("POST", "/a", "v1beta", False, None),
        Operation("PUT", "/a", "v1alpha", False, None),
        Operation("GET", "/b", "v1", True, "2026-01-01"),
    ]


def test_levels_from_path() -> None:
    spec = doc(
        {p: {"get": op()} for p in ["/v1alpha/x", "/v1beta1/y", "/v1/z", "/v2alpha/w", "/health", "/v1beta"]}
    )
    levels = {o.path: o.level for o in operations(spec, levels_from="path")}
    assert levels == {
        "/health": "v1",
        "/v1/z": "v1",
        "/v1alpha/x": "v1alpha",
        "/v1beta": "v1beta",
        "/v1beta1/y": "v1beta",
        "/v2alpha/w": "v2alpha",
    }


def test_path_levels_gate_what_is_reported() -> None:
    base = doc({"/v1alpha/x": {"get": op(), "post": op()}, "/v1beta/y": {"get": op()}, "/v1/z": {"get": op()}})
    revision = doc({"/v1alpha/x": {"get": op()}})
    reported = {(c.path, c.level) for c in diff_specs(base, revision, levels_from="path")}
    assert reported == {("/v1beta/y", "v1beta"), ("/v1/z", "v1")}
    everything = diff_specs(base, revision, levels_from="path", min_stage=Stage.ALPHA)
    assert {(c.id, c.level) for c in everything} == {
        ("api-removed-without-deprecation", "v1alpha"),
        ("api-path-removed-without-deprecation", "v1beta"),
        ("api-path-removed-without-deprecation", "v1"),
    }
    assert {c.level for c in diff_specs(base, revision, levels_from="path", min_stage=Stage.STABLE)} == {"v1"}


def test_the_alpha_operations_of_a_removed_path_are_never_reported() -> None:
    """oasdiff's rule: alpha and draft operations may go with their path at any time."""
    base = doc({"/x": {"get": op(**{"x-stability-level": "alpha"}), "post": op(**{"x-stability-level": "draft"})}})
    assert diff_specs(base, doc({}), min_stage=Stage.ALPHA) == []


@pytest.mark.parametrize(
    ("before", "after", "minimum", "expected"),
    [
        ("stable", "beta", Stage.BETA, ["api-stability-decreased"]),
        (None, "draft", Stage.BETA, ["api-stability-decreased"]),
        ("beta", "alpha", Stage.ALPHA, ["api-stability-decreased"]),
        ("beta", "alpha", Stage.STABLE, []),  # the base level is below the threshold
        ("alpha", "beta", Stage.ALPHA, ["api-stability-increased"]),
        ("draft", "alpha", Stage.ALPHA, []),  # both are relmgr's alpha stage
    ],
)
def test_stability_changes(before: str | None, after: str, minimum: Stage, expected: list[str]) -> None:
    base = doc({"/a": {"get": op(**({"x-stability-level": before} if before else {}))}})
    revision = doc({"/a": {"get": op(**{"x-stability-level": after})}})
    changes = diff_specs(base, revision, min_stage=minimum)
    assert ids(changes) == expected
    assert all(c.level == operations(base)[0].level for c in changes)


def test_an_unreadable_stability_level_is_reported() -> None:
    base = doc({"/a": {"get": op(**{"x-stability-level": "experimental"})}})
    fixed = doc({"/a": {"get": op(**{"x-stability-level": "beta"})}})
    assert ids(diff_specs(fixed, base)) == ["api-invalid-stability-level"]
    assert ids(diff_specs(base, fixed)) == ["api-invalid-stability-level"]  # as oasdiff: the base's too, once
    assert "experimental" in diff_specs(base, fixed)[0].message


def test_levels_from_must_name_path_or_an_extension() -> None:
    with pytest.raises(ValueError, match="levels_from"):
        diff_specs(doc({}), doc({}), levels_from="tags")


def test_levels_from_another_extension_with_relmgr_levels() -> None:
    base = doc({"/a": {"get": op(**{"x-level": "v2beta"})}})
    assert operations(base, levels_from="x-level")[0].level == "v2beta"
    [change] = diff_specs(base, doc({}), levels_from="x-level")
    assert change.level == "v2beta"


# deprecation and sunset


def _removed_with_sunset(sunset: Any, today: date | None) -> list[str]:
    base = doc({"/a": {"get": op(), "post": op(deprecated=True, **{"x-sunset": sunset})}})
    return ids(diff_specs(base, doc({"/a": {"get": op()}}), today=today))


@pytest.mark.parametrize(
    ("sunset", "today", "expected"),
    [
        ("2025-03-01", date(2025, 2, 28), "api-removed-before-sunset"),
        ("2025-03-01", date(2025, 3, 1), "api-removed-with-deprecation"),
        ("2025-03-01", date(2025, 3, 2), "api-removed-with-deprecation"),
        (date(2025, 3, 1), date(2025, 3, 2), "api-removed-with-deprecation"),  # unquoted YAML date
        ("2025-03-01T12:00:00Z", date(2025, 3, 2), "api-removed-with-deprecation"),
        ("2025-03-01", None, "api-removed-before-sunset"),  # no today: no sunset has passed
        ("next spring", date(2025, 3, 2), "api-path-sunset-parse"),
    ],
)
def test_removal_against_the_sunset(sunset: Any, today: date | None, expected: str) -> None:
    assert _removed_with_sunset(sunset, today) == [expected]


def test_an_unquoted_yaml_sunset_is_read_as_a_date() -> None:
    text = yaml.safe_dump(doc({"/a": {"get": op(deprecated=True)}})).replace(
        "deprecated: true", "deprecated: true\n      x-sunset: 2024-05-01"
    )
    spec = load_spec(text, "spec.yaml")
    assert operations(spec)[0].sunset == "2024-05-01"


def test_deprecation_policy() -> None:
    base = doc({"/a": {"get": op(), "post": op(**{"x-stability-level": "beta"})}})
    policy = DeprecationPolicy(beta_days=30, stable_days=100)

    def deprecate(sunset: str | None) -> list[str]:
        extra = {"x-sunset": sunset} if sunset else {}
        revision = doc(
            {
                "/a": {
                    "get": op(deprecated=True, **extra),
                    "post": op(deprecated=True, **extra, **{"x-stability-level": "beta"}),
                }
            }
        )
        return ids(diff_specs(base, revision, today=date(2025, 1, 1), deprecation=policy))

    assert deprecate(None) == ["api-deprecated-sunset-missing", "api-deprecated-sunset-missing"]
    assert deprecate("2025-03-01") == [
        "api-sunset-date-too-small",
        "endpoint-deprecated-with-sunset",
    ]  # GET needs 100 days
    assert deprecate("2026-01-01") == ["endpoint-deprecated-with-sunset", "endpoint-deprecated-with-sunset"]
    assert deprecate("someday") == ["api-deprecated-sunset-parse", "api-deprecated-sunset-parse"]
    quiet = doc({"/a": {"get": op(deprecated=True), "post": op(**{"x-stability-level": "beta"})}})
    assert ids(diff_specs(base, quiet)) == ["endpoint-deprecated"]


# Swagger 2.0


def test_swagger_2_documents() -> None:
    def swagger(pet: dict[str, Any], limit: dict[str, Any]) -> dict[str, Any]:
        return {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "consumes": ["application/json"],
            "definitions": {"Pet": pet},
            "paths": {
                "/pets": {
                    "post": {
                        "parameters": [
                            {
                                "in": "body",
                                "name": "pet",
                                "required": True,
                                "schema": {"$ref": "#/definitions/Pet"},
                            },
                            {"in": "query", "name": "limit", **limit},
                        ],
                        "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Pet"}}},
                    }
                }
            },
        }

    base = swagger(obj(["name"], name=S, tag=S), {"type": "integer", "maximum": 10})
    assert diff_specs(base, swagger(obj(["name"], name=S, tag=S), {"type": "integer", "maximum": 10})) == []
    revision = swagger(obj(["name"], name=S), {"type": "integer", "maximum": 5})
    assert sorted(ids(diff_specs(base, revision), Severity.WARN)) == [
        "request-parameter-max-decreased",
        "request-property-removed",
        "response-optional-property-removed",
    ]


# output


def test_changes_are_sorted_like_oasdiff_and_deterministic() -> None:
    base = doc({"/b": {"get": op(params=[param("q")])}, "/a": {"get": op(), "post": op()}})
    revision = doc({"/b": {"get": op()}, "/a": {"get": op(params=[param("x", required=True)])}})
    changes = diff_specs(base, revision)
    assert [(c.severity.value, c.operation, c.id) for c in changes] == [
        ("ERR", "GET /a", "new-required-request-parameter"),
        ("ERR", "POST /a", "api-removed-without-deprecation"),
        ("WARN", "GET /b", "request-parameter-removed"),
    ]
    assert diff_specs(base, revision) == changes


def test_spec_change_operation_text() -> None:
    change = SpecChange("endpoint-added", Severity.INFO, "POST", "/v1/chat/completions", "v1", "added")
    assert change.operation == "POST /v1/chat/completions"
    assert SpecChange("x", Severity.INFO, "", "/p", "v1", "m").operation == "/p"


def test_an_unreadable_level_leaves_deprecations_unjudged() -> None:
    """oasdiff: no deprecation days can be read from an invalid x-stability-level, so only the level is reported."""
    base = doc({"/a": {"get": op(params=[param("q")])}})
    revision = doc({"/a": {"get": op(params=[param("q", deprecated=True)], deprecated=True,
                                     **{"x-stability-level": "ga"})}})
    assert ids(diff_specs(base, revision, deprecation=DeprecationPolicy(stable_days=10))) == [
        "api-invalid-stability-level"
    ]
