"""The graduation core on plain values: each criterion and flag flips at its threshold."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest

from relmgr.config.edit import check_decision
from relmgr.config.model import ApiConfig, GraduationConfig, GraduationStep, LevelChange
from relmgr.graduation.criteria import (
    UNKNOWN_SURFACE,
    Activity,
    ApiEvidence,
    BreakingChange,
    Proposal,
    RouteChanges,
    SurfaceEvidence,
    flags,
    minor_lines,
    next_level,
    next_minor,
    propose,
)
from relmgr.history.versions import Version, parse_version
from relmgr.policy.levels import Level

DEFAULTS = GraduationConfig()
TODAY = date(2024, 12, 1)


def v(text: str) -> Version:
    version = parse_version(text)
    assert version is not None
    return version


def release(tag: str, day: str, commits: int = 1, breaking: int = 0) -> Activity:
    changes = tuple(BreakingChange(_sha(f"{tag}/{i}"), f"feat!: break {i}", None, tag) for i in range(breaking))
    return Activity(tag, v(tag.removeprefix("v")), datetime.fromisoformat(f"{day}T12:00:00+00:00"),
                    commits, changes, ("Alice",) if commits else ())


def _sha(seed: str) -> str:
    return hashlib.sha1(seed.encode()).hexdigest()


def evidence(*releases: Activity, pending: int = 0, tests: tuple[str, ...] = ()) -> ApiEvidence:
    changes = tuple(BreakingChange(f"{i:040d}", "feat!: pending", None, None) for i in range(pending))
    return ApiEvidence(tuple(releases), Activity(None, None, None, pending, changes), tests)


def api(level: str, until: str | None = None, before: str = "v1alpha", tests: tuple[str, ...] = ()) -> ApiConfig:
    history = (LevelChange(v(until), Level.parse(before)),) if until else ()
    return ApiConfig("files", Level.parse(level), paths=("src/files/**",), history=history, tests=tests)


def run(config: ApiConfig, ev: ApiEvidence, today: date = TODAY, graduation: GraduationConfig = DEFAULTS,
        surface: SurfaceEvidence | None = None) -> Proposal:
    return propose(config, ev, config=graduation, today=today, at=v("9.9.0"), surface=surface)


def met(proposal: Proposal) -> dict[str, bool | None]:
    return {c.name: c.met for c in proposal.criteria}


BETA_RELEASES = (
    release("v0.1.0", "2024-01-01"),
    release("v0.2.0", "2024-03-01"),
    release("v0.2.1", "2024-03-10", breaking=1),
    release("v0.3.0", "2024-05-01"),
    release("v0.4.0", "2024-07-01"),
)


# -- time at level ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("until", "today", "expected"), [
    ("0.3.0", date(2024, 6, 29), False),  # 0.3, 0.4: two minors, but 59 days since 0.3.0
    ("0.3.0", date(2024, 6, 30), True),  # 60 days
    ("0.4.0", date(2025, 6, 1), False),  # one minor, however long
    ("0.2.0", TODAY, True),
])
def test_time_at_level_needs_minors_and_days(until: str, today: date, expected: bool) -> None:
    proposal = run(api("v1beta", until, "v1alpha"), evidence(*BETA_RELEASES), today=today)
    assert met(proposal)["time-at-level"] is expected


def test_time_evidence_says_what_is_missing() -> None:
    criterion = run(api("v1beta", "0.4.0"), evidence(*BETA_RELEASES), today=date(2024, 7, 11)).criteria[0]
    assert criterion.evidence == (
        "1 minor release at v1beta (0.4) and 10 days since v0.4.0 (2024-07-01); needs 1 more minor release "
        "and 50 more days (on or after 2024-08-30)"
    )


def test_time_counts_from_first_release_touching_the_api_without_history() -> None:
    releases = (release("v0.1.0", "2024-01-01", commits=0), *BETA_RELEASES[1:])
    proposal = run(api("v1alpha"), evidence(*releases))
    assert proposal.reached.release is not None and proposal.reached.release.tag == "v0.2.0"
    assert [line.name for line in proposal.lines] == ["0.2", "0.3", "0.4"]
    assert "first release touching files" in proposal.criteria[0].evidence


def test_level_reached_at_a_patch_does_not_count_its_minor() -> None:
    proposal = run(api("v1beta", "0.2.1"), evidence(*BETA_RELEASES))
    assert [line.name for line in proposal.lines] == ["0.3", "0.4"]
    assert [r.tag for r in proposal.releases] == ["v0.2.1", "v0.3.0", "v0.4.0"]


@pytest.mark.parametrize(("config", "wording"), [
    (api("v1beta", "0.9.0"), "files becomes v1beta at 0.9.0, which is not released yet"),
    (api("v1alpha"), "no release has touched files yet"),
])
def test_time_not_met_before_the_level_shipped(config: ApiConfig, wording: str) -> None:
    releases = [release(r.tag or "", "2024-01-01", commits=0) for r in BETA_RELEASES]
    proposal = run(config, evidence(*releases))
    assert met(proposal)["time-at-level"] is False
    assert wording in proposal.criteria[0].evidence
    assert proposal.releases == () and proposal.days is None


def test_time_without_any_release() -> None:
    criterion = run(api("v1alpha"), evidence()).criteria[0]
    assert (criterion.met, criterion.evidence) == (
        False, "the repository has no final release yet: nothing to count from")


# -- quiet -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("quiet_minors", "expected"), [(2, True), (3, False)])
def test_quiet_looks_at_the_last_n_minor_lines_patches_included(quiet_minors: int, expected: bool) -> None:
    # the break shipped in 0.2.1, a patch of the 0.2 line: inside the last 3 lines, outside the last 2
    step = GraduationStep(minor_releases=1, days=1, quiet_minors=quiet_minors, settled_minors=1)
    proposal = run(api("v1beta", "0.2.0"), evidence(*BETA_RELEASES), graduation=GraduationConfig(to_stable=step))
    assert met(proposal)["quiet"] is expected
    if not expected:
        assert proposal.criteria[1].evidence == (
            f"1 breaking change ({_sha('v0.2.1/0')[:7]} in v0.2.1) to files in the last 3 minor releases "
            "(0.2, 0.3, 0.4)"
        )


def test_quiet_needs_enough_minor_releases_to_judge() -> None:
    proposal = run(api("v1beta", "0.4.0"), evidence(*BETA_RELEASES))
    assert met(proposal)["quiet"] is False
    assert proposal.criteria[1].evidence.startswith("only 1 minor release at v1beta (0.4); needs 2 to judge")


def test_quiet_fails_on_an_unreleased_break() -> None:
    quiet = run(api("v1beta", "0.2.0"), evidence(*BETA_RELEASES)).criteria[1]
    assert quiet.met is True
    pending = run(api("v1beta", "0.2.0"), evidence(*BETA_RELEASES, pending=1)).criteria[1]
    assert pending.met is False
    assert "not released yet, so the next release breaks files" in pending.evidence


# -- surface, tests, deprecated ----------------------------------------------------------------------


def test_without_openapi_the_surface_criteria_are_unknown_and_not_ready() -> None:
    proposal = run(api("v1beta", "0.2.0", tests=("tests/**",)), evidence(*BETA_RELEASES, tests=("tests/a.py",)))
    assert met(proposal) == {"time-at-level": True, "quiet": True, "surface-settled": None,
                             "conformance-tests": True, "no-deprecated-routes": None}
    assert {c.evidence for c in proposal.criteria if c.met is None} == {UNKNOWN_SURFACE}
    assert proposal.ready is False
    assert [c.name for c in proposal.missing] == ["surface-settled", "no-deprecated-routes"]


def test_with_surface_evidence_every_criterion_can_be_met() -> None:
    surface = SurfaceEvidence(tuple(RouteChanges(r.tag or "") for r in BETA_RELEASES))
    proposal = run(api("v1beta", "0.2.0", tests=("tests/**",)), evidence(*BETA_RELEASES, tests=("tests/a.py",)),
                   surface=surface)
    assert proposal.ready is True
    assert proposal.next_step == "relmgr graduate files --to v1 --at 9.9.0"


@pytest.mark.parametrize(("changes", "deprecated", "settled", "no_deprecated"), [
    ((RouteChanges("v0.4.0", added=("GET /v1/files/{id}",)),), (), False, True),
    ((RouteChanges("v0.3.0", removed=("GET /v1/old",)),), (), False, True),
    ((RouteChanges("v0.2.0", added=("GET /v1/files",)),), ("DELETE /v1/files/{id}",), True, False),
])
def test_surface_criteria_flip_on_route_changes(changes: Sequence[RouteChanges], deprecated: tuple[str, ...],
                                                 settled: bool, no_deprecated: bool) -> None:
    known = {c.tag: c for c in changes}
    surface = SurfaceEvidence(tuple(known.get(r.tag or "", RouteChanges(r.tag or "")) for r in BETA_RELEASES),
                              deprecated)
    result = met(run(api("v1beta", "0.2.0"), evidence(*BETA_RELEASES), surface=surface))
    assert (result["surface-settled"], result["no-deprecated-routes"]) == (settled, no_deprecated)


def test_surface_missing_a_release_is_unknown() -> None:
    surface = SurfaceEvidence((RouteChanges("v0.3.0"),))
    criterion = run(api("v1beta", "0.2.0"), evidence(*BETA_RELEASES), surface=surface).criteria[2]
    assert (criterion.met, criterion.evidence) == (None, "unknown: no spec diff for v0.4.0")


@pytest.mark.parametrize(("globs", "files", "expected", "wording"), [
    (("tests/api/files/**",), ("tests/api/files/test_a.py",), True, "1 file at HEAD matches `tests/api/files/**`"),
    (("tests/api/files/**",), (), False, "no file at HEAD matches `tests/api/files/**`"),
    ((), (), False, "no `tests` globs configured for files"),
])
def test_conformance_tests(globs: tuple[str, ...], files: tuple[str, ...], expected: bool, wording: str) -> None:
    criterion = run(api("v1beta", "0.2.0", tests=globs), evidence(*BETA_RELEASES, tests=files)).criteria[3]
    assert criterion.name == "conformance-tests" and criterion.met is expected
    assert criterion.evidence.startswith(wording)


def test_alpha_to_beta_has_three_criteria_with_its_own_thresholds() -> None:
    proposal = run(api("v1alpha"), evidence(*BETA_RELEASES[:2]), today=date(2024, 3, 31))
    assert proposal.to == Level.parse("v1beta")
    assert [c.name for c in proposal.criteria] == ["time-at-level", "quiet", "surface-settled"]
    assert met(proposal)["time-at-level"] is True  # 2 minors (0.1, 0.2), 90 days since 0.1.0


# -- flags ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("until", "flagged"), [("0.1.0", True), ("0.2.0", False)])
def test_permabeta_after_more_than_three_minor_releases(until: str, flagged: bool) -> None:
    found = flags(api("v1beta", until), evidence(*BETA_RELEASES), config=DEFAULTS)
    assert [f.name for f in found] == (["permabeta"] if flagged else [])
    if flagged:
        assert found[0].message.startswith(
            "files has been v1beta for 4 minor releases (0.1, 0.2, 0.3, 0.4), more than 3")


@pytest.mark.parametrize(("breaking_tags", "flagged"), [
    (("v0.2.1", "v0.4.0"), True),  # 2 of the last 3 lines (0.2, 0.3, 0.4)
    (("v0.2.0", "v0.2.1"), False),  # one line, twice
    (("v0.1.0", "v0.4.0"), False),  # 0.1 is outside the window
])
def test_stability_risk(breaking_tags: tuple[str, ...], flagged: bool) -> None:
    releases = [release(r.tag or "", (r.date or datetime.now(UTC)).date().isoformat(),
                        breaking=int(r.tag in breaking_tags)) for r in BETA_RELEASES]
    proposal = run(api("v1", "0.1.0", "v1beta"), evidence(*releases))
    assert proposal.to is None and proposal.criteria == () and proposal.ready is False
    assert [f.name for f in proposal.flags] == (["stability-risk"] if flagged else [])


def test_flags_only_for_their_stage() -> None:
    alpha = run(api("v1alpha"), evidence(*BETA_RELEASES))
    assert alpha.flags == ()  # an alpha for ever is the API owner's business


# -- helpers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("latest", "expected"), [
    (None, "0.1.0"), ("0.8.1", "0.9.0"), ("1.2", "1.3.0"), ("0.10.0rc1", "0.10.0"), ("0.8.2rc1", "0.9.0"),
    ("0.2.10.1", "0.3.0"),
])
def test_next_minor(latest: str | None, expected: str) -> None:
    assert next_minor(v(latest) if latest else None).text == expected


@pytest.mark.parametrize(("level", "expected"), [
    ("v1alpha", "v1beta"), ("v1beta", "v1"), ("v2alpha", "v2beta"), ("v2beta", "v2"), ("v1", None),
])
def test_next_level(level: str, expected: str | None) -> None:
    found = next_level(Level.parse(level))
    assert (str(found) if found else None) == expected


def test_minor_lines_group_patches_and_four_part_versions() -> None:
    releases = [release("v0.2.0", "2024-01-01"), release("v0.2.10", "2024-01-02"),
                release("v0.2.10.1", "2024-01-03"), release("v0.3.0", "2024-01-04")]
    lines = minor_lines(releases, v("0.2.0"))
    assert [(line.name, [r.tag for r in line.releases]) for line in lines] == [
        ("0.2", ["v0.2.0", "v0.2.10", "v0.2.10.1"]), ("0.3", ["v0.3.0"])]


@pytest.mark.parametrize(("level", "to", "at", "reasons"), [
    ("v1beta", "v1", "0.9.0", []),
    ("v2alpha", "v2beta", "0.9.0", []),
    ("v1beta", "v1alpha", "0.9.0", [("demotion", True)]),
    ("v1", "v2alpha", "0.9.0", [("demotion", True)]),
    ("v1alpha", "v1", "0.9.0", [("skips a level (the next level is v1beta)", True)]),
    ("v1beta", "v1", "0.8.1", [("at or below the latest release 0.8.1", True)]),
    ("v1beta", "v1", "0.3.0", [("at or below", True), ("already ends at 0.5.0", False)]),
    ("v1beta", "v1beta", "0.9.0", [("already v1beta", False)]),
])
def test_check_decision(level: str, to: str, at: str, reasons: list[tuple[str, bool]]) -> None:
    found = check_decision(api(level, "0.5.0"), Level.parse(to), v(at), v("0.8.1"))
    assert len(found) == len(reasons)
    for refusal, (words, forceable) in zip(found, reasons, strict=True):
        assert words in refusal.reason and refusal.forceable is forceable
