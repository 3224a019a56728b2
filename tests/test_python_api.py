"""Python package APIs at levels: griffe's breakages judged by level × stream and attributed to commits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.python_repo import (
    AGENTS,
    AGENTS_TEXT,
    CONFIG,
    PROVIDER_API,
    PROVIDER_API_TEXT,
    PROVIDER_INIT,
    PROVIDER_INIT_TEXT,
    start,
    without,
)


def check(repo: Repo, *args: str, code: int) -> dict[str, Any]:
    run = run_cli(["check", *args, "--json"], repo)
    assert run.exit_code == code, run.stdout + run.stderr
    result: dict[str, Any] = run.json()
    return result


def cited(result: dict[str, Any], kind: str = "violations") -> list[tuple[str, str | None, str, str, str | None]]:
    return [(f["sha"], f["api"], f["level"], f["rule"], f["object"]) for f in result[kind]]


# -- the "done means" ----------------------------------------------------------------------------


def test_a_stable_package_losing_a_public_function_in_a_patch_release_fails_naming_commit_object_level(
        repo: Repo) -> None:
    start(repo)
    repo.commit("docs: a readme line", {"README.md": "ogx, the API\n"})
    sha = repo.commit("fix: drop stop", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop"),
                                         PROVIDER_INIT: PROVIDER_INIT_TEXT.replace(', "stop"', "").replace(
                                             ", stop\n", "\n")})
    repo.commit("fix: another readme line", {"README.md": "ogx, the API, v1\n"})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    # once, under the path users import (the package re-exports it from its `api` module)
    assert cited(result) == [(sha, "provider", "v1", "undeclared-breaking-change", "ogx_api.provider.stop")]
    message = result["violations"][0]["message"]
    assert message.startswith(f"{sha[:7]} changes `ogx_api.provider.stop` of the v1 API `provider`: "
                              "python-object-removed (public function `stop` was removed)")
    assert "an undeclared breaking change in a Z-stream release (v0.1.1); v1 may break only in X or Y" in message
    text = run_cli(["check", "--tag", "v0.1.1"], repo)
    assert text.exit_code == 1
    assert "plus 1 from the Python packages" in text.stdout
    assert f"{sha[:7]}\t" in text.stdout and "\tfix: drop stop\t" in text.stdout
    assert "ogx_api.provider.stop" in text.stdout


def test_the_same_removal_in_the_alpha_package_passes(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: run takes the prompt only", {AGENTS: without(AGENTS_TEXT, "run")})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=0)
    assert result["violations"] == [] and result["warnings"] == []


def test_private_names_and_what_all_leaves_out_are_not_api(repo: Repo) -> None:
    start(repo)
    api = PROVIDER_API_TEXT.replace("def _reset(self) -> None", "def _reset(self, hard: bool) -> None")
    repo.commit("refactor: private helpers", {
        PROVIDER_API: without(api, "_helper") + "\n\ndef _other(x: int) -> None: ...\n",
        PROVIDER_INIT: without(PROVIDER_INIT_TEXT, "local"),  # `local` is not in __all__
        AGENTS: without(AGENTS_TEXT, "internal"),
    })
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=0)
    assert result["violations"] == [] and result["warnings"] == []
    diff = run_cli(["api-diff", "v0.1.0", "v0.1.1", "--json"], repo).json()
    assert diff["changes"] == []


# -- judging -----------------------------------------------------------------------------------------------


def test_a_signature_break_names_the_parameter_and_its_check(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("fix: start needs retries", {
        PROVIDER_API: PROVIDER_API_TEXT.replace("retries: int = 3", "retries: int").replace(
            "name: str, *, timeout: float = 10.0", "name: str"),
    })
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert sorted(cited(result)) == [
        (sha, "provider", "v1", "undeclared-breaking-change", "ogx_api.provider.api.Provider.open"),
        (sha, "provider", "v1", "undeclared-breaking-change", "ogx_api.provider.api.start"),
    ]
    messages = sorted(f["message"] for f in result["violations"])
    assert "python-parameter-removed (parameter `timeout` of `open` was removed)" in messages[0]
    assert "python-parameter-became-required (parameter `retries` of `start` is now required)" in messages[1]


def test_a_declared_break_in_a_patch_is_one_violation_with_the_package_as_evidence(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("fix(provider)!: drop stop\n\nBREAKING CHANGE: call close() instead.",
                      {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(sha, "provider", "v1", "break-in-forbidden-stream", "ogx_api.provider.api.stop")]
    assert "detected in the Python package: `ogx_api.provider.api.stop` python-object-removed" in (
        result["violations"][0]["message"])


def test_a_minor_release_may_break_v1_when_declared_and_warns_when_not(repo: Repo) -> None:
    start(repo)
    repo.commit("feat(provider)!: drop stop\n\nBREAKING CHANGE: call close() instead.",
                {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.tag("v0.2.0")
    assert check(repo, "--tag", "v0.2.0", code=0)["warnings"] == []
    sha = repo.commit("feat: a quiet removal", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop", "start")})
    repo.tag("v0.3.0")
    result = check(repo, "--tag", "v0.3.0", code=0)
    assert cited(result, "warnings") == [(sha, "provider", "v1", "undeclared-breaking-change",
                                          "ogx_api.provider.api.start")]


def test_a_changed_default_is_a_python_warning_in_a_patch(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("fix: fewer retries", {PROVIDER_API: PROVIDER_API_TEXT.replace("retries: int = 3",
                                                                                     "retries: int = 1")})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=0)
    assert cited(result, "warnings") == [(sha, "provider", "v1", "python-warning", "ogx_api.provider.api.start")]
    assert "python-parameter-default-changed" in result["warnings"][0]["message"]
    assert run_cli(["check", "--tag", "v0.1.1", "--strict"], repo).exit_code == 1


def test_each_change_is_blamed_on_the_commit_that_made_it(repo: Repo) -> None:
    start(repo)
    first = repo.commit("fix: drop stop", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.commit("docs: the provider's docstring", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop").replace(
        "What providers implement.", "What every provider implements.")})
    second = repo.commit("fix: start takes no retries", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop").replace(
        ", retries: int = 3", "")})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert sorted((f["sha"], f["object"]) for f in result["violations"]) == sorted([
        (first, "ogx_api.provider.api.stop"), (second, "ogx_api.provider.api.start")])


def test_a_package_removed_whole_is_one_removal(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("fix: drop the provider package", remove=[PROVIDER_INIT, PROVIDER_API], files={})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(sha, "provider", "v1", "undeclared-breaking-change", "ogx_api.provider")]
    assert "the package `ogx_api.provider` was removed" in result["violations"][0]["message"]


def test_unreleased_work_is_judged_as_its_next_version(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("fix: drop stop", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    result = check(repo, code=1)  # next-version: a fix → 0.1.1, a patch
    assert cited(result) == [(sha, "provider", "v1", "undeclared-breaking-change", "ogx_api.provider.api.stop")]


# -- reading ------------------------------------------------------------------------------------------------


def test_a_syntax_error_at_the_release_is_exit_5_naming_the_file_and_line(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: oops", {PROVIDER_API: PROVIDER_API_TEXT + "\ndef broken(:\n"})
    repo.tag("v0.1.1")
    run = run_cli(["check", "--tag", "v0.1.1"], repo)
    assert run.exit_code == 5, run.stdout + run.stderr
    line = PROVIDER_API_TEXT.count("\n") + 2
    assert f"ogx_api.provider at v0.1.1: src/ogx_api/provider/api.py line {line}: invalid syntax" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_syntax_error_at_the_base_is_a_warning_and_not_compared(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: oops", {PROVIDER_API: PROVIDER_API_TEXT + "\ndef broken(:\n"})
    repo.tag("v0.1.1")
    repo.commit("fix: repaired, and stop dropped", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.tag("v0.1.2")
    run = run_cli(["check", "--tag", "v0.1.2", "--json"], repo)
    assert run.exit_code == 0, run.stdout + run.stderr
    line = PROVIDER_API_TEXT.count("\n") + 2
    assert f"at v0.1.1: src/ogx_api/provider/api.py line {line}" in run.stderr and "not compared" in run.stderr


def test_a_broken_commit_inside_the_release_is_skipped_quietly(repo: Repo) -> None:
    start(repo)
    repo.commit("wip: half an edit", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop") + "\ndef broken(:\n"})
    sha = repo.commit("fix: finish the edit", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.tag("v0.1.1")
    run = run_cli(["check", "--tag", "v0.1.1", "--json"], repo)
    assert run.exit_code == 1 and run.stderr == ""
    # neither commit's own diff can show the removal (one side of each is unreadable): the tip stands in
    assert [(f["sha"], f["object"]) for f in run.json()["violations"]] == [(sha, "ogx_api.provider.api.stop")]
    assert "not attributable to one commit" in run.json()["violations"][0]["message"]


def test_each_package_version_is_loaded_once_and_only_where_the_package_changed(
        repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import relmgr.app.pyapi as pyapi
    from relmgr.pyapi import load_package as real

    loads: list[str] = []

    def counting(name: str, files: Any, where: str) -> Any:
        loads.append(f"{name}@{where}")
        return real(name, files, where)

    monkeypatch.setattr(pyapi, "load_package", counting)
    start(repo)
    for n in range(5):
        repo.commit(f"docs: readme {n}", {"README.md": f"ogx {n}\n"})
    repo.commit("fix: drop stop", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    for n in range(5):
        repo.commit(f"docs: more readme {n}", {"README.md": f"ogx more {n}\n"})
    repo.tag("v0.1.1")
    check(repo, "--tag", "v0.1.1", code=1)
    # provider at v0.1.0 and v0.1.1 (the commit and its parent hold those same trees); agents never changed
    assert sorted(loads) == ["ogx_api.provider@v0.1.0", "ogx_api.provider@v0.1.1"]


def test_only_commits_touching_the_changed_objects_modules_are_loaded(
        repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import relmgr.app.pyapi as pyapi
    from relmgr.pyapi import load_package as real

    loads: list[str] = []

    def counting(name: str, files: Any, where: str) -> Any:
        loads.append(where)
        return real(name, files, where)

    monkeypatch.setattr(pyapi, "load_package", counting)
    start(repo)
    other = "src/ogx_api/provider/_notes.py"
    repo.commit("docs: provider notes", {other: "# notes\n"})
    sha = repo.commit("fix: drop stop", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.commit("docs: more provider notes", {other: "# notes, more\n"})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert [(f["sha"], f["object"]) for f in result["violations"]] == [(sha, "ogx_api.provider.api.stop")]
    # the two notes commits touched the package, but not the module that holds `stop`: never loaded
    assert sorted(loads) == sorted(["v0.1.0", "v0.1.1", f"{sha[:7]}^", sha[:7]])


def test_config_errors_name_the_key(repo: Repo) -> None:
    start(repo, CONFIG.replace('python = ["ogx_api.agents"]', 'python = ["ogx-api.agents"]'))
    run = run_cli(["check", "--tag", "v0.1.0"], repo)
    assert run.exit_code == 3
    assert "tool.relmgr.apis.agents.python: 'ogx-api.agents' is not a dotted Python name" in run.stderr
    repo.config(CONFIG.replace('python-paths = ["src"]', 'python-paths = ["../src"]'))
    run = run_cli(["check", "--tag", "v0.1.0"], repo)
    assert run.exit_code == 3 and "python-paths: '../src' must be a folder inside the repository" in run.stderr
    repo.config(CONFIG.replace('python-paths = ["src"]', 'python-paths = []'))
    run = run_cli(["check", "--tag", "v0.1.0"], repo)
    assert run.exit_code == 3 and "python-paths: empty; name the folders" in run.stderr


# -- api-diff, notes, propose --------------------------------------------------------------------------------


def test_api_diff_prints_every_change_like_spec_diff(repo: Repo) -> None:
    start(repo)
    repo.commit("feat: agents change", {AGENTS: without(AGENTS_TEXT, "run") + "\n\ndef run(agent: Agent) -> str: ...\n"
                                        "\n\ndef plan() -> None: ...\n"})
    repo.tag("v0.2.0")
    run = run_cli(["api-diff", "v0.1.0", "v0.2.0", "--python", "ogx_api.agents", "--json"], repo)
    assert run.exit_code == 0, run.stderr
    assert run.json() == {
        "base": "v0.1.0", "revision": "v0.2.0", "packages": ["ogx_api.agents"],
        "changes": [
            {"package": "ogx_api.agents", "id": "python-parameter-removed", "severity": "ERR",
             "object": "ogx_api.agents.run", "message": "parameter `prompt` of `run` was removed"},
        ],
        "summary": {"ERR": 1, "WARN": 0, "INFO": 0},
    }
    text = run_cli(["api-diff", "v0.1.0", "v0.2.0", "--fail-on", "ERR"], repo)
    assert text.exit_code == 1
    assert "relmgr api-diff v0.1.0 → v0.2.0 (ogx_api.agents, ogx_api.provider): 1 ERR, 0 WARN, 0 INFO" in text.stdout
    assert "python-parameter-removed" in text.stdout


def test_api_diff_of_a_package_the_config_does_not_name(repo: Repo) -> None:
    start(repo, "[tool.relmgr]\n")
    repo.commit("feat: plan", {AGENTS: AGENTS_TEXT.replace('"Agent"]', '"Agent", "plan"]') + "def plan(): ...\n"})
    run = run_cli(["api-diff", "v0.1.0", "HEAD", "--python", "ogx_api.agents", "--python-path", "src", "--json"],
                  repo)
    assert run.exit_code == 0, run.stderr
    assert [(c["id"], c["object"]) for c in run.json()["changes"]] == [("python-object-added", "ogx_api.agents.plan")]
    assert run_cli(["api-diff", "v0.1.0", "HEAD"], repo).exit_code == 3  # no package named anywhere
    assert run_cli(["api-diff", "v0.1.0", "HEAD", "--python", "not-a-name"], repo).exit_code == 2
    missing = run_cli(["api-diff", "v0.1.0", "HEAD", "--python", "ogx_api.nothing"], repo)
    assert missing.exit_code == 0 and "neither in v0.1.0 nor in HEAD" in missing.stderr
    assert run_cli(["api-diff", "v0.1.0", "nope", "--python", "ogx_api.agents"], repo).exit_code == 4


def test_a_module_and_a_namespace_package_are_packages_too(repo: Repo) -> None:
    start(repo, "[tool.relmgr]\n")
    repo.commit("feat: types and plugins", {"src/ogx_api/types.py": "class Model: ...\nclass Tool: ...\n",
                                            "src/ogx_plugins/web/fetch.py": "def fetch(url, timeout=5): ...\n"})
    repo.tag("v0.2.0")
    repo.commit("fix: drop Tool; fetch has no timeout", {"src/ogx_api/types.py": "class Model: ...\n",
                                                         "src/ogx_plugins/web/fetch.py": "def fetch(url): ...\n"})
    run = run_cli(["api-diff", "v0.2.0", "HEAD", "--python", "ogx_api.types", "--python", "ogx_plugins.web",
                   "--json"], repo)
    assert run.exit_code == 0, run.stderr
    assert [(c["package"], c["id"], c["object"]) for c in run.json()["changes"]] == [
        ("ogx_api.types", "python-object-removed", "ogx_api.types.Tool"),
        ("ogx_plugins.web", "python-parameter-removed", "ogx_plugins.web.fetch.fetch"),
    ]


def test_notes_list_what_the_package_shows(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("feat: a quiet removal", {PROVIDER_API: without(PROVIDER_API_TEXT, "stop")})
    repo.tag("v0.2.0")
    run = run_cli(["notes", "v0.2.0"], repo)
    assert run.exit_code == 0, run.stderr
    assert (f"- **provider**: `ogx_api.provider.api.stop`: public function `stop` was removed — detected in the "
            f"Python API (`python-object-removed`, not declared in its commit message) ({sha[:7]})") in run.stdout
    document = run_cli(["notes", "v0.2.0", "--json"], repo).json()
    found = [b for b in document["breaking"] if b["source"] == "python"]
    assert [(b["operation"], b["check"], b["sha"]) for b in found] == [
        ("ogx_api.provider.api.stop", "python-object-removed", sha)]


def test_propose_weighs_a_settled_python_surface(repo: Repo) -> None:
    start(repo, CONFIG.replace('level = "v1alpha"', 'level = "v1beta"'))
    repo.commit("feat(agents): plan", {AGENTS: AGENTS_TEXT.replace('"Agent"]', '"Agent", "plan"]')
                                       + "def plan(): ...\n"})
    repo.tag("v0.2.0")
    repo.commit("fix(agents): quiet", {"README.md": "quiet\n"})
    repo.tag("v0.3.0")
    run = run_cli(["propose", "agents", "--json", "--today", "2025-01-01"], repo)
    assert run.exit_code == 0, run.stderr
    criteria = {c["name"]: c for c in run.json()["proposals"][0]["criteria"]}
    settled = criteria["python-surface-settled"]
    assert settled["met"] is False and "v0.2.0 added ogx_api.agents.plan" in settled["evidence"]
    # a Python-only API has no routes: the route criteria are not asked, the Python surface stands for them
    assert "surface-settled" not in criteria and "no-deprecated-routes" not in criteria
    repo.commit("fix(agents): still quiet", {"README.md": "quieter\n"})
    repo.tag("v0.4.0")
    later = run_cli(["propose", "agents", "--json", "--today", "2025-01-01"], repo).json()["proposals"][0]
    found = {c["name"]: c["met"] for c in later["criteria"]}
    assert found["python-surface-settled"] is True
