"""migration_notes: a breaking token's whole text (the paragraphs after it too), and where it stops."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.history.commits import migration_notes, parse_message

CASES: list[tuple[str, list[str]]] = [
    # the paragraphs after the token belong to it (a footer's value runs to the next token) ...
    ("BREAKING CHANGE: keys in query strings are refused.\n\nSend the key in a header:\n\n"
     "    Authorization: Bearer <key>\n",
     ["keys in query strings are refused.\n\nSend the key in a header:\n\n    Authorization: Bearer <key>"]),
    ("BREAKING CHANGE: renamed fields:\n\n- `a` → `b`\n- `c` → `d`\n\nBefore:\n\n```json\n{\"a\": 1}\n\n```\n",
     ["renamed fields:\n\n- `a` → `b`\n- `c` → `d`\n\nBefore:\n\n```json\n{\"a\": 1}\n\n```"]),
    # ... up to the next trailer or token
    ("BREAKING CHANGE: gone.\n\nUse the new one.\n\nRefs: #12\nSigned-off-by: A <a@x.org>",
     ["gone.\n\nUse the new one."]),
    ("BREAKING CHANGE: one\n\nBREAKING-CHANGE: two\nmore", ["one", "two\nmore"]),
    ("BREAKING CHANGE: gone\n\nDeprecated: the old flag", ["gone"]),
    # GitHub squash merges: the next squashed commit, or the rule before the co-authors, ends it
    ("* feat(files): sessions\n\nBREAKING CHANGE: no `purpose=batch`;\nuse `batch-input`.\n\n"
     "* address review comments\n\n---------\n\nCo-authored-by: B <b@x.org>",
     ["no `purpose=batch`;\nuse `batch-input`."]),
    ("* feat: a\n\nBREAKING CHANGE: x\n\nmore about x\n\n---------\n\nCo-authored-by: B <b@x.org>",
     ["x\n\nmore about x"]),
    # concatenated messages (GitLab squash): the next commit's header ends it
    ("BREAKING CHANGE: x\n\nfix(files): typo\n\nbody", ["x"]),
    # an empty token line takes the paragraphs below it
    ("BREAKING CHANGE:\n\nthe details", ["the details"]),
    # what declares nothing still declares nothing
    ("BREAKING CHANGE: none\n\nsome text", []),
    ("> BREAKING CHANGE: quoted\n\ntext", []),
    ("```\nBREAKING CHANGE: fenced\n```", []),
    ("no token here", []),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_migration_notes(body: str, expected: list[str]) -> None:
    assert list(migration_notes(body)) == expected


_BODY = st.lists(
    st.sampled_from([
        "BREAKING CHANGE: a", "BREAKING CHANGE:", "BREAKING CHANGE: none", "Breaking change: b", "",
        "text", "- item", "* feat: c", "* text", "```", "> quoted", "Refs: #1", "---", "    code",
        "fix(x): y", "Before:", "Deprecated: d",
    ]),
    max_size=14,
).map("\n".join)


@given(body=_BODY)
def test_every_breaking_note_starts_a_migration_note(body: str) -> None:
    notes = list(migration_notes(body))
    for short in parse_message("feat: x\n\n" + body).breaking_notes:
        assert any(full.startswith(short) for full in notes), (short, notes)
        notes = notes[next(i for i, full in enumerate(notes) if full.startswith(short)) + 1:]
