"""What a pull request will land, pure: the stream its base branch implies, its approvals, its squash commit.

A PR is squash-merged on the real project: its title becomes the subject of the one commit that lands, and
GitHub's default squash message is that title, ` (#N)`, then each commit's message (its first line as a
`* ` bullet). So the title decides whether the break is declared (`feat(x)!: …`), and a `!` on a commit of
the PR does not survive the squash: the gate judges the squash commit, and warns (`SQUASH_DROPS_BREAK`)
when a commit declares a break that the squash commit would not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from relmgr.config.model import Config
from relmgr.history.commits import Commit, parse_message
from relmgr.history.versions import Stream
from relmgr.policy.apis import Impact
from relmgr.policy.findings import SQUASH_DROPS_BREAK, Finding

_PLACEHOLDERS = {"{major}": r"(?P<major>\d+)", "{minor}": r"(?P<minor>\d+)", "{package}": r"[^/]*"}


@dataclass(frozen=True, slots=True)
class BaseStream:
    """The release a PR's base branch feeds: `stream` None means "as `next-version` computes"."""

    stream: Stream | None
    line: tuple[int, int] | None  # a release branch's major.minor
    why: str  # how the report says it: "release-0.4.x is a release branch: a patch of 0.4"


def release_line(branch: str, pattern: str) -> tuple[int, int] | None:
    """(major, minor) of `branch` when the `release-branch` pattern (`release-{major}.{minor}.x`) names it."""
    parts = re.split(r"(\{major\}|\{minor\}|\{package\})", pattern)
    rx = "".join(_PLACEHOLDERS.get(p, re.escape(p)) for p in parts)
    match = re.fullmatch(rx, branch)
    if match is None or "major" not in match.groupdict() or "minor" not in match.groupdict():
        return None
    return int(match.group("major")), int(match.group("minor"))


def base_stream(base: str | None, config: Config) -> BaseStream:
    """A release branch (by `release-branch`) takes patches; `main-branch`, and any other base (a PR into a
    feature branch lands on main later), is judged as the next version of its work plus the PR."""
    line = release_line(base, config.release_branch) if base else None
    if line is not None:
        return BaseStream(Stream.Z, line, f"{base} is a release branch: a patch of {line[0]}.{line[1]}")
    if base == config.main_branch:
        return BaseStream(None, None, f"{base} is the main branch: the next version")
    return BaseStream(None, None, f"{base or 'the base'} is not a release branch: the next version")


def label_approvals(number: int | None, labels: Sequence[str], approval_labels: Sequence[str]) -> frozenset[int]:
    """The PR approves its own breaks when it carries one of `approval-labels` (compared case-insensitively,
    as GitHub and GitLab match label names)."""
    wanted = {label.casefold() for label in approval_labels}
    if number is None or not wanted.intersection(label.casefold() for label in labels):
        return frozenset()
    return frozenset({number})


@dataclass(frozen=True, slots=True)
class Squash:
    """The commit a PR lands as, and the commits of the PR whose declared break it would drop."""

    commit: Commit
    dropped: tuple[Commit, ...]


def squash_commit(title: str, number: int, body: str | None, commits: Sequence[Commit], head_sha: str) -> Squash:
    """The squash commit: `title (#N)` (the title's own `(#N)` kept when it is the PR's), the PR's description,
    then each commit's message as GitHub writes it; the files of every commit; dated like the head.

    A break a commit declares counts whatever the title says (the author said so): the squash commit is
    breaking then, and each commit whose `!` the squash would not carry is `dropped` (a warning).
    """
    header = title.strip()
    if parse_message(header).pr != number:
        header = f"{header} (#{number})"
    parts = [body.strip()] if body and body.strip() else []
    for commit in reversed(commits):  # oldest first, as GitHub lists them
        text = commit.message.header + (f"\n\n{commit.message.body}" if commit.message.body else "")
        parts.append(f"* {text}")
    message = parse_message(header + ("\n\n" + "\n\n".join(parts) if parts else ""))
    dropped = () if message.breaking else tuple(c for c in commits if c.breaking)
    if dropped:
        message = replace(message, breaking=True)
    files = tuple(dict.fromkeys(f for c in commits for f in c.files))
    newest = commits[0] if commits else None
    return Squash(Commit(head_sha, newest.author if newest else "", newest.email if newest else "",
                         newest.date if newest else _EPOCH, files, message), dropped)


def in_pr(commit: Commit, number: int, declared: bool) -> Commit:
    """A commit of the PR as it lands: its PR number is the PR's, and its break is declared when the squash
    commit declares one (for the spec gate, which attributes what a spec shows to the commit that made it)."""
    message = commit.message
    return replace(commit, message=replace(message, pr=message.pr or number, breaking=message.breaking or declared))


def dropped_warnings(impacts: Sequence[Impact], squash: Squash, stream: Stream | None) -> list[Finding]:
    """`squash-drops-break`: one per API the squash commit breaks when only its commits declared it."""
    if not squash.dropped:
        return []
    shas = ", ".join(c.short for c in squash.dropped)
    commit = squash.commit
    advice = "add `!` to the PR title (`feat(api)!: …`) or a `BREAKING CHANGE:` note to its description"
    found = []
    for impact in impacts:
        what = (f"{shas} declare{'s' if len(squash.dropped) == 1 else ''} a break to "
                f"{f'the {impact.level} API `{impact.api}`' if impact.api else 'no configured API'} that the PR "
                f"title does not: squash-merged, PR #{commit.pr} lands it undeclared")
        found.append(Finding(commit.sha, commit.subject, commit.pr, impact.api, impact.level, stream,
                             SQUASH_DROPS_BREAK, f"{what}: {advice}", advice))
    return found


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a PR with no commits (nothing to date it by)
