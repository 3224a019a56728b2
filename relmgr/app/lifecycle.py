"""The lifecycle of operations read from the releases' OpenAPI surfaces: what a release's notes list from the
spec (breaking changes, deprecations, removals, route moves), since which release an operation is
deprecated, since which release an API's routes carry its level, and every deprecated operation at HEAD.

"Since which release" walks back the chain of final releases (each one's previous) by galloping, then
bisecting (it assumes a deprecation or a level, once reached, stays): O(log releases) surfaces read, the
probes of all operations of one question batched into one read per round, never one git process per release.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from relmgr.errors import SpecError
from relmgr.history.commits import parse_message
from relmgr.history.repository import Project
from relmgr.history.versions import Release, Version
from relmgr.notes.grouped import is_behavior
from relmgr.notes.model import (
    ApiLevel,
    Behavior,
    Breaking,
    Deprecation,
    Detected,
    Entry,
    LevelShift,
    Removal,
    SpecNotes,
)
from relmgr.policy.levels import Level
from relmgr.policy.streams import lowest_stream
from relmgr.spec.lifecycle import NEWLY_DEPRECATED, REMOVED_AFTER_DEPRECATION, Deprecated, earliest_removal
from relmgr.spec.model import LevelMove, Operation, Severity, SpecChange
from relmgr.spec.policy import SpecImpact, deprecation_key
from relmgr.spec.stability import split_level
from relmgr.spec.surface import placements
from relmgr.spec.view import normalize_path

K = TypeVar("K", bound=Hashable)
Key = tuple[str, str]  # (method, path template): how an operation is known across releases


def release_chain(project: Project, release: Release | None) -> list[Release]:
    """`release` and the final releases before it, each the previous of the one before (newest first)."""
    chain: list[Release] = []
    seen: set[str] = set()
    while release is not None and release.tag not in seen:
        seen.add(release.tag)
        chain.append(release)
        release = project.releases.find(release.previous) if release.previous else None
    return chain


def _surfaces(project: Project, chain: Sequence[Release]) -> Callable[[Collection[int]], dict[int, list[Operation]]]:
    """Reads the operations at chain positions, one batch per call (unreadable surfaces: no operations)."""
    from relmgr.app.spec_store import store_of

    store = store_of(project)
    read: dict[int, list[Operation]] = {}

    def at(indexes: Collection[int]) -> dict[int, list[Operation]]:
        wanted = [i for i in indexes if i not in read]
        if wanted:
            found = store.at([(chain[i].sha, chain[i].tag) for i in wanted])
            for i in wanted:
                surface = found[chain[i].sha]
                readable = surface is not None and not isinstance(surface, SpecError)
                read[i] = store.operations(surface) if readable else []  # type: ignore[arg-type]
        return {i: read[i] for i in indexes}

    return at


@dataclass(slots=True)
class _Search:
    """Galloping, then bisecting: `good` holds, `bad` (once found) does not."""

    good: int = 0
    bad: int | None = None
    step: int = 1

    def probe(self, size: int) -> int | None:
        if self.bad is None:
            position = min(self.good + self.step, size - 1)
            return position if position != self.good else None
        return (self.good + self.bad) // 2 if self.bad - self.good > 1 else None

    def learn(self, position: int, holds: bool) -> None:
        if not holds:
            self.bad = position
            return
        self.good = position
        if self.bad is None:
            self.step *= 2


def earliest(keys: Collection[K], size: int, read: Callable[[Collection[int]], object],
             holds: Callable[[K, int], bool]) -> dict[K, int]:
    """For each key holding at position 0, the last position `p` such that it holds at 0..p (a chain read
    newest first); `read(positions)` loads a batch of positions before `holds` asks about them."""
    if not size:
        return {}
    read([0])
    searches = {key: _Search() for key in keys if holds(key, 0)}
    while True:
        probes = {key: p for key, search in searches.items() if (p := search.probe(size)) is not None}
        if not probes:
            return {key: search.good for key, search in searches.items()}
        read(set(probes.values()))
        for key, position in probes.items():
            searches[key].learn(position, holds(key, position))


def deprecated_since(project: Project, keys: Collection[Key], chain: Sequence[Release]) -> dict[Key, Deprecated]:
    """Since when each operation (`deprecation_key`) deprecated at `chain[0]` has been: the release it was
    deprecated in and how many releases shipped it deprecated. Keys not deprecated at `chain[0]` are left out."""
    if not keys or not chain:
        return {}
    project.follow_renames([r.sha for r in reversed(chain)])  # older releases: the specs' former names
    at = _surfaces(project, chain)
    marked: dict[int, frozenset[Key]] = {}

    def read(indexes: Collection[int]) -> None:
        for i, ops in at(indexes).items():
            marked[i] = frozenset((op.method, normalize_path(op.path)) for op in ops if op.deprecated)

    found = earliest(list(keys), len(chain), read, lambda key, i: key in marked[i])
    return {key: Deprecated(chain[i].tag, chain[i].version, chain[i].date.date(), i + 1) for key, i in found.items()}


def level_reached(project: Project, targets: Mapping[str, Level]) -> dict[str, Release | None]:
    """Per API name: the final release since which its routes carry the `targets` level in the spec (a level
    path segment or marker), going back from the latest release of HEAD; None when they do not at the latest
    release (not yet, or not at HEAD either)."""
    from relmgr.app.specs import head_operations

    wanted = {name: level for name, level in targets.items() if (api := project.config.api(name)) and api.routes}
    if not wanted or not project.config.openapi.specs:
        return {}
    chain = release_chain(project, project.last_release())
    project.follow_renames([r.sha for r in reversed(chain)])
    at = _surfaces(project, chain)
    levels: dict[int, dict[str, frozenset[Level]]] = {}

    def read(indexes: Collection[int]) -> None:
        for i, ops in at(indexes).items():
            levels[i] = route_levels(project, ops)

    head = route_levels(project, head_operations(project))
    keep = [name for name, level in wanted.items() if level in head.get(name, frozenset())]
    found = earliest(keep, len(chain), read, lambda name, i: wanted[name] in levels[i].get(name, frozenset()))
    return {name: chain[found[name]] if name in found else None for name in wanted}


def route_levels(project: Project, ops: Sequence[Operation]) -> dict[str, frozenset[Level]]:
    """Per API, the levels its routes carry in the spec itself (markers or level segments, not the config)."""
    found: dict[str, set[Level]] = {}
    for op in ops:
        if op.explicit:
            for name in project.registry.by_route(op.path):
                found.setdefault(name, set()).add(Level.parse(op.level))
    return {name: frozenset(levels) for name, levels in found.items()}


# -- notes ---------------------------------------------------------------------------------------------


def spec_notes(project: Project, impacts: Sequence[SpecImpact], base: Release, sunsets: Mapping[Key, str | None],
               ) -> SpecNotes:
    """The notes' view of a release's spec impacts (attributed, per API): breaking changes (oasdiff ERR, route
    moves aside), operations newly deprecated (with their `x-sunset`), deprecated operations removed (with the
    release each was deprecated in), route moves (as level changes) and behaviour changes (`is_behavior`)."""
    grouped: dict[SpecChange, list[SpecImpact]] = {}
    for impact in impacts:
        grouped.setdefault(impact.change, []).append(impact)
    removed = [c for c in grouped if c.id in REMOVED_AFTER_DEPRECATION]
    since = deprecated_since(project, {deprecation_key(c) for c in removed}, release_chain(project, base))
    breaking, deprecations, removals, behavior = [], [], [], []
    for change, found in grouped.items():
        if isinstance(change, LevelMove):
            continue
        if change.id in NEWLY_DEPRECATED:
            sunset = sunsets.get(deprecation_key(change))
            text = f"`{change.operation}` is deprecated" + (f", sunset {sunset}" if sunset else "")
            deprecations.append(Deprecation(_entry(found, change.message), text, change.operation, sunset))
        elif change.id in REMOVED_AFTER_DEPRECATION:
            record = since.get(deprecation_key(change))
            removals.append(Removal(_entry(found, change.message), change.operation, max(i.level for i in found),
                                    record.since if record else None))
        elif change.severity is Severity.ERR:
            breaking.append(_breaking(found))
        elif is_behavior(change.id, change.severity):
            behavior.append(Behavior(_entry(found, change.message), change.operation, change.id,
                                     max(i.level for i in found)))
    return SpecNotes(tuple(breaking), tuple(deprecations), tuple(removals), _moves(grouped), tuple(behavior))


def _entry(impacts: Sequence[SpecImpact], description: str) -> Entry:
    """The notes entry of one spec change: its first culprit's commit, the APIs its route belongs to."""
    culprit = impacts[0].culprit
    header = parse_message(culprit.subject)
    apis = tuple(dict.fromkeys(ApiLevel(i.api, i.level) for i in impacts if i.api is not None))
    return Entry(culprit.sha, culprit.subject, description, header.type, header.scope, apis, culprit.pr)


