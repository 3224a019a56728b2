"""Escape sequences in commit text never reach a terminal, the notes or a step summary raw; `--json` keeps
the exact text (issue 16, item 6)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from relmgr.text import escape_controls
from tests.conftest import Repo, run_cli

TITLE = "\x1b]0;pwned\x07"  # retitles the terminal window
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
HIDDEN = "\u202eexe.txt"  # a bidi override: reads backwards


def hostile(repo: Repo) -> Repo:
    repo.config('[apis.api]\nlevel = "v1"\nscopes = ["api"]\n')
    repo.commit("feat(api): first")
    repo.tag("v1.0.0")
    repo.commit(f"fix(api)!: drop the route {TITLE}{CLEAR}{HIDDEN}\x9b31m (#12)\n\nBREAKING CHANGE: gone{CLEAR}",
                author=("Eve \x1b[8m", "eve@example.com"))
    repo.tag("v1.0.1")
    return repo


def raw(text: str) -> bool:
    return any(c in text for c in ("\x1b", "\x07", "\x9b", "\u202e"))


def test_human_output_escapes_control_characters(repo: Repo, tmp_path: Path) -> None:
    hostile(repo)
    summary = tmp_path / "summary.md"
    github = {"GITHUB_STEP_SUMMARY": str(summary)}
    runs = [run_cli(["scan", "v1.0.0..v1.0.1"], repo), run_cli(["check", "--tag", "v1.0.1"], repo),
            run_cli(["check", "--tag", "v1.0.1", "--format", "github"], repo, env=github),
            run_cli(["notes", "v1.0.1"], repo), run_cli(["changelog"], repo), run_cli(["next-version"], repo),
            run_cli(["lint", "--range", "v1.0.0..v1.0.1"], repo)]
    for run in runs:
        assert not raw(run.stdout) and not raw(run.stderr), run.stdout + run.stderr
    assert "\\x1b]0;pwned\\x07" in runs[0].stdout  # shown, escaped, not dropped
    assert "\\u202eexe.txt" in runs[3].stdout
    assert not raw(summary.read_text())
    notes = tmp_path / "notes.md"
    assert run_cli(["notes", "v1.0.1", "--output", str(notes)], repo).exit_code == 0
    assert not raw(notes.read_text())
    template = tmp_path / "t.j2"
    template.write_text("{% for s in sections %}{% for e in s.entries %}{{ e.description }}\n{% endfor %}{% endfor %}"
                        "{% for b in breaking %}{{ b.description }}\n{% endfor %}")
    templated = run_cli(["notes", "v1.0.1", "--template", str(template)], repo)
    assert templated.exit_code == 0 and not raw(templated.stdout) and "\\u202e" in templated.stdout


def test_json_keeps_the_exact_text(repo: Repo) -> None:
    hostile(repo)
    commit = run_cli(["scan", "v1.0.0..v1.0.1", "--json"], repo).json()["commits"][0]
    assert TITLE in commit["subject"] and HIDDEN in commit["subject"]
    assert commit["author"] == "Eve \x1b[8m"
    assert commit["breaking"] and commit["pr"] == 12  # judged as people see it


@given(st.text())
def test_escaping_leaves_no_control_character(text: str) -> None:
    shown = escape_controls(text)
    assert not any((ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not set(shown) & {"\u2028", "\u2029", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
    if text.isprintable():
        assert shown == text
