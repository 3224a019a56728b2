"""Bad input gets one clear line and a documented exit code, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from relmgr.config.load import parse_config
from relmgr.errors import ConfigError, ExitCode
from tests.conftest import Repo, run_cli


def assert_one_line_error(run_stderr: str, *needles: str) -> None:
    lines = [line for line in run_stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run_stderr
    assert lines[0].startswith("relmgr: error: ")
    assert "Traceback" not in run_stderr
    for needle in needles:
        assert needle in lines[0]


def test_not_a_repository(tmp_path: Path) -> None:
    run = run_cli(["scan"], tmp_path)
    assert run.exit_code == ExitCode.GIT
    assert_one_line_error(run.stderr, "not inside a git repository", "--repo")


def test_missing_folder(tmp_path: Path) -> None:
    run = run_cli(["releases"], tmp_path / "nope")
    assert run.exit_code in (ExitCode.USAGE, ExitCode.GIT)
    assert "Traceback" not in run.stderr


def test_empty_repository(tmp_path: Path) -> None:
    Repo(tmp_path / "r")
    for command in (["scan"], ["releases"], ["scan", "--json"]):
        run = run_cli(command, tmp_path / "r")
        assert run.exit_code == ExitCode.GIT
        assert_one_line_error(run.stderr, "no commits yet")
        assert run.stdout == ""


def test_unknown_ref(repo: Repo) -> None:
    repo.commit("feat: x")
    run = run_cli(["scan", "v9.9.9..HEAD"], repo)
    assert run.exit_code == ExitCode.GIT
    assert_one_line_error(run.stderr, "unknown revision 'v9.9.9'")


def test_detached_head_works(repo: Repo) -> None:
    repo.commit("feat: x")
    repo.tag("v0.1.0")
    repo.commit("fix: y")
    repo.checkout("v0.1.0")
    run = run_cli(["scan", "--json"], repo)
    assert run.exit_code == 0
    assert run.json()["range"] == "v0.1.0..HEAD"
    assert run.json()["commits"] == []


def test_shallow_clone(repo: Repo, tmp_path: Path) -> None:
    for i in range(3):
        repo.commit(f"feat: {i}")
        repo.tag(f"v0.{i}.0")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    run = run_cli(["scan"], clone)
    assert run.exit_code == ExitCode.GIT
    assert_one_line_error(run.stderr, "shallow clone", "fetch-depth: 0")


def test_config_error_exit_3(repo: Repo) -> None:
    repo.commit("feat: x")
    repo.config('[tool.relmgr]\ntag_prefix = "v"\n')
    run = run_cli(["scan"], repo)
    assert run.exit_code == ExitCode.CONFIG
    assert_one_line_error(run.stderr, "tool.relmgr.tag_prefix", "did you mean 'tag-prefix'")


def test_invalid_toml(repo: Repo) -> None:
    repo.commit("feat: x")
    repo.config("[tool.relmgr\n")
    run = run_cli(["apis"], repo)
    assert run.exit_code == ExitCode.CONFIG
    assert_one_line_error(run.stderr, "not valid TOML")


def test_missing_explicit_config(repo: Repo) -> None:
    repo.commit("feat: x")
    run = run_cli(["--config", str(repo.path / "nope.toml"), "apis"], repo)
    assert run.exit_code == ExitCode.CONFIG
    assert_one_line_error(run.stderr, "does not exist")


def test_pyproject_config_and_top_level_relmgr_toml(repo: Repo) -> None:
    repo.commit("feat: x")
    repo.config('[project]\nname = "x"\n\n[tool.relmgr.apis.files]\nlevel = "v1beta"\n', "pyproject.toml")
    assert run_cli(["apis", "--json"], repo).json()["apis"][0]["name"] == "files"
    repo.config('[apis.batches]\nlevel = "v1alpha"\n')  # relmgr.toml wins, settings at the top level
    assert run_cli(["apis", "--json"], repo).json()["apis"][0]["name"] == "batches"


def test_non_utf8_message(repo: Repo) -> None:
    repo.git("commit", "-q", "--allow-empty", "-F", "-", input=b"fix: caf\xe9 au lait\n")
    run = run_cli(["scan", "--json"], repo)
    assert run.exit_code == 0
    commit = run.json()["commits"][0]
    # git re-encodes a message that is not UTF-8 (reading it as Latin-1); relmgr shows what git shows
    assert commit["type"] == "fix" and commit["subject"] == "fix: café au lait"


def test_latin1_declared_encoding_is_converted(repo: Repo) -> None:
    repo.git("config", "i18n.commitEncoding", "ISO-8859-1")
    repo.git("commit", "-q", "--allow-empty", "-F", "-", input=b"fix: caf\xe9\n")
    commit = run_cli(["scan", "--json"], repo).json()["commits"][0]
    assert commit["subject"] == "fix: café" and commit["warnings"] == []


def test_huge_message(repo: Repo) -> None:
    body = "x" * 2_000_000
    repo.commit(f"feat: big\n\n{body}\n\nBREAKING CHANGE: at the end")
    commit = run_cli(["scan", "--json"], repo).json()["commits"][0]
    assert commit["breaking"] and commit["breaking_notes"] == ["at the end"]


def test_unknown_command_is_usage() -> None:
    run = run_cli(["frobnicate"])
    assert run.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ({"tag_prefix": "v"}, "did you mean 'tag-prefix'"),
        ({"apis": {"x": {"level": "v3gamma"}}}, "tool.relmgr.apis.x.level: 'v3gamma' is not a level"),
        ({"apis": {"x": {}}}, "tool.relmgr.apis.x.level: missing"),
        ({"apis": {"x": {"level": "v1", "scope": ["a"]}}}, "did you mean 'scopes'"),
        ({"apis": {"x": {"level": "v1", "paths": ["a/[b"]}}}, "bad glob"),
        ({"apis": {"x": {"level": "v1", "paths": "src/**"}}}, "expected a list"),
        ({"apis": {"x": {"level": "v1", "history": [{"until": "soon", "level": "v1alpha"}]}}}, "not a version"),
        ({"apis": {"x": {"level": "v1", "history": [{"level": "v1alpha"}]}}}, "history[0].until: missing"),
        ({"ignore-tags": ["("]}, "not a valid regex"),
        ({"notes": {"exclude": ["^Bump ("]}}, "tool.relmgr.notes.exclude: '^Bump (' is not a valid regex"),
        ({"notes": {"bots": "[bot]"}}, "tool.relmgr.notes.bots: expected a list"),
        ({"notes": {"exclud": []}}, "did you mean 'exclude'"),
        ({"policy": {"preset": "semvr"}}, "did you mean 'semver'"),
        ({"policy": {"v1": ["sometimes"]}}, "not a stream"),
        ({"policy": {"v1bta": ["minor"]}}, "did you mean 'v1beta'"),
        ({"default-level": "stable"}, "not a level"),
        ({"major-on-zero": "yes"}, "expected true or false"),
        ({"version-files": ["pyproject.toml"]}, "must be FILE:KEY"),
        ({"release-branch": "release-{branch}"}, "may only use"),
        ({"openapi": {"levels-from": "tags"}}, "not one of"),
        ({"graduation": {"to-beta": {"days": "30"}}}, "expected an integer"),
        ({"apis": {"x": {"level": "v1", "former-path": ["a/**"]}}}, "did you mean 'former-paths'"),
        ({"apis": {"x": {"level": "v1", "former-paths": ["a/[b"]}}}, "tool.relmgr.apis.x.former-paths: bad glob"),
        ({"policy": {"deprecation": {"v1": {"relases": 2}}}},
         "tool.relmgr.policy.deprecation.v1.relases: unknown key; did you mean 'releases'?"),
        ({"policy": {"deprecation": {"v1": {"days": -1}}}}, "deprecation.v1.days: -1 is negative"),
        ({"policy": {"deprecation": {"v1": {"releases": "2"}}}}, "deprecation.v1.releases: expected an integer"),
        ({"policy": {"deprecation": {"preset": "k8s"}}}, "deprecation.preset: 'k8s' is not one of default, kubernetes"),
        ({"policy": {"deprecation": {"v1bta": {}}}}, "deprecation.v1bta: unknown key; did you mean 'v1beta'?"),
        ({"policy": {"deprecations": {}}}, "tool.relmgr.policy.deprecations: unknown key; did you mean 'deprecation'?"),
    ],
)
def test_config_errors(table: dict[str, object], needle: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(table)
    assert needle in caught.value.message


def test_deprecation_periods_presets_and_overrides() -> None:
    from relmgr.config.model import DeprecationPeriod
    from relmgr.policy.levels import Level

    default = parse_config({}).policy
    assert [default.deprecation_period(Level.parse(t)) for t in ("v1", "v2", "v1beta", "v2alpha")] == [
        DeprecationPeriod(1, 0), DeprecationPeriod(1, 0), DeprecationPeriod(1, 0), DeprecationPeriod(0, 0)]
    kubernetes = parse_config({"policy": {"deprecation": {"preset": "kubernetes", "v2beta": {"releases": 5}}}}).policy
    assert kubernetes.deprecation_period(Level.parse("v1")) == DeprecationPeriod(3, 365)
    assert kubernetes.deprecation_period(Level.parse("v1beta")) == DeprecationPeriod(3, 270)
    assert kubernetes.deprecation_period(Level.parse("v2beta")) == DeprecationPeriod(5, 270)  # exact level wins


def test_config_level_history_lookup() -> None:
    config = parse_config({"apis": {"files": {"level": "v1", "history": [
        {"until": "0.5.0", "level": "v1beta"}, {"until": "v0.3.0", "level": "v1alpha"}]}}})
    api = config.apis[0]
    from relmgr.history.versions import parse_version

    def at(text: str) -> str:
        version = parse_version(text)
        assert version is not None
        return str(api.level_at(version))

    assert [at(v) for v in ("0.2.9", "0.3.0rc1", "0.3.0", "0.4.9", "0.5.0", "1.0.0")] == [
        "v1alpha", "v1alpha", "v1beta", "v1beta", "v1", "v1"]


def test_shallow_clone_tag_and_changelog(repo: Repo, tmp_path: Path) -> None:
    for i in range(3):
        repo.commit(f"feat: {i}")
        repo.tag(f"v0.{i}.0")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    for args in (["check", "--tag", "v0.1.0"], ["notes", "v0.1.0"], ["changelog"]):
        run = run_cli(args, clone)
        assert run.exit_code == ExitCode.GIT, args
        assert_one_line_error(run.stderr, "shallow clone", "fetch-depth: 0")
