"""On a history shaped like the real project (tests/ogx_history.py): split specs read as one surface, renames
followed, route moves as level changes, and the deprecation lifecycle in `check`, `notes`, `apis`, `propose`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.ogx_history import CONFIG, SUNSET, History, build


@pytest.fixture(scope="module")
def ogx(tmp_path_factory: pytest.TempPathFactory) -> History:
    return build(Repo(tmp_path_factory.mktemp("ogx") / "repo"))


def cli_json(repo: Repo, *args: str, code: int = 0) -> Any:
    run = run_cli([*args, "--json"], repo)
    assert run.exit_code == code, run.stdout + run.stderr
    return run.json()


def rules(result: dict[str, Any], kind: str = "violations") -> list[tuple[str, str | None, str]]:
    return sorted((f["rule"], f["api"], f["message"].split("`")[1]) for f in result[kind])


# -- split specs as one surface ---------------------------------------------------------------------------


def test_deprecating_by_moving_to_the_deprecated_file_is_no_removal(ogx: History) -> None:
    result = cli_json(ogx.repo, "check", "--tag", "v0.2.0")
    assert result["ok"] and result["violations"] == [] and result["warnings"] == []


def test_the_deprecations_are_in_the_release_notes_with_their_sunset(ogx: History) -> None:
    notes = cli_json(ogx.repo, "notes", "v0.2.0")
    found = [(d["operation"], d["sunset"], d["source"]) for d in notes["deprecations"]]
    assert found == [("POST /v1/tool-runtime/invoke", None, "openapi"), ("GET /v1/tools", SUNSET, "openapi"),
                     ("GET /v1/tools/{tool_name}", None, "openapi")]
    assert {d["sha"] for d in notes["deprecations"]} == {ogx.shas["deprecate"]}
    assert all(d["apis"] == [{"name": "tools", "level": "v1"}] for d in notes["deprecations"])
    text = run_cli(["notes", "v0.2.0"], ogx.repo).stdout
    assert (f"- **tools**: `GET /v1/tools` is deprecated, sunset {SUNSET} — detected in the OpenAPI spec (#4249) "
            f"({ogx.shas['deprecate'][:7]})") in text


def test_an_operation_in_two_files_is_one_operation(ogx: History) -> None:
    # GET /v1/models is in the stable file and, beside its deprecated POST, in the deprecated file
    routes = next(a for a in cli_json(ogx.repo, "apis")["apis"] if a["name"] == "inference")["routes"]
    assert [(r["method"], r["path"], r["deprecated"]) for r in routes if r["path"] == "/v1/models"] == [
        ("GET", "/v1/models", False), ("POST", "/v1/models", True)]


def test_spec_diff_of_two_refs_composes_the_configured_specs(ogx: History) -> None:
    result = cli_json(ogx.repo, "spec-diff", "v0.1.1", "v0.2.0")
    assert [(c["id"], c["operation"]) for c in result["changes"]] == [
        ("endpoint-deprecated", "POST /v1/tool-runtime/invoke"), ("endpoint-deprecated-with-sunset", "GET /v1/tools"),
        ("endpoint-deprecated", "GET /v1/tools/{tool_name}")]
    assert result["base_files"] == ["v0.1.1:docs/static/llama-stack-spec.yaml",
                                    "v0.1.1:docs/static/experimental-llama-stack-spec.yaml",
                                    "v0.1.1:docs/static/deprecated-llama-stack-spec.yaml"]


def test_spec_diff_takes_several_files_per_side(ogx: History) -> None:
    old = [f"v0.1.1:docs/static/{kind}llama-stack-spec.yaml" for kind in ("", "experimental-", "deprecated-")]
    new = [f"v0.2.0:docs/static/{kind}llama-stack-spec.yaml" for kind in ("", "experimental-", "deprecated-")]
    args = [arg for side in old for arg in ("--base", side)] + [arg for side in new for arg in ("--revision", side)]
    result = cli_json(ogx.repo, "spec-diff", *args)
    assert [c["id"] for c in result["changes"]] == ["endpoint-deprecated", "endpoint-deprecated-with-sunset",
                                                    "endpoint-deprecated"]
    assert result["base"] == " + ".join(old)
    alone = cli_json(ogx.repo, "spec-diff", old[0], new[0])  # the stable file alone: three false removals
    assert [c["id"] for c in alone["changes"]].count("api-path-removed-without-deprecation") == 3


# -- route moves ---------------------------------------------------------------------------------------------


def test_a_prefix_move_is_a_level_change_not_a_removal(ogx: History) -> None:
    result = cli_json(ogx.repo, "check", "--tag", "v0.3.0")
    assert result["violations"] == [] and result["warnings"] == []
    diff = cli_json(ogx.repo, "spec-diff", "v0.2.0", "v0.3.0", "--all-levels")
    assert [(c["id"], c["operation"], c["level"]) for c in diff["changes"]] == [
        ("operation-level-changed", "GET /v1alpha/connectors", "v1alpha"),
        ("operation-level-changed", "GET /v1alpha/connectors/{connector_id}", "v1alpha")]


def test_the_notes_list_the_move_under_level_changes(ogx: History) -> None:
    notes = cli_json(ogx.repo, "notes", "v0.3.0")
    assert notes["level_changes"] == [{"api": "connectors", "from": "v1alpha", "to": "v1beta", "operations": [
        "GET /v1alpha/connectors → /v1beta/connectors",
        "GET /v1alpha/connectors/{connector_id} → /v1beta/connectors/{connector_id}"]}]
    assert notes["breaking"] == []
    text = run_cli(["notes", "v0.3.0"], ogx.repo).stdout
    assert "### API level changes\n\n- connectors: v1alpha → v1beta\n  - `GET /v1alpha/connectors → " in text


def test_propose_counts_time_at_the_level_from_where_the_routes_reached_it(ogx: History) -> None:
    proposal = cli_json(ogx.repo, "propose", "connectors", "--today", "2024-06-01")["proposals"][0]
    assert proposal["since"] == "0.3.0"
    time = next(c for c in proposal["criteria"] if c["name"] == "time-at-level")
    assert "counted from where its routes reached v1beta in the OpenAPI spec" in time["evidence"]


# -- renames ------------------------------------------------------------------------------------------------


def test_specs_are_compared_across_the_rename(ogx: History) -> None:
    run = run_cli(["check", "--tag", "v0.4.0", "--json"], ogx.repo)
    assert run.exit_code == 0, run.stderr
    assert "not compared" not in run.stderr
    # the undeclared break made after the rename is seen: the old and the new names were compared
    assert rules(run.json(), "warnings") == [("undeclared-breaking-change", "inference", "GET /v1/models")]


def test_pre_rename_commits_map_to_their_apis(ogx: History) -> None:
    commits = cli_json(ogx.repo, "scan", "v0.1.0..v0.1.1")["commits"]
    assert [(c["sha"], c["apis"]) for c in commits] == [
        (ogx.shas["pre-rename"], [{"name": "inference", "level": "v1", "via": "path"}])]
    notes = cli_json(ogx.repo, "notes", "v0.1.1")
    assert notes["sections"][0]["entries"][0]["apis"] == [{"name": "inference", "level": "v1"}]


def test_apis_lists_the_renames_it_follows(ogx: History) -> None:
    renames = {(r["from"], r["to"]) for r in cli_json(ogx.repo, "apis")["renames"]}
    assert ("docs/static/llama-stack-spec.yaml", "docs/static/ogx-spec.yaml") in renames
    assert ("docs/static/deprecated-llama-stack-spec.yaml", "docs/static/deprecated-ogx-spec.yaml") in renames
    assert ("src/llama_stack_api/inference", "src/ogx_api/inference") in renames
    text = run_cli(["apis"], ogx.repo).stdout
    assert "Renames followed" in text


# -- a real break, and removals after deprecation ---------------------------------------------------------------


def test_a_post_that_becomes_put_on_a_v1_route_in_a_minor_release_is_a_violation(ogx: History) -> None:
    result = cli_json(ogx.repo, "check", "--tag", "v0.5.0", code=1)
    assert rules(result) == [("removed-without-deprecation", "inference", "POST /v1/chat/completions")]
    assert result["violations"][0]["sha"] == ogx.shas["put"]


def test_removals_after_the_deprecation_period_are_listed_as_removed(ogx: History) -> None:
    notes = cli_json(ogx.repo, "notes", "v0.5.0")
    assert [(r["operation"], r["deprecated_in"], r["sha"]) for r in notes["removed"]] == [
        ("POST /v1/tool-runtime/invoke", "v0.2.0", ogx.shas["drop-tools"]),
        ("GET /v1/tools/{tool_name}", "v0.2.0", ogx.shas["drop-tools"])]
    # removed before its x-sunset: a breaking change (oasdiff's api-path-removed-before-sunset), listed there
    early = [(b["operation"], b["check"]) for b in notes["breaking"] if b["source"] == "openapi"]
    assert ("GET /v1/tools", "api-path-removed-before-sunset") in early
    text = run_cli(["notes", "v0.5.0"], ogx.repo).stdout
    assert "### Removed\n\n- **tools**: `POST /v1/tool-runtime/invoke`, deprecated in v0.2.0 (#6003)" in text


def test_a_removal_before_the_period_ends_names_the_deprecation_release(tmp_path: Path) -> None:
    config = CONFIG + "\n[tool.relmgr.policy.deprecation]\nv1 = { releases = 4 }\n"
    history = build(Repo(tmp_path / "r"), config)
    result = cli_json(history.repo, "check", "--tag", "v0.5.0", code=1)
    early = [f for f in result["violations"] if f["rule"] == "removed-before-deprecation-period"]
    assert sorted(f["message"].split("`")[1] for f in early) == [
        "GET /v1/tools", "GET /v1/tools/{tool_name}", "POST /v1/tool-runtime/invoke"]
    assert "it was deprecated in v0.2.0 (" in early[0]["message"]
    assert "stay deprecated for 4 releases before they are removed, and it stayed 3 releases" in early[0]["message"]
    assert "the first release that may remove it is 0.6.0 at the earliest" in early[0]["message"]


def test_a_period_in_days_names_the_first_date(tmp_path: Path) -> None:
    config = CONFIG + "\n[tool.relmgr.policy.deprecation]\nv1 = { releases = 1, days = 30 }\n"
    history = build(Repo(tmp_path / "r"), config)
    result = cli_json(history.repo, "check", "--tag", "v0.5.0", code=1)
    early = [f for f in result["violations"] if f["rule"] == "removed-before-deprecation-period"]
    assert len(early) == 3
    assert "stay deprecated for 1 release and 30 days" in early[0]["message"]
    assert ", and not before 2024-01-3" in early[0]["message"]  # 30 days after v0.2.0's tag date


# -- apis: deprecations and levels -------------------------------------------------------------------------------


def test_apis_deprecations_lists_the_lifecycle(tmp_path: Path) -> None:
    history = build(Repo(tmp_path / "r"), until="v0.4.0")
    found = cli_json(history.repo, "apis", "--deprecations")["deprecations"]
    assert [(d["operation"], d["deprecated_in"], d["sunset"], d["removable_in"]) for d in found] == [
        ("POST /v1/models", "v0.1.0", None, "0.5.0"),
        ("POST /v1/tool-runtime/invoke", "v0.2.0", None, "0.5.0"),
        ("GET /v1/tools", "v0.2.0", SUNSET, "0.5.0"),
        ("GET /v1/tools/{tool_name}", "v0.2.0", None, "0.5.0")]
    assert found[1]["apis"] == ["tools"] and found[1]["level"] == "v1"
    text = run_cli(["apis", "--deprecations"], history.repo).stdout
    assert "Deprecated operations at HEAD" in text and "v0.2.0 (" in text


def test_apis_warns_when_the_spec_shows_another_level(tmp_path: Path) -> None:
    stale = CONFIG.replace('level = "v1beta"', 'level = "v1alpha"')
    history = build(Repo(tmp_path / "r"), stale, until="v0.4.0")
    run = run_cli(["apis"], history.repo)
    assert run.exit_code == 0
    assert ("connectors is configured v1alpha, but its routes are v1beta in the OpenAPI spec (since v0.3.0); to "
            "record it: relmgr graduate connectors --to v1beta --at 0.3.0 --force") in run.stderr


def test_init_lists_the_renames_it_found(tmp_path: Path) -> None:
    history = build(Repo(tmp_path / "r"), until="v0.4.0")
    (history.repo.path / "relmgr.toml").unlink()
    run = run_cli(["init", "--print"], history.repo)
    assert run.exit_code == 0, run.stderr
    assert 'paths = ["src/ogx_api/inference/**"]' in run.stdout
    assert "Renames relmgr follows" in run.stderr
    assert "src/llama_stack_api/inference → src/ogx_api/inference" in run.stderr


def test_former_paths_map_what_git_cannot_pair(repo: Repo) -> None:
    """A module split into a folder: no file of the folder is a rename of the module, so git pairs nothing."""
    repo.config('[tool.relmgr.apis.inference]\nlevel = "v1"\npaths = ["src/api/inference/**"]\n'
                'former-paths = ["src/api/inference.py"]\n')
    old = repo.commit("fix: older work (#1)", {"src/api/inference.py": "def chat(): ...\n"})
    repo.tag("v0.1.0")
    repo.commit("refactor: split inference (#2)", {"src/api/inference/chat.py": "x = 1\n",
                                                   "src/api/inference/models.py": "y = 2\n"},
                remove=["src/api/inference.py"])
    commits = cli_json(repo, "scan", "HEAD")["commits"]
    assert [(c["sha"] == old, [a["name"] for a in c["apis"]]) for c in commits] == [
        (False, ["inference"]), (True, ["inference"])]
