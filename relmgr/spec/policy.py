"""The OpenAPI half of the gate: a release's spec changes, attributed to commits, judged by level and stream.

Pure: spec changes, the commits that made them and the commit-message verdict in, a merged verdict out.
The policy is `relmgr.policy`'s (the same `allowed_streams`); oasdiff's severities say what breaks:

- ERR where the level may not break in the stream: a violation, `undeclared-breaking-change` when the commit
  is not marked breaking, else `spec-break-in-forbidden-stream`, unless the commit's own message already
  gave a `break-in-forbidden-stream` violation for that API: that one stays, with the spec's evidence added,
  so one commit × API is reported once.
- ERR where the stream allows it: passes when declared; undeclared, it is an `undeclared-breaking-change`
  warning (the leveling policy: breaking changes must be declared and announced).
- WARN where the level may not break in the stream: a `spec-warning`.
- A level that may break in every stream (alpha) is never reported.
- An operation removed at a `require-deprecation` level without having been deprecated in the release before
  (oasdiff's `api-removed-without-deprecation`, `api-path-removed-without-deprecation`): a
  `removed-without-deprecation` violation in every stream.
- A deprecated operation removed before its level's deprecation period is over (`[tool.relmgr.policy.
  deprecation]`, when it asks more than the release before): `removed-before-deprecation-period`, in every
  stream, naming the release it was deprecated in and the first release that may remove it. Removing a
  deprecated operation is still a break: where the level may not break in the stream, a
  `spec-break-in-forbidden-stream` violation; elsewhere it passes (the deprecation announced it).
- A route move (`operation-level-changed`: the old route left one level's prefix for another's) is one
  finding, `operation-level-changed`, judged as the old route's removal at its old level would be; a v1
  operation moved to a less stable level is a violation in every stream.

The Python packages' changes (`app/pyapi.py`) are judged by the same path, `judge_surface` with `PYTHON`'s
rule IDs: the object path stands where an operation would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from relmgr.config.model import DeprecationPeriod, PolicyConfig
from relmgr.history.versions import Stream, Version
from relmgr.policy.findings import (
    DECLARE,
    FORBIDDEN_STREAM,
    LEVEL_CHANGED,
    PY_FORBIDDEN_STREAM,
    PY_WARNING,
    REMOVED_BEFORE_PERIOD,
    REMOVED_WITHOUT_DEPRECATION,
    SPEC_FORBIDDEN_STREAM,
    SPEC_WARNING,
    UNDECLARED_BREAK,
    Finding,
    Verdict,
    carrier,
    release_phrase,
    why_forbidden,
)
from relmgr.policy.levels import Level, Stage
from relmgr.policy.streams import ALL, allowed_streams, level_listed, lowest_stream
from relmgr.spec.lifecycle import REMOVED_AFTER_DEPRECATION, Deprecated, describe_period, earliest_removal, period_met
from relmgr.spec.model import DEPRECATED_REMOVALS, LevelMove, Severity, SpecChange
from relmgr.spec.view import normalize_path

_UNDEPRECATED_REMOVALS = frozenset({"api-removed-without-deprecation", "api-path-removed-without-deprecation"})
# variants of one change that depend on the state before it (deprecated or not, sunset or not)
_VARIANT = re.compile(r"-(?:with|without)-deprecation$|-before-sunset$")
_LISTED = 3  # spec evidence added to a message names at most this many changes


@dataclass(frozen=True, slots=True)
class Surface:
    """What a surface's findings are called: their rule IDs, and where its evidence was found."""

    forbidden: str  # a declared break in a stream its level forbids
    warning: str  # a change that may break, in a stream its level forbids
    evidence: str  # "the OpenAPI spec"


OPENAPI = Surface(SPEC_FORBIDDEN_STREAM, SPEC_WARNING, "the OpenAPI spec")
PYTHON = Surface(PY_FORBIDDEN_STREAM, PY_WARNING, "the Python package")


