"""Release notes: the model of one release (pure, plain data) and its JSON document.

What is left out: reverted pairs (both halves in the range), and commits an earlier release already
shipped — the same PR number, or a `git cherry-pick -x` of/onto one — as when a fix is backported to a
release branch and released in a patch before the release that holds its original. Release commits
(`chore(release): 0.5.0rc1`, the bookkeeping `relmgr release` makes) are not news either, nor are the
commits and contributors `[tool.relmgr.notes]` leaves out (`hygiene`): those are listed in `excluded`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from relmgr.config.model import NotesConfig
from relmgr.history.commits import Commit, is_release_commit, migration_notes, parse_message
from relmgr.history.versions import Version
from relmgr.notes.grouped import grouped_json
from relmgr.notes.hygiene import Left, bot_pattern, excluded_by, left_commit, left_contributor, left_json
from relmgr.notes.links import compare_url
from relmgr.policy.apis import Change, Registry
from relmgr.policy.levels import Level

FEATURES, FIXES, PERF, REVERTS, DOCS, OTHER = (
    "Features", "Bug fixes", "Performance", "Reverts", "Documentation", "Other"
)
SECTION_TITLES = (FEATURES, FIXES, PERF, REVERTS, DOCS, OTHER)
_SECTION_OF_TYPE = {"feat": FEATURES, "fix": FIXES, "perf": PERF, "docs": DOCS, "revert": REVERTS}
_PICKED = "(cherry picked from commit "
_PICKED_RE = re.compile(re.escape(_PICKED) + r"(?P<sha>[0-9a-f]{40})\)")


@dataclass(frozen=True, slots=True)
class ApiLevel:
    name: str
    level: Level  # the API's level at this release


@dataclass(frozen=True, slots=True)
class Entry:
    sha: str
    subject: str
    description: str  # the header's description, without type, scope and `(#PR)`
    type: str | None
    scope: str | None
    apis: tuple[ApiLevel, ...]
    pr: int | None


@dataclass(frozen=True, slots=True)
class Breaking:
    entry: Entry
    notes: tuple[str, ...]  # per `BREAKING CHANGE:` token, its full text (commits.migration_notes)
    level: Level | None  # the group it is listed under: its most stable API's level; None: no API
    detected: Detected | None = None  # found in the OpenAPI spec (the entry is its commit); None: the message


@dataclass(frozen=True, slots=True)
class Detected:
    """A breaking change the OpenAPI spec (oasdiff ERR) or a Python package shows, whatever its commit's
    message says."""

    operation: str  # `DELETE /v1/files/{id}`, or the Python object `ogx_api.provider.start`
    check: str  # the oasdiff check ID (what changed, in a sentence, is the entry's description)
    declared: bool  # its commit's message marks it breaking
    attributed: bool = True  # False: no single commit made it; the entry is the range's tip
    source: str = "openapi"  # where it was found: "openapi" (`operation` is a route) or "python" (an object path)


@dataclass(frozen=True, slots=True)
class Behavior:
    """A change the OpenAPI spec shows that is not breaking but changes what clients see or get (a default
    value, a new required response property …: `notes.grouped.BEHAVIOR`); the entry is its commit."""

    entry: Entry
    operation: str
    check: str
    level: Level | None  # the most stable level of the APIs its route belongs to


@dataclass(frozen=True, slots=True)
class Deprecation:
    entry: Entry
    text: str  # the `Deprecated:` footer's text; for one found in the OpenAPI spec, the operation in backticks
    operation: str | None = None  # found in the OpenAPI spec: the operation newly `deprecated: true`
    sunset: str | None = None  # its `x-sunset`, as written


@dataclass(frozen=True, slots=True)
class Removal:
    """A deprecated operation that left the OpenAPI spec in this release; the entry is the commit that removed it."""

    entry: Entry
    operation: str
    level: Level
    deprecated_in: str | None  # the tag of the release it was deprecated in; None: not found
    sunset: str | None = None


@dataclass(frozen=True, slots=True)
class LevelShift:
    api: str
    before: Level
    after: Level
    operations: tuple[str, ...] = ()  # route moves the OpenAPI spec shows: `GET /v1alpha/x → GET /v1beta/x`


@dataclass(frozen=True, slots=True)
class ProviderBreak:
    """A breaking provider change (every file it changed is a provider's), listed under its provider: free
    within its API's level, so never among the API's breaking changes."""

    entry: Entry
    notes: tuple[str, ...]
    api: str
    provider: str
    maturity: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Contributor:
    name: str
    email: str
    first_time: bool


@dataclass(frozen=True, slots=True)
class Notes:
    version: str  # bare: "0.3.0"
    tag: str
    previous: str | None  # the previous release's tag
    date: date
    breaking: tuple[Breaking, ...]  # by level, most stable first; "not tied to an API" last
    deprecations: tuple[Deprecation, ...]
    level_changes: tuple[LevelShift, ...]
    sections: tuple[Section, ...]  # non-empty ones, in SECTION_TITLES order
    contributors: tuple[Contributor, ...]  # by name
    repo_url: str | None = None
    removed: tuple[Removal, ...] = ()  # deprecated operations removed from the OpenAPI spec, by level
    behavior: tuple[Behavior, ...] = ()  # behaviour changes the OpenAPI spec shows, in the order found

    excluded: tuple[Left, ...] = ()  # commits and contributors `[tool.relmgr.notes]` left out, in history order
    provider_changes: tuple[ProviderBreak, ...] = ()  # by API, provider, then as entries sort

    @property
    def compare_url(self) -> str | None:
        return compare_url(self.repo_url, self.previous, self.tag)

    @property
    def empty(self) -> bool:
        return not (self.breaking or self.deprecations or self.removed or self.level_changes or self.sections
                    or self.behavior or self.provider_changes)


@dataclass(frozen=True, slots=True)
class SpecNotes:
    """What the OpenAPI specs show of a release, beside its commit messages."""

    breaking: tuple[Breaking, ...] = ()
    deprecations: tuple[Deprecation, ...] = ()  # operations newly deprecated (marked, or moved into a deprecated file)
    removed: tuple[Removal, ...] = ()
    moves: tuple[LevelShift, ...] = ()  # route moves, per API and level pair
    behavior: tuple[Behavior, ...] = ()


@dataclass(frozen=True, slots=True)
class Shipped:
    """What earlier releases shipped: PR numbers, and commits on either side of a `cherry-pick -x`."""

    prs: frozenset[int]
    shas: frozenset[str]

    @classmethod
    def of(cls, commits: Sequence[tuple[str, str]]) -> Shipped:
        """From (sha, message) pairs of the commits earlier releases hold and this one does not."""
        return cls._of((sha, parse_message(message).pr, message) for sha, message in commits)

    @classmethod
    def of_commits(cls, commits: Sequence[Commit]) -> Shipped:
        """`of` for commits already parsed (what `relmgr changelog` read once for every release)."""
        return cls._of((c.sha, c.pr, f"{c.message.header}\n{c.message.body}") for c in commits)

    @classmethod
    def _of(cls, commits: Iterable[tuple[str, int | None, str]]) -> Shipped:
        prs: set[int] = set()
        shas: set[str] = set()
        for sha, pr, message in commits:
            if pr is not None:
                prs.add(pr)
            shas.add(sha)
            shas.update(_picked(message))
        return cls(frozenset(prs), frozenset(shas))

    def holds(self, change: Change) -> bool:
        if not (self.prs or self.shas):  # most releases: earlier releases shipped nothing this one lacks
            return False
        commit = change.commit
        if commit.pr in self.prs or commit.sha in self.shas:
            return True
        return any(sha in self.shas for sha in _picked(commit.message.body))


def _picked(message: str) -> list[str]:
    """The shas of `(cherry picked from commit …)` lines (`git cherry-pick -x`)."""
    return [m.group("sha") for m in _PICKED_RE.finditer(message)] if _PICKED in message else []


def build_notes(
    changes: Sequence[Change], *, version: Version, tag: str, previous: str | None, when: date,
    registry: Registry, repo_url: str | None = None, shipped: Shipped | None = None,
    known_authors: frozenset[str] | None = None, detected: Sequence[Breaking] = (),
    hygiene: NotesConfig = NotesConfig(), spec: SpecNotes = SpecNotes(),
) -> Notes:
    """The notes of a release from its range's changes (newest first, as `Project.changes` gives them).

    `known_authors`: lower-cased emails with a commit before the range; None (no previous release)
    marks nobody as a first-time contributor. API levels are the levels at `version`. `detected`: the
    breaking changes found in the OpenAPI specs (and Python APIs), listed among the others. `hygiene`: the
    bookkeeping commits and bots to leave out (the documented defaults unless given). `spec`: the rest of
    what the OpenAPI specs show: deprecations beside the footers' (an operation a footer of the release names
    is listed once, as the footer says it), removals, route moves (its `breaking` are the caller's to pass in
    `detected`).
    """
    kept: list[Change] = []
    excluded: list[Left] = []
    for c in reversed(changes):
        if c.reverted or is_release_commit(c.commit.message) or (shipped and shipped.holds(c)):
            continue
        pattern = excluded_by(c.commit, hygiene)
        if pattern is None:
            kept.append(c)
        else:
            excluded.append(left_commit(c.commit, pattern))
    breaking: list[Breaking] = []
    providers: list[ProviderBreak] = []
    deprecations: list[Deprecation] = []
    by_title: dict[str, list[Entry]] = {title: [] for title in SECTION_TITLES}
    # the same API sets again and again (Registry.match shares its tuples): their levels, by the tuple's id
    # (the changes keep every tuple alive meanwhile)
    levels: dict[int, tuple[ApiLevel, ...]] = {}
    for change in kept:  # a changelog's inner loop: 10⁵ times, so the fields are read directly
        commit = change.commit
        message = commit.message
        apis = levels.get(id(change.apis))
        if apis is None:
            apis = levels[id(change.apis)] = tuple(
                ApiLevel(m.name, registry.level_at(m.name, version)) for m in change.apis
            )
        entry = Entry(commit.sha, message.header, message.description, message.type, message.scope, apis,
                      message.pr)
        if message.deprecations:
            deprecations.extend(Deprecation(entry, text) for text in message.deprecations)
        if message.breaking and change.providers:
            notes = migration_notes(message.body)
            providers.extend(ProviderBreak(entry, notes, p.api, p.provider, p.maturity) for p in change.providers)
        elif message.breaking:
            group = max((a.level for a in entry.apis), default=None)
            breaking.append(Breaking(entry, migration_notes(message.body), group))
        elif message.reverts is not None:  # `_section_of`
            by_title[REVERTS].append(entry)
        else:
            by_title[_SECTION_OF_TYPE.get(message.type or "", OTHER)].append(entry)
    contributors = _contributors(kept, known_authors, hygiene, excluded)
    breaking.extend(detected)
    footers = list(deprecations)
    deprecations.extend(d for d in spec.deprecations if not _announced(d, footers))
    key = _api_keys()
    breaking.sort(key=lambda b: (b.level is None, _desc(b.level), key(b.entry)))
    return Notes(
        version=version.text,
        tag=tag,
        previous=previous,
        date=when,
        breaking=tuple(breaking),
        deprecations=tuple(sorted(deprecations, key=lambda d: key(d.entry))),
        level_changes=_with_moves(level_changes(registry, version), spec.moves),
        sections=tuple(
            Section(title, tuple(sorted(entries, key=key))) for title, entries in by_title.items() if entries
        ),
        contributors=contributors,
        repo_url=repo_url,
        removed=tuple(sorted(spec.removed, key=lambda r: (_desc(r.level), _api_key(r.entry),
                                                          _path_then_method(r.operation)))),
        excluded=tuple(excluded),
        behavior=spec.behavior,
        provider_changes=tuple(sorted(providers, key=lambda p: (p.api, p.provider, key(p.entry)))),
    )


def _path_then_method(operation: str) -> tuple[str, str]:
    method, _, path = operation.partition(" ")
    return path, method


def _announced(found: Deprecation, footers: Sequence[Deprecation]) -> bool:
    """Whether a `Deprecated:` footer of the release names the operation the spec deprecates (its path)."""
    if found.operation is None:
        return False
    path = re.escape(found.operation.split(" ", 1)[-1])
    named = re.compile(rf"(?<![\w/{{}}]){path}(?![\w/{{}}])")
    return any(f.operation is None and named.search(f.text) for f in footers)


def _with_moves(shifts: tuple[LevelShift, ...], moves: Sequence[LevelShift]) -> tuple[LevelShift, ...]:
    """The config's level changes, with the route moves the spec shows merged into the same API's entry."""
    merged = {(s.api, s.before, s.after): s for s in shifts}
    for move in moves:
        key = (move.api, move.before, move.after)
        known = merged.get(key)
        merged[key] = LevelShift(move.api, move.before, move.after,
                                 (*(known.operations if known else ()), *move.operations))
    return tuple(sorted(merged.values(), key=lambda s: (s.api, s.before, s.after)))


def _api_key(entry: Entry) -> tuple[bool, tuple[str, ...]]:
    """Entries with APIs first, grouped by their API names; sorted() keeps history order within a group."""
    return (not entry.apis, tuple(a.name for a in entry.apis))


def _api_keys() -> Callable[[Entry], tuple[bool, tuple[str, ...]]]:
    """`_api_key`, computed once per API set (entries share their `apis` tuples while the notes are built)."""
    known: dict[int, tuple[bool, tuple[str, ...]]] = {}

    def key(entry: Entry) -> tuple[bool, tuple[str, ...]]:
        found = known.get(id(entry.apis))
        if found is None:
            found = known[id(entry.apis)] = _api_key(entry)
        return found

    return key


def _desc(level: Level | None) -> tuple[int, int]:
    return (0, 0) if level is None else (-int(level.stage), -level.major)


def level_changes(registry: Registry, version: Version) -> tuple[LevelShift, ...]:
    """The APIs whose level changes at `version`: a history entry with `until` = version."""
    shifts = []
    for api in registry.apis:
        for index, past in enumerate(api.history):
            if past.until.same_as(version):
                after = api.history[index + 1].level if index + 1 < len(api.history) else api.level
                shifts.append(LevelShift(api.name, past.level, after))
    return tuple(sorted(shifts, key=lambda s: s.api))


def _contributors(kept: Sequence[Change], known: frozenset[str] | None, hygiene: NotesConfig,
                  excluded: list[Left]) -> tuple[Contributor, ...]:
    """The kept commits' authors, bots left out (and added to `excluded`, once each)."""
    names: dict[str, str] = {}
    for change in reversed(kept):  # newest first: the newest spelling of a name wins
        names.setdefault(change.commit.email.lower(), change.commit.author)
    people = []
    for email, name in names.items():
        pattern = bot_pattern(name, email, hygiene)
        if pattern is None:
            people.append(Contributor(name, email, known is not None and email not in known))
        else:
            excluded.append(left_contributor(name, email, pattern))
    return tuple(sorted(people, key=lambda c: (c.name.casefold(), c.email)))


