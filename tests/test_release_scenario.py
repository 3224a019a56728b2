"""`relmgr release` several times in a row in one repository: a first minor, an rc, its final, the release
branch, a patch from it, the next minor on main; after each, `releases` and `check --tag` read the result."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo
from tests.release_repo import (
    CHANGELOG,
    FILES,
    PYPROJECT,
    committed_files,
    project,
    read,
    release_json,
    relmgr,
    tag_message,
)

NOTE = "\n\nBREAKING CHANGE: upload with `purpose=batch-input` instead\n"


def releases(repo: Repo) -> list[dict[str, Any]]:
    run = relmgr(repo, "releases", "--json")
    assert run.exit_code == 0, run.stderr
    return [{k: r[k] for k in ("tag", "previous", "stream", "prerelease")} for r in run.json()["releases"]]


def checked(repo: Repo, tag: str) -> dict[str, Any]:
    run = relmgr(repo, "check", "--tag", tag, "--json")
    assert run.exit_code == 0, run.stdout + run.stderr
    release: dict[str, Any] = run.json()["release"]
    return release


def assert_released(repo: Repo, doc: dict[str, Any], version: str) -> None:
    """The release commit holds exactly the files, carries the version, and the tag points at it."""
    assert doc["commit"] == repo.head() == repo.git("rev-list", "-n1", doc["tag"])
    assert repo.git("log", "-1", "--format=%s") == f"chore(release): {version}"
    assert committed_files(repo) == FILES == doc["files"]
    assert read(repo, "pyproject.toml") == PYPROJECT.replace('"0.0.0"', f'"{version}"')
    assert f'__version__: str = "{version}"\n' in read(repo, "src/widgets/__init__.py")
    assert repo.git("status", "--porcelain", "--untracked-files=no") == ""
    assert repo.git("cat-file", "-t", doc["tag"]) == "tag"  # annotated


def test_a_minor_an_rc_its_final_a_branch_a_patch_and_the_next_minor(repo: Repo) -> None:
    project(repo)
    repo.commit("feat(files): upload files (#1)")
    first = release_json(repo)
    assert {k: first[k] for k in ("version", "tag", "previous", "stream", "ok", "violations", "dry_run",
                                  "forced")} == {
        "version": "0.1.0", "tag": "v0.1.0", "previous": None, "stream": None, "ok": True, "violations": [],
        "dry_run": False, "forced": False}
    assert_released(repo, first, "0.1.0")
    assert read(repo, "CHANGELOG.md").startswith(CHANGELOG + "\n## 0.1.0 - ")
    assert "- **files**: upload files (#1)" in tag_message(repo, "v0.1.0")
    assert releases(repo) == [{"tag": "v0.1.0", "previous": None, "stream": None, "prerelease": False}]
    assert checked(repo, "v0.1.0")["stream"] is None

    repo.commit("feat(files)!: drop purpose=batch (#2)" + NOTE)
    rc = release_json(repo, "--pre", "rc")
    assert (rc["version"], rc["tag"], rc["previous"], rc["stream"]) == ("0.2.0-rc.1", "v0.2.0-rc.1", "v0.1.0", "y")
    assert_released(repo, rc, "0.2.0-rc.1")
    assert "upload with `purpose=batch-input` instead" in tag_message(repo, "v0.2.0-rc.1")
    assert checked(repo, "v0.2.0-rc.1") == {"tag": "v0.2.0-rc.1", "version": "0.2.0-rc.1", "previous": "v0.1.0",
                                            "stream": "y"}

    repo.commit("fix(files): reject empty uploads (#3)")
    run = relmgr(repo, "release")
    assert run.exit_code == 0, run.stderr
    assert "version 0.2.0: a Y-stream release after v0.1.0" in run.stdout
    assert "git push --follow-tags" in run.stdout and "relmgr release-branch" in run.stdout
    assert repo.git("log", "-1", "--format=%s") == "chore(release): 0.2.0"
    final = tag_message(repo, "v0.2.0")
    assert "drop purpose=batch (#2)" in final and "reject empty uploads (#3)" in final
    assert "chore(release)" not in final  # the rc's release commit is bookkeeping, not news
    notes = relmgr(repo, "notes", "v0.2.0")
    assert notes.stdout.rstrip().split("\n", 1)[1] == final.split("\n", 1)[1]  # the same notes, date aside
    assert checked(repo, "v0.2.0")["stream"] == "y"

    branch = relmgr(repo, "release-branch", "--json")
    assert branch.exit_code == 0, branch.stderr
    assert branch.json() == {"branch": "release-0.2.x", "tag": "v0.2.0", "sha": repo.head()}
    assert repo.git("rev-parse", "release-0.2.x") == repo.head()
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"  # not checked out

    repo.commit("feat(files): resumable uploads (#4)")  # main moves on
    repo.checkout("release-0.2.x")
    repo.commit("fix(files): close the upload stream (#5)")
    patch = release_json(repo)
    assert (patch["version"], patch["previous"], patch["stream"]) == ("0.2.1", "v0.2.0", "z")
    assert_released(repo, patch, "0.2.1")
    assert "close the upload stream (#5)" in tag_message(repo, "v0.2.1")
    assert "resumable uploads" not in tag_message(repo, "v0.2.1")
    changelog = read(repo, "CHANGELOG.md")
    assert changelog.index("## 0.2.1") < changelog.index("## 0.2.0 ") < changelog.index("## 0.2.0-rc.1")
    assert checked(repo, "v0.2.1") == {"tag": "v0.2.1", "version": "0.2.1", "previous": "v0.2.0", "stream": "z"}

    repo.checkout("main")
    minor = release_json(repo)
    assert (minor["version"], minor["previous"], minor["stream"]) == ("0.3.0", "v0.2.0", "y")
    assert_released(repo, minor, "0.3.0")
    assert releases(repo) == [
        {"tag": "v0.1.0", "previous": None, "stream": None, "prerelease": False},
        {"tag": "v0.2.0-rc.1", "previous": "v0.1.0", "stream": "y", "prerelease": True},
        {"tag": "v0.2.0", "previous": "v0.1.0", "stream": "y", "prerelease": False},
        {"tag": "v0.2.1", "previous": "v0.2.0", "stream": "z", "prerelease": False},
        {"tag": "v0.3.0", "previous": "v0.2.1", "stream": "y", "prerelease": False},
    ]
    for tag in ("v0.1.0", "v0.2.0-rc.1", "v0.2.0", "v0.2.1", "v0.3.0"):
        checked(repo, tag)
    nothing = relmgr(repo, "release")
    assert nothing.exit_code == 1 and "no commits since v0.3.0; nothing to release, no tag made" in nothing.stderr
