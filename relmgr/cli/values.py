"""The parsers of option values, shared by the typer commands and the fast path (no typer here)."""

from __future__ import annotations

import re
from datetime import date

from relmgr.config.model import STREAM_NAMES
from relmgr.errors import UsageError
from relmgr.history.versions import Stream


def parse_stream(text: str, option: str = "--stream") -> Stream:
    """`z`, `y`, `x` (or `patch`, `minor`, `major`) as a stream; anything else is a usage error."""
    found = STREAM_NAMES.get(text.strip().lower())
    if found is None:
        raise UsageError(f"{option} {text!r}: use z, y or x (or patch, minor, major)")
    return found


def parse_approved(text: str) -> frozenset[int]:
    """PR numbers from `--approved` / RELMGR_APPROVED: comma or whitespace separated, `#` optional."""
    numbers: set[int] = set()
    for item in re.split(r"[\s,]+", text.strip()):
        digits = item.removeprefix("#")
        if not digits.isdigit():
            if item:
                raise UsageError(f"--approved: {item!r} is not a PR number; pass numbers like 4606,4643")
            continue
        numbers.add(int(digits))
    return frozenset(numbers)


def parse_date(text: str, option: str) -> date:
    """A `YYYY-MM-DD` option value; anything else is a usage error naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; write YYYY-MM-DD") from None
