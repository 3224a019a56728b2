"""Graduation evidence from git: each API's commits, breaking changes and contributors per final release.

A fixed number of git processes, whatever the length of the history: one `git log` over every release tag
and HEAD, one `rev-list` to find the release holding each commit, one `ls-tree` for the tests at HEAD.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from relmgr.config.model import ApiConfig, NotesConfig
from relmgr.graduation.criteria import Activity, ApiEvidence, BreakingChange, Proposal, next_level, next_minor, propose
from relmgr.history.commits import Commit, find_reverted
from relmgr.history.repository import Project, Range
from relmgr.history.versions import Release, Version
from relmgr.notes.hygiene import bot_pattern, co_authors, excluded_by
from relmgr.policy.globs import compile_globs


def latest_version(project: Project) -> Version | None:
    """The greatest released version, pre-releases included (a decision must come after all of them)."""
    releases = project.releases.releases
    return max((r.version for r in releases), key=lambda v: v.key) if releases else None


def default_at(project: Project) -> Version:
    """The version a decision takes effect at unless told: the next minor release after the greatest one.

    The one place to swap in the next-version computation once it exists.
    """
    return next_minor(latest_version(project))


def gather(project: Project, apis: Sequence[ApiConfig]) -> dict[str, ApiEvidence]:
    """The evidence for each of `apis`, by name."""
    repo = project.repo
    repo.require_commits()
    repo.require_full_history()
    head = repo.resolve("HEAD")
    finals = [r for r in project.releases.by_version() if not r.prerelease]
    revisions = (*dict.fromkeys(r.sha for r in project.releases.releases), head)
    # commits made before a rename still belong to their API: follow renames back to the oldest release
    project.follow_renames([r.sha for r in sorted(project.releases.releases, key=lambda r: r.date)] + [head])
    wanted = {api.name for api in apis}
    hygiene = project.config.notes
    touched: dict[str, set[str]] = {}  # sha → the wanted APIs it touches
    relevant: list[Commit] = []  # commits touching a wanted API, and reverts (which may match no API)
    for commit in project.commits(Range("every release and HEAD", revisions, head)):
        # bookkeeping (`Bump version to …`) is no activity of an API; reverts still pair up below
        names = set() if excluded_by(commit, hygiene) else {m.name for m in project.registry.match(commit)} & wanted
        if names or commit.message.reverts:
            touched[commit.sha] = names
            relevant.append(commit)
    groups = _by_final_release(project, relevant, head)
    # a break reverted before its release shipped never reached users; one shipped then reverted did
    reverted: set[str] = set()
    for group in groups.values():
        reverted |= find_reverted(group)
    standing = {sha for sha in touched if sha not in reverted}
    test_files = _test_files(project, apis)
    return {
        api.name: ApiEvidence(
            releases=tuple(_activity(api.name, r, groups.get(r.tag, []), touched, standing, hygiene)
                           for r in finals),
            unreleased=_activity(api.name, None, groups.get(None, []), touched, standing, hygiene),
            test_files=test_files.get(api.name, ()),
        )
        for api in apis
    }


def _by_final_release(project: Project, commits: Sequence[Commit], head: str) -> dict[str | None, list[Commit]]:
    """Commits (newest first) by the final release that shipped them; None: none yet.

    A commit first shipped in a pre-release counts for that pre-release's final (`0.4.0rc1` → `0.4.0`).
    """
    holders = project.first_release_holding([c.sha for c in commits], head)
    finals = {r.version.release: r for r in project.releases.finals()}
    groups: dict[str | None, list[Commit]] = {}
    for commit in commits:
        holder = holders.get(commit.sha)
        final = _final_of(holder, finals) if holder else None
        groups.setdefault(final.tag if final else None, []).append(commit)
    return groups


def _final_of(release: Release, finals: dict[tuple[int, ...], Release]) -> Release | None:
    return finals.get(release.version.release) if release.prerelease else release


def _activity(api: str, release: Release | None, group: Sequence[Commit], touched: dict[str, set[str]],
              standing: set[str], hygiene: NotesConfig) -> Activity:
    """What `group` (one release's relevant commits, newest first) did to `api`; `standing`: not reverted."""
    tag = release.tag if release else None
    mine = [c for c in group if api in touched[c.sha]]
    breaking = tuple(
        BreakingChange(c.sha, c.subject, c.pr, tag) for c in reversed(mine) if c.breaking and c.sha in standing
    )
    return Activity(
        tag=tag,
        version=release.version if release else None,
        date=release.date if release else None,
        commits=len(mine),
        breaking=breaking,
        contributors=tuple(sorted({name for c in mine for name in _contributors(c, hygiene)}, key=str.casefold)),
    )


def _contributors(commit: Commit, hygiene: NotesConfig) -> list[str]:
    """The author and co-authors of a commit, bots and AI assistants left out (`[tool.relmgr.notes] bots`)."""
    people = [(commit.author.strip(), commit.email), *co_authors(commit.message.body)]
    return [name for name, email in people if name and bot_pattern(name, email, hygiene) is None]


def _test_files(project: Project, apis: Sequence[ApiConfig]) -> dict[str, tuple[str, ...]]:
    """Files at HEAD matching each API's `tests` globs; one `ls-tree`, only when some API has globs."""
    patterns = {api.name: rx for api in apis if (rx := compile_globs(api.tests)) is not None}
    if not patterns:
        return {}
    files = project.repo.list_files("HEAD")
    return {name: tuple(f for f in files if rx.match(f)) for name, rx in patterns.items()}


def proposals(project: Project, apis: Sequence[ApiConfig], today: date) -> tuple[dict[str, Proposal],
                                                                                dict[str, ApiEvidence]]:
    """The proposal for each of `apis` (at the top level too: its flags), and the evidence read: what
    `relmgr propose` and `relmgr docs` show. Without level history, time at a level counts from where the
    API's routes reached it in the spec (for the APIs below v1: a v1 API's time at its level only dates its
    flags, as the first release touching it)."""
    from relmgr.app import pyapi
    from relmgr.app import specs as openapi
    from relmgr.app.lifecycle import level_reached

    gathered = gather(project, apis) if apis else {}
    reached = level_reached(project, {api.name: api.level for api in apis
                                      if not api.history and next_level(api.level) is not None})
    surfaces = openapi.surface_evidence(project, apis, reached)
    python = pyapi.python_evidence(project, apis)
    at = default_at(project)
    found = {api.name: propose(api, gathered[api.name], config=project.config.graduation, today=today, at=at,
                               surface=surfaces.get(api.name), python=python.get(api.name)) for api in apis}
    return found, gathered