# -- the JSON model (also what --template renders) ------------------------------------------------


def to_json(notes: Notes) -> dict[str, Any]:
    """The documented model: docs/notes-template.md lists every field.

    Built key by key (no full entry filtered down): every release of `relmgr changelog` renders through it.
    """
    breaking = [_breaking_json(b) for b in notes.breaking]
    behavior = [_behavior_json(b) for b in notes.behavior]
    return {
        "version": notes.version,
        "tag": notes.tag,
        "previous": notes.previous,
        "date": notes.date.isoformat(),
        "breaking": breaking,
        "deprecations": [
            {"sha": d.entry.sha, "subject": d.entry.subject, "text": d.text, "apis": _apis_json(d.entry),
             "pr": d.entry.pr, "scope": d.entry.scope, "source": "commit" if d.operation is None else "openapi",
             "operation": d.operation, "sunset": d.sunset}
            for d in notes.deprecations
        ],
        "removed": [
            {"sha": r.entry.sha, "subject": r.entry.subject, "apis": _apis_json(r.entry), "pr": r.entry.pr,
             "scope": r.entry.scope, "operation": r.operation, "level": str(r.level), "deprecated_in": r.deprecated_in,
             "sunset": r.sunset}
            for r in notes.removed
        ],
        "level_changes": [_shift_json(s) for s in notes.level_changes],
        "sections": [{"title": s.title, "entries": [_entry_json(e) for e in s.entries]} for s in notes.sections],
        "contributors": [{"name": c.name, "email": c.email, "first_time": c.first_time} for c in notes.contributors],
        "excluded": left_json(notes.excluded),
        "behavior": behavior,
        **grouped_json(breaking, behavior),
        "provider_changes": [
            {"api": p.api, "provider": p.provider, "maturity": p.maturity, "sha": p.entry.sha,
             "subject": p.entry.subject, "description": p.entry.description, "notes": list(p.notes),
             "apis": _apis_json(p.entry), "pr": p.entry.pr, "scope": p.entry.scope}
            for p in notes.provider_changes
        ],
    }


