"""Waivers: reviewed findings left out of the verdict, counted, listed in `--json`; expired or unmatched ones
said; `check --write-waivers FILE` writes the file that makes the same check pass."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from relmgr.config.load import parse_config, read_waivers
from relmgr.config.model import Waiver
from relmgr.config.waivers import render
from relmgr.errors import ConfigError
from relmgr.history.versions import Stream
from relmgr.policy.findings import Finding, Verdict
from relmgr.policy.levels import Level
from relmgr.policy.waivers import apply_waivers, matches, waivers_for
from tests.conftest import Repo, run_cli
from tests.openapi_repo import CONFIG, SPEC, dump, edit, routes

FILES = ("/v1/files/{id}", "get")
TODAY = date(2026, 12, 1)


def finding(sha: str = "abcdef1234", rule: str = "undeclared-breaking-change", check: str | None = "c",
            operation: str | None = "GET /v1/files/{id}") -> Finding:
    return Finding(sha, "fix: x", None, "files", Level.parse("v1"), Stream.Z, rule, "m", "a", operation, check)


# -- the pure core ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("waiver", "expected"), [
    (Waiver("r", commit="abcdef1"), True),
    (Waiver("r", commit="abcdef2"), False),
    (Waiver("r", check="c"), True),
    (Waiver("r", check="undeclared-breaking-change"), True),  # relmgr's rule ID works as well
    (Waiver("r", check="other"), False),
    (Waiver("r", operation="GET /v1/files/{id}"), True),
    (Waiver("r", operation="/v1/files/{id}"), True),  # a path alone: any method
    (Waiver("r", operation="DELETE /v1/files/{id}"), False),
    (Waiver("r", operation="GET /v1/files/{file_id}"), True),  # a path parameter's name is not the route's
    (Waiver("r", operation="GET /v1/files"), False),
    (Waiver("r", operation="ogx_api.provider.stop"), False),
    (Waiver("r", commit="abcdef1", check="other"), False),  # every key it sets must agree
])
def test_what_a_waiver_names(waiver: Waiver, expected: bool) -> None:
    assert matches(waiver, finding()) is expected


def test_a_python_object_is_named_by_its_path() -> None:
    stop = finding(operation="ogx_api.provider.stop")
    assert matches(Waiver("r", operation="ogx_api.provider.stop"), stop)
    assert parse_config({"waiver": [{"operation": "ogx_api.provider.stop", "reason": "r"}]}).policy.waivers[0] \
        .operation == "ogx_api.provider.stop"


def test_waived_findings_leave_the_verdict_and_are_listed() -> None:
    verdict = Verdict(Stream.Z, 1, (finding(), finding(check="d")), (finding(rule="spec-warning"),))
    judged, warnings = apply_waivers(verdict, [Waiver("reviewed", commit="abcdef1", check="c")], today=TODAY,
                                     commits={"abcdef1234"})
    assert [f.check for f in judged.violations] == ["d"] and judged.warnings == ()
    assert [(w.severity, w.finding.check) for w in judged.waived] == [("violation", "c"), ("warning", "c")]
    assert warnings == []


def test_expired_and_unmatched_waivers_are_warnings_and_waive_nothing() -> None:
    verdict = Verdict(Stream.Z, 1, (finding(),), ())
    expired = Waiver("old", commit="abcdef1", expires=date(2026, 11, 30), source="w.toml, waiver 1")
    judged, warnings = apply_waivers(verdict, [expired], today=TODAY)
    assert judged.violations == verdict.violations and not judged.waived
    assert warnings == ["waiver (w.toml, waiver 1: commit abcdef1) expired on 2026-11-30; the findings it named "
                        "count again: review them and renew or remove it"]
    last_day = Waiver("old", commit="abcdef1", expires=TODAY)
    assert not apply_waivers(verdict, [last_day], today=TODAY)[0].violations  # it applies through its last day
    stale = Waiver("gone", check="nothing-like-it")
    assert "matched no finding" in apply_waivers(verdict, [stale], today=TODAY)[1][0]
    elsewhere = Waiver("another release's", commit="fedcba9")  # a commit outside the range: not this release's
    assert apply_waivers(verdict, [elsewhere], today=TODAY, commits={"abcdef1234"})[1] == []


def test_waivers_file_round_trip(tmp_path: Path) -> None:
    verdict = Verdict(Stream.Z, 1, (finding(), finding(operation="POST /x")), (finding(check="d"),))
    written = waivers_for(verdict, today=TODAY)
    assert [(w.commit, w.check) for w in written] == [("abcdef1234", "c"), ("abcdef1234", "d")]
    path = tmp_path / "w.toml"
    path.write_text(render([*written, Waiver('a "quoted"\\ reason', operation="/v1/x", expires=TODAY)]))
    read = read_waivers(path)
    assert [(w.commit, w.operation, w.check, w.reason, w.expires) for w in read] == [
        *((w.commit, w.operation, w.check, w.reason, None) for w in written),
        (None, "/v1/x", None, 'a "quoted"\\ reason', TODAY)]
    assert not apply_waivers(verdict, read, today=TODAY)[0].violations


@pytest.mark.parametrize(("entry", "message"), [
    ({"comit": "abcdef1", "reason": "r"}, "waiver[1].comit: unknown key; did you mean 'commit'?"),
    ({"commit": "abcdef1"}, "waiver[1].reason: missing"),
    ({"reason": "r"}, "names none"),
    ({"commit": "xyz!", "reason": "r"}, "not a commit sha prefix"),
    ({"operation": "FETCH /x", "reason": "r"}, "is not `METHOD /path`"),
    ({"check": "c", "reason": "r", "expires": "next week"}, "write it YYYY-MM-DD"),
])
def test_waivers_are_validated_like_the_rest_of_the_config(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_config({"waiver": [entry]})


# -- through the CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def broken(repo: Repo) -> tuple[Repo, str]:
    """v0.1.1: an undeclared break of a v1 route in a patch release (a violation)."""
    repo.config(CONFIG)
    repo.commit("feat: the first routes", {SPEC: dump(routes())})
    repo.tag("v0.1.0")
    sha = repo.commit("fix: tidy the files route", {SPEC: dump(edit(routes(), require=[FILES]))})
    repo.tag("v0.1.1")
    return repo, sha


def check(repo: Repo, *args: str) -> tuple[int, dict[str, Any], str]:
    run = run_cli(["check", "--tag", "v0.1.1", "--json", *args], repo)
    return run.exit_code, run.json(), run.stderr


def test_a_config_waiver_passes_the_gate_and_is_counted(broken: tuple[Repo, str]) -> None:
    repo, sha = broken
    repo.config(CONFIG + f'\n[[tool.relmgr.waiver]]\ncommit = "{sha[:9]}"\n'
                'check = "new-required-request-parameter"\nreason = "reviewed in #12"\n')
    code, result, stderr = check(repo)
    assert (code, result["ok"], result["violations"], stderr) == (0, True, [], "")
    [waived] = result["waived"]
    assert waived["sha"] == sha and waived["severity"] == "violation"
    assert waived["waiver"] == {"commit": sha[:9], "operation": None, "check": "new-required-request-parameter",
                                "reason": "reviewed in #12", "expires": None, "source": waived["waiver"]["source"]}
    text = run_cli(["check", "--tag", "v0.1.1"], repo).stdout
    assert "ok, 0 violations, 0 warnings, 0 breaking changes judged, plus 1 from the OpenAPI specs, 1 waived" in text


def test_an_expired_waiver_fails_again_with_a_warning(broken: tuple[Repo, str]) -> None:
    repo, sha = broken
    repo.config(CONFIG + f'\n[[tool.relmgr.waiver]]\ncommit = "{sha[:7]}"\nreason = "r"\nexpires = 2020-01-31\n')
    code, result, stderr = check(repo)
    assert code == 1 and len(result["violations"]) == 1 and result["waived"] == []
    assert "expired on 2020-01-31" in stderr


def test_write_waivers_round_trip(broken: tuple[Repo, str]) -> None:
    repo, sha = broken
    target = repo.path / "relmgr-waivers.toml"
    run = run_cli(["check", "--tag", "v0.1.1", "--write-waivers", str(target)], repo)
    assert run.exit_code == 1  # the verdict judged before the file existed
    assert f"wrote 1 waiver to {target}" in run.stderr
    written = (repo.path / "relmgr-waivers.toml").read_text()
    assert f'commit = "{sha[:12]}"' in written and 'check = "new-required-request-parameter"' in written
    config = CONFIG.replace("[tool.relmgr.openapi]", '[tool.relmgr.policy]\nwaivers = "relmgr-waivers.toml"\n\n'
                            "[tool.relmgr.openapi]")
    repo.config(config)
    code, result, stderr = check(repo)
    assert (code, len(result["waived"]), stderr) == (0, 1, "")
    # the next release holds another break: a new finding still counts, the old waiver is not this release's
    repo.commit("fix: drop the files route", {SPEC: dump(edit(routes(), drop=[FILES]))})
    repo.tag("v0.1.2")
    later = run_cli(["check", "--tag", "v0.1.2", "--json"], repo)
    assert later.exit_code == 1 and later.stderr == ""


def test_a_missing_or_wrong_waivers_file(broken: tuple[Repo, str]) -> None:
    repo, _ = broken
    repo.config(CONFIG.replace("[tool.relmgr.openapi]", '[tool.relmgr.policy]\nwaivers = "w.toml"\n\n'
                               "[tool.relmgr.openapi]"))
    code, _, stderr = check(repo)
    assert code == 1 and "w.toml: the waivers file [tool.relmgr.policy] waivers names does not exist" in stderr
    (repo.path / "w.toml").write_text('[[waiver]]\ncheck = "x"\nreson = "typo"\n')
    run = run_cli(["check", "--tag", "v0.1.1"], repo)
    assert run.exit_code == 3 and "waiver[1].reson: unknown key; did you mean 'reason'?" in run.stderr
