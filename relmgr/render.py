"""Output: rich text for people (plain when piped or NO_COLOR), one JSON document for machines."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

_PIPED_WIDTH = 200  # wide enough that piped tables do not wrap mid-cell


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return Console(
        file=stream,
        highlight=False,
        soft_wrap=not terminal,
        width=None if terminal else _PIPED_WIDTH,
        emoji=False,
    )


def table(*columns: str, title: str | None = None) -> Table:
    """A table that reads well in a terminal and degrades to aligned plain text when piped."""
    from rich import box
    from rich.table import Table

    terminal = sys.stdout.isatty()
    result = Table(
        *columns,
        title=title,
        box=box.SIMPLE_HEAD if terminal else box.ASCII2,
        show_edge=terminal,
        header_style="bold" if terminal else "",
        title_justify="left",
        safe_box=True,
    )
    return result


def emit_json(document: Any) -> None:
    """The one JSON document on stdout; same input, same bytes.

    Indented for a terminal; one compact line when piped, because only the compact form uses json's C
    encoder (indenting 100,000 commits costs seconds; `jq` re-indents for free).
    """
    if sys.stdout.isatty():
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    else:
        text = json.dumps(document, ensure_ascii=False, default=str, separators=(",", ":"))
    sys.stdout.write(text + "\n")


def note(message: str) -> None:
    """Information for people that is neither a warning nor the command's output."""
    sys.stderr.write(f"relmgr: {message}\n")


def warn(message: str) -> None:
    sys.stderr.write(f"relmgr: warning: {message}\n")


def error(message: str) -> None:
    sys.stderr.write(f"relmgr: error: {message}\n")


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)
