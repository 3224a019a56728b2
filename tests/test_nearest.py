"""The nearest release from a walk stopped early gives the whole graph's answer, and reads little."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.history.ancestry import commits_not_reached, nearest, reach_masks
from relmgr.history.nearest import ClockSkew, nearest_tip
from relmgr.history.repository import Project
from tests.conftest import Repo


def git_order(parents: dict[str, tuple[str, ...]], dates: dict[str, int], tips: Sequence[str]) -> Iterator[
        tuple[str, tuple[str, ...]]]:
    """What `git rev-list --parents TIPS` lists: a queue by commit date, newest first, ties first come."""
    queue: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    counter = 0
    for tip in dict.fromkeys(tips):
        seen.add(tip)
        heapq.heappush(queue, (-dates[tip], counter, tip))
        counter += 1
    while queue:
        sha = heapq.heappop(queue)[2]
        for parent in parents[sha]:
            if parent not in seen:
                seen.add(parent)
                heapq.heappush(queue, (-dates[parent], counter, parent))
                counter += 1
        yield sha, parents[sha]


def whole_graph(parents: dict[str, tuple[str, ...]], head: str, tips: Sequence[str], keys: Sequence[int]) -> int:
    order = [sha for sha, _ in git_order(parents, {s: -i for i, s in enumerate(topo(parents, [head, *tips]))},
                                         [head, *tips])]
    graph = {sha: parents[sha] for sha in order}
    masks = reach_masks(graph, [head, *tips])
    counts = commits_not_reached(masks, 1, [1 << (i + 1) for i in range(len(tips))])
    found = nearest(counts, [(bool(masks.get(t, 0) & 1), k) for t, k in zip(tips, keys, strict=True)])
    assert found is not None
    return found


def topo(parents: dict[str, tuple[str, ...]], tips: Sequence[str]) -> list[str]:
    """Children before parents (commits are numbered so that parents have smaller numbers)."""
    reachable: set[str] = set()
    todo = list(tips)
    while todo:
        sha = todo.pop()
        if sha not in reachable:
            reachable.add(sha)
            todo.extend(parents[sha])
    return sorted(reachable, key=lambda s: -int(s))


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[str, tuple[str, ...]], dict[str, int], str, list[str], list[int]]:
    """A random DAG (parents numbered below their children), dates mostly increasing, a head and tagged tips."""
    size = draw(st.integers(2, 40))
    parents: dict[str, tuple[str, ...]] = {"0": ()}
    for n in range(1, size):
        first = draw(st.integers(max(0, n - 4), n - 1))
        extra = draw(st.lists(st.integers(0, n - 1), max_size=1 if draw(st.booleans()) else 0))
        parents[str(n)] = tuple(dict.fromkeys(str(p) for p in (first, *extra)))
    skew = draw(st.booleans())
    dates = {str(n): n * 10 + (draw(st.integers(-25, 25)) if skew else draw(st.integers(0, 9))) for n in range(size)}
    head = str(draw(st.integers(0, size - 1)))
    tips = draw(st.lists(st.integers(0, size - 1).map(str), min_size=1, max_size=8))
    keys = draw(st.lists(st.integers(0, 5), min_size=len(tips), max_size=len(tips)))
    return parents, dates, head, tips, keys


@given(histories())
@settings(max_examples=400)
def test_the_walk_gives_the_whole_graphs_answer(history: tuple[dict[str, tuple[str, ...]], dict[str, int], str,
                                                              list[str], list[int]]) -> None:
    parents, dates, head, tips, keys = history
    try:
        found = nearest_tip(git_order(parents, dates, [head, *tips]), head, tips, keys)
    except ClockSkew:
        return  # the caller answers from the whole graph
    expected = whole_graph(parents, head, tips, keys)
    assert found is not None
    # the same release, or one just as near by every rule (two tags of one version on one commit)
    assert found == expected or (tips[found], keys[found]) == (tips[expected], keys[expected])


def test_a_linear_history_reads_only_the_range() -> None:
    parents: dict[str, tuple[str, ...]] = {str(n): ((str(n - 1),) if n else ()) for n in range(10_000)}
    dates = {str(n): n for n in range(10_000)}
    tips = [str(n) for n in range(100, 9_900, 500)]
    read = 0

    def counted() -> Iterator[tuple[str, tuple[str, ...]]]:
        nonlocal read
        for item in git_order(parents, dates, ["9999", *tips]):
            read += 1
            yield item

    assert tips[nearest_tip(counted(), "9999", tips, list(range(len(tips)))) or 0] == "9600"
    assert read < 600  # 399 commits to the nearest tag, a look every 64, not the 10,000 of the history


def test_a_repository_with_release_branches(repo: Repo) -> None:
    """Through git: the walk's answer is the whole graph's for every branch tip, and stops early."""
    repo.commit("feat: start")
    repo.tag("v0.1.0")
    for n in range(30):
        repo.commit(f"feat: main {n}")
    repo.tag("v0.2.0")
    repo.branch("release-0.2.x")
    for n in range(5):
        repo.commit(f"fix: main {n}")
    repo.tag("v0.3.0")
    repo.commit("fix: after 0.3.0")
    repo.checkout("release-0.2.x")
    repo.commit("fix: backport", {"backport.txt": "x"})
    repo.tag("v0.2.1")
    repo.checkout("main")
    repo.merge("release-0.2.x")
    repo.commit("feat: head")
    project = Project.open(repo.path, None)
    for head in ("HEAD", "release-0.2.x", "v0.3.0", "HEAD~1", "HEAD~3"):
        finals = project.releases.finals()
        expected = project._nearest_in_graph(project.repo.resolve(head), finals)
        found = project.last_release(head)
        assert found is not None and expected is not None
        assert found.tag == finals[expected].tag, head
    listed = list(project.repo.walk([project.repo.resolve("HEAD")]))
    assert len(listed) == 40  # the walk itself lists the whole history when nobody stops it


def test_skewed_clocks_fall_back_to_the_whole_graph(repo: Repo) -> None:
    """A branch commit dated before its parent: git lists the parent (v0.2.0) before it, and the answer is
    still the whole graph's."""
    repo.commit("feat: start")
    repo.tag("v0.1.0")
    repo.commit("feat: more")
    repo.tag("v0.2.0")
    repo.branch("side")
    repo.commit("fix: on main", {"main.txt": "1"})
    repo.checkout("side")
    repo.now -= timedelta(days=30)  # a committer whose clock is a month late
    repo.commit("fix: from the past", {"side.txt": "1"})
    repo.tick(timedelta(days=31))
    repo.checkout("main")
    repo.merge("side")
    project = Project.open(repo.path, None)
    walked = [sha for sha, _ in project.repo.walk([project.repo.resolve("HEAD")])]
    assert walked.index(project.repo.resolve("v0.2.0")) < walked.index(project.repo.resolve("side"))
    finals = project.releases.finals()
    with pytest.raises(ClockSkew):
        nearest_tip(project.repo.walk([project.repo.resolve("HEAD"), *(r.sha for r in finals)]),
                    project.repo.resolve("HEAD"), [r.sha for r in finals], [r.version.key for r in finals])
    found = project.last_release()
    assert found is not None and found.tag == "v0.2.0"
