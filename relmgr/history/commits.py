"""Conventional Commits (conventionalcommits.org v1.0.0), read the way real histories are written.

Pure: a message in, a `Message` out. Tolerant: a header that does not parse keeps type None; breaking
footers are found anywhere in the body, because squash merges put them mid-body; tokens that are quoted
(`> BREAKING CHANGE:`), inside markup (`<strong>…`) or inside quoted release notes (fenced code, HTML
`<blockquote>`/`<details>`, as Dependabot and Renovate write them) are not declarations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from relmgr.history.versions import parse_version

# `type(scope)!: description`. The spec asks for ": " — real histories also write "fix:typo".
_HEADER_RE = re.compile(r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]*)\))?(?P<bang>!)?:[ \t]*(?P<desc>.*)$")
# Canonical tokens (the spec: "BREAKING CHANGE" MUST be uppercase; "BREAKING-CHANGE" is a synonym).
_BREAKING_RE = re.compile(r"^BREAKING[ -]CHANGE:[ \t]*(?P<text>.*)$")
# Near misses still announce a break; we count them and warn (`BREAKING CHANGES:`, `Breaking change:`).
_NEAR_MISS_RE = re.compile(r"^(?P<token>breaking(?:[ _-]*changes?)?)[ \t]*:[ \t]*(?P<text>.*)$", re.IGNORECASE)
_DEPRECATED_RE = re.compile(r"^(?P<token>deprecated)[ \t]*:[ \t]*(?P<text>.*)$", re.IGNORECASE)
# A git trailer / Conventional Commits footer: `Token: value` or `Token #value`.
_FOOTER_RE = re.compile(r"^(?:BREAKING[ -]CHANGE|[A-Za-z][\w-]*)(?::[ \t]|:$| #)")
_REVERT_BODY_RE = re.compile(r"This reverts commit (?P<sha>[0-9a-fA-F]{7,64})\b")
_INTEREST_RE = re.compile(r"^(?:breaking|deprecated)|reverts commit", re.IGNORECASE | re.MULTILINE)
_NONE_RE = re.compile(r"^(?:none|no|n/?a|nothing|-+)\.?$", re.IGNORECASE)
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_HTML_OPEN_RE = re.compile(r"<(blockquote|details)\b", re.IGNORECASE)
_HTML_CLOSE_RE = re.compile(r"</(blockquote|details)\s*>", re.IGNORECASE)
_SPACE = " \t\f\v"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # C0 but tab, DEL, C1
_PR_DIGITS = 18  # a longer "(#…)" is not a pull request number (and int() refuses 4,300 digits)
# The header of the commit `relmgr release` makes (other tools write the same one).
RELEASE_SUBJECT = "chore(release): {version}"


@dataclass(frozen=True, slots=True)
class Message:
    header: str
    type: str | None  # lower case; None when the header is not a Conventional Commit
    scope: str | None
    bang: bool
    description: str  # the header's description, without a trailing `(#123)`
    body: str
    breaking: bool
    breaking_notes: tuple[str, ...]
    deprecations: tuple[str, ...]
    pr: int | None
    reverts: str | None  # the sha in "This reverts commit <sha>." of a revert commit
    warnings: tuple[str, ...]
    near_misses: tuple[str, ...] = ()  # misspelt breaking tokens as written (`BREAKING CHANGES`), for lint


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit of the history with its message parsed."""

    sha: str
    author: str
    email: str
    date: datetime
    files: tuple[str, ...]
    message: Message
    warnings: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def subject(self) -> str:
        return self.message.header

    @property
    def breaking(self) -> bool:
        return self.message.breaking

    @property
    def type(self) -> str | None:
        return self.message.type

    @property
    def scope(self) -> str | None:
        return self.message.scope

    @property
    def pr(self) -> int | None:
        return self.message.pr