@dataclass(frozen=True, slots=True)
class Culprit:
    """The commit a spec change is attributed to."""

    sha: str
    subject: str
    pr: int | None
    declared: bool  # its message marks it breaking
    attributed: bool = True  # False: no single commit of the range made it; the range's tip stands in

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True, slots=True)
class SpecImpact:
    """One spec change as the policy sees it: per API its route maps to, at its level, per culprit."""

    change: SpecChange
    api: str | None  # None: the route matches no API's `routes`
    level: Level
    culprit: Culprit


def _removal(change: SpecChange) -> SpecChange:
    """What the rules judge: a route move as the old route's removal."""
    return change.as_removal() if isinstance(change, LevelMove) else change


def needs_deprecation(change: SpecChange, level: Level, policy: PolicyConfig) -> bool:
    """An operation removed (or moved) at a `require-deprecation` level that was not deprecated before."""
    return _removal(change).id in _UNDEPRECATED_REMOVALS and level_listed(level, policy.require_deprecation)


def needs_period(change: SpecChange, level: Level, policy: PolicyConfig) -> bool:
    """A deprecated operation removed (or moved) at a level whose period asks more than the release before."""
    return _removal(change).id in DEPRECATED_REMOVALS and not policy.deprecation_period(level).trivial


def deprecation_key(change: SpecChange) -> tuple[str, str]:
    """How deprecation records are keyed: method and path template (parameter names aside)."""
    return change.method, normalize_path(change.path)


def _demotes(change: SpecChange, level: Level) -> bool:
    """A stable operation moved to a less stable level."""
    return (isinstance(change, LevelMove) and level.stage is Stage.STABLE and Level.is_valid(change.to_level)
            and Level.parse(change.to_level).stage < Stage.STABLE)


def relevant(change: SpecChange, level: Level, *, stream: Stream | None, version: Version | None,
             policy: PolicyConfig) -> bool:
    """Whether judging `change` at `level` can give a finding (the others need no attribution)."""
    if needs_deprecation(change, level, policy) or needs_period(change, level, policy) or _demotes(change, level):
        return True
    if stream is None:
        return False
    allowed = allowed_streams(level, policy, version)
    if allowed == ALL:
        return False
    if _removal(change).id in REMOVED_AFTER_DEPRECATION:
        return stream not in allowed
    if change.severity is Severity.INFO:
        return False
    return change.severity is Severity.ERR or stream not in allowed


# -- attribution -------------------------------------------------------------------------------------


def _keys(change: SpecChange) -> tuple[tuple[str, ...], ...]:
    """From exact to loose: the same finding; the same check on the operation; the same kind of change."""
    path = normalize_path(change.path)
    kind = _VARIANT.sub("", change.id).replace("api-path-removed", "api-removed")
    return (change.id, change.method, path, change.message), (change.id, change.method, path), (
        kind, change.method, path)


def attribute(release: Sequence[SpecChange],
              commits: Sequence[tuple[Culprit, Sequence[SpecChange]]]) -> list[tuple[Culprit, ...]]:
    """For each change of the release diff, the commits whose own diff shows it (the closest match wins).

    `commits` pairs each commit that changed the spec with its diff against its first parent.
    """
    indexed = [(culprit, [{_keys(c)[i] for c in changes} for i in range(3)]) for culprit, changes in commits]
    found: list[tuple[Culprit, ...]] = []
    for change in release:
        keys = _keys(change)
        culprits: tuple[Culprit, ...] = ()
        for i, key in enumerate(keys):
            culprits = tuple(culprit for culprit, sets in indexed if key in sets[i])
            if culprits:
                break
        found.append(culprits)
    return found


# -- judging -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """What judging removals of deprecated operations needs: since when each was deprecated (by
    `deprecation_key`, for the removals `needs_period` names) and the removing release's date."""

    deprecated: Mapping[tuple[str, str], Deprecated]
    removed_on: date


