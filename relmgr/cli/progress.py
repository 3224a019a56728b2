"""Progress for long work, drawn on stderr only for someone watching a terminal.

Long loops of the core report through a plain callback, a `relmgr.progress.Report`; this module turns
the reports into a rich progress bar. Nothing is drawn when stderr is not a terminal (CI logs,
pipes, tests), for `--json`, on a `TERM=dumb` terminal, or before the work proves long.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from relmgr.progress import Report

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

START_AFTER = 2000  # items (commits) before a bar is worth drawing: short work finishes before it would show
START_SECONDS = 1.0  # … or this long since the first report (few but slow items: spec versions to diff)


@contextmanager
def terminal_progress(*, enabled: bool = True, stream: TextIO | None = None,
                      start_after: int = START_AFTER) -> Iterator[Report | None]:
    """A progress callback drawing on `stream` (stderr) when it is a terminal and `enabled`; else None.

    The bar appears once some report reaches `start_after` items or the work has gone on for START_SECONDS,
    and is erased at the end.
    """
    err = stream if stream is not None else sys.stderr
    if not enabled or not err.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    bar = _Bar(err, start_after)
    try:
        yield bar
    finally:
        bar.stop()


class _Bar:
    def __init__(self, stream: TextIO, start_after: int) -> None:
        self._stream = stream
        self._start_after = start_after
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._first: float | None = None

    def __call__(self, what: str, done: int, total: int | None = None) -> None:
        if self._progress is None:
            now = time.monotonic()
            self._first = now if self._first is None else self._first
            if done < self._start_after and now - self._first < START_SECONDS:
                return
            self._progress = self._start()
        task = self._tasks.get(what)
        if task is None:
            for earlier in self._progress.tasks:  # the work moved on: earlier bars stop pulsing
                self._progress.update(earlier.id, total=earlier.completed)
            task = self._tasks[what] = self._progress.add_task(what, total=total, count="")
        count = f"{done:,}" if total is None else f"{done:,}/{total:,}"
        self._progress.update(task, completed=done, total=total, count=count)

    def _start(self) -> Progress:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
            console=Console(file=self._stream, stderr=True), transient=True,
        )
        progress.start()
        return progress

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
