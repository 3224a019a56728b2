"""The next version: the smallest release the policy allows for every change since the last release.

A breaking change needs the lowest stream in which its API's level may break (`policy.lowest_stream`),
`feat` needs Y, every other change Z; reverted pairs need nothing. Below 1.0.0 an X need is a Y release
unless `major-on-zero = true` (SemVer §4: anything may change in 0.y.z, so a 0.x minor is a 0.x major).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relmgr.config.model import Config
from relmgr.errors import UsageError
from relmgr.history.commits import is_package_release_commit
from relmgr.history.versions import Release, Stream, Style, Version, classify_stream, parse_version
from relmgr.policy.apis import Change, Impact, Registry, impacts
from relmgr.policy.findings import why_forbidden
from relmgr.policy.levels import Level
from relmgr.policy.streams import ALL, allowed_streams, lowest_stream, stream_rank

FIRST_RELEASE = "0.1.0"  # a repository's first release, whatever its history holds
PRE_LABELS = ("rc", "alpha", "beta", "dev")
# `--pre` label → PEP 440's normalised label (what `Version.pre_label` holds) and how each style writes it.
_PEP_LABEL = {"rc": "rc", "alpha": "a", "beta": "b", "dev": "dev"}
_PEP_TEXT = {"rc": "rc{n}", "alpha": "a{n}", "beta": "b{n}", "dev": ".dev{n}"}
_SEMVER_TEXT = {"rc": "-rc.{n}", "alpha": "-alpha.{n}", "beta": "-beta.{n}", "dev": "-dev.{n}"}
_TYPE_WHY = {"feat": "new feature", "fix": "fix", "perf": "performance improvement", "docs": "documentation"}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one change needs (at least) a given stream."""

    sha: str
    subject: str
    needs: Stream
    why: str


@dataclass(frozen=True, slots=True)
class NextVersion:
    current: Version | None  # the last release of HEAD; None before the first release
    next: Version
    stream: Stream | None  # None: nothing to release, or the first release
    reasons: tuple[Reason, ...]  # one per change that needs a release, the greatest needs first


def bump(version: Version, stream: Stream) -> Version:
    """`1.4.2` + Y → `1.5.0`; + X → `2.0.0`; + Z → `1.4.3`. A 4th part is dropped: `0.2.10.1` + Z → `0.2.11`."""
    major, minor, patch = version.release[:3]
    parts = {Stream.X: (major + 1, 0, 0), Stream.Y: (major, minor + 1, 0), Stream.Z: (major, minor, patch + 1)}
    return _version(".".join(map(str, parts[stream])))


def compute_next(
    changes: Sequence[Change], current: Release | None, *, registry: Registry, config: Config,
    existing: Sequence[Version] = (), pending: Sequence[Release] = (),
) -> NextVersion:
    """The next final version for `changes` (a range's, newest first) released after `current`.

    A patch that `existing` (every tagged version) already holds is skipped: with `v0.4.1` tagged on the
    release branch, main's next patch after `v0.4.0` is 0.4.2. (A taken minor or major is left for the
    caller to report: it means a release branch carries more than patches.)
    `pending` are pre-releases already cut from this history since `current`: a greater final among them
    (`1.0.0rc1` cut by hand after `0.9.0`) is the floor, since that release has been announced.
    """
    base = current.version if current else None
    # The level that judges a break is the API's level at the release being made, but that release is
    # what we are computing. Take the level at the smallest candidate (the Z bump): a level history entry
    # `until = "0.5.0"` means the API is still at its old level in every 0.4.x, so a break to it must be
    # judged at the old level; it has graduated only if the release turns out to be 0.5.0 anyway.
    probe = bump(base, Stream.Z) if base else _version(FIRST_RELEASE)
    reasons = _reasons(changes, registry, config, probe)
    if base is not None and base.release[0] == 0 and not config.major_on_zero:
        reasons = [_below_one(r) for r in reasons]
    reasons.sort(key=lambda r: -stream_rank(r.needs))  # stable: history order within a need
    need = reasons[0].needs if reasons else None
    floor = max(pending, key=lambda r: r.version.release, default=None)
    if base is None:
        nxt, stream = _version(FIRST_RELEASE), None
    elif need is None:
        nxt, stream = base, None
    else:
        nxt, stream = bump(base, need), need
        while stream == Stream.Z and any(nxt.same_as(e) for e in existing):
            nxt = bump(nxt, Stream.Z)
    if floor is not None and floor.version.release > nxt.release and (base is None or need is not None):
        nxt = _version(".".join(map(str, floor.version.release)))
        stream = classify_stream(nxt, base)
        if stream is not None:
            reasons.insert(0, Reason(floor.sha, floor.tag, stream, f"pre-release {floor.tag} was already cut"))
    return NextVersion(base, nxt, stream, tuple(reasons))