def judge_spec(impacts: Sequence[SpecImpact], verdict: Verdict, *, version: Version | None,
               policy: PolicyConfig, release: str | None = None, lifecycle: Lifecycle | None = None) -> Verdict:
    """`verdict` (the commit messages') with the spec changes' findings added; never raises."""
    judged, judged_count = judge_surface(impacts, verdict, version=version, policy=policy, release=release,
                                         lifecycle=lifecycle)
    return replace(judged, spec_judged=judged_count)


def judge_surface(impacts: Sequence[SpecImpact], verdict: Verdict, *, version: Version | None,
                  policy: PolicyConfig, release: str | None = None, surface: Surface = OPENAPI,
                  lifecycle: Lifecycle | None = None) -> tuple[Verdict, int]:
    """`verdict` with a surface's findings added, and how many breaking changes (× API) were judged."""
    judge = _Judge(verdict, version, policy, release, surface, lifecycle)
    for impact in impacts:
        if isinstance(impact.change, LevelMove):
            judge.move(impact)
        else:
            judge.change(impact)
    return judge.verdict()


class _Judge:
    def __init__(self, verdict: Verdict, version: Version | None, policy: PolicyConfig, release: str | None,
                 surface: Surface, lifecycle: Lifecycle | None) -> None:
        self.given, self.version, self.policy, self.lifecycle = verdict, version, policy, lifecycle
        self.surface = surface
        self.stream = verdict.stream
        self.where = release_phrase(self.stream, release)
        self.violations, self.warnings = list(verdict.violations), list(verdict.warnings)
        self.covered = {(f.sha, f.api): i for i, f in enumerate(self.violations) if f.rule == FORBIDDEN_STREAM}
        self.evidence: dict[int, list[SpecChange]] = {}
        self.judged = 0

    def verdict(self) -> tuple[Verdict, int]:
        for index, changes in self.evidence.items():
            self.violations[index] = _with_evidence(self.violations[index], changes, self.surface)
        return replace(self.given, violations=tuple(self.violations), warnings=tuple(self.warnings)), self.judged

    def _covered(self, impact: SpecImpact) -> bool:
        """A declared commit whose message already gave a forbidden-stream violation for this API."""
        index = self.covered.get((impact.culprit.sha, impact.api)) if impact.culprit.declared else None
        if index is None:
            return False
        self.evidence.setdefault(index, []).append(impact.change)
        return True

    def _too_early(self, impact: SpecImpact) -> Finding | None:
        """The deprecation period's violation, when the removal comes before the period is over."""
        change = _removal(impact.change)
        if not needs_period(change, impact.level, self.policy) or self.lifecycle is None:
            return None
        record = self.lifecycle.deprecated.get(deprecation_key(change))
        period = self.policy.deprecation_period(impact.level)
        if record is None or period_met(record, period, self.lifecycle.removed_on):
            return None
        stream = lowest_stream(impact.level, self.policy, self.version)
        first, when = earliest_removal(record, period, self.version, stream, serving=1)
        return _before_period(impact, self.stream, record, period, first, when)

    def change(self, impact: SpecImpact) -> None:
        change = impact.change
        if needs_deprecation(change, impact.level, self.policy):
            self.violations.append(_undeprecated(impact, self.stream))
        elif (early := self._too_early(impact)) is not None:
            self.violations.append(early)
        stream = self.stream
        if stream is None:
            return
        allowed = allowed_streams(impact.level, self.policy, self.version)
        if allowed == ALL or (change.severity is Severity.INFO and change.id not in REMOVED_AFTER_DEPRECATION):
            return
        if change.id in REMOVED_AFTER_DEPRECATION:
            if stream not in allowed and not self._covered(impact):
                self.violations.append(_forbidden(impact, stream, self.where, allowed, self.surface, deprecated=True))
            return
        if change.severity is Severity.WARN:
            if stream not in allowed:
                self.warnings.append(_warning(impact, stream, self.where, allowed, self.surface))
            return
        self.judged += 1
        if stream in allowed:
            if not impact.culprit.declared:
                self.warnings.append(_undeclared(impact, stream, self.where, allowed))
        elif not impact.culprit.declared:
            self.violations.append(_undeclared(impact, stream, self.where, allowed))
        elif not self._covered(impact):
            self.violations.append(_forbidden(impact, stream, self.where, allowed, self.surface))

    def move(self, impact: SpecImpact) -> None:
        """One finding at most: the first rule the old route's removal (or the demotion) breaks."""
        found = self._move_violation(impact)
        if found is not None:
            self.violations.append(found)
            return
        stream, removal = self.stream, _removal(impact.change)
        allowed = allowed_streams(impact.level, self.policy, self.version)
        breaks = removal.severity is Severity.ERR or removal.id in REMOVED_AFTER_DEPRECATION
        if stream is None or allowed == ALL or not breaks:
            return
        self.judged += removal.severity is Severity.ERR
        if stream not in allowed:
            if not self._covered(impact):
                how = (f"the old {impact.level} route is not served in {self.where}; "
                       f"{why_forbidden(impact.level, allowed)}")
                advice = (f"keep serving {impact.change.path} as well (an alias) and remove it in a "
                          f"{carrier(stream, allowed)} release" if allowed else f"keep serving {impact.change.path}")
                self.violations.append(_moved(impact, stream, how, advice))
        elif removal.severity is Severity.ERR and not impact.culprit.declared:
            how = (f"the old {impact.level} route is gone in {self.where}, an undeclared breaking change; breaking "
                   "changes must be declared so that notes and version bumps see them")
            advice = f"{DECLARE}, or keep serving {impact.change.path} as well (an alias)"
            self.warnings.append(_moved(impact, stream, how, advice))

    def _move_violation(self, impact: SpecImpact) -> Finding | None:
        change, level, stream = impact.change, impact.level, self.stream
        assert isinstance(change, LevelMove)
        if _demotes(change, level):
            how = f"a {level} operation may not move to a less stable level ({change.to_level})"
            advice = f"keep serving {change.path} (deprecate it first if it must go), and serve the new route beside it"
            return _moved(impact, stream, how, advice)
        if needs_deprecation(change, level, self.policy):
            how = (f"the old route was not `deprecated: true` in the release before; {level} routes are deprecated "
                   "in one release and removed in a later one")
            advice = (f"keep serving {change.path} as well (an alias), `deprecated: true`, and remove it in a "
                      "later release")
            return _moved(impact, stream, how, advice)
        early = self._too_early(impact)
        return replace(early, rule=LEVEL_CHANGED) if early is not None else None


