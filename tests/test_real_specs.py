"""The real project's two spec changes, each three split files read as one surface (tests/real_specs.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from relmgr.policy.levels import Stage
from relmgr.spec import SpecChange, diff_specs
from relmgr.spec.moves import OPERATION_LEVEL_CHANGED, LevelMove, diff_surfaces
from tests.real_specs import (
    DEPRECATE_AFTER,
    DEPRECATE_BEFORE,
    FILES,
    PROMOTE_AFTER,
    PROMOTE_BEFORE,
    document,
    fixtures,
    surface,
)

TOOLS = {("POST", "/v1/tool-runtime/invoke"), ("GET", "/v1/tool-runtime/list-tools"), ("GET", "/v1/toolgroups"),
         ("GET", "/v1/toolgroups/{toolgroup_id}"), ("GET", "/v1/tools"), ("GET", "/v1/tools/{tool_name}")}
CONNECTORS = ["/v1alpha/connectors", "/v1alpha/connectors/{connector_id}", "/v1alpha/connectors/{connector_id}/tools",
              "/v1alpha/connectors/{connector_id}/tools/{tool_name}"]


def changes(before: str, after: str) -> list[SpecChange]:
    return diff_surfaces(surface(before).document, surface(after).document, levels_from="path",
                         min_stage=Stage.ALPHA)


def test_the_fixtures_are_the_shared_ones_or_their_copy() -> None:
    copy = Path(__file__).parent / "fixtures/ogx"
    for commit in (DEPRECATE_BEFORE, DEPRECATE_AFTER, PROMOTE_BEFORE, PROMOTE_AFTER):
        for name in FILES:
            assert (fixtures() / commit / name).read_bytes() == (copy / commit / name).read_bytes()


def test_each_commits_files_compose_without_conflicts() -> None:
    for commit in (DEPRECATE_BEFORE, DEPRECATE_AFTER, PROMOTE_BEFORE, PROMOTE_AFTER):
        found = surface(commit)
        assert found.conflicts == ()
        # GET /v1/models is in the stable and the deprecated file (its path item has a deprecated POST): once
        assert "get" in found.document["paths"]["/v1/models"]


def test_deprecating_the_tools_apis_is_six_deprecations_and_no_removal() -> None:
    found = changes(DEPRECATE_BEFORE, DEPRECATE_AFTER)
    assert Counter(c.id for c in found) == {"endpoint-deprecated": 6}
    assert {(c.method, c.path) for c in found} == TOOLS
    assert {c.level for c in found} == {"v1"}


def test_each_file_alone_shows_the_false_removals() -> None:
    """What relmgr reported before: the stable file alone loses the tools operations, without deprecation."""
    alone = diff_specs(document(DEPRECATE_BEFORE, FILES[0]), document(DEPRECATE_AFTER, FILES[0]), levels_from="path")
    removed = {(c.method, c.path) for c in alone if c.id.endswith("removed-without-deprecation")}
    assert removed == TOOLS


def test_promoting_connectors_is_four_level_changes_not_removals() -> None:
    found = changes(PROMOTE_BEFORE, PROMOTE_AFTER)
    assert [(c.id, c.path) for c in found] == [(OPERATION_LEVEL_CHANGED, path) for path in CONNECTORS]
    move = found[0]
    assert isinstance(move, LevelMove)
    assert (move.level, move.to_level, move.to_path) == ("v1alpha", "v1beta", "/v1beta/connectors")
    assert move.removal == "api-path-removed-without-deprecation"
    assert move.message == "moved to /v1beta/connectors (v1alpha → v1beta) without deprecating the old route"


def test_the_engine_alone_sees_four_new_routes() -> None:
    """oasdiff's rule (its #622): an alpha path's removal is not reported, so only the additions show."""
    raw = diff_specs(surface(PROMOTE_BEFORE).document, surface(PROMOTE_AFTER).document, levels_from="path",
                     min_stage=Stage.ALPHA)
    assert Counter(c.id for c in raw) == {"endpoint-added": 4}
