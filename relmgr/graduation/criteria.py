"""Graduation: is an API ready for its next level (v1alpha → v1beta → v1)? The checklist, verdict and flags.

Pure: an API's config, its activity per final release and today's date in, a `Proposal` out. The criteria
and their defaults are relmgr's leveling policy ([tool.relmgr.graduation]); the `permabeta` flag follows
Kubernetes' rule that a beta may not stay beta for ever (KEP-1635, "Prevent permanent beta").
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from relmgr.config.model import ApiConfig, GraduationConfig, GraduationStep
from relmgr.history.versions import Version, parse_version
from relmgr.policy.levels import Level, Stage
from relmgr.text import plural

UNKNOWN_SURFACE = "unknown: needs [tool.relmgr.openapi] specs and the API's `routes`"
UNKNOWN_PYTHON = "unknown: the API's Python packages could not be read (see the warnings)"
_LISTED = 3  # evidence strings name at most this many commits, routes or files, then "and N more"


# -- evidence (gathered by relmgr.evidence from git, or written by hand in tests) --------------------


@dataclass(frozen=True, slots=True)
class BreakingChange:
    sha: str
    subject: str
    pr: int | None
    release: str | None  # the tag of the final release that shipped it; None: not released yet


@dataclass(frozen=True, slots=True)
class Activity:
    """One API's commits in one final release (its pre-releases folded in), or on HEAD since the last."""

    tag: str | None  # None: not released yet
    version: Version | None
    date: datetime | None
    commits: int = 0
    breaking: tuple[BreakingChange, ...] = ()  # reverted pairs left out, oldest first
    contributors: tuple[str, ...] = ()  # sorted names


@dataclass(frozen=True, slots=True)
class ApiEvidence:
    releases: tuple[Activity, ...]  # every final release of the repository, in version order
    unreleased: Activity  # commits of HEAD that no final release holds yet
    test_files: tuple[str, ...] = ()  # files at HEAD matching the API's `tests` globs


@dataclass(frozen=True, slots=True)
class RouteChanges:
    """Routes (`GET /v1/files`) of one API added or removed by one final release, against its previous."""

    tag: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # objects whose signature broke (Python surfaces; routes do not use it)


@dataclass(frozen=True, slots=True)
class SurfaceEvidence:
    """What the OpenAPI diff knows of one API; a release missing from `releases` is unknown."""

    releases: tuple[RouteChanges, ...]
    deprecated: tuple[str, ...] = ()  # routes marked deprecated and still in the spec at HEAD
    reached: str | None = None  # the tag of the final release since which its routes carry its level in the spec


# -- results ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str  # stable id: time-at-level, quiet, surface-settled, conformance-tests, no-deprecated-routes
    title: str  # the rule with its threshold, for people
    met: bool | None  # None: unknown, which counts as not met
    evidence: str


@dataclass(frozen=True, slots=True)
class Flag:
    name: str  # permabeta | stability-risk
    message: str


@dataclass(frozen=True, slots=True)
class LevelSpan:
    level: Level
    since: Version | None  # None: from the start
    until: Version | None  # None: still at this level


@dataclass(frozen=True, slots=True)
class MinorLine:
    """A minor release with its patches (`0.7`: 0.7.0, 0.7.1 …)."""

    name: str
    releases: tuple[Activity, ...]

    @property
    def breaking(self) -> tuple[BreakingChange, ...]:
        return tuple(change for release in self.releases for change in release.breaking)


@dataclass(frozen=True, slots=True)
class Reached:
    """Where an API reached its current level."""

    version: Version | None  # the history's last `until`, or the first release touching the API
    release: Activity | None  # the final release that shipped at this level first; None: none yet
    inferred: bool  # no history: the level is assumed since the first release touching the API
    from_spec: bool = False  # no history: since the release where its routes reached the level in the spec


@dataclass(frozen=True, slots=True)
class Proposal:
    api: str
    level: Level
    to: Level | None  # None: at the top level, the entry only carries flags
    criteria: tuple[Criterion, ...]
    flags: tuple[Flag, ...]
    reached: Reached
    lines: tuple[MinorLine, ...]  # minor releases at the current level, oldest first
    releases: tuple[Activity, ...]  # final releases since the API reached its level
    unreleased: Activity
    breaking: tuple[BreakingChange, ...]  # since the API reached its level, unreleased ones last
    level_history: tuple[LevelSpan, ...]
    at: Version  # where the decision would take effect (the next minor release)
    days: int | None  # days at the current level; None when no release shipped it yet

    @property
    def ready(self) -> bool:
        return self.to is not None and all(c.met is True for c in self.criteria)

    @property
    def missing(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.met is not True)

    @property
    def next_step(self) -> str | None:
        if self.to is None:
            return None
        return f"relmgr graduate {shlex.quote(self.api)} --to {self.to} --at {self.at}"


