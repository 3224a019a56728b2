"""CI events read offline: GitHub payload fixtures (real shapes, trimmed), GitLab's variables, and the pure
parts of judging a pull request (base branch → stream, labels → approvals, the title as the squash commit)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.ci.events import github_event, gitlab_event, parse_payload, queue_branch
from relmgr.ci.pr import base_stream, label_approvals, release_line, squash_commit
from relmgr.config.model import Config
from relmgr.errors import UsageError
from relmgr.history.commits import Commit, parse_commit
from relmgr.history.versions import Stream

EVENTS = Path(__file__).parent / "fixtures" / "events"


def fixture(name: str) -> dict[str, Any]:
    return parse_payload((EVENTS / f"{name}.json").read_text(), name)


def test_labelled_pull_request() -> None:
    event = github_event(fixture("pull_request_labeled"), {"GITHUB_EVENT_NAME": "pull_request"})
    assert (event.kind, event.number, event.base, event.head) == ("pull_request", 4606, "main", "drop-purpose")
    assert event.title == "feat(files)!: drop the purpose query parameter"
    assert event.labels == ("breaking-change", "files")
    assert event.base_sha == "2" * 40 and event.head_sha == "1" * 40
    assert event.body is not None and "BREAKING CHANGE:" in event.body
    assert label_approvals(event.number, event.labels, ["Breaking-Change"]) == {4606}


def test_unlabelled_pull_request_approves_nothing() -> None:
    event = github_event(fixture("pull_request_unlabeled"), {})  # kind guessed from the payload
    assert event.kind == "pull_request" and event.labels == ("files",)
    assert label_approvals(event.number, event.labels, ["breaking-change"]) == frozenset()


def test_pull_request_target_to_a_release_branch() -> None:
    event = github_event(fixture("pull_request_target"), {"GITHUB_EVENT_NAME": "pull_request_target"})
    assert (event.kind, event.number, event.base, event.body) == ("pull_request_target", 4643, "release-0.4.x", None)
    found = base_stream(event.base, Config())
    assert (found.stream, found.line) == (Stream.Z, (0, 4))


def test_merge_group_takes_the_pr_number_from_the_queue_branch() -> None:
    event = github_event(fixture("merge_group"), {"GITHUB_EVENT_NAME": "merge_group"})
    assert (event.kind, event.number, event.base, event.labels, event.title) == ("merge_group", 123, "main", (), None)
    assert event.head == "gh-readonly-queue/main/pr-123-" + "2" * 40


def test_tag_push() -> None:
    event = github_event(fixture("push_tag"), {"GITHUB_EVENT_NAME": "push"})
    assert (event.kind, event.tag, event.number, event.head_sha) == ("push", "v0.4.1", None, "1" * 40)
    assert event.describe() == "push of tag v0.4.1"


@pytest.mark.parametrize(("payload", "env", "says"), [
    ({"pull_request": {"number": 1}}, {}, "pull_request.title is missing"),
    ({"pull_request": {"number": "7", "title": "x"}}, {}, "pull_request.number is not a pull request number"),
    ({"merge_group": {"head_ref": "refs/heads/main"}}, {}, "is not a merge-queue branch"),
    ({"action": "created"}, {"GITHUB_EVENT_NAME": "issue_comment"}, "not 'issue_comment'"),
    ({"action": "created"}, {}, "set GITHUB_EVENT_NAME"),
])
def test_malformed_payloads_are_one_line(payload: dict[str, Any], env: dict[str, str], says: str) -> None:
    with pytest.raises(UsageError) as caught:
        github_event(payload, env)
    assert says in caught.value.message and "\n" not in caught.value.message


def test_a_file_that_is_not_json_is_one_line() -> None:
    for text in ("{", "[1, 2]", "null"):
        with pytest.raises(UsageError) as caught:
            parse_payload(text, "event.json")
        assert caught.value.message.startswith("event.json: ") and "\n" not in caught.value.message


def test_gitlab_merge_request_variables() -> None:
    env = {"CI_MERGE_REQUEST_IID": "42", "CI_MERGE_REQUEST_TITLE": "feat(files)!: drop purpose",
           "CI_MERGE_REQUEST_LABELS": "breaking-change,files", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "release-1.2.x",
           "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "drop", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "a" * 40,
           "CI_COMMIT_SHA": "b" * 40}
    event = gitlab_event(env)
    assert event is not None and event.kind == "merge_request" and event.is_pr
    assert (event.number, event.labels, event.base, event.base_sha, event.head_sha) == (
        42, ("breaking-change", "files"), "release-1.2.x", "a" * 40, "b" * 40)
    assert gitlab_event({"CI_COMMIT_TAG": "v1.2.3", "CI_COMMIT_SHA": "c" * 40}) is not None
    assert gitlab_event({}) is None
    with pytest.raises(UsageError):
        gitlab_event({"CI_MERGE_REQUEST_IID": "abc"})


@given(st.text(min_size=1, max_size=30).filter(lambda s: "\n" not in s), st.integers(1, 10**17),
       st.text("0123456789abcdef", min_size=7, max_size=40))
def test_queue_branches_round_trip(base: str, number: int, sha: str) -> None:
    assert queue_branch(f"refs/heads/gh-readonly-queue/{base}/pr-{number}-{sha}") == (base, number)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                        ["pull_request", "merge_group", "number", "title", "base", "head", "ref", "sha", "labels",
                         "head_ref", "base_ref", "after", "name"]), inner, max_size=4), max_leaves=12))
def test_any_payload_gives_an_event_or_a_usage_error(payload: Any) -> None:
    try:
        github_event(payload if isinstance(payload, dict) else {"value": payload}, {})
    except UsageError as exc:
        assert "\n" not in exc.message


def test_release_branch_patterns() -> None:
    assert release_line("release-0.4.x", "release-{major}.{minor}.x") == (0, 4)
    assert release_line("release/2.10", "release/{major}.{minor}") == (2, 10)
    assert release_line("main", "release-{major}.{minor}.x") is None
    assert release_line("release-0.4.x.y", "release-{major}.{minor}.x") is None
    assert base_stream("main", Config()).stream is None
    assert base_stream("stable-1.2", Config(release_branch="stable-{major}.{minor}")).stream is Stream.Z


def _commit(sha: str, message: str, files: tuple[str, ...] = ()) -> Commit:
    return parse_commit(sha, "Alice", "alice@example.com", datetime(2024, 1, 2, tzinfo=UTC), files, message)


def test_a_bang_title_declares_the_break_over_plain_commits() -> None:
    commits = [_commit("b" * 40, "fix(files): tidy", ("src/files/b.py",)),
               _commit("a" * 40, "feat(files): drop purpose", ("src/files/a.py",))]
    squash = squash_commit("feat(files)!: drop purpose", 7, None, commits, "b" * 40)
    message = squash.commit.message
    assert (message.header, message.pr, message.breaking, squash.dropped) == (
        "feat(files)!: drop purpose (#7)", 7, True, ())
    assert squash.commit.files == ("src/files/b.py", "src/files/a.py")
    assert message.body.startswith("* feat(files): drop purpose")  # oldest first, as GitHub writes it


def test_a_commit_bang_the_title_drops_is_still_a_break_and_reported() -> None:
    commits = [_commit("a" * 40, "feat(files)!: drop purpose")]
    squash = squash_commit("Drop purpose (#7)", 7, "", commits, "a" * 40)
    assert squash.commit.message.header == "Drop purpose (#7)"  # its own (#N) is kept, not doubled
    assert squash.commit.breaking and [c.sha for c in squash.dropped] == ["a" * 40]
    noted = [_commit("a" * 40, "feat(files)!: drop purpose\n\nBREAKING CHANGE: filter on the client")]
    kept = squash_commit("Drop purpose", 7, None, noted, "a" * 40)
    assert kept.commit.breaking and kept.dropped == ()  # the footer survives the squash
    assert kept.commit.message.breaking_notes == ("filter on the client",)


def test_fixtures_are_real_json_objects() -> None:
    for path in EVENTS.glob("*.json"):
        assert isinstance(json.loads(path.read_text()), dict), path


@pytest.mark.parametrize(("toml", "says"), [
    ('[apis.a]\nlevel = "v1"\n[apis.a.providers.p]\npaths = ["x/**"]\nmaturity = "stabel"\n',
     "apis.a.providers.p.maturity: 'stabel' is not one of stable, experimental, deprecated"),
    ('[apis.a]\nlevel = "v1"\n[apis.a.providers.p]\nmaturity = "stable"\n', "apis.a.providers.p.paths: missing"),
    ('[apis.a]\nlevel = "v1"\n[apis.a.providers.p]\npaths = ["x/**"]\npath = "y"\n',
     "apis.a.providers.p.path: unknown key; did you mean 'paths'?"),
    ('[policy]\napproval-labels = [""]\n', "policy.approval-labels: has an empty label"),
    ('[policy]\napproval-label = ["x"]\n', "did you mean 'approval-labels'?"),
])
def test_provider_and_label_config_is_validated(toml: str, says: str) -> None:
    import tomllib

    from relmgr.config.load import parse_config
    from relmgr.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config(tomllib.loads(toml))
    assert says in caught.value.message


def test_providers_parse() -> None:
    import tomllib

    from relmgr.config.load import parse_config

    config = parse_config(tomllib.loads('[policy]\napproval-labels = ["breaking-change"]\n[apis.a]\nlevel = "v1"\n'
                                        '[apis.a.providers.z]\npaths = ["z/**"]\n[apis.a.providers.b]\n'
                                        'paths = ["b/**"]\nmaturity = "deprecated"\n'))
    api = config.api("a")
    assert api is not None
    assert [(p.name, p.maturity) for p in api.providers] == [("b", "deprecated"), ("z", "experimental")]
    assert config.policy.approval_labels == ("breaking-change",)


@given(st.text(max_size=60).filter(lambda s: "\n" not in s and "\r" not in s), st.integers(1, 10**6),
       st.booleans())
def test_the_squash_commit_is_the_prs_whatever_its_title(title: str, number: int, bang: bool) -> None:
    commits = [_commit("a" * 40, "feat(files)!: x" if bang else "fix: y", ("src/a.py",))]
    squash = squash_commit(title, number, None, commits, "a" * 40)
    assert squash.commit.message.pr == number and squash.commit.files == ("src/a.py",)
    assert squash.commit.breaking == (bang or squash_commit(title, number, None, [], "a" * 40).commit.breaking)
    assert bool(squash.dropped) == (bang and not parse_commit(
        "b" * 40, "A", "a@b", datetime(2024, 1, 2, tzinfo=UTC), (), squash.commit.message.header
        + "\n\n" + squash.commit.message.body).message.breaking)