def _finding(impact: SpecImpact, stream: Stream | None, rule: str, what: str, advice: str) -> Finding:
    c = impact.culprit
    change = impact.change
    return Finding(c.sha, c.subject, c.pr, impact.api, impact.level, stream, rule, f"{what}: {advice}",
                   f"`{change.operation}` {change.id}: {advice}", change.operation, change.id, change.details,
                   change.message)


def _changes(impact: SpecImpact, verb: str = "changes") -> str:
    """`a1b2c3d changes `DELETE /v1/files/{id}` of the v1 API `files`: api-removed-without-deprecation (…)`."""
    c, change = impact.culprit, impact.change
    who = c.short if c.attributed else f"{c.short} (not attributable to one commit)"
    api = f"the {impact.level} API `{impact.api}`" if impact.api else f"no configured API (at {impact.level})"
    return f"{who} {verb} `{change.operation}` of {api}: {change.id} ({change.message})"


def _undeclared(impact: SpecImpact, stream: Stream, where: str, allowed: frozenset[Stream]) -> Finding:
    what = f"{_changes(impact)} — an undeclared breaking change in {where}"
    if stream in allowed:
        what += "; breaking changes must be declared so that notes and version bumps see them"
        advice = f"{DECLARE}: reword the commit or the PR's squash message"
    elif allowed:
        what += f"; {why_forbidden(impact.level, allowed)}"
        advice = f"revert it, or {DECLARE} and ship it in a {carrier(stream, allowed)} release"
    else:
        what += f"; {why_forbidden(impact.level, allowed)}"
        advice = "revert it"
    return _finding(impact, stream, UNDECLARED_BREAK, what, advice)


