"""A terminal that shows what runs (issue 15): relmgr run under a pseudo-terminal (`pty`), asserted on bytes —
colour on a terminal, no escape byte with NO_COLOR, tab-separated rows with TERM=dumb, progress phases that
replace each other."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time
from collections.abc import Mapping

import pytest

from relmgr.cli import progress
from tests.conftest import Repo
from tests.openapi_repo import CONFIG, SPEC, dump, edit, routes

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def under_pty(args: list[str], cwd: Repo, env: Mapping[str, str]) -> tuple[int, bytes]:
    """Run `python -m relmgr ARGS` with stdout and stderr on one pseudo-terminal; its exit code and bytes."""
    master, slave = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    process = subprocess.Popen([sys.executable, "-m", "relmgr", *args], cwd=cwd.path, stdin=slave, stdout=slave,
                               stderr=slave, env={**base, "COLUMNS": "120", **env}, close_fds=True)
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return process.wait(timeout=60), bytes(out)


@pytest.fixture
def broken(repo: Repo) -> Repo:
    repo.config(CONFIG.replace('default-level = "v1"', 'default-level = "v1"\nrepo-url = "https://github.com/a/b"'))
    repo.commit("feat: the first routes", {SPEC: dump(routes())})
    repo.tag("v0.1.0")
    tidied = edit(routes(), require=[("/v1/files/{id}", "get")])
    repo.commit("fix(files): tidy the files route (#7)", {SPEC: dump(tidied)})
    repo.tag("v0.1.1")
    return repo


def test_a_terminal_gets_colour_for_the_verdict_and_the_rule(broken: Repo) -> None:
    code, out = under_pty(["check", "--tag", "v0.1.1"], broken, {"TERM": "xterm-256color"})
    assert code == 1
    assert b"\x1b[1;31mfailed\x1b[0m" in out  # red, bold
    assert b"\x1b[36mundeclared-breaking-change\x1b[0m" in out  # rule IDs in colour
    ok_code, ok = under_pty(["check", "--tag", "v0.1.0"], broken, {"TERM": "xterm-256color"})
    assert ok_code == 0 and b"\x1b[1;32mok\x1b[0m" in ok  # green


@pytest.mark.parametrize("env", [{"NO_COLOR": "1", "TERM": "xterm-256color"}, {"TERM": "dumb"}])
def test_no_color_and_a_dumb_terminal_get_plain_rows_without_an_escape_byte(broken: Repo,
                                                                           env: dict[str, str]) -> None:
    code, out = under_pty(["check", "--tag", "v0.1.1"], broken, env)
    assert code == 1 and b"\x1b" not in out
    lines = out.decode().replace("\r\n", "\n").splitlines()
    assert lines[0].startswith("relmgr check v0.1.1 (v0.1.0..v0.1.1, Z-stream): failed, 1 violation")
    row = lines[2].split("\t")
    assert row[:3] == ["violation", row[1], "files"] and row[5] == "undeclared-breaking-change"
    assert row[11] == "https://github.com/a/b/pull/7"
    verbose = under_pty(["check", "--tag", "v0.1.1", "--verbose"], broken, env)[1].decode().splitlines()
    assert verbose[2].split("\t")[7:9] == ["GET /v1/files/{id}", "added the required query parameter 'mode'"]


class Terminal(io.StringIO):
    """A stream that says it is a terminal, for the bar's own tests (rich draws on it)."""

    def isatty(self) -> bool:
        return True


def test_progress_phases_replace_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    stream = Terminal()
    with progress.terminal_progress(stream=stream, start_after=1) as report:
        assert isinstance(report, progress._Bar)
        report("reading commits", 5, None)
        report("comparing the OpenAPI specs of v0.1.0 and v0.1.1", 0, None)
        assert report._progress is not None
        assert [t.description for t in report._progress.tasks] == [
            "comparing the OpenAPI specs of v0.1.0 and v0.1.1"]  # the finished phase's bar is gone
        report("attributing OpenAPI spec changes to commits", 3, 4)
        assert [t.description for t in report._progress.tasks] == ["attributing OpenAPI spec changes to commits"]
    assert "attributing OpenAPI spec changes to commits" in stream.getvalue()


def test_a_single_slow_step_shows_after_a_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "START_SECONDS", 0.05)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    stream = Terminal()
    with progress.terminal_progress(stream=stream) as report:
        assert report is not None
        report("comparing the OpenAPI specs of v0.1.0 and v0.1.1", 0, None)  # and nothing more for a while
        time.sleep(0.3)
        assert "comparing the OpenAPI specs" in stream.getvalue()


def test_with_no_color_progress_is_one_line_without_an_escape_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    stream = Terminal()
    with progress.terminal_progress(stream=stream, start_after=1) as report:
        assert report is not None
        report("reading the OpenAPI specs", 1, 2)
        report("attributing OpenAPI spec changes to commits", 2, 2)
    text = stream.getvalue()
    assert "\x1b" not in text
    assert "\rreading the OpenAPI specs 1/2 …" in text and "\rattributing OpenAPI spec changes to commits 2/2 …" in text
    assert text.endswith("\r")  # blanked at the end


def test_a_pipe_gets_no_progress() -> None:
    with progress.terminal_progress(stream=io.StringIO()) as report:
        assert report is None


def test_check_shows_its_phases_on_a_pseudo_terminal(broken: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real command, in-process, stderr on a pty: each phase of the spec work is drawn (and erased)."""
    import threading

    from relmgr.cli import fast

    monkeypatch.setattr(progress, "START_SECONDS", 0.0)  # draw at once: the history is small
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    with open(slave, "w", closefd=False) as terminal:
        monkeypatch.setattr(sys, "stderr", terminal)
        code = fast.run(["--repo", str(broken.path), "check", "--tag", "v0.1.1"])
        terminal.flush()
    time.sleep(0.2)
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    assert code == 1
    for phase in (b"reading the OpenAPI specs", b"comparing the OpenAPI specs of v0.1.0 and v0.1.1",
                  b"attributing OpenAPI spec changes to commits"):
        assert phase in seen, phase
