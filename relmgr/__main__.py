"""Entry point: `relmgr --version` answers before typer or rich are imported, the everyday commands run
without them when their command line is plain (`relmgr/cli/fast.py`), typer parses the rest; whatever
happens after, relmgr ends with one line on stderr and a documented exit code, never a traceback
(docs/safety.md).

- Ctrl-C (also while Python imports relmgr) exits 130, SIGTERM 143, after the cleanups (the release
  lock, a release's undo) have run;
- stdout closed or full: one line, exit 2; its reader gone (`relmgr scan | head`): quietly, exit 141,
  as git and coreutils (128 + SIGPIPE): never 0, which would turn a failed gate into a pass;
- out of memory, or a bug in relmgr: one line, exit 70 (`RELMGR_DEBUG=1` shows the traceback).
"""

from __future__ import annotations

import os
import sys

from relmgr.errors import EndCode, ExitCode

INTERRUPTED = int(EndCode.INTERRUPTED)
TERMINATED = int(EndCode.TERMINATED)
OUTPUT = int(ExitCode.USAGE)  # the output cannot be written (as `--output /dev/full`)
INTERNAL = int(EndCode.INTERNAL)
PIPE_GONE = int(EndCode.PIPE_GONE)


def main() -> None:
    sys.exit(run(sys.argv[1:]))


def run(argv: list[str]) -> int:
    """Run relmgr's CLI; the exit code, whatever was raised."""
    _guard_streams()
    try:
        code = _dispatch(argv)
    except KeyboardInterrupt:
        code = _say("interrupted", INTERRUPTED)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:
        code = _pipe_gone()
    except MemoryError:
        code = _say("out of memory; give relmgr more memory, or a smaller range or spec", INTERNAL)
    except OSError as exc:
        code = _output_failed(exc)
    except Exception as exc:  # the last resort: a bug must still end in one line
        if os.environ.get("RELMGR_DEBUG"):
            raise
        code = _say(f"internal error: {type(exc).__name__}: {exc}; please report it (RELMGR_DEBUG=1 shows "
                    "the traceback)", INTERNAL)
    return _flush(code)


def _dispatch(argv: list[str]) -> int:
    import signal

    signal.signal(signal.SIGTERM, _terminated)  # cleanups run, as for Ctrl-C
    if argv == ["--version"]:
        from relmgr import __version__

        sys.stdout.write(f"relmgr {__version__}\n")
        return 0
    import gc

    # A history is 10⁵ small acyclic records: with the default thresholds the cycle collector walks them
    # all again and again while they are built (a third of the time). Collect young objects rarely instead.
    gc.set_threshold(100_000, 20, 100)
    from relmgr.cli.fast import run as run_fast

    code = run_fast(argv)
    if code is not None:
        return code
    from relmgr.cli.app import run_app

    code = run_app(argv)
    return _say("interrupted", INTERRUPTED) if code is None else code


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(TERMINATED)


def _guard_streams() -> None:
    """A closed stdout or stderr (`relmgr … >&-`) is None in Python: writing then fails with one line."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    if sys.stdout is None:
        sys.stdout = _Closed()


class _Closed:
    """stdout when the process got none: every write fails as writing to a closed descriptor does."""

    def write(self, text: str) -> int:
        raise OSError(9, "Bad file descriptor (stdout is closed)")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(9, "Bad file descriptor (stdout is closed)")


def _say(message: str, code: int) -> int:
    try:
        sys.stderr.write(f"\nrelmgr: {message}\n" if code == INTERRUPTED else f"relmgr: error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return code


def _output_failed(exc: OSError) -> int:
    return _say(f"cannot write the output: {exc.strerror or exc}", OUTPUT)


def _pipe_gone() -> int:
    """The reader of stdout went away: stop quietly (as `git log | head`), and let no flush fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return PIPE_GONE


def _flush(code: int) -> int:
    """Flush stdout inside the guard: a full disk or a gone reader shows here, after the command returned."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _pipe_gone()
    except OSError as exc:
        return _output_failed(exc) if code == 0 else code
    except ValueError:
        pass
    return code


if __name__ == "__main__":
    main()
