"""Regexes that users write (`ignore-tags`, and every other regex a config or an option holds): one way
to compile them, with a config error naming the key, and to run them, within a time budget.

Python's `re` has no time limit: `ignore-tags = ["(a+)+$"]` on a long tag backtracks for minutes, and no
static check catches every such pattern (`(a|aa)+$`, `(.*a){20}` …). The `regex` package reads the same
syntax (its version 0 is `re`'s) and stops a match after `timeout` seconds; past the budget the pattern
is a ConfigError (exit 3) that names the key, the pattern and the text, never a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relmgr.errors import ConfigError

BUDGET = 0.25  # seconds one match may take: far above any sane pattern, far below a hang


@dataclass(frozen=True, slots=True)
class UserPattern:
    """A user's regex, compiled; `search` runs it within the budget."""

    pattern: str
    key: str  # where it came from, for the error: `relmgr.toml: tool.relmgr.ignore-tags`
    compiled: Any = field(repr=False, compare=False)

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in `text`; ConfigError when it takes past the budget."""
        try:
            return self.compiled.search(text, timeout=BUDGET) is not None
        except TimeoutError:
            raise ConfigError(
                f"{self.key}: {self.pattern!r} took more than {BUDGET} s on {text[:80]!r} (it backtracks "
                "catastrophically, as `(a+)+$` does); rewrite it without nested repetition"
            ) from None


def compile_user_regex(pattern: str, key: str) -> UserPattern:
    """Compile a user's regex; a bad one is a ConfigError naming `key` (`file: tool.relmgr.ignore-tags`)."""
    import regex

    try:
        compiled = regex.compile(pattern, regex.VERSION0)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise ConfigError(f"{key}: {pattern!r} is not a valid regex ({exc})") from None
    return UserPattern(pattern, key, compiled)
