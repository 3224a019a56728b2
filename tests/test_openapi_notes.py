"""`relmgr notes` with OpenAPI specs: the breaking changes the spec shows, listed among the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.openapi_repo import CONFIG, NOTE, SPEC, dump, edit, routes

FILES = ("/v1/files/{id}", "get")
BATCHES_DELETE = ("/v1/batches/{id}", "delete")
HEALTH = ("/health", "get")
COMMIT_KEYS = {"sha", "subject", "description", "apis", "notes", "pr", "scope", "level", "source"}


@pytest.fixture
def history(repo: Repo) -> dict[str, Any]:
    repo.config(CONFIG)
    repo.commit("feat: the first routes", {SPEC: dump(routes())})
    repo.tag("v0.1.0")
    shas = {}
    paths = edit(routes(), require=[FILES])
    shas["declared"] = repo.commit("feat(files)!: require a mode (#5)" + NOTE, {SPEC: dump(paths)})
    paths = edit(paths, drop=[BATCHES_DELETE])
    shas["alpha"] = repo.commit("fix(batches): tidy (#6)", {SPEC: dump(paths)})
    paths = {**paths, "/v1/files": {"get": {"responses": {"200": {"description": "OK"}}}}}
    repo.commit("feat(files): list files (#7)", {SPEC: dump(paths)})  # INFO: not a breaking change
    paths = edit(paths, require=[HEALTH])
    shas["health"] = repo.commit("fix: stricter health checks (#8)", {SPEC: dump(paths)})
    repo.tag("v0.2.0")
    return {"repo": repo, "shas": shas, "paths": paths}


def notes_json(repo: Repo, *args: str) -> dict[str, Any]:
    run = run_cli(["notes", *args, "--json"], repo)
    assert run.exit_code == 0, run.stderr
    result: dict[str, Any] = run.json()
    return result


def test_spec_detected_breaking_changes_in_the_json(history: dict[str, Any]) -> None:
    shas = history["shas"]
    breaking = notes_json(history["repo"], "v0.2.0")["breaking"]
    listed = [(b["source"], b["sha"], b.get("operation"), b.get("check"), b["level"]) for b in breaking]
    assert listed == [
        ("commit", shas["declared"], None, None, "v1"),
        ("openapi", shas["declared"], "GET /v1/files/{id}", "new-required-request-parameter", "v1"),
        ("openapi", shas["health"], "GET /health", "new-required-request-parameter", "v1"),  # default-level
        ("openapi", shas["alpha"], "DELETE /v1/batches/{id}", "api-removed-without-deprecation", "v1alpha"),
    ]
    commit, detected = breaking[0], breaking[1]
    assert set(commit) == COMMIT_KEYS
    assert set(detected) == COMMIT_KEYS | {"operation", "check", "declared", "attributed"}
    # what the notes template says of each: declared in its commit message or not, made by one commit
    assert [(b["declared"], b["attributed"]) for b in breaking[1:]] == [(True, True), (False, True), (False, True)]
    assert detected["apis"] == [{"name": "files", "level": "v1"}]
    assert detected["description"] == "added the required query parameter 'mode'"
    assert (detected["subject"], detected["pr"], detected["scope"], detected["notes"]) == (
        "feat(files)!: require a mode (#5)", 5, "files", [])
    assert breaking[2]["apis"] == []


def test_spec_detected_breaking_changes_in_the_markdown(history: dict[str, Any]) -> None:
    shas = history["shas"]
    text = run_cli(["notes", "v0.2.0"], history["repo"]).stdout
    v1, alpha = text.index("#### v1\n"), text.index("#### v1alpha\n")
    health = (f"- `GET /health`: added the required query parameter 'mode' — detected in the OpenAPI spec "
              f"(`new-required-request-parameter`, not declared in its commit message) (#8) ({shas['health'][:7]})")
    assert v1 < text.index(health) < alpha
    # a declared commit the spec confirms is listed once, as its message says, with what the spec shows
    declared = (f"- **files**: require a mode (#5) ({shas['declared'][:7]})\n"
                "  - detected in the OpenAPI spec: `GET /v1/files/{id}`: added the required query parameter 'mode' "
                "(`new-required-request-parameter`)\n")
    assert v1 < text.index(declared) < alpha
    assert text.count(shas["declared"][:7]) == 1  # listed once
    assert ("- **batches**: `DELETE /v1/batches/{id}`: removed the operation without deprecation — detected in the "
            "OpenAPI spec (`api-removed-without-deprecation`, not declared in its commit message)") in text[alpha:]
    assert "`GET /v1/files`:" not in text  # an added operation is no breaking change


def test_unreleased_notes_list_them_too(history: dict[str, Any]) -> None:
    repo = history["repo"]
    sha = repo.commit("fix(files): tidy (#9)", {SPEC: dump(edit(history["paths"], drop=[FILES]))})
    breaking = notes_json(repo)["breaking"]
    assert [(b["source"], b["sha"], b["check"]) for b in breaking] == [
        ("openapi", sha, "api-removed-without-deprecation")]


def test_without_specs_every_entry_is_a_commit(history: dict[str, Any]) -> None:
    repo = history["repo"]
    repo.config(CONFIG.replace(f'specs = ["{SPEC}"]', "specs = []"))
    breaking = notes_json(repo, "v0.2.0")["breaking"]
    assert [(b["source"], b["sha"]) for b in breaking] == [("commit", history["shas"]["declared"])]
    assert "detected in the OpenAPI spec" not in run_cli(["notes", "v0.2.0"], repo).stdout


def test_a_first_release_has_no_spec_to_compare(repo: Repo) -> None:
    repo.config(CONFIG)
    repo.commit("feat: the first routes", {SPEC: dump(routes())})
    repo.tag("v0.1.0")
    assert notes_json(repo, "v0.1.0")["breaking"] == []


def test_a_change_no_single_commit_made_says_so(repo: Repo, tmp_path: Path) -> None:
    repo.config(CONFIG)
    repo.commit("feat: the first routes", {SPEC: dump(routes())})
    repo.tag("v0.1.0")
    repo.branch("topic")
    repo.checkout("topic")
    repo.commit("docs: topic work", {"README.md": "topic"})
    repo.checkout("main")
    repo.commit("docs: main work", {"NOTES.md": "main"})
    repo.tick()
    repo.git("merge", "-q", "--no-ff", "--no-commit", "topic")
    repo.write({SPEC: dump(edit(routes(), require=[FILES]))})  # the merge itself changes the spec
    repo.git("add", SPEC)
    repo.git("commit", "-q", "-m", "Merge branch 'topic'")
    repo.tag("v0.2.0")
    detected = [b for b in notes_json(repo, "v0.2.0")["breaking"] if b["source"] == "openapi"]
    assert [(b["declared"], b["attributed"]) for b in detected] == [(False, False)]
    text = run_cli(["notes", "v0.2.0"], repo).stdout
    assert ("- **files**: `GET /v1/files/{id}`: added the required query parameter 'mode' — detected in the OpenAPI "
            "spec (`new-required-request-parameter`, not attributable to one commit)") in text
    assert_copy_renders_alike(repo, tmp_path, "v0.2.0")


def test_a_copy_of_the_default_template_writes_the_detected_changes_alike(history: dict[str, Any],
                                                                          tmp_path: Path) -> None:
    assert_copy_renders_alike(history["repo"], tmp_path, "v0.2.0")


def assert_copy_renders_alike(repo: Repo, tmp_path: Path, tag: str) -> None:
    """`notes --default-template` into a file, then `--template` with it: the built-in notes, byte for byte."""
    copy = tmp_path / "notes.md.j2"
    copy.write_text(run_cli(["notes", "--default-template"], repo).stdout, encoding="utf-8")
    built_in = run_cli(["notes", tag], repo).stdout
    assert "detected in the OpenAPI spec" in built_in
    assert run_cli(["notes", tag, "--template", str(copy)], repo).stdout == built_in
