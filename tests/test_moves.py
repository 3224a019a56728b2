"""`spec.moves`: a route that moves to another level's prefix is one `operation-level-changed`."""

from __future__ import annotations

import pytest

from relmgr.policy.levels import Stage
from relmgr.spec import Severity, SpecChange
from relmgr.spec.moves import OPERATION_LEVEL_CHANGED, LevelMove, diff_surfaces, split_level
from tests.spec_builders import Json, doc, op, param


def moved(before: Json, after: Json) -> list[SpecChange]:
    return diff_surfaces(doc(before), doc(after), levels_from="path", min_stage=Stage.ALPHA)


def test_split_level_finds_the_first_level_segment() -> None:
    assert split_level("/v1alpha/connectors/{id}") == ("v1alpha", "/{level}/connectors/{}")
    assert split_level("/api/v2beta/x") == ("v2beta", "/api/{level}/x")
    assert split_level("/v1/openai/v1/models") == ("v1", "/{level}/openai/v1/models")
    assert split_level("/v1beta2/x") == ("v1beta", "/{level}/x")  # Google-style versions name their stage
    assert split_level("/health") is None


def test_a_promotion_is_one_change_judged_as_the_old_routes_removal() -> None:
    found = moved({"/v1alpha/x/{id}": {"get": op()}}, {"/v1beta/x/{x_id}": {"get": op()}})
    assert len(found) == 1
    move = found[0]
    assert isinstance(move, LevelMove)
    assert (move.id, move.severity, move.operation, move.level) == (
        OPERATION_LEVEL_CHANGED, Severity.ERR, "GET /v1alpha/x/{id}", "v1alpha")
    assert (move.to_path, move.to_level, move.removal) == ("/v1beta/x/{x_id}", "v1beta",
                                                          "api-path-removed-without-deprecation")
    assert move.as_removal().id == "api-path-removed-without-deprecation"


def test_a_deprecated_route_moved_is_info() -> None:
    found = moved({"/v1beta/x": {"get": op(deprecated=True)}}, {"/v1/x": {"get": op()}})
    assert [(c.id, c.severity) for c in found] == [(OPERATION_LEVEL_CHANGED, Severity.INFO)]
    assert found[0].message == "moved to /v1/x (v1beta → v1) after deprecating the old route"


def test_a_move_to_a_less_stable_level_is_err_even_after_deprecation() -> None:
    found = moved({"/v1/x": {"get": op(deprecated=True)}}, {"/v1beta/x": {"get": op()}})
    assert [(c.id, c.severity) for c in found] == [(OPERATION_LEVEL_CHANGED, Severity.ERR)]


def test_an_alias_kept_is_no_move() -> None:
    found = moved({"/v1alpha/x": {"get": op()}}, {"/v1alpha/x": {"get": op()}, "/v1beta/x": {"get": op()}})
    assert [c.id for c in found] == ["endpoint-added"]


@pytest.mark.parametrize(("before", "after"), [
    ({"/v1alpha/x": {"get": op()}}, {"/v1beta/x": {"post": op()}}),  # another method
    ({"/v1alpha/x": {"get": op()}}, {"/v1beta/y": {"get": op()}}),  # another path after the level
    ({"/x": {"get": op()}}, {"/v1/x": {"get": op()}}),  # no level segment before
])
def test_other_changes_stay_removals_and_additions(before: Json, after: Json) -> None:
    assert OPERATION_LEVEL_CHANGED not in {c.id for c in moved(before, after)}


def test_the_new_routes_own_changes_are_not_compared_but_the_rest_is() -> None:
    before = {"/v1alpha/x": {"get": op()}, "/v1/y": {"get": op()}}
    after = {"/v1beta/x": {"get": op()}, "/v1/y": {"get": op(params=[param("mode", required=True)])}}
    assert sorted(c.id for c in moved(before, after)) == ["new-required-request-parameter", OPERATION_LEVEL_CHANGED]
