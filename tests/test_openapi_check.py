"""`relmgr check` with `[tool.relmgr.openapi]` specs: spec changes judged by level and stream, per commit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.openapi_repo import CONFIG, NOTE, SPEC, dump, edit, routes

FILES = ("/v1/files/{id}", "get")
FILES_DELETE = ("/v1/files/{id}", "delete")
BATCHES = ("/v1/batches/{id}", "get")
BATCHES_DELETE = ("/v1/batches/{id}", "delete")


def start(repo: Repo, config: str = CONFIG, paths: dict[str, Any] | None = None, tag: str = "v0.1.0") -> None:
    repo.config(config)
    repo.commit("feat: the first routes", {SPEC: dump(paths or routes())})
    repo.tag(tag)


def check(repo: Repo, *args: str, code: int) -> dict[str, Any]:
    run = run_cli(["check", *args, "--json"], repo)
    assert run.exit_code == code, run.stdout + run.stderr
    result: dict[str, Any] = run.json()
    return result


def cited(result: dict[str, Any], kind: str = "violations") -> list[tuple[str, str | None, str, str]]:
    return [(f["sha"], f["api"], f["level"], f["rule"]) for f in result[kind]]


# -- the "done means" ----------------------------------------------------------------------------


def test_undeclared_break_of_a_v1_route_in_a_patch_release_fails_citing_the_commit(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("fix: tidy the files route", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(sha, "files", "v1", "undeclared-breaking-change")]
    violation = result["violations"][0]
    assert set(violation) == {"sha", "subject", "api", "level", "stream", "rule", "message", "object", "check",
                              "details", "change"}
    assert violation["check"] == "new-required-request-parameter"
    assert violation["details"]["parameter"] == "mode"
    assert violation["change"] == "added the required query parameter 'mode'"
    assert violation["object"] == "GET /v1/files/{id}"
    assert violation["subject"] == "fix: tidy the files route" and violation["stream"] == "z"
    message = violation["message"]
    assert message.startswith(f"{sha[:7]} changes `GET /v1/files/{{id}}` of the v1 API `files`: "
                              "new-required-request-parameter")
    assert "an undeclared breaking change in a Z-stream release (v0.1.1)" in message
    assert "v1 may break only in X or Y streams" in message
    assert result["warnings"] == []


def test_the_same_edit_on_an_alpha_route_passes(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: tidy the batches route", {SPEC: dump(edit(routes(), require=[BATCHES], drop=[BATCHES_DELETE]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=0)
    assert result["violations"] == [] and result["warnings"] == []


def test_text_and_github_output_show_spec_findings(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: tidy the files route", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    text = run_cli(["check", "--tag", "v0.1.1"], repo)
    assert text.exit_code == 1
    assert "undeclared-breaking-change" in text.stdout
    row = next(line for line in text.stdout.splitlines() if line.startswith("violation\t")).split("\t")
    assert row[5:9] == ["undeclared-breaking-change", "new-required-request-parameter", "1", "GET /v1/files/{id}"]
    assert row[10].startswith("revert it")
    assert "1 violation, 0 warnings, 0 breaking changes judged, plus 1 from the OpenAPI specs" in text.stdout
    github = run_cli(["check", "--tag", "v0.1.1", "--format", "github"], repo, env={"GITHUB_STEP_SUMMARY": None})
    assert github.stdout.startswith("::error title=relmgr check::")
    assert "new-required-request-parameter" in github.stdout.splitlines()[0]


# -- streams and declarations ------------------------------------------------------------------------------


def test_a_declared_break_in_an_allowed_stream_passes(repo: Repo) -> None:
    start(repo)
    repo.commit("feat(files)!: require a mode" + NOTE, {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.2.0")
    result = check(repo, "--tag", "v0.2.0", code=0)
    assert result["violations"] == [] and result["warnings"] == []


def test_an_undeclared_break_in_an_allowed_stream_is_a_warning(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("feat: require a mode", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.2.0")
    result = check(repo, "--tag", "v0.2.0", code=0)
    assert result["violations"] == []
    assert cited(result, "warnings") == [(sha, "files", "v1", "undeclared-breaking-change")]
    assert "must be declared" in result["warnings"][0]["message"]
    assert run_cli(["check", "--tag", "v0.2.0", "--strict"], repo).exit_code == 1


def test_a_declared_break_in_a_forbidden_stream_is_reported_once_per_commit_and_api(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("feat(files)!: require a mode" + NOTE, {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    # the commit message's own violation stays, with the spec's evidence; no second one for the same break
    assert cited(result) == [(sha, "files", "v1", "break-in-forbidden-stream")]
    message = result["violations"][0]["message"]
    assert "detected in the OpenAPI spec: `GET /v1/files/{id}` new-required-request-parameter" in message
    assert message.endswith("move the change to a minor release, revert it, or change the API's level")


def test_a_declared_break_of_another_api_in_a_forbidden_stream(repo: Repo) -> None:
    start(repo)
    # the message names batches (alpha: allowed), the spec shows a break of files
    sha = repo.commit("feat(batches)!: require a mode" + NOTE, {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(sha, "files", "v1", "spec-break-in-forbidden-stream")]
    assert "a declared breaking change in a Z-stream release (v0.1.1)" in result["violations"][0]["message"]


def test_warn_changes_are_warnings_where_the_level_may_not_break(repo: Repo) -> None:
    paths = edit(routes(), optional=[FILES, BATCHES])
    start(repo, paths=paths)
    sha = repo.commit("fix: drop verbose", {SPEC: dump(edit(paths, unoptional=[FILES, BATCHES]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=0)
    # request-parameter-removed is WARN: on v1 in a Z-stream a warning; on the alpha route silent
    assert cited(result, "warnings") == [(sha, "files", "v1", "spec-warning")]
    assert "request-parameter-removed" in result["warnings"][0]["message"]


# -- deprecation before removal ------------------------------------------------------------------------------


def test_a_removal_without_prior_deprecation_fails_even_in_a_major_release(repo: Repo) -> None:
    start(repo)
    sha = repo.commit("feat(files)!: drop delete" + NOTE, {SPEC: dump(edit(routes(), drop=[FILES_DELETE]))})
    repo.tag("v1.0.0")
    result = check(repo, "--tag", "v1.0.0", code=1)
    assert cited(result) == [(sha, "files", "v1", "removed-without-deprecation")]
    assert "removes `DELETE /v1/files/{id}` of the v1 API `files`" in result["violations"][0]["message"]


def test_a_removal_after_deprecation_in_an_earlier_release_passes(repo: Repo) -> None:
    start(repo)
    repo.commit("feat(files): deprecate delete", {SPEC: dump(edit(routes(), deprecate=[FILES_DELETE]))})
    repo.tag("v0.2.0")
    repo.commit("feat(files)!: drop delete" + NOTE, {SPEC: dump(edit(routes(), drop=[FILES_DELETE]))})
    repo.tag("v0.3.0")
    result = check(repo, "--tag", "v0.3.0", code=0)
    assert result["violations"] == [] and result["warnings"] == []


def test_a_deprecation_in_the_same_release_does_not_count(repo: Repo) -> None:
    start(repo)
    repo.commit("feat(files): deprecate delete", {SPEC: dump(edit(routes(), deprecate=[FILES_DELETE]))})
    sha = repo.commit("feat(files)!: drop delete" + NOTE, {SPEC: dump(edit(routes(), drop=[FILES_DELETE]))})
    repo.tag("v0.2.0")
    result = check(repo, "--tag", "v0.2.0", code=1)
    # the removing commit's own diff says "with deprecation"; the release's says it never shipped deprecated
    assert cited(result) == [(sha, "files", "v1", "removed-without-deprecation")]


def test_require_deprecation_levels_are_configurable(repo: Repo) -> None:
    start(repo, CONFIG.replace('default-level = "v1"', 'default-level = "v1"\n[tool.relmgr.policy]\n'
                                                         'require-deprecation = []'))
    repo.commit("feat(files)!: drop delete" + NOTE, {SPEC: dump(edit(routes(), drop=[FILES_DELETE]))})
    repo.tag("v1.0.0")
    assert check(repo, "--tag", "v1.0.0", code=0)["violations"] == []


# -- attribution ------------------------------------------------------------------------------------------


def test_each_change_is_attributed_to_the_commit_that_made_it(repo: Repo) -> None:
    start(repo)
    first = edit(routes(), optional=[BATCHES])
    repo.commit("feat: an optional flag", {SPEC: dump(first)})
    repo.commit("docs: unrelated", {"README.md": "hello"})
    second = edit(first, require=[FILES])
    culprit = repo.commit("fix: a stricter files route", {SPEC: dump(second)})
    repo.commit("feat: another flag", {SPEC: dump(edit(second, optional=[FILES]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(culprit, "files", "v1", "undeclared-breaking-change")]


def test_a_change_made_in_a_merge_is_the_range_tip(repo: Repo) -> None:
    start(repo)
    repo.branch("topic")
    repo.checkout("topic")
    repo.commit("docs: topic work", {"README.md": "topic"})
    repo.checkout("main")
    repo.commit("docs: main work", {"NOTES.md": "main"})
    repo.tick()
    repo.git("merge", "-q", "--no-ff", "--no-commit", "topic")
    repo.write({SPEC: dump(edit(routes(), require=[FILES]))})
    repo.git("add", SPEC)
    repo.git("commit", "-q", "-m", "Merge branch 'topic'")
    merge = repo.head()
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(merge, "files", "v1", "undeclared-breaking-change")]
    assert result["violations"][0]["subject"] == "Merge branch 'topic'"
    assert "(not attributable to one commit)" in result["violations"][0]["message"]


def test_an_explicit_range_judges_only_the_changes_its_commits_made(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: a stricter files route", {SPEC: dump(edit(routes(), require=[FILES]))})
    base = repo.head()
    paths = edit(edit(routes(), require=[FILES]), require=[BATCHES])
    repo.commit("fix: a stricter batches route", {SPEC: dump(paths)})
    # the range holds only the batches commit (alpha): the files break before it is another range's
    result = check(repo, "--stream", "z", f"{base}..HEAD", code=0)
    assert result["violations"] == [] and result["warnings"] == []
    # the unreleased work as a whole does hold it
    assert cited(check(repo, "--stream", "z", code=1)) == [(base, "files", "v1", "undeclared-breaking-change")]


# -- levels -----------------------------------------------------------------------------------------------


def test_an_explicit_marker_wins_over_the_routes_api_level(repo: Repo) -> None:
    paths = edit(routes(), mark={FILES: "alpha", BATCHES: "stable"})
    start(repo, paths=paths)
    sha = repo.commit("fix: stricter", {SPEC: dump(edit(paths, require=[FILES, BATCHES]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    # files' GET is marked alpha (passes); batches' GET is marked stable (v1, fails) though batches is v1alpha
    assert cited(result) == [(sha, "batches", "v1", "undeclared-breaking-change")]


def test_a_route_of_no_api_is_judged_at_default_level(repo: Repo) -> None:
    start(repo, CONFIG.replace('default-level = "v1"', 'default-level = "v1beta"'))
    sha = repo.commit("fix: stricter health", {SPEC: dump(edit(routes(), require=[("/health", "get")]))})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    assert cited(result) == [(sha, None, "v1beta", "undeclared-breaking-change")]
    assert "of no configured API (at v1beta)" in result["violations"][0]["message"]


def test_the_api_level_at_the_release_counts(repo: Repo) -> None:
    config = CONFIG.replace('routes = ["/v1/files/**"]', 'routes = ["/v1/files/**"]\n'
                                                         'history = [{ until = "0.2.0", level = "v1alpha" }]')
    start(repo, config)
    repo.commit("fix: stricter", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")  # files was still v1alpha at 0.1.1
    assert check(repo, "--tag", "v0.1.1", code=0)["violations"] == []


def test_levels_from_path(repo: Repo) -> None:
    config = CONFIG.replace('specs = ["docs/api.yaml"]', 'specs = ["docs/api.yaml"]\nlevels-from = "path"').replace(
        'routes = ["/v1/batches", "/v1/batches/**"]', 'routes = ["/v1/batches/**", "/batches/**"]')
    paths = {"/v1/batches/{id}": routes()["/v1/batches/{id}"], "/batches/{id}": routes()["/v1/batches/{id}"],
             "/v1alpha/files/{id}": routes()["/v1/files/{id}"]}
    start(repo, config, paths)
    edited = edit(paths, require=[("/v1/batches/{id}", "get"), ("/batches/{id}", "get"),
                                  ("/v1alpha/files/{id}", "get")])
    sha = repo.commit("fix: stricter", {SPEC: dump(edited)})
    repo.tag("v0.1.1")
    result = check(repo, "--tag", "v0.1.1", code=1)
    # /v1/… names v1 (wins over batches' v1alpha); /batches/… names no level (batches' v1alpha: passes);
    # /v1alpha/… names v1alpha (maps to no API: passes)
    assert cited(result) == [(sha, "batches", "v1", "undeclared-breaking-change")]
    assert "`GET /v1/batches/{id}`" in result["violations"][0]["message"]


# -- reading the specs --------------------------------------------------------------------------------------


def test_specs_are_read_at_the_refs_not_from_the_work_tree(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: stricter", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    repo.write({SPEC: dump(routes())})  # a dirty copy without the break
    assert cited(check(repo, "--tag", "v0.1.1", code=1))[0][3] == "undeclared-breaking-change"
    repo.write({SPEC: "not: [valid"})  # even a broken one
    assert check(repo, "--tag", "v0.1.1", code=1)["violations"]


def test_a_spec_added_in_the_range(repo: Repo) -> None:
    repo.config(CONFIG)
    repo.commit("feat: start")
    repo.tag("v0.1.0")
    repo.commit("feat: publish the spec", {SPEC: dump(routes())})
    repo.tag("v0.1.1")
    assert check(repo, "--tag", "v0.1.1", code=0) == {
        "ok": True, "release": {"tag": "v0.1.1", "version": "0.1.1", "previous": "v0.1.0", "stream": "z"},
        "violations": [], "warnings": [], "groups": [], "waived": []}


def test_a_spec_missing_at_the_release_is_warned_about(repo: Repo) -> None:
    start(repo)
    repo.commit("chore: move the spec", remove=[SPEC])
    repo.tag("v0.1.1")
    run = run_cli(["check", "--tag", "v0.1.1", "--json"], repo)
    assert run.exit_code == 0
    assert f"OpenAPI spec {SPEC} is not in v0.1.1 (it was in v0.1.0)" in run.stderr


def test_a_broken_spec_at_the_release_exits_5(repo: Repo) -> None:
    start(repo)
    repo.commit("fix: oops", {SPEC: "openapi: [3.0"})
    repo.tag("v0.1.1")
    run = run_cli(["check", "--tag", "v0.1.1"], repo)
    assert run.exit_code == 5
    assert run.stderr.startswith(f"relmgr: error: v0.1.1:{SPEC}: not valid YAML or JSON")


def test_without_specs_check_is_unchanged(repo: Repo) -> None:
    start(repo, CONFIG.replace(f'specs = ["{SPEC}"]', "specs = []"))
    repo.commit("fix: stricter", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    run = run_cli(["check", "--tag", "v0.1.1"], repo)
    assert run.exit_code == 0 and "OpenAPI" not in run.stdout


@pytest.mark.parametrize("stream", ["z", "y"])
def test_stream_judges_unreleased_work(repo: Repo, stream: str) -> None:
    start(repo)
    sha = repo.commit("fix: stricter", {SPEC: dump(edit(routes(), require=[FILES]))})
    result = check(repo, "--stream", stream, code=1 if stream == "z" else 0)
    kind = "violations" if stream == "z" else "warnings"
    assert cited(result, kind) == [(sha, "files", "v1", "undeclared-breaking-change")]


def test_git_processes_do_not_grow_with_the_range(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    start(repo)
    paths = routes()
    for index in range(12):
        paths = edit(paths, optional=[FILES]) if index == 0 else paths
        paths[f"/v1/files/x{index}"] = {"get": {"responses": {"200": {"description": "OK"}}}}
        repo.commit(f"feat: route {index}", {SPEC: dump(paths)})
    repo.commit("fix: stricter", {SPEC: dump(edit(paths, require=[FILES]))})
    repo.tag("v0.1.1")
    import subprocess

    calls: list[list[str]] = []

    class Counting(subprocess.Popen):  # type: ignore[type-arg]  # every process: run() and streamed reads
        def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
            calls.append(list(args))
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Counting)
    check(repo, "--tag", "v0.1.1", code=1)
    cat_files = [c for c in calls if c[:2] == ["git", "cat-file"]]
    # release sides located and read, then the 13 commits' sides located and read: 4 processes in all
    assert len(cat_files) == 4, cat_files
