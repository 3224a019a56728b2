"""The whole history of the final releases, read once: which commits each release's range holds.

A changelog needs every release's range (`previous..tag`), what earlier releases shipped and who had
contributed before each release. Asking git once per release costs a history walk each time; instead one
`git log` over all the releases' tags gives the commit graph, and each commit's mask (bit i: release i
reaches it) answers every range question. Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from relmgr.history.ancestry import children_first, log_order, reach_masks
from relmgr.history.commits import Commit


@dataclass(slots=True)
class GraphLog:
    """What the walk needs of every commit, merges included: filled while the log is read."""

    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dates: dict[str, int] = field(default_factory=dict)  # committer timestamps: what `git log` orders by
    emails: dict[str, str] = field(default_factory=dict)  # author emails, lower-cased

    def add(self, sha: str, parents: tuple[str, ...], timestamp: int, email: str) -> None:
        self.parents[sha] = parents
        self.dates[sha] = timestamp
        self.emails[sha] = email.lower()


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every commit reachable from `tips` (the final releases' commits, by index) and which tips reach it."""

    graph: GraphLog
    commits: dict[str, Commit]  # the non-merge commits, parsed
    groups: dict[int, list[str]]  # mask (bit i: tips[i] reaches the commit) → its commits, merges included

    def range_commits(self, tip: str, index: int, base: int | None) -> list[Commit]:
        """The commits of `base..tip` (tip: the commit of release `index`), as `git log` lists them."""
        inside = self._union(m for m in self.groups if m >> index & 1 and (base is None or not m >> base & 1))
        shas = log_order(self.graph.parents, self.graph.dates, tip, inside)
        return [self.commits[sha] for sha in shas if sha in self.commits]

    def held_by(self, indexes: Iterable[int], not_index: int) -> list[Commit]:
        """The commits reachable from some of the releases `indexes` and not from release `not_index`."""
        wanted = sum(1 << i for i in set(indexes))
        shas = self._union(m for m in self.groups if m & wanted and not m >> not_index & 1)
        return [self.commits[sha] for sha in sorted(shas) if sha in self.commits]

    def author_masks(self) -> dict[str, int]:
        """For each author email (lower-cased), the OR of the masks of their commits, merges included."""
        masks: dict[str, int] = {}
        for mask, shas in self.groups.items():
            for sha in shas:
                email = self.graph.emails[sha]
                masks[email] = masks.get(email, 0) | mask
        return masks

    def _union(self, masks: Iterable[int]) -> set[str]:
        found: set[str] = set()
        for mask in masks:
            found.update(self.groups[mask])
        return found


def group_by_mask(graph: GraphLog, tips: Sequence[str]) -> dict[int, list[str]]:
    """The commits of a history read from `tips`, grouped by mask (bit i: tips[i] reaches the commit)."""
    masks = reach_masks(children_first(graph.parents), tips)
    groups: dict[int, list[str]] = {}
    for sha in graph.parents:
        groups.setdefault(masks.get(sha, 0), []).append(sha)
    return groups
