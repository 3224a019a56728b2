"""compute_next, bump and next_prerelease over plain values: the stream × level × 0.x × pre-release table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from relmgr.config.load import parse_config
from relmgr.config.model import Config
from relmgr.errors import UsageError
from relmgr.history.commits import parse_commit
from relmgr.history.versions import Release, Stream, Version, classify_stream, parse_version
from relmgr.policy.apis import Change, Registry, to_changes
from relmgr.policy.bump import bump, compute_next, next_prerelease, tag_style

WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def v(text: str) -> Version:
    found = parse_version(text)
    assert found is not None
    return found


def release(text: str, sha: str = "f" * 40) -> Release:
    version = v(text)
    return Release(f"v{text}", version, sha, WHEN, None, None)


def config(**extra: Any) -> Config:
    table: dict[str, Any] = {
        "apis": {
            "alpha": {"level": "v1alpha", "scopes": ["alpha"]},
            "beta": {"level": "v1beta", "scopes": ["beta"]},
            "stable": {"level": "v1", "scopes": ["stable"]},
            "graduating": {"level": "v1", "scopes": ["graduating"],
                           "history": [{"until": "0.5.0", "level": "v1alpha"}]},
        },
    }
    table.update(extra)
    return parse_config(table)


def changes(*messages: str) -> list[Change]:
    """Commits newest first (the first message is the newest), as `git log` gives them."""
    commits = [parse_commit(f"{i:040x}", "A", "a@example.com", WHEN, (), m) for i, m in enumerate(messages, 1)]
    return to_changes(commits, Registry(config().apis))


def next_of(current: str | None, *messages: str, **extra: Any) -> tuple[str, str | None]:
    cfg = config(**extra)
    found = compute_next(changes(*messages), release(current) if current else None,
                         registry=Registry(cfg.apis), config=cfg)
    return found.next.text, found.stream.value if found.stream else None


@pytest.mark.parametrize(("message", "at_zero", "at_one"), [
    # each level × breaking / feat / fix, default policy
    ("fix(alpha)!: x", ("0.4.1", "z"), ("1.4.3", "z")),  # alpha may break in any stream
    ("feat(alpha)!: x", ("0.5.0", "y"), ("1.5.0", "y")),  # ... but a feat still needs Y
    ("feat(alpha): x", ("0.5.0", "y"), ("1.5.0", "y")),
    ("fix(alpha): x", ("0.4.1", "z"), ("1.4.3", "z")),
    ("fix(beta)!: x", ("0.5.0", "y"), ("1.5.0", "y")),
    ("feat(beta): x", ("0.5.0", "y"), ("1.5.0", "y")),
    ("fix(beta): x", ("0.4.1", "z"), ("1.4.3", "z")),
    ("fix(stable)!: x", ("0.5.0", "y"), ("1.5.0", "y")),
    ("feat(stable): x", ("0.5.0", "y"), ("1.5.0", "y")),
    ("fix(stable): x", ("0.4.1", "z"), ("1.4.3", "z")),
    ("refactor(stable): x", ("0.4.1", "z"), ("1.4.3", "z")),
    ("Update README", ("0.4.1", "z"), ("1.4.3", "z")),
    # a break tied to no API is judged at default-level (v1)
    ("fix!: x", ("0.5.0", "y"), ("1.5.0", "y")),
    ("chore: x\n\nBREAKING CHANGE: gone", ("0.5.0", "y"), ("1.5.0", "y")),
])
def test_level_by_change_table(message: str, at_zero: tuple[str, str], at_one: tuple[str, str]) -> None:
    assert next_of("0.4.0", message) == at_zero
    assert next_of("1.4.2", message) == at_one


def test_the_greatest_need_wins_and_reasons_explain_each_change() -> None:
    cfg = config()
    found = compute_next(changes("fix(alpha): a", "fix(stable)!: b", "feat(alpha)!: c", "docs: d"),
                         release("1.4.2"), registry=Registry(cfg.apis), config=cfg)
    assert (found.next.text, found.stream) == ("1.5.0", Stream.Y)
    assert [(r.subject, r.needs.value, r.why) for r in found.reasons] == [
        ("fix(stable)!: b", "y", "breaking change to stable (v1): v1 may break only in X or Y streams"),
        ("feat(alpha)!: c", "y", "new feature (breaking change to alpha (v1alpha): v1alpha may break in any stream)"),
        ("fix(alpha): a", "z", "fix"),
        ("docs: d", "z", "documentation"),
    ]


@pytest.mark.parametrize(("current", "major_on_zero", "expected"), [
    ("0.4.0", False, ("0.5.0", "y")),  # below 1.0.0 an X need is a Y release
    ("0.4.0", True, ("1.0.0", "x")),
    ("1.4.2", False, ("2.0.0", "x")),
    ("1.4.2", True, ("2.0.0", "x")),
])
def test_x_needs_and_major_on_zero(current: str, major_on_zero: bool, expected: tuple[str, str]) -> None:
    policy = {"policy": {"v1": ["major"]}, "major-on-zero": major_on_zero}
    assert next_of(current, "fix(stable)!: x", **policy) == expected
    assert next_of(current, "fix(beta)!: x", **policy)[1] == "y"  # only v1 was overridden


def test_x_need_below_one_says_why_it_is_a_y() -> None:
    cfg = config(policy={"v1": ["major"]})
    found = compute_next(changes("fix(stable)!: x"), release("0.4.0"), registry=Registry(cfg.apis), config=cfg)
    assert found.reasons[0].needs == Stream.Y
    assert found.reasons[0].why == ("breaking change to stable (v1): v1 may break only in X streams; below 1.0.0 "
                                    "that is a Y release (major-on-zero = false)")


def test_semver_preset() -> None:
    assert next_of("1.4.2", "fix(stable)!: x", policy={"preset": "semver"}) == ("2.0.0", "x")
    assert next_of("0.4.0", "fix(stable)!: x", policy={"preset": "semver"}) == ("0.5.0", "y")
    assert next_of("1.4.2", "fix(beta)!: x", policy={"preset": "semver"}) == ("1.5.0", "y")


def test_default_level_judges_breaks_tied_to_no_api() -> None:
    assert next_of("1.4.2", "fix!: x", **{"default-level": "v1alpha"}) == ("1.4.3", "z")


def test_level_is_the_one_a_patch_would_have() -> None:
    # `graduating` is v1alpha before 0.5.0: a break to it from 0.4.0 is judged at v1alpha (may be a patch)
    assert next_of("0.4.0", "fix(graduating)!: x") == ("0.4.1", "z")
    assert next_of("0.5.0", "fix(graduating)!: x") == ("0.6.0", "y")


def test_reverted_pairs_need_nothing() -> None:
    pair = changes(f'Revert "feat(stable): x"\n\nThis reverts commit {2:040x}.', "feat(stable): x")
    assert all(c.reverted for c in pair)
    cfg = config()
    found = compute_next(pair, release("0.4.0"), registry=Registry(cfg.apis), config=cfg)
    assert (found.next.text, found.stream, found.reasons) == ("0.4.0", None, ())


def test_no_changes_keeps_the_version_and_no_release_gives_0_1_0() -> None:
    assert next_of("0.4.0") == ("0.4.0", None)
    assert next_of(None, "feat(stable)!: x") == ("0.1.0", None)
    assert next_of(None) == ("0.1.0", None)


def test_a_prerelease_already_cut_is_the_floor() -> None:
    cfg = config()
    rc = release("1.0.0rc1", sha="c" * 40)
    found = compute_next(changes("fix: x"), release("0.9.0"), registry=Registry(cfg.apis), config=cfg,
                         pending=[rc])
    assert (found.next.text, found.stream) == ("1.0.0", Stream.X)
    assert found.reasons[0].sha == "c" * 40 and found.reasons[0].why == "pre-release v1.0.0rc1 was already cut"
    lower = compute_next(changes("feat: x"), release("0.9.0"), registry=Registry(cfg.apis), config=cfg,
                         pending=[release("0.9.1rc1")])
    assert lower.next.text == "0.10.0"


@pytest.mark.parametrize(("current", "stream", "expected"), [
    ("1.4.2", Stream.Z, "1.4.3"), ("1.4.2", Stream.Y, "1.5.0"), ("1.4.2", Stream.X, "2.0.0"),
    ("0.2.10.1", Stream.Z, "0.2.11"), ("0.2.10.1", Stream.Y, "0.3.0"), ("1.0", Stream.Z, "1.0.1"),
])
def test_bump(current: str, stream: Stream, expected: str) -> None:
    bumped = bump(v(current), stream)
    assert bumped.text == expected
    assert classify_stream(bumped, v(current)) == stream


@pytest.mark.parametrize(("label", "style", "existing", "expected"), [
    ("rc", "pep440", [], "0.5.0rc1"),
    ("rc", "semver", [], "0.5.0-rc.1"),
    ("alpha", "pep440", [], "0.5.0a1"),
    ("beta", "pep440", [], "0.5.0b1"),
    ("dev", "pep440", [], "0.5.0.dev1"),
    ("alpha", "semver", [], "0.5.0-alpha.1"),
    ("beta", "semver", [], "0.5.0-beta.1"),
    ("dev", "semver", [], "0.5.0-dev.1"),
    ("rc", "pep440", ["0.5.0rc1", "0.5.0rc2", "0.4.0rc7"], "0.5.0rc3"),
    ("rc", "semver", ["0.5.0-rc.1"], "0.5.0-rc.2"),
    ("rc", "pep440", ["0.5.0a1", "0.5.0b2"], "0.5.0rc1"),
    ("beta", "semver", ["0.5.0-alpha.3"], "0.5.0-beta.1"),
])
def test_next_prerelease(label: str, style: Any, existing: list[str], expected: str) -> None:
    assert next_prerelease(v("0.5.0"), label, [v(e) for e in existing], style).text == expected


def test_next_prerelease_refuses_to_go_backwards_and_unknown_labels() -> None:
    with pytest.raises(UsageError, match=r"0.5.0b1 would sort before the existing pre-release 0.5.0rc2.*--pre rc"):
        next_prerelease(v("0.5.0"), "beta", [v("0.5.0rc2")], "pep440")
    with pytest.raises(UsageError, match="use one of rc, alpha, beta, dev"):
        next_prerelease(v("0.5.0"), "gamma", [], "pep440")


@pytest.mark.parametrize(("tags", "expected"), [
    (["0.3.0", "0.4.0rc1", "0.4.0"], "pep440"),  # the latest pre-release decides
    (["0.3.0", "0.4.0-rc.1", "0.4.0"], "semver"),
    (["0.2.10.1", "0.3.0"], "pep440"),  # else the latest tag that is not plain
    (["0.3.0", "0.4.0"], "semver"),  # plain tags read as SemVer
    ([], "semver"),
    # `-dev` markers on main after each release are no pre-release style: the rc tags decide
    (["0.8.0rc1", "0.8.0", "0.8.1-dev", "0.9.0-dev"], "pep440"),
    (["0.8.0-rc.1", "0.8.0", "0.9.0.dev0"], "semver"),
    (["0.8.0", "0.8.1-dev"], "semver"),  # only dev tags: theirs
    (["0.8.0", "0.8.1.dev1"], "pep440"),
])
def test_tag_style(tags: list[str], expected: str) -> None:
    assert tag_style([release(t) for t in tags]) == expected


def test_a_patch_tagged_elsewhere_is_skipped_but_a_taken_minor_is_kept() -> None:
    cfg = config()
    taken = [v("0.4.1"), v("0.4.2"), v("0.5.0")]
    patch = compute_next(changes("fix: x"), release("0.4.0"), registry=Registry(cfg.apis), config=cfg,
                         existing=taken)
    assert (patch.next.text, patch.stream) == ("0.4.3", Stream.Z)
    minor = compute_next(changes("feat: x"), release("0.4.0"), registry=Registry(cfg.apis), config=cfg,
                         existing=taken)
    assert minor.next.text == "0.5.0"  # the CLI warns: a minor on a line whose minor is taken
