"""`relmgr init` on a repository shaped like OGX (tests/ogx_repo.py), then the gate with the config it wrote.

Each test names one thing the issue saw init get wrong on the real history.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from relmgr.config.load import load_config
from relmgr.config.model import ApiConfig, Config
from relmgr.policy.globs import compile_globs
from tests import ogx_repo
from tests.conftest import Repo, run_cli


@pytest.fixture(scope="module")
def ogx(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """The repository with the config `relmgr init` wrote into its pyproject.toml (read-only for tests)."""
    repo = ogx_repo.build(Repo(tmp_path_factory.mktemp("ogx") / "repo"))
    result = run_cli(["init"], repo)
    assert result.exit_code == 0, result.stderr
    return repo


def config(repo: Repo) -> Config:
    return load_config(repo.path)


def api(repo: Repo, name: str) -> ApiConfig:
    found = config(repo).api(name)
    assert found is not None, f"no API {name}: {[a.name for a in config(repo).apis]}"
    return found


def written(repo: Repo) -> str:
    return (repo.path / "pyproject.toml").read_text()


def test_the_split_specs_are_the_surface_and_the_copies_are_named(ogx: Repo) -> None:
    assert config(ogx).openapi.specs == tuple(sorted(ogx_repo.SPECS))
    assert config(ogx).openapi.levels_from == "path"
    text = written(ogx)
    assert "#   client-sdks/stainless/openapi.yml: 106 operations, copy of" in text
    assert "(below client-sdks/, an SDK or generated folder)" in text
    assert ("#   docs/static/stainless-ogx-spec.yaml: 106 operations, copy of docs/static/deprecated-ogx-spec.yaml, "
            "docs/static/experimental-ogx-spec.yaml, docs/static/ogx-spec.yaml (they hold all of its operations)"
            ) in text
    assert "#   docs/static/ogx-spec.yaml: 66 operations, source, one surface with" in text
    assert "recordings" not in text  # a JSON file under tests/ is never read as a spec


def test_the_inference_folder_owns_its_v1_and_v1alpha_routes(ogx: Repo) -> None:
    inference = api(ogx, "inference")
    assert str(inference.level) == "v1"
    assert inference.paths == ("src/ogx_api/inference/**",)
    # /v1/embeddings left the spec in v0.2.1: the release before still had it, so the route stays
    assert inference.routes == ("/v1/chat", "/v1/completions", "/v1/embeddings", "/v1alpha/inference")
    names = {a.name for a in config(ogx).apis}
    assert not names & {"chat", "completions", "embeddings"}  # no folder-less APIs from URL segments
    assert "# it serves v1 and v1alpha operations: the API takes v1" in written(ogx)


def test_ui_folders_and_shared_types_are_no_apis(ogx: Repo) -> None:
    names = {a.name for a in config(ogx).apis}
    assert not names & {"[...path]", "auth", "[...nextauth]", "types", "common"}
    text = written(ogx)
    assert "# src/ogx_ui/app/api/: below ogx_ui/, a web app, not an API" in text
    assert "# src/ogx_api/types/: shared datatypes (no spec route is named after it), not an API" in text
    assert "[...path]" not in text


def test_an_api_may_be_one_module_file(ogx: Repo) -> None:
    datasets = api(ogx, "datasets")
    assert datasets.paths == ("src/ogx_api/datasets.py",)
    assert str(datasets.level) == "v1beta"
    assert datasets.routes == ("/v1beta/datasets",)
    assert config(ogx).api("router_utils") is None
    assert config(ogx).api("version") is None  # /v1/version is inspect's (tagged Inspect), version.py plumbing


def test_levels_follow_the_spec_and_the_packages_own_word(ogx: Repo) -> None:
    assert str(api(ogx, "provider").level) == "v1"  # the project's leveling doc says so; no route names it
    assert ("# check: level from '| **Provider SDK** | `ogx_api.provider` | Out-of-tree provider authors | a single "
            "level for the who…' in docs/docs/concepts/apis/api_leveling.mdx") in written(ogx)
    assert str(api(ogx, "providers").level) == "v1"
    assert str(api(ogx, "connectors").level) == "v1beta"
    assert str(api(ogx, "admin").level) == "v1alpha"


def test_one_api_per_scope(ogx: Repo) -> None:
    assert api(ogx, "provider").scopes == ("provider",)
    assert api(ogx, "providers").scopes == ("providers",)
    assert "# scope 'provider' (1×) also looks like this API's; it goes to provider" in written(ogx)
    owners: dict[str, str] = {}
    for found in config(ogx).apis:
        for scope in found.scopes:
            assert scope not in owners, f"{scope} is both {owners[scope]}'s and {found.name}'s"
            owners[scope] = found.name


def test_tests_come_from_the_integration_folders(ogx: Repo) -> None:
    assert api(ogx, "inference").tests == ("tests/integration/inference/**", "tests/unit/test_inference*.py")
    assert api(ogx, "vector_io").tests == ("tests/integration/vector_io/**",)
    assert api(ogx, "scoring_functions").tests == ("tests/unit/test_scoring_functions*.py",)
    assert api(ogx, "scoring").tests == ()  # test_scoring_functions.py is not scoring's


def test_history_comes_from_the_specs_at_release_tags(ogx: Repo) -> None:
    # v0.1.0 had one spec, docs/_static/llama-stack-spec.yaml: init finds it under that name
    connectors = api(ogx, "connectors")
    assert [(str(h.until), str(h.level)) for h in connectors.history] == [("0.2.0", "v1alpha")]
    assert "{until = \"0.2.0\", level = \"v1alpha\"}, # v0.1.0 serves it at v1alpha, v0.2.0 at v1beta" in written(ogx)
    assert connectors.routes == ("/v1alpha/connectors", "/v1beta/connectors")
    assert api(ogx, "inference").history == ()


def test_dev_markers_are_ignored_and_the_rc_style_kept(ogx: Repo) -> None:
    text = written(ogx)
    assert 'ignore-tags = ["-dev(?:\\\\.\\\\d+)?$"]' in text
    assert "# version style: PEP 440 versions, e.g. v0.2.0rc1" in text
    releases = run_cli(["releases", "--json"], ogx).json()
    assert [r["tag"] for r in releases["releases"]] == ["v0.1.0rc1", "v0.1.0", "v0.2.0rc1", "v0.2.0", "v0.2.1"]
    assert {s["tag"] for s in releases["skipped"]} == {"v0.2.0-dev", "v0.3.0-dev", "v0.2.2-dev"}
    pre = run_cli(["next-version", "--pre", "rc"], ogx)
    assert pre.stdout.strip() == "0.3.0rc1", pre.stderr


def test_the_gate_judges_the_v1_routes_as_v1(ogx: Repo) -> None:
    result = run_cli(["check", "--tag", "v0.2.1", "--json"], ogx)
    assert result.exit_code == 1, result.stdout + result.stderr
    found = {(v["api"], v["level"], v["rule"]) for v in result.json()["violations"]}
    assert ("inference", "v1", "break-in-forbidden-stream") in found  # the commit, at the API's level
    assert ("inference", "v1", "removed-without-deprecation") in found  # the spec: POST /v1/embeddings
    assert all(level == "v1" for _, level, _ in found)
    graduation = run_cli(["check", "--tag", "v0.2.0", "--json"], ogx)
    assert graduation.exit_code == 0, graduation.stdout  # /v1alpha/connectors → /v1beta: no v1 break


def test_notes_leave_out_bookkeeping_and_bots(ogx: Repo) -> None:
    doc = run_cli(["notes", "v0.2.0", "--json"], ogx).json()
    subjects = [e["subject"] for s in doc["sections"] for e in s["entries"]]
    assert subjects == ["feat(connectors): promote connector API from v1alpha to v1beta (#4)",
                        "feat(inference): rerank documents (#2)", "fix(provider): a clearer error (#5)",
                        "docs: one spec file per level (#9)", "docs: the specs are ogx-spec now (#10)",
                        "docs: regenerate the API reference (#8)"]  # a bot's docs commit is news; the bot no person
    left = {(e["kind"], e.get("subject") or e.get("name")) for e in doc["excluded"]}
    assert left == {("commit", "update lockfiles (#3)"), ("commit", "Release candidate 0.2.0rc1"),
                    ("commit", "Bump version to 0.2.0"), ("contributor", "github-actions[bot]")}
    assert [c["name"] for c in doc["contributors"]] == ["Alice Example", "Bob Builder"]
    markdown = run_cli(["notes", "v0.2.0"], ogx).stdout
    assert "Bump version" not in markdown and "github-actions" not in markdown and "Claude" not in markdown


def test_propose_counts_people_not_bots_or_assistants(ogx: Repo) -> None:
    doc = run_cli(["propose", "connectors", "--json", "--today", "2024-12-01"], ogx).json()
    releases: list[dict[str, Any]] = doc["proposals"][0]["releases"]
    assert releases[0]["tag"] == "v0.2.0"
    assert releases[0]["contributors"] == ["Alice Example"]  # not "Claude" from the Co-authored-by trailer
    assert releases[0]["commits"] == 1


def test_every_written_glob_matches_what_init_saw(ogx: Repo) -> None:
    files = ogx.git("ls-files").splitlines()
    for found in config(ogx).apis:
        for pattern in (*found.paths, *found.tests):
            rx = compile_globs([pattern])
            assert rx is not None and any(rx.match(f) for f in files), f"{found.name}: {pattern} matches nothing"


def test_the_written_table_is_what_print_shows(ogx: Repo) -> None:
    printed = run_cli(["init", "--print"], ogx)
    assert printed.exit_code == 0
    table = tomllib.loads(printed.stdout)["tool"]["relmgr"]
    assert table == tomllib.loads(written(ogx))["tool"]["relmgr"]
    assert Path(ogx.path / "relmgr.toml").exists() is False


def test_the_changelog_leaves_out_bookkeeping_and_bots_too(ogx: Repo) -> None:
    text = run_cli(["changelog"], ogx).stdout
    assert "## 0.2.0" in text and "promote connector API" in text
    for noise in ("Bump version", "Release candidate", "update lockfiles", "github-actions", "Claude"):
        assert noise not in text


def test_every_route_at_head_has_exactly_one_api(ogx: Repo) -> None:
    doc = run_cli(["apis", "--json"], ogx).json()
    assert doc["unmapped_routes"] == []
    owners: dict[str, list[str]] = {}
    for found in doc["apis"]:
        for route in found["routes"]:
            owners.setdefault(f"{route['method']} {route['path']}", []).append(found["name"])
    assert len(owners) == 106  # the combined surface at HEAD (107 before v0.2.1 dropped POST /v1/embeddings)
    assert {op: names for op, names in owners.items() if len(names) > 1} == {}
    assert owners["POST /v1alpha/inference/rerank"] == ["inference"]
    assert owners["POST /v1/chat/completions"] == ["inference"]
