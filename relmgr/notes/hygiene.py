"""What release notes, the changelog and `propose` leave out: bookkeeping commits and bots (`[tool.relmgr.notes]`).

Pure. `exclude` regexes are searched in a commit's subject (its header as written); `bots` regexes in
`Name <email>` of an author or of a `Co-authored-by:` trailer. A commit that declares a breaking change or a
deprecation is never left out: a bookkeeping subject must not hide what users have to act on. What was left
out is kept as `Left` records, so `--json` can say so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from relmgr.config.model import NotesConfig
from relmgr.config.patterns import UserPattern
from relmgr.history.commits import Commit

# GitHub's squash merges credit everyone who pushed to the branch this way; assistants sign the same way.
_CO_AUTHOR_RE = re.compile(r"^co-authored-by:[ \t]*(?P<name>[^<\n]*?)[ \t]*<(?P<email>[^>\n]*)>",
                           re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Left:
    """One thing left out: a commit (`sha`, `subject`) or a contributor (`name`, `email`), and why."""

    kind: Literal["commit", "contributor"]
    rule: Literal["exclude", "bots"]
    pattern: str  # the regex that matched, as configured
    sha: str = ""
    subject: str = ""
    name: str = ""
    email: str = ""


def excluded_by(commit: Commit, notes: NotesConfig) -> str | None:
    """The `exclude` pattern the commit's subject matches; None when the commit is news (or declares a break
    or a deprecation, which are never left out)."""
    message = commit.message
    if message.breaking or message.deprecations:
        return None
    subject = commit.subject
    known = _QUICK.get(id(notes.exclude))
    if known is None or known[0] is not notes.exclude:  # by identity: hashing compiled patterns hashes their code
        known = _QUICK[id(notes.exclude)] = (notes.exclude, _any_of(notes.exclude))
    quick = known[1]
    if quick is not None and quick.match(subject) is None:
        return None  # most subjects: one anchored match says that no pattern matches
    return next((p.pattern for p in notes.exclude if p.search(subject)), None)


_QUICK: dict[int, tuple[tuple[re.Pattern[str] | UserPattern, ...], re.Pattern[str] | None]] = {}


def _any_of(patterns: tuple[re.Pattern[str] | UserPattern, ...]) -> re.Pattern[str] | None:
    """One regex that matches at the start of a subject iff one of `patterns` (each anchored with `^`) does:
    a changelog asks 10⁵ times, and one anchored match costs less than a search per pattern. None when the
    patterns cannot be joined safely (a user's pattern, run within its time budget; not all anchored, a
    top-level `|`, backreferences, other flags)."""
    parts: list[str] = []
    for pattern in patterns:
        if not isinstance(pattern, re.Pattern):
            return None
        body = _FLAGS_RE.sub("", pattern.pattern, count=1)
        if pattern.flags & ~(re.IGNORECASE | re.DOTALL | re.UNICODE) or not body.startswith("^") \
                or not _one_branch(body) or _BACKREF_RE.search(body):
            return None
        flags = ("i" if pattern.flags & re.IGNORECASE else "") + ("s" if pattern.flags & re.DOTALL else "")
        parts.append(f"(?{flags}:{body[1:]})" if flags else f"(?:{body[1:]})")
    try:
        return re.compile("|".join(parts)) if parts else None
    except re.error:
        return None


_FLAGS_RE = re.compile(r"^\(\?[aiLmsux]+\)")
_BACKREF_RE = re.compile(r"\\[1-9]|\(\?P=|\(\?#|\(\?\(")


def _one_branch(body: str) -> bool:
    """Whether `body` has no `|` outside parentheses and character classes (so a leading `^` anchors it all)."""
    depth, at, size = 0, 0, len(body)
    while at < size:
        char = body[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":  # a class: `]` right after `[` or `[^` is a literal
            at += 1
            at += body[at:at + 1] == "^"
            at += body[at:at + 1] == "]"
            while at < size and body[at] != "]":
                at += 2 if body[at] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
        at += 1
    return True


def bot_pattern(name: str, email: str, notes: NotesConfig) -> str | None:
    """The `bots` pattern `Name <email>` matches; None for a person."""
    who = f"{name} <{email}>"
    return next((p.pattern for p in notes.bots if p.search(who)), None)


def co_authors(body: str) -> list[tuple[str, str]]:
    """(name, email) of each `Co-authored-by:` trailer of a message body."""
    if "co-authored-by" not in body.lower():
        return []
    return [(m.group("name").strip(), m.group("email").strip()) for m in _CO_AUTHOR_RE.finditer(body)]


def left_commit(commit: Commit, pattern: str) -> Left:
    return Left("commit", "exclude", pattern, sha=commit.sha, subject=commit.subject)


def left_contributor(name: str, email: str, pattern: str) -> Left:
    return Left("contributor", "bots", pattern, name=name, email=email)


def left_json(left: Sequence[Left]) -> list[dict[str, Any]]:
    """The `excluded` list of the notes' JSON: commits with sha and subject, contributors with name and email."""
    found: list[dict[str, Any]] = []
    for item in left:
        who = ({"sha": item.sha, "subject": item.subject} if item.kind == "commit"
               else {"name": item.name, "email": item.email})
        found.append({"kind": item.kind, **who, "rule": item.rule, "pattern": item.pattern})
    return found
