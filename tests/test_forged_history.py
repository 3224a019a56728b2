"""No commit can forge the records relmgr reads: whatever bytes a message, a name or a date holds, relmgr
reads exactly the commits `git rev-list` lists, with their own text (issue 16, item 1)."""

from __future__ import annotations

import itertools
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.history.git import GitRepo
from tests.budget import examples
from tests.conftest import Repo, run_cli
from tests.forge import import_chain, messages_of, raw_commit

FAKE = "1" * 40
CONFIG = '[apis.api]\nlevel = "v1"\npaths = ["src/api/**"]\nscopes = ["api"]\n'


def released(repo: Repo) -> Repo:
    repo.config(CONFIG)
    repo.commit("feat(api): the v1 routes", {"src/api/routes.py": "routes = 1\n"})
    repo.tag("v1.0.0")
    return repo


def forged_record(sha: str = FAKE) -> bytes:
    """A message that, in the old `\\x1e`/`\\x1f` format, ends its own record and starts a made-up commit
    "docs: fix a typo" by Mallory, hiding the real commit's declared break in the fake author field."""
    return (f"\x1e{sha}\x1f\x1ffix(api)!: drop the v1 route\n\nBREAKING CHANGE: the route is gone\x1f"
            "mallory@example.com\x1f2024-01-01T00:00:00+00:00\x1f2024-01-01T00:00:00+00:00\x1f"
            "docs: fix a typo\x1f").encode()


def rev_list(repo: Repo, *args: str) -> list[str]:
    return repo.git("rev-list", *args).split()


def test_a_forged_record_does_not_pass_the_gate(repo: Repo) -> None:
    released(repo)
    real = raw_commit(repo, forged_record(), {"src/api/routes.py": "routes = 2\n"})
    run = run_cli(["check", "--stream", "z", "--json"], repo)
    assert run.exit_code == 1, run.stdout + run.stderr
    violation = run.json()["violations"][0]
    assert (violation["sha"], violation["api"], violation["rule"]) == (real, "api", "break-in-forbidden-stream")
    commits = run_cli(["scan", "--json"], repo).json()["commits"]
    assert [c["sha"] for c in commits] == rev_list(repo, "v1.0.0..HEAD") == [real]
    everything = run_cli(["scan", "HEAD", "--json"], repo).json()["commits"]
    assert [c["sha"] for c in everything] == rev_list(repo, "HEAD")
    assert everything[0]["subject"].startswith(f"\x1e{FAKE}")  # the real commit keeps its own text


def test_a_lone_separator_breaks_no_command(repo: Repo) -> None:
    released(repo)
    raw_commit(repo, b"fix(api): odd bytes \x1e\x1f in the subject\x1e", {"src/api/x.py": "1\n"})
    repo.tag("v1.0.1")
    for args in (["scan", "--json"], ["check", "--tag", "v1.0.1"], ["notes", "v1.0.1"], ["changelog"],
                 ["next-version"], ["releases"], ["propose", "--today", "2024-06-01"]):
        run = run_cli(args, repo)
        assert run.exit_code == 0, (args, run.stderr)
    subject = run_cli(["scan", "HEAD", "--json"], repo).json()["commits"][0]["subject"]
    assert subject == "fix(api): odd bytes \x1e\x1f in the subject\x1e"  # --json keeps the exact text


def test_nul_and_separators_in_names_emails_and_messages(repo: Repo) -> None:
    repo.commit("feat: first")
    nasty = b"Eve \x1e\x1f\x00\x01 <eve\x1e@example.com> 1704110400 +0000"
    sha = raw_commit(repo, b"fix: one\x00\x1e" + FAKE.encode() + b"\x1fhidden", author=nasty)
    commits = list(GitRepo(repo.path).read_commits(["HEAD"], with_files=False))
    assert [c.sha for c in commits] == rev_list(repo, "--no-merges", "HEAD")
    shown = subprocess.run(["git", "log", "-1", "--format=%an|%ae|%B", sha], cwd=repo.path, capture_output=True,
                           check=True).stdout.decode()
    assert f"{commits[0].author}|{commits[0].email}|{commits[0].message}\n" == shown  # what git shows, no more


