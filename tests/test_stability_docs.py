"""`relmgr docs`: the stability page and its SVG timeline on the demo history (three APIs at three levels,
a level history, routes, a deprecated operation, breaking releases) with providers added; golden files,
the SVG parsed as XML, `--check` failing on a stale page, and the page's JSON."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relmgr.app.demo import build
from relmgr.stability.page import ApiRow, Graduation, ReleaseMark, StabilityPage, page_markdown
from relmgr.stability.timeline import stage_of, timeline_svg
from tests.conftest import run_cli
from tests.golden import assert_golden

SVG = "{http://www.w3.org/2000/svg}"
PROVIDERS = """
[tool.relmgr.apis.inference.providers.vllm]
paths = ["src/acme/providers/vllm/**"]
maturity = "stable"

[tool.relmgr.apis.inference.providers.sketch]
paths = ["src/acme/providers/sketch/**"]
maturity = "experimental"
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stability") / "widgets"
    build(folder)
    config = folder / "relmgr.toml"
    config.write_text(config.read_text() + PROVIDERS)
    (folder / "docs").mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def inside(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo)  # --output and --check name files as a user in the repository would


def test_the_golden_page_and_timeline(demo: Path) -> None:
    run = run_cli(["docs", "--output", "docs/stability.md"], demo)
    assert run.exit_code == 0, run.stderr
    page = (demo / "docs" / "stability.md").read_text()
    svg = (demo / "docs" / "stability.svg").read_text()
    assert_golden("stability.md", page)
    assert_golden("stability.svg", svg)
    assert "![Each API's level across releases](stability.svg)" in page
    assert "| vllm | stable | `src/acme/providers/vllm/**` |" in page
    assert "| `POST /v1/completions` | v1 | v0.3.0 |  | 0.4.0 |" in page


def test_the_svg_is_well_formed_with_one_row_per_api(demo: Path) -> None:
    run_cli(["docs", "--output", "docs/stability.md"], demo)
    root = ET.fromstring((demo / "docs" / "stability.svg").read_text())
    assert root.tag == f"{SVG}svg"
    rows = root.findall(f"{SVG}g[@class='api']")
    assert [row.get("data-api") for row in rows] == ["batches", "files", "inference"]
    releases = [t.text for t in root.findall(f"{SVG}text[@class='release']")]
    assert releases == ["v0.1.0", "v0.2.0", "v0.2.1", "v0.2.2", "v0.3.0"]
    for row in rows:
        assert len(row.findall(f"{SVG}rect")) == len(releases)
    inference = rows[2]
    cells = [rect.get("class") for rect in inference.findall(f"{SVG}rect")]
    assert cells == ["cell beta", "cell stable", "cell stable", "cell stable", "cell stable"]  # v1 from 0.2.0
    assert inference.findall(f"{SVG}path[@class='breaking']")
    assert len(inference.findall(f"{SVG}path[@class='deprecation']")) == 1


def test_check_fails_on_a_stale_page_and_says_how_to_update_it(demo: Path) -> None:
    run_cli(["docs", "--output", "docs/stability.md"], demo)
    assert run_cli(["docs", "--check", "docs/stability.md"], demo).exit_code == 0
    page = demo / "docs" / "stability.md"
    page.write_text(page.read_text().replace("v1beta", "v1"))
    stale = run_cli(["docs", "--check", "docs/stability.md"], demo)
    assert stale.exit_code == 1
    assert "out of date: run `relmgr docs --output docs/stability.md`" in stale.stderr
    assert stale.stdout.startswith("--- a/docs/stability.md")
    (demo / "docs" / "stability.svg").unlink()
    missing = run_cli(["docs", "--check", "docs/stability.md"], demo)
    assert missing.exit_code == 1 and "docs/stability.svg" in missing.stderr
    run_cli(["docs", "--output", "docs/stability.md"], demo)


def test_the_json_page(demo: Path) -> None:
    document = run_cli(["docs", "--json"], demo).json()
    assert [r["tag"] for r in document["releases"]] == ["v0.1.0", "v0.2.0", "v0.2.1", "v0.2.2", "v0.3.0"]
    inference = {api["name"]: api for api in document["apis"]}["inference"]
    assert (inference["level"], inference["since"]) == ("v1", "v0.2.0")
    assert inference["history"] == [{"level": "v1beta", "since": None, "until": "0.2.0"},
                                    {"level": "v1", "since": "0.2.0", "until": None}]
    assert [p["name"] for p in inference["providers"]] == ["sketch", "vllm"]
    assert inference["deprecated"][0]["removable_in"] == "0.4.0"
    assert inference["graduation"]["to"] is None and inference["graduation"]["flags"]
    assert [t["level"] for t in inference["timeline"]] == ["v1beta", "v1", "v1", "v1", "v1"]
    assert "v1" in inference["routes"]


def test_usage_errors(demo: Path) -> None:
    both = run_cli(["docs", "--check", "a.md", "--output", "b.md"], demo)
    assert both.exit_code == 2 and "drop --output" in both.stderr
    assert run_cli(["docs", "--json", "--svg", "x.svg"], demo).exit_code == 2
    nowhere = run_cli(["docs", "--output", "missing/stability.md"], demo)
    assert nowhere.exit_code == 2 and nowhere.stderr.count("\n") == 1 and "missing does not exist" in nowhere.stderr
    assert not (demo / "missing").exists()


def test_names_are_escaped_and_stages_coloured() -> None:
    row = ApiRow("a<b&c", "v2beta", None, (), {}, (), (), Graduation("v2", False, (), (), None), ("v2beta",),
                 ("v<1>",), ())
    page = StabilityPage((ReleaseMark("v<1>", "1", "2024-01-01"),), (row,))
    root = ET.fromstring(timeline_svg(page))
    assert root.find(f"{SVG}g").get("data-api") == "a<b&c"  # type: ignore[union-attr]
    assert [stage_of(level) for level in ("v1alpha", "v2beta", "v1", "v3", "-")] == [
        "alpha", "beta", "stable", "stable", "none"]
    assert "No APIs are configured." in page_markdown(StabilityPage((), ()), None)


def test_an_ogx_shaped_history(tmp_path: Path) -> None:
    """Split specs renamed across releases, a promotion in the spec without level history, a v1 break."""
    from tests.conftest import Repo
    from tests.ogx_history import build as build_ogx

    repo = Repo(tmp_path / "ogx")
    build_ogx(repo)
    document = run_cli(["docs", "--json"], repo).json()
    apis = {api["name"]: api for api in document["apis"]}
    assert list(apis) == ["connectors", "inference", "tools"]
    connectors = apis["connectors"]
    assert connectors["since"] == "v0.3.0" and connectors["graduation"]["to"] == "v1"
    assert [t["level"] for t in connectors["timeline"]][:3] == ["-", "-", "-"]  # v1alpha routes then: unknown
    assert {t["level"] for t in connectors["timeline"][3:]} == {"v1beta"}
    assert [t["tag"] for t in apis["tools"]["timeline"] if t["breaking"]] == ["v0.5.0"]
    assert apis["inference"]["deprecated"][0]["operation"] == "POST /v1/models"
    svg = run_cli(["docs", "--svg", str(tmp_path / "t.svg")], repo)
    assert svg.exit_code == 0
    root = ET.fromstring((tmp_path / "t.svg").read_text())
    assert len(root.findall(f"{SVG}g[@class='api']")) == 3
