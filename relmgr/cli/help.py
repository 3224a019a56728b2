"""How a command's `--help` reads: usage lines with the metavars as written, and an Examples section.

`command(app, "check", examples)` registers a command with `Command` as its class and the examples as its
epilog. Every command module registers through it, so every `--help` has the same shape (and a test runs
each one).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer.core import TyperCommand

Example = tuple[str, str]  # (the command line, what it does)
WIDTH = 79  # examples are never rewrapped: each line must fit an 80-column terminal


class Command(TyperCommand):
    """A typer command whose arguments show their metavar as written, in the usage line and in the
    Arguments section, and whose epilog keeps its line breaks and starts at the margin like `Options:`.

    Recent typer wraps an argument's metavar again (`[[RANGE]]`, `{API}`) and appends its Python type
    (`RANGE <str>`, `API <list[str]>`); older typer shows the metavar as given. Each argument's metavar is
    written the way its usage piece should read (`[RANGE]`, `API`, `[API...]`, git's convention) and shown
    verbatim, so `--help` reads the same on every typer relmgr accepts. Options keep typer's rows (their
    metavars are set where the type would show: `--format text|json|github`, `--message MESSAGE`).
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument" and param.metavar:
                pieces.append(param.metavar)
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            name, text = record[0], record[1].replace("\\[", "[")  # typer 0.16 escapes `[default: …]` for rich
            if param.param_type_name == "argument":
                arguments.append((param.metavar or (param.name or "").upper(), text))
            else:
                options.append((name, text))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        if self.epilog:
            formatter.write_paragraph()
            formatter.write_text(inspect.cleandoc(self.epilog))


def examples_epilog(examples: Sequence[Example]) -> str:
    """An `Examples:` section: one line per example with its comment aligned after it or, when one of those
    lines would not fit 80 columns, each comment on a line of its own above its example (as kubectl does).

    The block starts with click's `\\b` marker, so the formatter keeps the lines as they are instead of
    rewrapping them into one paragraph (rich markup is off: `rich_markup_mode=None`).
    """
    column = max((len(line) for line, _ in examples), default=0) + 3
    aligned = [f"  {line.ljust(column)}# {what}" for line, what in examples]
    if any(len(line) > WIDTH for line in aligned):
        aligned = [text for line, what in examples for text in (f"  # {what}", f"  {line}")]
    return "\n".join(["\b", "Examples:", *aligned])


def command(app: typer.Typer, name: str, examples: Sequence[Example]) -> Callable[[Callable[..., Any]], Any]:
    """`app.command(name)` with relmgr's help: `Command` as the class and `examples` as the epilog."""
    return app.command(name, cls=Command, epilog=examples_epilog(examples))
