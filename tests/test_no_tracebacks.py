"""Every input ends in one line and its documented exit code, never a traceback (issue 16, item 5)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Repo, run_cli
from tests.release_repo import project

DIGITS = "9" * 5000  # past Python's int-conversion limit (4,300 digits)


def relmgr(repo: Repo | Path, *args: str, shell_redirect: str = "",
           timeout: float = 60) -> subprocess.CompletedProcess[str]:
    where = repo.path if isinstance(repo, Repo) else repo
    command = " ".join([f"'{sys.executable}'", "-m", "relmgr", "--repo", f"'{where}'", *(f"'{a}'" for a in args)])
    return subprocess.run(["sh", "-c", f"{command} {shell_redirect}"], capture_output=True, text=True, timeout=timeout,
                          check=False, env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)})


def one_line(text: str) -> bool:
    return text.count("\n") == 1 and text.startswith("relmgr: ") and "Traceback" not in text


@pytest.fixture
def released(repo: Repo) -> Repo:
    repo.commit(f"fix: a huge PR number (#{DIGITS})")
    repo.tag("v0.1.0")
    repo.commit("fix: more")
    return repo


def test_huge_numbers_in_subjects_versions_and_tags(released: Repo) -> None:
    rows = run_cli(["scan", "HEAD", "--json"], released).json()["commits"]
    assert rows[1]["pr"] is None  # 5,000 digits are no PR number
    sha = released.head()
    with (released.path / ".git" / "packed-refs").open("a") as packed:  # too long for a loose ref
        packed.write(f"{sha} refs/tags/v1.{DIGITS}\n")
    skipped = {s["tag"]: s["reason"] for s in run_cli(["releases", "--json"], released).json()["skipped"]}
    assert skipped[f"v1.{DIGITS}"] == "not a SemVer or PEP 440 version"
    release = run_cli(["release", "--version", DIGITS], released)
    assert release.exit_code == 2 and one_line(release.stderr)
    released.config(f'[apis.a]\nlevel = "v1"\nhistory = [{{ until = "{DIGITS}", level = "v1beta" }}]\n')
    config = run_cli(["releases"], released)
    assert config.exit_code == 3 and one_line(config.stderr) and "is not a version" in config.stderr
    released.config('[apis.a]\nlevel = "v1beta"\n')
    graduate = run_cli(["graduate", "a", "--to", "v1", "--at", DIGITS], released)
    assert graduate.exit_code == 2 and one_line(graduate.stderr)


def test_a_config_that_is_not_utf8(repo: Repo) -> None:
    repo.commit("feat: one")
    (repo.path / "relmgr.toml").write_bytes(b'tag-prefix = "v\xff"\n')
    run = run_cli(["releases"], repo)
    assert run.exit_code == 3
    assert run.stderr == (f"relmgr: error: {repo.path / 'relmgr.toml'}: not UTF-8 text (invalid start byte at "
                          "byte 15); save it as UTF-8\n")


def test_stdout_closed_or_full(released: Repo) -> None:
    closed = relmgr(released, "releases", shell_redirect=">&-")
    assert closed.returncode == 2 and one_line(closed.stderr), closed.stderr
    assert "stdout is closed" in closed.stderr
    if Path("/dev/full").exists():
        full = relmgr(released, "scan", "HEAD", shell_redirect="> /dev/full")
        assert full.returncode == 2
        assert full.stderr == "relmgr: error: cannot write the output: No space left on device\n"


def test_a_reader_that_goes_away_is_141_never_0(released: Repo) -> None:
    for _ in range(40):  # enough output that the pipe cannot hold it
        released.commit("feat: " + "x" * 200)
    script = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); "
              "from relmgr.__main__ import run; sys.exit(run(sys.argv[1:]))")
    for args in (["scan", "HEAD"], ["scan", "HEAD", "--json"], ["changelog"], ["check", "--stream", "z"]):
        proc = subprocess.run([sys.executable, "-c", script, "--repo", str(released.path), *args], capture_output=True,
                              text=True, timeout=60, check=False)
        assert proc.returncode == 141, (args, proc.stderr)
        assert proc.stderr == "", args


def test_out_of_memory_and_bugs_are_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                             released: Repo) -> None:
    from relmgr.__main__ import run
    from relmgr.history.repository import Project

    def boom(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(Project, "open", boom)
    assert run(["--repo", str(released.path), "releases"]) == 70
    assert capsys.readouterr().err == ("relmgr: error: out of memory; give relmgr more memory, or a smaller range "
                                       "or spec\n")

    def bug(*args: object) -> None:
        raise TypeError("a bug")

    monkeypatch.setattr(Project, "open", bug)
    monkeypatch.delenv("RELMGR_DEBUG", raising=False)
    assert run(["--repo", str(released.path), "releases"]) == 70
    assert capsys.readouterr().err == ("relmgr: error: internal error: TypeError: a bug; please report it "
                                       "(RELMGR_DEBUG=1 shows the traceback)\n")


def test_ctrl_c_at_start_up_or_later_is_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                            released: Repo) -> None:
    from relmgr.__main__ import run
    from relmgr.cli import app, fast

    def interrupt(argv: list[str]) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "run_app", interrupt)  # as if Ctrl-C came while Python imported relmgr
    monkeypatch.setattr(fast, "run", interrupt)  # (the fast path, without typer, or typer's)
    assert run(["releases"]) == 130
    assert capsys.readouterr().err == "\nrelmgr: interrupted\n"
    monkeypatch.undo()
    from relmgr.history.repository import Project

    def slow(*args: object) -> None:
        raise KeyboardInterrupt  # inside a command: click would say "Aborted!" and exit 1

    monkeypatch.setattr(Project, "open", slow)
    assert run(["--repo", str(released.path), "releases"]) == 130
    assert "Aborted" not in capsys.readouterr().err


def test_a_real_interrupt_never_shows_a_traceback(released: Repo) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for delay in (0.3, 0.5, 0.8):
        proc = subprocess.Popen([sys.executable, "-m", "relmgr", "--repo", str(released.path), "changelog"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if "init_import_site" in err or proc.returncode == -signal.SIGINT:
            continue  # the interpreter's own start-up (its SIGINT handler not set yet), before relmgr runs
        assert "Traceback" not in err and proc.returncode in (0, 130), (delay, proc.returncode, err)


def test_sigterm_during_a_release_removes_the_lock(repo: Repo) -> None:
    project(repo)
    repo.commit("feat(files): one")
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 5\n")
    hook.chmod(0o755)
    env = {**repo.env(), "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "relmgr", "release"], cwd=repo.path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = repo.path / ".git" / "relmgr-release.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert not lock.exists()
