"""The fast path runs the everyday commands without typer, exactly as typer runs them, and leaves the rest
to typer: its option tables match the typer signatures, its output matches typer's, it declines what it
does not know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from relmgr.cli import fast
from relmgr.cli.app import app
from tests.conftest import Repo, run_cli


def _click_options(command: Any) -> tuple[dict[str, bool], list[str]]:
    """{option name: is a flag} and the positional arguments' names of a (typer's vendored) click command."""
    options: dict[str, bool] = {}
    arguments: list[str] = []
    for param in command.params:
        if param.param_type_name == "option":
            for name in (*param.opts, *param.secondary_opts):
                if name not in ("-h", "--help"):
                    options[name] = param.is_flag
        elif param.param_type_name == "argument" and param.name:
            arguments.append(param.name)
    return options, arguments


def test_the_tables_match_the_typer_signatures() -> None:
    group: Any = typer.main.get_command(app)
    for name, command in fast.COMMANDS.items():
        found = group.commands.get(name)
        assert found is not None, name
        options, arguments = _click_options(found)
        assert {n: o.kind == "flag" for n, o in command.options.items()} == options, name
        assert list(command.arguments) == arguments, name
        for option in command.options.values():
            param = next(p for p in found.params if p.name == option.dest)
            assert option.env == (param.envvar or None), (name, option.dest)
    root_options, _ = _click_options(group)
    for typer_only in ("--version", "--install-completion", "--show-completion"):  # left to typer (or __main__)
        root_options.pop(typer_only)
    assert {n: o.kind == "flag" for n, o in fast.GLOBAL.items()} == root_options


@pytest.fixture
def history(repo: Repo) -> Repo:
    repo.config('[tool.relmgr]\nrepo-url = "https://github.com/acme/w"\n[tool.relmgr.apis.files]\nlevel = "v1"\n'
                'paths = ["src/files/**"]\n')
    repo.commit("feat(files): start", {"src/files/a.py": "1"})
    repo.tag("v0.1.0")
    repo.commit("feat(files)!: drop the old route (#3)\n\nBREAKING CHANGE: gone", {"src/files/a.py": "2"})
    repo.tag("v0.1.1")
    repo.commit("fix: [bold]not markup[/bold] \\ (#4)")
    return repo


COMMAND_LINES = (
    ["releases"], ["releases", "--json"], ["check", "--tag", "v0.1.1"], ["check", "--tag=v0.1.1", "--json"],
    ["check", "--tag", "v0.1.1", "--format", "github"], ["check", "--strict"], ["check", "--stream", "y"],
    ["check", "v0.1.0..HEAD", "--stream", "z", "--approved", "3"], ["check", "--tag", "v9.9.9"],
    ["check", "--stream", "q"], ["notes", "v0.1.1"], ["notes", "--json"], ["notes"], ["notes", "--date", "2024-13-01"],
    ["next-version"], ["next-version", "--tag"], ["next-version", "--pre", "rc", "--json"], ["changelog"],
    ["changelog", "--json"], ["notes", "v0.1.1", "--json", "--template", "t.j2"],
)


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_fast_commands_print_what_typer_prints(history: Repo, args: list[str],
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("RELMGR_APPROVED", raising=False)
    code = fast.run(["--repo", str(history.path), *args])
    out = capsys.readouterr()
    assert code is not None, "the fast path declined a plain command line"
    typed = run_cli(args, history, env={"RELMGR_APPROVED": None})
    assert (code, out.out, out.err) == (typed.exit_code, typed.stdout, typed.stderr)


def test_the_approved_variable_is_read_as_typer_reads_it(history: Repo, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELMGR_APPROVED", "3")
    code = fast.run(["--repo", str(history.path), "check", "--stream", "z", "--json"])
    out = capsys.readouterr().out
    typed = run_cli(["check", "--stream", "z", "--json"], history, env={"RELMGR_APPROVED": "3"})
    assert (code, out) == (typed.exit_code, typed.stdout)


@pytest.mark.parametrize("args", [
    [], ["--help"], ["releases", "--help"], ["check", "-h"], ["check", "--format", "xml"], ["check", "--tag"],
    ["releases", "extra"], ["releases", "--json=1"], ["check", "--tag", "--json"], ["notes", "a", "b"],
    ["notes", "-ofile"], ["notes", "--", "v1"], ["scan"], ["--version"], ["--repo"], ["check", "--tag", ""],
], ids=lambda a: " ".join(a) or "(nothing)")
def test_what_typer_should_judge_is_left_to_it(args: list[str]) -> None:
    assert fast.parse(args) is None


def test_paths_typer_would_refuse_are_left_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, file = tmp_path / "folder", tmp_path / "file"
    folder.mkdir()
    file.write_text("x")
    assert fast.parse(["--repo", str(file), "releases"]) is None  # "is a file"
    assert fast.parse(["--config", str(folder), "releases"]) is None  # "is a directory"
    assert fast.parse(["notes", "v1", "-o", str(folder)]) is None
    assert fast.parse(["--repo", str(folder), "notes", "v1", "-o", str(tmp_path / "new.md")]) is not None
    monkeypatch.setenv("_RELMGR_COMPLETE", "bash_complete")
    assert fast.run(["releases"]) is None  # shell completion is typer's


@pytest.fixture
def packages(repo: Repo) -> Repo:
    from tests.test_packages import INDEPENDENT, start

    start(repo, INDEPENDENT)
    repo.commit("fix(inference): a server fix", {"src/ogx/inference/api.py": "def chat(): return 1\n"})
    repo.tag("v0.1.1")
    repo.commit("feat: a client feature", {"clients/ts/index.ts": "export {}\n"})
    repo.tag("client-v0.2.0")
    repo.commit("fix: another client fix", {"clients/ts/index.ts": "export const a = 1\n"})
    return repo


@pytest.mark.parametrize("args", [
    ["releases", "--all-packages"], ["releases", "--package", "client", "--json"], ["next-version", "--all-packages"],
    ["next-version", "--package=client", "--json"], ["check", "--all-packages", "--json"],
    ["check", "--package", "server", "--tag", "v0.1.1"], ["notes", "--package", "client"],
    ["notes", "--all-packages", "--json"], ["releases", "--package", "nope"],
], ids=" ".join)
def test_packages_run_fast_as_typer_runs_them(packages: Repo, args: list[str], capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    code = fast.run(["--repo", str(packages.path), *args])
    out = capsys.readouterr()
    typed = run_cli(args, packages)
    assert (code, out.out, out.err) == (typed.exit_code, typed.stdout, typed.stderr)
