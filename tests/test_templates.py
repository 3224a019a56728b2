"""The built-in templates: shipped as package data, printed by `--default-template`, rendered in the sandbox
every template renders in, with the helpers docs/notes-template.md lists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from relmgr.errors import UsageError
from relmgr.notes.templates import BUILTIN, NOTES, PROPOSAL, builtin, environment, link_helpers, render
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "notes-template.md"


def test_every_builtin_template_ships_as_package_data() -> None:
    shipped = sorted(p.name for p in (ROOT / "relmgr" / "templates").iterdir())
    assert shipped == sorted(BUILTIN)
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert all(Path("templates", name).match(pattern) for name in BUILTIN for pattern in data["relmgr"]
               if pattern.startswith("templates/"))
    assert "templates/*.md.j2" in data["relmgr"]
    for name in BUILTIN:
        assert builtin(name) == (ROOT / "relmgr" / "templates" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("command", "name"), [("notes", NOTES), ("changelog", NOTES), ("propose", PROPOSAL)])
def test_default_template_prints_the_shipped_file_without_a_repository(tmp_path: Path, command: str,
                                                                        name: str) -> None:
    run = run_cli([command, "--default-template"], tmp_path)  # not a git repository: nothing is read
    assert run.exit_code == 0 and run.stderr == ""
    assert run.stdout == builtin(name)
    assert "--default-template" in run_cli([command, "--help"]).stdout


@pytest.mark.parametrize(("args", "named"), [
    (["notes", "v0.1.0", "--default-template"], "TAG"),
    (["notes", "--default-template", "--json"], "--json"),
    (["changelog", "--default-template", "--output", "x.md"], "--output"),
    (["propose", "--default-template", "--template", "t.j2"], "--template"),
])
def test_default_template_takes_no_other_option(tmp_path: Path, args: list[str], named: str) -> None:
    run = run_cli(args, tmp_path)
    assert run.exit_code == 2 and run.stdout == ""
    assert "--default-template" in run.stderr and named in run.stderr


def test_the_documented_helpers_are_the_sandbox_helpers() -> None:
    table = DOC.read_text(encoding="utf-8").split("## Helpers", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)[^`]*` \| (function|filter) \|", table, re.M)
    env = environment()
    from jinja2.sandbox import SandboxedEnvironment

    plain = SandboxedEnvironment()
    ours_filters = set(env.filters) - set(plain.filters)
    ours_globals = (set(env.globals) - set(plain.globals)) | set(link_helpers(None)) - {"repo_url"}
    assert {name for name, kind in rows if kind == "filter"} == ours_filters
    assert {name for name, kind in rows if kind == "function"} == ours_globals


@pytest.mark.parametrize("source", [
    "{{ commit_url.func.__globals__ }}",
    "{{ sections.__class__ }}",
    "{% for s in sections %}{{ loop.__class__.__mro__ }}{% endfor %}",
    "{{ plural.__call__.__globals__ }}",
    "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
])
def test_the_sandbox_still_refuses_internals(source: str) -> None:
    context = {"sections": [{"title": "Features"}], **link_helpers("https://github.com/acme/widgets")}
    with pytest.raises(UsageError, match=r"was refused: access to attribute .* is unsafe"):
        render(source, "t.j2", context)


def test_helpers_render_what_the_docs_say() -> None:
    context = link_helpers("https://gitlab.com/acme/widgets")
    source = ("{{ link('#7', pr_url(7)) }} {{ link('abc', none) }} {{ plural(1, 'day') }} "
              "{{ plural(2, 'person', 'people') }} {{ 'a|<b>' | md_cell }} {{ \"it's\" | shell_quote }}\n"
              "{{ 'one\\n\\n  two' | nest }}|{{ 'x' | nest(4) }}")
    assert render(source, "t.j2", context) == (
        "[#7](https://gitlab.com/acme/widgets/-/merge_requests/7) abc 1 day 2 people a\\|&lt;b> 'it'\"'\"'s'\n"
        "  one\n\n    two|    x")


@pytest.mark.parametrize("source", [
    "{% for e in entries %}{{ e.sha }} {{ e.items is defined }} {{ e.missing | default('-') }}{% endfor %}",
    "{% for e in entries %}{{ e.keys() | list | length }} {{ e['pr'] }}{% endfor %}",
    "{% for e in entries %}{{ loop.index }}{{ loop.last }}{{ loop.changed(e.pr) }}{{ loop.cycle('a', 'b') }}"
    "{% endfor %}",
    "{% macro m(x, y=2) %}{{ x }}{{ y }}{{ caller() if caller is defined else '' }}{% endmacro %}"
    "{{ m(1) }}{{ m(1, y=3) }}{% call m(4) %}c{% endcall %}",
    "{% macro m(x) %}{{ x }}{% endmacro %}{% autoescape true %}{{ m('<b>') }}{{ '<i>' }}{% endautoescape %}",
    "{% for e in entries %}{{ link(e.sha[:7], commit_url(e.sha)) }} {{ pr_url(e.pr) }} {{ plural(e.pr, 'x') }}"
    "{% endfor %}",
])
def test_the_fast_paths_answer_as_jinjas_own_sandbox(source: str) -> None:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    ours = environment()
    stock = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    stock.globals.update(ours.globals)
    stock.filters.update(ours.filters)
    entries = [{"sha": "a" * 40, "pr": 1, "items": "x"}, {"sha": "b" * 40, "pr": 1}, {"sha": "c" * 40, "pr": 2}]
    context = {"entries": entries, **link_helpers("https://github.com/acme/widgets")}
    assert render(source, "t.j2", context) == stock.from_string(source).render(context)
