"""Text from commits, shown to people: control characters escaped, so that no subject can drive a terminal.

A commit subject is written by whoever opens a pull request; raw, an escape sequence in it can retitle
the terminal window, clear the screen or hide the line that follows, and it stays in release notes and CI
step summaries. Everything relmgr shows people (tables, notes Markdown, GitHub annotations and summaries,
warnings) goes through `escape_controls`; `--json` keeps the exact text.
"""

from __future__ import annotations

import re

# C0 but tab and line feed, DEL, C1 (ESC is \x1b, CSI \x9b), the line and paragraph separators, and the
# bidirectional overrides and isolates that reorder what a line appears to say (CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """`text` with each control character written as its escape (`\\x1b`, `\\u202e`); the rest kept."""
    if text.isprintable() or not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