def test_the_other_readers_are_framed_too(repo: Repo) -> None:
    repo.commit("feat: first")
    raw_commit(repo, b"fix: two\x1e" + FAKE.encode() + b"\x1fforged message\n",
               author=b"Eve <eve@example.com\x1e" + FAKE.encode() + b"\x1fbob@example.com> 1704110400 +0000")
    git = GitRepo(repo.path)
    messages = git.read_messages(["HEAD"])
    assert [sha for sha, _ in messages] == rev_list(repo, "--no-merges", "HEAD")
    assert messages[0][1] == f"fix: two\x1e{FAKE}\x1fforged message\n"
    assert git.authors_in("HEAD", ["bob@example.com"]) == set()  # no record made up from the email
    assert git.subjects() == [f"fix: two\x1e{FAKE}\x1fforged message", "feat: first"]


def test_malformed_dates_are_warnings_not_tracebacks(repo: Repo) -> None:
    released(repo)
    raw_commit(repo, b"fix(api): dated oddly", {"src/api/x.py": "1\n"},
               author=b"Mallory <m@example.com> notadate +0000",
               committer=b"Mallory <m@example.com> 99999999999999999999 +9999")
    run = run_cli(["scan", "--json"], repo)
    assert run.exit_code == 0, run.stderr
    commit = run.json()["commits"][0]
    assert commit["date"] == "1970-01-01T00:00:00+00:00"
    assert any("author date is malformed" in w for w in commit["warnings"])
    for args in (["check", "--stream", "z"], ["notes"], ["next-version"]):
        assert run_cli(args, repo).exit_code == 0, args


# -- fuzz: any bytes, any commit ---------------------------------------------------------------------------

# Names hold no NUL here: git cuts a header line at a NUL and then reads the rest of the object its own way
# (test_nul_and_separators_in_names_emails_and_messages holds relmgr to what git shows of such commits).
# One repository for all examples, a new branch each: `git fast-import` stores the bytes as given.
_BRANCHES = itertools.count()


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return Repo(tmp_path_factory.mktemp("fuzz") / "r")


_MESSAGES = st.lists(st.binary(max_size=80), min_size=1, max_size=4)
_NAMES = st.binary(max_size=20).filter(lambda b: not set(b) & set(b"<>\n\0"))


@settings(max_examples=200, deadline=None)
@given(messages=_MESSAGES, name=_NAMES)
def test_any_message_reads_back_as_git_shows_it(fuzz_repo: Repo, messages: list[bytes], name: bytes) -> None:
    reads_back(fuzz_repo, messages, name)


@pytest.mark.slow
@settings(max_examples=examples(2000), deadline=None)
@given(messages=st.lists(st.binary(max_size=2000), min_size=1, max_size=12), name=_NAMES)
def test_any_message_reads_back_many(fuzz_repo: Repo, messages: list[bytes], name: bytes) -> None:
    reads_back(fuzz_repo, messages, name)


def reads_back(fuzz_repo: Repo, messages: list[bytes], name: bytes) -> None:
    branch = f"fuzz-{next(_BRANCHES)}"
    shas = import_chain(fuzz_repo, branch, messages, b"N" + name)
    commits = list(GitRepo(fuzz_repo.path).read_commits([branch]))
    assert [c.sha for c in commits] == rev_list(fuzz_repo, "--no-merges", branch) == shas[::-1]
    names = subprocess.run(["git", "log", "--format=%an", branch], cwd=fuzz_repo.path, capture_output=True,
                           check=True).stdout.split(b"\n")[:-1]
    assert [c.author for c in commits] == [n.decode("utf-8", "replace") for n in names]
    assert messages_of(fuzz_repo, shas) == messages  # stored as given
    for commit, message, index in zip(commits, messages[::-1], range(len(messages) - 1, -1, -1), strict=True):
        shown = message.split(b"\0", 1)[0]  # git's %B ends at a NUL: relmgr reads what git shows
        assert commit.message == shown.decode("utf-8", "replace")
        assert commit.encoding_ok == _utf8(shown)
        assert commit.files == (f"f{index}.txt",)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