def _shift_json(shift: LevelShift) -> dict[str, Any]:
    """`{api, from, to}`; a level change the OpenAPI spec shows adds the `operations` that moved."""
    found: dict[str, Any] = {"api": shift.api, "from": str(shift.before), "to": str(shift.after)}
    if shift.operations:
        found["operations"] = list(shift.operations)
    return found


def _breaking_json(b: Breaking) -> dict[str, Any]:
    entry = b.entry
    found = {"sha": entry.sha, "subject": entry.subject, "description": entry.description, "apis": _apis_json(entry),
             "notes": list(b.notes), "pr": entry.pr, "scope": entry.scope, "level": str(b.level) if b.level else None}
    if b.detected is None:
        return {**found, "source": "commit"}
    return {**found, "source": b.detected.source, "operation": b.detected.operation, "check": b.detected.check,
            "declared": b.detected.declared, "attributed": b.detected.attributed}


def _behavior_json(b: Behavior) -> dict[str, Any]:
    entry = b.entry
    return {"sha": entry.sha, "subject": entry.subject, "description": entry.description, "apis": _apis_json(entry),
            "pr": entry.pr, "scope": entry.scope, "level": str(b.level) if b.level else None, "source": "openapi",
            "operation": b.operation, "check": b.check}


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"sha": entry.sha, "subject": entry.subject, "description": entry.description, "type": entry.type,
            "scope": entry.scope, "apis": _apis_json(entry), "pr": entry.pr}


def _apis_json(entry: Entry) -> list[dict[str, str]]:
    return [{"name": a.name, "level": str(a.level)} for a in entry.apis]
