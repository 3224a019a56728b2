"""Conventional Commit parsing: a table of real-world messages, and properties over any text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.history.commits import Commit, find_reverted, parse_commit, parse_message

HEADERS: list[tuple[str, dict[str, Any]]] = [
    ("feat: add x", {"type": "feat", "scope": None, "bang": False, "description": "add x", "pr": None}),
    ("Feat(API)!: drop y (#12)", {"type": "feat", "scope": "API", "bang": True, "description": "drop y", "pr": 12}),
    ("fix(files, batches): z", {"type": "fix", "scope": "files, batches", "description": "z"}),
    ("fix:typo", {"type": "fix", "description": "typo"}),
    ("chore(deps-dev): bump a (#1) (#2)",
     {"type": "chore", "scope": "deps-dev", "pr": 2, "description": "bump a (#1)"}),
    ("Update README.md", {"type": None, "scope": None, "description": "Update README.md", "bang": False}),
    ("feat: ", {"type": None}),
    ("feat(): empty scope", {"type": "feat", "scope": None}),
    ("WIP: stuff", {"type": "wip"}),
    ("feat (x): space before scope", {"type": None}),
    ('Revert "feat: x"', {"type": None, "description": 'Revert "feat: x"'}),
    ("refactor!: drop python 3.10", {"type": "refactor", "bang": True}),
    ("  fix: leading spaces  ", {"type": "fix", "description": "leading spaces"}),
]


@pytest.mark.parametrize(("text", "expected"), HEADERS)
def test_headers(text: str, expected: dict[str, Any]) -> None:
    message = parse_message(text)
    for key, value in expected.items():
        assert getattr(message, key) == value, key


BODIES: list[tuple[str, bool, list[str], int]] = [
    # (message, breaking, notes, warnings)
    ("feat!: x", True, [], 0),
    ("feat: x\n\nBREAKING CHANGE: gone", True, ["gone"], 0),
    ("feat: x\n\nBREAKING-CHANGE: gone too", True, ["gone too"], 0),
    ("feat: x\n\nbody\n\nBREAKING CHANGE: first line\nsecond line\n\nafter blank", True,
     ["first line\nsecond line"], 0),
    ("feat: x\n\nBREAKING CHANGE: a\nRefs: #12", True, ["a"], 0),
    ("feat: x\n\nBREAKING CHANGE: one\n\nBREAKING CHANGE: two", True, ["one", "two"], 0),
    ("feat: x\n\nBREAKING CHANGE:", True, [], 0),
    ("feat: x\n\nBREAKING CHANGE:\nthe note on the next line", True, ["the note on the next line"], 0),
    # squash merge: the footer sits in the middle of the body
    ("feat: pr (#9)\n\n* feat: a\n\nBREAKING CHANGE: mid body\n\n* fix: b\n\nSigned-off-by: A <a@b>", True,
     ["mid body"], 0),
    # near misses count, with a warning
    ("feat: x\n\nBREAKING CHANGES: plural", True, ["plural"], 1),
    ("feat: x\n\nBreaking change: lower case", True, ["lower case"], 1),
    ("feat: x\n\nBREAKING_CHANGE: underscore", True, ["underscore"], 1),
    ("feat: x\n\nBREAKING: short", True, ["short"], 1),
    # not declarations
    ("chore: x\n\n> BREAKING CHANGE: quoted", False, [], 0),
    ("chore: x\n\n<strong>BREAKING CHANGE:</strong> markup", False, [], 0),
    ("chore: x\n\n**BREAKING CHANGE:** bold", False, [], 0),
    ("chore: x\n\n  BREAKING CHANGE: indented", False, [], 0),
    ("chore: x\n\n```\nBREAKING CHANGE: in code\n```", False, [], 0),
    ("chore: x\n\n<details>\n<blockquote>\nBREAKING CHANGE: upstream\n</blockquote>\n</details>", False, [], 0),
    ("chore: x\n\nThe BREAKING CHANGE: mid-line", False, [], 0),
    ("chore: x\n\nBreaking changes: none", False, [], 0),
    ("chore: x\n\nBREAKING CHANGE: N/A", False, [], 0),
    ("chore: x\n\nBreaking changes are listed below", False, [], 0),
    # after a closed fence, declarations count again
    ("feat: x\n\n```\ncode\n```\nBREAKING CHANGE: real", True, ["real"], 0),
    ("feat: x\r\n\r\nBREAKING CHANGE: windows\r\n", True, ["windows"], 0),
]


@pytest.mark.parametrize(("text", "breaking", "notes", "warnings"), BODIES)
def test_breaking(text: str, breaking: bool, notes: list[str], warnings: int) -> None:
    message = parse_message(text)
    assert message.breaking is breaking
    assert list(message.breaking_notes) == notes
    assert len(message.warnings) == warnings
    if warnings:
        assert "BREAKING CHANGE:" in message.warnings[0]


def test_deprecations() -> None:
    message = parse_message("feat: x\n\nDeprecated: the /v1/old route\nuse /v1/new\n\nDEPRECATED: flag --y")
    assert message.deprecations == ("the /v1/old route\nuse /v1/new", "flag --y")
    assert not message.breaking


def test_revert_detection() -> None:
    sha = "a" * 40
    assert parse_message(f'Revert "feat: x"\n\nThis reverts commit {sha}.').reverts == sha
    assert parse_message(f"revert: feat: x\n\nThis reverts commit {sha[:12]}.").reverts == sha[:12]
    assert parse_message(f"fix: x\n\nThis reverts commit {sha}.").reverts is None  # not a revert header
    assert parse_message('Revert "feat: x"').reverts is None


def _commit(sha: str, message: str) -> Commit:
    return parse_commit(sha, "A", "a@b", datetime(2024, 1, 1, tzinfo=UTC), (), message)


def test_revert_pairs_newest_first() -> None:
    c = _commit("c" * 40, "feat: x")
    r1 = _commit("1" * 40, f'Revert "feat: x"\n\nThis reverts commit {c.sha}.')
    r2 = _commit("2" * 40, f'Revert "Revert "feat: x""\n\nThis reverts commit {r1.sha}.')
    assert find_reverted([r1, c]) == {c.sha, r1.sha}
    # a revert of the revert cancels the revert; the original stands
    assert find_reverted([r2, r1, c]) == {r1.sha, r2.sha}
    # abbreviated shas are resolved within the range
    short = _commit("3" * 40, f'Revert "feat: x"\n\nThis reverts commit {c.sha[:10]}.')
    assert find_reverted([short, c]) == {c.sha, short.sha}
    assert find_reverted([r1]) == frozenset()


def test_not_utf8_warns() -> None:
    commit = parse_commit("a" * 40, "A", "a@b", datetime(2024, 1, 1, tzinfo=UTC), (), "fix: x",
                          encoding_ok=False)
    assert any("UTF-8" in w for w in commit.warnings)


def test_huge_message_is_linear() -> None:
    body = "line of text\n" * 200_000 + "BREAKING CHANGE: at the end"
    message = parse_message("feat: big\n\n" + body)
    assert message.breaking and message.breaking_notes == ("at the end",)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_parses(text: str) -> None:
    message = parse_message(text)
    assert message.header == message.header.strip(" \t\f\v")  # \x1c-\x1f and U+0085 are text to keep
    assert "\n" not in message.header
    if message.type is not None:
        assert message.type == message.type.lower()
        assert message.description
    if message.breaking_notes:
        assert message.breaking


_types = st.sampled_from(["feat", "fix", "docs", "chore", "perf", "refactor"])
_scopes = st.none() | st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)
_words = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ,.'`/-]{0,60}[A-Za-z0-9.]", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(_types, _scopes, st.booleans(), _words, st.none() | st.integers(1, 99999), st.none() | _words)
def test_round_trip(type_: str, scope: str | None, bang: bool, description: str, pr: int | None,
                    note: str | None) -> None:
    header = f"{type_}{f'({scope})' if scope else ''}{'!' if bang else ''}: {description}"
    if pr is not None:
        header += f" (#{pr})"
    text = header + (f"\n\nSome body.\n\nBREAKING CHANGE: {note}" if note else "")
    message = parse_message(text)
    assert (message.type, message.scope, message.bang, message.pr) == (type_, scope, bang, pr)
    assert message.description == description.strip()
    assert message.breaking == (bang or note is not None)
    if note is not None:
        assert message.breaking_notes == (note.strip(),)
