"""The unreleased work of HEAD and the version it needs: read once, shared by next-version, notes, check
and release."""

from __future__ import annotations

from dataclasses import dataclass

from relmgr.history.repository import Project, Range
from relmgr.policy.apis import Change
from relmgr.policy.bump import NextVersion, compute_next


@dataclass(frozen=True, slots=True)
class Plan:
    """The unreleased work of HEAD and the version it needs."""

    range: Range
    changes: list[Change]
    next: NextVersion

    @property
    def nothing_to_release(self) -> bool:
        return self.next.current is not None and self.next.stream is None


def plan_next(project: Project, head: str = "HEAD") -> Plan:
    """Read the unreleased work of `head` once and compute its next version (shared by notes and check)."""
    rng = project.unreleased_range(head)
    changes = project.changes(rng)
    pending = project.pending_prereleases(rng) if changes else []
    existing = [r.version for r in project.releases.releases]
    found = compute_next(changes, rng.base, registry=project.registry, config=project.config,
                         existing=existing, pending=pending)
    return Plan(rng, changes, found)
