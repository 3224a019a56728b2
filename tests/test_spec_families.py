"""How the check families judge: which change stands for which, what is no change, what messages say."""

from __future__ import annotations

from datetime import date

import pytest

from relmgr.spec import DeprecationPolicy, SpecChange, diff_specs, selected_rules
from relmgr.spec.checks.bodies import contained, pair_media_types
from tests.spec_builders import Json, doc, json_body, json_response, obj, op, param, param_pair, request_pair

S, INT = {"type": "string"}, {"type": "integer"}
TODAY = date(2026, 12, 1)


def ids(changes: list[SpecChange]) -> list[str]:
    return [change.id for change in changes]


def response_pair(before: Json, after: Json, media: str = "application/json") -> tuple[Json, Json]:
    def spec(schema: Json) -> Json:
        return doc({"/pets": {"get": op(responses={"200": {"description": "OK",
                                                           "content": {media: {"schema": schema}}}})}})

    return spec(before), spec(after)


# types


def test_a_list_of_types_is_one_finding_on_the_breaking_side() -> None:
    """A oneOf of simple types stands for its members and the type change; a request fears narrowing."""
    before, after = request_pair(obj(a={"oneOf": [S, INT]}), obj(a={"oneOf": [S, {"type": "boolean"}]}))
    assert ids(diff_specs(before, after)) == ["request-property-list-of-types-narrowed"]
    before, after = response_pair(obj(a={"oneOf": [S, INT]}), obj(a={"oneOf": [S, {"type": "boolean"}]}))
    changes = diff_specs(before, after)
    assert ids(changes) == ["response-property-list-of-types-widened"]
    assert changes[0].detail_map["types"] == "boolean"


def test_a_nullable_type_list_is_no_type_change() -> None:
    before, after = request_pair(obj(a={"type": "string", "nullable": True}), obj(a={"type": ["string", "null"]}))
    assert diff_specs(before, after) == []
    before, after = request_pair(obj(a=S), obj(a={"type": ["null", "string"]}))
    assert ids(diff_specs(before, after)) == ["request-property-became-nullable"]


def test_type_messages_say_untyped_and_the_dimension() -> None:
    [change] = diff_specs(*response_pair(obj(a={}), obj(a=S)))
    assert change.id == "response-property-type-specialized"
    assert "'a' type for status 200 changed from untyped to string" in change.message
    [change] = diff_specs(*request_pair(obj(a={"type": "string", "format": "date"}),
                                        obj(a={"type": "string", "format": "date-time"})))
    assert (change.id, change.detail_map["dimension"]) == ("request-property-type-generalized", "format")
    assert "from date to date-time" in change.message


def test_a_widened_response_type_set_is_generalized_and_breaks() -> None:
    [change] = diff_specs(*response_pair(obj(a=S), obj(a={"type": ["string", "integer"]})))
    assert (change.id, change.severity.value) == ("response-property-type-generalized", "ERR")


def test_a_read_only_property_s_type_is_not_judged_in_a_request() -> None:
    before, after = request_pair(obj(a={"type": "string", "readOnly": True}), obj(a={"type": "integer",
                                                                                     "readOnly": True}))
    assert diff_specs(before, after) == []


def test_an_object_wrapped_in_a_one_of_is_one_finding_not_removed_properties() -> None:
    wrapped = {"oneOf": [obj(["a"], a=S), obj(["b"], b=S)]}
    assert ids(diff_specs(*request_pair(obj(a=S, b=S, c=S), wrapped))) == [
        "request-body-wrapped-in-one-of",  # moved properties are not removed; `c` left for good
        "request-property-removed",
    ]
    changes = diff_specs(*request_pair(obj(a=S, b=S, c=S), wrapped))
    [removed] = [c for c in changes if c.id == "request-property-removed"]
    assert removed.detail_map["property"] == "c"


# composition


def test_all_of_members_added_to_a_list_are_reported_a_rewrite_as_all_of_is_judged_by_what_it_says() -> None:
    pet = {"Pet": obj(name=S)}
    grown = request_pair({"allOf": [obj(a=S)]}, {"allOf": [obj(a=S), {"$ref": "#/components/schemas/Pet"}]})
    for side in grown:
        side["components"] = {"schemas": pet}
    changes = diff_specs(*grown)
    assert ids(changes) == ["request-body-all-of-added", "new-optional-request-property"]  # Pet brings `name`
    assert changes[0].detail_map["subschemas"] == "#/components/schemas/Pet"
    rewritten = request_pair(obj(a=S, name=S), {"allOf": [obj(a=S), {"$ref": "#/components/schemas/Pet"}]})
    for side in rewritten:
        side["components"] = {"schemas": pet}
    assert diff_specs(*rewritten) == []


def test_one_of_members_are_reported_together() -> None:
    before, after = request_pair({"oneOf": [obj(a=S)]}, {"oneOf": [obj(a=S), obj(b=S), {"title": "C", **obj(c=S)}]})
    [change] = diff_specs(before, after)
    assert change.id == "request-body-one-of-added"
    assert change.detail_map["subschemas"] == "subschema #2, subschema #3: C"


