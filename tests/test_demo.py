"""`relmgr demo`: the sample history builds the same every time and the tour shows what it promises."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from relmgr.app.demo import SCRIPT, Commit, build
from relmgr.cli.commands import demo as demo_command
from tests.conftest import run_cli


def _refs(folder: Path) -> str:
    out = subprocess.run(["git", "for-each-ref", "--format=%(objectname) %(refname)"], cwd=folder,
                         capture_output=True, check=True, text=True)
    return out.stdout


@pytest.fixture(scope="module")
def toured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    folder = tmp_path_factory.mktemp("demo") / "sample"
    started = time.perf_counter()
    result = run_cli(["demo", str(folder)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return folder, result.stdout, elapsed


def _stop(output: str, number: int) -> str:
    """The text of tour stop `number` (from its rule line to the next one)."""
    parts = re.split(r"^── \d/6 ", output, flags=re.MULTILINE)
    return parts[number]


def test_the_demo_runs_end_to_end_quickly(toured: tuple[Path, str, float]) -> None:
    folder, output, elapsed = toured
    assert elapsed < 30
    assert output.startswith(f"Built a sample repository at {folder}\nAcme Widgets: 19 commits and 6 version tags")
    for number, command in enumerate(["releases", "check --tag v0.3.0", "check --tag v0.2.2", "next-version",
                                      "notes v0.3.0", "propose --today 2025-05-01"], 1):
        stop = _stop(output, number)
        assert "What you are looking at: " in stop
        assert f"Run it yourself: relmgr --repo {folder} {command}\n" in stop
    assert output.rstrip().endswith("In your own repository, `relmgr init` writes a starter config.")


def test_each_stop_shows_its_finding(toured: tuple[Path, str, float]) -> None:
    _, output, _ = toured
    releases = _stop(output, 1)
    assert re.search(r"v0\.3\.0 +\| 0\.3\.0 +\| v0\.2\.2 +\| y", releases)
    assert re.search(r"v0\.2\.0rc1 +\| 0\.2\.0rc1 +\| v0\.1\.0 +\| y +\| yes", releases)
    good = _stop(output, 2)
    assert "relmgr check v0.3.0 (v0.2.2..v0.3.0, Y-stream): ok, 0 violations, 0 warnings, 2 breaking changes" in good
    assert "(exit code" not in good
    bad = _stop(output, 3)
    assert "relmgr check v0.2.2 (v0.2.1..v0.2.2, Z-stream): failed, 4 violations" in bad
    row = next(line for line in bad.splitlines() if "drop the legacy completions endpoint" in line)
    cells = row.split("\t")  # one tab-separated row per group
    assert cells[2:6] == ["inference", "v1", "z", "break-in-forbidden-stream"]
    assert cells[9].startswith("fix(inference)!: ")
    rows = [line for line in bad.splitlines() if "serve model details from the model list" in line]
    assert any(line.split("\t")[2:6] == ["inference", "v1", "z", "undeclared-breaking-change"]
               and line.split("\t")[9].startswith("refactor(inference): ") for line in rows)
    assert "(exit code 1)" in bad
    assert re.search(r"\n\n0\.4\.0\n", _stop(output, 4))
    notes = _stop(output, 5)
    assert "## 0.3.0 - 2025-03-17" in notes
    assert "### ⚠ Breaking changes" in notes
    assert "the `functions` field of `POST /v1/chat/completions` is gone;" in notes
    assert "reject empty uploads" not in notes  # shipped in v0.2.1 by a cherry-pick
    propose = _stop(output, 6)
    assert "As of 2025-05-01" in propose
    assert "**Verdict: ❌ not yet.**" in propose
    assert "stability-risk" in propose


def test_the_sample_history_is_the_same_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert build(first) == build(second)
    assert _refs(first) == _refs(second)
    assert "refs/heads/release-0.2.x" in _refs(first)
    one = run_cli(["demo", str(tmp_path / "three")]).stdout
    two = run_cli(["demo", str(tmp_path / "four")]).stdout
    assert one.replace(str(tmp_path / "three"), "DIR") == two.replace(str(tmp_path / "four"), "DIR")


def test_the_script_names_each_commit_once() -> None:
    keys = [step.key for step in SCRIPT if isinstance(step, Commit) and step.key]
    assert len(keys) == len(set(keys))


def test_a_non_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine\n")
    result = run_cli(["demo", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not an empty folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    a_file = tmp_path / "keep.txt"
    assert run_cli(["demo", str(a_file)]).exit_code == 2


def test_an_empty_folder_is_fine_and_no_run_only_builds(tmp_path: Path) -> None:
    result = run_cli(["demo", "--no-run", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == f"{tmp_path.resolve()}\n"
    assert (tmp_path / "relmgr.toml").is_file()
    assert (tmp_path / "openapi.yaml").is_file()


def test_without_a_folder_it_builds_in_a_new_temporary_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = run_cli(["demo", "--quiet"])
    built = Path(result.stdout.strip())
    assert result.exit_code == 0
    assert built.parent == tmp_path
    assert built.name.startswith("relmgr-demo-")
    assert (built / ".git").is_dir()


def test_a_stop_that_goes_off_script_fails_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = demo_command.tour

    def expecting_a_pass(today: str) -> tuple[demo_command.Stop, ...]:
        stops = original(today)
        bad = next(s for s in stops if s.expect == 1)
        return tuple(demo_command.Stop(s.title, s.explain, s.args) if s is bad else s for s in stops)

    monkeypatch.setattr(demo_command, "tour", expecting_a_pass)
    result = run_cli(["demo", str(tmp_path / "sample")])
    assert result.exit_code == 1
    assert "did not go as scripted (the gate on a bad release)" in result.stderr
