"""The deprecation lifecycle, pure: periods, the first release that may remove an operation, and the search
back through the releases (`app.lifecycle.earliest`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from relmgr.app.lifecycle import earliest
from relmgr.config.model import DeprecationPeriod
from relmgr.history.versions import Stream, parse_version
from relmgr.spec.lifecycle import Deprecated, describe_period, earliest_removal, period_met

SINCE = Deprecated("v0.4.0", parse_version("0.4.0"), date(2025, 1, 10), served=1)


def test_a_period_needs_releases_and_days() -> None:
    assert period_met(SINCE, DeprecationPeriod(1, 0), date(2025, 1, 11))
    assert not period_met(SINCE, DeprecationPeriod(2, 0), date(2026, 1, 1))
    assert not period_met(SINCE, DeprecationPeriod(1, 30), date(2025, 2, 8))
    assert period_met(SINCE, DeprecationPeriod(1, 30), date(2025, 2, 9))


def test_the_first_release_that_may_remove_it() -> None:
    after = parse_version("0.5.0")
    # removed in 0.5.0, which would have had to serve it too: 0.5.0 served, then a minor
    assert earliest_removal(SINCE, DeprecationPeriod(3, 90), after, Stream.Y, serving=1) == (
        parse_version("0.6.0"), date(2025, 4, 10))
    assert earliest_removal(SINCE, DeprecationPeriod(1, 0), parse_version("0.4.0"), Stream.Y) == (
        parse_version("0.5.0"), None)
    unreleased = Deprecated(None, None, None, 0)
    assert earliest_removal(unreleased, DeprecationPeriod(1, 0), parse_version("0.4.0"), Stream.Y)[0] == (
        parse_version("0.5.0"))  # 0.4.1 ships it deprecated, then a minor removes it


def test_describe_period() -> None:
    assert describe_period(DeprecationPeriod(3, 365)) == "3 releases and 365 days"
    assert describe_period(DeprecationPeriod(1, 1)) == "1 release and 1 day"
    assert describe_period(DeprecationPeriod()) == "no time"


@given(st.integers(1, 300), st.data())
def test_earliest_finds_the_end_of_each_run_in_few_reads(size: int, data: st.DataObject) -> None:
    runs = {key: data.draw(st.integers(-1, size - 1)) for key in range(data.draw(st.integers(0, 4)))}
    batches: list[Collection[int]] = []
    found = earliest(list(runs), size, batches.append, lambda key, i: i <= runs[key])
    assert found == {key: end for key, end in runs.items() if end >= 0}
    assert len(batches) <= 2 * size.bit_length() + 2  # galloping then bisecting: O(log releases) reads