def parse_message(text: str) -> Message:
    """Parse one commit message. Never raises; what does not parse is kept as plain text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    header, _, body = text.strip("\n").partition("\n")
    header = header.strip(_SPACE)  # str.strip() would also take \x1c-\x1f and U+0085: text to keep
    body = body.strip("\n")
    pr = None
    # control characters are invisible where people read the header: it is judged as they see it
    bare = header if header.isprintable() else _CONTROL_RE.sub("", header).strip(_SPACE)
    if bare.endswith(")"):  # `(#123)` ends the header (`\s*\(#\d+\)\s*$` without a regex)
        opening = bare.rfind("(#")
        digits = bare[opening + 2 : -1] if opening >= 0 else ""
        if digits.isdecimal() and len(digits) <= _PR_DIGITS:  # what `\d+` matches: Unicode category Nd
            pr = int(digits)
            bare = bare[:opening].rstrip()
    match = _HEADER_RE.match(bare)
    type_ = scope = None
    bang = False
    description = bare.strip()
    if match:
        found_type, raw_scope, found_bang, desc = match.group("type", "scope", "bang", "desc")
        if desc.strip():
            type_ = found_type.lower()
            scope = raw_scope.strip() if raw_scope and raw_scope.strip() else None
            bang = found_bang is not None
            description = desc.strip()
    if not body or not _interesting(body):  # most bodies: nothing to scan
        return Message(header, type_, scope, bang, description, body, bang, (), (), pr, None, ())
    notes: list[str] = []
    deprecations: list[str] = []
    warnings: list[str] = []
    near_misses: list[str] = []
    declared = _scan_body(body, notes, deprecations, warnings, near_misses)
    reverts = None
    revert_match = _REVERT_BODY_RE.search(body)
    if revert_match and (header.lower().startswith("revert") or type_ == "revert"):
        reverts = revert_match.group("sha").lower()
    return Message(
        header=header,
        type=type_,
        scope=scope,
        bang=bang,
        description=description,
        body=body,
        breaking=bang or declared,
        breaking_notes=tuple(notes),
        deprecations=tuple(deprecations),
        pr=pr,
        reverts=reverts,
        warnings=tuple(warnings),
        near_misses=tuple(near_misses),
    )


def _interesting(body: str) -> bool:
    """Whether a body may declare something (`_INTEREST_RE`). An ASCII body without the words is answered
    without the regex, which would scan every position case-insensitively (a changelog asks 10⁵ times);
    other bodies ask the regex, whose case folding goes beyond ASCII."""
    if body.isascii():
        lowered = body.lower()
        if "breaking" not in lowered and "deprecated" not in lowered and "reverts commit" not in lowered:
            return False
    return _INTEREST_RE.search(body) is not None


def _scan_body(
    body: str, notes: list[str], deprecations: list[str], warnings: list[str], near_misses: list[str]
) -> bool:
    """Collect breaking notes and deprecations; return whether the body declares a break."""
    lines = body.split("\n")
    declared = False
    for index in _declaration_lines(lines):
        line = lines[index]
        breaking = _BREAKING_RE.match(line)
        near_miss = None if breaking else _NEAR_MISS_RE.match(line)
        if breaking or near_miss:
            match = breaking or near_miss
            assert match is not None
            note = _paragraph(match.group("text"), lines, index + 1)
            if _NONE_RE.match(note):
                continue  # "BREAKING CHANGE: none" (PR templates) declares nothing
            declared = True
            if note:
                notes.append(note)
            if near_miss:
                near_misses.append(near_miss.group("token"))
                warnings.append(
                    f"'{near_miss.group('token')}:' is not a Conventional Commits token; write "
                    "'BREAKING CHANGE:' (counted as breaking anyway)"
                )
        elif match := _DEPRECATED_RE.match(line):
            text = _paragraph(match.group("text"), lines, index + 1)
            if text and not _NONE_RE.match(text):
                deprecations.append(text)
    return declared


def _declaration_lines(lines: Sequence[str]) -> list[int]:
    """Indexes of lines that may declare something: outside fences, quotes and quoted HTML blocks."""
    result: list[int] = []
    fence: str | None = None
    html_depth = 0
    for index, line in enumerate(lines):
        fence_match = _FENCE_RE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1) == fence:
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        opened = len(_HTML_OPEN_RE.findall(line))
        closed = len(_HTML_CLOSE_RE.findall(line))
        if html_depth == 0 and opened == 0 and line[:1] not in (">", " ", "\t", "<", ""):
            result.append(index)
        html_depth = max(0, html_depth + opened - closed)
    return result


def _paragraph(first: str, lines: Sequence[str], start: int) -> str:
    """The text after a token, up to the next blank line or footer (continuation lines kept)."""
    collected = [first.rstrip()] if first.strip() else []
    for line in lines[start:]:
        if not line.strip() or _FOOTER_RE.match(line):
            break
        collected.append(line.rstrip())
    return "\n".join(collected).strip()


def parse_commit(
    sha: str, author: str, email: str, date: datetime, files: tuple[str, ...], message: str,
    *, encoding_ok: bool = True, warnings: tuple[str, ...] = (),
) -> Commit:
    """A commit read from git; `warnings` are what the reader could not read as written (a bad date)."""
    parsed = parse_message(message)
    found = (*parsed.warnings, *warnings)
    if not encoding_ok:
        found = (*found, "the message is not valid UTF-8; undecodable bytes were replaced")
    return Commit(sha, author, email, date, files, parsed, found)


def is_release_commit(message: Message) -> bool:
    """A release's own bookkeeping commit (`chore(release): 0.5.0rc1`, or for one package of several
    `chore(release): client@0.5.0`, as changesets and lerna write it): not news in release notes."""
    if message.type != "chore" or message.scope != "release":
        return False
    return parse_version(message.description) is not None or is_package_release_commit(message)


def is_package_release_commit(message: Message) -> bool:
    """The release commit of one package of several (`chore(release): client@0.5.0`): its bookkeeping, which
    the other packages' ranges may hold (it edits a pin in their files) and which needs no release."""
    if message.type != "chore" or message.scope != "release":
        return False
    name, at, version = message.description.rpartition("@")
    return bool(at and name) and " " not in name and parse_version(version) is not None


