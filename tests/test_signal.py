"""Signal, not noise (issue 15): one commit that rewrites a large spec gives a screen of grouped findings, a
handful of GitHub annotations, a step summary and notes of bounded size, every finding still in `--json`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.signal_repo import OPERATIONS, generator_switch


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, str]:
    repo = Repo(tmp_path_factory.mktemp("signal") / "repo")
    return repo, generator_switch(repo)


@pytest.fixture(scope="module")
def verdict(big: tuple[Repo, str]) -> dict[str, Any]:
    run = run_cli(["check", "--tag", "v0.1.1", "--json"], big[0])
    assert run.exit_code == 1, run.stderr
    result: dict[str, Any] = run.json()
    return result


@pytest.mark.slow  # a 240-operation spec diffed and attributed: about a second a command
def test_the_history_gives_hundreds_of_findings_of_one_commit(big: tuple[Repo, str], verdict: dict[str, Any]) -> None:
    findings = verdict["violations"] + verdict["warnings"]
    assert len(findings) >= 3 * OPERATIONS and {f["sha"] for f in findings} == {big[1]}
    # every finding keeps what tells it apart, in the shipped fields and the added ones
    default = next(f for f in findings if f["check"] == "request-parameter-default-value-added")
    assert default["details"]["parameter"] == "limit" and default["details"]["after"] == "20"
    assert default["change"] == "the query parameter 'limit' got the default 20"
    nullable = {f["details"]["property"] for f in findings if f["check"] == "response-property-became-nullable"}
    assert nullable == {"name", "created"}
    # groups: per commit, API and check, with a count and the operations; the counts add up
    groups = verdict["groups"]
    assert [g["severity"] for g in groups] == ["violation", "warning"]
    assert sum(g["count"] for g in groups) == len(findings)
    part = groups[0]["parts"][0]
    assert part["count"] == len(part["operations"]) * 2 or part["count"] == len(part["operations"])


@pytest.mark.slow  # a 240-operation spec diffed and attributed: about a second a command
def test_grouped_text_fits_on_a_screen_and_verbose_lists_every_finding(big: tuple[Repo, str],
                                                                      verdict: dict[str, Any]) -> None:
    text = run_cli(["check", "--tag", "v0.1.1"], big[0])
    lines = text.stdout.splitlines()
    assert text.exit_code == 1 and len(lines) < 60
    rows = [line.split("\t") for line in lines[2:]]
    assert lines[1].split("\t")[:8] == ["severity", "commit", "api", "level", "stream", "rule", "check", "count"]
    assert all(len(row) == 12 for row in rows)  # one line per group, every column there: awk-able
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), key=("violation", "warning").index)
    assert sum(int(row[7]) for row in rows) == len(verdict["violations"]) + len(verdict["warnings"])
    assert {row[1] for row in rows} == {big[1][:7]} and rows[0][11] == "https://github.com/acme/inference/pull/4321"
    verbose = run_cli(["check", "--tag", "v0.1.1", "-v"], big[0]).stdout.splitlines()
    assert len(verbose) == 2 + len(verdict["violations"]) + len(verdict["warnings"])
    assert any("\tGET /v1/models/item0\tthe query parameter 'limit' got the default 20\t" in line for line in verbose)


@pytest.mark.slow  # a 240-operation spec diffed and attributed: about a second a command
def test_github_annotations_fit_github_and_the_summary_stays_small(big: tuple[Repo, str], tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    run = run_cli(["check", "--tag", "v0.1.1", "--format", "github"], big[0],
                  env={"GITHUB_STEP_SUMMARY": str(summary)})
    kinds = [line.split(" ", 1)[0] for line in run.stdout.splitlines() if line.startswith("::")]
    assert 1 <= kinds.count("::error") <= 10 and 1 <= kinds.count("::warning") <= 10
    assert kinds.count("::notice") <= 1 and len(kinds) == kinds.count("::error") + kinds.count("::warning") + \
        kinds.count("::notice")
    first = run.stdout.splitlines()[0]
    assert re.search(r"response-property-became-nullable ×\d+ \(GET /v1/", first)
    text = summary.read_text()
    assert len(text.encode()) < 100_000
    assert text.count("<details") == 2  # a block per commit and section
    markdown = run_cli(["check", "--tag", "v0.1.1", "--format", "markdown"], big[0])
    assert markdown.stdout == text and markdown.exit_code == 1  # the same summary, for a PR comment


@pytest.mark.slow  # a 240-operation spec diffed and attributed: about a second a command
def test_publishable_notes(big: tuple[Repo, str]) -> None:
    repo, sha = big
    notes = run_cli(["notes", "v0.1.1"], repo).stdout
    assert len(notes.splitlines()) < 400
    assert notes.count(f"[{sha[:7]}]") == 3  # once under its level, once in Behavior changes, once in Features
    breaking = notes[notes.index("### ⚠ Breaking changes"):notes.index("### Behavior changes")]
    assert breaking.count("\n- ") == 1 and "<details><summary>" in breaking
    assert "switch generator: changes 240 operations: response-property-became-nullable ×" in breaking
    behavior = notes[notes.index("### Behavior changes"):notes.index("### Features")]
    assert "response-required-property-added" in behavior and "request-parameter-max-length-set" in behavior
    model = run_cli(["notes", "v0.1.1", "--json"], repo).json()
    assert len(model["breaking"]) > OPERATIONS  # the shipped list keeps every change
    [grouped] = model["breaking_by_commit"]
    assert grouped["sha"] == sha and grouped["count"] == len(model["breaking"])
    assert len(grouped["listed"]) + grouped["more"] == len(grouped["operations"]) == OPERATIONS


# -- whatever the release: many commits, many groups (pure, fast) -------------------------------------------


def _many(commits: int, per: int) -> Any:
    from relmgr.history.versions import Stream
    from relmgr.policy.findings import Finding, Verdict
    from relmgr.policy.levels import Level

    def one(sha: str, check: str, op: int, rule: str) -> Finding:
        operation = f"GET /v1/things/item{op}"
        return Finding(sha, f"feat: change {sha[:4]} " + "x" * 60, 12, "things", Level.parse("v1"), Stream.Z, rule,
                       f"{sha[:7]} changes `{operation}`: a long message " + "y" * 200, "revert it", operation,
                       check, (("parameter", "limit"),), f"the query parameter 'limit' of item{op} got a default")

    shas = [f"{n:040x}" for n in range(1, commits + 1)]
    violations = tuple(one(sha, f"check-{k % 3}", k, "undeclared-breaking-change") for sha in shas for k in range(per))
    warnings = tuple(one(sha, f"warn-{k % 2}", k, "spec-warning") for sha in shas for k in range(per))
    return Verdict(Stream.Z, 0, violations, warnings)


@pytest.mark.parametrize(("commits", "per"), [(1, 5000), (400, 30)])
def test_the_summary_stays_under_100_kb_and_says_what_it_left_out(commits: int, per: int) -> None:
    from relmgr.cli.findings import PrLink, summary_markdown

    text = summary_markdown("### relmgr check v1.0.1: failed", "headline", _many(commits, per),
                            link=PrLink("https://github.com/a/b"))
    assert len(text.encode()) < 100_000
    assert ("more commits" in text) if commits > 1 else ("and 4,900 more" in text)


def test_at_most_ten_annotations_of_a_kind_then_one_notice() -> None:
    from relmgr.cli.findings import github_annotations

    lines = github_annotations(_many(30, 4), "relmgr check")
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"]
    # 30 commits × 3 checks of violations (90 groups, 120 findings), 10 shown: the rest counted
    assert "::notice title=relmgr check::" in lines[-1] and "more violations" in lines[-1]
    assert "more warnings" in lines[-1]


def test_a_forced_release_lists_its_violations_grouped_in_the_tag_message() -> None:
    from relmgr.release.plan import tag_message

    forced = _many(2, 50).violations  # 2 commits × 3 checks, 100 findings
    message = tag_message("## 1.0.1\n", forced)
    listed = [line for line in message.splitlines() if line.startswith("- ")]
    assert "over 100 policy violations" in message and len(listed) == 6
    assert listed[0].startswith("- 0000000 feat: change 0000") and "check-0 ×17 (GET /v1/things/item0" in listed[0]


def test_a_commit_breaking_two_levels_is_listed_once_under_the_most_stable(repo: Repo) -> None:
    from tests.openapi_repo import CONFIG, SPEC, dump, edit, routes

    repo.config(CONFIG)
    repo.commit("feat: the first routes", {SPEC: dump(routes())})
    repo.tag("v0.1.0")
    both = edit(routes(), require=[("/v1/files/{id}", "get")], drop=[("/v1/batches/{id}", "delete")])
    sha = repo.commit("refactor: regenerate the spec (#9)", {SPEC: dump(both)})
    repo.tag("v0.2.0")
    notes = run_cli(["notes", "v0.2.0"], repo).stdout
    breaking = notes[notes.index("### ⚠ Breaking changes"):notes.index("### Other")]
    assert "#### v1\n" in breaking and "#### v1alpha" not in breaking
    assert breaking.count(sha[:7]) == 1
    assert "regenerate the spec: changes 2 operations: api-removed-without-deprecation ×1, " \
           "new-required-request-parameter ×1" in breaking
    assert "- `DELETE /v1/batches/{id}`: removed the operation without deprecation" in breaking


def test_summary_items_keep_code_spans_literal_and_escape_html_outside_them() -> None:
    from relmgr.cli.findings import PrLink, summary_markdown
    from relmgr.history.versions import Stream
    from relmgr.policy.findings import Finding, Verdict
    from relmgr.policy.levels import Level

    advice = "add a `BREAKING CHANGE: <how to migrate>` footer"
    finding = Finding("a" * 40, "fix: drop <b>old</b> field", 7, "things", Level.parse("v1"), Stream.Y,
                      "missing-migration-note", f"aaaaaaa breaks <things>: {advice}", advice)
    text = summary_markdown("### relmgr check", "headline", Verdict(Stream.Y, 1, (), (finding,)), link=PrLink(None))
    assert "`BREAKING CHANGE: <how to migrate>`" in text  # GitHub shows a code span as written
    assert "breaks &lt;things>" in text and "<b>" not in text  # outside code spans no HTML gets through
