"""`check --pr`: a CI event's pull request judged as what it will land.

The PR's commits (`base..head`) are read once; its title (with its description and the commits' messages,
as GitHub writes a squash commit) is the commit the message gate judges; the stream is the one its base
branch implies (`ci.pr.base_stream`: a release branch takes a patch, anything else the next version of the
base's unreleased work plus the PR); its labels approve it (`approval-labels`). A merge queue's commits are
already what lands (the queue made the squash commit), so they are judged as they are. A tag push is judged
as `check --tag` judges the tag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from relmgr.app.check import Target, judge_target, release_target
from relmgr.ci.events import CiEvent
from relmgr.ci.pr import BaseStream, Squash, base_stream, dropped_warnings, in_pr, label_approvals, squash_commit
from relmgr.errors import GitError, UsageError
from relmgr.history.repository import Project, Range
from relmgr.history.versions import Release, Stream, Version
from relmgr.policy.apis import Change, impacts, to_changes
from relmgr.policy.bump import bump, compute_next
from relmgr.policy.findings import Verdict


@dataclass(frozen=True, slots=True)
class PrVerdict:
    event: CiEvent
    target: Target
    verdict: Verdict
    approved: frozenset[int]  # --approved and the labels combined
    by_label: bool  # the PR approved itself by one of `approval-labels`
    base: BaseStream | None  # None for a tag push


def judge_event(project: Project, event: CiEvent, approved: frozenset[int], stream: Stream | None,
                today: date) -> PrVerdict:
    """The verdict on what the event lands; `stream` overrides the base branch's."""
    if event.tag is not None:
        target = release_target(project, event.tag)
        return PrVerdict(event, target, judge_target(project, target, approved, today), approved, False, None)
    if event.number is None:
        raise UsageError(f"check --pr judges a pull request, a merge queue or a tag push, not a {event.describe()}; "
                         "run it on pull_request or merge_group events")
    own = label_approvals(event.number, event.labels, project.config.policy.approval_labels)
    everyone = approved | own
    target, squash, implied = pr_target(project, event, stream)
    verdict = judge_target(project, target, everyone, today)
    if squash is not None and squash.dropped:
        lands = target.lands_as or ()
        found = [i for i in impacts(lands, project.registry, target.version, project.config.default_level)
                 if project.ships(i.api)]
        verdict = replace(verdict, warnings=(*verdict.warnings, *dropped_warnings(found, squash, target.stream)))
    return PrVerdict(event, target, verdict, everyone, bool(own), implied)


def pr_target(project: Project, event: CiEvent, stream: Stream | None) -> tuple[Target, Squash | None, BaseStream]:
    """The PR's range as the release its base implies, with its squash commit (None in a merge queue)."""
    assert event.number is not None
    base_ref = event.base_sha or (f"origin/{event.base}" if event.base else None)
    if base_ref is None:
        raise UsageError(f"{event.describe()} names no base; pass the event payload (--event FILE)")
    head_sha = _resolve(project, event.head_sha or "HEAD", "head", event)
    base_sha = _resolve(project, base_ref, "base", event)
    rng = Range(f"{event.base or base_sha[:7]}..{event.head or head_sha[:7]}", (head_sha, f"^{base_sha}"), head_sha)
    commits = project.changes(rng)
    squash: Squash | None = None
    lands: tuple[Change, ...] | None = None
    if event.title is not None:
        squash = squash_commit(event.title, event.number, event.body, [c.commit for c in commits], head_sha)
        lands = tuple(to_changes([squash.commit], project.registry))
    declared = squash.commit.breaking if squash is not None else False
    adjusted = tuple(replace(c, commit=in_pr(c.commit, event.number, declared)) for c in commits)
    implied = base_stream(event.base, project.config)
    last = project.last_release(head_sha)
    version, wanted = _lands_in(project, last, stream or implied.stream, [*(lands or adjusted)], base_sha)
    prefix = project.config.tag_prefix
    label = f"{prefix}{version.text}, unreleased" if version else "unreleased"
    target = Target(rng, None, version, last.tag if last else None, wanted, label, adjusted, lands,
                    name=f"--pr #{event.number}")
    return target, squash, implied


def _lands_in(project: Project, last: Release | None, stream: Stream | None, lands: Sequence[Change],
              base_sha: str) -> tuple[Version | None, Stream | None]:
    """The version and stream the PR lands in: `stream`'s bump of the last release, else (`stream` None) what
    next-version computes for the base's unreleased work plus what the PR lands (at least a patch: the PR is
    a change to release). Before any release: `stream` as `check --stream` judges it, else a first release,
    which nothing can violate."""
    if last is None:
        return None, stream
    if stream is None:
        found = compute_next([*lands, *project.changes(project.unreleased_range(base_sha))], last,
                             registry=project.registry, config=project.config,
                             existing=[r.version for r in project.releases.releases])
        stream = found.stream or Stream.Z
        if found.stream is not None:
            return found.next, found.stream
    return bump(last.version, stream), stream


def _resolve(project: Project, ref: str, side: str, event: CiEvent) -> str:
    """The sha of the PR's `side`; one that is not in the clone says how to fetch it (exit 4)."""
    try:
        return project.repo.resolve(ref)
    except GitError:
        fetch = (f"; with pull_request_target, fetch it: git fetch origin +refs/pull/{event.number}/head"
                 if side == "head" and event.kind == "pull_request_target" else "")
        raise GitError(f"the {side} of {event.describe()}, {ref[:12]}, is not in this clone: check out with "
                       f"fetch-depth: 0{fetch}") from None
