"""Graduation proposals as a document a maintainer brings to the team (Markdown), and as JSON.

Pure: proposals in, text or plain dicts out. The Markdown puts the verdict first, then the checklist, the
evidence per release, the breaking changes and the level history; same proposals, same bytes.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from relmgr.graduation.criteria import Activity, BreakingChange, Criterion, Proposal, plural
from relmgr.notes.links import commit_url, pr_url

_MARKS = {True: "✅", False: "❌", None: "❔"}
_LABELS = {
    "time-at-level": "time at level",
    "quiet": "quiet",
    "surface-settled": "surface settled",
    "python-surface-settled": "Python API settled",
    "conformance-tests": "conformance tests",
    "no-deprecated-routes": "no deprecated routes",
}
_MAX_NAMES = 5  # contributors shown in a table cell before "+N more"
_MAX_RELEASES, _SHOWN_RELEASES = 15, 10  # past 15 releases at a level, the activity table shows the last 10


@dataclass(frozen=True, slots=True)
class Context:
    """What the document says about the repository as a whole."""

    today: date
    latest: str | None  # "v0.8.1 (2024-05-20)"
    repo_url: str | None = None


# -- JSON -----------------------------------------------------------------------------------------


def proposal_json(p: Proposal) -> dict[str, Any]:
    return {
        "api": p.api,
        "from": str(p.level),
        "to": str(p.to) if p.to else None,
        "ready": p.ready,
        "criteria": [{"name": c.name, "met": c.met, "evidence": c.evidence} for c in p.criteria],
        "flags": [{"name": f.name, "message": f.message} for f in p.flags],
        "releases": [_release_json(r) for r in p.releases],
        "breaking": [
            {"sha": b.sha, "subject": b.subject, "pr": b.pr, "release": b.release} for b in p.breaking
        ],
        "level_history": [
            {"level": str(s.level), "since": _text(s.since), "until": _text(s.until)} for s in p.level_history
        ],
        "since": _text(p.reached.version),
        "unreleased": {
            "commits": p.unreleased.commits,
            "breaking": len(p.unreleased.breaking),
            "contributors": list(p.unreleased.contributors),
        },
        "next_step": p.next_step,
    }


def _release_json(r: Activity) -> dict[str, Any]:
    return {
        "tag": r.tag,
        "version": _text(r.version),
        "date": r.date.isoformat() if r.date else None,
        "commits": r.commits,
        "breaking": len(r.breaking),
        "contributors": list(r.contributors),
    }


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)


# -- Markdown -------------------------------------------------------------------------------------


def render_document(proposals: Sequence[Proposal], context: Context) -> str:
    """One document: the overview, then one section per API."""
    lines = ["# Graduation proposals", "", _as_of(context), ""]
    if not proposals:
        lines += ["No API below v1, and no flag on the stable ones: nothing to propose.", ""]
    else:
        lines += _overview(proposals)
        for proposal in proposals:
            lines += ["", *render_proposal(proposal, context, depth=2)]
    return _finish(lines)


def render_file(proposal: Proposal, context: Context) -> str:
    """One API's proposal as a standalone document."""
    return _finish([*render_proposal(proposal, context, depth=1, standalone=True)])


def render_proposal(p: Proposal, context: Context, *, depth: int, standalone: bool = False) -> list[str]:
    head, sub = "#" * depth, "#" * (depth + 1)
    title = f"{p.api}: {p.level} → {p.to}" if p.to else f"{p.api}: {p.level} (flags only)"
    lines = [f"{head} {_md(title)}", ""]
    if standalone:
        lines += [_as_of(context), ""]
    lines += [_verdict(p), "", _summary(p, context), ""]
    for flag in p.flags:
        lines += [f"> ⚠️ **{flag.name}**: {_md(flag.message)}", ""]
    if p.next_step:
        lines += [_next_step(p), ""]
    if p.criteria:
        lines += [f"{sub} Checklist", "", *_checklist(p.criteria), ""]
    lines += [f"{sub} {_activity_title(p)}", "", *_activity(p), ""]
    lines += [f"{sub} Breaking changes", "", *_breaking(p, context.repo_url), ""]
    lines += [f"{sub} Level history", "", *_history(p)]
    return lines