def _breaking(impacts: Sequence[SpecImpact]) -> Breaking:
    """One notes entry for one spec change (its impacts: per API and culprit; the first culprit names it)."""
    change, culprit = impacts[0].change, impacts[0].culprit
    detected = Detected(change.operation, change.id, culprit.declared, culprit.attributed)
    return Breaking(_entry(impacts, change.message), (), max(i.level for i in impacts), detected)


def _moves(grouped: Mapping[SpecChange, Sequence[SpecImpact]]) -> tuple[LevelShift, ...]:
    """Route moves as level changes: per API (the old route's), from the old level segment to the new one."""
    shifts: dict[tuple[str, Level, Level], list[str]] = {}
    for change, found in grouped.items():
        where = split_level(change.path) if isinstance(change, LevelMove) else None
        if not isinstance(change, LevelMove) or where is None:
            continue
        before, after = Level.parse(where[0]), Level.parse(change.to_level)
        for name in dict.fromkeys(i.api or "(no API)" for i in found):
            shifts.setdefault((name, before, after), []).append(f"{change.operation} → {change.to_path}")
    return tuple(LevelShift(api, before, after, tuple(sorted(ops))) for (api, before, after), ops in shifts.items())


def sunsets_of(ops: Sequence[Operation]) -> dict[Key, str | None]:
    return {(op.method, normalize_path(op.path)): op.sunset for op in ops}


