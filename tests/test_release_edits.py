"""The pure parts of `relmgr release`: version file edits, the --version check, the branch rule, the tag."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.config.load import parse_config
from relmgr.config.model import Config
from relmgr.errors import ConfigError, PolicyError
from relmgr.history.commits import is_release_commit, parse_message
from relmgr.history.versions import Stream, Version, parse_version
from relmgr.policy.bump import NextVersion, Reason
from relmgr.policy.findings import Finding
from relmgr.policy.levels import Level
from relmgr.release.plan import (
    check_branch,
    check_requested,
    edit_files,
    set_python_version,
    set_toml_version,
    tag_message,
    target_paths,
)


def v(text: str) -> Version:
    version = parse_version(text)
    assert version is not None
    return version


# -- TOML -------------------------------------------------------------------------------------------------

TOML = """\
# the build  (comments, spacing and quoting stay byte for byte)
[project]
name   =   "widgets"
version  =  '0.4.0'   # the version
dependencies = [
  "httpx>=0.27",  # the client
]

[tool.poetry]
version = "0.4.0"
[tool.other]
pinned = { version = "9.9.9", extra = 1 }
dotted.version = "1.2.3"
"""


@pytest.mark.parametrize(("key", "old", "new"), [
    ("project.version", "version  =  '0.4.0'   # the version", "version  =  '0.5.0rc1'   # the version"),
    ("tool.poetry.version", 'version = "0.4.0"\n[tool.other]', 'version = "0.5.0rc1"\n[tool.other]'),
    ("tool.other.pinned.version", '{ version = "9.9.9", extra', '{ version = "0.5.0rc1", extra'),
    ("tool.other.dotted.version", 'dotted.version = "1.2.3"', 'dotted.version = "0.5.0rc1"'),
])
def test_toml_edits_change_the_value_only(key: str, old: str, new: str) -> None:
    assert TOML.count(old) == 1
    assert set_toml_version(TOML, key, "0.5.0rc1") == TOML.replace(old, new)


def test_toml_keeps_crlf_line_ends() -> None:
    text = '[project]\r\nname = "w"\r\nversion = "0.1.0"\r\n'
    assert set_toml_version(text, "project.version", "0.2.0") == text.replace("0.1.0", "0.2.0")


@pytest.mark.parametrize(("key", "problem"), [
    ("tool.poetry.missing", "tool.poetry.missing: no such key"),
    ("nothing.version", "no table [nothing]"),
    ("project.name.version", "no table [project.name]"),
    ("project.dependencies", "project.dependencies: not a string"),
])
def test_toml_refuses_what_is_not_a_string_key(key: str, problem: str) -> None:
    with pytest.raises(ConfigError, match="^" + re.escape(problem)):
        set_toml_version(TOML, key, "0.5.0")


def test_toml_refuses_a_broken_file() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_toml_version("[project\nversion = 1", "project.version", "0.5.0")


# -- Python (and any other file) ------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ('__version__ = "0.4.0"', '__version__ = "0.5.0"'),
    ("__version__ = '0.4.0'", "__version__ = '0.5.0'"),
    ('__version__: str = "0.4.0"  # keep me', '__version__: str = "0.5.0"  # keep me'),
    ("__version__: Final[str]='dev'", "__version__: Final[str]='0.5.0'"),
    ('__version__=""', '__version__="0.5.0"'),
])
def test_python_assignment_forms(line: str, expected: str) -> None:
    text = f'"""Doc."""\n\n{line}\nOTHER = "0.4.0"\n'
    assert set_python_version(text, "__version__", "0.5.0") == text.replace(line, expected)


@pytest.mark.parametrize("text", [
    "",
    'def f():\n    __version__ = "0.4.0"\n',  # not module level
    '__version__ == "0.4.0"\n',  # a comparison
    '__version__x = "0.4.0"\nmy__version__ = "1"\n',  # other names
    '__version__ = """0.4.0"""\n',  # triple quotes: not a plain literal
    "__version__ = get_version()\n",
])
def test_python_refuses_no_assignment(text: str) -> None:
    with pytest.raises(ConfigError, match=r"^no module-level `__version__ = \"…\"` assignments"):
        set_python_version(text, "__version__", "0.5.0")


def test_python_refuses_two_assignments() -> None:
    text = 'try:\n    pass\nexcept ImportError:\n    pass\n__version__ = "1"\n__version__: str = "2"\n'
    with pytest.raises(ConfigError, match=r"^2 module-level"):
        set_python_version(text, "__version__", "0.5.0")


_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
_LINE = st.text(st.characters(exclude_characters="\r\n", exclude_categories=_SURROGATES), max_size=30)


@given(before=st.lists(_LINE, max_size=5), after=st.lists(_LINE, max_size=5),
       version=st.from_regex(r"\A[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(rc[0-9]|-rc\.[0-9])?\Z"))
def test_python_edit_touches_only_the_value(before: list[str], after: list[str], version: str) -> None:
    lines = [line for line in before + after if not line.startswith("VERSION")]
    head, tail = "\n".join(lines[: len(before)]), "\n".join(lines[len(before):])
    text = f"{head}\nVERSION = '0.0.0'\n{tail}"
    assert set_python_version(text, "VERSION", version) == f"{head}\nVERSION = '{version}'\n{tail}"


# -- the files of a release ------------------------------------------------------------------------------------


def config(**table: object) -> Config:
    return parse_config(table, prefix="")


def test_edits_chain_on_one_file_and_create_the_changelog() -> None:
    cfg = config(changelog="CHANGELOG.md", **{"version-files": ["pyproject.toml:project.version",
                                                                "pyproject.toml:tool.poetry.version"]})
    sources: dict[str, str | None] = {"CHANGELOG.md": None, "pyproject.toml": TOML}
    edits = edit_files(sources, cfg, v("0.5.0"), "## 0.5.0 - 2024-05-02\n\n- x\n")
    assert [(e.path, e.old) for e in edits] == [("CHANGELOG.md", None), ("pyproject.toml", TOML)]
    assert edits[0].new == "# Changelog\n\n## 0.5.0 - 2024-05-02\n\n- x\n"
    assert edits[1].new.count("0.5.0") == 2 and "9.9.9" in edits[1].new


def test_an_unchanged_file_is_not_written() -> None:
    cfg = config(**{"version-files": ["VERSION.py:VERSION"]})
    assert edit_files({"VERSION.py": 'VERSION = "0.5.0"\n'}, cfg, v("0.5.0"), "") == []


@pytest.mark.parametrize("path", ["/etc/x.toml", "../x.py", "a/../../x.py"])
def test_paths_stay_inside_the_repository(path: str) -> None:
    with pytest.raises(ConfigError, match="inside the repository"):
        target_paths(config(**{"version-files": [f"{path}:version"]}))


# -- --version against the policy --------------------------------------------------------------------------------


def needs_y(*, floor: bool = False) -> NextVersion:
    reasons: tuple[Reason, ...] = (
        Reason("a" * 40, "feat(files)!: drop purpose", Stream.Y, "breaking change to files (v1beta)"),
        Reason("b" * 40, "fix: typo", Stream.Z, "fix"),
    )
    if floor:
        reasons = (Reason("c" * 40, "v0.6.0rc1", Stream.Y, "pre-release v0.6.0rc1 was already cut"), *reasons)
    return NextVersion(v("0.4.0"), v("0.6.0" if floor else "0.5.0"), Stream.Y, reasons)


@pytest.mark.parametrize("requested", ["0.5.0", "0.6.0", "1.0.0", "0.5.0rc1", "0.5.0-beta.2"])
def test_a_version_at_or_above_the_need_passes(requested: str) -> None:
    check_requested(v(requested), needs_y(), [v("0.4.0")])


@pytest.mark.parametrize(("requested", "found", "message"), [
    ("0.4.1", needs_y(), r"lower than the policy needs: 0\.5\.0 at least \(Y-stream\), for a{7} feat\(files\)!"),
    ("0.4.1rc1", needs_y(), "lower than the policy needs"),
    ("0.5.0", needs_y(floor=True), r"0\.6\.0 at least \(Y-stream\), for c{7} v0\.6\.0rc1 \(pre-release"),
    ("0.4.0", needs_y(), r"not greater than the current version 0\.4\.0"),
    ("0.3.9", needs_y(), "not greater"),
    ("0.4.0rc1", needs_y(), "not greater"),
    ("0.5.0rc1", needs_y(), r"would sort before the existing pre-release 0\.5\.0rc2"),
])
def test_a_version_below_the_need_is_refused(requested: str, found: NextVersion, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        check_requested(v(requested), found, [v("0.4.0"), v("0.5.0rc2")])


def test_a_first_release_may_be_any_version() -> None:
    check_requested(v("1.0.0"), NextVersion(None, v("0.1.0"), None, ()), [])
    check_requested(v("0.0.1"), NextVersion(None, v("0.1.0"), None, ()), [])


# -- the branch --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("branch", "version", "exists", "refusal"), [
    ("main", "0.5.0", False, None),
    ("main", "1.0.0", True, None),
    ("main", "0.4.1", False, None),  # no release branch yet: patches from main
    ("release-0.4.x", "0.4.1", True, None),
    ("release-0.4.x", "0.4.1rc1", True, None),  # a Z pre-release follows the Z rule
    ("main", "0.4.1", True, "release-0.4.x exists, so patch releases of 0.4 are made there, not on main"),
    ("main", "0.4.1-rc.1", True, "release-0.4.x exists"),
    ("release-0.4.x", "0.5.0", True, "0.5.0 is a minor release: it is made from main"),
    ("release-0.4.x", "0.5.0rc1", True, "0.5.0rc1 is a minor release"),
    ("release-0.4.x", "1.0.0", True, "1.0.0 is a major release"),
    ("release-0.3.x", "0.4.1", True, "made from release-0.4.x, not from release-0.3.x"),
    ("topic", "0.4.1", False, "made from release-0.4.x, or from main while release-0.4.x does not exist"),
])
def test_the_branch_fits_the_stream(branch: str, version: str, exists: bool, refusal: str | None) -> None:
    from relmgr.history.versions import classify_stream

    stream = classify_stream(v(version), v("0.4.0"))
    if refusal is None:
        check_branch(branch, v(version), stream, Config(), exists)
    else:
        with pytest.raises(PolicyError, match=refusal.replace(".", r"\.")):
            check_branch(branch, v(version), stream, Config(), exists)


def test_a_first_release_is_made_from_main() -> None:
    check_branch("main", v("0.1.0"), None, Config(), False)
    with pytest.raises(PolicyError, match="a first release: it is made from main"):
        check_branch("dev", v("0.1.0"), None, Config(), False)


# -- the commit and the tag ---------------------------------------------------------------------------------------


def test_the_tag_message_records_a_forced_release() -> None:
    finding = Finding("a" * 40, "feat(files)!: x (#7)", 7, "files", Level.parse("v1beta"), Stream.Z,
                      "missing-approval", "a breaks the v1beta API `files`: label PR #7", "label PR #7")
    assert tag_message("## 0.5.0\n\n- x\n") == "## 0.5.0\n\n- x\n"
    assert tag_message("## 0.5.0\n\n- x\n\n", [finding, finding]) == (
        "## 0.5.0\n\n- x\n\nReleased with --force over 2 policy violations:\n\n"
        "- a breaks the v1beta API `files`: label PR #7\n- a breaks the v1beta API `files`: label PR #7\n"
    )


@pytest.mark.parametrize(("header", "expected"), [
    ("chore(release): 0.5.0", True),
    ("chore(release): 0.5.0-rc.1", True),
    ("chore(release): prepare 0.5.0", False),
    ("chore(release): client@0.5.0", True),
    ("chore(release): @ogx/client@0.5.0rc1", True),
    ("chore(release): prepare client@0.5.0", False),
    ("chore: 0.5.0", False),
    ("feat(release): 0.5.0", False),
])
def test_release_commits_are_recognised(header: str, expected: bool) -> None:
    assert is_release_commit(parse_message(header)) is expected
