"""Versions from tags, their order, streams and previous releases (pure, no repository)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.config.patterns import compile_user_regex
from relmgr.history.versions import Stream, build_releases, classify_stream, parse_version


@pytest.mark.parametrize(
    ("text", "release", "prerelease", "style"),
    [
        ("1.2.3", (1, 2, 3), False, "plain"),
        ("1.2.3-rc.1", (1, 2, 3), True, "semver"),
        ("0.4.0rc4", (0, 4, 0), True, "pep440"),
        ("0.1.4.dev3", (0, 1, 4), True, "pep440"),
        ("0.2.10.1", (0, 2, 10, 1), False, "pep440"),
        ("0.5.0-dev", (0, 5, 0), True, "semver"),
        ("0.2.24-dev.20250927", (0, 2, 24), True, "semver"),
        ("1.0.0-alpha.beta", (1, 0, 0), True, "semver"),
        ("1.0", (1, 0, 0), False, "pep440"),
        ("1.0.0.post1", (1, 0, 0), False, "pep440"),
        ("2.0.0b1", (2, 0, 0), True, "pep440"),
    ],
)
def test_parse(text: str, release: tuple[int, ...], prerelease: bool, style: str) -> None:
    version = parse_version(text)
    assert version is not None
    assert (version.release, version.prerelease, version.style) == (release, prerelease, style)


@pytest.mark.parametrize("text", ["", "stable", "docs-2024", "1", "v1.2.3", "1.2.3.x", "latest-1.0"])
def test_not_versions(text: str) -> None:
    assert parse_version(text) is None


ORDERED = [
    "0.2.10", "0.2.10.1", "0.2.11", "0.4.0.dev1", "0.4.0a1", "0.4.0-beta.2", "0.4.0rc4", "0.4.0-rc.5",
    "0.4.0", "0.4.0.post1", "0.5.0-x.7", "0.5.0a1", "0.5.0", "1.0.0",
]


def test_order_follows_pep440() -> None:
    versions = [parse_version(t) for t in ORDERED]
    assert all(v is not None for v in versions)
    shuffled = sorted(versions, key=lambda v: v.key if v else ())
    assert [v.text for v in shuffled if v] == ORDERED


@given(st.lists(st.sampled_from(ORDERED), min_size=2, max_size=8))
def test_order_is_total_and_consistent(texts: list[str]) -> None:
    versions = [parse_version(t) for t in texts]
    keys = [v.key for v in versions if v]
    assert sorted(keys) == sorted(keys, key=lambda k: ORDERED.index(texts[keys.index(k)]))


@pytest.mark.parametrize(
    ("version", "previous", "stream"),
    [
        ("1.0.0", None, None),
        ("2.0.0", "1.9.9", Stream.X),
        ("0.4.0", "0.3.5", Stream.Y),
        ("0.4.0rc2", "0.3.5", Stream.Y),
        ("0.3.6", "0.3.5", Stream.Z),
        ("0.2.10.1", "0.2.10", Stream.Z),
        ("1.0.0", "0.9.0", Stream.X),
    ],
)
def test_streams(version: str, previous: str | None, stream: Stream | None) -> None:
    v = parse_version(version)
    p = parse_version(previous) if previous else None
    assert v is not None
    assert classify_stream(v, p) == stream


@dataclass(frozen=True)
class Tag:
    name: str
    sha: str
    date: datetime


T0 = datetime(2024, 1, 1, tzinfo=UTC)


def tags(*spec: tuple[str, int]) -> list[Tag]:
    return [Tag(name, f"{i:040x}", T0 + timedelta(days=day)) for i, (name, day) in enumerate(spec)]


def test_previous_is_greatest_final_not_later() -> None:
    found = build_releases(
        tags(("v0.2.23", 1), ("v0.3.0", 2), ("v0.3.1", 3), ("v0.2.24", 4), ("v0.5.0", 5), ("v0.4.5", 6),
             ("v0.4.4", 4)),
        prefix="v",
    )
    previous = {r.tag: r.previous for r in found.releases}
    assert previous["v0.2.24"] == "v0.2.23"  # cut from a release branch after 0.3.x
    assert previous["v0.5.0"] == "v0.4.4"  # cut before the 0.4.5 backport
    assert previous["v0.4.5"] == "v0.4.4"
    assert previous["v0.3.0"] == "v0.2.23"
    assert [r.tag for r in found.releases] == ["v0.2.23", "v0.3.0", "v0.3.1", "v0.2.24", "v0.4.4", "v0.5.0",
                                               "v0.4.5"]


def test_prerelease_previous_is_final() -> None:
    found = build_releases(tags(("v0.3.5", 1), ("v0.4.0rc1", 2), ("v0.4.0rc2", 3), ("v0.4.0", 4)), prefix="v")
    by_tag = {r.tag: r for r in found.releases}
    assert by_tag["v0.4.0rc2"].previous == "v0.3.5"
    assert by_tag["v0.4.0rc2"].stream == Stream.Y
    assert by_tag["v0.4.0"].previous == "v0.3.5"


def test_skipped_and_duplicates() -> None:
    found = build_releases(
        tags(("v1.0", 1), ("v1.0.0", 2), ("stable", 3), ("v2.0.0-dev", 4), ("release-1", 5), ("1.5.0", 6)),
        prefix="v",
        ignore=[compile_user_regex(r"-dev$", "ignore-tags")],
    )
    assert [r.tag for r in found.releases] == ["v1.0"]
    reasons = {s.tag: s.reason for s in found.skipped}
    assert reasons["v1.0.0"] == "same version as v1.0"
    assert "ignore-tags" in reasons["v2.0.0-dev"]
    assert "prefix" in reasons["stable"] and "prefix" in reasons["1.5.0"]


def test_empty_prefix() -> None:
    found = build_releases(tags(("1.0.0", 1), ("v2.0.0", 2), ("docs", 3)), prefix="")
    assert [r.tag for r in found.releases] == ["1.0.0"]
    assert {s.tag for s in found.skipped} == {"v2.0.0", "docs"}
