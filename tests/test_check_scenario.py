"""`relmgr check` on a replayed history: level history, pre-releases, reverts, unmapped changes, outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from relmgr.cli.output import github_escape
from tests.conftest import Repo, run_cli
from tests.golden import assert_golden

CONFIG = """
[tool.relmgr]
repo-url = "https://github.com/acme/widgets"
default-level = "v1beta"

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/inference/**"]
scopes = ["inference"]
history = [{ until = "0.3.0", level = "v1alpha" }]

[tool.relmgr.apis.files]
level = "v1beta"
paths = ["src/files/"]
scopes = ["files"]

[tool.relmgr.apis.batches]
level = "v1alpha"
paths = ["src/batches/"]
"""
NOTE = "\n\nBREAKING CHANGE: see the migration guide\n"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = Repo(tmp_path_factory.mktemp("check") / "repo")
    repo.config(CONFIG)
    shas: dict[str, str] = {}
    repo.commit("feat: init")
    repo.tag("v0.1.0")
    shas["c2"] = repo.commit("feat(files)!: drop purpose (#2)" + NOTE)
    shas["c2b"] = repo.commit("feat(inference)!: rename the model field (#4)")  # alpha at 0.2.0: no note needed
    repo.tag("v0.2.0")
    repo.branch("release-0.2.x")
    repo.checkout("release-0.2.x")
    shas["c3"] = repo.commit("fix!: tighten validation (#5)", {"src/inference/api.py": "strict"})
    shas["c4"] = repo.commit("feat(files)!: remove x (#6)" + NOTE)
    shas["c4r"] = repo.commit(f'Revert "feat(files)!: remove x (#6)"\n\nThis reverts commit {shas["c4"]}.\n')
    repo.tag("v0.2.1")
    repo.checkout("main")
    shas["c5"] = repo.commit("feat(files)!: new shape (#7)" + NOTE)
    shas["c6"] = repo.commit("feat(inference)!: drop the v0 route (#8)")
    repo.tag("v0.3.0rc1")
    shas["c7"] = repo.commit("feat(files)!: rename the id (#9)" + NOTE)
    repo.tag("v0.3.0rc2")
    repo.tag("v0.3.0")
    shas["c8"] = repo.commit("feat!: global change (#10)" + NOTE)
    shas["c9"] = repo.commit("fix: drop a field\n\nBREAKING CHANGES: the field is gone", {"src/inference/x.py": "1"})
    shas["c10"] = repo.commit("fix(batches)!: reshape (#11)", {"src/batches/a.py": "1"})
    repo.tag("v0.3.1")
    return {"repo": repo, "shas": shas}


def check(repo: Repo, *args: str, code: int, env: dict[str, str | None] | None = None,
          config: Path | None = None) -> dict[str, Any]:
    head = ["--config", str(config)] if config else []
    run = run_cli([*head, "check", *args, "--json"], repo, env=env)
    assert run.exit_code == code, run.stdout + run.stderr
    result: dict[str, Any] = run.json()
    return result


def cited(result: dict[str, Any], kind: str = "violations") -> list[tuple[str, str | None, str, str]]:
    return [(f["sha"], f["api"], f["level"], f["rule"]) for f in result[kind]]


def test_level_history_at_the_release(history: dict[str, Any]) -> None:
    # c3 breaks inference (by path) in the Z-stream 0.2.1: inference only became v1 at 0.3.0
    result = check(history["repo"], "--tag", "v0.2.1", code=0)
    assert result["release"] == {"tag": "v0.2.1", "version": "0.2.1", "previous": "v0.2.0", "stream": "z"}
    assert result["violations"] == [] and result["warnings"] == []


def test_revert_pair_is_not_judged(history: dict[str, Any]) -> None:
    # c4 (a v1beta break in a Z-stream) and its revert are both in 0.2.1: nothing to judge
    run = run_cli(["check", "--tag", "v0.2.1"], history["repo"])
    assert run.exit_code == 0
    assert "1 breaking change judged" in run.stdout  # c3 only


def test_prerelease_judged_by_its_finals_stream_at_its_own_version(history: dict[str, Any]) -> None:
    shas = history["shas"]
    result = check(history["repo"], "--tag", "v0.3.0rc2", code=0)
    # after rc1 it would read as a patch; it is a Y-stream release, so c7's v1beta break is allowed
    assert result["release"] == {"tag": "v0.3.0rc2", "version": "0.3.0rc2", "previous": "v0.2.1", "stream": "y"}
    # at 0.3.0rc2 inference is still v1alpha: c6 needs no migration note yet
    assert result["warnings"] == []
    final = check(history["repo"], "--tag", "0.3.0", code=0)  # without the prefix
    assert cited(final, "warnings") == [(shas["c6"], "inference", "v1", "missing-migration-note")]


def test_release_with_violations_cites_each_commit(history: dict[str, Any]) -> None:
    shas = history["shas"]
    result = check(history["repo"], "--tag", "v0.3.1", code=1)
    assert cited(result) == [
        (shas["c9"], "inference", "v1", "break-in-forbidden-stream"),
        (shas["c8"], None, "v1beta", "break-in-forbidden-stream"),  # unmapped: judged at default-level
    ]
    assert cited(result, "warnings") == [(shas["c9"], "inference", "v1", "near-miss-token")]
    assert result["violations"][1]["message"].startswith(f"{shas['c8'][:7]} breaks no configured API")


def test_unmapped_change_at_a_lenient_default_level(history: dict[str, Any], tmp_path: Path) -> None:
    config = tmp_path / "lenient.toml"
    config.write_text(CONFIG.replace('default-level = "v1beta"', 'default-level = "v1alpha"'))
    result = check(history["repo"], "--tag", "v0.3.1", code=1, config=config)
    assert [v["api"] for v in result["violations"]] == ["inference"]


def test_json_field_names_exactly(history: dict[str, Any]) -> None:
    result = check(history["repo"], "--tag", "v0.3.1", code=1)
    # the shipped fields first, in order; issue 15 added `groups` and `waived`, and per finding its detail
    assert list(result) == ["ok", "release", "violations", "warnings", "groups", "waived"]
    assert list(result["release"]) == ["tag", "version", "previous", "stream"]
    keys = ["sha", "subject", "api", "level", "stream", "rule", "message", "object", "check", "details", "change"]
    assert all(list(f) == keys for f in result["violations"] + result["warnings"])
    assert result["violations"][0]["subject"] == "fix: drop a field"
    assert result["violations"][0]["stream"] == "z"
    assert result["ok"] is False


def test_strict_fails_on_warnings(history: dict[str, Any]) -> None:
    assert check(history["repo"], "--tag", "v0.3.0", code=0)["ok"] is True
    strict = check(history["repo"], "--tag", "v0.3.0", "--strict", code=1)
    assert strict["ok"] is False and strict["violations"] == []


def test_require_approval(history: dict[str, Any], tmp_path: Path) -> None:
    shas = history["shas"]
    config = tmp_path / "approval.toml"
    config.write_text(CONFIG + '\n[tool.relmgr.policy]\nrequire-approval = ["v1"]\n')
    result = check(history["repo"], "--tag", "v0.3.0", code=1, config=config, env={"RELMGR_APPROVED": None})
    assert cited(result) == [(shas["c6"], "inference", "v1", "missing-approval")]
    assert "label PR #8 `breaking-change`" in result["violations"][0]["message"]
    check(history["repo"], "--tag", "v0.3.0", "--approved", "7,8", code=0, config=config)
    check(history["repo"], "--tag", "v0.3.0", code=0, config=config, env={"RELMGR_APPROVED": "99 #8"})
    check(history["repo"], "--tag", "v0.3.0", code=1, config=config, env={"RELMGR_APPROVED": "7, 9"})


def test_text_output(history: dict[str, Any]) -> None:
    run = run_cli(["check", "--tag", "v0.3.1"], history["repo"])
    assert run.exit_code == 1 and run.stderr == ""
    assert_golden("check_v0.3.1.txt", anonymize(run.stdout, history["shas"]))
    assert "https://github.com/acme/widgets/pull/10" in run.stdout


def test_github_output_and_step_summary(history: dict[str, Any], tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    run = run_cli(["check", "--tag", "v0.3.1", "--format", "github"], history["repo"],
                  env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert [line.split("::")[1] for line in lines if line.startswith("::")] == [
        "error title=relmgr check", "error title=relmgr check", "warning title=relmgr check",
    ]
    assert lines[0].startswith(f"::error title=relmgr check::{history['shas']['c9'][:7]} breaks the v1 API")
    text = summary.read_text()
    assert text.startswith("earlier step\n### relmgr check v0.3.1: failed\n")  # appended, not replaced
    assert_golden("check_v0.3.1_summary.md", anonymize(text, history["shas"]))


def test_github_output_without_summary_file(history: dict[str, Any]) -> None:
    run = run_cli(["check", "--tag", "v0.2.1", "--format", "github"], history["repo"],
                  env={"GITHUB_STEP_SUMMARY": None})
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "relmgr check v0.2.1 (v0.2.0..v0.2.1, Z-stream): ok, 0 violations, 0 warnings, 1 breaking change judged"
    ]


def test_github_escapes_data() -> None:
    assert github_escape("100% done\r\nnext") == "100%25 done%0D%0Anext"


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["v0.1.0..HEAD"], 2, "needs --stream"),
    (["--tag", "v0.3.1", "--stream", "z"], 2, "drop --stream"),
    (["--tag", "v9.9.9"], 4, "tag v9.9.9 not found"),
    (["--stream", "w"], 2, "use z, y or x"),
    (["--stream", "z", "--approved", "abc"], 2, "not a PR number"),
    (["--tag", "v0.3.1", "--format", "xml"], 2, ""),
])
def test_usage_and_git_errors(history: dict[str, Any], args: list[str], code: int, needle: str) -> None:
    run = run_cli(["check", *args], history["repo"], env={"RELMGR_APPROVED": None})
    assert run.exit_code == code, run.stdout + run.stderr
    assert needle in run.stderr
    assert run.stdout == ""


def test_config_error_exits_3(history: dict[str, Any], tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[tool.relmgr.policy]\npreset = "strict"\n')
    run = run_cli(["--config", str(config), "check", "--tag", "v0.3.1"], history["repo"])
    assert run.exit_code == 3 and "preset" in run.stderr


# -- unreleased work: --stream ----------------------------------------------------------------------


@pytest.fixture
def branches(repo: Repo) -> Repo:
    """main at v0.5.0 with work on top; release-0.4.x at v0.4.1 with a fix on top."""
    repo.config(CONFIG.replace('until = "0.3.0"', 'until = "0.6.0"'))
    repo.commit("feat: init")
    repo.tag("v0.4.0")
    repo.branch("release-0.4.x")
    repo.commit("feat: more")
    repo.tag("v0.5.0")
    repo.commit("feat(files)!: reshape uploads (#20)" + NOTE)
    repo.checkout("release-0.4.x")
    repo.commit("fix: backport")
    repo.tag("v0.4.1")
    repo.commit("fix(files)!: oops (#21)" + NOTE)
    return repo


def test_stream_z_on_a_release_branch(branches: Repo) -> None:
    result = check(branches, "--stream", "z", code=1)
    assert result["release"] == {"tag": None, "version": "0.4.2", "previous": "v0.4.1", "stream": "z"}
    assert [(v["api"], v["rule"]) for v in result["violations"]] == [("files", "break-in-forbidden-stream")]
    assert "(v0.4.2, unreleased)" in result["violations"][0]["message"]


def test_stream_y_on_main_with_a_range(branches: Repo) -> None:
    branches.checkout("main")
    result = check(branches, "--stream", "minor", "v0.5.0..HEAD", code=0)
    assert result["release"] == {"tag": None, "version": "0.6.0", "previous": "v0.5.0", "stream": "y"}
    assert check(branches, "--stream", "z", code=1)["release"]["version"] == "0.5.1"


def test_stream_levels_are_judged_at_the_candidate_version(branches: Repo, tmp_path: Path) -> None:
    branches.checkout("main")
    branches.commit("fix(inference)!: drop a field (#22)" + NOTE)
    # inference is v1alpha until 0.6.0, so in the candidate 0.5.1 its break is allowed
    result = check(branches, "--stream", "z", "v0.5.0..HEAD", code=1)
    assert [v["api"] for v in result["violations"]] == ["files"]
    config = tmp_path / "earlier.toml"
    config.write_text(CONFIG.replace('until = "0.3.0"', 'until = "0.5.1"'))  # v1 from 0.5.1 on
    result = check(branches, "--stream", "z", code=1, config=config)
    assert [v["api"] for v in result["violations"]] == ["inference", "files"]


def test_stream_without_any_release(repo: Repo) -> None:
    repo.config(CONFIG)
    repo.commit("feat(inference)!: first (#1)" + NOTE)
    result = check(repo, "--stream", "z", code=1)
    assert result["release"] == {"tag": None, "version": None, "previous": None, "stream": "z"}
    assert result["violations"][0]["level"] == "v1"  # the current level


# -- golden files -----------------------------------------------------------------------------------


def anonymize(text: str, shas: dict[str, str]) -> str:
    """Short shas → commit names, so the golden files do not depend on how git hashes."""
    for name, sha in shas.items():
        text = text.replace(sha[:7], f"<{name}>".ljust(7))
    return text



def test_default_mode_judges_unreleased_work_as_the_next_version(repo: Repo) -> None:
    repo.config(CONFIG + '\n[tool.relmgr.policy]\nrequire-approval = ["v1"]\n')
    repo.commit("feat: init")
    repo.tag("v0.3.0")
    sha = repo.commit("feat(inference)!: drop the v0 route (#12)")
    result = check(repo, code=1, env={"RELMGR_APPROVED": None})
    # next-version makes a v1 break a minor release, so the stream is not what fails ...
    assert result["release"] == {"tag": None, "version": "0.4.0", "previous": "v0.3.0", "stream": "y"}
    assert cited(result) == [(sha, "inference", "v1", "missing-approval")]
    assert cited(result, "warnings") == [(sha, "inference", "v1", "missing-migration-note")]
    # ... and approving the PR passes it
    assert check(repo, "--approved", "12", code=0)["violations"] == []
