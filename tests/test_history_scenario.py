"""The tag soup of a real project, replayed into a repository: releases, ranges, levels, reverts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BOB, CAROL, Repo, run_cli

CONFIG = """
[tool.relmgr]
tag-prefix = "v"
ignore-tags = ["-dev$"]

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/apis/inference/**"]
scopes = ["inference"]
history = [{ until = "0.3.0", level = "v1alpha" }]

[tool.relmgr.apis.files]
level = "v1beta"
paths = ["src/apis/files/"]
scopes = ["files", "file-store"]

[tool.relmgr.apis.batches]
level = "v1alpha"
paths = ["src/apis/batches/*.py"]
"""

SQUASH = """feat(files): upload sessions (#40)

* feat(files): add upload sessions

* refactor: split the store

BREAKING CHANGE: `POST /v1/files` no longer accepts `purpose=batch`;
use `purpose=batch-input`.

* fix(files): typo

Co-authored-by: Bob Builder <bob@example.com>
"""

QUOTED = """chore(deps): bump fastapi from 0.100 to 0.110 (#42)

Bumps fastapi.
<details>
<summary>Release notes</summary>
<blockquote>
<h2>0.110</h2>
BREAKING CHANGE: upstream dropped Python 3.7
</blockquote>
</details>

> BREAKING CHANGE: also quoted
"""


@pytest.fixture(scope="module")
def soup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = Repo(tmp_path_factory.mktemp("soup") / "repo")
    repo.config(CONFIG)
    shas: dict[str, str] = {}
    shas["c1"] = repo.commit("feat(inference): first endpoint", {"src/apis/inference/api.py": "v1"})
    repo.tag("v0.1.0")
    shas["c2"] = repo.commit("fix(files): handle empty uploads (#2)", {"src/apis/files/store.py": "a"})
    repo.tag("v0.2.0")
    repo.branch("release-0.2.x")
    shas["c3"] = repo.commit("feat(inference)!: rename the model field (#3)", {"src/apis/inference/api.py": "v2"})
    shas["c4"] = repo.commit(SQUASH, {"src/apis/files/upload.py": "x"}, author=BOB)
    shas["c5"] = repo.commit(QUOTED, {"requirements.txt": "fastapi==0.110"})
    repo.tag("v0.3.0rc1")
    shas["c6"] = repo.commit("feat(batches): bulk submit (#5)", {"src/apis/batches/submit.py": "b"})
    shas["c7"] = repo.commit(f'Revert "feat(batches): bulk submit (#5)"\n\nThis reverts commit {shas["c6"]}.\n',
                             {"src/apis/batches/submit.py": ""})
    shas["c8"] = repo.commit("docs: explain batches", {"docs/batches.md": "d"}, author=CAROL)
    repo.tag("v0.3.0", annotated=False)
    repo.tag("v0.4.0-dev")
    repo.tag("stable")
    repo.tag("docs-2024")
    # a backport to the 0.2 line, tagged after 0.3.0 shipped
    repo.checkout("release-0.2.x")
    shas["c9"] = repo.commit("fix(files): handle empty uploads on 0.2 (#2)", {"src/apis/files/store.py": "b"})
    repo.tag("v0.2.1")
    shas["c10"] = repo.commit("fix: hotfix", {"src/hotfix.py": "h"})
    repo.tag("v0.2.1.1")
    repo.checkout("main")
    shas["c11"] = repo.commit("feat(file_store): resumable uploads", {"README.md": "r"})
    return {"repo": repo, "shas": shas}


def releases_of(repo: Repo) -> dict[str, dict[str, Any]]:
    run = run_cli(["releases", "--json"], repo)
    assert run.exit_code == 0, run.stderr
    return {r["tag"]: r for r in run.json()["releases"]}


def test_releases_previous_and_streams(soup: dict[str, Any]) -> None:
    found = releases_of(soup["repo"])
    assert list(found) == ["v0.1.0", "v0.2.0", "v0.3.0rc1", "v0.3.0", "v0.2.1", "v0.2.1.1"]  # oldest first
    assert found["v0.1.0"]["previous"] is None and found["v0.1.0"]["stream"] is None
    assert found["v0.2.0"] | {"date": None} == {
        "tag": "v0.2.0", "version": "0.2.0", "previous": "v0.1.0", "stream": "y", "prerelease": False,
        "date": None,
    }
    assert (found["v0.3.0rc1"]["previous"], found["v0.3.0rc1"]["stream"]) == ("v0.2.0", "y")
    assert found["v0.3.0rc1"]["prerelease"] is True
    # tagged before the backport: its previous is 0.2.0, not the (later) 0.2.1
    assert (found["v0.3.0"]["previous"], found["v0.3.0"]["stream"]) == ("v0.2.0", "y")
    assert (found["v0.2.1"]["previous"], found["v0.2.1"]["stream"]) == ("v0.2.0", "z")
    assert (found["v0.2.1.1"]["previous"], found["v0.2.1.1"]["stream"]) == ("v0.2.1", "z")


def test_skipped_tags_have_reasons(soup: dict[str, Any]) -> None:
    skipped = {s["tag"]: s["reason"] for s in run_cli(["releases", "--json"], soup["repo"]).json()["skipped"]}
    assert set(skipped) == {"stable", "docs-2024", "v0.4.0-dev"}
    assert "ignore-tags" in skipped["v0.4.0-dev"]
    assert "prefix" in skipped["stable"]


def test_dates_come_from_tagger_or_commit(soup: dict[str, Any]) -> None:
    repo: Repo = soup["repo"]
    found = releases_of(repo)
    lightweight_commit_date = repo.git("log", "-1", "--format=%cI", "v0.3.0")
    assert found["v0.3.0"]["date"] == lightweight_commit_date
    tagger_date = repo.git("for-each-ref", "--format=%(taggerdate:iso-strict)", "refs/tags/v0.2.0")
    assert found["v0.2.0"]["date"] == tagger_date


def scan(repo: Repo, *args: str) -> dict[str, Any]:
    run = run_cli(["scan", *args, "--json"], repo)
    assert run.exit_code == 0, run.stderr
    result: dict[str, Any] = run.json()
    return result


def test_scan_default_is_unreleased_work_on_main(soup: dict[str, Any]) -> None:
    result = scan(soup["repo"])
    assert result["range"] == "v0.3.0..HEAD"
    assert [c["sha"] for c in result["commits"]] == [soup["shas"]["c11"]]
    commit = result["commits"][0]
    assert commit["apis"] == [{"name": "files", "level": "v1beta", "via": "scope"}]  # file_store ~ file-store


def test_scan_default_on_release_branch(soup: dict[str, Any]) -> None:
    repo: Repo = soup["repo"]
    repo.checkout("release-0.2.x")
    try:
        result = scan(repo)
    finally:
        repo.checkout("main")
    assert result["range"] == "v0.2.1.1..HEAD"
    assert result["commits"] == []


def test_scan_release_range(soup: dict[str, Any]) -> None:
    shas = soup["shas"]
    result = scan(soup["repo"], "v0.2.0..v0.3.0")
    by_sha = {c["sha"]: c for c in result["commits"]}
    assert list(by_sha) == [shas[k] for k in ("c8", "c7", "c6", "c5", "c4", "c3")]  # newest first
    c3, c4, c5 = by_sha[shas["c3"]], by_sha[shas["c4"]], by_sha[shas["c5"]]
    assert (c3["type"], c3["scope"], c3["breaking"], c3["pr"]) == ("feat", "inference", True, 3)
    # c3 first shipped in 0.3.0rc1, when inference was still v1alpha (it became v1 at 0.3.0)
    assert c3["apis"] == [{"name": "inference", "level": "v1alpha", "via": "scope"}]
    assert c4["breaking"] is True and c4["pr"] == 40
    assert c4["breaking_notes"] == ["`POST /v1/files` no longer accepts `purpose=batch`;\nuse `purpose=batch-input`."]
    assert c4["author"] == "Bob Builder"
    assert c5["breaking"] is False and c5["breaking_notes"] == []
    # the revert pair is marked; the docs commit after it is not
    assert by_sha[shas["c6"]]["reverted"] and by_sha[shas["c7"]]["reverted"]
    assert by_sha[shas["c6"]]["apis"] == [{"name": "batches", "level": "v1alpha", "via": "path"}]
    assert not by_sha[shas["c8"]]["reverted"]
    assert by_sha[shas["c7"]]["type"] is None


def test_scan_revert_outside_range_is_not_marked(soup: dict[str, Any]) -> None:
    shas = soup["shas"]
    result = scan(soup["repo"], f"{shas['c6']}..v0.3.0")
    by_sha = {c["sha"]: c for c in result["commits"]}
    assert by_sha[shas["c7"]]["reverted"] is False


def test_scan_level_of_commit_in_final_release_only(soup: dict[str, Any]) -> None:
    shas = soup["shas"]
    result = scan(soup["repo"], "v0.3.0")  # a ref: all its history
    by_sha = {c["sha"]: c for c in result["commits"]}
    assert len(by_sha) == 8
    # c1 shipped in 0.1.0 while inference was v1alpha
    assert by_sha[shas["c1"]]["apis"] == [{"name": "inference", "level": "v1alpha", "via": "scope"}]


def test_apis_json(soup: dict[str, Any]) -> None:
    run = run_cli(["apis", "--json"], soup["repo"])
    assert run.exit_code == 0
    apis = {a["name"]: a for a in run.json()["apis"]}
    assert apis["inference"] == {
        "name": "inference", "level": "v1", "paths": ["src/apis/inference/**"], "scopes": ["inference"],
        "history": [{"until": "0.3.0", "level": "v1alpha"}], "routes": [], "python": [], "python_paths": ["src", ""],
        "providers": [],
    }
    assert apis["batches"]["scopes"] == []
    assert run.json()["unmapped_routes"] == []  # no [tool.relmgr.openapi] specs


def test_human_output_is_plain_when_piped(soup: dict[str, Any]) -> None:
    run = run_cli(["releases"], soup["repo"])
    assert run.exit_code == 0
    assert "\x1b[" not in run.stdout
    assert "v0.2.1.1" in run.stdout and "skipped stable" in run.stdout
    scan_run = run_cli(["scan", "v0.2.0..v0.3.0"], soup["repo"])
    assert "BREAKING" in scan_run.stdout and "reverted" in scan_run.stdout


def test_path_glob_without_wildcards_is_a_folder(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.config(CONFIG)
    repo.commit("chore: touch", {"src/apis/files/deep/x.py": "1", "src/apis/batches/deep/y.py": "2"})
    result = scan(repo)
    # files' "src/apis/files/" covers the subtree; batches' "*.py" stays in its folder
    assert result["commits"][0]["apis"] == [{"name": "files", "level": "v1beta", "via": "path"}]


def test_tags_of_trees_blobs_and_tags_are_skipped_with_a_reason(repo: Repo) -> None:
    repo.commit("feat: x", {"a.txt": "a"})
    repo.tag("v1.0.0")
    repo.git("tag", "v1.1.0", "HEAD^{tree}")
    repo.git("tag", "v1.2.0", "HEAD:a.txt")
    repo.git("tag", "-a", "v1.3.0", "v1.0.0", "-m", "a tag of a tag")
    run = run_cli(["releases", "--json"], repo)
    assert run.exit_code == 0, run.stderr
    assert [r["tag"] for r in run.json()["releases"]] == ["v1.0.0"]
    assert {s["tag"]: s["reason"] for s in run.json()["skipped"]} == {
        "v1.1.0": "points to a tree, not a commit",
        "v1.2.0": "points to a blob, not a commit",
        "v1.3.0": "points to a tag, not a commit",
    }
