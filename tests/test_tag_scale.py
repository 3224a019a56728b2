"""Tag handling is sub-quadratic and still gives the same answers (issue 16 item 4, issue 18).

Each fast path is checked against the plain quadratic definition it replaced, on random inputs; the
growth itself is measured by scripts/tag_scale.py (a benchmark, not a timed test).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.history.ancestry import bit_totals, commits_not_reached
from relmgr.history.versions import build_releases, parse_version


@dataclass(frozen=True)
class Tag:
    name: str
    sha: str
    date: datetime


_VERSIONS = st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 2),
                      st.sampled_from(["", "rc1", "rc2", "a1", ".dev1", "-rc.1"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_VERSIONS, st.integers(0, 20)), max_size=30))
def test_previous_is_the_greatest_earlier_final_below(specs: list[tuple[tuple[int, int, int, str], int]]) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    tags = [Tag(f"v{a}.{b}.{c}{pre}", f"{i:040x}", start + timedelta(days=day))
            for i, ((a, b, c, pre), day) in enumerate(specs)]
    found = build_releases(tags, prefix="v")
    finals = [r for r in found.releases if not r.prerelease]
    for release in found.releases:
        below = [f for f in finals if f.version < release.version and f.date <= release.date]
        expected = max(below, key=lambda f: f.version.key).tag if below else None
        assert release.previous == expected, release.tag
        assert found.find(release.tag) is release


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(0, (1 << 12) - 1), st.integers(1, 5), max_size=40))
def test_bit_totals_count_each_bit(counts: dict[int, int]) -> None:
    assert bit_totals(counts, 12) == [sum(n for m, n in counts.items() if m >> i & 1) for i in range(12)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, (1 << 9) - 1), max_size=50))
def test_commits_not_reached_is_the_plain_count(masks: list[int]) -> None:
    by_sha = {f"c{i}": mask for i, mask in enumerate(masks)}
    bits = [1 << i for i in range(1, 9)]
    counts = Counter(m for m in masks if m & 1)
    expected = [sum(n for m, n in counts.items() if not m & bit) for bit in bits]
    assert commits_not_reached(by_sha, 1, bits) == expected


def test_a_version_of_thousands_of_digits_is_no_version() -> None:
    assert parse_version("1." + "9" * 5000) is None
    assert parse_version("9" * 5000 + ".0") is None
