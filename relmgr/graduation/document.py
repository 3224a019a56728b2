"""Graduation proposals as JSON, and as the Markdown document a maintainer brings to the team.

Pure: proposals in, plain dicts or text out. The Markdown is the built-in template `proposal.md.j2`
rendered from the JSON (`proposal_json`) in the sandbox a user's `propose --template` renders in: the
verdict first, then the checklist, the evidence per release, the breaking changes and the level history;
same proposals, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from relmgr.graduation.criteria import Activity, Proposal
from relmgr.notes.templates import PROPOSAL, builtin, link_helpers, render


@dataclass(frozen=True, slots=True)
class Context:
    """What the document says about the repository as a whole."""

    today: date
    latest: tuple[str, date] | None  # the greatest release's tag and date; None: no release yet
    repo_url: str | None = None


# -- JSON -----------------------------------------------------------------------------------------


def proposal_json(p: Proposal) -> dict[str, Any]:
    return {
        "api": p.api,
        "from": str(p.level),
        "to": str(p.to) if p.to else None,
        "ready": p.ready,
        "criteria": [{"name": c.name, "met": c.met, "evidence": c.evidence, "title": c.title} for c in p.criteria],
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
        "days": p.days,
        "minor_lines": [line.name for line in p.lines],
        "since_from": _since_from(p),
    }


def _since_from(p: Proposal) -> str:
    """How `since` was found: the config's level `history`, the OpenAPI spec, or the first release touching it."""
    return "openapi" if p.reached.from_spec else "first-release" if p.reached.inferred else "history"


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


def render_document(proposals: Sequence[Proposal], context: Context, source: str | None = None,
                    name: str = PROPOSAL) -> str:
    """One document: the overview, then one section per API (a user's template `source`, else the built-in)."""
    return _render(proposals, context, source, name, standalone=False)


def render_file(proposal: Proposal, context: Context, source: str | None = None, name: str = PROPOSAL) -> str:
    """One API's proposal as a standalone document (`propose --output DIR`)."""
    return _render([proposal], context, source, name, standalone=True)


def proposal_context(proposals: Sequence[Proposal], context: Context, *, standalone: bool) -> dict[str, Any]:
    """A proposal template's variables (docs/notes-template.md, "Proposal templates")."""
    latest = {"tag": context.latest[0], "date": context.latest[1].isoformat()} if context.latest else None
    return {"proposals": [proposal_json(p) for p in proposals], "today": context.today.isoformat(),
            "latest": latest, "standalone": standalone, **link_helpers(context.repo_url)}


def _render(proposals: Sequence[Proposal], context: Context, source: str | None, name: str, *,
            standalone: bool) -> str:
    if source is None:
        source, name = builtin(PROPOSAL), f"built-in {PROPOSAL}"
    return render(source, name, proposal_context(proposals, context, standalone=standalone))
