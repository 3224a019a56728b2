"""Progress for long work, drawn on stderr only for someone watching a terminal.

Long loops of the core report through a plain callback, a `relmgr.progress.Report`; this module turns
the reports into a rich progress bar. Nothing is drawn when stderr is not a terminal (CI logs,
pipes, tests), for `--json`, on a `TERM=dumb` terminal, or before the work proves long.
"""

from __future__ import annotations

import os
import sys
import threading
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
    shows the latest phase only, and is erased at the end.
    """
    err = stream if stream is not None else sys.stderr
    if not enabled or not err.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    bar = _PlainBar(err, start_after) if os.environ.get("NO_COLOR") else _Bar(err, start_after)
    try:
        yield bar
    finally:
        bar.stop()


class _Bar:
    """One phase at a time: a report of a new phase replaces the bar of the last (never a finished bar left
    standing while unseen work goes on). The bar appears after START_SECONDS of work (a timer: one slow
    step, a large spec's diff, shows too) or once a phase reaches `start_after` items; rich redraws it (the
    pulse, the clock) from its own thread meanwhile."""

    def __init__(self, stream: TextIO, start_after: int) -> None:
        self._stream = stream
        self._start_after = start_after
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._what: str | None = None
        self._phase: tuple[str, int, int | None] | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._stopped = False
        self._first: float | None = None

    def __call__(self, what: str, done: int, total: int | None = None) -> None:
        with self._lock:
            self._phase = (what, done, total)
            if self._progress is None:
                now = time.monotonic()
                self._first = now if self._first is None else self._first
                if done >= self._start_after or now - self._first >= START_SECONDS:
                    self._show()
                elif self._timer is None and not self._stopped:
                    self._timer = threading.Timer(START_SECONDS, self._late)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._draw()

    def _late(self) -> None:
        with self._lock:
            if self._progress is None and not self._stopped:
                self._show()

    def _show(self) -> None:
        self._progress = self._start()
        self._draw()

    def _draw(self) -> None:
        assert self._progress is not None and self._phase is not None
        what, done, total = self._phase
        if self._task is None or what != self._what:
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task, self._what = self._progress.add_task(what, total=total, count=""), what
        count = f"{done:,}" if total is None else f"{done:,}/{total:,}"
        self._progress.update(self._task, completed=done, total=total, count=count)

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
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()


class _PlainBar(_Bar):
    """With NO_COLOR: no escape byte at all, so the phase and its count on one line, rewritten after a
    carriage return (at most every REDRAW seconds) and blanked at the end."""

    REDRAW = 0.2

    def __init__(self, stream: TextIO, start_after: int) -> None:
        super().__init__(stream, start_after)
        self._shown = False
        self._drawn_at = 0.0
        self._width = 0

    def _show(self) -> None:
        self._shown = True
        self._draw()

    def _draw(self) -> None:
        assert self._phase is not None
        what, done, total = self._phase
        now = time.monotonic()
        if what == self._what and now - self._drawn_at < self.REDRAW:
            return
        self._what, self._drawn_at = what, now
        text = f"{what} {done:,}" + (f"/{total:,}" if total is not None else "") + " …"
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = max(self._width, len(text))

    def __call__(self, what: str, done: int, total: int | None = None) -> None:
        with self._lock:
            self._phase = (what, done, total)
            if self._shown:
                self._draw()
                return
        super().__call__(what, done, total)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()
            if self._shown:
                self._stream.write("\r" + " " * self._width + "\r")
                self._stream.flush()
