"""The plain-text writer: what rich prints to a pipe, without importing rich (~0.1 s) or laying out with it
(~0.25 s for the 230 rows of `relmgr releases`).

Text and tables come in as rich markup (commands escape what they did not write with `escape`), and come
out byte for byte as the piped rich console of `output.py` prints them: markup escapes resolved, a table
as space-aligned cells, ` | ` between columns, a `-+-` rule under the header, one line per line of a cell
(`tests/test_plain_output.py` holds this against rich). What the writer does not lay out itself — a table
wider than the page (rich wraps its cells), characters whose width is not one cell, control characters,
markup tags that style text — returns None here and the caller hands it to rich unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PAGE = 200  # columns of a piped page: wide enough that tables do not wrap mid-cell

# rich's markup tags (rich/markup.py): `[bold]`, `[/]`, `[link=…]`, each possibly escaped by backslashes
_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")
# one cell wide in rich for every character here (printable ASCII, Latin-1, Latin Extended, IPA)
_NARROW = re.compile(r"[^\n\x20-\x7e\xa0-\u02ff]")
# what rich's Text strips or expands (control codes, tabs): left to rich
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """`text` as markup that shows it verbatim: rich.markup.escape, the same bytes."""
    text = _ESCAPE.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


def unmarkup(markup: str) -> str | None:
    """The text markup shows when it holds no style tag (only escaped ones); None when it styles text."""
    if "[" not in markup:
        return markup
    parts: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        full, escapes, _ = match.groups()
        start, end = match.span()
        if start > position:
            parts.append(markup[position:start].replace("\\[", "["))
        backslashes, escaped = divmod(len(escapes), 2)
        if not escaped:
            return None  # a real tag: rich styles the text (or refuses bad markup), not us
        if backslashes:
            parts.append("\\" * backslashes)
        parts.append(full[len(escapes):])
        position = end
    if position < len(markup):
        parts.append(markup[position:].replace("\\[", "["))
    return "".join(parts)


def text_lines(markup: str) -> str | None:
    """What rich prints for `markup` on a piped console (soft wrap: lines are never broken), or None."""
    text = unmarkup(markup)
    if text is None or _CONTROL.search(text):
        return None
    return text + "\n"


def table_lines(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None,
                width: int = PAGE) -> str | None:
    """A table as rich's ASCII2 box without edges prints it on a `width`-column page, or None.

    Every column is as wide as its widest line plus a space each side; a cell's lines are left-aligned
    (trailing blanks dropped, as rich does) and a row is as tall as its tallest cell.
    """
    if any("\n" in column for column in columns):
        return None  # rich lays out a header's lines its own way
    cells: list[list[list[str]]] = []
    for row in (columns, *rows):
        plain_row: list[list[str]] = []
        for cell in row:
            text = unmarkup(cell)
            if text is None or _NARROW.search(text):
                return None
            plain_row.append(text.split("\n"))
        cells.append(plain_row)
    widths = [max(len(line) for row in cells for line in row[index]) + 2 for index in range(len(columns))]
    if min(widths) < 3 or sum(widths) > width - (len(columns) - 1):  # an empty column: rich's own rules
        return None  # rich would wrap cells to fit the page
    lines: list[str] = []
    if title:  # rich shows no empty title
        shown = unmarkup(title)
        if shown is None or _NARROW.search(shown) or "\n" in shown or len(shown) > sum(widths) + len(columns) - 1:
            return None
        lines.append(shown.rstrip())
    for number, laid in enumerate(cells):
        for at in range(max(len(cell) for cell in laid)):
            lines.append("|".join(
                " " + (cell[at].rstrip() if at < len(cell) else "").ljust(w - 2) + " "
                for cell, w in zip(laid, widths, strict=True)
            ))
        if number == 0:
            lines.append("+".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # click's strip_ansi


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)
