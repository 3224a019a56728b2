"""`relmgr check` on route moves (`operation-level-changed`) and on removals of deprecated operations."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import Repo, run_cli
from tests.spec_builders import Json, doc, op

SPEC = "api.yaml"
CONFIG = f"""
[tool.relmgr.openapi]
specs = ["{SPEC}"]
levels-from = "path"

[tool.relmgr.apis.files]
level = "v1"
routes = ["/v1/files", "/v1beta/files", "/v2/files"]

[tool.relmgr.apis.jobs]
level = "v1beta"
routes = ["/v1beta/jobs", "/v1/jobs"]
"""


def spec(paths: Json) -> dict[str, str]:
    return {SPEC: yaml.safe_dump(doc(paths), sort_keys=False)}


def start(repo: Repo, paths: Json, config: str = CONFIG) -> None:
    repo.config(config)
    repo.commit("feat: the first routes", spec(paths))
    repo.tag("v0.1.0")


def check(repo: Repo, tag: str, code: int) -> dict[str, Any]:
    run = run_cli(["check", "--tag", tag, "--json"], repo)
    assert run.exit_code == code, run.stdout + run.stderr
    result: dict[str, Any] = run.json()
    return result


def cited(result: dict[str, Any], kind: str = "violations") -> list[tuple[str, str | None, str, str]]:
    return [(f["sha"], f["api"], f["level"], f["rule"]) for f in result[kind]]


def test_a_beta_route_graduated_in_a_patch_release_is_one_finding(repo: Repo) -> None:
    start(repo, {"/v1beta/jobs": {"get": op()}})
    sha = repo.commit("feat: jobs are stable", spec({"/v1/jobs": {"get": op()}}))
    repo.tag("v0.1.1")
    result = check(repo, "v0.1.1", code=1)
    assert cited(result) == [(sha, "jobs", "v1beta", "operation-level-changed")]
    assert result["warnings"] == []
    message = result["violations"][0]["message"]
    assert message.startswith(f"{sha[:7]} moves `GET /v1beta/jobs` of the v1beta API `jobs`: operation-level-changed "
                              "(moved to /v1/jobs (v1beta → v1) without deprecating the old route)")
    assert "the old v1beta route is not served in a Z-stream release (v0.1.1)" in message
    assert message.endswith("keep serving /v1beta/jobs as well (an alias) and remove it in a minor release")


def test_the_same_graduation_in_a_minor_release_declared_passes(repo: Repo) -> None:
    start(repo, {"/v1beta/jobs": {"get": op()}})
    repo.commit("feat(jobs)!: jobs are stable\n\nBREAKING CHANGE: use /v1/jobs", spec({"/v1/jobs": {"get": op()}}))
    repo.tag("v0.2.0")
    result = check(repo, "v0.2.0", code=0)
    assert result["violations"] == [] and result["warnings"] == []


def test_keeping_the_old_route_as_an_alias_is_fine_in_a_patch_release(repo: Repo) -> None:
    start(repo, {"/v1beta/jobs": {"get": op()}})
    repo.commit("feat: jobs are stable", spec({"/v1beta/jobs": {"get": op()}, "/v1/jobs": {"get": op()}}))
    repo.tag("v0.1.1")
    assert check(repo, "v0.1.1", code=0)["violations"] == []


def test_a_v1_route_moved_to_a_less_stable_level_is_a_violation_in_any_stream(repo: Repo) -> None:
    start(repo, {"/v1/files": {"get": op(deprecated=True)}})
    sha = repo.commit("feat(files)!: back to beta\n\nBREAKING CHANGE: use /v1beta/files",
                      spec({"/v1beta/files": {"get": op()}}))
    repo.tag("v1.0.0")
    result = check(repo, "v1.0.0", code=1)
    assert cited(result) == [(sha, "files", "v1", "operation-level-changed")]
    assert "a v1 operation may not move to a less stable level (v1beta)" in result["violations"][0]["message"]


def test_a_v1_route_moved_without_deprecation_needs_one(repo: Repo) -> None:
    start(repo, {"/v1/files": {"get": op()}})
    sha = repo.commit("feat(files)!: files v2\n\nBREAKING CHANGE: use /v2/files", spec({"/v2/files": {"get": op()}}))
    repo.tag("v1.0.0")
    result = check(repo, "v1.0.0", code=1)
    assert cited(result) == [(sha, "files", "v1", "operation-level-changed")]
    assert "the old route was not `deprecated: true` in the release before" in result["violations"][0]["message"]


def test_a_move_made_by_two_commits_is_judged_as_the_removal(repo: Repo) -> None:
    start(repo, {"/v1/files": {"get": op()}})
    repo.commit("feat: files v2", spec({"/v1/files": {"get": op()}, "/v2/files": {"get": op()}}))
    sha = repo.commit("feat!: drop files v1\n\nBREAKING CHANGE: use /v2/files", spec({"/v2/files": {"get": op()}}))
    repo.tag("v1.0.0")
    result = check(repo, "v1.0.0", code=1)
    assert cited(result) == [(sha, "files", "v1", "removed-without-deprecation")]


def test_removing_a_deprecated_v1_operation_in_a_patch_release_is_still_a_break(repo: Repo) -> None:
    start(repo, {"/v1/files": {"get": op(), "delete": op(deprecated=True)}})
    sha = repo.commit("fix: drop the deprecated delete", spec({"/v1/files": {"get": op()}}))
    repo.tag("v0.1.1")
    result = check(repo, "v0.1.1", code=1)
    assert cited(result) == [(sha, "files", "v1", "spec-break-in-forbidden-stream")]
    assert "the removal of a deprecated operation, still a breaking change," in result["violations"][0]["message"]
    repo.git("tag", "-d", "v0.1.1")
    repo.tag("v0.2.0")
    assert check(repo, "v0.2.0", code=0) == {
        "ok": True, "release": {"tag": "v0.2.0", "version": "0.2.0", "previous": "v0.1.0", "stream": "y"},
        "violations": [], "warnings": [], "groups": [], "waived": []}


def test_the_kubernetes_preset_asks_three_releases(repo: Repo) -> None:
    config = CONFIG + '\n[tool.relmgr.policy.deprecation]\npreset = "kubernetes"\nv1 = { days = 0 }\n'
    start(repo, {"/v1/files": {"get": op(), "delete": op()}}, config)
    repo.commit("feat(files): deprecate delete", spec({"/v1/files": {"get": op(), "delete": op(deprecated=True)}}))
    repo.tag("v0.2.0")
    repo.commit("docs: more", {"README.md": "x"})
    repo.tag("v0.3.0")
    removing = repo.commit("feat!: drop delete\n\nBREAKING CHANGE: gone", spec({"/v1/files": {"get": op()}}))
    repo.tag("v0.4.0")
    result = check(repo, "v0.4.0", code=1)
    assert cited(result) == [(removing, "files", "v1", "removed-before-deprecation-period")]
    message = result["violations"][0]["message"]
    assert "it was deprecated in v0.2.0 (2024-01-01); v1 operations stay deprecated for 3 releases" in message
    assert "it stayed 2 releases: the first release that may remove it is 0.5.0 at the earliest" in message