# -- apis --deprecations ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeprecatedOperation:
    """One operation deprecated at HEAD, for `relmgr apis --deprecations`."""

    operation: Operation
    apis: tuple[ApiLevel, ...]
    level: Level
    record: Deprecated
    removable_in: Version | None  # the first version that may remove it, at the earliest
    removable_from: date | None  # and the first date (None: no minimum in days, or not released yet)


def head_deprecations(project: Project) -> list[DeprecatedOperation]:
    """Every operation deprecated in the spec at HEAD, with the release it was deprecated in, its sunset and
    the first release (and date) that may remove it."""
    from relmgr.app.specs import head_operations

    latest = project.last_release() if project.repo.has_commits() else None
    chain = release_chain(project, latest)
    project.follow_renames([r.sha for r in reversed(chain)])
    ops = [op for op in head_operations(project) if op.deprecated]
    if not ops:
        return []
    since = deprecated_since(project, {(op.method, normalize_path(op.path)) for op in ops}, chain)
    found: list[DeprecatedOperation] = []
    config = project.config
    for op in sorted(ops, key=lambda o: (o.path, o.method)):
        placed = placements(op.path, op.level, op.explicit, project.registry, None, config.default_level)
        level = max(level for _, level in placed)
        record = since.get((op.method, normalize_path(op.path))) or Deprecated(None, None, None, 0)
        period = config.policy.deprecation_period(level)
        first, when = earliest_removal(record, period, latest.version if latest else None,
                                       lowest_stream(level, config.policy, latest.version if latest else None))
        apis = tuple(ApiLevel(name, lvl) for name, lvl in placed if name is not None)
        found.append(DeprecatedOperation(op, apis, level, record, first, when))
    return found
