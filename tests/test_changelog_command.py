"""`relmgr changelog`: every final release's notes from one history read, equal to `notes TAG` for each."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BOB, CAROL, Repo, run_cli
from tests.notes_history import build

FINALS = ["v0.4.0", "v0.3.0", "v0.2.1", "v0.2.0", "v0.1.0"]  # greatest version first


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """notes_history (a release branch with a backport shipped in 0.2.1) plus pre-releases and a merge."""
    repo, _ = build(tmp_path_factory.mktemp("changelog") / "repo")
    repo.tag("v0.4.0rc1")
    repo.branch("topic")
    repo.checkout("topic")
    repo.commit("feat(batches): cancel a batch (#31)", {"src/apis/batches/cancel.py": "1"}, author=CAROL)
    repo.checkout("main")
    repo.commit("fix(files): close leaked handles (#32)", {"src/apis/files/store.py": "2"}, author=BOB)
    repo.merge("topic")
    repo.tag("v0.4.0rc2", annotated=False)
    repo.commit("docs: the 0.4 upgrade guide (#33)", {"docs/upgrade.md": "1"})
    repo.tag("v0.4.0")
    repo.commit("feat(inference): streaming (#34)", {"src/apis/inference/stream.py": "1"})  # unreleased
    return repo


def cli(repo: Repo | Path, *args: str) -> str:
    run = run_cli(list(args), repo)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_the_changelog_is_every_final_releases_notes_newest_first(history: Repo) -> None:
    expected = "# Changelog\n\n" + "\n".join(cli(history, "notes", tag) for tag in FINALS)
    text = cli(history, "changelog")
    assert text == expected
    assert "## [0.4.0](https://github.com/acme/widgets/compare/v0.3.0...v0.4.0)" in text
    assert "rc1" not in text and "rc2" not in text  # pre-releases fold into their final
    assert "streaming" not in text  # unreleased work is `notes --changelog`'s job
    assert "cancel a batch" in text  # a merged branch's commit


def test_the_changelog_matches_what_notes_changelog_builds_release_by_release(history: Repo, tmp_path: Path) -> None:
    target = tmp_path / "CHANGELOG.md"
    for tag in reversed(FINALS):
        cli(history, "notes", tag, "--changelog", str(target))
    assert cli(history, "changelog") == target.read_text(encoding="utf-8")


def test_json_is_each_releases_notes_model(history: Repo) -> None:
    document = json.loads(cli(history, "changelog", "--json"))
    assert list(document) == ["releases"]
    assert [r["tag"] for r in document["releases"]] == FINALS
    assert document["releases"] == [json.loads(cli(history, "notes", tag, "--json")) for tag in FINALS]


def test_output_replaces_the_file_atomically(history: Repo, tmp_path: Path) -> None:
    target = tmp_path / "CHANGELOG.md"
    target.write_text("old text\n")
    target.chmod(0o640)
    assert cli(history, "changelog", "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8") == cli(history, "changelog")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CHANGELOG.md"]  # no temp file left behind


def test_template_renders_each_release(history: Repo, tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("## {{ version }} ({{ sections | length }} sections)\n")
    text = cli(history, "changelog", "--template", str(template))
    assert text == "# Changelog\n\n" + "\n".join(cli(history, "notes", tag, "--template", str(template))
                                                  for tag in FINALS)
    assert text.startswith("# Changelog\n\n## 0.4.0 (")


def test_a_copy_of_the_default_template_writes_the_same_changelog(history: Repo, tmp_path: Path) -> None:
    copy = tmp_path / "notes.md.j2"
    copy.write_text(cli(history, "changelog", "--default-template"), encoding="utf-8")
    assert copy.read_text(encoding="utf-8") == cli(history, "notes", "--default-template")  # one template for both
    assert cli(history, "changelog", "--template", str(copy)) == cli(history, "changelog")


def test_json_does_not_combine_with_files(history: Repo, tmp_path: Path) -> None:
    run = run_cli(["changelog", "--json", "--output", str(tmp_path / "x.md")], history)
    assert run.exit_code == 2
    assert "--json" in run.stderr


def test_no_release_yet(repo: Repo) -> None:
    repo.commit("feat: first")
    run = run_cli(["changelog"], repo)
    assert (run.exit_code, run.stdout) == (0, "")
    assert "no final releases yet" in run.stderr
    assert run_cli(["changelog", "--json"], repo).json() == {"releases": []}


def test_only_pre_releases_yet(repo: Repo) -> None:
    repo.commit("feat: first")
    repo.tag("v0.1.0rc1")
    run = run_cli(["changelog"], repo)
    assert (run.exit_code, run.stdout) == (0, "")


# -- git's order, whatever the dates --------------------------------------------------------------------


def branchy(path: Path, step: timedelta, skew: bool = False) -> Repo:
    """Two lines of work merged before each release; `step` 0 gives every commit the same date (ties)."""
    repo = Repo(path, step=step)
    repo.config('[apis.files]\nlevel = "v1"\npaths = ["src/files/**"]\n')
    repo.commit("feat(files): start", {"src/files/a.py": "0"})
    repo.tag("v0.1.0")
    for release in range(2, 5):
        repo.branch(f"side{release}")
        for n in range(3):
            repo.commit(f"fix(files): main {release}.{n}", {f"src/files/m{release}{n}.py": "1"})
        repo.checkout(f"side{release}")
        if skew:  # a committer clock an hour behind: parents newer than their children
            repo.now -= timedelta(hours=7)
        for n in range(3):
            repo.commit(f"feat: side {release}.{n}", {f"docs/s{release}{n}.md": "1"})
        repo.checkout("main")
        repo.merge(f"side{release}")
        repo.tag(f"v0.{release}.0")
    return repo


@pytest.mark.parametrize(("step", "skew"), [(timedelta(0), False), (timedelta(minutes=1), True)],
                         ids=["equal-dates", "skewed-clocks"])
def test_sections_keep_git_logs_order(tmp_path: Path, step: timedelta, skew: bool) -> None:
    repo = branchy(tmp_path / "r", step, skew)
    tags = ["v0.4.0", "v0.3.0", "v0.2.0", "v0.1.0"]
    assert cli(repo, "changelog") == "# Changelog\n\n" + "\n".join(cli(repo, "notes", t) for t in tags)


# -- cost: a fixed number of git processes ------------------------------------------------------------------


def count_git_calls(monkeypatch: pytest.MonkeyPatch, repo: Repo) -> list[str]:
    from relmgr.history.git import GitRepo

    calls: list[str] = []
    run_original, stream_original, objects_original = GitRepo.run, GitRepo._stream_log, GitRepo.iter_objects

    def run(self: GitRepo, *args: str, **kwargs: Any) -> bytes:
        calls.append(args[0])
        return run_original(self, *args, **kwargs)

    def stream(self: GitRepo, walk: Any) -> Any:
        calls.append("log")  # with the rev-list that vouches for it
        return stream_original(self, walk)

    def objects(self: GitRepo, ids: Any) -> Any:
        ids = list(ids)
        if ids:  # no process for no ids
            calls.append("cat-file")
        return objects_original(self, ids)

    with monkeypatch.context() as patch:
        patch.setattr(GitRepo, "run", run)
        patch.setattr(GitRepo, "_stream_log", stream)
        patch.setattr(GitRepo, "iter_objects", objects)
        assert run_cli(["changelog"], repo).exit_code == 0
    return sorted(calls)


def tagged(path: Path, releases: int) -> Repo:
    repo = Repo(path)
    repo.config('[apis.files]\nlevel = "v1"\npaths = ["src/files/**"]\n')
    for n in range(releases):
        repo.commit(f"fix(files): change {n}", {"src/files/a.py": str(n)})
        if n % 3 == 2:
            repo.tag(f"v0.{n}.0rc1")
        repo.commit(f"feat: more {n}")
        repo.tag(f"v0.{n}.0", annotated=n % 2 == 0)
    return repo


def test_git_processes_do_not_grow_with_releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    few = count_git_calls(monkeypatch, tagged(tmp_path / "few", 2))
    many = count_git_calls(monkeypatch, tagged(tmp_path / "many", 12))
    # one history read, shared by two `git log` processes (each half of the history); one `cat-file
    # --batch-check` asks whether the APIs' folders exist at every release (else renames are followed)
    assert few == many == ["cat-file", "for-each-ref", "log", "log", "rev-parse", "rev-parse"]


def spec_tagged(path: Path, releases: int) -> Repo:
    """Releases that each change the OpenAPI spec (a route added per release)."""
    repo = Repo(path)
    repo.config('[openapi]\nspecs = ["api.yaml"]\n[apis.files]\nlevel = "v1"\nroutes = ["/v1/files/**"]\n')
    for n in range(releases):
        paths = "".join(f"  /v1/files/r{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
                        for i in range(n + 1))
        repo.commit(f"feat(files): route {n}", {"api.yaml": f"openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\n"
                                                            f"paths:\n{paths}"})
        repo.tag(f"v0.{n}.0")
    return repo


def test_git_processes_do_not_grow_with_releases_when_specs_are_read(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    few = count_git_calls(monkeypatch, spec_tagged(tmp_path / "few", 3))
    many = count_git_calls(monkeypatch, spec_tagged(tmp_path / "many", 10))
    # whether the specs exist at every release (renames), the specs around every commit that changed them,
    # then every blob: three cat-files whatever the number of releases, and no rename pass
    assert few == many
    assert many.count("cat-file") == 3 and many.count("log") == 2
