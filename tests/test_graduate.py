"""`relmgr graduate`: the decision lands in the config file, everything else in it stays byte for byte."""

from __future__ import annotations

import pytest

from relmgr.config.edit import _check, record_level
from relmgr.errors import ConfigError
from relmgr.history.versions import Version, parse_version
from relmgr.policy.levels import Level
from tests.conftest import Repo, run_cli

TOP_LEVEL = """# relmgr settings for widgets
tag-prefix = "v"   # our tags

# The files API: public since 0.2
[apis.files]
level = "v1beta"     # promoted in March
paths = ["src/files/**"]
history = [{ until = "0.2.0", level = "v1alpha" }]   # alpha before 0.2

[apis.batches]  # experimental
level = 'v1alpha'
paths = [ 'src/batches/**' ]

[apis.inference]
level = "v1"

# trailing comment
"""

NESTED = """[tool.relmgr]
tag-prefix = "v"

[tool.relmgr.apis.batches]
level = "v1alpha"     # new in 0.2
paths = ["src/batches/**"]

# files comes next
[tool.relmgr.apis.files]
level = "v1beta"
paths = ["src/files/**"]
"""

PYPROJECT = """[build-system]
requires = ["setuptools>=68"]  # pinned

[project]
name = "widgets"
version = "0.3.0"

# release management
[tool.relmgr]
repo-url = "https://github.com/acme/widgets"

[tool.relmgr.apis.files]
level = "v1beta"
paths = ["src/files/**"]
history = [
    { until = "0.2.0", level = "v1alpha" },  # alpha before 0.2
]

[tool.ruff]   # lint
line-length = 100

[tool.relmgr.apis.batches]
level = "v1alpha"
"""


@pytest.fixture
def widgets(repo: Repo) -> Repo:
    """Releases 0.1.0, 0.2.0 and 0.3.0 (the latest)."""
    for minor in (1, 2, 3):
        repo.commit(f"feat(files): step {minor}", {"src/files/a.py": str(minor)})
        repo.tag(f"v0.{minor}.0")
    return repo


def graduate(repo: Repo, *args: str, config: str = "relmgr.toml") -> tuple[int, str, str, str]:
    """Exit code, stdout, stderr and the config file's text afterwards (read as bytes)."""
    run = run_cli(["graduate", *args], repo)
    return run.exit_code, run.stdout, run.stderr, (repo.path / config).read_bytes().decode()


def outside(text: str, header: str) -> tuple[str, str]:
    """The text before a table's header line and from the next table header on."""
    before, _, rest = text.partition(header + "\n")
    next_header = rest.find("\n[")
    return before, rest[next_header:] if next_header >= 0 else ""


# -- the edit ------------------------------------------------------------------------------------------


def test_top_level_relmgr_toml(widgets: Repo) -> None:
    widgets.config(TOP_LEVEL)
    code, _, stderr, after = graduate(widgets, "files", "--to", "v1", "--at", "0.9.0")
    assert code == 0, stderr
    assert after == TOP_LEVEL.replace(
        'level = "v1beta"     # promoted in March', 'level = "v1"     # promoted in March'
    ).replace(
        'history = [{ until = "0.2.0", level = "v1alpha" }]',
        'history = [{ until = "0.2.0", level = "v1alpha" }, { until = "0.9.0", level = "v1beta" }]',
    )
    assert outside(after, "[apis.files]") == outside(TOP_LEVEL, "[apis.files]")
    assert stderr == "relmgr: recorded files: v1beta → v1 from 0.9.0 in " + str(widgets.path / "relmgr.toml") + "\n"
    apis = {a["name"]: a for a in run_cli(["apis", "--json"], widgets).json()["apis"]}
    assert apis["files"]["level"] == "v1"
    assert apis["files"]["history"] == [{"until": "0.2.0", "level": "v1alpha"}, {"until": "0.9.0", "level": "v1beta"}]


