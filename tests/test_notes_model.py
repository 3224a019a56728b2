"""build_notes and render_markdown over plain values: the corners the golden history does not show."""

from __future__ import annotations

from datetime import UTC, date, datetime

from relmgr.config.load import parse_config
from relmgr.history.commits import parse_commit
from relmgr.history.versions import parse_version
from relmgr.notes.model import Notes, Shipped, build_notes
from relmgr.notes.templates import render_markdown
from relmgr.policy.apis import Registry, to_changes

WHEN = datetime(2024, 1, 1, tzinfo=UTC)
REGISTRY = Registry(parse_config({"apis": {
    "files": {"level": "v1", "scopes": ["files"]},
    "batches": {"level": "v2alpha", "scopes": ["batches"], "history": [{"until": "1.0.0", "level": "v1alpha"}]},
}}).apis)


def notes_of(*messages: str, version: str = "1.0.0", shipped: Shipped | None = None,
             authors: tuple[tuple[str, str], ...] = ()) -> Notes:
    """Messages newest first; `authors[i]` (name, email) wrote message i (default: Alice)."""
    commits = [
        parse_commit(str(i) * 40, *(authors[i - 1] if i <= len(authors) else ("Alice", "alice@x.org")), WHEN, (), m)
        for i, m in enumerate(messages, 1)
    ]
    found = parse_version(version)
    assert found is not None
    return build_notes(to_changes(commits, REGISTRY), version=found, tag=f"v{version}", previous="v0.9.0",
                       when=date(2024, 5, 2), registry=REGISTRY, shipped=shipped, known_authors=frozenset())


def test_no_changes() -> None:
    assert render_markdown(notes_of(version="0.9.5")) == "## 0.9.5 - 2024-05-02\n\nNo changes.\n"


def test_a_level_change_alone_is_news() -> None:
    # batches' history says it left v1alpha at 1.0.0
    expected = "## 1.0.0 - 2024-05-02\n\n### API level changes\n\n- batches: v1alpha → v2alpha\n"
    assert render_markdown(notes_of()) == expected
    assert notes_of(version="1.0.0rc1").level_changes == ()


def test_breaking_entry_several_notes_and_apis_at_other_levels() -> None:
    result = notes_of(
        "feat(files,batches)!: merge the stores (#9)\n\nBREAKING CHANGE: first paragraph\nwith a `code` line\n\n"
        "Some text.\n\nBREAKING-CHANGE: second note",
        "fix(deps)!: drop the old client",
    )
    text = render_markdown(result)
    assert (
        "#### v1\n\n- **batches** (v2alpha), **files**: merge the stores (#9) (1111111)\n\n"
        "  first paragraph\n  with a `code` line\n\n  Some text.\n\n  second note\n\n#### Not tied to an API\n\n"
        "- deps: drop the old client (2222222)\n"
    ) in text
    assert [str(b.level) if b.level else None for b in result.breaking] == ["v1", None]


def test_v2_levels_sort_by_stability_first() -> None:
    result = notes_of("fix(batches)!: a", "fix(files)!: b")
    assert [str(b.level) for b in result.breaking] == ["v1", "v2alpha"]


def test_sections_group_by_api_and_keep_history_order() -> None:
    result = notes_of("feat: c", "feat(files): b", "feat(batches): a2", "feat(files): a", "feat(batches): a1")
    assert [e.description for e in result.sections[0].entries] == ["a1", "a2", "a", "b", "c"]


def test_multi_line_deprecation_is_indented() -> None:
    text = render_markdown(notes_of("feat(files): x (#3)\n\nDeprecated: the `v0` paths;\nuse `v1`."))
    assert "### Deprecations\n\n- **files**: the `v0` paths;\n  use `v1`. (#3) (1111111)\n" in text


def test_already_shipped_by_pr_or_cherry_pick() -> None:
    picked = "b" * 40
    shipped = Shipped.of([("a" * 40, f"fix: y (#7)\n\n(cherry picked from commit {picked})\n")])
    assert shipped.prs == {7} and picked in shipped.shas
    result = notes_of("fix: same pr (#7)", "fix: other (#8)", shipped=shipped)
    assert [e.pr for s in result.sections for e in s.entries] == [8]
    # a commit of this range that is itself a cherry-pick of a shipped commit
    onto = Shipped.of([("c" * 40, "fix: z\n")])
    again = notes_of(f"fix: z\n\n(cherry picked from commit {'c' * 40})", "fix: kept", shipped=onto)
    assert [e.description for s in again.sections for e in s.entries] == ["kept"]


def test_contributors_by_email_with_the_newest_name() -> None:
    result = notes_of("fix: b", "fix: a", "fix: c",
                      authors=(("Bob B.", "BOB@x.org"), ("Bob", "bob@x.org"), ("alice", "alice@x.org")))
    assert [(c.name, c.email, c.first_time) for c in result.contributors] == [
        ("alice", "alice@x.org", True), ("Bob B.", "bob@x.org", True)]
