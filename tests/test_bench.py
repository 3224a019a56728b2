"""scripts/bench.py runs from a clone with one command and prints its table (a smoke test, no peers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.mark.slow
def test_bench_runs_on_a_small_synthetic_history(tmp_path: Path) -> None:
    repo = tmp_path / "s300"
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), str(repo), "--commits", "300", "--runs", "1", "--warmup", "0",
         "--no-peers"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "commits (HEAD)" in out
    rows = {line.split("  ")[0].strip(): line for line in out.splitlines() if line.startswith(("git ", "relmgr "))}
    for label in ("git log --name-only (floor)", "relmgr changelog", "relmgr notes TAG", "relmgr check --tag TAG",
                  "relmgr --version"):
        assert label in rows, out
    floor = rows["git log --name-only (floor)"].split()
    assert floor[-4] == "1.00"  # the floor against itself
    assert "git-cliff" not in out


def test_bench_refuses_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPTS / "bench.py"), str(tmp_path), "--no-peers"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "not a git repository" in result.stderr


@pytest.mark.slow
def test_bench_compares_specs_off_and_on_on_a_spec_heavy_history(tmp_path: Path) -> None:
    repo = tmp_path / "specs"
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), str(repo), "--commits", "150", "--spec-size", "20KB", "--runs",
         "1", "--warmup", "0", "--no-peers", "--warm"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "OpenAPI specs: 3 files" in out and "MINOR = v" in out
    header = next(line for line in out.splitlines() if line.startswith("command") and "specs off s" in line)
    assert header.split() == ["command", "specs", "off", "s", "specs", "on", "s", "x", "off", "warm", "s", "warm", "x",
                              "off", "on", "peak", "MiB"]
    rows = [line for line in out.splitlines() if line.startswith("relmgr ") and "MINOR" in line]
    assert [r.split("  ")[0] for r in rows] == ["relmgr check --tag MINOR", "relmgr notes MINOR"]