def _forbidden(impact: SpecImpact, stream: Stream, where: str, allowed: frozenset[Stream], surface: Surface, *,
               deprecated: bool = False) -> Finding:
    kind = ("the removal of a deprecated operation, still a breaking change," if deprecated
            else "a declared breaking change")
    what = f"{_changes(impact)} — {kind} in {where}; {why_forbidden(impact.level, allowed)}"
    fix = "change the API's level" if impact.api else "map the route to its API (`routes`)"
    advice = f"move it to a {carrier(stream, allowed)} release, revert it, or {fix}" if allowed else "revert it"
    return _finding(impact, stream, surface.forbidden, what, advice)


def _warning(impact: SpecImpact, stream: Stream, where: str, allowed: frozenset[Stream],
             surface: Surface) -> Finding:
    what = f"{_changes(impact)} — may break clients in {where}; {why_forbidden(impact.level, allowed)}"
    advice = "check that clients cope; if it breaks them, " + (
        f"{DECLARE} and ship it in a {carrier(stream, allowed)} release" if allowed else "revert it")
    return _finding(impact, stream, surface.warning, what, advice)


def _undeprecated(impact: SpecImpact, stream: Stream | None) -> Finding:
    what = (f"{_changes(impact, 'removes')} — it was not `deprecated: true` in the release before; "
            f"{impact.level} routes are deprecated in one release and removed in a later one")
    advice = "restore it, mark it `deprecated: true` (with an `x-sunset` date), and remove it in a later release"
    return _finding(impact, stream, REMOVED_WITHOUT_DEPRECATION, what, advice)


def _moved(impact: SpecImpact, stream: Stream | None, how: str, advice: str) -> Finding:
    return _finding(impact, stream, LEVEL_CHANGED, f"{_changes(impact, 'moves')} — {how}", advice)


def _before_period(impact: SpecImpact, stream: Stream | None, record: Deprecated, period: DeprecationPeriod,
                   first: Version | None, when: date | None) -> Finding:
    since = (f"{record.since} ({record.since_date.isoformat()})" if record.since and record.since_date
             else "this release")
    served = f"{record.served} release" + ("" if record.served == 1 else "s")
    may = f"{first} at the earliest" if first is not None else "a later release"
    if when is not None:
        may += f", and not before {when.isoformat()}"
    what = (f"{_changes(impact, 'removes')} — it was deprecated in {since}; {impact.level} operations stay deprecated "
            f"for {describe_period(period)} before they are removed, and it stayed {served}: the first release that "
            f"may remove it is {may}")
    advice = f"restore it, deprecated, and remove it in {may}"
    return _finding(impact, stream, REMOVED_BEFORE_PERIOD, what, advice)


def _with_evidence(finding: Finding, changes: Sequence[SpecChange], surface: Surface) -> Finding:
    """The commit message's violation, with what the surface shows of the same break."""
    listed = ", ".join(f"`{c.operation}` {c.id}" for c in changes[:_LISTED])
    more = f" and {len(changes) - _LISTED} more" if len(changes) > _LISTED else ""
    what = finding.message.removesuffix(f": {finding.advice}")
    return replace(finding, message=f"{what}; detected in {surface.evidence}: {listed}{more}: {finding.advice}",
                   object=finding.object or changes[0].operation)
