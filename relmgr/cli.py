"""The command line: global options, one place that turns user errors into a line and an exit code.

Commands live in `relmgr/commands/<group>.py`; each module's `register(app)` adds its commands. Heavy
modules (GitPython, rich, the core) are imported inside the commands, so start-up stays fast.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from relmgr import __version__
from relmgr.errors import ExitCode, RelmgrError

if TYPE_CHECKING:
    from relmgr.config import Config
    from relmgr.project import Project

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="relmgr",
    help=(
        "Release management for HTTP APIs with stability levels (v1alpha, v1beta, v1): reads Conventional "
        "Commits, classifies releases as X/Y/Z streams and gates breaking changes by level.\n\n"
        "Exit codes: 0 ok, 1 policy or lint failure, 2 usage, 3 config, 4 git, 5 spec."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    """What the global options chose; the project is opened on first use."""

    def __init__(self, repo: Path | None, config: Path | None) -> None:
        self.repo_path = repo
        self.config_path = config
        self._project: Project | None = None
        self._cleanup = contextlib.ExitStack()

    def project(self, *, progress: bool = False) -> Project:
        """The project; with `progress`, long reads draw a bar on stderr when it is a terminal (never for
        `--json`: commands pass `progress=not as_json`)."""
        if self._project is None:
            from relmgr.project import Project

            self._project = Project.open(self.repo_path, self.config_path)
        if progress and self._project.progress is None:
            from relmgr.progress import terminal_progress

            self._project.progress = self._cleanup.enter_context(terminal_progress())
        return self._project

    def close(self) -> None:
        """Erase a progress bar, if one was drawn."""
        self._cleanup.close()

    def project_or_none(self) -> Project | None:
        """The project; None outside a git repository when no --repo was given (commands that need none)."""
        from relmgr.errors import GitError

        try:
            return self.project()
        except GitError:
            if self.repo_path is not None:
                raise
            return None

    def config(self) -> Config:
        """The project's config; outside a repository, the current folder's (`relmgr.toml`, pyproject)."""
        project = self.project_or_none()
        if project is not None:
            return project.config
        from relmgr.config import load_config

        return load_config(Path.cwd(), self.config_path)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"relmgr {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    repo: Path | None = typer.Option(
        None, "--repo", help="The repository to read (default: the one containing the current directory).",
        file_okay=False, dir_okay=True,
    ),
    config: Path | None = typer.Option(
        None, "--config",
        help="Config file (default: relmgr.toml at the repository root, else [tool.relmgr] in pyproject.toml).",
        dir_okay=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print relmgr's version and exit."
    ),
) -> None:
    ctx.obj = State(repo, config)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # commands invoked without the root callback (tests of one command)
        obj = State(None, None)
        ctx.find_root().obj = obj
    return obj


def guarded(function: F) -> F:
    """Run a command; a RelmgrError becomes one line on stderr and its exit code, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except RelmgrError as exc:
            _close_state(kwargs.get("ctx"))
            from relmgr.render import error

            error(exc.message)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.OK)) from None
        finally:
            _close_state(kwargs.get("ctx"))

    return wrapper  # type: ignore[return-value]


def _close_state(ctx: object) -> None:
    if isinstance(ctx, typer.Context) and isinstance(obj := ctx.find_root().obj, State):
        obj.close()


def _register() -> None:
    from relmgr.commands import (
        bump,
        changelog,
        check,
        demo,
        graduation,
        history,
        init,
        lint,
        notes,
        release,
        release_branch,
        spec,
    )

    modules = (history, check, lint, bump, notes, changelog, graduation, release, release_branch, demo, init, spec)
    for module in modules:
        module.register(app)


_register()