def test_discriminator_mapping_changes() -> None:
    def union(mapping: Json) -> Json:
        return {"oneOf": [obj(kind=S)], "discriminator": {"propertyName": "kind", "mapping": mapping}}

    before, after = response_pair(union({"a": "#/A", "b": "#/B"}), union({"a": "#/C", "c": "#/C"}))
    assert sorted(ids(diff_specs(before, after))) == [
        "response-body-discriminator-mapping-added",
        "response-body-discriminator-mapping-changed",
        "response-body-discriminator-mapping-deleted",
    ]


def test_prefix_items_pair_by_position() -> None:
    before, after = request_pair({"type": "array", "prefixItems": [S, INT]},
                                 {"type": "array", "prefixItems": [INT, S]})
    changes = diff_specs(before, after)
    assert sorted((c.id, c.detail_map["property"]) for c in changes) == [
        ("request-property-type-changed", "prefixItems[#1]"),
        ("request-property-type-changed", "prefixItems[#2]"),
    ]


# JSON Schema 2020 keywords


def test_keywords_added_to_a_response_are_news_removed_ones_break() -> None:
    base, revision = response_pair({"type": "object"}, {"type": "object", "if": obj(a=S), "then": obj(["a"], a=S)})
    assert [(c.id, c.severity.value) for c in diff_specs(base, revision)] == [
        ("response-body-if-added", "INFO"), ("response-body-then-added", "INFO")]
    assert [(c.id, c.severity.value) for c in diff_specs(revision, base)] == [
        ("response-body-if-removed", "ERR"), ("response-body-then-removed", "ERR")]


def test_a_change_below_a_sub_schema_is_reported_at_its_path() -> None:
    def with_not(limit: int) -> Json:
        return obj(a={"type": "object", "not": obj(b={"type": "string", "maxLength": limit})})

    [change] = diff_specs(*request_pair(with_not(9), with_not(3)))
    assert (change.id, change.detail_map["property"]) == ("request-property-max-length-decreased", "a/not/b")
    [change] = diff_specs(*request_pair({"type": "object", "additionalProperties": obj(["x"], x=S, y=S)},
                                        {"type": "object", "additionalProperties": obj(["x", "y"], x=S, y=S)}))
    assert (change.id, change.detail_map["property"]) == ("request-property-became-required",
                                                          "additionalProperties/y")


def test_boolean_sub_schemas() -> None:
    """`unevaluatedProperties: false` constrains; `true` allows all, as if absent."""
    base, revision = request_pair({"type": "object"}, {"type": "object", "unevaluatedProperties": False})
    assert ids(diff_specs(base, revision)) == ["request-body-unevaluated-properties-added"]
    assert diff_specs(*request_pair({"type": "object"}, {"type": "object", "unevaluatedProperties": True})) == []


# values and bounds


def test_an_empty_pattern_is_no_pattern() -> None:
    before, after = request_pair(obj(a={"type": "string", "pattern": "^a"}), obj(a={"type": "string", "pattern": ""}))
    assert ids(diff_specs(before, after)) == ["request-property-pattern-removed"]


def test_the_max_items_of_an_array_parameter_s_items_count_for_the_parameter() -> None:
    def array(limit: int) -> Json:
        return param("ids", schema={"type": "array", "items": {"type": "string", "maxItems": limit}})

    [change] = diff_specs(*param_pair(array(10), array(3)))
    assert (change.id, change.detail_map["parameter"]) == ("request-parameter-max-items-decreased", "ids")
    assert "from 10 to 3" in change.message


def test_x_extensible_enum_values_may_grow() -> None:
    def ext(*values: str) -> Json:
        return obj(a={"type": "string", "x-extensible-enum": list(values)})

    assert diff_specs(*request_pair(ext("a"), ext("a", "b"))) == []
    removed = diff_specs(*request_pair(ext("a", "b"), ext("a")))
    assert ids(removed) == ["request-property-x-extensible-enum-value-removed"]


def test_const_in_a_request_and_a_response() -> None:
    before, after = {"type": "string", "const": "v1"}, {"type": "string", "const": "v2"}
    assert [(c.id, c.severity.value) for c in diff_specs(*request_pair(obj(a=before), obj(a=after)))] == [
        ("request-property-const-changed", "ERR")]
    assert [(c.id, c.severity.value) for c in diff_specs(*response_pair(obj(a=S), obj(a=before)))] == [
        ("response-property-const-added", "INFO")]


# properties


