"""The fast path: run the everyday commands straight from `sys.argv`, without importing typer or click.

typer, click (and the pydantic that typer's option conversion imports) cost ~0.15-0.2 s before a command
starts, more than the git work of `releases`, `check --tag TAG` or `notes TAG`. This module knows the
options of a few commands and calls their bodies (`cli/actions/`) itself when the command line is plainly
one of them. Anything else — `--help`, an option it does not know, a value that typer would check and
refuse, shell completion — returns None and typer parses the command line as always, so errors, help and
every other command behave exactly as before. Keep each table here in step with the typer signature in
`cli/commands/` (tests/test_fast_path.py compares them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from relmgr.cli.state import State, call


class Option(NamedTuple):
    dest: str
    kind: str  # "flag"; "text"; "file" (a Path, not a folder); "folder" (a Path, not a file); "format"
    env: str | None = None  # the environment variable typer reads when the option is absent


class Command(NamedTuple):
    options: Mapping[str, Option]  # by every name: "--output" and "-o"
    arguments: tuple[str, ...]  # the optional positional arguments, in order
    body: Callable[[], Callable[..., int]]  # imports the body on demand


def _releases() -> Callable[..., int]:
    from relmgr.cli.actions.history import releases

    return releases


def _check() -> Callable[..., int]:
    from relmgr.cli.actions.check import check

    return check


def _notes() -> Callable[..., int]:
    from relmgr.cli.actions.notes import notes

    return notes


def _next_version() -> Callable[..., int]:
    from relmgr.cli.actions.bump import next_version

    return next_version


def _changelog() -> Callable[..., int]:
    from relmgr.cli.actions.changelog import changelog

    return changelog


JSON = {"--json": Option("as_json", "flag")}
PACKAGES = {"--package": Option("package", "text"), "--all-packages": Option("all_packages", "flag")}
COMMANDS: dict[str, Command] = {
    "releases": Command({**JSON, **PACKAGES}, (), _releases),
    "check": Command({
        "--tag": Option("tag", "text"), "--stream": Option("stream", "text"),
        "--approved": Option("approved", "text", env="RELMGR_APPROVED"), "--format": Option("output", "format"),
        "--strict": Option("strict", "flag"), "--verbose": Option("verbose", "flag"), "-v": Option("verbose", "flag"),
        "--write-waivers": Option("write_waivers", "file"), "--pr": Option("pr", "flag"),
        "--event": Option("event", "file"), **JSON, **PACKAGES,
    }, ("revision_range",), _check),
    "notes": Command({
        "--output": Option("output", "file"), "-o": Option("output", "file"),
        "--changelog": Option("changelog", "file"), "--template": Option("template", "file"),
        "--default-template": Option("default_template", "flag"), "--date": Option("when", "text"), **JSON, **PACKAGES,
    }, ("tag",), _notes),
    "next-version": Command({"--pre": Option("pre", "text"), "--tag": Option("with_prefix", "flag"), **JSON,
                             **PACKAGES}, (), _next_version),
    "changelog": Command({"--output": Option("output", "file"), "-o": Option("output", "file"),
                          "--template": Option("template", "file"),
                          "--default-template": Option("default_template", "flag"), **JSON}, (), _changelog),
}
GLOBAL = {"--repo": Option("repo", "folder"), "--config": Option("config", "file")}
FORMATS = ("text", "json", "github", "markdown")


def run(argv: Sequence[str]) -> int | None:
    """The exit code of the command `argv` names, or None when typer should parse it."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # shell completion is typer's
    parsed = parse(argv)
    if parsed is None:
        return None
    name, globals_, values = parsed
    command = COMMANDS[name]
    for option in {o.dest: o for o in command.options.values()}.values():
        if option.dest not in values:
            found = os.environ.get(option.env) if option.env else None
            values[option.dest] = found or (False if option.kind == "flag" else None)
    for dest in command.arguments:
        values.setdefault(dest, None)
    if "output" in values and name == "check":
        from relmgr.cli.actions.check import Format

        values["output"] = Format(values["output"] or "text")
    state = State(globals_.get("repo"), globals_.get("config"))
    return call(state, command.body(), **values)  # ends as `context.guarded` ends a typer command


def parse(argv: Sequence[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """(command, global options, the command's keyword arguments) when `argv` is plainly a fast command."""
    globals_: dict[str, Any] = {}
    at = _options(argv, 0, GLOBAL, globals_, positional=None)
    if at is None or at >= len(argv) or argv[at] not in COMMANDS:
        return None
    name = argv[at]
    command = COMMANDS[name]
    values: dict[str, Any] = {}
    arguments: list[str] = []
    if _options(argv, at + 1, command.options, values, positional=arguments) is None:
        return None
    if len(arguments) > len(command.arguments):
        return None
    values.update(zip(command.arguments, arguments, strict=False))
    return name, globals_, values


def _options(argv: Sequence[str], at: int, known: Mapping[str, Option], values: dict[str, Any],
             positional: list[str] | None) -> int | None:
    """Read options from `argv[at:]` into `values`; the index where they stop (a positional when
    `positional` is None), or None when typer should see the command line."""
    while at < len(argv):
        token = argv[at]
        if not token.startswith("-"):
            if positional is None:
                return at
            positional.append(token)
            at += 1
            continue
        name, equals, inline = token.partition("=")
        option = known.get(name)
        if option is None or (equals and not name.startswith("--")):
            return None  # --help, an unknown option, `-oFILE`, `--`, `-`
        if option.kind == "flag":
            if equals:
                return None
            values[option.dest] = True
            at += 1
            continue
        if equals:
            value, at = inline, at + 1
        elif at + 1 < len(argv):
            value, at = argv[at + 1], at + 2
        else:
            return None
        converted = _value(option, value)
        if converted is None:
            return None
        values[option.dest] = converted
    return at


def _value(option: Option, value: str) -> object | None:
    """The option's value as typer would pass it; None when typer should judge it (and maybe refuse it)."""
    if not value or value.startswith("-"):
        return None
    if option.kind == "format":
        return value if value in FORMATS else None
    if option.kind in ("file", "folder"):
        path = Path(value)
        if path.exists():
            wrong = path.is_dir() if option.kind == "file" else not path.is_dir()
            if wrong or not os.access(path, os.R_OK):
                return None  # typer says "is a directory" / "is a file" / "not readable"
        return path
    return value
