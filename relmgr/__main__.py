"""Entry point. `relmgr --version` answers before anything else is imported; the everyday commands run
without typer, click or rich when their command line is plain (`relmgr/cli/fast.py`); typer parses the rest."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from relmgr import __version__

        sys.stdout.write(f"relmgr {__version__}\n")
        return
    import gc

    # A history is 10⁵ small acyclic records: with the default thresholds the cycle collector walks them
    # all again and again while they are built (a third of the time). Collect young objects rarely instead.
    gc.set_threshold(100_000, 20, 100)
    from relmgr.cli.fast import run

    code = run(sys.argv[1:])
    if code is not None:
        _exit(code)
    from relmgr.cli.app import app

    app(prog_name="relmgr")


def _exit(code: int) -> None:
    """Exit with `code` once stdout is flushed; a reader that went away early (`| head`) is not an error."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own recipe: no second error
    sys.exit(code)


if __name__ == "__main__":
    main()
