"""Check a target: which range is judged as which release, and the policy's verdict on it.

Reads through the project, calls the pure gates (`policy.gate.judge`, `spec.policy.judge_spec`) and
returns a `Verdict`; `relmgr check` and `relmgr release` share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from relmgr.app.plan import plan_next
from relmgr.config.model import Waiver
from relmgr.errors import UsageError
from relmgr.history.repository import Project, Range
from relmgr.history.versions import Release, Stream, Version
from relmgr.policy.apis import Change, impacts, provider_impacts
from relmgr.policy.bump import bump
from relmgr.policy.findings import Verdict
from relmgr.policy.gate import judge, judge_providers

if TYPE_CHECKING:  # the spec policy is imported where specs are judged: a check without them skips it
    from relmgr.spec.policy import Lifecycle, SpecImpact


@dataclass(frozen=True, slots=True)
class Target:
    """What is judged: a range, as a release of `version` in `stream`."""

    range: Range
    tag: str | None  # the release's tag; None for unreleased work
    version: Version | None
    previous: str | None  # the tag of the release it follows
    stream: Stream | None
    label: str | None  # how messages name the release: "v0.4.1", "v0.4.2, unreleased"
    changes: tuple[Change, ...] | None = None  # already read (next-version read them), else None
    # what the commit-message gate judges when it is not `changes`: a pull request's squash commit
    lands_as: tuple[Change, ...] | None = None
    name: str | None = None  # how the headline names the target when it is no tag: "--pr #123"


def judge_target(project: Project, target: Target, approved: frozenset[int], today: date) -> Verdict:
    """The policy's verdict on a target's breaking changes, at its version's levels (`release` reuses it).

    `today` dates unreleased work (sunsets); a tagged release is judged as of its tag's date, so that its
    verdict never changes.
    """
    changes = target.changes if target.changes is not None else project.changes(target.range)
    judged = target.lands_as if target.lands_as is not None else changes
    found = [i for i in impacts(judged, project.registry, target.version, project.config.default_level)
             if project.ships(i.api)]
    verdict = judge(found, stream=target.stream, version=target.version, policy=project.config.policy,
                    approved=approved, release=target.label)
    providers = [i for i in provider_impacts(judged) if project.ships(i.provider.api)]
    verdict = judge_providers(providers, verdict, stream=target.stream, release=target.label,
                              level_of=lambda api: project.registry.level_at(api, target.version))
    if project.config.openapi.specs:
        when = project.release(target.tag).date.date() if target.tag else today
        verdict = _judge_specs(project, target, changes, verdict, when)
    if any(api.python for api in project.config.apis):
        verdict = _judge_python(project, target, changes, verdict)
    return waive(project, verdict, changes, today)


def waive(project: Project, verdict: Verdict, changes: Sequence[Change], today: date) -> Verdict:
    """The verdict without what the config's waivers (and its waivers file) name; `today` (the CLI's date,
    also for a tagged release: a waiver expires for everyone on the same day) decides which are expired."""
    from relmgr.policy.waivers import apply_waivers

    waivers = project.config.policy.waivers + _waivers_file(project)
    if not waivers:
        return verdict
    judged, warnings = apply_waivers(verdict, waivers, today=today, commits={c.commit.sha for c in changes})
    project.warnings.extend(warnings)
    return judged


def waivers_path(project: Project) -> Path | None:
    """The waivers file `[tool.relmgr.policy] waivers` names, relative to the config file (or the repository)."""
    name = project.config.policy.waivers_file
    if name is None:
        return None
    source = project.config.source
    return (source.parent if source is not None else project.repo.root) / name


def _waivers_file(project: Project) -> tuple[Waiver, ...]:
    """The waivers file's waivers; a missing file is a warning (nothing is waived: the gate only gets stricter)."""
    path = waivers_path(project)
    if path is None:
        return ()
    if not path.exists():
        project.warnings.append(f"{project.config.policy.waivers_file}: the waivers file "
                                "[tool.relmgr.policy] waivers names does not exist; nothing is waived "
                                "(write it with `relmgr check --write-waivers FILE`)")
        return ()
    from relmgr.config.load import read_waivers

    return read_waivers(path)


