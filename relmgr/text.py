"""Text shown to people, pure: control characters escaped, and the wording and Markdown helpers the core's
messages and the template sandbox share.

A commit subject is written by whoever opens a pull request; raw, an escape sequence in it can retitle
the terminal window, clear the screen or hide the line that follows, and it stays in release notes and CI
step summaries. Everything relmgr shows people (tables, notes Markdown, GitHub annotations and summaries,
warnings) goes through `escape_controls`; `--json` keeps the exact text.

`plural`, `nest`, `link`, `md_text` and `md_cell` are also documented helpers of every Jinja2 template,
built-in or the user's (docs/notes-template.md, "Helpers"): the built-in templates use nothing a user's
template cannot.
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


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 minor release`, `2 minor releases` (`many`: an irregular plural, `1 person`, `2 people`)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def nest(text: str, width: int = 2) -> str:
    """`text` as a block nested in a Markdown list item: each line indented by `width` spaces, blank ones empty.

    Markdown inside is kept (paragraphs, code fences, lists), one level deeper than the item's bullet.
    """
    pad = " " * width
    return "\n".join(f"{pad}{line}" if line.strip() else "" for line in text.split("\n"))


def link(text: str, url: str | None) -> str:
    """A Markdown link `[text](url)`, or `text` alone when there is no URL (no `repo-url` set)."""
    return f"[{text}]({url})" if url else text


def md_text(text: str) -> str:
    """Text that renders as itself: no raw HTML outside code spans (inside them `<` is already literal)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: no code span
        return text.replace("<", "&lt;")
    return "`".join(part if index % 2 else part.replace("<", "&lt;") for index, part in enumerate(parts))


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: `md_text`, `|` escaped, on one line."""
    return md_text(text).replace("|", "\\|").replace("\n", " ")
