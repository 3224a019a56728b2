"""One `relmgr release` at a time, and an undo that takes back relmgr's work only (issue 16, item 3).

The concurrent runs are real processes on one repository: the first holds the lock while a pre-commit
hook sleeps, the second starts then.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Repo
from tests.release_repo import project, relmgr

LOCK = Path(".git") / "relmgr-release.lock"


def released(repo: Repo) -> Repo:
    project(repo)
    repo.commit("feat(files): upload files (#1)")
    repo.tag("v0.1.0")
    repo.commit("fix(files): reject empty uploads (#2)")
    return repo


def hook(repo: Repo, name: str, body: str) -> None:
    path = repo.path / ".git" / "hooks" / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def start_release(repo: Repo, *args: str) -> subprocess.Popen[str]:
    env = {**repo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-m", "relmgr", "release", *args], cwd=repo.path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def consistent(repo: Repo) -> None:
    """What two releases racing used to break: every tag on the branch, the changelog holding each, clean."""
    assert repo.git("status", "--porcelain", "--untracked-files=no") == ""
    changelog = (repo.path / "CHANGELOG.md").read_text()
    for tag in repo.git("tag", "--list", "v*").split()[1:]:  # v0.1.0 was tagged by hand
        assert repo.git("branch", "--contains", tag, "--format=%(refname:short)") == "main", tag
        assert f"## {tag.removeprefix('v')}" in changelog, tag
    assert not (repo.path / LOCK).exists()


def test_a_second_release_waits_for_the_first(repo: Repo) -> None:
    released(repo)
    hook(repo, "pre-commit", "sleep 3")
    first = start_release(repo)
    deadline = time.monotonic() + 60
    while not (repo.path / LOCK).exists():  # the first one holds the lock
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.01)
    second = start_release(repo)
    code, err = finish(second)
    assert code == 1, err
    assert err == (f"relmgr: error: another relmgr release is running in this repository (pid {first.pid}); "
                   "wait for it to finish\n")
    assert finish(first)[0] == 0
    assert repo.git("tag", "--list", "v*").split() == ["v0.1.0", "v0.1.1"]
    consistent(repo)


def test_releases_started_together_never_lose_a_release(repo: Repo) -> None:
    released(repo)
    hook(repo, "pre-commit", "sleep 0.5")
    for round_ in range(3):
        repo.commit(f"fix(files): round {round_}")
        runs = [start_release(repo), start_release(repo)]
        results = [finish(run) for run in runs]
        assert sorted(code for code, _ in results)[0] == 0, results  # one of them released
        for code, err in results:
            assert code == 0 or "another relmgr release is running" in err or "nothing to release" in err, err
        consistent(repo)


def test_a_stale_lock_names_its_pid_and_stays(repo: Repo) -> None:
    released(repo)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (repo.path / LOCK).write_text(f"pid {gone.pid}\nhost {os.uname().nodename}\n")
    run = relmgr(repo, "release")
    assert run.exit_code == 1
    assert run.stderr == (f"relmgr: error: a stale release lock from pid {gone.pid}, which no longer runs (a release "
                          f"that was killed?): if no release is running, remove {repo.path / LOCK} (then check "
                          "`git status` and `git log -1`)\n")
    assert (repo.path / LOCK).exists()  # relmgr never removes a lock it did not make
    (repo.path / LOCK).unlink()
    assert relmgr(repo, "release").exit_code == 0


def test_the_lock_goes_after_a_failure_and_a_dry_run_takes_none(repo: Repo) -> None:
    released(repo)
    (repo.path / LOCK).write_text("pid 1\n")  # held by another (live) process: a dry run still runs
    assert relmgr(repo, "release", "--dry-run").exit_code == 0
    (repo.path / LOCK).unlink()
    hook(repo, "pre-commit", "exit 1")
    assert relmgr(repo, "release").exit_code == 4
    assert not (repo.path / LOCK).exists()


# -- the undo takes back relmgr's work only ------------------------------------------------------------------


def test_a_branch_someone_moved_is_left_where_it_is(repo: Repo) -> None:
    released(repo)
    # while the tag is being written, someone commits on the branch, and the tag fails
    hook(repo, "reference-transaction", """
if [ "$1" = prepared ] && grep -q " refs/tags/v0.1.1$" && ! test -e .git/sneaked; then
    touch .git/sneaked
    git commit -q --allow-empty -m sneaky
    exit 1
fi""")
    run = relmgr(repo, "release")
    assert run.exit_code == 4, run.stderr
    assert repo.git("log", "-2", "--format=%s").split("\n") == ["sneaky", "chore(release): 0.1.1"]
    assert "left refs/heads/main as it is: it no longer points at relmgr's commit" in run.stderr
    assert "v0.1.1 not released, not all undone" in run.stderr
    assert repo.git("tag", "--list", "v0.1.1") == ""
    assert repo.git("status", "--porcelain", "--untracked-files=no") == ""  # the files match the commit kept


def test_a_commit_made_while_relmgr_commits_is_not_taken_back(repo: Repo) -> None:
    released(repo)
    hook(repo, "post-commit", 'test -e .git/sneaked || { touch .git/sneaked; git commit -q --allow-empty -m sneaky; }')
    run = relmgr(repo, "release")
    assert run.exit_code == 4
    assert "HEAD moved to" in run.stderr and "while relmgr committed" in run.stderr
    assert repo.git("log", "-2", "--format=%s").split("\n") == ["sneaky", "chore(release): 0.1.1"]
    assert repo.git("tag", "--list", "v0.1.1") == ""  # no tag on a commit that may not be relmgr's


def test_a_file_someone_changed_is_left_as_it_is(repo: Repo) -> None:
    released(repo)
    hook(repo, "pre-commit", 'echo "edited by the hook" >> CHANGELOG.md; exit 1')
    before = (repo.path / "pyproject.toml").read_text()
    run = relmgr(repo, "release")
    assert run.exit_code == 4
    assert (repo.path / "CHANGELOG.md").read_text().endswith("edited by the hook\n")  # not wiped
    assert (repo.path / "pyproject.toml").read_text() == before  # relmgr's own edit taken back
    assert "left CHANGELOG.md as it is: it changed since relmgr wrote it" in run.stderr
    assert repo.git("diff", "--cached", "--name-only") == ""  # nothing left staged
