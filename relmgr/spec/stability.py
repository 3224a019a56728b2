"""An operation's level (from `x-stability-level` or from its path) and its sunset date."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from relmgr.policy.levels import Level, Stage
from relmgr.spec.view import normalize_path

# oasdiff's x-stability-level values. `draft` is below `alpha` in oasdiff; relmgr has no draft stage,
# so both map to alpha (a draft -> alpha move is then no change at all).
_STABILITY_WORDS = {"draft": "alpha", "alpha": "alpha", "beta": "beta", "stable": ""}
# `/v1alpha/...`, `/v2beta/...`, `/v1/...`; Google-style `v1beta2` counts as v1beta.
_PATH_LEVEL = re.compile(r"^v([1-9][0-9]*)(alpha|beta)?[0-9]*$")

LEVELS_FROM_PATH = "path"
DEFAULT_LEVELS_FROM = "x-stability-level"


@dataclass(frozen=True, slots=True)
class OpLevel:
    """The level of one operation; `valid` is False when its stability marker could not be read."""

    level: str
    stage: Stage
    valid: bool = True
    raw: str | None = None
    explicit: bool = False  # a readable marker (extension or level path segment) names it; else the default


STABLE = OpLevel("v1", Stage.STABLE)


def check_levels_from(levels_from: str) -> None:
    """`path`, or the name of an extension (`x-...`) holding the level; anything else is a caller bug."""
    if levels_from != LEVELS_FROM_PATH and not levels_from.startswith("x-"):
        raise ValueError(
            f"levels_from must be 'path' or an extension name like 'x-stability-level', not {levels_from!r}"
        )


def operation_level(operation: Mapping[str, Any], path: str, levels_from: str) -> OpLevel:
    """The level of `operation` under `path`; a missing marker means stable (v1), as in oasdiff."""
    if levels_from == LEVELS_FROM_PATH:
        return path_level(path)
    raw = operation.get(levels_from)
    if raw is None:
        return STABLE
    return _extension_level(raw)


def path_level(path: str) -> OpLevel:
    """The level named by the first path segment (`/v1beta/...` -> v1beta); no level segment -> v1."""
    first = path.lstrip("/").split("/", 1)[0]
    match = _PATH_LEVEL.match(first)
    if not match:
        return STABLE
    return _level(f"v{match.group(1)}{match.group(2) or ''}")


def _extension_level(raw: Any) -> OpLevel:
    text = raw.strip() if isinstance(raw, str) else None
    if text is None:
        return OpLevel("v1", Stage.STABLE, valid=False, raw=repr(raw))
    if text in _STABILITY_WORDS:
        return _level(f"v1{_STABILITY_WORDS[text]}")
    if Level.is_valid(text):
        return _level(text)
    return OpLevel("v1", Stage.STABLE, valid=False, raw=text)


def _level(text: str) -> OpLevel:
    return OpLevel(text, Level.parse(text).stage, explicit=True)


def sunset_date(value: Any) -> date:
    """The date of an `x-sunset` value (YAML date, `YYYY-MM-DD` or RFC 3339 text); ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise ValueError(f"x-sunset {value!r} is not a date (YYYY-MM-DD)")


def sunset_text(value: Any) -> str | None:
    """`x-sunset` as text for display (`None` when absent)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sunset_status(value: Any, today: date | None) -> str:
    """`none` (no x-sunset), `invalid`, `future` or `past`.

    Without `today` no sunset counts as passed: removing a deprecated operation whose sunset date is
    set is then `...-before-sunset` (ERR). relmgr's commands always pass the date; the strict
    default keeps a library caller from waving a removal through by forgetting it.
    """
    if value is None:
        return "none"
    try:
        sunset = sunset_date(value)
    except ValueError:
        return "invalid"
    return "future" if today is None or today < sunset else "past"


def read_stability(raw: Any) -> OpLevel:
    """The level an `x-stability-level` value names (absent: stable, as oasdiff reads it)."""
    return STABLE if raw is None else _extension_level(raw)


def deprecation_verdict(sunset: Any, days: int, today: date | None) -> str:
    """How a fresh deprecation with this `x-sunset` fares against a policy of `days` days' notice.

    `deprecated` (no sunset, no policy), `no-sunset` (a policy and no sunset), `bad-sunset`,
    `too-soon` (fewer than `days` days from `today`; never without `today`) or `with-sunset`.
    """
    if sunset is None:
        return "no-sunset" if days > 0 else "deprecated"
    try:
        when = sunset_date(sunset)
    except ValueError:
        return "bad-sunset"
    if today is not None and (when - today).days < days:
        return "too-soon"
    return "with-sunset"


_LEVEL_SEGMENT = re.compile(r"^(v[1-9][0-9]*(?:alpha|beta)?)[0-9]*$")  # Google-style v1beta2 is v1beta


def split_level(path: str) -> tuple[str, str] | None:
    """(`v1alpha`, `/{level}/connectors/{}`) for `/v1alpha/connectors/{id}`: the first path segment that names
    a level and the path template around it; None when no segment names a level."""
    segments = normalize_path(path).split("/")
    for index, segment in enumerate(segments):
        if (found := _LEVEL_SEGMENT.match(segment)) is not None:
            return found.group(1), "/".join([*segments[:index], "{level}", *segments[index + 1:]])
    return None
