"""The plain writer prints what rich's piped console printed, byte for byte, and piped commands skip rich.

rich stays the reference: every text and table the plain writer lays out itself is compared with what
`Console(width=200, soft_wrap=True)` and an ASCII2 table without edges print (relmgr's piped output before
the plain writer existed); whatever it declines is printed by rich, so it matches by construction.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.markup import escape as rich_escape
from rich.table import Table

from relmgr.cli import plain
from relmgr.cli.output import PlainConsole, PlainTable, escape
from tests.conftest import Repo

# characters that exercise the writer: markup brackets and escapes, blanks, lines, Latin-1, wide and
# combining characters, control codes
ALPHABET = (st.sampled_from([*list("ab Z09-_.,:/|+*`'\""), "[", "]", "\\", "\\[", "[a]", "\\[a]", "\n", "  ", "é", "ß"])
            | st.sampled_from(["[b]", "[/]", "[link=x]", "Ā", "→", "─", "中", "e\u0301", "\t", "\x1b", "\r"]))
TEXT = st.lists(ALPHABET, max_size=12).map("".join)
NICE = st.text(st.sampled_from(list("abcdefXYZ0123 -_./:()#`'é[]\\")), max_size=40)
HEADER = st.text(st.sampled_from(list("abcdefg-")), min_size=1, max_size=12)


def rich_piped(renderable: object) -> str:
    buffer = io.StringIO()
    Console(file=buffer, highlight=False, soft_wrap=True, width=plain.PAGE, emoji=False).print(renderable)
    return buffer.getvalue()


def rich_table(columns: list[str], rows: list[list[str]], title: str | None) -> Table:
    grid = Table(*columns, title=title, box=box.ASCII2, show_edge=False, header_style="", title_justify="left",
                 safe_box=True)
    for row in rows:
        grid.add_row(*row)
    return grid


def plain_printed(renderable: object) -> str:
    buffer = io.StringIO()
    PlainConsole(buffer).print(renderable)
    return buffer.getvalue()


@given(TEXT)
def test_escape_is_riches(text: str) -> None:
    assert escape(text) == rich_escape(text)


@given(TEXT)
def test_text_is_printed_as_rich_prints_it(markup: str) -> None:
    shown = plain.text_lines(markup)
    if shown is not None:
        assert shown == rich_piped(markup)


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(TEXT, min_size=n, max_size=n),
    st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=4),
    st.none() | TEXT,
)))
@settings(max_examples=300)
def test_tables_are_laid_out_as_rich_lays_them_out(table: tuple[list[str], list[list[str]], str | None]) -> None:
    columns, rows, title = table
    shown = plain.table_lines(columns, rows, title)
    if shown is not None:
        assert shown == rich_piped(rich_table(columns, rows, title))


@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    st.lists(HEADER, min_size=n, max_size=n),
    st.lists(st.lists(NICE.map(escape), min_size=n, max_size=n), max_size=6),
    st.none() | st.sampled_from(["Violations", "Warnings", "Routes at HEAD"]),
)))
@settings(max_examples=300)
def test_ordinary_tables_never_need_rich(table: tuple[list[str], list[list[str]], str | None]) -> None:
    """Tables of plain words, up to the page's width, are the plain writer's own (and still rich's bytes)."""
    columns, rows, title = table
    shown = plain.table_lines(columns, rows, title)
    expected = rich_piped(rich_table(columns, rows, title))
    fits = max(len(line) for line in expected.splitlines()) <= plain.PAGE
    wider = title is not None and len(title) > max(len(line) for line in expected.splitlines()[1:])
    if fits and not wider:
        assert shown == expected


def test_the_page_edge_is_riches() -> None:
    for size in range(plain.PAGE - 10, plain.PAGE + 3):
        columns, rows = ["a", "b"], [["x" * size, "y"]]
        shown = plain.table_lines(columns, rows, None)
        expected = rich_piped(rich_table(columns, rows, None))
        # header, rule, one row holding the whole cell: rich neither wrapped nor cropped it
        unwrapped = len(expected.splitlines()) == 3 and f" {'x' * size} " in expected
        assert (shown is not None) == unwrapped, size
        assert shown is None or shown == expected


def test_what_the_writer_declines_rich_prints() -> None:
    grid = PlainTable(["tag", "note"], title="A title")
    grid.add_row("v1", "[bold]styled[/bold]")  # a real tag: rich's to style
    grid.add_row("v2", "wide 中文")
    assert plain.table_lines(grid.columns, grid.rows, grid.title) is None
    assert plain_printed(grid) == rich_piped(rich_table(["tag", "note"], [list(r) for r in grid.rows], "A title"))
    assert plain_printed("a\tb") == rich_piped("a\tb")


def test_piped_commands_import_neither_rich_nor_typer(repo: Repo) -> None:
    repo.commit("feat: start")
    repo.tag("v0.1.0")
    repo.commit("fix: a fix")
    repo.tag("v0.1.1")
    for args in (["releases"], ["check", "--tag", "v0.1.1"], ["notes", "v0.1.1"], ["releases", "--json"],
                 ["next-version"], ["changelog"]):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "relmgr", "--repo", str(repo.path), *args],
                              capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
                              cwd=Path(__file__).parent.parent, check=False)
        assert proc.returncode == 0, proc.stderr
        imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
                    if line.startswith("import time:")}
        assert not imported & {"rich", "typer", "click", "pydantic"}, args
