"""Glue between a Project and the pure cores: read what `next-version` and `notes` need, with a fixed
number of git processes, and hand plain data to `bump.compute_next` and `notes.build_notes`.

`check` and `changelog` reuse these: `plan_next` reads the unreleased work once; `release_notes` builds one
release's notes from the project's one release set (pass `project.author_index()` when looping).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from relmgr.apis import Change
from relmgr.bump import NextVersion, compute_next
from relmgr.notes import Breaking, Notes, Shipped, build_notes
from relmgr.project import AuthorIndex, Project, Range
from relmgr.versions import Release, Version


@dataclass(frozen=True, slots=True)
class Plan:
    """The unreleased work of HEAD and the version it needs."""

    range: Range
    changes: list[Change]
    next: NextVersion

    @property
    def nothing_to_release(self) -> bool:
        return self.next.current is not None and self.next.stream is None


def plan_next(project: Project, head: str = "HEAD") -> Plan:
    """Read the unreleased work of `head` once and compute its next version (shared by notes and check)."""
    rng = project.unreleased_range(head)
    changes = project.changes(rng)
    pending = project.pending_prereleases(rng) if changes else []
    existing = [r.version for r in project.releases.releases]
    found = compute_next(changes, rng.base, registry=project.registry, config=project.config,
                         existing=existing, pending=pending)
    return Plan(rng, changes, found)


def release_notes(project: Project, release: Release, *, when: date | None = None,
                  authors: AuthorIndex | None = None) -> Notes:
    """The notes of `release` (range previous..release): at most three `git log`s, the release set reused.

    In a loop over many releases pass `project.author_index()` (built once): first-time contributors are
    then found without walking each previous release's history again.
    """
    rng = project.release_range(release)
    return _build(project, project.changes(rng), release.version, release.tag, rng.base, rng.tip,
                  when or release.date.date(), tagged=release, authors=authors)


def unreleased_notes(project: Project, plan: Plan, when: date) -> Notes:
    """The notes of a plan's unreleased work, titled as its next version (not tagged yet)."""
    version = plan.next.next
    return _build(project, plan.changes, version, project.config.tag_prefix + version.text, plan.range.base,
                  plan.range.tip, when, None)


def _build(project: Project, changes: Sequence[Change], version: Version, tag: str, base: Release | None,
           tip: str, when: date, tagged: Release | None, authors: AuthorIndex | None = None) -> Notes:
    earlier = _earlier_finals(project, version, base, tagged)
    shipped = Shipped.of(project.shipped_before(earlier, tip)) if earlier else None
    emails = {c.commit.email for c in changes if not c.reverted}
    known = None
    if base is not None:
        known = authors.known(emails, base) if authors else project.known_authors(emails, base)
    return build_notes(changes, version=version, tag=tag, previous=base.tag if base else None, when=when,
                       registry=project.registry, repo_url=project.config.repo_url, shipped=shipped,
                       known_authors=known, detected=_detected(project, changes, version, base, tip, when, tagged))


def _detected(project: Project, changes: Sequence[Change], version: Version, base: Release | None, tip: str,
              when: date, tagged: Release | None) -> list[Breaking]:
    """The breaking changes the OpenAPI specs show since `base` (none without specs or a base to compare)."""
    if base is None or not project.config.openapi.specs:
        return []
    from relmgr.openapi import detected_breaking

    label = tagged.tag if tagged else tip[:7]
    return detected_breaking(project, base=base, tip=(tip, label), changes=changes, version=version, today=when)


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
