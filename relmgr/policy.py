"""The level × stream rules: in which release streams an API at a given level may break.

Default preset (the leveling policy): alpha may break in any stream; beta in X and Y, never in a Z-stream;
v1 in X and Y (Y with a migration note), never in a Z-stream. The `semver` preset lets v1 break only in X
(below 1.0.0, X and Y, since 0.x minors are SemVer's majors). Per-level overrides in
`[tool.relmgr.policy]` replace a preset's cell: an exact level (`v2beta`) first, then its stage (`v1beta`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relmgr.apis import Impact
from relmgr.config import PolicyConfig
from relmgr.levels import Level, Stage
from relmgr.versions import Stream, Version

ALL = frozenset({Stream.X, Stream.Y, Stream.Z})
_XY = frozenset({Stream.X, Stream.Y})
_DEFAULT = {Stage.ALPHA: ALL, Stage.BETA: _XY, Stage.STABLE: _XY}
_ORDER = (Stream.Z, Stream.Y, Stream.X)


def allowed_streams(level: Level, policy: PolicyConfig, version: Version | None = None) -> frozenset[Stream]:
    """The streams in which an API at `level` may break, for a release of `version`."""
    for key in (str(level), level.stage_name):
        if key in policy.overrides:
            return policy.overrides[key]
    if policy.preset == "semver" and level.stage == Stage.STABLE:
        below_one = version is not None and version.release[0] == 0
        return frozenset({Stream.X, Stream.Y}) if below_one else frozenset({Stream.X})
    return _DEFAULT[level.stage]


def lowest_stream(level: Level, policy: PolicyConfig, version: Version | None = None) -> Stream:
    """The smallest release that may carry a break at `level` (X when no stream may)."""
    allowed = allowed_streams(level, policy, version)
    return next((s for s in _ORDER if s in allowed), Stream.X)


def stream_rank(stream: Stream) -> int:
    """Z < Y < X."""
    return _ORDER.index(stream)


def level_listed(level: Level, names: tuple[str, ...]) -> bool:
    """Whether a level appears in a list of level names (`require-note = ["v1"]`): exactly or by stage."""
    return str(level) in names or level.stage_name in names


# -- the gate: judging a range's breaking changes ---------------------------------------------------

# Stable rule ids (JSON `rule`, GitHub annotations); never rename one, add new ones instead.
FORBIDDEN_STREAM = "break-in-forbidden-stream"
MISSING_NOTE = "missing-migration-note"
MISSING_APPROVAL = "missing-approval"
NEAR_MISS = "near-miss-token"
# found in the OpenAPI specs (relmgr.spec_policy)
UNDECLARED_BREAK = "undeclared-breaking-change"
SPEC_FORBIDDEN_STREAM = "spec-break-in-forbidden-stream"
SPEC_WARNING = "spec-warning"
REMOVED_WITHOUT_DEPRECATION = "removed-without-deprecation"

_KIND = {Stream.X: "major", Stream.Y: "minor", Stream.Z: "patch"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule a breaking change (judged per API) broke: a violation or a warning, as data."""

    sha: str
    subject: str
    pr: int | None
    api: str | None  # None: the change maps to no configured API (judged at default-level)
    level: Level
    stream: Stream | None
    rule: str
    message: str  # one sentence: the commit, the API, the level, the rule and what to do
    advice: str  # just the "what to do" part, for tables


@dataclass(frozen=True, slots=True)
class Verdict:
    stream: Stream | None
    judged: int  # (breaking change × API) pairs judged
    violations: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    spec_judged: int | None = None  # OpenAPI breaking changes (× API) judged; None: no specs configured

    @property
    def ok(self) -> bool:
        return not self.violations


def judge(
    impacts: Sequence[Impact],
    *,
    stream: Stream | None,
    version: Version | None,
    policy: PolicyConfig,
    approved: frozenset[int] = frozenset(),
    release: str | None = None,
) -> Verdict:
    """Judge each (breaking change × API) pair of a release of `version` in `stream`; never raises.

    `release` names the release in messages (`v0.4.1`). A first release (stream None) cannot violate.
    """
    violations: list[Finding] = []
    warnings: list[Finding] = []
    where = release_phrase(stream, release)
    for impact in impacts:
        for token in impact.change.commit.message.near_misses:
            warnings.append(_near_miss(impact, stream, token))
        if stream is None:
            continue
        allowed = allowed_streams(impact.level, policy, version)
        if stream not in allowed:
            violations.append(_forbidden(impact, stream, where, allowed))
            continue
        if level_listed(impact.level, policy.require_approval) and impact.change.commit.pr not in approved:
            violations.append(_unapproved(impact, stream, where))
        if (stream != Stream.X and level_listed(impact.level, policy.require_note)
                and not impact.change.commit.message.breaking_notes):
            warnings.append(_unannounced(impact, stream, where))
    return Verdict(stream, len(impacts), tuple(violations), tuple(warnings))


