"""Reachability questions answered from one commit graph, never one git call per tag.

Each tip (a release tag, HEAD) gets a bit; walking the graph children-first ORs every commit's bits into
its parents, so a commit's mask says which tips reach it. Commits sharing a mask are counted together,
which keeps per-tag questions cheap even on 10⁵-commit histories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Mapping, Sequence
from heapq import heappop, heappush


def reach_masks(graph: Mapping[str, Sequence[str]], tips: Sequence[str]) -> dict[str, int]:
    """For each commit, the bitmask of `tips` (by index) that reach it. `graph` is children-first."""
    masks: dict[str, int] = {}
    for index, sha in enumerate(tips):
        masks[sha] = masks.get(sha, 0) | (1 << index)
    for sha, parents in graph.items():
        mask = masks.get(sha, 0)
        if mask:
            for parent in parents:
                masks[parent] = masks.get(parent, 0) | mask
    return masks


def commits_not_reached(masks: Mapping[str, int], head_bit: int, tip_bits: Sequence[int]) -> list[int]:
    """For each tip T, the number of commits in `T..HEAD` (reachable from HEAD, not from T).

    That is HEAD's commits less those whose mask has T's bit: `bit_totals` counts those for every bit at
    once, in O(D log T) steps for D distinct masks, not one pass over the masks per tip (quadratic).
    """
    counts = Counter(mask for mask in masks.values() if mask & head_bit)
    width = max((bit.bit_length() for bit in tip_bits), default=0)
    totals = bit_totals(counts, width)
    everything = sum(counts.values())
    return [everything - totals[bit.bit_length() - 1] for bit in tip_bits]


def bit_totals(counts: Mapping[int, int], width: int) -> list[int]:
    """For each bit i < `width`, the sum of the counts of the masks that have bit i set.

    The bits are halved again and again; masks that look alike on a half merge there, so the work is the
    number of distinct masks times log(width), not masks times bits.
    """
    totals = [0] * width
    stack: list[tuple[int, int, Mapping[int, int]]] = [(0, width, counts)]
    while stack:
        low, high, group = stack.pop()
        if high - low == 1:
            totals[low] = sum(n for mask, n in group.items() if mask & 1)
            continue
        half = (high - low) // 2
        keep = (1 << half) - 1
        lower: Counter[int] = Counter()
        upper: Counter[int] = Counter()
        for mask, n in group.items():
            if mask & keep:
                lower[mask & keep] += n
            if mask >> half:
                upper[mask >> half] += n
        stack.extend(part for part in ((low, low + half, lower), (low + half, high, upper)) if part[2])
    return totals


def nearest(counts: Sequence[int], order_keys: Sequence[object]) -> int | None:
    """Index of the tip with the fewest commits to HEAD, ties broken by the greatest order key."""
    if not counts:
        return None
    return min(range(len(counts)), key=lambda i: (counts[i], Descending(order_keys[i])))


class Descending:
    """Wraps a key so that min() prefers the greatest (`history.nearest` breaks its ties with it too)."""

    __slots__ = ("key",)

    def __init__(self, key: object) -> None:
        self.key = key

    def __lt__(self, other: Descending) -> bool:
        return bool(self.key > other.key)  # type: ignore[operator]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.key == other.key

    __hash__ = None  # type: ignore[assignment]


def children_first(graph: Mapping[str, Sequence[str]]) -> Mapping[str, Sequence[str]]:
    """`graph` ordered so that every commit comes before its parents, as `reach_masks` needs.

    `git log`'s default order already is, unless committer clocks were skewed; then Kahn's algorithm sorts it.
    """
    listed: set[str] = set()
    for sha, parents in graph.items():
        if any(parent in listed for parent in parents):
            break
        listed.add(sha)
    else:
        return graph
    waiting = Counter(parent for parents in graph.values() for parent in parents if parent in graph)
    ready = [sha for sha in reversed(list(graph)) if not waiting[sha]]
    ordered: dict[str, Sequence[str]] = {}
    while ready:
        sha = ready.pop()
        ordered[sha] = graph[sha]
        for parent in graph[sha]:
            if parent in graph:
                waiting[parent] -= 1
                if not waiting[parent]:
                    ready.append(parent)
    return ordered


def log_order(graph: Mapping[str, Sequence[str]], dates: Mapping[str, int], tip: str,
              inside: Container[str]) -> list[str]:
    """The commits of `inside` reachable from `tip` through `inside`, in `git log`'s default order.

    git walks a queue ordered by committer date, newest first, ties in the order it met them (revision.c);
    a range's commits are only ever met through commits of the range, so walking them alone gives git's
    order for `git log tip ^base` without asking git once per range.
    """
    if tip not in inside:
        return []
    queue = [(-dates[tip], 0, tip)]
    met = {tip}
    order: list[str] = []
    count = 1
    while queue:
        sha = heappop(queue)[2]
        while True:
            order.append(sha)
            parents = [p for p in graph.get(sha, ()) if p not in met and p in inside]
            met.update(parents)
            if len(parents) == 1 and not queue:  # a straight line, nothing else waiting: no queue needed
                sha = parents[0]
                continue
            for parent in parents:
                heappush(queue, (-dates[parent], count, parent))
                count += 1
            break
    return order
