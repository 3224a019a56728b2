"""The last release of HEAD when release branches are tagged: a tie goes to the tag in HEAD's history."""

from __future__ import annotations

from tests.conftest import Repo, run_cli


def unreleased_range(repo: Repo) -> str:
    run = run_cli(["scan", "--json"], repo)
    assert run.exit_code == 0, run.stderr
    label: str = run.json()["range"]
    return label


def test_a_fresh_release_branch_is_at_its_fork_point(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.3.0")
    repo.branch("release-0.3.x")
    repo.commit("feat: on main")
    repo.tag("v0.4.0")
    repo.checkout("release-0.3.x")
    repo.commit("fix: on the branch")
    # v0.3.0 and v0.4.0 both leave one commit unreleased; only v0.3.0 is in the branch's history
    assert unreleased_range(repo) == "v0.3.0..HEAD"


def test_main_is_at_its_own_tag_not_at_a_patch_of_its_release_branch(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.4.0")
    repo.branch("release-0.4.x")
    repo.commit("fix: on main (#7)")
    repo.checkout("release-0.4.x")
    repo.commit("fix: on main (#7)")
    repo.tag("v0.4.1")
    repo.checkout("main")
    assert unreleased_range(repo) == "v0.4.0..HEAD"


def test_releases_tagged_only_on_release_branches_still_count(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.branch("release-0.1.x")
    repo.commit("feat: more on main")
    repo.checkout("release-0.1.x")
    repo.tag("v0.1.0")
    repo.checkout("main")
    assert unreleased_range(repo) == "v0.1.0..HEAD"
