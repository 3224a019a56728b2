"""The global options' `State` (the project, opened on first use) and `call`, which runs a command's body:
a user error becomes one line on stderr and its exit code. No typer here: the fast path (`cli/fast.py`)
runs bodies without it, `context.guarded` runs them under typer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from relmgr.errors import EndCode, RelmgrError

if TYPE_CHECKING:
    from relmgr.config.model import Config
    from relmgr.history.repository import Project


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
        if self._project is not None:
            self._project.progress = None  # erased: a later `project(progress=True)` draws a new bar
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


def call(state: State, body: Callable[..., int], /, *args: object, **kwargs: object) -> int:
    """Run a command's body (it returns the exit code) as `context.guarded` runs a typer command: a
    RelmgrError becomes one line on stderr and its exit code; stdout's reader gone ends quietly with 141
    (128 + SIGPIPE, as git; never 0, which would pass a failed gate); Ctrl-C ends with 130. The state is
    closed (progress erased, warnings printed) either way."""
    try:
        return body(state, *args, **kwargs)
    except RelmgrError as exc:
        state.close()
        from relmgr.cli.output import error

        error(exc.message)
        return int(exc.exit_code)
    except BrokenPipeError:
        state.close()
        from relmgr.cli.output import silence_stdout

        silence_stdout()
        return int(EndCode.PIPE_GONE)
    except KeyboardInterrupt:
        state.close()
        import sys

        sys.stderr.write("\nrelmgr: interrupted\n")
        return int(EndCode.INTERRUPTED)
    finally:
        state.close()