def _judge_python(project: Project, target: Target, changes: Sequence[Change], verdict: Verdict) -> Verdict:
    """Add the Python packages' findings: each package at the release before and at the tip, compared."""
    from relmgr.app.pyapi import python_impacts
    from relmgr.spec.policy import PYTHON, judge_surface, relevant

    previous = project.releases.find(target.previous) if target.previous else None
    if previous is None:
        return replace(verdict, python_judged=0)
    policy = project.config.policy
    found = [i for i in python_impacts(
        project, base=(previous.sha, previous.tag), tip=(target.range.tip, target.tag or target.range.tip[:7]),
        changes=changes, whole_range=_whole(project, target), version=target.version,
        keep=lambda change, level: relevant(change, level, stream=target.stream, version=target.version,
                                            policy=policy),
    ) if project.ships(i.api)]
    judged, count = judge_surface(found, verdict, version=target.version, policy=policy, release=target.label,
                                  surface=PYTHON)
    return replace(judged, python_judged=count)


def _judge_specs(project: Project, target: Target, changes: Sequence[Change], verdict: Verdict,
                 today: date) -> Verdict:
    """Add the OpenAPI findings: the specs at the release before and at the range's tip, diffed and judged."""
    # imported here: the spec engine and YAML cost a check without specs more than its git work
    from relmgr.app.specs import spec_impacts
    from relmgr.spec.policy import judge_spec, relevant

    previous = project.releases.find(target.previous) if target.previous else None
    if previous is None:  # a first release, or work before any: no spec to compare with
        return replace(verdict, spec_judged=0)
    tip = (target.range.tip, target.tag or target.range.tip[:7])
    policy = project.config.policy
    found = [i for i in spec_impacts(
        project, base=(previous.sha, previous.tag), tip=tip, changes=changes,
        whole_range=_whole(project, target), version=target.version, today=today,
        keep=lambda change, level: relevant(change, level, stream=target.stream, version=target.version,
                                            policy=policy),
    ) if project.ships(i.api)]
    return judge_spec(found, verdict, version=target.version, policy=policy, release=target.label,
                      lifecycle=_lifecycle(project, found, previous, today))


def _lifecycle(project: Project, impacts: Sequence[SpecImpact], previous: Release, removed_on: date) -> Lifecycle:
    """Since when each deprecated operation the range removes was deprecated, where its level's period asks
    more than the release before (nothing is read otherwise)."""
    from relmgr.spec.policy import Lifecycle, deprecation_key, needs_period

    policy = project.config.policy
    keys = {deprecation_key(i.change) for i in impacts if needs_period(i.change, i.level, policy)}
    if not keys:
        return Lifecycle({}, removed_on)
    from relmgr.app.lifecycle import deprecated_since, release_chain

    return Lifecycle(deprecated_since(project, keys, release_chain(project, previous)), removed_on)


def _whole(project: Project, target: Target) -> bool:
    """Whether the range is a whole release, so that what no commit of it made is its tip's. Not for one
    package of several: its commits are only those touching it, and the rest came from the others."""
    return target.range.base is not None and not project.paths


def target_of(project: Project, tag: str | None, stream: Stream | None, revision_range: str | None) -> Target:
    """The release to judge: a tag, unreleased work in a given stream, or (neither) as its next version."""
    if tag is not None:
        if stream is not None or revision_range is not None:
            raise UsageError("--tag judges a release's own range; drop --stream and RANGE, or drop --tag")
        return release_target(project, tag)
    if stream is None:
        if revision_range is not None:
            raise UsageError("a RANGE needs --stream z|y|x (the release it would become)")
        return next_target(project)
    return stream_target(project, stream, revision_range)


def next_target(project: Project) -> Target:
    """Unreleased work judged as the version `relmgr next-version` computes for it."""
    plan = plan_next(project)
    found = plan.next
    base = plan.range.base
    label = f"{project.config.tag_prefix}{found.next.text}, unreleased"
    return Target(plan.range, None, found.next, base.tag if base else None, found.stream, label,
                  tuple(plan.changes))


def release_target(project: Project, tag: str) -> Target:
    release = project.release(tag)
    return Target(project.release_range(release), release.tag, release.version, release.previous,
                  release.stream, release.tag)


def stream_target(project: Project, stream: Stream, revision_range: str | None) -> Target:
    """Unreleased work judged as the release it would become: the last release bumped in `stream`."""
    if revision_range is None:
        rng = project.unreleased_range()
        last = rng.base
    else:
        rng = project.parse_range(revision_range)
        last = project.last_release(rng.tip)
    version = bump(last.version, stream) if last is not None else None
    label = f"{project.config.tag_prefix}{version.text}, unreleased" if version else "unreleased"
    return Target(rng, None, version, last.tag if last else None, stream, label)
