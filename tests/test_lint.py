"""`relmgr lint`: a table of good and bad messages, message files, PR titles, ranges and the hook."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from relmgr.config.load import parse_config
from relmgr.config.model import Config
from relmgr.history.versions import Stream
from relmgr.policy.lint import SCISSORS, clean_message, lint_message
from tests.conftest import Repo, run_cli

APIS = """
[tool.relmgr.apis.files]
level = "v1"
scopes = ["files", "file-store"]
paths = ["src/files/"]

[tool.relmgr.apis.batches]
level = "v1alpha"
scopes = ["batches"]

[tool.relmgr.lint]
scopes = ["deps", "ci"]
"""
CONFIG = parse_config({
    "apis": {"files": {"level": "v1", "scopes": ["files", "file-store"], "paths": ["src/files/"]},
             "batches": {"level": "v1alpha", "scopes": ["batches"]}},
    "lint": {"scopes": ["deps", "ci"]},
})
LONG = "feat(files): " + "x" * 60

# message, expected (severity, rule) findings
TABLE: list[tuple[str, list[tuple[str, str]]]] = [
    ("feat(files): add upload sessions", []),
    ("fix: handle empty uploads (#12)", []),
    ("feat(files)!: drop purpose=batch\n\nBREAKING CHANGE: use purpose=batch-input", []),
    ("refactor(file_store): split the store", []),  # scopes compare with - _ and case folded
    ("chore(deps): bump fastapi", []),  # an extra scope from [tool.relmgr.lint]
    ("feat(files,batches): both", []),  # multi-scope header
    ("Feat(files): types are case-insensitive", []),
    ("revert: feat(files): undo it", []),
    ('Revert "feat(files): add upload sessions"\n\nThis reverts commit 1234567.', []),
    ('Reapply "feat(files): add upload sessions"', []),
    ("Merge branch 'main' into feature", []),
    ("Merge pull request #12 from acme/feature", []),
    ("fixup! feat(files): add upload sessions", []),
    ("squash! whatever the header was", []),
    ("amend! feat(files): add upload sessions", []),
    ("docs: note\n\nBREAKING CHANGE: none", []),  # PR templates: declares nothing
    ("add upload sessions", [("error", "header-format")]),
    ("", [("error", "header-format")]),
    ("feat : space before colon", [("error", "header-format")]),
    ("fix:no space", [("error", "header-format")]),
    ("feat(): empty scope", [("error", "header-format")]),
    ("feat(files):", [("error", "description-empty")]),
    ("feat(files): (#12)", [("error", "description-empty")]),
    ("feature(files): add upload sessions", [("error", "type-enum")]),
    ("wip: half done", [("error", "type-enum")]),
    ("feat(files): x\n\nBREAKING CHANGES: the old field is gone", [("error", "near-miss-token")]),
    ("feat(files): x\n\nBreaking change: the old field is gone", [("error", "near-miss-token")]),
    ("feat(files): x\n\n> BREAKING CHANGES: quoted, not a declaration", []),
    (LONG, [("warning", "header-max-length")]),
    ("feat(widgets): unknown scope", [("warning", "unknown-scope")]),
    ("feat(files,widgets): one unknown part", [("warning", "unknown-scope")]),
    ("feat: header\n# a comment git would strip is still text in --message", []),
]


@pytest.mark.parametrize(("message", "expected"), TABLE)
def test_lint_table(message: str, expected: list[tuple[str, str]]) -> None:
    findings = lint_message(message, CONFIG)
    assert [(f.severity, f.rule) for f in findings] == expected, findings


def test_near_miss_names_the_right_spelling() -> None:
    (finding,) = lint_message("fix: x\n\nBREAKING CHANGES: y", CONFIG)
    assert finding.message == "'BREAKING CHANGES:' is not a Conventional Commits token; write 'BREAKING CHANGE:'"


def test_type_hint_suggests_the_nearest_type() -> None:
    (finding,) = lint_message("feature: x", CONFIG)
    assert "did you mean 'feat'?" in finding.message


def test_configured_types_and_length() -> None:
    config = parse_config({"lint": {"types": ["feat", "Fix"], "max-header-length": 20}})
    assert lint_message("fix: ok", config) == []
    assert [f.rule for f in lint_message("docs: now refused by config", config)] == ["type-enum", "header-max-length"]


@pytest.mark.parametrize(("mode", "severity"), [("warn", "warning"), ("error", "error"), ("ignore", None)])
def test_unknown_scope_mode(mode: str, severity: str | None) -> None:
    config = parse_config({"apis": {"files": {"level": "v1", "scopes": ["files"]}},
                           "lint": {"unknown-scope": mode}})
    findings = lint_message("feat(widgets): x", config)
    assert [f.severity for f in findings] == ([severity] if severity else [])


def test_scopes_are_free_without_apis() -> None:
    assert lint_message("feat(anything): x", Config()) == []


def test_title_is_a_header_only() -> None:
    assert lint_message("feat(files): x\n\nBREAKING CHANGES: y", CONFIG, header_only=True) == []


@pytest.mark.parametrize(("message", "stream", "expected"), [
    ("feat(files)!: x", Stream.Z, ["break-in-forbidden-stream"]),  # v1 never breaks in a patch
    ("feat(files)!: x", Stream.Y, []),
    ("feat(batches)!: x", Stream.Z, []),  # alpha may
    ("feat!: unmapped", Stream.Z, ["break-in-forbidden-stream"]),  # default-level v1
    ("feat(files): not breaking", Stream.Z, []),
])
def test_stream_warnings(message: str, stream: Stream, expected: list[str]) -> None:
    findings = lint_message(message, CONFIG, stream=stream)
    assert [f.rule for f in findings] == expected
    assert all(f.severity == "warning" for f in findings)


def test_clean_message_drops_comments_and_the_scissors() -> None:
    text = "\n".join([
        "feat(files): add sessions", "", "Body.", "# Please enter the commit message", SCISSORS,
        "diff --git a/x b/x", "BREAKING CHANGES: in the diff, not the message",
    ])
    assert clean_message(text) == "feat(files): add sessions\n\nBody."


@given(st.text())
def test_lint_never_raises(text: str) -> None:
    for finding in lint_message(text, CONFIG, stream=Stream.Z):
        assert finding.severity in ("error", "warning") and finding.message


@given(st.text())
def test_clean_message_is_idempotent(text: str) -> None:
    once = clean_message(text)
    assert clean_message(once) == once
    assert not any(line.startswith("#") for line in once.split("\n"))


# -- the command -----------------------------------------------------------------------------------


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.config(APIS)
    repo.commit("feat: init")
    return repo


def test_message_ok_is_quiet(project: Repo) -> None:
    run = run_cli(["lint", "--message", "feat(files): x"], project)
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", "")


def test_message_error_text(project: Repo) -> None:
    run = run_cli(["lint", "-m", "wip: x"], project)
    assert run.exit_code == 1
    assert run.stdout.startswith("error: message: type 'wip' is not allowed;")
    assert run.stdout.rstrip().endswith("[type-enum]")


def test_warnings_pass_unless_strict(project: Repo) -> None:
    assert run_cli(["lint", "--title", "feat(widgets): x"], project).exit_code == 0
    strict = run_cli(["lint", "--title", "feat(widgets): x", "--strict", "--json"], project)
    assert strict.exit_code == 1
    assert strict.json() == {"ok": False, "findings": [{
        "sha": None, "subject": "feat(widgets): x", "severity": "warning", "rule": "unknown-scope",
        "message": "scope 'widgets' names no configured API; use one of batches, ci, deps, file-store, files, "
                   "or add it to [tool.relmgr.lint] scopes",
    }]}


def test_file_as_git_writes_it(project: Repo, tmp_path: Path) -> None:
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text("fix(files): x\n\n# Please enter the commit message for your changes.\n"
                    f"{SCISSORS}\n# Do not modify or remove the line above.\ndiff --git a/a b/a\n"
                    "BREAKING CHANGES: only in the diff\n")
    assert run_cli(["lint", "--file", str(path)], project).exit_code == 0
    path.write_text("# only comments\n")
    run = run_cli(["lint", "--file", str(path)], project)
    assert run.exit_code == 1 and "the message is empty" in run.stdout


def test_file_from_stdin_and_missing_file(project: Repo, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from relmgr.cli.app import app

    result = CliRunner().invoke(app, ["--repo", str(project.path), "lint", "--file", "-"], input="oops\n")
    assert result.exit_code == 1 and "header-format" in result.stdout
    run = run_cli(["lint", "--file", str(tmp_path / "nope")], project)
    assert run.exit_code == 2 and "cannot read the message file" in run.stderr


def test_exactly_one_input(project: Repo) -> None:
    run = run_cli(["lint"], project)
    assert run.exit_code == 2 and "exactly one of" in run.stderr
    run = run_cli(["lint", "-m", "feat: x", "--title", "feat: y"], project)
    assert run.exit_code == 2 and "--message, --title" in run.stderr


def test_range_lints_every_commit(project: Repo) -> None:
    base = project.head()
    good = project.commit("feat(files): fine")
    bad = project.commit("Added stuff")
    breaking = project.commit("fix!: patch-unsafe", {"src/files/a.py": "1"})  # files by path
    project.commit("Merge tag 'x' (git's own)")
    run = run_cli(["lint", "--range", f"{base}..HEAD", "--stream", "z", "--json"], project)
    assert run.exit_code == 1
    found = [(f["sha"], f["severity"], f["rule"]) for f in run.json()["findings"]]
    assert found == [(breaking, "warning", "break-in-forbidden-stream"), (bad, "error", "header-format")]
    assert good not in {f[0] for f in found}
    text = run_cli(["lint", "--range", f"{base}..HEAD"], project)
    assert text.stdout.splitlines() == [
        f"error: {bad[:7]}: the header 'Added stuff' is not `type(scope)!: description`, "
        "e.g. `fix(files): handle empty uploads` [header-format]",
        f"relmgr lint {base}..HEAD: 4 commits, 1 error, 0 warnings",
    ]


def test_lint_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "relmgr.toml").write_text(APIS)
    run = run_cli(["lint", "--title", "feat(widgets): x", "--json"])
    assert run.exit_code == 0 and run.json()["findings"][0]["rule"] == "unknown-scope"


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [{
        "id": "relmgr-lint", "name": "relmgr lint", "description": hooks[0]["description"],
        "entry": "relmgr lint --file", "language": "python", "stages": ["commit-msg"], "pass_filenames": True,
    }]