def test_property_deprecation_follows_the_operation_s_deprecation_days() -> None:
    beta = {"x-stability-level": "beta"}

    def spec(prop: Json) -> Json:
        return doc({"/pets": {"post": op(body=json_body(obj(a=prop)), **beta)}})

    deprecated = spec({"type": "string", "deprecated": True, "x-sunset": "2027-01-01"})
    assert ids(diff_specs(spec(S), deprecated, today=TODAY)) == ["request-property-deprecated-with-sunset"]
    strict = diff_specs(spec(S), deprecated, today=TODAY, deprecation=DeprecationPolicy(beta_days=60))
    assert ids(strict) == ["request-property-sunset-date-too-small"]  # 31 days' notice, 60 asked
    lenient = diff_specs(spec(S), deprecated, today=TODAY, deprecation=DeprecationPolicy(stable_days=60))
    assert ids(lenient) == ["request-property-deprecated-with-sunset"]  # the policy is for stable operations


def test_property_stability_is_gated_on_its_base_level() -> None:
    def spec(level: str | None) -> Json:
        prop: Json = {"type": "string", **({"x-stability-level": level} if level else {})}
        return doc({"/pets": {"get": op(responses=json_response(obj(a=prop)))}})

    assert ids(diff_specs(spec(None), spec("beta"))) == ["response-property-stability-decreased"]
    assert diff_specs(spec("alpha"), spec("beta")) == []  # alpha is below the default threshold
    assert ids(diff_specs(spec(None), spec("sometime"))) == ["api-invalid-stability-level"]


def test_access_changes_name_the_property_and_its_requiredness_before() -> None:
    before, after = request_pair(obj(["a"], a=S), obj(a={"type": "string", "readOnly": True}))
    changes = diff_specs(before, after)
    assert "request-required-property-became-read-only" in ids(changes)


# media types, headers, security


def test_media_types_pair_with_related_names() -> None:
    assert contained("application/json", "application/problem+json")
    assert not contained("application/problem+json", "application/json")
    assert contained("application/json", "application/json; charset=utf-8")
    assert pair_media_types(["application/json", "text/plain"], ["application/problem+json", "text/csv"]) == (
        [("application/json", "application/problem+json")], ["text/plain"], ["text/csv"])


def test_a_media_type_s_schema_appearing_is_judged_as_such_not_compared() -> None:
    def spec(media: Json) -> Json:
        return doc({"/pets": {"post": op(body={"content": {"application/json": media}})}})

    assert ids(diff_specs(spec({}), spec({"schema": obj(["a"], a=S)}))) == ["request-body-media-type-schema-added"]


def test_response_header_types_are_text() -> None:
    def spec(schema: Json) -> Json:
        return doc({"/pets": {"get": op(responses={"200": {"description": "OK",
                                                           "headers": {"X-Count": {"schema": schema}}}})}})

    [change] = diff_specs(spec(S), spec(INT))
    assert (change.id, change.detail_map["header"]) == ("response-header-type-compatible", "X-Count")
    assert ids(diff_specs(spec({"type": "string", "format": "date-time"}), spec(INT))) == [
        "response-header-type-changed"]


def test_security_alternatives_that_share_a_scheme_are_no_change_when_equal() -> None:
    """`oauth: [read]` OR `oauth: [write]` compared with itself, reordered: no phantom scope changes."""
    alternatives = [{"oauth": ["read"]}, {"oauth": ["write"]}]
    base = doc({"/pets": {"get": op(security=alternatives)}})
    assert diff_specs(base, doc({"/pets": {"get": op(security=alternatives[::-1])}})) == []
    scoped = doc({"/pets": {"get": op(security=[{"oauth": ["read", "admin"]}])}})
    [change] = diff_specs(doc({"/pets": {"get": op(security=[{"oauth": ["read"]}])}}), scoped)
    assert (change.id, change.detail_map["scope"], change.detail_map["scheme"]) == (
        "api-security-scope-added", "'admin'", "'oauth'")


# the --check selection


def test_checks_select_rule_ids_or_an_oasdiff_check_s_ids() -> None:
    assert selected_rules(["RequestParameterRemovedCheck"]) == frozenset({
        "request-parameter-removed", "request-parameter-removed-with-deprecation",
        "request-parameter-removed-before-sunset", "request-parameter-sunset-parse"})
    assert selected_rules(["endpoint-added"]) == frozenset({"endpoint-added"})
    assert selected_rules(None) is None
    with pytest.raises(ValueError, match="no rule ID"):
        selected_rules(["request-body-enum-value-added"])
    before, after = param_pair(param("q"), param("q", required=True, deprecated=True))
    assert ids(diff_specs(before, after)) == ["request-parameter-became-required", "request-parameter-deprecated"]
    assert ids(diff_specs(before, after, checks=["RequestParameterDeprecationCheck"])) == [
        "request-parameter-deprecated"]


def test_document_wide_changes_have_a_location_for_a_path() -> None:
    before, after = doc({}, webhooks={"ping": {"post": op()}}), doc({})
    [change] = diff_specs(before, after)
    assert (change.id, change.path, change.method, change.operation) == ("webhook-removed", "#/webhooks", "",
                                                                         "#/webhooks")

