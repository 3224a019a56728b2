"""relmgr.spec against oasdiff's own test pairs (tests/conformance/oasdiff, see its README).

Each case names how oasdiff was run (`config`): all checks or a single check function, the lowest
level reported (ERR+/WARN+/INFO+), a stability threshold, a deprecation policy. The same settings
are applied here: a single check becomes a filter on the IDs that check function can report.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from relmgr.policy.levels import Stage
from relmgr.spec import RULES, DeprecationPolicy, Severity, diff_specs, load_spec

_REPO = Path(__file__).resolve().parents[1]


def _shared_dirs() -> list[Path]:
    """`<repo>/../shared/...`, also from a worktree one level deeper (`/work/wt/spec`)."""
    return [parent / "shared/conformance/oasdiff" for parent in _REPO.parents[:2]]


def _corpus_dir() -> Path:
    override = os.environ.get("RELMGR_CONFORMANCE_DIR")
    if override:
        return Path(override)
    # the shared corpus is the source of truth when this checkout sits beside it; a clone has the copy
    for candidate in (*_shared_dirs(), _REPO / "tests/conformance/oasdiff"):
        if (candidate / "expected.json").exists():
            return candidate
    raise FileNotFoundError("no oasdiff conformance corpus; set RELMGR_CONFORMANCE_DIR")


CORPUS = _corpus_dir()
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CASES = sorted(name for name in EXPECTED if not name.startswith("_"))
# oasdiff runs `time.Now()`; the corpus' sunsets are 2022-08-10 (past) and 9999-08-10 (future).
TODAY = date(2025, 6, 1)

# The IDs each oasdiff check function can report, for the "single check X" configs.
CHECK_IDS = {
    "APIRemovedCheck": {
        "api-path-removed-without-deprecation",
        "api-path-removed-with-deprecation",
        "api-path-removed-before-sunset",
        "api-path-sunset-parse",
        "api-removed-without-deprecation",
        "api-removed-with-deprecation",
        "api-removed-before-sunset",
    },
    "APIDeprecationCheck": {
        "endpoint-deprecated",
        "endpoint-reactivated",
        "api-deprecated-sunset-missing",
        "api-deprecated-sunset-parse",
        "api-sunset-date-too-small",
        "api-invalid-stability-level",
    },
    "RequestParameterRemovedCheck": {
        "request-parameter-removed",
        "request-parameter-removed-with-deprecation",
        "request-parameter-removed-before-sunset",
        "request-parameter-sunset-parse",
    },
    "RequestPropertyTypeChangedCheck": {
        "request-body-type-changed",
        "request-body-type-generalized",
        "request-property-type-changed",
        "request-property-type-generalized",
    },
    "ResponsePropertyTypeChangedCheck": {
        "response-body-type-changed",
        "response-body-type-specialized",
        "response-property-type-changed",
        "response-property-type-specialized",
    },
    "NewRequestNonPathDefaultParameterCheck": {
        "new-required-request-default-parameter-to-existing-path",
        "new-optional-request-default-parameter-to-existing-path",
    },
}
_STAGES = {"draft": Stage.ALPHA, "alpha": Stage.ALPHA, "beta": Stage.BETA, "stable": Stage.STABLE}


@dataclass(frozen=True)
class RunConfig:
    min_severity: Severity
    only: frozenset[str] | None = None
    min_stage: Stage = Stage.BETA
    deprecation: DeprecationPolicy = field(default_factory=DeprecationPolicy)


def parse_config(text: str) -> RunConfig:
    """Read a case's `config` sentence; fail loudly on a setting this test does not know."""
    level = re.search(r"\b(ERR|WARN|INFO)\+", text)
    assert level, f"no reporting level in config {text!r}"
    only = None
    if single := re.search(r"single check (\w+)", text):
        assert single.group(1) in CHECK_IDS, f"unknown oasdiff check {single.group(1)}"
        only = frozenset(CHECK_IDS[single.group(1)])
    stage = Stage.BETA
    if threshold := re.search(r"stability threshold = (\w+)", text):
        stage = _STAGES[threshold.group(1)]
    policy = DeprecationPolicy()
    if days := re.search(r"WithDeprecation\(beta=(\d+), stable=(\d+)\)", text):
        policy = DeprecationPolicy(beta_days=int(days.group(1)), stable_days=int(days.group(2)))
    elif "WithDeprecation" in text:
        raise AssertionError(f"unread deprecation policy in {text!r}")
    return RunConfig(Severity(level.group(1)), only, stage, policy)


def run_case(name: str) -> list[tuple[str, str]]:
    case = EXPECTED[name]
    config = parse_config(case["config"])
    base = load_spec((CORPUS / name / "base.yaml").read_bytes(), f"{name}/base.yaml")
    revision = load_spec((CORPUS / name / "revision.yaml").read_bytes(), f"{name}/revision.yaml")
    changes = diff_specs(
        base, revision, today=TODAY, min_stage=config.min_stage, deprecation=config.deprecation
    )
    return [
        (change.id, change.severity.value)
        for change in changes
        if change.severity.at_least(config.min_severity) and (config.only is None or change.id in config.only)
    ]


def _contains(actual: list[tuple[str, str]], expected: list[tuple[str, str]]) -> bool:
    return not (Counter(expected) - Counter(actual))


@pytest.mark.parametrize("name", CASES)
def test_oasdiff_case(name: str) -> None:
    case = EXPECTED[name]
    expected = [(item["id"], item["severity"]) for item in case["expected"]]
    actual = run_case(name)
    assertion = case["assertion"]
    if assertion in ("exact", "exact_ordered"):
        # Positional, like oasdiff's tests: diff_specs sorts as oasdiff's CompareChanges does
        # (severity, then path, method, ID), so the order must match, not just the multiset.
        assert actual == expected
    elif assertion == "exact_unordered":
        assert Counter(actual) == Counter(expected)
    elif assertion == "contains":
        assert _contains(actual, expected), actual
    elif assertion == "len_and_contains":
        count = re.search(r"exactly (\d+) changes", case["notes"])
        assert count, f"{name}: notes give no count"
        assert len(actual) == int(count.group(1)), actual
        assert _contains(actual, expected), actual
    else:
        raise AssertionError(f"{name}: unknown assertion {assertion!r}")
    if case["config"].startswith("all checks (GetAllChecks), WARN+"):  # plain `oasdiff breaking`
        assert bool(actual) == case["breaking_nonempty"]


def test_every_corpus_id_is_a_known_rule_with_the_corpus_severity() -> None:
    for name in CASES:
        for item in EXPECTED[name]["expected"]:
            assert RULES[item["id"]].severity == Severity(item["severity"]), (name, item)


def test_corpus_copy_matches_the_shared_corpus() -> None:
    shared = next((path for path in _shared_dirs() if (path / "expected.json").exists()), None)
    if shared is None or shared.resolve() == CORPUS.resolve():
        pytest.skip("no separate shared corpus to compare with")
    for case in CASES:
        for side in ("base.yaml", "revision.yaml"):
            assert (CORPUS / case / side).read_bytes() == (shared / case / side).read_bytes(), (case, side)
    assert json.loads((shared / "expected.json").read_text(encoding="utf-8")) == EXPECTED
