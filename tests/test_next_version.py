"""`relmgr next-version` on real histories: the current version per branch, output forms, pre-releases."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo, run_cli

CONFIG = """
[tool.relmgr.apis.files]
level = "v1beta"
scopes = ["files"]
"""


def next_version(repo: Repo, *args: str) -> str:
    run = run_cli(["next-version", *args], repo)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def as_json(repo: Repo, *args: str) -> dict[str, Any]:
    run = run_cli(["next-version", *args, "--json"], repo)
    assert run.exit_code == 0, run.stderr
    result: dict[str, Any] = run.json()
    return result


def test_plain_tag_and_json_forms(repo: Repo) -> None:
    repo.config(CONFIG)
    repo.commit("feat: start")
    repo.tag("v0.4.0")
    fix = repo.commit("fix(files): handle empty uploads (#7)")
    assert next_version(repo) == "0.4.1\n"
    assert next_version(repo, "--tag") == "v0.4.1\n"
    assert as_json(repo) == {
        "current": "0.4.0", "next": "0.4.1", "stream": "z",
        "reasons": [{"sha": fix, "subject": "fix(files): handle empty uploads (#7)", "needs": "z", "why": "fix"}],
    }
    broke = repo.commit("fix(files)!: drop purpose=batch")
    doc = as_json(repo)
    assert (doc["next"], doc["stream"]) == ("0.5.0", "y")
    assert doc["reasons"][0] == {"sha": broke, "subject": "fix(files)!: drop purpose=batch", "needs": "y",
                                 "why": "breaking change to files (v1beta): v1beta may break only in X or Y streams"}
    run = run_cli(["next-version", "--tag", "--json"], repo)
    assert run.exit_code == 2 and "--tag and --json" in run.stderr


def test_no_commits_since_the_last_release(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.4.0")
    run = run_cli(["next-version"], repo)
    assert (run.exit_code, run.stdout) == (0, "0.4.0\n")
    assert "no commits since v0.4.0" in run.stderr
    assert as_json(repo) == {"current": "0.4.0", "next": "0.4.0", "stream": None, "reasons": []}
    assert next_version(repo, "--pre", "rc") == "0.4.0\n"  # nothing to pre-release either


def test_first_release(repo: Repo) -> None:
    repo.commit("feat!: everything")
    doc = as_json(repo)
    assert (doc["current"], doc["next"], doc["stream"]) == (None, "0.1.0", None)
    assert next_version(repo, "--pre", "rc") == "0.1.0-rc.1\n"


def test_current_version_on_main_and_on_a_release_branch(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.3.0")
    repo.branch("release-0.3.x")
    repo.checkout("release-0.3.x")
    repo.commit("fix: one")
    repo.tag("v0.3.1")
    repo.checkout("main")
    repo.commit("feat: two")
    repo.tag("v0.4.0")
    repo.checkout("release-0.3.x")
    repo.commit("fix: three")
    repo.tag("v0.3.2")  # later than 0.4.0, on the branch
    repo.commit("fix: four")
    assert (as_json(repo)["current"], as_json(repo)["next"]) == ("0.3.2", "0.3.3")
    repo.checkout("main")
    repo.commit("fix: five")
    assert (as_json(repo)["current"], as_json(repo)["next"]) == ("0.4.0", "0.4.1")


def test_a_minor_on_a_release_branch_warns_that_the_version_exists(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.3.0")
    repo.branch("release-0.3.x")
    repo.commit("feat: two")
    repo.tag("v0.4.0")
    repo.checkout("release-0.3.x")
    repo.commit("feat: backported feature")
    run = run_cli(["next-version"], repo)
    assert (run.exit_code, run.stdout) == (0, "0.4.0\n")
    assert "v0.4.0 already exists" in run.stderr


def test_prerelease_pep440_numbered_after_existing(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.4.0rc1")
    repo.tag("v0.4.0")
    repo.commit("feat: next")
    assert next_version(repo, "--pre", "rc") == "0.5.0rc1\n"
    repo.tag("v0.5.0rc1")
    repo.commit("fix: more")
    repo.tag("v0.5.0rc2")
    repo.commit("fix: again")
    assert next_version(repo, "--pre", "rc") == "0.5.0rc3\n"
    assert next_version(repo, "--pre", "rc", "--tag") == "v0.5.0rc3\n"
    assert next_version(repo) == "0.5.0\n"
    assert as_json(repo, "--pre", "rc")["next"] == "0.5.0rc3"
    run = run_cli(["next-version", "--pre", "beta"], repo)
    assert run.exit_code == 2 and "0.5.0b1 would sort before the existing pre-release 0.5.0rc2" in run.stderr


def test_prerelease_semver(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v1.2.0-beta.1")
    repo.tag("v1.2.0")
    repo.commit("fix: x")
    assert next_version(repo, "--pre", "rc") == "1.2.1-rc.1\n"
    assert next_version(repo, "--pre", "alpha") == "1.2.1-alpha.1\n"
    assert next_version(repo, "--pre", "dev") == "1.2.1-dev.1\n"
    repo.tag("v1.2.1-rc.1")
    repo.commit("fix: y")
    assert next_version(repo, "--pre", "rc") == "1.2.1-rc.2\n"
    run = run_cli(["next-version", "--pre", "gamma"], repo)
    assert run.exit_code == 2 and "rc, alpha, beta, dev" in run.stderr


def test_a_prerelease_cut_by_hand_raises_the_next_version(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.9.0")
    repo.commit("feat: graduation")
    repo.tag("v1.0.0rc1")  # the maintainers announced 1.0.0
    repo.commit("fix: polish")
    doc = as_json(repo)
    assert (doc["current"], doc["next"], doc["stream"]) == ("0.9.0", "1.0.0", "x")
    assert next_version(repo, "--pre", "rc") == "1.0.0rc2\n"


def test_only_reverted_pairs(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.4.0")
    feat = repo.commit("feat: maybe")
    repo.commit(f'Revert "feat: maybe"\n\nThis reverts commit {feat}.')
    run = run_cli(["next-version"], repo)
    assert (run.exit_code, run.stdout) == (0, "0.4.0\n")
    assert "its 2 commits are reverted pairs" in run.stderr


def test_major_on_zero_from_config(repo: Repo) -> None:
    repo.config('[tool.relmgr]\nmajor-on-zero = true\n[tool.relmgr.policy]\nv1 = ["major"]\n')
    repo.commit("feat: start")
    repo.tag("v0.4.0")
    repo.commit("fix!: drop the old endpoint")
    assert next_version(repo) == "1.0.0\n"


def test_main_is_not_at_a_patch_tagged_on_its_release_branch(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.4.0")
    repo.branch("release-0.4.x")
    repo.commit("fix: on main (#7)")
    repo.checkout("release-0.4.x")
    repo.commit("fix: on main (#7)")  # the backport
    repo.tag("v0.4.1")
    repo.checkout("main")
    # v0.4.0 and v0.4.1 both leave one commit of main unreleased; main's own tag wins the tie, and the
    # patch the release branch already took is skipped
    run = run_cli(["next-version", "--json"], repo)
    assert (run.json()["current"], run.json()["next"], run.json()["stream"]) == ("0.4.0", "0.4.2", "z")
    assert run.stderr == ""
