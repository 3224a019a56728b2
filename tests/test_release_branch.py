"""`relmgr release-branch`: the branch of a minor line, at its release, never checked out."""

from __future__ import annotations

from tests.conftest import Repo
from tests.release_repo import relmgr, snapshot


def tagged(repo: Repo) -> Repo:
    """v0.1.0, v0.2.0 on main; v0.3.0-rc.1 after them; HEAD on main."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("feat: two")
    repo.tag("v0.2.0")
    repo.commit("feat: three")
    repo.tag("v0.3.0-rc.1")
    return repo


def test_default_is_the_latest_minor_in_heads_history(repo: Repo) -> None:
    tagged(repo)
    v020 = repo.git("rev-list", "-n1", "v0.2.0")
    run = relmgr(repo, "release-branch", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {"branch": "release-0.2.x", "tag": "v0.2.0", "sha": v020}
    assert repo.git("rev-parse", "release-0.2.x") == v020
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    run = relmgr(repo, "release-branch", "v0.1.0")
    assert run.exit_code == 0, run.stderr
    assert "created release-0.1.x at v0.1.0" in run.stdout
    assert "git push origin release-0.1.x" in run.stdout
    assert 'branches: ["release-*.*.x"]' in run.stdout and "relmgr check --stream z" in run.stdout


def test_a_later_release_on_another_branch_is_not_heads(repo: Repo) -> None:
    tagged(repo)
    repo.branch("topic", "v0.1.0")
    repo.checkout("topic")
    run = relmgr(repo, "release-branch", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["branch"] == "release-0.1.x"


def test_the_branch_starts_at_a_patch_already_released_from_main(repo: Repo) -> None:
    tagged(repo)
    repo.git("tag", "-d", "v0.3.0-rc.1")
    repo.commit("fix: four")
    repo.tag("v0.2.1")  # released from main before the branch existed
    run = relmgr(repo, "release-branch", "--json")
    assert run.json() == {"branch": "release-0.2.x", "tag": "v0.2.1", "sha": repo.head()}
    human = relmgr(repo, "release-branch", "v0.1.0")
    assert "created release-0.1.x at v0.1.0 (" in human.stdout


def test_refusals(repo: Repo) -> None:
    repo.commit("feat: one")
    before = snapshot(repo)
    run = relmgr(repo, "release-branch")
    assert run.exit_code == 1 and "no minor or major release in HEAD's history" in run.stderr
    assert snapshot(repo) == before
    tagged(repo)
    repo.commit("fix: four")
    repo.tag("v0.2.1")
    repo.branch("release-0.2.x", "v0.2.0")
    before = snapshot(repo)
    for args, code, error in [
        (["v0.2.1"], 1, "v0.2.1 is a patch release; pass the minor or major release that opened 0.2"),
        (["v0.3.0-rc.1"], 1, "v0.3.0-rc.1 is a pre-release"),
        (["v0.2.0"], 1, "release-0.2.x exists (refs/heads/release-0.2.x)"),
        (["v9.9.9"], 4, "tag v9.9.9 not found"),
    ]:
        run = relmgr(repo, "release-branch", *args)
        assert (run.exit_code, run.stdout) == (code, ""), run.stderr
        assert error in run.stderr
        assert snapshot(repo) == before


def test_the_pattern_comes_from_the_config(repo: Repo) -> None:
    repo.config('release-branch = "stable/v{major}.{minor}"\n')
    tagged(repo)
    run = relmgr(repo, "release-branch", "--json")
    assert run.json()["branch"] == "stable/v0.2"
    assert repo.git("rev-parse", "stable/v0.2") == repo.git("rev-list", "-n1", "v0.2.0")
    human = relmgr(repo, "release-branch", "v0.1.0")
    assert 'branches: ["stable/v*.*"]' in human.stdout
