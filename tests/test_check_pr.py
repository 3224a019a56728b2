"""`check --pr` on real git histories, fed the event payload fixtures (real GitHub shapes, trimmed) with the
shas of the throw-away repository, and GitLab's merge-request variables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, Run, run_cli

EVENTS = Path(__file__).parent / "fixtures" / "events"
CONFIG = """
[tool.relmgr.policy]
require-approval = ["v1"]
approval-labels = ["breaking-change"]

[tool.relmgr.apis.files]
level = "v1"
paths = ["src/files/**"]
scopes = ["files"]

[tool.relmgr.apis.batches]
level = "v1beta"
paths = ["src/batches/**"]
scopes = ["batches"]

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/inference/**"]

[tool.relmgr.apis.inference.providers.vllm]
paths = ["src/providers/vllm/**"]
maturity = "stable"

[tool.relmgr.apis.inference.providers.sketch]
paths = ["src/providers/sketch/**"]
maturity = "experimental"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """main with v0.4.0 and a release-0.4.x branch; a PR branch off main with two plain commits; a PR
    branch off the release line breaking the v1beta batches; a squash commit as a merge queue makes it."""
    repo = Repo(tmp_path_factory.mktemp("pr") / "repo")
    repo.config(CONFIG)
    repo.commit("feat(files): first", {"src/files/a.py": "1\n", "src/batches/b.py": "1\n"})
    repo.tag("v0.4.0")
    main = repo.head()
    repo.branch("release-0.4.x")
    repo.branch("drop-purpose")
    repo.checkout("drop-purpose")
    repo.commit("feat(files): drop the purpose parameter", {"src/files/a.py": "2\n"})
    repo.commit("fix(files): tidy", {"src/files/c.py": "1\n"})
    head = repo.head()
    repo.checkout("release-0.4.x")
    repo.branch("keep-window")
    repo.checkout("keep-window")
    repo.commit("fix(batches): keep the window", {"src/batches/b.py": "2\n"})
    window = repo.head()
    repo.checkout("main")
    repo.commit("feat(files)!: drop the purpose parameter (#123)\n\nBREAKING CHANGE: filter on the client",
                {"src/files/a.py": "3\n"})
    queued = repo.head()
    return {"repo": repo, "main": main, "head": head, "window": window, "queued": queued,
            "dir": tmp_path_factory.mktemp("events")}


def event(project: dict[str, Any], name: str, **changes: Any) -> Path:
    """The fixture `name` with the repository's shas (and `changes` to `pull_request`) written to a file."""
    payload = json.loads((EVENTS / f"{name}.json").read_text())
    pr = payload.get("pull_request")
    if pr is not None:
        pr["base"]["sha"], pr["head"]["sha"] = project["main"], project["head"]
        pr.update(changes)
    target: Path = project["dir"] / f"{name}-{len(list(project['dir'].iterdir()))}.json"
    target.write_text(json.dumps(payload))
    return target


def check_pr(project: dict[str, Any], path: Path, *args: str, kind: str = "pull_request",
             env: dict[str, str | None] | None = None) -> Run:
    return run_cli(["check", "--pr", "--json", *args], project["repo"],
                   env={"GITHUB_EVENT_PATH": str(path), "GITHUB_EVENT_NAME": kind, "RELMGR_APPROVED": None,
                        **(env or {})})


def rules(run: Run) -> list[str]:
    document = run.json()
    return [f["rule"] for f in (*document["violations"], *document["warnings"])]


def test_a_labelled_pr_with_a_bang_title_over_plain_commits_is_approved(project: dict[str, Any]) -> None:
    run = check_pr(project, event(project, "pull_request_labeled"))
    assert run.exit_code == 0, run.stdout
    document = run.json()
    assert document["release"] == {"tag": None, "version": "0.5.0", "previous": "v0.4.0", "stream": "y"}
    assert document["pr"]["number"] == 4606 and document["pr"]["approved_by_label"] is True
    assert document["violations"] == [] and document["warnings"] == []  # the description's note counts


def test_the_same_pr_unlabelled_fails_for_its_title(project: dict[str, Any]) -> None:
    run = check_pr(project, event(project, "pull_request_unlabeled"))
    assert run.exit_code == 1
    [violation] = run.json()["violations"]
    assert (violation["rule"], violation["api"]) == ("missing-approval", "files")
    assert "PR #4606 is not approved" in violation["message"]
    assert violation["subject"] == "feat(files)!: drop the purpose query parameter (#4606)"
    approved = check_pr(project, event(project, "pull_request_unlabeled"), "--approved", "4606")
    assert approved.exit_code == 0  # --approved and the labels combine


def test_a_plain_title_over_plain_commits_breaks_nothing(project: dict[str, Any]) -> None:
    run = check_pr(project, event(project, "pull_request_unlabeled", title="feat(files): purpose", body=None))
    assert run.exit_code == 0 and rules(run) == []
    assert run.json()["release"]["stream"] == "y"  # a feat: the next minor


def test_a_commit_bang_the_title_drops_is_judged_and_warned(project: dict[str, Any], tmp_path: Path) -> None:
    repo: Repo = project["repo"]
    repo.checkout("drop-purpose")
    repo.branch("bang-commit")
    repo.checkout("bang-commit")
    head = repo.commit("feat(files)!: drop more", {"src/files/d.py": "1\n"})
    repo.checkout("main")
    path = event(project, "pull_request_labeled", title="Drop purpose", body="")
    payload = json.loads(path.read_text())
    payload["pull_request"]["head"]["sha"] = head
    path.write_text(json.dumps(payload))
    run = check_pr(project, path)
    assert rules(run) == ["missing-migration-note", "squash-drops-break"]


def test_a_release_branch_base_is_a_patch(project: dict[str, Any]) -> None:
    path = event(project, "pull_request_target", title="fix(batches)!: keep the completion window")
    payload = json.loads(path.read_text())
    payload["pull_request"]["head"]["sha"] = project["window"]
    path.write_text(json.dumps(payload))
    run = check_pr(project, path, kind="pull_request_target")
    assert run.exit_code == 1
    document = run.json()
    assert document["release"]["stream"] == "z" and document["release"]["version"] == "0.4.1"
    assert [v["rule"] for v in document["violations"]] == ["break-in-forbidden-stream"]
    assert "release-0.4.x is a release branch" in document["pr"]["base_stream"]
    as_minor = check_pr(project, path, "--stream", "y", kind="pull_request_target")  # --stream overrides
    assert as_minor.exit_code == 0 and as_minor.json()["release"]["stream"] == "y"


def test_a_merge_queue_judges_the_queued_squash_commit(project: dict[str, Any]) -> None:
    payload = json.loads((EVENTS / "merge_group.json").read_text())
    group = payload["merge_group"]
    group["base_sha"], group["head_sha"] = project["main"], project["queued"]
    group["head_ref"] = f"refs/heads/gh-readonly-queue/main/pr-123-{project['main']}"
    path: Path = project["dir"] / "queue.json"
    path.write_text(json.dumps(payload))
    run = check_pr(project, path, kind="merge_group")
    assert run.exit_code == 1 and run.json()["pr"]["number"] == 123
    [violation] = run.json()["violations"]
    assert violation["rule"] == "missing-approval" and "PR #123 is not approved" in violation["message"]
    assert check_pr(project, path, "--approved", "123", kind="merge_group").exit_code == 0


def test_a_tag_push_judges_the_tag(project: dict[str, Any]) -> None:
    payload = json.loads((EVENTS / "push_tag.json").read_text())
    payload["ref"] = "refs/tags/v0.4.0"
    path: Path = project["dir"] / "tag.json"
    path.write_text(json.dumps(payload))
    run = check_pr(project, path, kind="push")
    assert run.exit_code == 0 and run.json()["release"]["tag"] == "v0.4.0"
    assert run.json()["pr"]["tag"] == "v0.4.0"


def test_gitlab_merge_request_variables(project: dict[str, Any]) -> None:
    env: dict[str, str | None] = {
        "GITHUB_EVENT_PATH": None, "GITHUB_EVENT_NAME": None, "RELMGR_APPROVED": None,
        "CI_MERGE_REQUEST_IID": "42", "CI_MERGE_REQUEST_TITLE": "feat(files)!: drop purpose",
        "CI_MERGE_REQUEST_DESCRIPTION": "BREAKING CHANGE: filter on the client",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "drop-purpose",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": project["main"], "CI_COMMIT_SHA": project["head"],
    }
    unlabelled = run_cli(["check", "--pr", "--json"], project["repo"], env=env)
    assert unlabelled.exit_code == 1 and "PR #42 is not" in unlabelled.json()["violations"][0]["message"]
    labelled = run_cli(["check", "--pr", "--json"], project["repo"],
                       env={**env, "CI_MERGE_REQUEST_LABELS": "files,breaking-change"})
    assert labelled.exit_code == 0 and labelled.json()["pr"]["provider"] == "gitlab"


def test_github_format(project: dict[str, Any]) -> None:
    run = run_cli(["check", "--pr", "--format", "github", "--event", str(event(project, "pull_request_unlabeled"))],
                  project["repo"], env={"GITHUB_EVENT_NAME": "pull_request", "GITHUB_STEP_SUMMARY": None})
    assert run.exit_code == 1
    assert run.stdout.startswith("::error title=relmgr check::")
    assert "relmgr check --pr #4606 (main..drop-purpose, Y-stream, v0.5.0, unreleased): failed" in run.stdout


@pytest.mark.parametrize(("text", "says"), [
    ("{not json", "not a JSON event payload"),
    ('{"pull_request": {"number": 5}}', "pull_request.title is missing"),
])
def test_a_malformed_payload_is_one_line_and_exit_2(project: dict[str, Any], text: str, says: str) -> None:
    path: Path = project["dir"] / "bad.json"
    path.write_text(text)
    run = check_pr(project, path)
    assert run.exit_code == 2 and says in run.stderr and run.stderr.count("\n") == 1


def test_no_event_is_a_usage_error(project: dict[str, Any]) -> None:
    run = run_cli(["check", "--pr"], project["repo"],
                  env={"GITHUB_EVENT_PATH": None, "CI_MERGE_REQUEST_IID": None, "CI_COMMIT_TAG": None})
    assert run.exit_code == 2 and "--event FILE" in run.stderr


def test_a_provider_only_break_in_a_patch_is_a_warning(make_repo: Any) -> None:
    repo: Repo = make_repo()
    repo.config(CONFIG)
    repo.commit("feat(inference): first", {"src/inference/a.py": "1\n", "src/providers/vllm/p.py": "1\n",
                                           "src/providers/sketch/s.py": "1\n"})
    repo.tag("v1.0.0")
    repo.commit("fix!: vllm drops a sampling option (#7)", {"src/providers/vllm/p.py": "2\n"})
    repo.commit("fix!: sketch renames its config (#8)", {"src/providers/sketch/s.py": "2\n"})
    repo.tag("v1.0.1")
    run = run_cli(["check", "--tag", "v1.0.1", "--json"], repo)
    assert run.exit_code == 0, run.stdout  # a v1 API, a patch release: providers are not judged by its level
    [warning] = run.json()["warnings"]
    assert (warning["rule"], warning["api"], warning["object"]) == ("provider-break-in-patch", "inference", "vllm")
    assert run_cli(["check", "--tag", "v1.0.1", "--strict"], repo).exit_code == 1
    notes = run_cli(["notes", "v1.0.1"], repo).stdout
    assert "Breaking changes" not in notes and "### Provider changes" in notes
    assert notes.index("#### inference: sketch (experimental)") < notes.index("#### inference: vllm (stable)")
    assert "- **inference**: vllm drops a sampling option (#7)" in notes
    document = run_cli(["notes", "v1.0.1", "--json"], repo).json()
    assert [(p["provider"], p["maturity"], p["pr"]) for p in document["provider_changes"]] == [
        ("sketch", "experimental", 8), ("vllm", "stable", 7)]
    assert document["breaking"] == []
    assert run_cli(["next-version", "--json"], repo).exit_code == 0
    repo.commit("fix!: the API itself breaks (#9)", {"src/inference/a.py": "2\n", "src/providers/vllm/p.py": "3\n"})
    mixed = run_cli(["check", "--stream", "z", "--json"], repo)
    assert mixed.exit_code == 1  # not provider-only: judged at the API's level
    assert [v["rule"] for v in mixed.json()["violations"]] == ["break-in-forbidden-stream"]


# -- the CI recipes of docs/ci.md, run as written against the payload fixtures ---------------------------

CI_PAGE = Path(__file__).parent.parent / "docs" / "ci.md"


def _yaml_blocks() -> list[Any]:
    import re

    import yaml

    text = CI_PAGE.read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"^```yaml\n(.*?)^```$", text, flags=re.M | re.S)]


def _github_pr_gate() -> tuple[dict[Any, Any], list[str]]:
    """The workflow whose relmgr step runs `check --pr`, and the argv the action makes of that step."""
    import os
    import shlex

    for doc in _yaml_blocks():
        if not isinstance(doc, dict) or "jobs" not in doc:
            continue
        for job in doc["jobs"].values():
            for step in job.get("steps", []):
                given = step.get("with", {})
                if str(step.get("uses", "")).startswith("relmgr/relmgr@") and "--pr" in given.get("args", ""):
                    args = [os.path.expandvars(a) for a in shlex.split(given["args"])]  # as action.yml does
                    chosen = any(a == "--json" or a.startswith("--format") for a in args)
                    return doc, [given["command"], *([] if chosen else ["--format", "github"]), *args]
    raise AssertionError("docs/ci.md has no GitHub job running check --pr")


def test_the_github_recipe_runs_on_pull_request_and_merge_group(project: dict[str, Any]) -> None:
    workflow, argv = _github_pr_gate()
    on: dict[str, Any] = workflow.get("on") or workflow[True]  # YAML 1.1 reads a bare `on` as true
    assert {"pull_request", "merge_group"} <= set(on)
    assert {"edited", "labeled", "unlabeled", "synchronize"} <= set(on["pull_request"]["types"])
    env: dict[str, str | None] = {"GITHUB_STEP_SUMMARY": None, "RELMGR_APPROVED": None}
    labelled = run_cli(argv, project["repo"], env={**env, "GITHUB_EVENT_NAME": "pull_request",
                                                   "GITHUB_EVENT_PATH": str(event(project, "pull_request_labeled"))})
    assert labelled.exit_code == 0, labelled.stdout
    unlabelled = run_cli(argv, project["repo"], env={
        **env, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event(project, "pull_request_unlabeled"))})
    assert unlabelled.exit_code == 1 and "::error title=relmgr check::" in unlabelled.stdout
    payload = json.loads((EVENTS / "merge_group.json").read_text())
    group = payload["merge_group"]
    group["base_sha"], group["head_sha"] = project["main"], project["queued"]
    queue: Path = project["dir"] / "recipe-queue.json"
    queue.write_text(json.dumps(payload))
    queued = {**env, "GITHUB_EVENT_NAME": "merge_group", "GITHUB_EVENT_PATH": str(queue)}
    assert run_cli(argv, project["repo"], env=queued).exit_code == 1
    # what the recipe's `gh pr list --label breaking-change` step puts in RELMGR_APPROVED
    assert run_cli(argv, project["repo"], env={**queued, "RELMGR_APPROVED": "123,4606"}).exit_code == 0


def test_the_gitlab_recipe_runs_on_merge_request_variables(project: dict[str, Any]) -> None:
    import shlex

    jobs = next(doc for doc in _yaml_blocks() if isinstance(doc, dict) and "mr-gate" in doc)
    [line] = [line for line in jobs["mr-gate"]["script"] if line.startswith("relmgr check")]
    argv = shlex.split(line)[1:]
    env: dict[str, str | None] = {
        "GITHUB_EVENT_PATH": None, "GITHUB_EVENT_NAME": None, "RELMGR_APPROVED": None,
        "CI_MERGE_REQUEST_IID": "77", "CI_MERGE_REQUEST_TITLE": "feat(files)!: drop purpose",
        "CI_MERGE_REQUEST_DESCRIPTION": "BREAKING CHANGE: filter on the client", "CI_MERGE_REQUEST_LABELS": "files",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "drop-purpose",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": project["main"], "CI_COMMIT_SHA": project["head"],
    }
    failed = run_cli(argv, project["repo"], env=env)
    assert failed.exit_code == 1 and "missing-approval" in failed.stdout and "label PR #77" in failed.stdout
    labelled = {**env, "CI_MERGE_REQUEST_LABELS": "files,breaking-change"}
    assert run_cli(argv, project["repo"], env=labelled).exit_code == 0


def test_without_pr_a_pull_request_jobs_labels_still_approve(project: dict[str, Any]) -> None:
    """`check --stream y RANGE` in a pull_request job: the event's labels approve its PR (approval-labels)."""
    rng = f"{project['main']}..{project['queued']}"  # holds `feat(files)!: … (#123)`
    labelled = event(project, "pull_request_labeled", number=123)
    unlabelled = event(project, "pull_request_unlabeled", number=123)
    for path, code in ((labelled, 0), (unlabelled, 1)):
        env: dict[str, str | None] = {"GITHUB_EVENT_PATH": str(path), "GITHUB_EVENT_NAME": "pull_request",
                                      "RELMGR_APPROVED": None}
        run = run_cli(["check", "--stream", "y", rng], project["repo"], env=env)
        assert run.exit_code == code, run.stdout
    pushed = run_cli(["check", "--stream", "y", rng], project["repo"],
                     env={"GITHUB_EVENT_PATH": str(EVENTS / "push_tag.json"), "GITHUB_EVENT_NAME": "push",
                          "RELMGR_APPROVED": None})
    assert pushed.exit_code == 1  # a push approves nothing, and is no error


def test_markdown_format_is_checks_summary(project: dict[str, Any]) -> None:
    """`--format markdown` (a PR comment) goes through check's own renderer, headed by the PR."""
    run = run_cli(["check", "--pr", "--format", "markdown", "--event", str(event(project, "pull_request_unlabeled"))],
                  project["repo"], env={"GITHUB_EVENT_NAME": "pull_request", "RELMGR_APPROVED": None})
    assert run.exit_code == 1
    assert run.stdout.startswith("### relmgr check --pr #4606: failed\n")
    assert "missing-approval" in run.stdout
    path = str(event(project, "pull_request_labeled"))
    labelled = run_cli(["check", "--pr", "--format", "markdown", "--event", path], project["repo"],
                       env={"GITHUB_EVENT_NAME": "pull_request", "RELMGR_APPROVED": None})
    assert labelled.exit_code == 0 and labelled.stdout.startswith("### relmgr check --pr #4606: ok\n")
