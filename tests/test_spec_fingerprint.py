"""Diffing only the operations whose resolved subtrees differ (spec.fingerprint) finds what the full diff finds."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.policy.levels import Stage
from relmgr.spec import diff_specs
from relmgr.spec.fingerprint import Fingerprints, may_hold_nonfinite
from relmgr.spec.moves import diff_surfaces
from tests import real_specs
from tests.budget import examples
from tests.test_spec_properties import SCHEMA, spec


def both(base: dict[str, Any], revision: dict[str, Any], **options: Any) -> None:
    fast = diff_specs(base, revision, fingerprints=True, **options)
    full = diff_specs(base, revision, fingerprints=False, **options)
    assert fast == full
    assert [c.message for c in fast] == [c.message for c in full]


@st.composite
def pair(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A base and a revision sharing most of it: some paths, or the components, or one schema, from another."""
    base, other = draw(spec()), draw(spec())
    revision = copy.deepcopy(base)
    for path in draw(st.lists(st.sampled_from(sorted(other["paths"]) or ["/a"]), max_size=2)):
        if path in other["paths"]:
            revision["paths"][path] = copy.deepcopy(other["paths"][path])
    choice = draw(st.sampled_from(["none", "components", "leaf", "node"]))
    if choice == "components":
        revision["components"] = copy.deepcopy(other["components"])
    elif choice == "leaf":
        revision["components"]["schemas"]["Leaf"] = draw(SCHEMA)
    elif choice == "node":
        revision["components"]["schemas"]["Node"]["properties"]["leaf"] = draw(SCHEMA)
    return base, revision


@settings(max_examples=examples(300), deadline=None)
@given(pair(), st.sampled_from([Stage.ALPHA, Stage.BETA]), st.sampled_from(["x-stability-level", "path"]),
       st.sampled_from([None, date(2020, 1, 1), date(2099, 1, 1)]))
def test_the_hashed_diff_is_the_full_diff(documents: tuple[dict[str, Any], dict[str, Any]], stage: Stage,
                                          levels: str, today: date | None) -> None:
    both(*documents, min_stage=stage, levels_from=levels, today=today)


def test_a_change_in_a_component_changes_exactly_the_operations_that_reach_it() -> None:
    schemas: dict[str, Any] = {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
               "B": {"type": "string"}, "C": {"type": "integer"},
               "Loop": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Loop"},
                                                         "b": {"$ref": "#/components/schemas/B"}}}}

    def document(b: str) -> dict[str, Any]:
        changed = copy.deepcopy(schemas)
        changed["B"]["type"] = b

        def operation(ref: str) -> dict[str, Any]:
            return {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}}}

        return {"openapi": "3.0.0", "components": {"schemas": changed},
                "paths": {"/a": {"get": operation("A")}, "/c": {"get": operation("C")},
                          "/loop": {"get": operation("Loop")}}}

    before, after = Fingerprints(document("string")), Fingerprints(document("integer"))
    digests = {path: (before.operation(before.document["paths"][path], "get"),
                      after.operation(after.document["paths"][path], "get")) for path in ("/a", "/c", "/loop")}
    assert digests["/c"][0] == digests["/c"][1]  # C does not reach B
    assert digests["/a"][0] != digests["/a"][1]  # A -> B
    assert digests["/loop"][0] != digests["/loop"][1]  # through a cycle to B
    both(document("string"), document("integer"), min_stage=Stage.ALPHA)


def test_a_cycle_reached_from_another_entry_is_not_remembered_short() -> None:
    """B is first digested inside A's cycle (A -> B -> A): that digest stands for B as seen from A, and must not
    be reused for an operation that reaches B directly, or A's change would be missed there."""

    def document(a_type: str) -> dict[str, Any]:
        def operation(ref: str) -> dict[str, Any]:
            return {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}}}

        return {"openapi": "3.0.0", "components": {"schemas": {
            "A": {"type": "object", "x-kind": a_type, "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}}},
            "paths": {"/a": {"get": operation("A")}, "/b": {"get": operation("B")}}}

    before, after = Fingerprints(document("one")), Fingerprints(document("two"))
    for path in ("/a", "/b"):
        assert before.operation(before.document["paths"][path], "get") != after.operation(
            after.document["paths"][path], "get")


def test_what_json_cannot_hold_has_no_digests() -> None:
    assert Fingerprints({"openapi": "3.0.0", "paths": {}, "x": {200: "ok"}}).usable is False
    assert Fingerprints({"openapi": "3.0.0", "paths": {}, "x": date(2020, 1, 1)}).usable is False
    assert Fingerprints({"openapi": "3.0.0", "paths": {}, "x": float("nan")}).usable is False
    assert Fingerprints({"openapi": "3.0.0", "paths": {}, "x": 1.5}).usable is True
    assert may_hold_nonfinite(b"default: .NaN") and may_hold_nonfinite(b'{"a": Infinity}')
    assert may_hold_nonfinite(b"maximum: 1.0e+999") and not may_hold_nonfinite(b"maximum: 1.0e+99")


@pytest.mark.slow
@pytest.mark.parametrize(("before", "after"), [(real_specs.DEPRECATE_BEFORE, real_specs.DEPRECATE_AFTER),
                                               (real_specs.PROMOTE_BEFORE, real_specs.PROMOTE_AFTER),
                                               (real_specs.DEPRECATE_AFTER, real_specs.PROMOTE_BEFORE)])
def test_the_real_projects_releases_diff_the_same(before: str, after: str) -> None:
    base, revision = real_specs.surface(before).document, real_specs.surface(after).document
    for levels in ("path", "x-stability-level"):
        fast = diff_surfaces(base, revision, levels_from=levels, min_stage=Stage.ALPHA, fingerprints=True)
        full = diff_surfaces(base, revision, levels_from=levels, min_stage=Stage.ALPHA, fingerprints=False)
        assert fast == full and fast
