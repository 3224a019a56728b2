"""What every command shares: the global options' `State` (the project, opened on first use) and
`guarded`, the one place that turns a user error into a line on stderr and its exit code.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from relmgr.errors import EndCode, RelmgrError

if TYPE_CHECKING:
    from relmgr.config.model import Config
    from relmgr.history.repository import Project

F = TypeVar("F", bound=Callable[..., Any])

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
            from relmgr.history.repository import Project

            self._project = Project.open(self.repo_path, self.config_path)
        if progress and self._project.progress is None:
            from relmgr.cli.progress import terminal_progress

            self._project.progress = self._cleanup.enter_context(terminal_progress())
        return self._project

    def close(self) -> None:
        """Erase a progress bar, if one was drawn, then print the warnings the work returned (each once)."""
        self._cleanup.close()
        if self._project is not None and self._project.warnings:
            from relmgr.cli.output import warnings

            warnings(self._project.warnings)
            self._project.warnings.clear()

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
        from relmgr.config.load import load_config

        return load_config(Path.cwd(), self.config_path)


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
            from relmgr.cli.output import error

            error(exc.message)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:  # stdout's reader went away: end quietly with 141 (128 + SIGPIPE), as git
            _close_state(kwargs.get("ctx"))  # does; never 0 (a failed gate would pass) nor 1 (a verdict)
            from relmgr.cli.output import silence_stdout

            silence_stdout()
            raise SystemExit(int(EndCode.PIPE_GONE)) from None
        except KeyboardInterrupt:  # click would say "Aborted!" and exit 1: Ctrl-C is 130, after cleanups
            _close_state(kwargs.get("ctx"))
            import sys

            sys.stderr.write("\nrelmgr: interrupted\n")
            raise SystemExit(int(EndCode.INTERRUPTED)) from None
        finally:
            _close_state(kwargs.get("ctx"))

    return wrapper  # type: ignore[return-value]


def _close_state(ctx: object) -> None:
    # duck-typed: typer hands commands its vendored click's Context, not an instance of typer.Context
    find_root = getattr(ctx, "find_root", None)
    if find_root is not None and isinstance(obj := find_root().obj, State):
        obj.close()
