"""The framing of `git log` records and the rev-list check behind it, shown failing (issue 16, item 1)."""

from __future__ import annotations

import pytest

from relmgr.errors import GitError
from relmgr.history.git import GitRepo, _Walk
from relmgr.history.records import EPOCH, Framing, commit_framing, file_list, parse_date
from tests.conftest import Repo

FAKE = "1" * 40


def test_a_log_that_rev_list_does_not_vouch_for_is_refused(repo: Repo) -> None:
    """The check itself can fail: a walk whose rev-list lists other commits is an error, not data."""
    repo.commit("feat: one")
    repo.commit("feat: two")
    git = GitRepo(repo.path)
    framing = commit_framing()
    walk = _Walk.of(framing, ["HEAD"], ["--no-merges"])
    short = _Walk.of(framing, ["HEAD~1"], ["--no-merges"])
    with pytest.raises(GitError, match="could not read the history safely"):
        list(git._stream_log(_Walk(framing, walk.log, short.rev_list)))
    with pytest.raises(GitError, match="could not read the history safely"):
        list(git._stream_log(_Walk(framing, short.log, walk.rev_list)))
    assert len(list(git._stream_log(walk))) == 2


def test_a_record_of_another_shape_is_an_error() -> None:
    framing = Framing(("%H",), ("%B",), token="t")
    assert framing.split(f"{FAKE}\0tFmessage\0tF") == [FAKE, "message", ""]
    for bad in (f"{FAKE}\0tFmessage", f"{FAKE}\0tFa\0tFb\0tF", f"{FAKE}\0x\0tFm\0tF"):  # shas: rev-list
        with pytest.raises(GitError):
            framing.split(bad)
    assert file_list("\0\n\nodd name\0b\0") == ("\nodd name", "b")
    assert file_list("\0") == ()




def test_dates_git_could_not_print_are_none() -> None:
    assert parse_date("2024-01-01T12:00:00+02:00") is not None
    for bad in ("%aI", "", "2024-13-45T00:00:00+00:00", "2024-01-01T00:00:00", "2024-01-01T00:00:00+99:99"):
        assert parse_date(bad) is None
    assert EPOCH.year == 1970


def test_each_run_has_its_own_token() -> None:
    one, two = commit_framing(), commit_framing()
    assert one.record != two.record and one.field != two.field
    assert one.format.count(one.field.strip("\0")) == len(one.free) + 1
