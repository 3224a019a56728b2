"""How long loops of the core report progress: a plain callback, drawn (or not) by the CLI.

`Report(what, done, total)`: what is being done, how far, out of how many (None: unknown). The core calls
it; `relmgr/cli/progress.py` turns the calls into a bar on a terminal.
"""

from __future__ import annotations

from collections.abc import Callable

Report = Callable[[str, int, int | None], None]
