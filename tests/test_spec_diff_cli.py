"""`relmgr spec-diff BASE REVISION`: files and `REF:path` sides, output, thresholds and errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.openapi_repo import SPEC, dump, edit, routes

FILES = ("/v1/files/{id}", "get")
BATCHES = ("/v1/batches/{id}", "get")
# one ERR (a new required parameter), one WARN (an optional parameter removed), one INFO (a new operation)
BEFORE = edit(routes(), optional=[("/health", "get")])
AFTER = edit(edit(BEFORE, require=[FILES], unoptional=[("/health", "get")]), mark={BATCHES: "alpha"})
AFTER["/v1/files"] = {"get": {"responses": {"200": {"description": "OK"}}}}
EXPECTED = [
    ("ERR", "new-required-request-parameter", "GET /v1/files/{id}", "v1"),
    ("ERR", "api-stability-decreased", "GET /v1/batches/{id}", "v1"),
    ("WARN", "request-parameter-removed", "GET /health", "v1"),
    ("INFO", "endpoint-added", "GET /v1/files", "v1"),
]


@pytest.fixture
def history(repo: Repo) -> Repo:
    repo.commit("feat: spec", {SPEC: dump(BEFORE)})
    repo.tag("v0.1.0")
    repo.commit("feat: more", {SPEC: dump(AFTER)})
    return repo


def rows(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(c["severity"], c["id"], c["operation"], c["level"]) for c in result["changes"]]


def spec_diff(where: Repo | Path, *args: str, code: int = 0) -> Any:
    run = run_cli(["spec-diff", *args], where)
    assert run.exit_code == code, run.stdout + run.stderr
    return run


def write(tmp_path: Path, name: str, paths: dict[str, Any]) -> str:
    target = tmp_path / name
    target.write_text(dump(paths))
    return str(target)


def test_file_vs_file_json(tmp_path: Path, history: Repo) -> None:
    base, revision = write(tmp_path, "a.yaml", BEFORE), write(tmp_path, "b.yaml", AFTER)
    result = spec_diff(history, base, revision, "--json").json()
    assert set(result) == {"base", "revision", "changes", "summary"}
    assert (result["base"], result["revision"]) == (base, revision)
    # oasdiff's order: most severe first, then by path
    assert rows(result) == [EXPECTED[1], EXPECTED[0], EXPECTED[2], EXPECTED[3]]
    assert result["summary"] == {"ERR": 2, "WARN": 1, "INFO": 1}
    first = result["changes"][0]
    assert set(first) == {"id", "severity", "operation", "method", "path", "level", "message", "details"}
    assert (first["method"], first["path"]) == ("GET", "/v1/batches/{id}")
    assert first["message"] == "endpoint stability level decreased from v1 to v1alpha"
    assert first["details"] == {"before": "v1", "after": "v1alpha"}
    required = result["changes"][1]
    assert required["details"] == {"location": "query", "parameter": "mode", "need": "required"}


def test_ref_vs_ref_and_mixed(tmp_path: Path, history: Repo) -> None:
    by_refs = spec_diff(history, f"v0.1.0:{SPEC}", f"HEAD:{SPEC}", "--json").json()
    assert (by_refs["base"], by_refs["revision"]) == (f"v0.1.0:{SPEC}", f"HEAD:{SPEC}")
    assert by_refs["summary"] == {"ERR": 2, "WARN": 1, "INFO": 1}
    mixed = spec_diff(history, f"v0.1.0:{SPEC}", write(tmp_path, "b.yaml", AFTER), "--json").json()
    assert mixed["changes"] == by_refs["changes"]


def test_ref_sides_ignore_the_work_tree(history: Repo) -> None:
    (history.path / SPEC).write_text(dump(BEFORE))  # the work tree says "no change"
    assert spec_diff(history, f"v0.1.0:{SPEC}", f"HEAD:{SPEC}", "--json").json()["summary"]["ERR"] == 2


def test_text_output(history: Repo) -> None:
    run = spec_diff(history, f"v0.1.0:{SPEC}", f"HEAD:{SPEC}")
    lines = run.stdout.splitlines()
    assert lines[0] == f"relmgr spec-diff v0.1.0:{SPEC} → HEAD:{SPEC}: 2 ERR, 1 WARN, 1 INFO"
    assert "new-required-request-parameter" in run.stdout and "GET /v1/files/{id}" in run.stdout
    same = spec_diff(history, f"HEAD:{SPEC}", f"HEAD:{SPEC}")
    assert same.stdout == f"relmgr spec-diff HEAD:{SPEC} → HEAD:{SPEC}: no changes\n"


@pytest.mark.parametrize(("fail_on", "code"), [(None, 0), ("ERR", 1), ("WARN", 1), ("err", 1)])
def test_fail_on(history: Repo, fail_on: str | None, code: int) -> None:
    option = ["--fail-on", fail_on] if fail_on else []
    spec_diff(history, f"v0.1.0:{SPEC}", f"HEAD:{SPEC}", *option, code=code)


def test_fail_on_thresholds(tmp_path: Path, history: Repo) -> None:
    warn_only = edit(BEFORE, unoptional=[("/health", "get")])
    base, revision = write(tmp_path, "a.yaml", BEFORE), write(tmp_path, "b.yaml", warn_only)
    spec_diff(history, base, revision, "--fail-on", "ERR", code=0)
    spec_diff(history, base, revision, "--fail-on", "WARN", code=1)
    info_only = write(tmp_path, "c.yaml", {**BEFORE, "/new": {"get": {"responses": {"200": {"description": "x"}}}}})
    spec_diff(history, base, info_only, "--fail-on", "WARN", code=0)
    bad = spec_diff(history, base, revision, "--fail-on", "INFO", code=2)
    assert "use ERR (breaking) or WARN (may break)" in bad.stderr


def test_all_levels(tmp_path: Path, history: Repo) -> None:
    alpha = edit(BEFORE, mark={BATCHES: "alpha"})
    broken = edit(alpha, require=[BATCHES])
    base, revision = write(tmp_path, "a.yaml", alpha), write(tmp_path, "b.yaml", broken)
    assert spec_diff(history, base, revision, "--json").json()["changes"] == []  # like `oasdiff breaking`
    every = spec_diff(history, base, revision, "--json", "--all-levels").json()
    assert rows(every) == [("ERR", "new-required-request-parameter", "GET /v1/batches/{id}", "v1alpha")]


def test_stability_level(tmp_path: Path, history: Repo) -> None:
    beta = edit(BEFORE, mark={BATCHES: "beta"})
    base, revision = write(tmp_path, "a.yaml", beta), write(tmp_path, "b.yaml", edit(beta, require=[BATCHES]))
    assert len(spec_diff(history, base, revision, "--json", "--stability-level", "beta").json()["changes"]) == 1
    assert spec_diff(history, base, revision, "--json", "--stability-level", "stable").json()["changes"] == []
    both = spec_diff(history, base, revision, "--all-levels", "--stability-level", "stable", code=2)
    assert "pass one of them" in both.stderr
    assert "use draft, alpha, beta or stable" in spec_diff(history, base, revision, "--stability-level", "x",
                                                           code=2).stderr


def test_check_keeps_only_the_named_rules(tmp_path: Path, history: Repo) -> None:
    base, revision = write(tmp_path, "a.yaml", BEFORE), write(tmp_path, "b.yaml", AFTER)
    one = spec_diff(history, base, revision, "--json", "--check", "request-parameter-removed").json()
    assert [c["id"] for c in one["changes"]] == ["request-parameter-removed"]
    two = spec_diff(history, base, revision, "--json", "--check", "endpoint-added",
                    "--check", "NewRequestNonPathParameterCheck").json()  # an oasdiff check: its IDs
    assert [c["id"] for c in two["changes"]] == ["new-required-request-parameter", "endpoint-added"]
    typo = spec_diff(history, base, revision, "--check", "request-parameter-remove", code=2)
    assert "did you mean request-parameter-removed?" in typo.stderr


def test_deprecation_days(tmp_path: Path, history: Repo) -> None:
    deprecated = {path: {method: {**operation, "deprecated": True} for method, operation in item.items()}
                  for path, item in BEFORE.items() if path == "/health"}
    base, revision = write(tmp_path, "a.yaml", BEFORE), write(tmp_path, "b.yaml", {**BEFORE, **deprecated})
    quiet = spec_diff(history, base, revision, "--json").json()
    assert [c["id"] for c in quiet["changes"]] == ["endpoint-deprecated"]
    strict = spec_diff(history, base, revision, "--json", "--deprecation-days-stable", "30").json()
    assert [c["id"] for c in strict["changes"]] == ["api-deprecated-sunset-missing"]
    beta_only = spec_diff(history, base, revision, "--json", "--deprecation-days-beta", "30").json()
    assert [c["id"] for c in beta_only["changes"]] == ["endpoint-deprecated"]  # /health is stable


def test_levels_from(tmp_path: Path, history: Repo) -> None:
    before = {"/v1alpha/things": {"get": {"responses": {"200": {"description": "OK"}}}}}
    after = edit(before, require=[("/v1alpha/things", "get")])
    base, revision = write(tmp_path, "a.yaml", before), write(tmp_path, "b.yaml", after)
    assert len(spec_diff(history, base, revision, "--json").json()["changes"]) == 1  # unmarked: v1
    assert spec_diff(history, base, revision, "--json", "--levels-from", "path").json()["changes"] == []
    (history.path / "relmgr.toml").write_text('[tool.relmgr.openapi]\nlevels-from = "path"\n')
    assert spec_diff(history, base, revision, "--json").json()["changes"] == []  # the config's default
    bad = spec_diff(history, base, revision, "--levels-from", "tags", code=2)
    assert "--levels-from 'tags'" in bad.stderr


def test_malformed_spec_exits_5(tmp_path: Path, history: Repo) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.0\npaths: [\n")
    run = spec_diff(history, f"HEAD:{SPEC}", str(broken), code=5)
    assert run.stdout == ""
    assert run.stderr.startswith(f"relmgr: error: {broken}: not valid YAML or JSON")
    assert len(run.stderr.splitlines()) == 1
    not_openapi = tmp_path / "list.yaml"
    not_openapi.write_text("- 1\n")
    assert "not an OpenAPI document" in spec_diff(history, str(not_openapi), f"HEAD:{SPEC}", code=5).stderr


@pytest.mark.parametrize(
    ("side", "code", "needle"),
    [
        ("nope.yaml", 5, "nope.yaml: no such file"),
        ("HEAD:docs/missing.yaml", 5, "HEAD:docs/missing.yaml: there is no file 'docs/missing.yaml' at HEAD"),
        ("HEAD:docs", 5, "there is no file 'docs' at HEAD"),
        (f"v9.9.9:{SPEC}", 4, "unknown revision 'v9.9.9'"),
    ],
)
def test_unreadable_sides(history: Repo, side: str, code: int, needle: str) -> None:
    run = spec_diff(history, side, f"HEAD:{SPEC}", code=code)
    assert needle in run.stderr and len(run.stderr.splitlines()) == 1


def test_a_file_named_like_a_ref(history: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "v9:api.yaml").write_text(dump(BEFORE))  # the left part names no commit: a file path
    result = spec_diff(history, "v9:api.yaml", f"HEAD:{SPEC}", "--json").json()
    assert result["summary"]["ERR"] == 2


def test_files_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    revision = write(tmp_path, "b.yaml", AFTER)
    write(tmp_path, "a.yaml", BEFORE)
    run = run_cli(["spec-diff", "a.yaml", "b.yaml", "--json"])  # relative to the current folder
    assert run.exit_code == 0, run.stderr
    assert run.json()["summary"] == {"ERR": 2, "WARN": 1, "INFO": 1}
    outside = run_cli(["spec-diff", f"HEAD:{SPEC}", revision])
    assert outside.exit_code == 4 and "outside a git repository" in outside.stderr