def test_nested_relmgr_toml_without_history(widgets: Repo) -> None:
    widgets.config(NESTED)
    code, stdout, stderr, after = graduate(widgets, "batches", "--to", "v1beta")  # --at: the next minor
    assert code == 0, stderr
    assert after == NESTED.replace(
        'level = "v1alpha"     # new in 0.2\npaths = ["src/batches/**"]\n',
        'level = "v1beta"     # new in 0.2\npaths = ["src/batches/**"]\n'
        'history = [{ until = "0.4.0", level = "v1alpha" }]\n',
    )
    assert outside(after, "[tool.relmgr.apis.batches]") == outside(NESTED, "[tool.relmgr.apis.batches]")
    assert stdout == (
        "--- a/relmgr.toml\n"
        "+++ b/relmgr.toml\n"
        "@@ -2,8 +2,9 @@\n"
        ' tag-prefix = "v"\n'
        " \n"
        " [tool.relmgr.apis.batches]\n"
        '-level = "v1alpha"     # new in 0.2\n'
        '+level = "v1beta"     # new in 0.2\n'
        ' paths = ["src/batches/**"]\n'
        '+history = [{ until = "0.4.0", level = "v1alpha" }]\n'
        " \n"
        " # files comes next\n"
        " [tool.relmgr.apis.files]\n"
    )
    batches = run_cli(["apis", "--json"], widgets).json()["apis"][0]
    assert (batches["level"], batches["history"]) == ("v1beta", [{"until": "0.4.0", "level": "v1alpha"}])


def test_pyproject_keeps_the_other_tools_byte_for_byte(widgets: Repo) -> None:
    widgets.config(PYPROJECT, name="pyproject.toml")
    code, _, stderr, after = graduate(widgets, "files", "--to", "v1", "--at", "v0.4.0", config="pyproject.toml")
    assert code == 0, stderr
    assert after == PYPROJECT.replace('[tool.relmgr.apis.files]\nlevel = "v1beta"',
                                      '[tool.relmgr.apis.files]\nlevel = "v1"').replace(
        '    { until = "0.2.0", level = "v1alpha" },  # alpha before 0.2\n',
        '    { until = "0.2.0", level = "v1alpha" },  # alpha before 0.2\n'
        '    { until = "0.4.0", level = "v1beta" },\n',
    )
    assert outside(after, "[tool.relmgr.apis.files]") == outside(PYPROJECT, "[tool.relmgr.apis.files]")


def test_history_as_an_array_of_tables(widgets: Repo) -> None:
    text = ('[apis.files]\nlevel = "v1beta"\n\n[[apis.files.history]]\nuntil = "0.2.0"\nlevel = "v1alpha"\n\n'
            "[apis.other]\nlevel = \"v1\"\n")
    widgets.config(text)
    code, _, stderr, after = graduate(widgets, "files", "--to", "v1", "--at", "0.4.0")
    assert code == 0, stderr
    assert after == ('[apis.files]\nlevel = "v1"\n\n[[apis.files.history]]\nuntil = "0.2.0"\nlevel = "v1alpha"\n\n'
                     '[[apis.files.history]]\nuntil = "0.4.0"\nlevel = "v1beta"\n\n[apis.other]\nlevel = "v1"\n')


def test_crlf_line_ends_are_kept(widgets: Repo) -> None:
    (widgets.path / "relmgr.toml").write_bytes(b'# crlf\r\n[apis.files]\r\nlevel = "v1alpha"\r\n')
    code, _, stderr, after = graduate(widgets, "files", "--to", "v1beta")
    assert code == 0, stderr
    assert after == ('# crlf\r\n[apis.files]\r\nlevel = "v1beta"\r\n'
                     'history = [{ until = "0.4.0", level = "v1alpha" }]\r\n')


def test_dry_run_prints_the_diff_and_writes_nothing(widgets: Repo) -> None:
    path = widgets.config(TOP_LEVEL)
    stamp = path.stat().st_mtime_ns
    code, stdout, stderr, after = graduate(widgets, "files", "--to", "v1", "--dry-run")
    assert code == 0
    assert after == TOP_LEVEL and path.stat().st_mtime_ns == stamp
    assert stdout.startswith("--- a/relmgr.toml\n+++ b/relmgr.toml\n")
    assert '-level = "v1beta"     # promoted in March\n+level = "v1"     # promoted in March\n' in stdout
    assert "dry run" in stderr
    assert sorted(p.name for p in widgets.path.iterdir() if p.name.startswith(".relmgr")) == []


# -- refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "reason"), [
    (("files", "--to", "v1alpha", "--at", "0.9.0"), "v1beta → v1alpha is a demotion"),
    (("batches", "--to", "v1", "--at", "0.9.0"), "v1alpha → v1 skips a level (the next level is v1beta)"),
    (("files", "--to", "v1", "--at", "0.3.0"), "--at 0.3.0 is at or below the latest release 0.3.0"),
    (("files", "--to", "v1", "--at", "0.2.5"), "--at 0.2.5 is at or below the latest release 0.3.0"),
    (("inference", "--to", "v1beta", "--at", "0.9.0"), "v1 → v1beta is a demotion"),
])
def test_refusals_and_force(widgets: Repo, args: tuple[str, ...], reason: str) -> None:
    widgets.config(TOP_LEVEL)
    code, stdout, stderr, after = graduate(widgets, *args)
    assert (code, stdout, after) == (2, "", TOP_LEVEL)
    assert stderr.startswith(f"relmgr: error: {reason}") and stderr.endswith("; pass --force to record it anyway\n")
    code, stdout, stderr, after = graduate(widgets, *args, "--force")
    assert code == 0, stderr
    assert after != TOP_LEVEL and f"relmgr: warning: --force: {reason}" in stderr
    assert run_cli(["apis", "--json"], widgets).exit_code == 0


