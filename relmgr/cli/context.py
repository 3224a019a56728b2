"""What every typer command shares: its `State` (`cli/state.py`) and `guarded`, which turns a user error into
a line on stderr and its exit code under typer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from relmgr.cli.state import State, call
from relmgr.errors import EndCode, RelmgrError

__all__ = ["State", "exit_with", "guarded", "state"]

F = TypeVar("F", bound=Callable[..., Any])


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # commands invoked without the root callback (tests of one command)
        obj = State(None, None)
        ctx.find_root().obj = obj
    return obj


def exit_with(ctx: typer.Context, body: Callable[..., int], /, *args: object, **kwargs: object) -> None:
    """Run a typer-free body (`cli/actions/`) with the command's state; a non-zero code ends the command."""
    code = call(state(ctx), body, *args, **kwargs)
    if code:
        raise typer.Exit(code)


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
