"""Rendering proposals: Markdown that renders as written, long stays folded, file names from API names."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from relmgr.cli.commands.graduation import _file_name
from relmgr.config.model import ApiConfig, GraduationConfig
from relmgr.graduation.criteria import Activity, ApiEvidence, BreakingChange, Proposal, propose
from relmgr.graduation.document import Context, proposal_json, render_file
from relmgr.history.versions import parse_version
from relmgr.policy.levels import Level
from relmgr.text import md_cell

CONTEXT = Context(today=date(2024, 12, 1), latest=("v0.20.0", date(2024, 11, 1)))


def proposal(releases: int, subject: str = "feat!: x") -> Proposal:
    made = []
    for minor in range(1, releases + 1):
        version = parse_version(f"0.{minor}.0")
        assert version is not None
        breaking = (BreakingChange("a" * 40, subject, 7, f"v0.{minor}.0"),) if minor == 1 else ()
        made.append(Activity(f"v0.{minor}.0", version, datetime(2024, 1, minor, 12), 2, breaking, ("Ann", "Bo")))
    evidence = ApiEvidence(tuple(made), Activity(None, None, None))
    at = parse_version("9.0.0")
    assert at is not None
    return propose(ApiConfig("files", Level.parse("v1alpha")), evidence, config=GraduationConfig(),
                   today=date(2024, 12, 1), at=at)


def test_a_long_stay_folds_the_older_releases_into_one_row() -> None:
    text = render_file(proposal(20), CONTEXT)
    assert "| v0.1.0 … v0.10.0 (10 releases) | | 20 | 1 | Ann, Bo |\n| v0.11.0 | 2024-01-11 | 2 | 0 | Ann, Bo |" in text
    assert "| **total** | | 40 | 1 | 2 people |" in text
    assert len(proposal_json(proposal(20))["releases"]) == 20  # JSON keeps every release


def test_a_short_stay_lists_every_release() -> None:
    text = render_file(proposal(15), CONTEXT)
    assert "releases) |" not in text and "| v0.1.0 | 2024-01-01 | 2 | 1 | Ann, Bo |" in text


def test_subjects_render_as_written() -> None:
    text = render_file(proposal(2, "feat!: a | b <br> `<c>` (#7)"), CONTEXT)
    assert "| v0.1.0 | `aaaaaaa` | feat!: a \\| b &lt;br> `<c>` (#7) | #7 |" in text


@pytest.mark.parametrize(("text", "cell"), [
    ("a|b", "a\\|b"), ("<script>", "&lt;script>"), ("`<x>` <y>", "`<x>` &lt;y>"), ("line\nbreak", "line break"),
    ("odd ` <x>", "odd ` &lt;x>"),
])
def test_cells(text: str, cell: str) -> None:
    assert md_cell(text) == cell


@pytest.mark.parametrize(("api", "name"), [("files", "files"), ("v1/files", "v1_files"), ("..", "_")])
def test_file_names(api: str, name: str) -> None:
    assert _file_name(api) == name
