"""Build a small synthetic history with scripts/synth_repo.py and check it with real git."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "synth_repo.py"
COMMITS = 1200
VERSION_TAG = re.compile(r"^v\d+\.\d+\.\d+$")
RC_TAG = re.compile(r"^v\d+\.\d+\.\d+rc\d+$")


def synth(dest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(dest), "--commits", str(COMMITS), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("synth") / "repo"
    result = synth(dest)
    assert result.returncode == 0, result.stderr
    assert f"{COMMITS} commits" in result.stdout
    return dest


def tags(repo: Path) -> list[str]:
    return git(repo, "tag", "--list").split()


def test_commit_count_is_exact(repo: Path) -> None:
    assert int(git(repo, "rev-list", "--all", "--count")) == COMMITS


def test_work_tree_is_checked_out_and_clean(repo: Path) -> None:
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "src" / "apis" / "inference").is_dir()
    assert git(repo, "log", "-1", "--format=%s").strip() == "chore: add relmgr config"


def test_version_rc_and_other_tags(repo: Path) -> None:
    names = tags(repo)
    assert sum(bool(VERSION_TAG.match(t)) for t in names) >= 20
    assert any(RC_TAG.match(t) for t in names)
    assert {"v0.1.0", "v1.0.0", "v1.0.0rc1", "stable", "legacy-api"} <= set(names)
    assert any(t.startswith("docs-") for t in names)
    kinds = set(git(repo, "for-each-ref", "refs/tags", "--format=%(objecttype)").split())
    assert kinds == {"tag", "commit"}  # annotated and lightweight


def test_release_branch_carries_cherry_picks_tagged_after_later_minor(repo: Path) -> None:
    branches = git(repo, "branch", "--list", "release-*", "--format=%(refname:short)").split()
    assert branches
    main_subjects = set(git(repo, "log", "main", "--format=%s").splitlines())
    for branch in branches:
        minor = int(branch.split(".")[1])
        picks = git(repo, "log", f"main..{branch}", "--format=%H %s").splitlines()
        fixes = [line.split(" ", 1) for line in picks if line.split(" ", 1)[1].startswith("fix")]
        assert fixes, branch
        for sha, subject in fixes:
            assert subject in main_subjects
            body = git(repo, "log", "-1", "--format=%b", sha)
            original = re.search(r"\(cherry picked from commit ([0-9a-f]{40})\)", body)
            assert original, body
            git(repo, "merge-base", "--is-ancestor", original.group(1), "main")
        on_branch = git(repo, "tag", "--merged", branch, "--no-merged", "main").split()
        assert on_branch, branch
        later_minor = f"v0.{minor + 1}.0"
        branch_date = int(git(repo, "log", "-1", "--format=%ct", on_branch[0]))
        assert branch_date > int(git(repo, "log", "-1", "--format=%ct", later_minor))


def test_revert_names_a_real_commit(repo: Path) -> None:
    log = git(repo, "log", "main", "--grep=^This reverts commit", "--format=%s%x00%b%x01")
    reverts = [entry.split("\x00") for entry in log.split("\x01") if entry.strip()]
    assert reverts
    for subject, body in reverts:
        sha = re.search(r"This reverts commit ([0-9a-f]{40})\.", body)
        assert sha, body
        assert git(repo, "cat-file", "-t", sha.group(1)).strip() == "commit"
        original = git(repo, "log", "-1", "--format=%s", sha.group(1)).strip()
        assert subject.strip().startswith(f'Revert "{original}"')


def test_breaking_footer_in_the_middle_of_a_squash_body(repo: Path) -> None:
    bodies = git(repo, "log", "main", "--format=%b%x00").split("\x00")
    middle = re.compile(r"^\* .*\n\nBREAKING CHANGE: .*\n\n\* ", re.MULTILINE)
    assert any(middle.search(b) for b in bodies)
    assert sum("\nBREAKING CHANGE: " in f"\n{b}" for b in bodies) >= 10


def test_configs_parse_and_match_the_history(repo: Path) -> None:
    config = tomllib.loads((repo / "relmgr.toml").read_text())["tool"]["relmgr"]
    apis = config["apis"]
    assert len(apis) >= 10
    assert {api["level"] for api in apis.values()} == {"v1", "v1beta", "v1alpha"}
    names = set(tags(repo))
    histories = [api["history"] for api in apis.values() if "history" in api]
    assert histories
    for history in histories:
        assert f"v{history[0]['until']}" in names
    assert tomllib.loads((repo / "cliff.toml").read_text())["git"]["conventional_commits"] is True
    assert tomllib.loads((repo / ".cz.toml").read_text())["tool"]["commitizen"]["tag_format"] == "v$version"


@pytest.mark.slow
def test_same_seed_same_shas(repo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert synth(again).returncode == 0
    refs = ["for-each-ref", "--format=%(objectname) %(refname)"]
    assert git(again, "rev-parse", "HEAD") == git(repo, "rev-parse", "HEAD")
    assert git(again, *refs) == git(repo, *refs)
    other = tmp_path / "other"
    assert synth(other, "--seed", "7").returncode == 0
    assert git(other, "rev-parse", "HEAD") != git(repo, "rev-parse", "HEAD")


def test_refuses_to_replace_a_non_repository(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("precious")
    assert synth(tmp_path).returncode != 0
    assert synth(tmp_path, "--force").returncode != 0
    assert (tmp_path / "keep.txt").read_text() == "precious"


def test_without_specs_the_history_is_the_one_it_always_was(repo: Path) -> None:
    """--spec-size is off by default, and the default history keeps its SHAs (benchmarks compare them)."""
    assert git(repo, "rev-parse", "HEAD").strip() == "c08b527d807eeb6b81b28c541c241601a410287f"
    assert "openapi" not in tomllib.loads((repo / "relmgr.toml").read_text())["tool"]["relmgr"]


SPEC_COMMITS = 400


@pytest.fixture(scope="module")
def spec_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("synth-specs") / "repo"
    result = subprocess.run([sys.executable, str(SCRIPT), str(dest), "--commits", str(SPEC_COMMITS),
                             "--spec-size", "60KB", "--spec-files", "3"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "3 spec files changed in" in result.stdout
    return dest


@pytest.mark.slow
def test_spec_files_are_split_generated_openapi(spec_repo: Path) -> None:
    import yaml

    config = tomllib.loads((spec_repo / "relmgr.toml").read_text())["tool"]["relmgr"]
    specs = config["openapi"]["specs"]
    assert config["openapi"]["levels-from"] == "path" and len(specs) == 3
    assert all(api["routes"] for api in config["apis"].values())
    documents = {path: yaml.safe_load((spec_repo / path).read_text()) for path in specs}
    stable, experimental, deprecated = (documents[path] for path in specs)
    for document in documents.values():
        assert document["openapi"] == "3.1.0"
        assert 40_000 < len(yaml.safe_dump(document)) < 200_000  # about --spec-size
    levels = {path.split("/")[1] for document in (stable, experimental) for path in document["paths"]}
    assert {p.split("/")[1] for p in stable["paths"]} == {"v1"}
    assert levels >= {"v1", "v1alpha"}
    operations = [op for item in deprecated["paths"].values() for op in item.values()]
    assert operations and all(op.get("deprecated") is True for op in operations)
    text = (spec_repo / specs[0]).read_text()
    for construct in ("oneOf:", "discriminator:", "allOf:", "const:", "anyOf:", "- 'null'", "enum:"):
        assert construct in text, construct
    refs = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert refs <= set(stable["components"]["schemas"])  # every reference resolves in its own file


@pytest.mark.slow
def test_specs_change_in_about_a_third_of_the_commits(spec_repo: Path) -> None:
    specs = tomllib.loads((spec_repo / "relmgr.toml").read_text())["tool"]["relmgr"]["openapi"]["specs"]
    changed = int(git(spec_repo, "rev-list", "--count", "--all", "--", *specs))
    assert 0.2 * SPEC_COMMITS < changed < 0.45 * SPEC_COMMITS
    deprecated = git(spec_repo, "log", "--all", "--format=%H", "--", specs[2]).split()
    assert len(deprecated) > 1  # operations move into the deprecated file now and then


@pytest.mark.slow
def test_specs_leave_the_rest_of_the_history_alone(spec_repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    assert subprocess.run([sys.executable, str(SCRIPT), str(plain), "--commits", str(SPEC_COMMITS)],
                          capture_output=True, check=False).returncode == 0
    log = ["log", "--all", "--format=%s%n%an %ad", "--date=raw"]
    assert git(spec_repo, *log) == git(plain, *log)  # the same commits, only their trees differ
    again = tmp_path / "again"
    assert subprocess.run([sys.executable, str(SCRIPT), str(again), "--commits", str(SPEC_COMMITS),
                           "--spec-size", "60KB"], capture_output=True, check=False).returncode == 0
    assert git(again, "rev-parse", "HEAD") == git(spec_repo, "rev-parse", "HEAD")  # deterministic
