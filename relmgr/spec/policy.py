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

The Python packages' changes (`app/pyapi.py`) are judged by the same path, `judge_surface` with `PYTHON`'s
rule IDs: the object path stands where an operation would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from relmgr.config.model import PolicyConfig
from relmgr.history.versions import Stream, Version
from relmgr.policy.findings import (
    DECLARE,
    FORBIDDEN_STREAM,
    PY_FORBIDDEN_STREAM,
    PY_WARNING,
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
from relmgr.policy.levels import Level
from relmgr.policy.streams import ALL, allowed_streams, level_listed
from relmgr.spec import Severity, SpecChange
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


def needs_deprecation(change: SpecChange, level: Level, policy: PolicyConfig) -> bool:
    """An operation removed at a `require-deprecation` level that was not deprecated before."""
    return change.id in _UNDEPRECATED_REMOVALS and level_listed(level, policy.require_deprecation)


def relevant(change: SpecChange, level: Level, *, stream: Stream | None, version: Version | None,
             policy: PolicyConfig) -> bool:
    """Whether judging `change` at `level` can give a finding (the others need no attribution)."""
    if needs_deprecation(change, level, policy):
        return True
    if stream is None or change.severity is Severity.INFO:
        return False
    allowed = allowed_streams(level, policy, version)
    if allowed == ALL:
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


def judge_spec(impacts: Sequence[SpecImpact], verdict: Verdict, *, version: Version | None,
               policy: PolicyConfig, release: str | None = None) -> Verdict:
    """`verdict` (the commit messages') with the spec changes' findings added; never raises."""
    judged, judged_count = judge_surface(impacts, verdict, version=version, policy=policy, release=release)
    return replace(judged, spec_judged=judged_count)


def judge_surface(impacts: Sequence[SpecImpact], verdict: Verdict, *, version: Version | None,
                  policy: PolicyConfig, release: str | None = None,
                  surface: Surface = OPENAPI) -> tuple[Verdict, int]:
    """`verdict` with a surface's findings added, and how many breaking changes (× API) were judged."""
    stream = verdict.stream
    where = release_phrase(stream, release)
    violations, warnings = list(verdict.violations), list(verdict.warnings)
    covered = {(f.sha, f.api): i for i, f in enumerate(violations) if f.rule == FORBIDDEN_STREAM}
    evidence: dict[int, list[SpecChange]] = {}
    judged = 0
    for impact in impacts:
        if needs_deprecation(impact.change, impact.level, policy):
            violations.append(_undeprecated(impact, stream))
        if stream is None or impact.change.severity is Severity.INFO:
            continue
        allowed = allowed_streams(impact.level, policy, version)
        if allowed == ALL:
            continue
        if impact.change.severity is Severity.WARN:
            if stream not in allowed:
                warnings.append(_warning(impact, stream, where, allowed, surface))
            continue
        judged += 1
        key = (impact.culprit.sha, impact.api)
        if stream in allowed:
            if not impact.culprit.declared:
                warnings.append(_undeclared(impact, stream, where, allowed))
        elif not impact.culprit.declared:
            violations.append(_undeclared(impact, stream, where, allowed))
        elif key in covered:
            evidence.setdefault(covered[key], []).append(impact.change)
        else:
            violations.append(_forbidden(impact, stream, where, allowed, surface))
    for index, changes in evidence.items():
        violations[index] = _with_evidence(violations[index], changes, surface)
    return replace(verdict, violations=tuple(violations), warnings=tuple(warnings)), judged


def _finding(impact: SpecImpact, stream: Stream | None, rule: str, what: str, advice: str) -> Finding:
    c = impact.culprit
    return Finding(c.sha, c.subject, c.pr, impact.api, impact.level, stream, rule, f"{what}: {advice}",
                   f"`{impact.change.operation}` {impact.change.id}: {advice}", impact.change.operation)


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


def _forbidden(impact: SpecImpact, stream: Stream, where: str, allowed: frozenset[Stream],
               surface: Surface) -> Finding:
    what = f"{_changes(impact)} — a declared breaking change in {where}; {why_forbidden(impact.level, allowed)}"
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


def _with_evidence(finding: Finding, changes: Sequence[SpecChange], surface: Surface) -> Finding:
    """The commit message's violation, with what the surface shows of the same break."""
    listed = ", ".join(f"`{c.operation}` {c.id}" for c in changes[:_LISTED])
    more = f" and {len(changes) - _LISTED} more" if len(changes) > _LISTED else ""
    what = finding.message.removesuffix(f": {finding.advice}")
    return replace(finding, message=f"{what}; detected in {surface.evidence}: {listed}{more}: {finding.advice}",
                   object=finding.object or changes[0].operation)
