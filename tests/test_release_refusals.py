"""`relmgr release` refusals, failures and dry runs: each leaves the repository exactly as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo
from tests.release_repo import (
    CONFIG,
    FILES,
    JSON_KEYS,
    committed_files,
    project,
    release_json,
    relmgr,
    snapshot,
    tag_message,
)

APPROVAL = CONFIG + '\n[tool.relmgr.policy]\nrequire-approval = ["v1beta"]\n'


def released(repo: Repo, config: str = CONFIG, changelog: bool = True) -> Repo:
    """v0.1.0 tagged by hand, then one fix: the next release is 0.1.1 (Z)."""
    project(repo, config, changelog)
    repo.commit("feat(files): upload files (#1)")
    repo.tag("v0.1.0")
    repo.commit("fix(files): reject empty uploads (#2)")
    return repo


def refused(repo: Repo, *args: str, code: int = 1) -> str:
    """Run `release ARGS`, expect exit `code` and an unchanged repository; what it said (stderr, stdout)."""
    before = snapshot(repo)
    run = relmgr(repo, "release", *args)
    assert run.exit_code == code, (run.exit_code, run.stdout, run.stderr)
    assert snapshot(repo) == before
    return run.stderr + run.stdout


# -- preconditions -------------------------------------------------------------------------------------


def test_a_dirty_work_tree_is_refused_untracked_files_are_fine(repo: Repo) -> None:
    released(repo)
    (repo.path / "pyproject.toml").write_text("edited\n")
    assert "commit or stash your changes" in refused(repo)
    repo.git("add", "pyproject.toml")  # staged counts too
    assert "commit or stash your changes" in refused(repo)
    repo.git("reset", "-q", "--hard")
    (repo.path / "scratch.txt").write_text("not tracked\n")
    assert release_json(repo)["version"] == "0.1.1"
    assert (repo.path / "scratch.txt").read_text() == "not tracked\n"
    assert "scratch.txt" not in committed_files(repo)


def test_a_detached_head_is_refused(repo: Repo) -> None:
    released(repo)
    repo.git("checkout", "-q", "--detach")
    assert "check out a branch" in refused(repo, code=4)


def test_a_shallow_clone_is_refused(repo: Repo, tmp_path: Path) -> None:
    released(repo)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    (clone / "relmgr.toml").write_text(CONFIG)
    run = relmgr(repo, "--repo", str(clone), "release")  # the last --repo wins
    assert run.exit_code == 4 and "shallow clone" in run.stderr


def test_nothing_to_release(repo: Repo) -> None:
    released(repo)
    repo.tag("v0.1.1")
    assert "no commits since v0.1.1; nothing to release, no tag made" in refused(repo)


# -- the branch fits the stream -------------------------------------------------------------------------


def test_a_patch_from_main_once_the_release_branch_exists_is_refused(repo: Repo) -> None:
    released(repo)
    repo.branch("release-0.1.x", "v0.1.0")
    error = refused(repo)
    assert "release-0.1.x exists, so patch releases of 0.1 are made there, not on main" in error
    repo.git("branch", "-q", "-D", "release-0.1.x")
    repo.git("update-ref", "refs/remotes/origin/release-0.1.x", "v0.1.0")  # on the remote only: the same
    assert "release-0.1.x exists" in refused(repo)
    repo.git("update-ref", "-d", "refs/remotes/origin/release-0.1.x")
    repo.git("update-ref", "refs/remotes/origin/release-0.1.x/old", "v0.1.0")  # another branch's name
    assert release_json(repo)["version"] == "0.1.1"  # from main: the branch does not exist yet


def test_a_minor_from_a_release_branch_is_refused(repo: Repo) -> None:
    released(repo)
    repo.branch("release-0.1.x", "v0.1.0")
    repo.checkout("release-0.1.x")
    repo.commit("feat(files): resumable uploads (#3)")
    assert "0.2.0 is a minor release: it is made from main (`main-branch`), not from release-0.1.x" in refused(repo)


def test_a_patch_from_another_branch_or_line_is_refused(repo: Repo) -> None:
    released(repo)
    repo.branch("topic")
    repo.checkout("topic")
    assert "0.1.1 is a patch release: it is made from release-0.1.x, or from main" in refused(repo)
    repo.checkout("main")
    repo.branch("release-0.0.x")
    repo.checkout("release-0.0.x")
    assert "not from release-0.0.x" in refused(repo)


def test_the_branch_pattern_and_main_branch_come_from_the_config(repo: Repo) -> None:
    config = CONFIG.replace("[tool.relmgr]\n", '[tool.relmgr]\nmain-branch = "trunk"\n'
                                                'release-branch = "stable/{major}.{minor}"\n')
    released(repo, config)
    assert "made from release-0.1.x" not in refused(repo)  # main is not the main branch here
    repo.git("branch", "-q", "-m", "trunk")
    repo.branch("stable/0.1", "v0.1.0")
    assert "stable/0.1 exists" in refused(repo)
    repo.checkout("stable/0.1")
    repo.git("cherry-pick", "trunk")
    assert release_json(repo)["version"] == "0.1.1"


# -- the version -----------------------------------------------------------------------------------------


def test_an_existing_tag_is_refused(repo: Repo) -> None:
    released(repo)
    repo.tag("v0.2", ref="HEAD~1")  # a release of 0.2.0 written short
    assert "tag v0.1.0 exists; pick another --version" in refused(repo, "--version", "0.1.0")
    assert "tag v0.2 exists for version 0.2.0; pick another --version" in refused(repo, "--version", "v0.2.0")


def test_a_version_lower_than_the_policy_needs_is_refused(repo: Repo) -> None:
    released(repo)
    repo.commit("feat(files)!: drop purpose=batch (#3)\n\nBREAKING CHANGE: use purpose=batch-input")
    error = refused(repo, "--version", "0.1.1")
    assert "--version 0.1.1 is lower than the policy needs: 0.2.0 at least (Y-stream)" in error
    assert "drop purpose=batch (#3) (breaking change to files (v1beta)" in error
    assert "reject empty uploads" not in error  # a fix fits in a patch: not a reason
    assert "not greater than the current version 0.1.0" in refused(repo, "--version", "0.0.9")
    assert "is not a version" in refused(repo, "--version", "banana", code=2)
    assert "do not combine" in refused(repo, "--version", "0.2.0", "--pre", "rc", code=2)
    assert release_json(repo, "--version", "1.0.0")["stream"] == "x"  # more than needed is fine


def test_a_pre_release_below_an_existing_one_is_refused(repo: Repo) -> None:
    released(repo)
    repo.tag("v0.1.1-rc.2")
    assert "would sort before the existing pre-release 0.1.1-rc.2" in refused(repo, "--version", "0.1.1-rc.1")
    assert "(--pre rc) instead" in refused(repo, "--pre", "beta", code=2)  # next-version's own refusal
    assert release_json(repo, "--pre", "rc")["version"] == "0.1.1-rc.3"


# -- the files --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("entry", "expected"), [
    ("src/widgets/missing.py:__version__", "'src/widgets/missing.py:__version__': src/widgets/missing.py does not"),
    ("pyproject.toml:tool.poetry.version", "'pyproject.toml:tool.poetry.version': no table [tool]"),
    ("pyproject.toml:project.name.x", "no table [project.name]"),
    ("pyproject.toml:project.dependencies", "project.dependencies: not a string"),
    ("src/widgets/__init__.py:VERSION", "no module-level `VERSION = \"…\"` assignments"),
    ("../outside.py:__version__", "must be a path inside the repository"),
])
def test_a_missing_version_file_or_key_is_a_config_error(repo: Repo, entry: str, expected: str) -> None:
    released(repo, CONFIG.replace('"src/widgets/__init__.py:__version__"', f'"{entry}"'))
    assert expected in refused(repo, code=3)


def test_two_assignments_of_the_version_are_refused(repo: Repo) -> None:
    released(repo)
    repo.commit("refactor: say it twice", {"src/widgets/__init__.py": '__version__ = "0"\n__version__ = "1"\n'})
    assert "2 module-level `__version__ = \"…\"` assignments; relmgr edits exactly one" in refused(repo, code=3)


def test_without_files_the_tag_goes_on_head_and_nothing_is_committed(repo: Repo) -> None:
    released(repo, config='[tool.relmgr.apis.files]\nlevel = "v1beta"\nscopes = ["files"]\n')
    head = repo.head()
    doc = release_json(repo)
    assert (doc["version"], doc["commit"], doc["files"]) == ("0.1.1", None, [])
    assert repo.head() == head == repo.git("rev-list", "-n1", "v0.1.1")
    assert "reject empty uploads (#2)" in tag_message(repo, "v0.1.1")


def test_a_missing_changelog_is_created(repo: Repo) -> None:
    released(repo, changelog=False)
    doc = release_json(repo)
    assert committed_files(repo) == FILES == doc["files"]
    assert (repo.path / "CHANGELOG.md").read_text().startswith("# Changelog\n\n## 0.1.1 - ")


# -- the gate ----------------------------------------------------------------------------------------------


def test_violations_stop_the_release_and_force_records_the_override(repo: Repo) -> None:
    released(repo, APPROVAL)
    repo.commit("feat(files)!: drop purpose=batch (#7)\n\nBREAKING CHANGE: use purpose=batch-input")
    error = refused(repo)
    assert "PR #7 is not approved" in error and "v0.2.0 not released: 1 policy violation" in error
    before = snapshot(repo)
    run = relmgr(repo, "release", "--json")
    assert run.exit_code == 1 and snapshot(repo) == before
    doc = run.json()
    assert set(doc) == JSON_KEYS
    assert (doc["ok"], doc["commit"], doc["forced"], doc["files"]) == (False, None, False, FILES)
    assert [set(v) for v in doc["violations"]] == [{"sha", "subject", "api", "level", "stream", "rule", "message",
                                                   "object", "check", "details", "change"}]
    assert doc["violations"][0]["rule"] == "missing-approval"
    assert release_json(repo, "--approved", "7", "--dry-run")["ok"] is True  # approved: no violation

    forced = release_json(repo, "--force")
    assert (forced["ok"], forced["forced"], len(forced["violations"])) == (True, True, 1)
    message = tag_message(repo, "v0.2.0")
    assert "\nReleased with --force over 1 policy violation:\n\n- " in message
    assert doc["violations"][0]["message"] in message


# -- failures after writing began: everything undone --------------------------------------------------------


def _hook(repo: Repo, name: str, body: str) -> None:
    hook = repo.path / ".git" / "hooks" / name
    hook.write_text(f"#!/bin/sh\n{body}\n")
    hook.chmod(0o755)


@pytest.mark.parametrize("changelog", [True, False])
def test_a_failing_commit_leaves_the_repository_as_it_was(repo: Repo, changelog: bool) -> None:
    released(repo, changelog=changelog)  # without a changelog the release creates one: it must go again
    _hook(repo, "pre-commit", 'echo "pre-commit: lint failed" >&2; exit 1')
    error = refused(repo, code=4)
    assert "v0.1.1 not released, nothing changed: pre-commit: lint failed" in error


def test_a_failing_tag_undoes_the_commit(repo: Repo) -> None:
    released(repo)
    lock = repo.path / ".git" / "refs" / "tags" / "v0.1.1.lock"  # another git process holds the tag's ref
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("")
    error = refused(repo, code=4)
    assert "v0.1.1 not released, nothing changed: cannot lock ref 'refs/tags/v0.1.1'" in error
    assert repo.git("reflog", "-1", "--format=%gs") == "relmgr release: undone"  # the commit happened
    lock.unlink()
    assert release_json(repo)["tag"] == "v0.1.1"


# -- dry run ------------------------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_shows_everything(repo: Repo) -> None:
    released(repo, changelog=False)
    before = snapshot(repo)
    run = relmgr(repo, "release", "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert snapshot(repo) == before
    out = run.stdout
    assert "version 0.1.1: a Z-stream release after v0.1.0 (the smallest version the policy allows)" in out
    assert "gate: ok, 0 violations, 0 warnings, 0 breaking changes judged" in out
    assert "--- /dev/null\n+++ b/CHANGELOG.md\n" in out
    assert '-version = "0.0.0"  # written by `relmgr release`\n+version = "0.1.1"  # written by' in out
    assert '-__version__: str = "0.0.0"\n+__version__: str = "0.1.1"\n' in out
    assert "tag v0.1.1 message:\n## 0.1.1 - " in out and "- **files**: reject empty uploads (#2)" in out
    assert "dry run: nothing was written" in out

    doc: dict[str, Any] = release_json(repo, "--dry-run")
    assert snapshot(repo) == before
    assert doc == {"version": "0.1.1", "tag": "v0.1.1", "previous": "v0.1.0", "stream": "z", "files": FILES,
                   "commit": None, "ok": True, "violations": [], "dry_run": True, "forced": False}
    assert "tag v0.1.0 exists" in refused(repo, "--dry-run", "--version", "0.1.0")  # refusals still refuse
