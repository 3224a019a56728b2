"""Properties over generated specs, and a generous performance bound (real numbers: see the PR)."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.policy.levels import Stage
from relmgr.spec import Severity, diff_specs, load_spec
from tests.spec_builders import big_spec, modified

NAMES = st.sampled_from(["id", "name", "tag", "kind", "data", "items"])
PRIMITIVE = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "integer", "number", "boolean"])},
    optional={
        "enum": st.lists(st.sampled_from(["a", "b", 1, 2, None]), min_size=1, max_size=3),
        "maxLength": st.integers(0, 9),
        "minimum": st.integers(-5, 5),
        "pattern": st.sampled_from(["^a$", ".*"]),
        "nullable": st.booleans(),
        "default": st.sampled_from(["a", 1, True]),
        "readOnly": st.booleans(),
        "format": st.sampled_from(["int32", "date", "uuid"]),
    },
)
REF = st.sampled_from([{"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Leaf"}])


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": [n for n in required if n in properties]}


SCHEMA = st.recursive(
    PRIMITIVE | REF,
    lambda inner: st.one_of(
        st.builds(_object, st.dictionaries(NAMES, inner, max_size=3), st.lists(NAMES, max_size=2)),
        st.builds(lambda item: {"type": "array", "items": item}, inner),
        st.builds(lambda members: {"oneOf": members}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda members: {"allOf": members}, st.lists(inner, min_size=1, max_size=2)),
    ),
    max_leaves=8,
)
PARAMETER = st.builds(
    lambda name, where, required, schema: {"name": name, "in": where, "required": required, "schema": schema},
    NAMES,
    st.sampled_from(["query", "header", "cookie"]),
    st.booleans(),
    PRIMITIVE,
)


@st.composite
def operation(draw: st.DrawFn) -> dict[str, Any]:
    node: dict[str, Any] = {
        "parameters": draw(st.lists(PARAMETER, max_size=3)),
        "responses": {
            draw(st.sampled_from(["200", "201", "404", "default"])): {
                "description": "OK",
                "content": {"application/json": {"schema": draw(SCHEMA)}},
            }
        },
    }
    if draw(st.booleans()):
        node["requestBody"] = {
            "required": draw(st.booleans()),
            "content": {draw(st.sampled_from(["application/json", "text/plain"])): {"schema": draw(SCHEMA)}},
        }
    for key, values in (("x-stability-level", ["draft", "alpha", "beta", "stable"]), ("deprecated", [True])):
        if draw(st.booleans()):
            node[key] = draw(st.sampled_from(values))
    return node


@st.composite
def spec(draw: st.DrawFn) -> dict[str, Any]:
    paths = draw(
        st.dictionaries(
            st.sampled_from(["/a", "/a/{id}", "/v1beta/b", "/v1alpha/c/{x}", "/v2/d"]),
            st.dictionaries(
                st.sampled_from(["get", "post", "put", "delete"]), operation(), min_size=1, max_size=3
            ),
            max_size=3,
        )
    )
    node = {
        "type": "object",
        "properties": {"next": {"$ref": "#/components/schemas/Node"}, "leaf": draw(SCHEMA)},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Node": node, "Leaf": draw(PRIMITIVE)}},
    }


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(spec())
def test_a_spec_has_no_changes_against_itself(document: dict[str, Any]) -> None:
    assert diff_specs(document, document) == []
    twin = copy.deepcopy(document)
    assert diff_specs(document, twin, min_stage=Stage.ALPHA) == []
    assert diff_specs(document, twin, levels_from="path", min_stage=Stage.ALPHA) == []


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(spec(), spec())
def test_any_two_specs_diff_deterministically(base: dict[str, Any], revision: dict[str, Any]) -> None:
    changes = diff_specs(base, revision, min_stage=Stage.ALPHA)
    assert changes == diff_specs(copy.deepcopy(base), copy.deepcopy(revision), min_stage=Stage.ALPHA)
    assert changes == sorted(changes, key=lambda c: c.sort_key())


@pytest.mark.slow
def test_a_ten_thousand_line_spec_diffs_quickly() -> None:
    base = big_spec()
    text = yaml.safe_dump(base, sort_keys=False)
    assert len(text.splitlines()) > 9_000
    revised = yaml.safe_dump(modified(base), sort_keys=False)
    started = time.perf_counter()
    changes = diff_specs(load_spec(text, "base.yaml"), load_spec(revised, "revision.yaml"))
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{elapsed:.2f}s"  # a sanity bound for slow CI machines; measured: ~0.3 s
    breaking = {c.id for c in changes if c.severity is not Severity.INFO}
    assert breaking == {
        "api-path-removed-without-deprecation",
        "request-property-removed",
        "response-optional-property-removed",
        "request-property-type-changed",
        "response-property-type-changed",
        "request-property-became-required",
        "response-property-enum-value-added",
    }
