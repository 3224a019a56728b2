"""Entry point. `relmgr --version` answers before typer, GitPython or rich are imported."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from relmgr import __version__

        sys.stdout.write(f"relmgr {__version__}\n")
        return
    from relmgr.cli import app

    app(prog_name="relmgr")


if __name__ == "__main__":
    main()