def find_reverted(commits: Sequence[Commit]) -> frozenset[str]:
    """The shas of revert pairs whose both halves are in `commits` (newest first, as git log gives).

    Pairs are matched newest revert first, so a revert of a revert cancels that revert and leaves the
    original standing (C, R1 = revert C, R2 = revert R1: R1 and R2 pair up, C stays).
    """
    shas = {commit.sha for commit in commits}
    paired: set[str] = set()
    for commit in commits:  # newest first
        target_ref = commit.message.reverts
        if target_ref is None or commit.sha in paired:
            continue
        target = target_ref if target_ref in shas else _by_abbrev(target_ref, commits)
        if target is None or target in paired or target == commit.sha:
            continue
        paired.update((commit.sha, target))
    return frozenset(paired)


def _by_abbrev(prefix: str, commits: Sequence[Commit]) -> str | None:
    if len(prefix) >= 40:
        return None
    found = [c.sha for c in commits if c.sha.startswith(prefix)]
    return found[0] if len(found) == 1 else None


# -- migration notes: a breaking token's whole text, for release notes ---------------------------------

_TRAILER_RE = re.compile(r"^(?:BREAKING[ -]CHANGE:|[A-Za-z][\w-]*(?:: \S| #\S))")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def migration_notes(body: str) -> tuple[str, ...]:
    """Each breaking token's full text: its paragraph and the paragraphs after it, Markdown kept.

    The spec lets a footer's value run over blank lines until the next footer token, so a migration guide
    written below `BREAKING CHANGE:` belongs to it. It stops at the next trailer or token (`Refs: #1`,
    `Co-authored-by: …`), a rule (`---------`, as GitHub's squash merges write before the co-authors), or
    the next squashed commit (`* fix: …`). `Message.breaking_notes` keeps the first paragraph only.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notes: list[str] = []
    for index in _declaration_lines(lines):
        match = _BREAKING_RE.match(lines[index]) or _NEAR_MISS_RE.match(lines[index])
        if match is None:
            continue
        first = _paragraph(match.group("text"), lines, index + 1)
        if _NONE_RE.match(first):
            continue
        squash = any(line.startswith("* ") for line in lines[:index])
        text = "\n".join([match.group("text"), *_note_lines(lines, index + 1, squash)]).strip()
        if text:
            notes.append(text)
    return tuple(notes)


def _note_lines(lines: Sequence[str], start: int, squash: bool) -> list[str]:
    collected: list[str] = []
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        fence_match = _FENCE_RE.match(line)
        if fence is not None:
            fence = None if fence_match and fence_match.group(1) == fence else fence
        elif _ends_note(line, lines[index - 1], squash, first_paragraph=not any(not c.strip() for c in collected)):
            break
        elif fence_match:
            fence = fence_match.group(1)
        collected.append(line.rstrip())
    return collected


def _ends_note(line: str, previous: str, squash: bool, *, first_paragraph: bool) -> bool:
    if first_paragraph and not line.strip():
        return False
    if first_paragraph:
        return bool(_FOOTER_RE.match(line))  # as Message.breaking_notes reads its paragraph
    if _TRAILER_RE.match(line) or _RULE_RE.match(line):
        return True
    header = _HEADER_RE.match(line[2:] if line[:2] in ("* ", "- ") else line)
    next_commit = (squash and line.startswith("* ")) or bool(header and header.group("desc").strip())
    return not previous.strip() and next_commit
