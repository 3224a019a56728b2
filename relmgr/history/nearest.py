"""The release nearest to a commit, found by walking back from it and stopping as soon as the answer is
certain: what one release costs is its range, not the whole history.

The rules are those of `Project.last_release`: the tip T with the fewest commits in `T..head` (reachable
from head, not from T); a tie goes to a tip in head's history, then to the greater version. The walk is
git's (`rev-list --parents head T1 … Tn`, newest commit first, streamed). Each commit's mask says which
tips reach it (bit 0: head), as in `ancestry.reach_masks`, built as the commits come:

- a tip's count only grows as the walk goes on: it is the number of head's commits seen so far that the tip
  does not reach;
- a tip's count is final once every commit still queued (a parent of a listed commit, not listed yet) that
  head reaches is reached by the tip too: everything below them is the tip's history;
- the walk stops when the best final count can no longer be beaten or tied to advantage by any other tip.

In a history with a release every few hundred commits that is the range since the nearest release, plus
the few commits queued beside it. When skewed committer clocks make git list a parent before one of its
children, masks already counted would change: `ClockSkew` is raised and the caller answers from the whole
graph instead (`ancestry.reach_masks`), exactly as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from relmgr.history.ancestry import Descending

CHECK_EVERY = 64  # commits between two looks at whether the answer is certain (a look is O(masks × tips))


class ClockSkew(Exception):
    """git listed a commit after one of its parents: counts made so far may be wrong."""


def nearest_tip(walk: Iterable[tuple[str, Sequence[str]]], head: str, tips: Sequence[str],
                keys: Sequence[object]) -> int | None:
    """The index in `tips` of the tip nearest to `head` (None when there are no tips), from `walk`: the
    commits reachable from head and the tips with their parents, as git lists them (children first unless
    clocks are skewed). `keys` order the tips' versions (the greater wins a tie)."""
    if not tips:
        return None
    masks: dict[str, int] = {head: 1}
    for index, sha in enumerate(tips):
        masks[sha] = masks.get(sha, 0) | (2 << index)
    queued = dict.fromkeys(masks)  # tips and parents seen, not listed yet (insertion-ordered set)
    listed: set[str] = set()
    seen: Counter[int] = Counter()  # masks of the listed commits head reaches
    for count, (sha, parents) in enumerate(walk, 1):
        mask = masks.get(sha, 0)
        queued.pop(sha, None)
        listed.add(sha)
        for parent in parents:
            if parent in listed:
                raise ClockSkew(parent)
            masks[parent] = masks.get(parent, 0) | mask
            queued[parent] = None
        if mask & 1:
            seen[mask] += 1
        if count % CHECK_EVERY == 0 or not queued:
            found = _certain(seen, [masks[q] for q in queued if masks[q] & 1], tips, keys, masks)
            if found is not None:
                return found
    found = _certain(seen, [], tips, keys, masks)  # everything listed: every count is final
    assert found is not None
    return found


def _certain(seen: Counter[int], waiting: list[int], tips: Sequence[str], keys: Sequence[object],
             masks: dict[str, int]) -> int | None:
    """The nearest tip if no commit still to come can change it, else None. `waiting`: the masks of the
    queued commits head reaches."""
    common = -1
    for mask in waiting:
        common &= mask
    counts = [sum(n for mask, n in seen.items() if not mask & (2 << i)) for i in range(len(tips))]
    final = [not waiting or bool(common & (2 << i)) for i in range(len(tips))]
    in_history = [bool(masks.get(sha, 0) & 1) for sha in tips]
    settled = [i for i in range(len(tips)) if final[i]]
    if not settled:
        return None
    best = min(settled, key=lambda i: (counts[i], not in_history[i], Descending(keys[i])))
    for i in range(len(tips)):
        if final[i] or counts[i] > counts[best]:
            continue
        if counts[i] < counts[best]:
            return None  # still ahead, and its count may stay so
        # a tie so far: it may end tied and win on history (not known until final) or on version
        if not in_history[best] or Descending(keys[i]) < Descending(keys[best]):
            return None
    return best
