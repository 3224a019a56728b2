"""Small wording and Markdown helpers, pure: shared by the core's messages and the template sandbox.

Each one is also a documented helper of every Jinja2 template, built-in or the user's
(docs/notes-template.md, "Helpers"): the built-in templates use nothing a user's template cannot.
"""

from __future__ import annotations


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