# -- the core -----------------------------------------------------------------------------------------


def next_level(level: Level) -> Level | None:
    """The one level up: v1alpha → v1beta → v1 (v2alpha → v2beta → v2); None at a stable level."""
    return None if level.stage == Stage.STABLE else Level(Stage(level.stage + 1), level.major)


def next_minor(latest: Version | None) -> Version:
    """The next minor release after `latest`, the greatest release (a pending X.Y.0 pre-release gives X.Y.0)."""
    if latest is None:
        text = "0.1.0"
    elif latest.prerelease and latest.release[2:] == (0,) * len(latest.release[2:]):
        text = ".".join(str(part) for part in latest.release[:3])
    else:
        text = f"{latest.release[0]}.{latest.release[1] + 1}.0"
    version = parse_version(text)
    assert version is not None
    return version


def reached(api: ApiConfig, evidence: ApiEvidence, surface: SurfaceEvidence | None = None) -> Reached:
    """The release from which time at the current level counts: the last `history` entry's `until`; without
    history, the release where the API's routes reached its level in the OpenAPI spec, else the first release
    touching the API."""
    if api.history:
        until = api.history[-1].until
        shipped = next((r for r in evidence.releases if r.version is not None and r.version >= until), None)
        return Reached(until, shipped, inferred=False)
    spec = next((r for r in evidence.releases if surface is not None and r.tag == surface.reached), None)
    if spec is not None:
        return Reached(spec.version, spec, inferred=False, from_spec=True)
    first = next((r for r in evidence.releases if r.commits), None)
    return Reached(first.version if first else None, first, inferred=True)


def minor_lines(releases: Sequence[Activity], since: Version) -> list[MinorLine]:
    """The minor lines (X.Y with its patches) whose X/Y release is at or after `since`, oldest first."""
    groups: dict[tuple[int, ...], list[Activity]] = {}
    for release in releases:
        assert release.version is not None
        groups.setdefault(release.version.release[:2], []).append(release)
    return [
        MinorLine(".".join(map(str, key)), tuple(group))
        for key, group in sorted(groups.items())
        if group[0].version is not None and group[0].version >= since
    ]


def propose(api: ApiConfig, evidence: ApiEvidence, *, config: GraduationConfig, today: date, at: Version,
            surface: SurfaceEvidence | None = None, python: SurfaceEvidence | None = None) -> Proposal:
    """The proposal to move `api` one level up (or, at a stable level, its flags only).

    `python`: what its Python packages did per release (only read for an API with `python` packages)."""
    since = reached(api, evidence, surface)
    at_level = _at_level(evidence.releases, since)
    lines = _lines(evidence, since)
    to = next_level(api.level)
    criteria: tuple[Criterion, ...] = ()
    if to is not None:
        step = config.to_stable if to.stage == Stage.STABLE else config.to_beta
        criteria = _criteria(api, evidence, step, since, lines, today, surface)
        if api.python:
            criteria += (_python_settled(api, step, lines, python),)
    breaking = tuple(b for r in at_level for b in r.breaking) + evidence.unreleased.breaking
    return Proposal(
        api=api.name, level=api.level, to=to, criteria=criteria, flags=_flags(api, lines, config),
        reached=since, lines=lines, releases=tuple(at_level), unreleased=evidence.unreleased,
        breaking=breaking, level_history=level_history(api, since), at=at,
        days=(today - since.release.date.date()).days if since.release and since.release.date else None,
    )


def flags(api: ApiConfig, evidence: ApiEvidence, *, config: GraduationConfig,
          surface: SurfaceEvidence | None = None) -> tuple[Flag, ...]:
    """Warnings that propose nothing: permabeta, stability-risk."""
    return _flags(api, _lines(evidence, reached(api, evidence, surface)), config)


def level_history(api: ApiConfig, since: Reached) -> tuple[LevelSpan, ...]:
    spans: list[LevelSpan] = []
    start: Version | None = None
    for change in api.history:
        spans.append(LevelSpan(change.level, start, change.until))
        start = change.until
    spans.append(LevelSpan(api.level, start if api.history else since.version, None))
    return tuple(spans)


def _lines(evidence: ApiEvidence, since: Reached) -> tuple[MinorLine, ...]:
    """The minor releases at the current level (a line opened before the level was reached does not count)."""
    if since.release is None or since.release.version is None:
        return ()
    return tuple(minor_lines(evidence.releases, since.release.version))


def _at_level(releases: Sequence[Activity], since: Reached) -> list[Activity]:
    if since.release is None or since.release.version is None:
        return []
    first = since.release.version
    return [r for r in releases if r.version is not None and r.version >= first]