@pytest.mark.parametrize(("args", "code", "message"), [
    (("files", "--to", "v1beta"), 2, "files is already v1beta; nothing to record"),
    (("files", "--to", "v1", "--at", "0.1.5"), 2, "the history of files already ends at 0.2.0; --at must be later"),
    (("filez", "--to", "v1"), 2, "unknown API 'filez'; known APIs: batches, files, inference"),
    (("files", "--to", "v3gamma"), 2, "--to 'v3gamma' is not a level"),
    (("files", "--to", "v1", "--at", "soon"), 2, "--at 'soon' is not a version"),
])
def test_refusals_force_cannot_lift(widgets: Repo, args: tuple[str, ...], code: int, message: str) -> None:
    widgets.config(TOP_LEVEL)
    result = graduate(widgets, *args, "--force")
    assert result[0] == code and result[1] == "" and result[3] == TOP_LEVEL
    assert message in result[2]
    assert "pass --force" not in result[2]


def test_no_config_file(widgets: Repo) -> None:
    run = run_cli(["graduate", "files", "--to", "v1"], widgets)
    assert run.exit_code == 3
    assert run.stderr == (
        "relmgr: error: no config file to record the decision in; run `relmgr init` or create relmgr.toml\n")


def test_default_at_follows_a_pending_prerelease(widgets: Repo) -> None:
    widgets.commit("feat: more", {"src/x.py": "1"})
    widgets.tag("v0.4.0rc1")
    widgets.config(NESTED)
    code, _, stderr, after = graduate(widgets, "batches", "--to", "v1beta")
    assert code == 0, stderr
    assert 'history = [{ until = "0.4.0", level = "v1alpha" }]' in after


def test_a_config_that_does_not_load_is_a_config_error(widgets: Repo) -> None:
    widgets.config('[apis.files]\nlevel = "v1beta"\nhistory = "0.2.0"\n')
    run = run_cli(["graduate", "files", "--to", "v1"], widgets)
    assert run.exit_code == 3 and "history" in run.stderr


# -- the editor on its own ---------------------------------------------------------------------------


def record(text: str, nested: bool = True) -> str:
    return record_level(text, api="files", nested=nested, level=Level.parse("v1"), until=v("0.9.0"),
                        previous=Level.parse("v1beta"), source="relmgr.toml")


def v(text: str) -> Version:
    version = parse_version(text)
    assert version is not None
    return version


@pytest.mark.parametrize(("before", "after"), [
    ('[tool.relmgr.apis]\nfiles = { level = "v1beta" }  # inline\n',
     '[tool.relmgr.apis]\nfiles = { level = "v1", history = [{ until = "0.9.0", level = "v1beta" }]}  # inline\n'),
    ('[tool.relmgr.apis]\nfiles.level = "v1beta"\nother.level = "v1"\n',
     '[tool.relmgr.apis]\nfiles.level = "v1"\nfiles.history = [{ until = "0.9.0", level = "v1beta" }]\n'
     'other.level = "v1"\n'),
    ('[tool.relmgr.apis.files]\nlevel = "v1beta"\nhistory = []\n',
     '[tool.relmgr.apis.files]\nlevel = "v1"\nhistory = [{ until = "0.9.0", level = "v1beta" }]\n'),
])
def test_other_table_forms(before: str, after: str) -> None:
    assert record(before) == after


def test_missing_table_and_unsafe_results_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"no table for API 'files' \(looked for \[apis.files\]\)"):
        record('[tool.relmgr.apis.files]\nlevel = "v1beta"\n', nested=False)
    with pytest.raises(ConfigError, match=r"could not edit \[apis\.files\] safely; edit it by hand"):
        _check('[apis.files]\nlevel = "v1beta"\nx = 1\n', '[apis.files]\nlevel = "v1"\n', api="files",
               nested=False, change=("v1", "0.9.0", "v1beta"), source="relmgr.toml")
