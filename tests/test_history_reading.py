"""Reading history fast without changing what is read: git told where to look, git's order kept, progress."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.cli.progress import terminal_progress
from relmgr.config.model import ApiConfig
from relmgr.history.ancestry import children_first, log_order, reach_masks
from relmgr.history.commits import parse_message
from relmgr.policy.apis import Registry
from relmgr.policy.globs import compile_globs, escape_glob, literal_prefix, subtree_glob
from relmgr.policy.levels import Level
from tests.conftest import Repo, run_cli


@pytest.mark.parametrize(("glob", "prefix"), [
    ("src/apis/files/**", "src/apis/files"),
    ("/src/apis/files/", "src/apis/files"),
    ("src/apis/files", "src/apis/files"),
    ("src/*/api.py", "src"),
    ("src/api?/x", "src"),
    ("src/[ab]/x", "src"),
    ("openapi.yaml", "openapi.yaml"),
    ("**/openapi.yaml", ""),
    ("*.py", ""),
])
def test_literal_prefix(glob: str, prefix: str) -> None:
    assert literal_prefix(glob) == prefix


@pytest.mark.parametrize("glob", ["src/apis/files/**", "src/*/api.py", "src/api?/x", "src/[ab]/x", "src/apis/files"])
@pytest.mark.parametrize("path", ["src/apis/files/a.py", "src/x/api.py", "src/apiz/x", "src/a/x", "src/apis/files",
                                  "srcx/apis/files/a.py", "docs/a.md"])
def test_every_match_lies_below_the_prefix(glob: str, path: str) -> None:
    regex = compile_globs([glob])
    assert regex is not None
    prefix = literal_prefix(glob)
    if regex.match(path):
        assert path == prefix or path.startswith(prefix + "/")


_SEGMENT = st.text(alphabet=st.sampled_from("ab.*?[]!^-_{}() "), min_size=1, max_size=6).filter(
    lambda s: s.strip() == s)  # globs are read stripped


@given(st.lists(_SEGMENT, min_size=1, max_size=4))
def test_an_escaped_glob_matches_its_text_literally(segments: list[str]) -> None:
    """`[...path]` (Next.js), `*` or `?` in a generated glob stay names, never wildcards or classes."""
    text = "/".join(segments)
    exact, below = compile_globs([escape_glob(text)]), compile_globs([subtree_glob(text)])
    assert exact is not None and below is not None
    assert exact.match(text) and below.match(text) and below.match(text + "/x/y")
    for other in (text + "x", "x" + text, text.replace("a", "b", 1) if "a" in text else text + "a"):
        if other != text:
            assert not exact.match(other)
    assert compile_globs([escape_glob(text) + "/**"]).match(text + "/route.ts")  # type: ignore[union-attr]


def test_a_bracketed_folder_is_no_class() -> None:
    assert escape_glob("src/ui/app/api/v1/[...path]") == "src/ui/app/api/v1/[[]...path]"
    rx = compile_globs(["src/ui/app/api/v1/[...path]/**"])  # what init wrote before: a class of . p a t h
    assert rx is not None and not rx.match("src/ui/app/api/v1/[...path]/route.ts")
    assert subtree_glob("/v1/files") == "/v1/files"  # nothing to escape: a plain prefix
    assert subtree_glob("/v1/x[y]") == "/v1/x[[]y]/"  # escaped: the `/` keeps "and below"


def api(name: str, *paths: str) -> ApiConfig:
    return ApiConfig(name, Level.parse("v1"), paths=paths)


def test_registry_prefixes() -> None:
    registry = Registry([api("a", "src/apis/a/**"), api("b", "src/apis/b/*.py", "src/apis/b/deep/**"),
                         api("c", "openapi/c.yaml")])
    assert registry.path_prefixes() == ("openapi/c.yaml", "src/apis")  # siblings give way to their folder
    assert Registry([api("a", "a/**"), api("b", "b/**")]).path_prefixes() == ("a", "b")  # never the whole tree
    assert Registry([api("a", "src/a/**"), api("b", "**/b.yaml")]).path_prefixes() is None


def test_matching_reads_files_below_the_prefixes_only(repo: Repo) -> None:
    repo.config('[apis.files]\nlevel = "v1"\npaths = ["src/*/files/**"]\n')
    repo.commit("chore: touch many", {"src/v1/files/a.py": "1", "docs/a.md": "1", "src/other.py": "1"})
    repo.commit("chore: elsewhere", {"docs/b.md": "1"})
    from relmgr.history.repository import Project

    project = Project.open(repo.path, None)
    commits = project.commits(project.parse_range("HEAD"))
    assert [c.files for c in commits] == [(), ("src/other.py", "src/v1/files/a.py")]
    rows = run_cli(["scan", "HEAD", "--json"], repo).json()["commits"]
    assert [[a["name"] for a in r["apis"]] for r in rows] == [[], ["files"]]


# -- the graph walks ---------------------------------------------------------------------------------------


def test_children_first_sorts_only_when_needed() -> None:
    ordered = {"c": ("b",), "b": ("a",), "a": ()}
    assert children_first(ordered) is ordered
    skewed = {"b": ("a",), "a": (), "c": ("b",)}  # `b` listed before its child `c`
    fixed = children_first(skewed)
    assert list(fixed) == ["c", "b", "a"]
    assert reach_masks(fixed, ["c"]) == {"c": 1, "b": 1, "a": 1}


def test_log_order_is_gits_newest_date_first_ties_in_meeting_order() -> None:
    #   m (merge of x and y) → x → base, y → base; x and y have the same date: met x first (first parent)
    graph = {"m": ("x", "y"), "x": ("base",), "y": ("base",), "base": ()}
    dates = {"m": 3, "x": 2, "y": 2, "base": 1}
    assert log_order(graph, dates, "m", set(graph)) == ["m", "x", "y", "base"]
    assert log_order(graph, {**dates, "y": 5}, "m", set(graph)) == ["m", "y", "x", "base"]
    assert log_order(graph, dates, "m", {"m", "y"}) == ["m", "y"]
    assert log_order(graph, dates, "base", {"m"}) == []


# -- where the repository is ------------------------------------------------------------------------------


def test_a_bare_clone_and_a_worktree_are_repositories(repo: Repo, tmp_path: Path) -> None:
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    assert run_cli(["releases", "--json"], bare).json()["releases"][0]["tag"] == "v0.1.0"
    worktree = tmp_path / "wt"
    repo.git("worktree", "add", "-q", str(worktree))
    (worktree / "sub").mkdir()
    assert run_cli(["releases", "--json"], worktree / "sub").json()["releases"][0]["tag"] == "v0.1.0"


# -- progress ----------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_once_the_work_is_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERM", raising=False)
    screen = Terminal()
    with terminal_progress(stream=screen, start_after=100) as report:
        assert report is not None
        report("reading commits", 50, None)
        assert screen.getvalue() == ""  # short work: nothing drawn yet
        report("reading commits", 150, None)
        report("writing notes", 3, 10)
    assert "reading commits" in screen.getvalue()


def test_progress_draws_when_few_items_take_long(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.delenv("TERM", raising=False)
    clock = iter([0.0, 0.4, 1.5, 1.6, 1.7])
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    screen = Terminal()
    with terminal_progress(stream=screen) as report:
        assert report is not None
        report("diffing OpenAPI spec versions", 1, 5)
        report("diffing OpenAPI spec versions", 2, 5)
        assert screen.getvalue() == ""  # not long yet
        report("diffing OpenAPI spec versions", 3, 5)  # 1.5 s since the first report: worth a bar
    assert "diffing OpenAPI spec versions" in screen.getvalue()


def test_commands_ask_for_progress_only_outside_json(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from relmgr.cli.context import State

    asked: list[bool] = []
    original = State.project

    def project(self: State, *, progress: bool = False) -> object:
        asked.append(progress)
        return original(self, progress=progress)

    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("fix: two")
    monkeypatch.setattr(State, "project", project)
    for args in (["check"], ["notes"], ["next-version"], ["propose"], ["lint", "--range", "v0.1.0..HEAD"]):
        asked.clear()
        run_cli(args, repo)
        assert asked == [True], args
        asked.clear()
        run_cli([*args, "--json"], repo)
        assert asked == [False], args
    # piped (as in these tests) nothing is drawn all the same
    assert run_cli(["check"], repo).stderr == ""


@pytest.mark.parametrize(("stream", "enabled"), [(io.StringIO(), True), (Terminal(), False)],
                         ids=["not-a-terminal", "json"])
def test_no_progress_when_piped_or_for_json(stream: io.StringIO, enabled: bool) -> None:
    with terminal_progress(enabled=enabled, stream=stream) as report:
        assert report is None
    assert stream.getvalue() == ""


def test_no_progress_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    with terminal_progress(stream=Terminal()) as report:
        assert report is None


def test_changelog_output_has_no_progress(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    run = run_cli(["changelog"], repo)
    assert run.stderr == ""


# -- the parser's fast paths say what its regexes said -------------------------------------------------------

_PR_REFERENCE = re.compile(r"\s*\(#(?P<pr>\d+)\)\s*$")  # what parse_message reads without a regex


@given(st.text(alphabet=st.sampled_from("ab (#)12٣ \t:")), st.text(alphabet=st.sampled_from("ab (#)12٣ ")))
def test_pr_number_as_the_regex_reads_it(header: str, tail: str) -> None:
    text = (header + tail).strip()
    match = _PR_REFERENCE.search(text)
    message = parse_message(text)
    assert message.pr == (int(match.group("pr")) if match else None)
    bare = text[: match.start()] if match else text
    assert message.description in (bare.strip(), bare.partition(":")[2].strip())


# -- globs never backtrack on a path someone chose -----------------------------------------------------

_GLOB = st.text(alphabet=st.sampled_from("ab/*?["), min_size=1, max_size=8).map(lambda s: s.replace("[", "[ab]"))
_PATH = st.text(alphabet=st.sampled_from("ab/"), max_size=10)


@given(glob=_GLOB, path=_PATH)
def test_the_linear_matcher_agrees_with_the_regex(glob: str, path: str) -> None:
    from relmgr.policy.globs import _Matcher, tokens, translate

    try:
        expected = re.fullmatch(translate(glob), path, re.DOTALL) is not None
    except ValueError:
        return
    assert _Matcher(tokens(glob)).match(path) == expected
    globs = compile_globs([glob])
    assert globs is not None and globs.match(path) == expected


@pytest.mark.parametrize("glob", ["src/*a*a*a*a*a*b", "**a**a**a**a**b", "**/x/**/x/**/x/**/y"])
def test_a_glob_that_would_backtrack_matches_a_long_path_at_once(glob: str) -> None:
    import threading

    from relmgr.policy.globs import _backtracks, tokens

    assert _backtracks(tokens(glob))  # not the regex: a regex of it takes hours on the path below
    globs = compile_globs([glob])
    assert globs is not None
    path = "src/" + "a" * 3000 if "x" not in glob else "x/" * 1500
    found: list[bool] = []
    worker = threading.Thread(target=lambda: found.append(globs.match(path)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert found == [False]
