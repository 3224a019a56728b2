"""The deprecation lifecycle, pure: since when an operation is deprecated, whether its deprecation period is
over, and the first release that may remove it.

An operation's deprecation period (`[tool.relmgr.policy.deprecation]`, per level) runs from the release it
was deprecated in (the first final release whose surface marks it `deprecated: true`, and every release
since): `releases` final releases ship it deprecated, and `days` days pass from that release's tag date to
the removing release's. Kubernetes' deprecation policy is the stricter preset: GA APIs 12 months or 3
releases, beta 9 months or 3 releases, whichever is longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from relmgr.config.model import DeprecationPeriod
from relmgr.history.versions import Stream, Version
from relmgr.policy.bump import bump

NEWLY_DEPRECATED = frozenset({"endpoint-deprecated", "endpoint-deprecated-with-sunset", "api-deprecated-sunset-missing",
                              "api-deprecated-sunset-parse", "api-sunset-date-too-small"})
REMOVED_AFTER_DEPRECATION = frozenset({"api-removed-with-deprecation", "api-path-removed-with-deprecation"})


@dataclass(frozen=True, slots=True)
class Deprecated:
    """Since when an operation has been deprecated, as the final releases show it."""

    since: str | None  # the tag of the release it was deprecated in; None: no release has shipped it deprecated
    since_version: Version | None
    since_date: date | None
    served: int  # final releases that shipped it deprecated, up to the release in question


def period_met(record: Deprecated, period: DeprecationPeriod, removed_on: date) -> bool:
    """Whether removing the operation on `removed_on` (the removing release's date) respects `period`."""
    if record.served < period.releases:
        return False
    if period.days > 0:
        return record.since_date is not None and (removed_on - record.since_date).days >= period.days
    return True


def earliest_removal(record: Deprecated, period: DeprecationPeriod, after: Version | None, stream: Stream,
                     *, serving: int = 0) -> tuple[Version | None, date | None]:
    """The first version that may remove the operation, at the earliest, and the first date.

    `after` is the last release known (for a removal judged, the removing release: it would have had to
    serve the operation too, so `serving` = 1 counts it); every release still needed is taken to be a patch,
    then one release of `stream` (the smallest in which the operation's level may break) removes it.
    """
    needed = max(period.releases - record.served - serving, 0) if record.since is not None else period.releases
    version = None
    if after is not None:
        version = after
        for _ in range(needed):
            version = bump(version, Stream.Z)
        version = bump(version, stream)
    when = record.since_date + timedelta(days=period.days) if period.days > 0 and record.since_date else None
    return version, when


def describe_period(period: DeprecationPeriod) -> str:
    """`2 releases and 90 days`, `1 release`, `no time`."""
    parts = []
    if period.releases > 0:
        parts.append(f"{period.releases} release" + ("" if period.releases == 1 else "s"))
    if period.days > 0:
        parts.append(f"{period.days} day" + ("" if period.days == 1 else "s"))
    return " and ".join(parts) or "no time"
