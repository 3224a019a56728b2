"""The documentation site (`mkdocs.yml`, `docs/`) and the README as its front page: the site builds with
`mkdocs build --strict`, every command has a page in the nav that names each of its options, every
`[tool.relmgr]` key is documented, and the sample outputs on the pages are what relmgr prints."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from relmgr.app.demo import build
from relmgr.cli.app import app
from relmgr.config.load import parse_config
from relmgr.errors import ExitCode
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def _mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's banner about MkDocs 2.0
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                           "--site-dir", str(site)], capture_output=True, text=True, env=env, check=False)


def _nav_pages(nav: Any) -> Iterator[str]:
    """The page paths of a mkdocs nav (external links left out)."""
    if isinstance(nav, str):
        if "://" not in nav:
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)


def _site_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config


def _page(name: str) -> str:
    return (DOCS / "commands" / f"{name}.md").read_text(encoding="utf-8")


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


# -- the site -------------------------------------------------------------------------------------------


def test_the_site_builds_with_strict_checks(tmp_path: Path) -> None:
    result = _mkdocs(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr  # a missing mkdocs-material fails here too: it is a test extra
    assert (tmp_path / "site" / "commands" / "check" / "index.html").is_file()


def test_a_broken_link_or_anchor_fails_the_build(tmp_path: Path) -> None:
    """The same settings (strict, link and anchor validation) on a two-page site: a link to a missing page
    and one to a missing heading each fail the build (the real site passing shows the good case)."""
    config = _site_config()
    config["nav"] = ["index.md", "other.md"]
    config.pop("edit_uri", None)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Here\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[gone](missing.md), [here](other.md#here), "
                                                "[nowhere](other.md#nowhere)\n", encoding="utf-8")
    site_yml = tmp_path / "mkdocs.yml"
    site_yml.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = _mkdocs(site_yml, tmp_path / "site")
    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 2, result.stderr
    assert "missing.md" in warnings[0] + warnings[1] and "#nowhere" in warnings[0] + warnings[1]


def test_every_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    listed = list(_nav_pages(_site_config()["nav"]))
    assert len(listed) == len(set(listed)), "a page is listed twice"
    pages = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(listed) == pages


def test_every_command_has_a_page_that_names_its_options_and_examples() -> None:
    listed = set(_nav_pages(_site_config()["nav"]))
    overview = (DOCS / "commands" / "index.md").read_text(encoding="utf-8")
    assert len(COMMANDS) >= 15
    for name, command in COMMANDS.items():
        assert f"commands/{name}.md" in listed, name
        assert f"]({name}.md)" in overview, name
        page = _page(name)
        assert page.startswith(f"# relmgr {name}\n\n```text\nrelmgr {name}"), name
        for param in command.params:
            if param.param_type_name == "option":
                for option in (o for o in param.opts if o.startswith("--")):
                    assert f"`{option}" in page, f"{name}: {option} is not on docs/commands/{name}.md"
            elif param.metavar:
                assert param.metavar.strip("[].") in page, f"{name}: {param.metavar}"
        examples = _fenced(page.split("## Examples", 1)[1], "sh")[0]
        for line, _ in _help_examples(name):
            assert line in examples, f"{name}: `{line}` (an example of its --help) is not on its page"


# -- the README, the front page -------------------------------------------------------------------------


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_is_a_short_front_page_linking_into_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) <= 12 * 1024
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if "://" not in link]
    assert {"docs/adopt.md", "docs/configuration.md", "docs/architecture.md", "docs/ci.md"} <= set(local)
    for link in local:
        assert (ROOT / link).is_file(), f"README links {link}, which does not exist"
    for name in COMMANDS:
        assert f"](docs/commands/{name}.md)" in readme, name


def test_the_front_pages_share_the_quick_start_and_the_adopt_path() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    adopt = (DOCS / "adopt.md").read_text(encoding="utf-8")
    for heading in ("Quick start", "Adopt it in your repository"):
        assert _fenced(_section(readme, heading), "sh") == _fenced(_section(index, heading), "sh"), heading
    path = _fenced(_section(readme, "Adopt it in your repository"), "sh")[0]
    assert path == _fenced(adopt, "sh")[0]
    commands = [line.split("#")[0].strip() for line in path.splitlines()]
    assert len(commands) <= 10
    for step in ("relmgr init", "relmgr apis", "relmgr check --tag "):
        assert any(c.startswith(step) for c in commands), step


# -- configuration ----------------------------------------------------------------------------------------


def _loader_keys() -> set[str]:
    """Every key name `config/load.py` reads: the names its table getters are called with."""
    source = (ROOT / "relmgr" / "config" / "load.py").read_text(encoding="utf-8")
    keys = set(re.findall(r"\.(?:get|strings|choice|level|table)\(\s*\"([a-z-]+)\"", source))
    keys |= set(re.findall(r"_globs\(api, \"([a-z-]+)\"\)", source))
    keys |= set(re.findall(r"_level_names\(table, \"([a-z-]+)\"", source))
    return keys - {"tool"}  # `document.get("tool")`: pyproject's [tool] table, not a key of relmgr's


def test_every_config_key_is_on_the_configuration_page() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    keys = _loader_keys()
    assert {"tag-prefix", "major-on-zero", "version-files", "levels-from", "permabeta-minors", "to-stable",
            "unknown-scope", "require-deprecation", "routes", "tests"} <= keys
    missing = sorted(key for key in keys if f"`{key}" not in page and f".{key}`" not in page)
    assert not missing, f"keys the loader reads that docs/configuration.md does not name: {missing}"


@pytest.mark.parametrize("page", ["configuration.md", "policy.md", "commands/release.md", "commands/lint.md"])
def test_the_config_examples_are_valid_configs(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = _fenced(text, "toml")
    assert blocks
    for block in blocks:
        table = tomllib.loads(block)["tool"]["relmgr"]
        parse_config(table)  # raises ConfigError on an unknown key, a bad level, glob or value


def test_the_exit_codes_page_and_the_help_list_exactly_the_codes() -> None:
    page = (DOCS / "exit-codes.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d) \| ", page, flags=re.MULTILINE)
    assert [int(code) for code in table] == [int(code) for code in ExitCode]
    for code in ExitCode:
        assert f"**{int(code)}: " in page, f"docs/exit-codes.md does not say what raises {int(code)}"
    listed = run_cli(["--help"]).stdout.split("Exit codes:", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"\b(\d) ", listed) == [str(int(code)) for code in ExitCode]


# -- sample outputs ---------------------------------------------------------------------------------------

_SAMPLE = re.compile(r"<!-- demo-output(-start)?: [^\n]*-->\n```text\n\$ relmgr ([^\n]*)\n(.*?)^```$",
                     flags=re.MULTILINE | re.DOTALL)


def _samples() -> list[tuple[str, bool, str, str]]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        for match in _SAMPLE.finditer(path.read_text(encoding="utf-8")):
            found.append((path.relative_to(DOCS).as_posix(), bool(match.group(1)), match.group(2), match.group(3)))
    return found


@pytest.fixture(scope="module")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs") / "widgets"
    build(folder)
    return folder


_WRITES = {"release", "release-branch", "graduate", "init", "demo"}  # commands that change the repository


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))


def test_the_sample_outputs_are_what_relmgr_prints_in_the_demo(demo_repo: Path, tmp_path: Path) -> None:
    samples = _samples()
    assert len(samples) >= 8
    for number, (page, partial, command, expected) in enumerate(samples):
        where = demo_repo
        if command.split()[0] in _WRITES:  # in a copy of its own, so that every sample sees the demo as built
            where = tmp_path / str(number)
            shutil.copytree(demo_repo, where, symlinks=True)
        actual = _plain(run_cli(shlex.split(command), where).stdout)
        if partial:
            shown = expected.rstrip("\n").removesuffix("…").rstrip("\n")
            assert actual.startswith(_plain(shown)), f"{page}: relmgr {command}"
        else:
            assert actual == _plain(expected), f"{page}: relmgr {command}"


# -- --help ----------------------------------------------------------------------------------------------


def _help_examples(name: str) -> list[tuple[str, str]]:
    """The (command line, comment) pairs of a command's Examples epilog, in either of its two layouts."""
    epilog: str = COMMANDS[name].epilog or ""
    lines = [line[2:] for line in epilog.split("\n") if line.startswith("  ")]
    if lines and lines[0].startswith("# "):
        return [(lines[i + 1], lines[i][2:]) for i in range(0, len(lines), 2)]
    return [(line.split("   # ")[0].rstrip(), line.split("   # ", 1)[-1]) for line in lines]