def _reasons(changes: Sequence[Change], registry: Registry, config: Config, probe: Version) -> list[Reason]:
    by_change: dict[str, list[Impact]] = {}
    for impact in impacts(changes, registry, probe, config.default_level):
        by_change.setdefault(impact.change.commit.sha, []).append(impact)
    reasons: list[Reason] = []
    for change in changes:
        if change.reverted or is_package_release_commit(change.commit.message):
            continue  # a reverted pair needs nothing; nor does another package's release commit
        commit = change.commit
        type_need = Stream.Y if commit.type == "feat" else Stream.Z
        type_why = _TYPE_WHY.get(commit.type or "", f"{commit.type} commit" if commit.type else "other commit")
        found = by_change.get(commit.sha, [])
        if not found:
            reasons.append(Reason(commit.sha, commit.subject, type_need, type_why))
            continue
        streams = [lowest_stream(i.level, config.policy, probe) for i in found]
        worst = max(range(len(found)), key=lambda k: stream_rank(streams[k]))  # first of the greatest
        break_need, break_why = streams[worst], _break_why(found[worst], config, probe)
        if stream_rank(type_need) > stream_rank(break_need):
            reasons.append(Reason(commit.sha, commit.subject, type_need, f"{type_why} ({break_why})"))
        else:
            reasons.append(Reason(commit.sha, commit.subject, break_need, break_why))
    return reasons


def _break_why(impact: Impact, config: Config, probe: Version) -> str:
    """`breaking change to files (v1beta): v1beta may break only in X or Y streams`."""
    level = impact.level
    target = impact.api if impact.api is not None else f"no configured API (default-level {level})"
    return f"breaking change to {target}" + ("" if impact.api is None else f" ({level})") + ": " + _rule(
        level, config, probe
    )


def _rule(level: Level, config: Config, probe: Version) -> str:
    allowed = allowed_streams(level, config.policy, probe)
    if allowed == ALL:
        return f"{level} may break in any stream"
    if not allowed:
        return f"{level} may break in no stream (policy), so an X release at least"
    return why_forbidden(level, allowed)


def _below_one(reason: Reason) -> Reason:
    if reason.needs != Stream.X:
        return reason
    why = f"{reason.why}; below 1.0.0 that is a Y release (major-on-zero = false)"
    return Reason(reason.sha, reason.subject, Stream.Y, why)


def next_prerelease(final: Version, label: str, existing: Sequence[Version], style: Style) -> Version:
    """The next `label` pre-release of `final`, numbered after the existing ones, written in `style`.

    Refuses a pre-release that would sort below one already tagged (a beta after an rc).
    """
    if label not in _PEP_LABEL:
        raise UsageError(f"--pre {label!r} is not a pre-release label; use one of {', '.join(PRE_LABELS)}")
    same_final = [v for v in existing if v.prerelease and v.release == final.release]
    numbers = [v.pre_number or 0 for v in same_final if v.pre_label == _PEP_LABEL[label]]
    number = max(numbers, default=0) + 1
    pattern = _PEP_TEXT[label] if style == "pep440" else _SEMVER_TEXT[label]
    candidate = _version(final.text + pattern.format(n=number))
    above = [v for v in same_final if v > candidate]
    if above:
        newest = max(above, key=lambda v: v.key)
        raise UsageError(
            f"{candidate} would sort before the existing pre-release {newest}; "
            f"cut the next one of that kind (--pre {_label_of(newest)}) instead"
        )
    return candidate


def _label_of(version: Version) -> str:
    by_pep = {pep: name for name, pep in _PEP_LABEL.items()}
    return by_pep.get(version.pre_label or "", version.pre_label or "rc")


def tag_style(releases: Sequence[Release]) -> Style:
    """How the repository writes pre-releases (`releases` oldest first): its latest rc/alpha/beta's style,
    else its latest pre-release's, else its latest non-plain tag's (`0.2.10.1` is PEP 440), else SemVer
    (`1.2.3` reads as SemVer).

    Dev tags come last because many projects tag `vX.Y.Z-dev` on main as a marker after each release
    while their real pre-releases read `vX.Y.ZrcN`: the marker's style must not decide the rc's.
    """
    pres = [r for r in releases if r.prerelease]
    named = [r for r in pres if r.version.pre_label != "dev"]
    marked = named or pres or [r for r in releases if r.version.style != "plain"]
    if marked and marked[-1].version.style != "plain":
        return marked[-1].version.style
    return "semver"


def _version(text: str) -> Version:
    version = parse_version(text)
    assert version is not None, text
    return version
