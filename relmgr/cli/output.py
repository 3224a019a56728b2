"""Output: rich text for people at a terminal, plain text for pipes, one JSON document for machines.

The renderer switch is here and only here (`plain_wanted`): commands ask for `console()` and `table()`,
and get rich's at a colour terminal, else the plain writer of `plain.py`, which prints the same bytes as
rich's piped console without importing rich. Human output that wants more (grouping, colour) builds on
these two functions.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from relmgr.cli import plain
from relmgr.text import escape_controls

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from relmgr.app.plan import Plan
    from relmgr.policy.findings import Finding

_PIPED_WIDTH = plain.PAGE  # wide enough that piped tables do not wrap mid-cell


def plain_wanted(stream: IO[str] | None = None) -> bool:
    """Whether `stream` (default stdout) gets plain text: not a terminal (unless FORCE_COLOR or
    TTY_COMPATIBLE=1 asks for rich anyway), or NO_COLOR set, or TERM=dumb. Plain text is laid out as for a
    pipe, whatever the terminal's width."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return False
    isatty = getattr(stream, "isatty", None)
    return not (isatty is not None and isatty())


def console(*, stderr: bool = False) -> Console | PlainConsole:
    """Where a command prints text and tables: rich at a terminal, the plain writer otherwise."""
    stream = sys.stderr if stderr else sys.stdout
    return PlainConsole(stream) if plain_wanted(stream) else _rich_console(stream, plain=False)


def _rich_console(stream: IO[str], *, plain: bool) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1, a policy failure's code: relmgr's entry point decides
            self.quiet = True
            raise BrokenPipeError

        def render_str(self, text: str, **options: Any) -> Any:  # every string printed, table cells too
            return super().render_str(escape_controls(text), **options)

    terminal = stream.isatty() and not plain
    return _Console(
        file=stream,
        highlight=False,
        soft_wrap=not terminal,
        width=None if terminal else _PIPED_WIDTH,
        emoji=False,
        force_terminal=False if plain else None,
    )


def table(*columns: str, title: str | None = None) -> Table | PlainTable:
    """A table that reads well in a terminal and is aligned plain text elsewhere (see `plain_wanted`)."""
    if plain_wanted():
        return PlainTable(columns, title)
    return _rich_table(columns, title, terminal=sys.stdout.isatty())


def _rich_table(columns: Iterable[str], title: str | None, *, terminal: bool) -> Table:
    from rich import box
    from rich.table import Table

    return Table(
        *columns,
        title=title,
        box=box.SIMPLE_HEAD if terminal else box.ASCII2,
        show_edge=terminal,
        header_style="bold" if terminal else "",
        title_justify="left",
        safe_box=True,
    )


class PlainTable:
    """Rows of markup cells; the plain writer lays them out, or rich when they are beyond it."""

    def __init__(self, columns: Iterable[str], title: str | None = None) -> None:
        self.columns = tuple(columns)
        self.title = title
        self.rows: list[tuple[str, ...]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def __rich__(self) -> Table:
        """The same table for rich: what a rich console prints, and the fallback of the plain one."""
        grid = _rich_table(self.columns, self.title, terminal=False)
        for row in self.rows:
            grid.add_row(*row)
        return grid


class PlainConsole:
    """`print` as rich's piped console prints: text (markup) and tables, one line per line, no colour."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def print(self, *objects: object, style: str | None = None) -> None:
        """Print one piece of markup or one table (nothing: an empty line); `style` is for terminals."""
        del style  # styles are colours and weights: a plain page has none
        shown: str | None
        if not objects:
            shown = "\n"
        elif len(objects) > 1:
            shown = None
        elif isinstance(objects[0], str):  # control characters escaped first, as the rich console does
            shown = plain.text_lines(escape_controls(objects[0]))
        elif isinstance(objects[0], PlainTable):
            grid = objects[0]
            shown = plain.table_lines([escape_controls(c) for c in grid.columns],
                                      [[escape_controls(c) for c in row] for row in grid.rows],
                                      escape_controls(grid.title) if grid.title else grid.title)
        else:
            shown = None
        if shown is None:  # beyond the plain writer: rich prints it (and escapes it), as it always did
            _rich_console(self.stream, plain=True).print(*objects)
        else:
            self.stream.write(shown)


def echo(text: str, *, nl: bool = True) -> None:
    """A command's output on stdout, as `typer.echo` writes it: ANSI escapes dropped unless a terminal."""
    out = text + "\n" if nl else text
    if out and not sys.stdout.isatty() and "\x1b" in out:
        out = plain.strip_ansi(out)
    if out:
        sys.stdout.write(out)
    sys.stdout.flush()


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


def write_output(path: Path, text: str) -> None:
    """What `--output FILE` does: write FILE (`relmgr.files.write_atomic`: never over a special file);
    `-` is stdout."""
    if str(path) == "-":
        say(text)
        return
    from relmgr.files import write_atomic

    write_atomic(path, text)


def silence_stdout() -> None:
    """After a broken pipe: send stdout to /dev/null, so that no later flush fails again (at exit)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def note(message: str) -> None:
    """Information for people that is neither a warning nor the command's output."""
    sys.stderr.write(f"relmgr: {escape_controls(message)}\n")


def warn(message: str) -> None:
    sys.stderr.write(f"relmgr: warning: {escape_controls(message)}\n")


def error(message: str) -> None:
    sys.stderr.write(f"relmgr: error: {escape_controls(message)}\n")


def say(text: str) -> None:
    """Human text on stdout as it is (Markdown, diffs, workflow commands), control characters escaped."""
    sys.stdout.write(escape_controls(text))


def escape(text: str) -> str:
    """`text` as markup that prints verbatim (rich.markup.escape, without importing rich)."""
    return plain.escape(text)


def default_template(name: str, given: Iterable[str]) -> None:
    """`--default-template`: the built-in template `name` on stdout; `given` (other options used) is an error."""
    from relmgr.errors import UsageError
    from relmgr.notes.templates import builtin

    if others := list(given):
        raise UsageError(f"--default-template prints the built-in template and does nothing else; leave out "
                         f"{', '.join(others)}")
    sys.stdout.write(builtin(name))


def github_escape(text: str) -> str:
    """A workflow command's data, as GitHub requires (`%`, CR and LF encoded)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def warnings(messages: Iterable[str]) -> None:
    """The warnings the core returned as data, each once, in order."""
    for message in dict.fromkeys(messages):
        warn(message)


# -- JSON documents shared by several commands (field names are a contract: add, never rename) -------------


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "sha": finding.sha,
        "subject": finding.subject,
        "api": finding.api,
        "level": str(finding.level),
        "stream": finding.stream.value if finding.stream else None,
        "rule": finding.rule,
        "message": finding.message,
        "object": finding.object,
        # added for grouped findings (issue 15): the surface's check ID, its details, its own sentence
        "check": finding.check,
        "details": dict(finding.details),
        "change": finding.change,
    }


def say_nothing_to_release(plan: Plan, what: str) -> None:
    """One line on stderr: no commits (or only reverted pairs) since the last release."""
    base = plan.range.base.tag if plan.range.base else "the start"
    if not plan.changes:
        note(f"no commits since {base}; {what}")
    else:
        note(f"nothing to release since {base}: its {len(plan.changes)} commits are reverted pairs; {what}")
