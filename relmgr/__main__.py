"""Entry point. `relmgr --version` answers before typer or rich are imported."""

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
    from relmgr.cli.app import app

    app(prog_name="relmgr")


if __name__ == "__main__":
    main()
