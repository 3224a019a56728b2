"""The typer application: global options and the commands' registration.

Commands live in `relmgr/cli/commands/<group>.py`; each module's `register(app)` adds its commands. Heavy
modules (rich, the core) are imported inside the commands, so start-up stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

from relmgr import __version__
from relmgr.cli.context import State

app = typer.Typer(
    name="relmgr",
    help=(
        "Release management for HTTP APIs with stability levels (v1alpha, v1beta, v1): reads Conventional "
        "Commits, classifies releases as X/Y/Z streams and gates breaking changes by level.\n\n"
        "Exit codes: 0 ok, 1 policy or lint failure, 2 usage, 3 config, 4 git, 5 spec; when relmgr cannot "
        "finish: 70 out of memory or a bug, 130 interrupted, 141 stdout's reader gone, 143 terminated."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)



def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"relmgr {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    repo: Path | None = typer.Option(
        None, "--repo", metavar="DIR",
        help="The repository to read (default: the one containing the current directory).",
        file_okay=False, dir_okay=True,
    ),
    config: Path | None = typer.Option(
        None, "--config", metavar="FILE",
        help="Config file (default: relmgr.toml at the repository root, else [tool.relmgr] in pyproject.toml).",
        dir_okay=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print relmgr's version and exit."
    ),
) -> None:
    ctx.obj = State(repo, config)



def run_app(argv: list[str]) -> int | None:
    """Run the CLI on `argv` outside click's standalone mode, so that relmgr's entry point decides how
    everything ends: the exit code, or None for Ctrl-C while click parsed (click would say "Aborted!" and
    exit 1). Usage errors keep click's message and code (2)."""
    try:
        result = app(args=argv, prog_name="relmgr", standalone_mode=False)
    except typer.Abort:
        return None
    except typer.Exit as exc:
        return int(exc.exit_code)
    except Exception as exc:
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):  # click's ClickException (typer vendors click)
            show()
            return code
        raise
    return result if isinstance(result, int) else 0


def _register() -> None:
    from relmgr.cli.commands import (
        api_diff,
        bump,
        changelog,
        check,
        demo,
        docs,
        graduation,
        history,
        init,
        lint,
        notes,
        release,
        release_branch,
        spec,
    )

    modules = (history, check, lint, bump, notes, changelog, graduation, release, release_branch, demo, init, spec,
               api_diff, docs)
    for module in modules:
        module.register(app)


_register()
