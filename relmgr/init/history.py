"""Level `history` entries from the specs at release tags. Pure: each release's operations in, entries out.

An API's level at a release is the most stable level its operations were served at there (found the way
init finds them at HEAD: by folder, tag, operationId or path segment). Where it changes between two
releases, the earlier level gets an entry `until` the first release at the new one, commented with both
tags. When HEAD serves it at another level than the last release did, the entry runs until the next patch
release (marked `check`: the release that ships the move may be a minor).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from relmgr.history.versions import Version
from relmgr.init.folders import name_key
from relmgr.init.routes import SpecOp, most_stable, serve
from relmgr.policy.levels import Level

MAX_RELEASES = 30  # final releases whose specs are read for `history` (the latest ones)


@dataclass(frozen=True, slots=True)
class PastSurface:
    """The operations of the configured specs at one final release; None when none of them is there."""

    tag: str
    version: Version
    ops: tuple[SpecOp, ...] | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    until: str  # a bare version: the first release at the next level
    level: Level
    comment: str
    check: bool = False


@dataclass(frozen=True, slots=True)
class _Run:
    level: Level
    first: tuple[str, Version]
    last: str


@dataclass(frozen=True, slots=True)
class PastFacts:
    """What the releases' specs show, per API (by name key): its level at each release that served a
    leveled operation of it, and every path it had (so `routes` still hold operations HEAD removed)."""

    levels: Mapping[str, Sequence[tuple[str, Version, Level]]]
    paths: Mapping[str, frozenset[str]]
    every: frozenset[str]  # every path of every release


def read_past(past: Sequence[PastSurface], folders: Sequence[str]) -> PastFacts:
    """Each release's operations assigned to APIs the way HEAD's are (`routes.serve`)."""
    levels: dict[str, list[tuple[str, Version, Level]]] = {}
    paths: dict[str, set[str]] = {}
    every: set[str] = set()
    for surface in sorted(past, key=lambda s: s.version.key):
        if surface.ops is None:
            continue
        every.update(op.path for op in surface.ops)
        for key, served in serve(surface.ops, folders).items():
            paths.setdefault(key, set()).update(op.path for op in served.ops)
            level, _ = most_stable(served.ops)
            if level is not None:
                levels.setdefault(key, []).append((surface.tag, surface.version, level))
    return PastFacts(levels, {key: frozenset(found) for key, found in paths.items()}, frozenset(every))


def suggest(name: str, at_releases: Mapping[str, Sequence[tuple[str, Version, Level]]], head: Level | None,
            next_patch: Version | None) -> tuple[HistoryEntry, ...]:
    """The `history` entries of API `name` from its levels at releases and at HEAD (`head`)."""
    runs: list[_Run] = []
    for tag, version, level in at_releases.get(name_key(name), ()):
        if runs and runs[-1].level == level:
            runs[-1] = _Run(level, runs[-1].first, tag)
        else:
            runs.append(_Run(level, (tag, version), tag))
    entries = [
        HistoryEntry(after.first[1].text, before.level,
                     f"{before.last} serves it at {before.level}, {after.first[0]} at {after.level}")
        for before, after in pairwise(runs)
    ]
    if runs and head is not None and head != runs[-1].level and next_patch is not None:
        entries.append(HistoryEntry(next_patch.text, runs[-1].level,
                                    f"check: {runs[-1].last} serves it at {runs[-1].level}, HEAD at {head}; "
                                    f"until the next release ({next_patch.text} if a patch)", check=True))
    return tuple(entries)
