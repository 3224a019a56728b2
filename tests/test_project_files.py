"""The files a newcomer copies or runs: the GitHub Action, the CI recipes, the pre-commit hook, the README's
quick start, shell completion, and relmgr's own config (relmgr releases itself with relmgr)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from relmgr.app.demo import build
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


# -- the action -----------------------------------------------------------------------------------------


def test_the_action_is_a_composite_with_its_inputs() -> None:
    action = _yaml(ROOT / "action.yml")
    inputs = action["inputs"]
    assert inputs["command"]["required"] is True
    assert {name: inputs[name].get("default") for name in ("args", "python-version", "version")} == {
        "args": "", "python-version": "3.12", "version": ""}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert all(step.get("shell") == "bash" for step in steps[1:])
    for step in steps[1:]:  # inputs reach the scripts through env only: no expression inside a script
        assert "${{" not in step["run"], step["name"]


def _action_script() -> str:
    return str(_yaml(ROOT / "action.yml")["runs"]["steps"][-1]["run"])


def _run_action(folder: Path, command: str, args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # the venv's relmgr
    return subprocess.run(["bash", "-c", _action_script()], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PATH": path, "RELMGR_COMMAND": command, "RELMGR_ARGS": args, **env},
                          check=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("action") / "sample"
    build(folder)
    return folder


def test_the_action_runs_check_with_github_annotations(sample: Path) -> None:
    result = _run_action(sample, "check", "--tag v0.2.2", GITHUB_STEP_SUMMARY="")
    assert result.returncode == 1
    assert result.stdout.startswith("+ relmgr check --format github --tag v0.2.2\n")
    assert "::error title=relmgr check::" in result.stdout
    chosen = _run_action(sample, "check", "--tag v0.3.0 --json")
    assert chosen.returncode == 0
    assert chosen.stdout.startswith("+ relmgr check --tag v0.3.0 --json\n")


def test_the_action_splits_args_without_running_them(sample: Path) -> None:
    title = 'feat(files): a "quoted" title; touch pwned $(touch pwned2)'
    result = _run_action(sample, "lint", '--title "$PR_TITLE" --stream z', PR_TITLE=title)
    assert result.returncode == 0, result.stderr
    assert not (sample / "pwned").exists() and not (sample / "pwned2").exists()
    assert result.stdout.startswith("+ relmgr lint --title ")
    bad = _run_action(sample, "lint", "--title 'Update stuff'")
    assert bad.returncode == 1
    assert "[header-format]" in bad.stdout


# -- docs/ci.md, the hook, the README -------------------------------------------------------------------


def test_every_yaml_block_of_the_ci_recipes_parses() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = _fenced(text, "yaml")
    assert len(blocks) >= 6
    documents = [yaml.safe_load(block) for block in blocks]
    workflows = [d for d in documents if isinstance(d, dict) and "jobs" in d]
    assert {w["name"] for w in workflows} == {"PR title", "Release gate", "Release", "Stability page"}
    for workflow in workflows:
        for job in workflow["jobs"].values():
            checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
            assert checkout["uses"] == "actions/checkout@v4"
            if workflow["name"] != "PR title":
                assert checkout["with"]["fetch-depth"] == 0
    gitlab = next(d for d in documents if isinstance(d, dict) and "variables" in d)
    assert gitlab["variables"]["GIT_DEPTH"] == 0
    assert {"mr-title", "mr-gate", "stability-page", "release-notes", "release"} <= set(gitlab)


def test_the_pre_commit_hook_lints_commit_messages() -> None:
    hooks = _yaml(ROOT / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "relmgr-lint")
    assert hook["stages"] == ["commit-msg"]
    assert hook["entry"] == "relmgr lint --file"


def test_the_quick_start_has_two_commands_and_the_demo_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("## ", 1)[0]
    commands = _fenced(quick, "sh")[0].splitlines()
    assert commands == ["pip install . && relmgr demo",
                        "pip install -e '.[test]' && ruff check && mypy && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1]  # CI runs exactly the README's test command
    for name in ("demo", "init"):  # the README links their pages, which document them
        assert f"](docs/commands/{name}.md)" in readme
        assert (ROOT / "docs" / "commands" / f"{name}.md").read_text(encoding="utf-8").startswith(f"# relmgr {name}\n")
    for linked in ("docs/ci.md", "action.yml", "RELEASING.md"):
        assert f"]({linked})" in readme
        assert (ROOT / linked).is_file()


def test_shell_completion_is_offered_and_completes() -> None:
    help_text = run_cli(["--help"]).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    env = {**os.environ, "_RELMGR_COMPLETE": "complete_bash", "COMP_WORDS": "relmgr chec", "COMP_CWORD": "1"}
    result = subprocess.run([sys.executable, "-m", "relmgr"], env=env, capture_output=True, text=True, check=False)
    assert result.stdout.split() == ["check"]


# -- relmgr releases itself -----------------------------------------------------------------------------


def test_relmgrs_own_config_describes_its_surfaces() -> None:
    result = run_cli(["apis", "--json"], ROOT)
    assert result.exit_code == 0, result.stderr
    apis = {a["name"]: a for a in result.json()["apis"]}
    assert set(apis) == {"action", "cli", "config", "json"}
    assert {a["level"] for a in apis.values()} == {"v1beta"}
    assert {"check", "lint", "notes", "propose", "demo", "init"} <= set(apis["cli"]["scopes"])
    assert "relmgr/cli/**" in apis["cli"]["paths"]
    assert apis["action"]["paths"] == ["action.yml", ".pre-commit-hooks.yaml"]


def test_relmgrs_own_gate_runs_on_its_own_history() -> None:
    result = run_cli(["check", "--stream", "y", "--json"], ROOT)
    assert result.exit_code in (0, 1), result.stderr
    assert isinstance(result.json()["ok"], bool)
    assert run_cli(["next-version"], ROOT).exit_code == 0
