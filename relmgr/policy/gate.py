"""The gate over commit messages: each (breaking change × API) of a release judged by level and stream.

Pure: impacts (from `apis.impacts`) in, a `Verdict` out; the rules are `streams.py`'s, the phrases
`findings.py`'s. The OpenAPI half of the gate (`spec/policy.py`) adds its findings to this verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from relmgr.config.model import PolicyConfig
from relmgr.history.versions import Stream, Version
from relmgr.policy.apis import Impact, ProviderImpact
from relmgr.policy.findings import (
    FORBIDDEN_STREAM,
    MISSING_APPROVAL,
    MISSING_NOTE,
    NEAR_MISS,
    PROVIDER_BREAK_IN_PATCH,
    Finding,
    Verdict,
    carrier,
    release_phrase,
    why_forbidden,
)
from relmgr.policy.levels import Level
from relmgr.policy.streams import allowed_streams, level_listed


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
            violations.append(_unapproved(impact, stream, where, policy.approval_labels))
        if (stream != Stream.X and level_listed(impact.level, policy.require_note)
                and not impact.change.commit.message.breaking_notes):
            warnings.append(_unannounced(impact, stream, where))
    return Verdict(stream, len(impacts), tuple(violations), tuple(warnings))


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


def _forbidden(impact: Impact, stream: Stream, where: str, allowed: frozenset[Stream]) -> Finding:
    level = impact.level
    why = why_forbidden(level, allowed)
    if not allowed:
        advice = "revert it, or change the API's level" if impact.api else "revert it, or map it to its API"
    else:
        fix = "change the API's level" if impact.api else "map it to its API (by scope or path)"
        advice = f"move the change to a {carrier(stream, allowed)} release, revert it, or {fix}"
    return _finding(impact, stream, FORBIDDEN_STREAM, f"{_breaks(impact)} in {where}; {why}", advice)


def _unapproved(impact: Impact, stream: Stream, where: str, labels: Sequence[str] = ()) -> Finding:
    pr = impact.change.commit.pr
    why = f"{impact.level} breaks need a maintainer's approval"
    label = f"`{labels[0]}`" if labels else "`breaking-change`"
    if pr is None:
        what = f"{_breaks(impact)} in {where} and has no PR number (`(#123)` in its header) to approve"
        advice = f"land it through a pull request labelled {label}, or revert it"
    else:
        what = f"{_breaks(impact)} in {where} and PR #{pr} is not approved"
        advice = (f"label PR #{pr} {label} (approval-labels, read by check --pr) or pass it in --approved"
                  if labels else f"label PR #{pr} `breaking-change` and pass it in --approved or RELMGR_APPROVED")
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


def judge_providers(found: Sequence[ProviderImpact], verdict: Verdict, *, stream: Stream | None,
                    release: str | None, level_of: Callable[[str], Level]) -> Verdict:
    """Add `provider-break-in-patch` warnings: a `stable` provider's break in a Z-stream release. A provider
    change is never judged against its API's level (providers change freely within the API's bounds), so
    this is a warning, never a violation; experimental and deprecated providers may break in any release."""
    if stream is not Stream.Z:
        return verdict
    where = release_phrase(stream, release)
    warnings = []
    for impact in found:
        if impact.provider.maturity != "stable":
            continue
        commit, match = impact.change.commit, impact.provider
        what = (f"{commit.short} breaks the stable provider `{match.provider}` of `{match.api}` in {where}; "
                "stable providers should break only in a minor release")
        advice = "move the change to a minor release, make it compatible, or mark the provider experimental"
        warnings.append(Finding(commit.sha, commit.subject, commit.pr, match.api, level_of(match.api), stream,
                                PROVIDER_BREAK_IN_PATCH, f"{what}: {advice}", advice, object=match.provider))
    return replace(verdict, warnings=(*verdict.warnings, *warnings)) if warnings else verdict
