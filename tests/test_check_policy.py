"""The gate's rules, cell by cell: both presets, overrides, notes, approval — on real release histories."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from relmgr.config.load import parse_config
from relmgr.config.model import PolicyConfig
from relmgr.history.commits import parse_commit
from relmgr.history.versions import Stream, parse_version
from relmgr.policy.apis import Change, Impact
from relmgr.policy.findings import FORBIDDEN_STREAM, MISSING_APPROVAL, MISSING_NOTE, NEAR_MISS
from relmgr.policy.gate import judge
from relmgr.policy.levels import Level
from tests.conftest import Repo, run_cli

APIS = """
[tool.relmgr.apis.alpha]
level = "v1alpha"
scopes = ["alpha"]

[tool.relmgr.apis.beta]
level = "v1beta"
scopes = ["beta"]

[tool.relmgr.apis.stable]
level = "v1"
scopes = ["stable"]
"""


def break_all(repo: Repo, n: int) -> None:
    """One announced breaking change per API."""
    for api in ("alpha", "beta", "stable"):
        repo.commit(f"feat({api})!: change {n} (#{n}{len(api)})\n\nBREAKING CHANGE: migrate like so\n")


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Repo]:
    """Two histories with a first release, then a Z, a Y and an X release, each breaking every API."""
    made: dict[str, Repo] = {}
    for name, tags in (("one", ("v1.0.0", "v1.0.1", "v1.1.0", "v2.0.0")),
                       ("zero", ("v0.1.0", "v0.1.1", "v0.2.0", "v1.0.0"))):
        repo = Repo(tmp_path_factory.mktemp(name) / "repo")
        repo.config(APIS)
        repo.commit("feat: first")
        repo.tag(tags[0])
        for n, tag in enumerate(tags[1:], start=1):
            break_all(repo, n)
            repo.tag(tag)
        made[name] = repo
    return made


def check_json(repo: Repo, *args: str, config: Path | None = None, env: dict[str, str | None] | None = None,
               code: int | None = None) -> dict[str, Any]:
    head = ["--config", str(config)] if config else []
    run = run_cli([*head, "check", *args, "--json"], repo, env=env)
    if code is not None:
        assert run.exit_code == code, run.stdout + run.stderr
    result: dict[str, Any] = run.json()
    assert result["ok"] is (run.exit_code == 0)
    return result


def violating(result: dict[str, Any]) -> set[str]:
    return {v["api"] for v in result["violations"]}


def preset(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(APIS + "\n[tool.relmgr.policy]\n" + extra)
    return path


# The policy table: which APIs may not break in each stream.
CELLS = [
    # preset, line, tag, stream, violating APIs
    ("default", "one", "v1.0.1", "z", {"beta", "stable"}),
    ("default", "one", "v1.1.0", "y", set()),
    ("default", "one", "v2.0.0", "x", set()),
    ("default", "zero", "v0.1.1", "z", {"beta", "stable"}),
    ("default", "zero", "v0.2.0", "y", set()),
    ("default", "zero", "v1.0.0", "x", set()),
    ("semver", "one", "v1.0.1", "z", {"beta", "stable"}),
    ("semver", "one", "v1.1.0", "y", {"stable"}),  # v1 breaks only in X from 1.0.0 on
    ("semver", "one", "v2.0.0", "x", set()),
    ("semver", "zero", "v0.1.1", "z", {"beta", "stable"}),
    ("semver", "zero", "v0.2.0", "y", set()),  # in 0.x a minor is SemVer's major
    ("semver", "zero", "v1.0.0", "x", set()),
]


@pytest.mark.parametrize(("name", "line", "tag", "stream", "expected"), CELLS)
def test_every_cell_of_both_presets(lines: dict[str, Repo], tmp_path: Path, name: str, line: str, tag: str,
                                    stream: str, expected: set[str]) -> None:
    config = preset(tmp_path, f'preset = "{name}"\n')
    result = check_json(lines[line], "--tag", tag, config=config, code=1 if expected else 0)
    assert result["release"]["stream"] == stream
    assert violating(result) == expected
    assert {v["rule"] for v in result["violations"]} <= {FORBIDDEN_STREAM}
    assert result["warnings"] == []  # every change is announced with a note


def test_first_release_has_no_stream_and_cannot_violate(repo: Repo) -> None:
    repo.config(APIS)
    repo.commit("feat(stable)!: a break before any release")
    repo.tag("v0.1.0")
    result = check_json(repo, "--tag", "v0.1.0", code=0)
    assert result["release"] == {"tag": "v0.1.0", "version": "0.1.0", "previous": None, "stream": None}
    assert result["violations"] == [] and result["warnings"] == []


@pytest.mark.parametrize(("override", "tag", "expected"), [
    ('v1beta = ["major"]', "v1.1.0", {"beta"}),  # beta may no longer break in minors
    ('v1 = ["major", "minor", "patch"]', "v1.0.1", {"beta"}),  # v1 may break anywhere
    ('v1alpha = []', "v2.0.0", {"alpha"}),  # alpha may never break
    ('v1 = ["x"]\nv1beta = ["x", "y", "z"]', "v1.1.0", {"stable"}),
])
def test_overrides_replace_a_presets_cell(lines: dict[str, Repo], tmp_path: Path, override: str, tag: str,
                                          expected: set[str]) -> None:
    result = check_json(lines["one"], "--tag", tag, config=preset(tmp_path, override + "\n"), code=1)
    assert violating(result) == expected


def test_override_never_says_what_to_do_next(lines: dict[str, Repo], tmp_path: Path) -> None:
    result = check_json(lines["one"], "--tag", "v2.0.0", config=preset(tmp_path, "v1alpha = []\n"), code=1)
    assert "v1alpha may never break" in result["violations"][0]["message"]


# -- pure judging: messages, notes, approval ---------------------------------------------------------

STAMP = datetime(2024, 1, 1, tzinfo=UTC)


def impact(message: str, api: str | None = "files", level: str = "v1", sha: str = "a1b2c3d4" * 5) -> Impact:
    commit = parse_commit(sha, "A", "a@example.com", STAMP, (), message)
    return Impact(Change(commit, (), False), api, Level.parse(level))


def test_violation_message_names_commit_api_level_rule_and_fix() -> None:
    verdict = judge([impact("feat(files)!: drop purpose (#40)")], stream=Stream.Z,
                    version=parse_version("0.4.1"), policy=PolicyConfig(), release="v0.4.1")
    assert not verdict.ok and verdict.judged == 1
    (finding,) = verdict.violations
    assert finding.message == (
        "a1b2c3d breaks the v1 API `files` in a Z-stream release (v0.4.1); v1 may break only in X or Y streams: "
        "move the change to a minor release, revert it, or change the API's level"
    )
    assert (finding.rule, finding.pr, finding.api, finding.stream) == (FORBIDDEN_STREAM, 40, "files", Stream.Z)


def test_semver_v1_in_a_minor_is_sent_to_a_major() -> None:
    verdict = judge([impact("feat!: x")], stream=Stream.Y, version=parse_version("1.3.0"),
                    policy=PolicyConfig(preset="semver"))
    assert "move the change to a major release" in verdict.violations[0].message


def test_unmapped_change_is_named_with_its_default_level() -> None:
    verdict = judge([impact("feat!: x", api=None, level="v1beta")], stream=Stream.Z, version=None,
                    policy=PolicyConfig())
    message = verdict.violations[0].message
    assert "breaks no configured API (judged at default-level v1beta)" in message
    assert "map it to its API" in message


@pytest.mark.parametrize(("message", "stream", "level", "warned"), [
    ("feat(files)!: bare bang", Stream.Y, "v1", True),
    ("feat(files)!: bare bang", Stream.X, "v1", False),  # a major needs no note
    ("feat(files)!: noted\n\nBREAKING CHANGE: use y", Stream.Y, "v1", False),
    ("feat(files)!: bare bang", Stream.Y, "v1beta", False),  # only v1 is listed by default
    ("feat(files)!: bare bang", Stream.Z, "v1alpha", False),
])
def test_require_note(message: str, stream: Stream, level: str, warned: bool) -> None:
    verdict = judge([impact(message, level=level)], stream=stream, version=parse_version("0.5.0"),
                    policy=PolicyConfig())
    assert verdict.ok
    assert [w.rule for w in verdict.warnings] == ([MISSING_NOTE] if warned else [])


def test_require_note_listed_levels_are_configurable() -> None:
    policy = PolicyConfig(require_note=("v1beta",))
    verdict = judge([impact("feat!: x", level="v2beta")], stream=Stream.Y, version=None, policy=policy)
    assert [w.rule for w in verdict.warnings] == [MISSING_NOTE]


@pytest.mark.parametrize(("message", "approved", "rule_hit"), [
    ("feat!: x (#7)", frozenset({7}), False),
    ("feat!: x (#7)", frozenset({8}), True),
    ("feat!: x", frozenset({7}), True),  # no PR number: nothing to approve
])
def test_require_approval(message: str, approved: frozenset[int], rule_hit: bool) -> None:
    policy = PolicyConfig(require_approval=("v1",), require_note=())
    verdict = judge([impact(message)], stream=Stream.X, version=None, policy=policy, approved=approved)
    assert [v.rule for v in verdict.violations] == ([MISSING_APPROVAL] if rule_hit else [])


def test_forbidden_stream_is_one_finding_even_when_unapproved() -> None:
    policy = PolicyConfig(require_approval=("v1",))
    verdict = judge([impact("feat!: x")], stream=Stream.Z, version=None, policy=policy)
    assert [v.rule for v in verdict.violations] == [FORBIDDEN_STREAM]


def test_near_miss_token_is_a_warning_per_api() -> None:
    message = "feat: x\n\nBREAKING CHANGES: the old field is gone"
    verdict = judge([impact(message), impact(message, api="batches", level="v1alpha")], stream=Stream.Y,
                    version=None, policy=PolicyConfig())
    assert verdict.ok
    assert [(w.rule, w.api) for w in verdict.warnings] == [(NEAR_MISS, "files"), (NEAR_MISS, "batches")]
    assert "write `BREAKING CHANGE:`" in verdict.warnings[0].message


def test_first_release_judges_nothing() -> None:
    verdict = judge([impact("feat!: x")], stream=None, version=None, policy=PolicyConfig(require_approval=("v1",)))
    assert verdict.ok and verdict.warnings == ()


def test_policy_config_round_trip() -> None:
    config = parse_config({"policy": {"preset": "semver", "v1beta": ["major", "minor"], "require-note": ["v1"],
                                      "require-approval": ["v1"]}})
    assert config.policy.preset == "semver"
    assert config.policy.overrides == {"v1beta": frozenset({Stream.X, Stream.Y})}