def release_phrase(stream: Stream | None, release: str | None) -> str:
    """`a Z-stream release (v0.4.1)`, as findings name the release judged."""
    return (f"a {stream.value.upper()}-stream release" if stream else "a first release") + (
        f" ({release})" if release else ""
    )


def carrier(stream: Stream, allowed: frozenset[Stream]) -> str:
    """`minor`: the next bigger release that may carry a break (or, with odd overrides, the smallest that may)."""
    bigger = [s for s in _ORDER if s in allowed and stream_rank(s) > stream_rank(stream)]
    return _KIND[(bigger or [s for s in _ORDER if s in allowed])[0]]


def _finding(impact: Impact, stream: Stream | None, rule: str, what: str, advice: str) -> Finding:
    commit = impact.change.commit
    return Finding(commit.sha, commit.subject, commit.pr, impact.api, impact.level, stream, rule,
                   f"{what}: {advice}", advice)


def _breaks(impact: Impact) -> str:
    """`a1b2c3d breaks the v1 API `files`` (or names the default level for an unmapped change)."""
    short = impact.change.commit.short
    if impact.api is None:
        return f"{short} breaks no configured API (judged at default-level {impact.level})"
    return f"{short} breaks the {impact.level} API `{impact.api}`"


def streams_phrase(streams: frozenset[Stream]) -> str:
    """`X or Y streams`."""
    names = [s.value.upper() for s in reversed(_ORDER) if s in streams]
    return " or ".join(names) + " streams"


def _forbidden(impact: Impact, stream: Stream, where: str, allowed: frozenset[Stream]) -> Finding:
    level = impact.level
    if not allowed:
        why = f"{level} may never break"
        advice = "revert it, or change the API's level" if impact.api else "revert it, or map it to its API"
    else:
        why = f"{level} may break only in {streams_phrase(allowed)}"
        fix = "change the API's level" if impact.api else "map it to its API (by scope or path)"
        advice = f"move the change to a {carrier(stream, allowed)} release, revert it, or {fix}"
    return _finding(impact, stream, FORBIDDEN_STREAM, f"{_breaks(impact)} in {where}; {why}", advice)


def _unapproved(impact: Impact, stream: Stream, where: str) -> Finding:
    pr = impact.change.commit.pr
    why = f"{impact.level} breaks need a maintainer's approval"
    if pr is None:
        what = f"{_breaks(impact)} in {where} and has no PR number (`(#123)` in its header) to approve"
        advice = "land it through a pull request labelled `breaking-change`, or revert it"
    else:
        what = f"{_breaks(impact)} in {where} and PR #{pr} is not approved"
        advice = f"label PR #{pr} `breaking-change` and pass it in --approved or RELMGR_APPROVED"
    return _finding(impact, stream, MISSING_APPROVAL, f"{what}; {why}", advice)


def _unannounced(impact: Impact, stream: Stream, where: str) -> Finding:
    what = f"{_breaks(impact)} in {where} without a `BREAKING CHANGE:` note"
    why = f"{impact.level} breaks outside a major release need a migration note"
    advice = "add a `BREAKING CHANGE: <how to migrate>` footer (reword the commit or the PR's squash message)"
    return _finding(impact, stream, MISSING_NOTE, f"{what}; {why}", advice)


def _near_miss(impact: Impact, stream: Stream | None, token: str) -> Finding:
    api = f"the {impact.level} API `{impact.api}`" if impact.api else f"no API, default-level {impact.level}"
    what = f"{impact.change.commit.short} ({api}) writes `{token}:`, not a Conventional Commits token"
    advice = "write `BREAKING CHANGE:` (it counts as breaking anyway)"
    return _finding(impact, stream, NEAR_MISS, what, advice)
