"""Release notes: read what `notes` and `changelog` need with a fixed number of git processes and hand
plain data to `notes.model.build_notes`.

`changelog_notes` builds every release's notes from one history read, as `release_notes` builds one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from relmgr.app.plan import Plan
from relmgr.history.repository import AuthorIndex, Project
from relmgr.history.versions import Release, Version
from relmgr.notes.model import ApiLevel, Breaking, Notes, Shipped, SpecNotes, build_notes
from relmgr.policy.apis import Change, to_changes
from relmgr.progress import Report


def release_notes(project: Project, release: Release, *, when: date | None = None) -> Notes:
    """The notes of `release` (range previous..release): at most three `git log`s, the release set reused.

    For many releases use `changelog_notes`: it reads the history once for all of them.
    """
    rng = project.release_range(release)
    changes = project.changes(rng)
    earlier = _earlier_finals(project, release.version, rng.base, release)
    shipped = Shipped.of(project.shipped_before(earlier, rng.tip)) if earlier else None
    known = _known(project, changes, rng.base, None)
    return _notes(project, changes, release.version, release.tag, rng.base, when or release.date.date(), shipped,
                  known, (rng.tip, release))


def unreleased_notes(project: Project, plan: Plan, when: date) -> Notes:
    """The notes of a plan's unreleased work, titled as its next version (not tagged yet)."""
    version = plan.next.next
    base = plan.range.base
    earlier = _earlier_finals(project, version, base, None)
    shipped = Shipped.of(project.shipped_before(earlier, plan.range.tip)) if earlier else None
    return _notes(project, plan.changes, version, project.config.tag_prefix + version.text, base, when, shipped,
                  _known(project, plan.changes, base, None), (plan.range.tip, None))


def changelog_notes(project: Project, progress: Report | None = None) -> list[Notes]:
    """The notes of every final release, greatest version first, each as `release_notes` writes it.

    One history read for all (two git processes): each release's range, what earlier releases shipped
    and who contributed before it are answered from the one commit graph.
    """
    finals = sorted(project.releases.finals(), key=lambda r: r.version.key, reverse=True)
    if not finals:
        return []
    index = {r.tag: i for i, r in enumerate(finals)}
    timeline = project.read_timeline(finals, progress)
    if project.config.openapi.specs:
        from relmgr.app.specs import prefetch

        bases = [r.previous for r in finals if r.previous]
        refs = [r.sha for r in finals] + [b.sha for tag in bases if (b := project.releases.find(tag))]
        prefetch(project, refs, timeline.commits.values())
    if any(api.python for api in project.config.apis):
        from relmgr.app.pyapi import prefetch as prefetch_python

        refs = [r.sha for r in finals] + [b.sha for tag in (r.previous for r in finals if r.previous)
                                          if (b := project.releases.find(tag))]
        prefetch_python(project, refs, timeline.commits.values())
    authors = AuthorIndex.of(finals, timeline)
    result: list[Notes] = []
    for count, release in enumerate(finals, 1):
        base = project.releases.find(release.previous) if release.previous else None
        commits = timeline.range_commits(release.sha, index[release.tag], index[base.tag] if base else None)
        changes = to_changes(commits, project.registry)
        earlier = _earlier_finals(project, release.version, base, release)
        held = timeline.held_by((index[r.tag] for r in earlier), index[release.tag]) if earlier else None
        shipped = Shipped.of_commits(held) if held is not None else None
        result.append(_notes(project, changes, release.version, release.tag, base, release.date.date(), shipped,
                             _known(project, changes, base, authors), (release.sha, release)))
        if progress is not None:
            progress("writing notes", count, len(finals))
    return result


def _known(project: Project, changes: Sequence[Change], base: Release | None,
           authors: AuthorIndex | None) -> frozenset[str] | None:
    """Who contributed before `base` (among the range's authors); None: no base, so nobody is first."""
    if base is None:
        return None
    emails = {c.commit.email for c in changes if not c.reverted}
    return authors.known(emails, base) if authors else project.known_authors(emails, base)