def _finish(lines: list[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def _as_of(context: Context) -> str:
    latest = f"latest release {context.latest}" if context.latest else "no release yet"
    return f"As of {context.today.isoformat()}; {latest}."


def _overview(proposals: Sequence[Proposal]) -> list[str]:
    rows = ["| API | proposal | verdict | flags |", "| --- | --- | --- | --- |"]
    for p in proposals:
        change = f"{p.level} → {p.to}" if p.to else f"{p.level} (top level)"
        flags = ", ".join(f"⚠️ {f.name}" for f in p.flags)
        rows.append(f"| {_cell(p.api)} | {change} | {_short_verdict(p)} | {flags} |")
    return rows


def _short_verdict(p: Proposal) -> str:
    if p.to is None:
        return "—"
    if p.ready:
        return "✅ ready"
    return f"❌ not yet ({plural(len(p.missing), 'criterion', 'criteria')} missing)"


def _verdict(p: Proposal) -> str:
    if p.to is None:
        return f"**Nothing to propose**: {p.level} is the top level; {p.api} is listed for its flags."
    if p.ready:
        return f"**Verdict: ✅ ready** to move from {p.level} to {p.to}: every criterion is met."
    missing = ", ".join(_LABELS.get(c.name, c.name) + (" (unknown)" if c.met is None else "") for c in p.missing)
    return f"**Verdict: ❌ not yet.** Missing: {missing}."


def _summary(p: Proposal, context: Context) -> str:
    since = p.reached.release
    if since is None or since.date is None:
        if context.latest is None:
            return "The repository has no release yet."
        if p.reached.version is not None:
            return f"{p.api} becomes {p.level} at {p.reached.version}, which is not released yet."
        return f"No release has touched {p.api} yet."
    commits = sum(r.commits for r in p.releases)
    people = {name for r in p.releases for name in r.contributors}
    days = "" if p.days is None else f"{plural(p.days, 'day')}, "
    first = (", the first release touching it" if p.reached.inferred
             else f", where its routes reached {p.level} in the OpenAPI spec" if p.reached.from_spec else "")
    text = (
        f"{p.api} has been {p.level} since {since.tag} ({since.date.date().isoformat()}{first}): {days}"
        f"{plural(len(p.lines), 'minor release')}; {plural(commits, 'commit')} by {plural(len(people), 'contributor')} "
        f"and {plural(sum(len(r.breaking) for r in p.releases), 'breaking change')} released."
    )
    if p.unreleased.commits:
        text += (f" Not released yet: {plural(p.unreleased.commits, 'commit')}, "
                 f"{len(p.unreleased.breaking)} of them breaking.")
    return text


def _next_step(p: Proposal) -> str:
    command = f"`{p.next_step}`"
    if p.ready:
        return f"**Next step:** if the team agrees, record the decision: {command}"
    if all(c.met is None for c in p.missing):
        unknown = ", ".join(_LABELS.get(c.name, c.name) for c in p.missing)
        return (
            f"**Next step:** every criterion relmgr can check is met; the team checks the unknown ones by hand "
            f"({unknown}). If they hold, record the decision: {command}"
        )
    return (
        f"**Next step:** run `relmgr propose {shlex.quote(p.api)}` again once the missing criteria are met. "
        f"If the team decides to graduate anyway: {command}"
    )


def _checklist(criteria: Sequence[Criterion]) -> list[str]:
    rows = ["| | criterion | evidence |", "| :-: | --- | --- |"]
    rows += [f"| {_MARKS[c.met]} | {_cell(c.title)} | {_cell(c.evidence)} |" for c in criteria]
    return [*rows, "", "✅ met · ❌ not met · ❔ unknown (counts as not met)"]


def _activity_title(p: Proposal) -> str:
    if p.reached.release is None:
        return "Activity"
    return f"Activity since {p.api} became {p.level}"


def _activity(p: Proposal) -> list[str]:
    rows = [*p.releases, *([p.unreleased] if p.unreleased.commits else [])]
    if not rows:
        return [f"No commit touching {p.api} since it became {p.level}."]
    lines = ["| release | date | commits | breaking | contributors |", "| --- | --- | --: | --: | --- |"]
    shown = rows
    if len(p.releases) > _MAX_RELEASES:  # a long stay: the older releases in one row (JSON has them all)
        older, shown = rows[:-_SHOWN_RELEASES], rows[-_SHOWN_RELEASES:]
        names = sorted({name for r in older for name in r.contributors}, key=str.casefold)
        lines.append(f"| {older[0].tag} … {older[-1].tag} ({len(older)} releases) | | "
                     f"{sum(r.commits for r in older)} | {sum(len(r.breaking) for r in older)} | "
                     f"{_cell(_names(names))} |")
    for r in shown:
        when = r.date.date().isoformat() if r.date else ""
        lines.append(f"| {r.tag or 'unreleased'} | {when} | {r.commits} | {len(r.breaking)} | "
                     f"{_cell(_names(r.contributors))} |")
    people = sorted({name for r in rows for name in r.contributors}, key=str.casefold)
    lines.append(f"| **total** | | {sum(r.commits for r in rows)} | {sum(len(r.breaking) for r in rows)} | "
                 f"{plural(len(people), 'person', 'people')} |")
    return lines


def _breaking(p: Proposal, repo_url: str | None) -> list[str]:
    if not p.breaking:
        return [f"None since {p.api} became {p.level}." if p.reached.release else "None."]
    lines = ["| release | commit | subject | PR |", "| --- | --- | --- | --- |"]
    lines += [_breaking_row(b, repo_url) for b in p.breaking]
    return lines


def _breaking_row(b: BreakingChange, repo_url: str | None) -> str:
    sha = b.sha[:7]
    commit = f"[`{sha}`]({url})" if (url := commit_url(repo_url, b.sha)) else f"`{sha}`"
    pr = "" if b.pr is None else f"[#{b.pr}]({url})" if (url := pr_url(repo_url, b.pr)) else f"#{b.pr}"
    return f"| {b.release or 'unreleased'} | {commit} | {_cell(b.subject)} | {pr} |"


def _history(p: Proposal) -> list[str]:
    lines = ["| level | from | until |", "| --- | --- | --- |"]
    for span in p.level_history:
        since = str(span.since) if span.since else "the start"
        if span.until is None and p.reached.inferred and span.since is not None:
            since += " (first release touching it)"
        elif span.until is None and p.reached.from_spec and span.since is not None:
            since += " (its routes in the OpenAPI spec)"
        lines.append(f"| {span.level} | {since} | {span.until or 'now'} |")
    return lines


def _names(names: Sequence[str]) -> str:
    if len(names) <= _MAX_NAMES:
        return ", ".join(names)
    return ", ".join(names[:_MAX_NAMES]) + f" +{len(names) - _MAX_NAMES} more"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return _md(text).replace("|", "\\|").replace("\n", " ")


def _md(text: str) -> str:
    """Text that renders as itself: no raw HTML outside code spans (inside them `<` is already literal)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: no code span
        return text.replace("<", "&lt;")
    return "`".join(part if index % 2 else part.replace("<", "&lt;") for index, part in enumerate(parts))
