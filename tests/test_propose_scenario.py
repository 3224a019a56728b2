"""`relmgr propose` over real histories: the evidence per release, each criterion flipping, flags, output."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BOB, CAROL, Repo, run_cli
from tests.golden import assert_golden

CONFIG = """
[tool.relmgr]
repo-url = "https://github.com/acme/widgets"

[tool.relmgr.apis.files]
level = "v1beta"
paths = ["src/files/**"]
scopes = ["files"]
tests = ["tests/api/files/**"]
history = [{ until = "0.2.0", level = "v1alpha" }]

[tool.relmgr.apis.batches]
level = "v1alpha"
paths = ["src/batches/**"]

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/inference/**"]
scopes = ["inference"]
history = [{ until = "0.2.0", level = "v1beta" }]
"""

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def widgets(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """0.1.0 … 0.5.0 over five months; files is v1beta since 0.2.0, inference v1 and breaking often."""
    repo = Repo(tmp_path_factory.mktemp("widgets") / "repo")
    repo.config(CONFIG)
    repo.commit("feat(files): upload files", {"src/files/upload.py": "1"})
    repo.commit("feat(inference): first model", {"src/inference/api.py": "1"})
    repo.tag("v0.1.0")
    repo.tick(14 * DAY)
    repo.commit("feat(batches): submit a batch", {"src/batches/submit.py": "1"})
    repo.commit("feat(files)!: drop purpose=batch (#40)\n\nBREAKING CHANGE: use purpose=batch-input",
                {"src/files/upload.py": "2"}, author=BOB)
    repo.tag("v0.2.0")  # 2024-01-15
    repo.tick(10 * DAY)
    repo.commit("fix(files): accept empty uploads (#41)", {"src/files/upload.py": "3"}, author=CAROL)
    repo.tag("v0.2.1")
    repo.tick(20 * DAY)
    repo.commit("feat(files): resumable uploads (#42)\n\nCo-authored-by: Dan Devi <dan@example.com>",
                {"src/files/resume.py": "1"})
    repo.tag("v0.3.0rc1")
    strict = repo.commit("fix(files)!: stricter names (#43)", {"src/files/upload.py": "4"})
    repo.commit(f'Revert "fix(files)!: stricter names (#43)"\n\nThis reverts commit {strict}.\n',
                {"src/files/upload.py": "3"})
    repo.tag("v0.3.0")  # 2024-02-14
    repo.tick(30 * DAY)
    repo.commit("feat(inference)!: rename the model field (#44)", {"src/inference/api.py": "2"}, author=BOB)
    repo.tag("v0.4.0")
    repo.tick(30 * DAY)
    repo.commit("feat(files): list files | filter by <purpose> (#45)",
                {"src/files/list.py": "1", "tests/api/files/test_list.py": "t"}, author=CAROL)
    repo.commit("feat(inference)!: drop `<v1>` fields | use <v2> (#46)", {"src/inference/api.py": "3"})
    repo.tag("v0.5.0")  # 2024-04-15
    repo.commit("feat(batches)!: rename batch states (#47)", {"src/batches/submit.py": "2"})
    return repo


def propose(repo: Repo, *args: str, today: str = "2024-06-01", config: str | None = None) -> dict[str, Any]:
    """The JSON proposals by API name; `config`: the text of another config file (the history stays)."""
    options: list[str] = []
    if config is not None:
        path = repo.path / "other.toml"
        path.write_text(config)
        options = ["--config", str(path)]
    run = run_cli([*options, "propose", *args, "--json", "--today", today], repo)
    assert run.exit_code == 0, run.stderr
    return {p["api"]: p for p in run.json()["proposals"]}


def criteria(proposal: dict[str, Any]) -> dict[str, bool | None]:
    return {c["name"]: c["met"] for c in proposal["criteria"]}


# -- evidence ------------------------------------------------------------------------------------------


def test_json_shape_and_field_names(widgets: Repo) -> None:
    run = run_cli(["propose", "--json", "--today", "2024-06-01"], widgets)
    assert run.exit_code == 0 and run.stderr == ""
    document = run.json()
    assert list(document) == ["proposals"]
    files = document["proposals"][1]
    assert set(files) == {"api", "from", "to", "ready", "criteria", "flags", "releases", "breaking",
                          "level_history", "since", "unreleased", "next_step",
                          "days", "minor_lines", "since_from"}  # added for the template, which says them
    assert (files["api"], files["from"], files["to"], files["ready"]) == ("files", "v1beta", "v1", False)
    assert all(set(c) == {"name", "met", "evidence", "title"} for c in files["criteria"])
    assert (files["days"], files["minor_lines"], files["since_from"]) == (138, ["0.2", "0.3", "0.4", "0.5"], "history")
    assert document["proposals"][0]["since_from"] == "first-release"  # batches: no level history
    assert files["criteria"][0]["title"] == "At v1beta for ≥ 2 minor releases and ≥ 60 days"
    assert all(set(r) == {"tag", "version", "date", "commits", "breaking", "contributors"} for r in files["releases"])
    assert all(set(b) == {"sha", "subject", "pr", "release"} for b in files["breaking"])
    inference = document["proposals"][2]
    assert all(set(f) == {"name", "message"} for f in inference["flags"])
    assert files["next_step"] == "relmgr graduate files --to v1 --at 0.6.0"
    assert files["level_history"] == [{"level": "v1alpha", "since": None, "until": "0.2.0"},
                                      {"level": "v1beta", "since": "0.2.0", "until": None}]


def test_releases_fold_prereleases_and_drop_reverted_pairs(widgets: Repo) -> None:
    files = propose(widgets)["files"]
    rows = {r["tag"]: (r["commits"], r["breaking"], r["contributors"]) for r in files["releases"]}
    assert rows == {
        "v0.2.0": (1, 1, ["Bob Builder"]),
        "v0.2.1": (1, 0, ["Carol Newcomer"]),
        # 0.3.0rc1's commit counts for 0.3.0; the break reverted before 0.3.0 shipped does not
        "v0.3.0": (3, 0, ["Alice Example", "Dan Devi"]),
        "v0.4.0": (0, 0, []),
        "v0.5.0": (1, 0, ["Carol Newcomer"]),
    }
    assert files["releases"][0]["date"].startswith("2024-01-15")
    assert [(b["subject"], b["pr"], b["release"]) for b in files["breaking"]] == [
        ("feat(files)!: drop purpose=batch (#40)", 40, "v0.2.0")]
    assert files["since"] == "0.2.0"


def test_an_unreleased_break_is_listed_and_spoils_quiet(widgets: Repo) -> None:
    batches = propose(widgets)["batches"]
    assert batches["breaking"][-1]["release"] is None
    assert batches["unreleased"] == {"commits": 1, "breaking": 1, "contributors": ["Alice Example"]}
    quiet = next(c for c in batches["criteria"] if c["name"] == "quiet")
    assert quiet["met"] is False and "not released yet" in quiet["evidence"]


# -- each criterion flips --------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "expected"), [("2024-03-14", False), ("2024-03-15", True)])
def test_time_at_level_flips_on_days(widgets: Repo, today: str, expected: bool) -> None:
    # files reached v1beta at 0.2.0 (2024-01-15); 60 days later is 2024-03-15; 2 minors by 0.3.0 (2024-02-14)
    assert criteria(propose(widgets, "files", today=today)["files"])["time-at-level"] is expected


@pytest.mark.parametrize(("until", "expected"), [("0.4.0", True), ("0.5.0", False)])
def test_time_at_level_flips_on_minor_releases(widgets: Repo, until: str, expected: bool) -> None:
    # 0.4.0: two minors (0.4, 0.5); 0.5.0: one
    config = CONFIG.replace('until = "0.2.0", level = "v1alpha"', f'until = "{until}", level = "v1alpha"')
    files = propose(widgets, "files", today="2025-01-01", config=config)["files"]
    assert criteria(files)["time-at-level"] is expected


@pytest.mark.parametrize(("quiet_minors", "expected"), [(3, True), (4, False)])
def test_quiet_flips_when_the_break_enters_the_window(widgets: Repo, quiet_minors: int, expected: bool) -> None:
    # files broke in 0.2.0; the last 3 minor lines are 0.3, 0.4, 0.5; the last 4 take 0.2 in
    text = CONFIG + f"\n[tool.relmgr.graduation.to-stable]\nquiet-minors = {quiet_minors}\n"
    quiet = next(c for c in propose(widgets, "files", config=text)["files"]["criteria"] if c["name"] == "quiet")
    assert quiet["met"] is expected
    if not expected:
        assert quiet["evidence"].endswith("in v0.2.0) to files in the last 4 minor releases (0.2, 0.3, 0.4, 0.5)")


@pytest.mark.parametrize(("glob", "expected"), [("tests/api/files/**", True), ("tests/api/uploads/**", False)])
def test_conformance_tests_flip_on_files_at_head(widgets: Repo, glob: str, expected: bool) -> None:
    (widgets.path / "tests/api/uploads").mkdir(parents=True, exist_ok=True)
    (widgets.path / "tests/api/uploads/test_new.py").write_text("not committed: not at HEAD")
    config = CONFIG.replace('tests = ["tests/api/files/**"]', f'tests = ["{glob}"]')
    found = propose(widgets, "files", config=config)["files"]["criteria"]
    tests = next(c for c in found if c["name"] == "conformance-tests")
    assert tests["met"] is expected
    if expected:
        assert tests["evidence"] == "1 file at HEAD matches `tests/api/files/**`: `tests/api/files/test_list.py`"


def test_surface_criteria_are_unknown_without_specs(widgets: Repo) -> None:
    files = propose(widgets)["files"]
    unknown = [c for c in files["criteria"] if c["met"] is None]
    assert [c["name"] for c in unknown] == ["surface-settled", "no-deprecated-routes"]
    assert {c["evidence"] for c in unknown} == {"unknown: needs [tool.relmgr.openapi] specs and the API's `routes`"}
    assert files["ready"] is False


# -- flags -----------------------------------------------------------------------------------------------


def test_stability_risk_and_permabeta(widgets: Repo) -> None:
    found = propose(widgets)
    inference = found["inference"]
    assert (inference["to"], inference["ready"], inference["criteria"]) == (None, False, [])
    assert [f["name"] for f in inference["flags"]] == ["stability-risk"]
    assert inference["flags"][0]["message"].startswith(
        "inference (v1) had breaking changes in 2 of its last 3 minor releases (0.4, 0.5)")
    # v1beta for 4 minor releases (0.2 … 0.5), more than 3
    assert [f["name"] for f in found["files"]["flags"]] == ["permabeta"]
    text = CONFIG + "\n[tool.relmgr.graduation]\npermabeta-minors = 4\nrisk-breaking-minors = 3\n"
    proposals = propose(widgets, config=text)
    assert proposals["files"]["flags"] == []
    assert "inference" not in proposals  # no flag left: a stable API without flags is not listed


# -- selection -------------------------------------------------------------------------------------------


def test_all_apis_below_v1_and_flagged_stable_ones(widgets: Repo) -> None:
    assert list(propose(widgets)) == ["batches", "files", "inference"]


def test_named_apis_only(widgets: Repo) -> None:
    assert list(propose(widgets, "files")) == ["files"]


def test_naming_a_stable_api_reports_its_flags(widgets: Repo) -> None:
    run = run_cli(["propose", "inference", "--json", "--today", "2024-06-01"], widgets)
    assert run.exit_code == 0
    assert [p["api"] for p in run.json()["proposals"]] == ["inference"]
    assert "inference is at v1, the top level: no proposal; its flags are reported" in run.stderr


def test_unknown_api_is_a_usage_error(widgets: Repo) -> None:
    run = run_cli(["propose", "filez"], widgets)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "relmgr: error: unknown API 'filez'; known APIs: batches, files, inference\n"


def test_bad_today_and_json_with_output(widgets: Repo, tmp_path: Path) -> None:
    assert run_cli(["propose", "--today", "June"], widgets).exit_code == 2
    run = run_cli(["propose", "--json", "--output", str(tmp_path)], widgets)
    assert run.exit_code == 2 and "do not combine" in run.stderr


# -- Markdown --------------------------------------------------------------------------------------------



def test_golden_markdown_document(widgets: Repo) -> None:
    run = run_cli(["propose", "--today", "2024-06-01"], widgets)
    assert run.exit_code == 0 and run.stderr == ""
    assert_golden("propose.md", run.stdout)


def test_output_folder_has_one_file_per_api(widgets: Repo, tmp_path: Path) -> None:
    folder = tmp_path / "proposals" / "2024-06"
    run = run_cli(["propose", "--output", str(folder), "--today", "2024-06-01"], widgets)
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["batches.md", "files.md", "inference.md"]
    assert run.stdout.splitlines() == [str(folder / f"{name}.md") for name in ("batches", "files", "inference")]
    files = (folder / "files.md").read_text(encoding="utf-8")
    assert files.startswith("# files: v1beta → v1\n\nAs of 2024-06-01; latest release v0.5.0 (2024-04-15).\n")
    assert "\n## Checklist\n" in files
    # the same section as in the one-document output, one heading level up
    document = run_cli(["propose", "--today", "2024-06-01"], widgets).stdout
    assert files.split("## Checklist", 1)[1] in document.replace("### ", "## ")


def test_a_copy_of_the_default_template_writes_the_same_bytes(widgets: Repo, tmp_path: Path) -> None:
    run = run_cli(["propose", "--default-template"], widgets)
    assert run.exit_code == 0 and run.stderr == ""
    copy = tmp_path / "proposal.md.j2"
    copy.write_text(run.stdout, encoding="utf-8")
    today = ("--today", "2024-06-01")
    document = run_cli(["propose", *today, "--template", str(copy)], widgets)
    assert document.exit_code == 0, document.stderr
    assert_golden("propose.md", document.stdout)
    built_in, copied = tmp_path / "built-in", tmp_path / "copied"
    assert run_cli(["propose", *today, "--output", str(built_in)], widgets).exit_code == 0
    assert run_cli(["propose", *today, "--output", str(copied), "--template", str(copy)], widgets).exit_code == 0
    names = sorted(p.name for p in built_in.iterdir())
    assert names == sorted(p.name for p in copied.iterdir()) == ["batches.md", "files.md", "inference.md"]
    for name in names:
        assert (copied / name).read_bytes() == (built_in / name).read_bytes(), name


def test_a_template_sees_the_proposals_and_the_repository(widgets: Repo, tmp_path: Path) -> None:
    template = tmp_path / "short.md.j2"
    template.write_text(
        "{% for p in proposals %}{{ p.api }}: {{ p.days }} days, {{ p.minor_lines | join(' ') }}; "
        "{{ p.criteria | map(attribute='title') | first if p.criteria else '-' }}\n{% endfor %}"
        "{{ today }} {{ latest.tag }} {{ latest.date }} {{ standalone }} {{ commit_url('abc') }} "
        "{{ plural(2, 'day') }}\n")
    run = run_cli(["propose", "--today", "2024-06-01", "--template", str(template)], widgets)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [
        "batches: 138 days, 0.2 0.3 0.4 0.5; At v1alpha for ≥ 1 minor release and ≥ 30 days",
        "files: 138 days, 0.2 0.3 0.4 0.5; At v1beta for ≥ 2 minor releases and ≥ 60 days",
        "inference: 138 days, 0.2 0.3 0.4 0.5; -",
        "2024-06-01 v0.5.0 2024-04-15 False https://github.com/acme/widgets/commit/abc 2 days",
    ]


def test_template_errors_and_combinations(widgets: Repo, tmp_path: Path) -> None:
    evil = tmp_path / "evil.md.j2"
    evil.write_text("{{ proposals.__class__ }}")
    run = run_cli(["propose", "--template", str(evil)], widgets)
    assert run.exit_code == 2 and "refused" in run.stderr and "Traceback" not in run.stderr
    run = run_cli(["propose", "--json", "--template", str(evil)], widgets)
    assert run.exit_code == 2 and "--template" in run.stderr
    run = run_cli(["propose", "--default-template", "files", "--json"], widgets)
    assert run.exit_code == 2 and "leave out API, --json" in run.stderr and run.stdout == ""


def test_no_api_below_v1(repo: Repo) -> None:
    repo.config('[apis.files]\nlevel = "v1"\npaths = ["src/**"]\n')
    repo.commit("feat: x", {"src/a.py": "1"})
    run = run_cli(["propose", "--today", "2024-06-01"], repo)
    assert run.exit_code == 0
    assert "No API below v1, and no flag on the stable ones: nothing to propose." in run.stdout
    assert run_cli(["propose", "--json"], repo).json() == {"proposals": []}


def test_git_calls_do_not_grow_with_history(widgets: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from relmgr.history.git import GitRepo

    calls: list[str] = []
    run_original, stream_original = GitRepo.run, GitRepo._stream_log

    def run(self: GitRepo, *args: str, **kwargs: Any) -> bytes:
        calls.append(next(a for i, a in enumerate(args) if a[:1] != "-" and (i == 0 or args[i - 1] != "-c")))
        return run_original(self, *args, **kwargs)

    def stream(self: GitRepo, walk: Any) -> Any:
        calls.append("log")  # with the rev-list that vouches for it
        return stream_original(self, walk)

    monkeypatch.setattr(GitRepo, "run", run)
    monkeypatch.setattr(GitRepo, "_stream_log", stream)
    assert run_cli(["propose", "--json", "--today", "2024-06-01"], widgets).exit_code == 0
    # cat-file: whether the APIs' folders exist at every release; some APIs are newer than the first release,
    # so one diff-tree looks for renames where their folders appear (and a rev-parse names HEAD for it)
    assert sorted(calls) == ["cat-file", "diff-tree", "for-each-ref", "log", "ls-tree", "rev-list", "rev-parse",
                             "rev-parse", "rev-parse", "rev-parse"]


def test_before_the_first_release(repo: Repo) -> None:
    repo.config('[apis.files]\nlevel = "v1alpha"\npaths = ["src/**"]\n')
    repo.commit("feat: x", {"src/a.py": "1"})
    run = run_cli(["propose", "--today", "2024-06-01"], repo)
    assert run.exit_code == 0, run.stderr
    assert "As of 2024-06-01; no release yet.\n" in run.stdout
    assert "The repository has no release yet.\n" in run.stdout
    assert ("| ❌ | Quiet: no breaking change in the last minor release | no minor release at v1alpha yet; "
            "needs 1 to judge |") in run.stdout
    assert "`relmgr graduate files --to v1beta --at 0.1.0`" in run.stdout