def _notes(project: Project, changes: Sequence[Change], version: Version, tag: str, base: Release | None,
           when: date, shipped: Shipped | None, known: frozenset[str] | None,
           end: tuple[str, Release | None]) -> Notes:
    """Build the notes; `end` is the range's tip and, when it is tagged, its release (for the spec diff)."""
    tip, tagged = end
    spec = _spec_notes(project, changes, version, base, tip, when, tagged)
    detected = [*spec.breaking, *_python(project, changes, version, base, end)]
    return build_notes(changes, version=version, tag=tag, previous=base.tag if base else None, when=when,
                       registry=project.registry, repo_url=project.config.repo_url, shipped=shipped,
                       known_authors=known, detected=detected, hygiene=project.config.notes, spec=spec)


def _shipped(project: Project, apis: Sequence[ApiLevel]) -> bool:
    """Whether a finding belongs in this package's notes (one tied to no API belongs everywhere)."""
    return not apis or any(project.ships(a.name) for a in apis)


def _python(project: Project, changes: Sequence[Change], version: Version, base: Release | None,
            end: tuple[str, Release | None]) -> list[Breaking]:
    """The breaking changes the Python packages show since `base` (none without them or a base)."""
    if base is None or not any(api.python for api in project.config.apis):
        return []
    from relmgr.app.pyapi import detected_python

    tip, tagged = end
    label = tagged.tag if tagged else tip[:7]
    found = detected_python(project, base=base, tip=(tip, label), changes=changes, version=version)
    return [b for b in found if _shipped(project, b.entry.apis)]


def _spec_notes(project: Project, changes: Sequence[Change], version: Version, base: Release | None, tip: str,
                when: date, tagged: Release | None) -> SpecNotes:
    """What the OpenAPI specs show since `base` (nothing without specs or a base to compare): breaking changes
    (oasdiff ERR, at every level), new deprecations, removals of deprecated operations, route moves, behaviour
    changes (`notes.grouped.is_behavior`: a default value, a newly required response property …)."""
    if base is None or not project.config.openapi.specs:
        return SpecNotes()
    from relmgr.app.lifecycle import spec_notes, sunsets_of
    from relmgr.app.spec_store import store_of
    from relmgr.app.specs import operations_at, spec_impacts
    from relmgr.notes.grouped import is_behavior
    from relmgr.spec.lifecycle import NEWLY_DEPRECATED, REMOVED_AFTER_DEPRECATION
    from relmgr.spec.model import LevelMove, Severity, SpecChange

    def wanted(change: SpecChange, _: object) -> bool:
        return (change.severity is Severity.ERR or change.id in NEWLY_DEPRECATED
                or change.id in REMOVED_AFTER_DEPRECATION or isinstance(change, LevelMove)
                or is_behavior(change.id, change.severity))

    label = tagged.tag if tagged else tip[:7]
    impacts = spec_impacts(project, base=(base.sha, base.tag), tip=(tip, label), changes=changes,
                           whole_range=not project.paths,  # one package's view: the rest is the others'
                           version=version, today=when, keep=wanted)
    if not impacts:
        return SpecNotes()
    newly = any(impact.change.id in NEWLY_DEPRECATED for impact in impacts)  # only they show a sunset
    sunsets = sunsets_of(operations_at(store_of(project), [(tip, label)])[tip] or []) if newly else {}
    found = spec_notes(project, impacts, base, sunsets)
    return SpecNotes(tuple(b for b in found.breaking if _shipped(project, b.entry.apis)),
                     tuple(d for d in found.deprecations if _shipped(project, d.entry.apis)),
                     tuple(r for r in found.removed if _shipped(project, r.entry.apis)),
                     tuple(m for m in found.moves if project.ships(m.api)),
                     tuple(b for b in found.behavior if _shipped(project, b.entry.apis)))


def _earlier_finals(project: Project, version: Version, base: Release | None,
                    tagged: Release | None) -> list[Release]:
    """Final releases of this line made before this one: from `base` up, below `version`, tagged earlier.

    Their commits that this release does not hold (a fix cherry-picked to a release branch and shipped in
    a patch) are not listed again. Lower lines (a 0.3.x backport seen from 0.5.0) are other users' news.
    """
    if base is None:
        return []
    return [
        r for r in project.releases.finals()
        if base.version <= r.version < version and (tagged is None or r.date < tagged.date)
    ]
