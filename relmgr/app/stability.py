"""`relmgr docs`: the stability page's records, read through the project.

What `propose` reads (the evidence per release, the spec and Python surfaces) gives each API's graduation
status and where it reached its level; `apis` gives its routes at HEAD; `apis --deprecations` its deprecated
operations with the release that may remove them. Time is counted to the latest release's date, never to
today, so the page changes only when the history or the config does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from relmgr.app.evidence import proposals
from relmgr.app.lifecycle import DeprecatedOperation, head_deprecations
from relmgr.config.model import ApiConfig
from relmgr.graduation.criteria import ApiEvidence, Proposal
from relmgr.history.repository import Project
from relmgr.history.versions import Release
from relmgr.policy.levels import Level
from relmgr.spec.surface import Route
from relmgr.stability.page import (
    ApiRow,
    DeprecatedOp,
    Graduation,
    Provider,
    ReleaseMark,
    Span,
    StabilityPage,
)


def stability_page(project: Project) -> StabilityPage:
    """Every configured API as the page shows it (by name), across the final releases (in version order)."""
    from relmgr.app.specs import head_operations
    from relmgr.spec.surface import routes_by_api

    project.repo.require_commits()
    finals = [r for r in project.releases.by_version() if not r.prerelease]
    apis = sorted(project.config.apis, key=lambda a: a.name)
    today = finals[-1].date.date() if finals else date(1970, 1, 1)  # see the module's docstring
    found, evidence = proposals(project, apis, today)
    mapped, _ = routes_by_api(head_operations(project), project.registry, project.config.default_level)
    deprecated = head_deprecations(project) if project.config.openapi.specs else []
    rows = tuple(_row(api, found[api.name], evidence[api.name], finals, mapped.get(api.name, []),
                      [d for d in deprecated if any(a.name == api.name for a in d.apis)]) for api in apis)
    marks = tuple(ReleaseMark(r.tag, r.version.text, r.date.date().isoformat()) for r in finals)
    return StabilityPage(marks, rows)


def _row(api: ApiConfig, proposal: Proposal, evidence: ApiEvidence, finals: Sequence[Release],
         routes: Sequence[Route], deprecated: Sequence[DeprecatedOperation]) -> ApiRow:
    by_level: dict[Level, list[str]] = {}
    for route in routes:
        by_level.setdefault(route.level, []).append(route.name)
    since = proposal.reached.release.tag if proposal.reached.release else None
    levels = _levels(api, finals, evidence, since)
    return ApiRow(
        name=api.name, level=str(api.level), since=since,
        history=tuple(Span(str(s.level), s.since.text if s.since else None, s.until.text if s.until else None)
                      for s in proposal.level_history),
        routes={str(level): tuple(ops) for level, ops in sorted(by_level.items(), key=lambda kv: kv[0], reverse=True)},
        deprecated=tuple(DeprecatedOp(f"{d.operation.method} {d.operation.path}", str(d.level), d.record.since,
                                      d.operation.sunset, d.removable_in.text if d.removable_in else None)
                         for d in deprecated),
        providers=tuple(Provider(p.name, p.maturity, p.paths) for p in api.providers),
        graduation=Graduation(str(proposal.to) if proposal.to else None, proposal.ready,
                              tuple(c.title for c in proposal.missing), tuple(_flag(f.message) for f in proposal.flags),
                              proposal.next_step if proposal.ready else None),
        levels=levels,
        breaking_in=tuple(a.tag for a in evidence.releases if a.breaking and a.tag),
        deprecated_in=tuple(dict.fromkeys(d.record.since for d in deprecated if d.record.since)),
    )


def _levels(api: ApiConfig, finals: Sequence[Release], evidence: ApiEvidence, since: str | None) -> tuple[str, ...]:
    """The API's level at each release; `-` where no level is known: without level `history`, before the
    release since which it is at its level (from its first commit, or where its routes reached the level in
    the spec), since the config says nothing of the level it had before."""
    if api.history:
        return tuple(str(api.level_at(r.version)) for r in finals)
    tags = [r.tag for r in finals]
    start = tags.index(since) if since in tags else next(
        (i for i, a in enumerate(evidence.releases) if a.commits), len(finals))
    return tuple("-" if i < start else str(api.level) for i in range(len(finals)))


def _flag(message: str) -> str:
    """A flag's message without the pointer into the proposal document, which the page does not have."""
    return message.split("; review the breaking changes")[0]