def _criteria(api: ApiConfig, evidence: ApiEvidence, step: GraduationStep, since: Reached,
              lines: Sequence[MinorLine], today: date, surface: SurfaceEvidence | None) -> tuple[Criterion, ...]:
    routes = bool(api.routes) or not api.python  # a Python-only API has no routes to settle or deprecate
    found = [
        _time(api, step, since, lines, today, released=bool(evidence.releases)),
        _quiet(api, step, lines, evidence.unreleased),
        *((_settled(api, step, lines, surface),) if routes else ()),
    ]
    if api.level.stage == Stage.BETA:  # beta → stable asks for more
        found += [_tests(api, evidence), *((_deprecated(api, surface),) if routes else ())]
    return tuple(found)


def _time(api: ApiConfig, step: GraduationStep, since: Reached, lines: Sequence[MinorLine], today: date,
          released: bool) -> Criterion:
    title = f"At {api.level} for ≥ {plural(step.minor_releases, 'minor release')} and ≥ {plural(step.days, 'day')}"
    if since.release is None or since.release.date is None:
        return Criterion("time-at-level", title, False, _not_reached(api, since, released))
    start = since.release.date.date()
    days = (today - start).days
    count = len(lines)
    met = count >= step.minor_releases and days >= step.days
    inferred = (f"; no level history, so counted from the first release touching {api.name}" if since.inferred
                else f"; counted from where its routes reached {api.level} in the OpenAPI spec" if since.from_spec
                else "")
    evidence = (f"{plural(count, 'minor release')} at {api.level}{_names(lines)} and {plural(days, 'day')} since "
                f"{since.release.tag} ({start.isoformat()}{inferred})")
    if not met:
        needs = []
        if count < step.minor_releases:
            needs.append(plural(step.minor_releases - count, "more minor release"))
        if days < step.days:
            when = (start + timedelta(step.days)).isoformat()
            needs.append(f"{plural(step.days - days, 'more day')} (on or after {when})")
        evidence += f"; needs {' and '.join(needs)}"
    return Criterion("time-at-level", title, met, evidence)


def _not_reached(api: ApiConfig, since: Reached, released: bool) -> str:
    if since.version is not None:
        return f"{api.name} becomes {api.level} at {since.version}, which is not released yet"
    if not released:
        return "the repository has no final release yet: nothing to count from"
    return f"no release has touched {api.name} yet (no commit with its scopes or paths): nothing to count from"


def _quiet(api: ApiConfig, step: GraduationStep, lines: Sequence[MinorLine], unreleased: Activity) -> Criterion:
    wanted = step.quiet_minors
    title = f"Quiet: no breaking change in {_last(wanted)}"
    pending = unreleased.breaking
    later = f"; {_changes(pending)} not released yet, so the next release breaks {api.name}" if pending else ""
    if len(lines) < wanted:
        have = _only(api, lines)
        return Criterion("quiet", title, False, f"{have}; needs {wanted} to judge{later}")
    window = lines[len(lines) - wanted:]
    found = [b for line in window for b in line.breaking]
    if found:
        evidence = f"{_changes(found)} to {api.name} in {_last(wanted)}{_names(window)}"
    else:
        evidence = f"no breaking change to {api.name} in {_last(wanted)}{_names(window)}"
    return Criterion("quiet", title, not found and not pending, evidence + later)


def _only(api: ApiConfig, lines: Sequence[MinorLine]) -> str:
    if not lines:
        return f"no minor release at {api.level} yet"
    return f"only {plural(len(lines), 'minor release')} at {api.level}{_names(lines)}"


def _changes(changes: Sequence[BreakingChange]) -> str:
    listed = ", ".join(f"{c.sha[:7]}" + (f" in {c.release}" if c.release else "") for c in changes[:_LISTED])
    more = f" and {len(changes) - _LISTED} more" if len(changes) > _LISTED else ""
    return f"{plural(len(changes), 'breaking change')} ({listed}{more})"


def _settled(api: ApiConfig, step: GraduationStep, lines: Sequence[MinorLine],
             surface: SurfaceEvidence | None) -> Criterion:
    title = f"Surface settled: no route added or removed in {_last(step.settled_minors)}"
    return _surface_settled("surface-settled", title, ("route", "spec diff", UNKNOWN_SURFACE), api, step, lines,
                            surface)


def _python_settled(api: ApiConfig, step: GraduationStep, lines: Sequence[MinorLine],
                    surface: SurfaceEvidence | None) -> Criterion:
    """A settled Python surface: no public object added, removed or broken in the last minor lines."""
    title = (f"Python API settled: no public object added, removed or broken in {_last(step.settled_minors)} "
             f"({', '.join(api.python)})")
    return _surface_settled("python-surface-settled", title, ("public object", "package diff", UNKNOWN_PYTHON), api,
                            step, lines, surface)


