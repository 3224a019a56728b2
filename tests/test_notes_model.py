"""build_notes and render_markdown over plain values: the corners the golden history does not show."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from relmgr.config.load import parse_config
from relmgr.history.commits import parse_commit
from relmgr.history.versions import parse_version
from relmgr.notes.model import Notes, Shipped, build_notes, to_json
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


# -- [tool.relmgr.notes]: bookkeeping and bots ------------------------------------------------------------

BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


@pytest.mark.parametrize(("subject", "left_out"), [
    ("Bump version to 0.2.20", True),
    ("chore: bump version to 1.2.3 (#12)", True),
    ("Release candidate 0.3.1rc1", True),
    ("update lockfiles", True),
    ("chore: update uv.lock (#40)", True),
    ("chore(deps): lock file maintenance", True),
    ("chore(release): prepare 0.5.0", True),
    ("chore: bump fallback_version to 0.5.1.dev0 after 0.5.0 release", True),  # OGX's post-release bot
    ("chore: update llama-stack-client to ^0.5.0 in UI lockfile", True),
    ("chore: regenerate lockfiles (#41)", True),
    ("build(deps): bump requests from 2.31 to 2.32", False),  # a dependency, not the version
    ("feat: bump version handling in the client", False),
    ("fix: release candidate parsing", False),
    ("docs: update lockfile docs", False),
    ("chore: update the lockfile parser", False),  # not a lock-file update
])
def test_default_exclude(subject: str, left_out: bool) -> None:
    result = notes_of(subject)
    assert (not result.sections) is left_out
    assert [e.subject for e in result.excluded] == ([subject] if left_out else [])


def test_a_breaking_change_or_a_deprecation_is_never_left_out() -> None:
    result = notes_of("chore(release)!: drop the 0.x config keys\n\nBREAKING CHANGE: rename them",
                      "Bump version to 2.0.0\n\nDeprecated: the v1 client")
    assert [b.entry.subject for b in result.breaking] == ["chore(release)!: drop the 0.x config keys"]
    assert [d.text for d in result.deprecations] == ["the v1 client"]
    assert result.excluded == ()


def test_bots_are_no_contributors_but_their_news_stays() -> None:
    result = notes_of("docs: regenerate the reference",
                      "fix(files): a fix\n\nCo-authored-by: Claude <noreply@anthropic.com>",
                      authors=(BOT, ("Bob", "bob@x.org")))
    assert [e.subject for s in result.sections for e in s.entries] == ["fix(files): a fix",
                                                                       "docs: regenerate the reference"]
    assert [c.name for c in result.contributors] == ["Bob"]
    assert [(e.kind, e.name, e.rule) for e in result.excluded] == [("contributor", "github-actions[bot]", "bots")]
    document = to_json(result)["excluded"]
    assert document == [{"kind": "contributor", "name": "github-actions[bot]", "email": BOT[1], "rule": "bots",
                         "pattern": r"\[bot\]"}]


def test_exclude_and_bots_replace_the_defaults() -> None:
    hygiene = parse_config({"notes": {"exclude": ["^wip"], "bots": ["^Bob "]}}).notes
    commits = [parse_commit("1" * 40, "Bob", "bob@x.org", WHEN, (), "wip: half done"),
               parse_commit("2" * 40, "github-actions[bot]", BOT[1], WHEN, (), "Bump version to 1.0.0")]
    found = parse_version("1.0.0")
    assert found is not None
    result = build_notes(to_changes(commits, REGISTRY), version=found, tag="v1.0.0", previous=None,
                         when=date(2024, 5, 2), registry=REGISTRY, hygiene=hygiene)
    assert [e.subject for s in result.sections for e in s.entries] == ["Bump version to 1.0.0"]
    assert [c.name for c in result.contributors] == ["github-actions[bot]"]
    assert [(e.kind, e.pattern) for e in result.excluded] == [("commit", "^wip")]


@pytest.mark.parametrize(("who", "bot"), [
    (BOT, True),
    (("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"), True),
    (("Claude", "noreply@anthropic.com"), True),
    (("Copilot", "175728472+Copilot@users.noreply.github.com"), True),
    (("Cursor Agent", "cursoragent@cursor.com"), True),
    (("Claude Monet", "claude@example.com"), False),  # a person called Claude
    (("Alice", "alice@anthropic.com"), False),  # a person at an AI company
])
def test_default_bots(who: tuple[str, str], bot: bool) -> None:
    from relmgr.config.model import NotesConfig
    from relmgr.notes.hygiene import bot_pattern

    assert (bot_pattern(*who, NotesConfig()) is not None) is bot
