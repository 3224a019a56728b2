"""`relmgr notes` over a realistic history: golden Markdown, the JSON model, files, templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, run_cli
from tests.golden import assert_golden
from tests.notes_history import build


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, dict[str, str]]:
    return build(tmp_path_factory.mktemp("notes") / "repo")


def notes(repo: Repo, *args: str) -> str:
    run = run_cli(["notes", *args], repo)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def model(repo: Repo, *args: str) -> dict[str, Any]:
    run = run_cli(["notes", *args, "--json"], repo)
    assert run.exit_code == 0, run.stderr
    result: dict[str, Any] = run.json()
    return result


# -- golden Markdown ----------------------------------------------------------------------------------


def test_golden_release_notes(history: tuple[Repo, dict[str, str]]) -> None:
    assert_golden("notes-v0.3.0.md", notes(history[0], "v0.3.0"))


def test_golden_backport_release_on_its_branch(history: tuple[Repo, dict[str, str]]) -> None:
    # 0.2.1 ships the backport: for 0.2.x users it is news, even though 0.3.0 holds the original
    assert_golden("notes-v0.2.1.md", notes(history[0], "v0.2.1"))


def test_golden_unreleased_notes_are_titled_with_the_next_version(history: tuple[Repo, dict[str, str]]) -> None:
    assert_golden("notes-unreleased.md", notes(history[0], "--date", "2024-02-01"))


def test_golden_without_repo_url(tmp_path: Path, history: tuple[Repo, dict[str, str]]) -> None:
    config = tmp_path / "relmgr.toml"
    text = (history[0].path / "relmgr.toml").read_text()
    config.write_text(text.replace('repo-url = "https://github.com/acme/widgets"\n', ""))
    run = run_cli(["--config", str(config), "notes", "v0.3.0"], history[0])
    assert run.exit_code == 0, run.stderr
    assert "https://" not in run.stdout and "Full changelog" not in run.stdout
    assert_golden("notes-v0.3.0-no-links.md", run.stdout)


# -- what the golden file holds, said as facts ---------------------------------------------------------


def test_what_is_left_out_and_where_things_go(history: tuple[Repo, dict[str, str]]) -> None:
    repo, s = history
    doc = model(repo, "v0.3.0")
    listed = {e["sha"] for sec in doc["sections"] for e in sec["entries"]} | {b["sha"] for b in doc["breaking"]}
    assert s["bulk"] not in listed and s["unbulk"] not in listed  # the reverted pair
    assert s["prompts"] not in listed  # shipped in 0.2.1 (same PR, cherry-picked) before 0.3.0
    sections = {sec["title"]: [e["sha"] for e in sec["entries"]] for sec in doc["sections"]}
    assert sections["Reverts"] == [s["uncosine"]]  # its original shipped in 0.2.0
    assert s["batch_embed"] in sections["Features"]
    assert s["squash"] not in sections.get("Features", [])  # breaking changes are listed only once
    assert list(sections) == ["Features", "Bug fixes", "Performance", "Reverts", "Documentation", "Other"]
    assert sections["Other"] == [s["fastapi"], s["readme"], s["ci"]]  # the API-less, in history order
    assert [b["level"] for b in doc["breaking"]] == ["v1", "v1", "v1", "v1alpha", None]
    squash = next(b for b in doc["breaking"] if b["sha"] == s["squash"])
    assert squash["notes"] == [
        "`POST /v1/files` no longer accepts `purpose=batch`;\nuse `purpose=batch-input` instead."]
    assert squash["apis"] == [{"name": "files", "level": "v1"}]  # its level at 0.3.0 (graduated there)
    paging = next(b for b in doc["breaking"] if b["sha"] == s["paging"])
    assert paging["apis"] == [{"name": "embeddings", "level": "v1beta"}, {"name": "files", "level": "v1"}]
    assert next(b for b in doc["breaking"] if b["sha"] == s["priority"])["notes"] == []
    assert doc["level_changes"] == [{"api": "files", "from": "v1beta", "to": "v1"}]
    assert doc["deprecations"][0]["text"] == "`GET /v1beta/embeddings/{id}`; use `POST /v1beta/embeddings:batchGet`."
    assert [(c["name"], c["first_time"]) for c in doc["contributors"]] == [
        ("Alice Example", False), ("Bob Builder", False), ("Carol Newcomer", True)]


def test_json_model_field_names(history: tuple[Repo, dict[str, str]]) -> None:
    doc = model(history[0], "v0.3.0")
    assert list(doc) == ["version", "tag", "previous", "date", "breaking", "deprecations", "removed",
                         "level_changes", "sections", "contributors", "excluded", "behavior",
                         "breaking_by_commit", "behavior_changes", "provider_changes"]
    assert (doc["version"], doc["tag"], doc["previous"]) == ("0.3.0", "v0.3.0", "v0.2.1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", doc["date"])
    assert set(doc["breaking"][0]) >= {"sha", "subject", "description", "apis", "notes"}
    assert set(doc["deprecations"][0]) >= {"sha", "subject", "text"}
    assert set(doc["level_changes"][0]) == {"api", "from", "to"}
    assert set(doc["sections"][0]) == {"title", "entries"}
    assert set(doc["sections"][0]["entries"][0]) == {"sha", "subject", "description", "type", "scope", "apis", "pr"}
    assert set(doc["contributors"][0]) == {"name", "email", "first_time"}


def test_first_release_marks_nobody_as_first_time(history: tuple[Repo, dict[str, str]]) -> None:
    doc = model(history[0], "v0.1.0")
    assert doc["previous"] is None
    assert [c["first_time"] for c in doc["contributors"]] == [False]
    assert "compare" not in notes(history[0], "v0.1.0")  # no previous release: nothing to compare with


def test_tag_without_prefix_and_unknown_tag(history: tuple[Repo, dict[str, str]]) -> None:
    assert notes(history[0], "0.2.1") == notes(history[0], "v0.2.1")
    run = run_cli(["notes", "v9.9.9"], history[0])
    assert run.exit_code == 4 and "v9.9.9 not found" in run.stderr


def test_prerelease_tag_has_its_own_range(repo: Repo) -> None:
    repo.commit("feat: one (#1)")
    repo.tag("v0.1.0")
    repo.commit("feat: two (#2)")
    repo.tag("v0.2.0rc1")
    repo.commit("fix: three (#3)")
    repo.tag("v0.2.0")
    rc = model(repo, "v0.2.0rc1")
    assert (rc["version"], rc["previous"]) == ("0.2.0rc1", "v0.1.0")
    assert [e["pr"] for sec in rc["sections"] for e in sec["entries"]] == [2]
    final = model(repo, "v0.2.0")  # the final folds its pre-releases in
    assert [e["pr"] for sec in final["sections"] for e in sec["entries"]] == [2, 3]


def test_nothing_unreleased(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    run = run_cli(["notes"], repo)
    assert run.exit_code == 0 and run.stdout == ""
    assert "no commits since v0.1.0" in run.stderr


# -- files -----------------------------------------------------------------------------------------


def test_output_writes_what_stdout_shows(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    target = tmp_path / "RELEASE.md"
    run = run_cli(["notes", "v0.3.0", "--output", str(target)], history[0])
    assert run.exit_code == 0 and run.stdout == ""
    assert target.read_text(encoding="utf-8") == notes(history[0], "v0.3.0")


def test_changelog_is_created_then_idempotent(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    target = tmp_path / "CHANGELOG.md"
    for tag in ("v0.1.0", "v0.2.0", "v0.3.0"):
        assert run_cli(["notes", tag, "--changelog", str(target)], history[0]).exit_code == 0
    once = target.read_bytes()
    assert once.startswith(b"# Changelog\n\n## [0.3.0](")
    assert [m for m in re.findall(r"^## \[?([\d.]+)", once.decode(), re.M)] == ["0.3.0", "0.2.0", "0.1.0"]
    assert run_cli(["notes", "v0.3.0", "--changelog", str(target)], history[0]).exit_code == 0
    assert target.read_bytes() == once
    assert run_cli(["notes", "v0.2.0", "--changelog", str(target)], history[0]).exit_code == 0
    assert target.read_bytes() == once  # a section in the middle is replaced in place


def test_changelog_keeps_the_title_block_and_replaces_a_stale_section(
        history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    target = tmp_path / "CHANGELOG.md"
    target.write_text("# Changes\n\nAll notable changes.\n\n## 0.3.0 (draft)\n\n- stale\n\n## 0.2.0\n\n- old\n")
    assert run_cli(["notes", "v0.3.0", "--changelog", str(target)], history[0]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Changes\n\nAll notable changes.\n\n## [0.3.0](")
    assert "stale" not in text and text.endswith("\n\n## 0.2.0\n\n- old\n")
    assert text == "# Changes\n\nAll notable changes.\n\n" + notes(history[0], "v0.3.0") + "\n## 0.2.0\n\n- old\n"


def test_json_cannot_be_written_to_files(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    run = run_cli(["notes", "--json", "--output", str(tmp_path / "x")], history[0])
    assert run.exit_code == 2 and "--json" in run.stderr


def test_bad_date(history: tuple[Repo, dict[str, str]]) -> None:
    run = run_cli(["notes", "--date", "yesterday"], history[0])
    assert run.exit_code == 2 and "YYYY-MM-DD" in run.stderr


# -- templates -------------------------------------------------------------------------------------

TEMPLATE = """\
{{ tag }} ({{ previous }}..{{ tag }}) {{ date }}
{% for b in breaking %}! {{ b.description }} [{% for a in b.apis %}{{ a.name }}={{ a.level }} {% endfor %}]
{% endfor %}{% for s in sections %}{{ s.title }}: {{ s.entries | map(attribute='description') | join('; ') }}
{% endfor %}{% for c in contributors if c.first_time %}welcome {{ c.name }}
{% endfor %}{{ compare_url }} {{ pr_url(40) }} {{ commit_url('abc') }}
"""


def test_template_renders_the_model(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    template = tmp_path / "notes.j2"
    template.write_text(TEMPLATE)
    out = notes(history[0], "v0.3.0", "--template", str(template))
    lines = out.splitlines()
    assert lines[0] == "v0.3.0 (v0.2.1..v0.3.0) 2024-01-02"
    assert "! unify pagination [embeddings=v1beta files=v1 ]" in lines
    assert "Performance: cache the tokenizer" in lines
    assert "welcome Carol Newcomer" in lines
    assert lines[-1] == ("https://github.com/acme/widgets/compare/v0.2.1...v0.3.0 "
                         "https://github.com/acme/widgets/pull/40 https://github.com/acme/widgets/commit/abc")


@pytest.mark.parametrize(("source", "message"), [
    ("{{ ''.__class__.__mro__ }}", "refused: access to attribute '__class__'"),
    ("{{ version.__class__.__base__.__subclasses__() }}", "refused"),
    ("{{ nope }}", "'nope' is undefined"),
    ("{% for x in %}", "line 1"),
])
def test_template_errors_are_usage_errors(history: tuple[Repo, dict[str, str]], tmp_path: Path,
                                          source: str, message: str) -> None:
    template = tmp_path / "evil.j2"
    template.write_text(source)
    run = run_cli(["notes", "v0.3.0", "--template", str(template)], history[0])
    assert run.exit_code == 2, run.stdout
    assert message in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_missing_template(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    run = run_cli(["notes", "--template", str(tmp_path / "none.j2")], history[0])
    assert run.exit_code == 2 and "does not exist" in run.stderr


def test_the_documented_example_template_renders(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "notes-template.md").read_text(encoding="utf-8")
    source = re.search(r"```jinja\n(.*?)```", doc, re.S)
    assert source is not None
    template = tmp_path / "example.j2"
    template.write_text(source.group(1))
    out = notes(history[0], "v0.3.0", "--template", str(template))
    assert out.startswith("## 0.3.0 (2024-01-02)\n\n### Breaking changes\n\n- embeddings, files (v1): unify")
    assert "  > `POST /v1/files` no longer accepts `purpose=batch`;\n  > use `purpose=batch-input` instead.\n" in out
    assert "- batch embeddings ([#23](https://github.com/acme/widgets/pull/23))\n" in out
    assert out.endswith("Thanks to Alice Example, Bob Builder, Carol Newcomer. Welcome, Carol Newcomer!\n")


# -- the built-in template, copied ------------------------------------------------------------------


def default_template(repo: Repo, tmp_path: Path, command: str = "notes") -> Path:
    """What `relmgr COMMAND --default-template > FILE` leaves in FILE: the documented way to start a template."""
    run = run_cli([command, "--default-template"], repo)
    assert run.exit_code == 0 and run.stderr == "", run.stderr
    copy = tmp_path / f"{command}.md.j2"
    copy.write_text(run.stdout, encoding="utf-8")
    return copy


@pytest.mark.parametrize("args", [("v0.1.0",), ("v0.2.0",), ("v0.2.1",), ("v0.3.0",), ("--date", "2024-02-01")])
def test_a_copy_of_the_default_template_writes_the_same_bytes(history: tuple[Repo, dict[str, str]], tmp_path: Path,
                                                               args: tuple[str, ...]) -> None:
    copy = default_template(history[0], tmp_path)
    assert notes(history[0], *args, "--template", str(copy)) == notes(history[0], *args)


def test_a_changed_copy_changes_the_notes(history: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    copy = default_template(history[0], tmp_path)
    text = copy.read_text(encoding="utf-8")
    assert "### Contributors" in text
    copy.write_text(text.replace("### Contributors", "### Thanks"), encoding="utf-8")
    changed = notes(history[0], "v0.3.0", "--template", str(copy))
    assert changed == notes(history[0], "v0.3.0").replace("### Contributors", "### Thanks")


def test_author_index_answers_like_one_walk_per_release(history: tuple[Repo, dict[str, str]]) -> None:
    from relmgr.app.notes import changelog_notes, release_notes
    from relmgr.history.repository import AuthorIndex, Project

    project = Project.open(history[0].path, None)
    indexed = {notes.tag: notes for notes in changelog_notes(project)}  # first-time authors from the index
    for release in project.releases.finals():
        walked = release_notes(project, release)  # first-time authors from a walk of the history
        assert walked == indexed[release.tag], release.tag
    finals = project.releases.finals()
    index = AuthorIndex.of(finals, project.read_timeline(finals))
    assert index.known(["CAROL@example.com", "alice@example.com"], project.release("v0.2.1")) == {
        "alice@example.com"}