def _surface_settled(name: str, title: str, words: tuple[str, str, str], api: ApiConfig, step: GraduationStep,
                     lines: Sequence[MinorLine], surface: SurfaceEvidence | None) -> Criterion:
    """Whether `surface` moved in the last `settled-minors` minor lines; `words`: (what moves, what is
    compared, why it is unknown without evidence)."""
    noun, diff, unknown_text = words
    wanted = step.settled_minors
    if surface is None:
        return Criterion(name, title, None, unknown_text)
    if len(lines) < wanted:
        have = _only(api, lines)
        return Criterion(name, title, False, f"{have}; needs {wanted} to judge")
    window = lines[len(lines) - wanted:]
    known = {r.tag: r for r in surface.releases}
    tags = [r.tag for line in window for r in line.releases if r.tag is not None]
    unknown = [tag for tag in tags if tag not in known]
    if unknown:
        return Criterion(name, title, None, f"unknown: no {diff} for {', '.join(unknown)}")
    changed = [
        f"{tag} {verb} {_listing(items)}"
        for tag in tags
        for verb, items in (("added", known[tag].added), ("removed", known[tag].removed),
                            ("broke", known[tag].changed))
        if items
    ]
    if changed:
        return Criterion(name, title, False, "; ".join(changed))
    return Criterion(name, title, True, f"no {noun} added or removed in {_last(wanted)}{_names(window)}")


def _tests(api: ApiConfig, evidence: ApiEvidence) -> Criterion:
    title = "Conformance tests exist at HEAD"
    if not api.tests:
        return Criterion("conformance-tests", title, False,
                         f'no `tests` globs configured for {api.name}; add e.g. `tests = ["tests/api/{api.name}/**"]`')
    globs = ", ".join(f"`{glob}`" for glob in api.tests)
    files = evidence.test_files
    if not files:
        return Criterion("conformance-tests", title, False, f"no file at HEAD matches {globs}")
    verb = "matches" if len(files) == 1 else "match"
    listed = _listing([f"`{name}`" for name in files])
    return Criterion("conformance-tests", title, True, f"{plural(len(files), 'file')} at HEAD {verb} {globs}: {listed}")


def _deprecated(api: ApiConfig, surface: SurfaceEvidence | None) -> Criterion:
    title = "No deprecated routes still served"
    if surface is None:
        return Criterion("no-deprecated-routes", title, None, UNKNOWN_SURFACE)
    if surface.deprecated:
        served = f"{plural(len(surface.deprecated), 'deprecated route')} still served: {_listing(surface.deprecated)}"
        return Criterion("no-deprecated-routes", title, False, served)
    return Criterion("no-deprecated-routes", title, True, f"no deprecated route of {api.name} at HEAD")


def _flags(api: ApiConfig, lines: Sequence[MinorLine], config: GraduationConfig) -> tuple[Flag, ...]:
    found: list[Flag] = []
    if api.level.stage == Stage.BETA and len(lines) > config.permabeta_minors:
        found.append(Flag("permabeta", (
            f"{api.name} has been {api.level} for {plural(len(lines), 'minor release')}{_names(lines)}, more than "
            f"{config.permabeta_minors}: graduate it, or record why it stays beta and what would end it"
        )))
    if api.level.stage == Stage.STABLE and config.risk_window > 0:
        window = lines[-config.risk_window:]
        broken = [line for line in window if line.breaking]
        if broken and len(broken) >= config.risk_breaking_minors:
            found.append(Flag("stability-risk", (
                f"{api.name} ({api.level}) had breaking changes in {len(broken)} of its last "
                f"{plural(len(window), 'minor release')}{_names(broken)}: its users are being broken; "
                "review the breaking changes below"
            )))
    return tuple(found)


# -- wording ------------------------------------------------------------------------------------------


def _last(count: int) -> str:
    return "the last minor release" if count == 1 else f"the last {count} minor releases"


def _names(lines: Sequence[MinorLine]) -> str:
    """` (0.5, 0.6, 0.7)`; long runs are shortened to ` (0.5 … 0.34)`."""
    if not lines:
        return ""
    if len(lines) > 2 * _LISTED:
        return f" ({lines[0].name} … {lines[-1].name})"
    return f" ({', '.join(line.name for line in lines)})"


def _listing(items: Sequence[str]) -> str:
    more = f" and {len(items) - _LISTED} more" if len(items) > _LISTED else ""
    return ", ".join(items[:_LISTED]) + more
