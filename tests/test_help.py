"""Every command's `--help`: an Examples section of real invocations, and a usage line of metavars
(`[RANGE]`, `API`, `TAG`, `FILE`), never Python types or click's type names."""

from __future__ import annotations

import re
import shlex

import pytest
import typer

from relmgr.cli.app import app
from relmgr.cli.help import WIDTH, examples_epilog
from tests.conftest import run_cli

GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]
# click's type names (TEXT, PATH …) and recent typer's Python types (<str>, <list[str]>, <path> …)
TYPE_NAMES = re.compile(r"\b(?:TEXT|PATH|INTEGER|FLOAT|BOOLEAN|FILENAME|DIRECTORY|UUID)\b|<[a-z_]+(?:\[[^>]*\])?>"
                        r"|\[\[|\{\w+\}")


def _help(name: str) -> str:
    result = run_cli([name, "--help"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_every_command_is_covered() -> None:
    assert len(COMMANDS) >= 15
    assert {"check", "lint", "notes", "release", "spec-diff"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_the_help_ends_with_examples_that_keep_their_lines(name: str) -> None:
    text = _help(name)
    section = text.split("\nExamples:\n", 1)
    assert len(section) == 2, f"relmgr {name} --help has no Examples section"
    lines = section[1].rstrip("\n").split("\n")
    commands = [line for line in lines if line.startswith("  relmgr ")]
    assert 2 <= len(commands) <= 4, lines
    assert all(line.startswith("  ") and len(line) <= WIDTH for line in lines), lines  # not rewrapped


@pytest.mark.parametrize("name", COMMANDS)
def test_the_usage_line_shows_metavars_not_types(name: str) -> None:
    text = _help(name)
    usage = text.split("\n", 1)[0]
    assert usage.startswith(f"Usage: relmgr {name} [OPTIONS]"), usage
    assert not TYPE_NAMES.search(usage), usage
    for row in _names(text):
        assert not TYPE_NAMES.search(row), f"relmgr {name} --help: {row}"


def _names(text: str) -> list[str]:
    """The first column of the Arguments and Options rows: `--tag TAG`, `[RANGE]`, `-m, --message MESSAGE`."""
    names = []
    for section in re.findall(r"^(?:Arguments|Options):\n(.*?)(?:\n\n|\Z)", text, flags=re.MULTILINE | re.DOTALL):
        for line in section.split("\n"):
            if line.startswith("  ") and not line.startswith("   "):
                names.append(re.split(r"\s{2,}", line.strip(), maxsplit=1)[0])
    return names


def test_the_type_check_would_catch_what_typer_shows_by_default() -> None:
    for shown in ("Usage: relmgr scan [OPTIONS] [[RANGE]]", "Usage: relmgr graduate [OPTIONS] {API}",
                  "  API <list[str]>  The APIs", "  -m, --message <str>", "  --file PATH", "Usage: x [TEXT]"):
        assert TYPE_NAMES.search(shown), shown


@pytest.mark.parametrize("name", COMMANDS)
def test_every_example_parses_as_that_command(name: str) -> None:
    """Each example line is a real invocation: its options exist and its values convert (nothing runs)."""
    command = GROUP.commands[name]  # type: ignore[attr-defined]
    for line in (command.epilog or "").split("\n"):
        if not line.startswith("  relmgr "):
            continue
        words = shlex.split(line.split("   # ")[0])[1:]
        while words and words[0].startswith("--"):  # global options before the command: `--repo DIR`
            option = next(p for p in GROUP.params if words[0] in p.opts)  # StopIteration: not an option
            words = words[1:] if getattr(option, "is_flag", False) else words[2:]
        assert words[0] == name, line
        with command.make_context(name, words[1:]) as ctx:  # a usage error raises here
            assert ctx.command is command


def test_an_example_too_wide_for_one_line_gets_its_comment_above() -> None:
    short = examples_epilog([("relmgr check", "the next version"), ("relmgr check --tag v1.0.0", "a release")])
    assert short.split("\n")[2:] == ["  relmgr check                # the next version",
                                     "  relmgr check --tag v1.0.0   # a release"]
    wide = examples_epilog([("relmgr check", "x" * 70), ("relmgr releases", "short")])
    assert wide.split("\n")[2:] == ["  # " + "x" * 70, "  relmgr check", "  # short", "  relmgr releases"]
    assert short.startswith("\b\nExamples:\n")  # click's no-rewrap marker
