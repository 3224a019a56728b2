"""The quick checks of the changelog's inner loops say what the slow ones say: a body's words of interest
(`commits._interesting` against its regex), and `exclude` patterns (one anchored match for all of them)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.config.model import NotesConfig
from relmgr.config.patterns import UserPattern, compile_user_regex
from relmgr.history import commits
from relmgr.history.commits import parse_commit
from relmgr.notes import hygiene

DEFAULT = NotesConfig()
WORDS = ["chore", "build", "ci", "release", "bump", "version", "to", "v1.2.3", "0.5.1", "lock", "lockfile",
         "uv.lock", "package-lock.json", "update", "regenerate", "sync", "maintenance", "candidate", "the",
         "(release)", "(deps)", ":", "!", " ", "(#12)", "feat", "fix", "Bump", "CHORE", "file", "\n"]
SUBJECTS = st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join)


def slow(subject: str, patterns: tuple[re.Pattern[str] | UserPattern, ...]) -> str | None:
    return next((p.pattern for p in patterns if p.search(subject)), None)


@given(SUBJECTS)
@settings(max_examples=500)
def test_the_defaults_answer_as_each_pattern_does(subject: str) -> None:
    commit = parse_commit("a" * 40, "A", "a@example.com", datetime(2024, 1, 1, tzinfo=UTC), (), subject + "\n")
    assert hygiene.excluded_by(commit, DEFAULT) == slow(commit.subject, DEFAULT.exclude)


ATOMS = st.sampled_from(["bump", "lock", r"\d", "v?", "[abc]", "[]x]", r"\(", "(?:a|b)", "x|y", ".", r"\s*", "$",
                         "^", "(?P<g>z)", r"(?P=g)", "[|]"])
PATTERNS = st.lists(st.tuples(st.booleans(), st.booleans(), st.lists(ATOMS, min_size=1, max_size=4)),
                    min_size=1, max_size=4)


@given(PATTERNS, st.lists(st.sampled_from(["bump", "lock", "1", "v", "a", "b", "x", "y", "z", "]", "(", "|", " ",
                                           "BUMP", "\n"]), max_size=8).map("".join))
@settings(max_examples=500)
def test_any_patterns_answer_as_each_pattern_does(spec: list[tuple[bool, bool, list[str]]], subject: str) -> None:
    compiled: list[re.Pattern[str]] = []
    for anchored, ignore_case, atoms in spec:
        text = ("(?i)" if ignore_case else "") + ("^" if anchored else "") + "".join(atoms)
        try:
            compiled.append(re.compile(text))
        except re.error:
            return
    patterns = tuple(compiled)
    quick = hygiene._any_of(patterns)
    if quick is not None:
        assert (quick.match(subject) is not None) == (slow(subject, patterns) is not None)


def test_patterns_that_cannot_be_joined_are_searched_one_by_one() -> None:
    for text in ("bump", "^a|b", r"^(a)\1", "(?m)^a", "^(?#x)a"):
        assert hygiene._any_of((re.compile(text),)) is None, text
    assert hygiene._any_of(DEFAULT.exclude) is not None  # the defaults are all anchored: the quick check runs
    user = compile_user_regex("^bump", "relmgr.toml: tool.relmgr.notes.exclude")
    assert hygiene._any_of((*DEFAULT.exclude, user)) is None  # a user's pattern keeps its time budget


BODY_WORDS = st.sampled_from(["breaking", "BREAKING", "Breaking change", "deprecated", "DEPRECATED:", "reverts commit",
                              "Reverts Commit", "This reverts", "commit", "\n", " ", "x", "é", "\u212a", "ſ", "revert",
                              "-", "BREAKING CHANGE: a", "breakıng"])


@given(st.lists(BODY_WORDS, max_size=12).map("".join))
@settings(max_examples=500)
def test_words_of_interest_are_found_as_the_regex_finds_them(body: str) -> None:
    assert commits._interesting(body) == (commits._INTEREST_RE.search(body) is not None)
