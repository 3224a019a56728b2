"""`docs`: the stability page (Markdown or JSON) and its SVG timeline, written or checked against a file."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.errors import UsageError


class PageFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def register(app: typer.Typer) -> None:
    command(app, "docs", [
        ("relmgr docs --output docs/stability.md", "write the page and docs/stability.svg"),
        ("relmgr docs --check docs/stability.md", "in CI: exit 1 when the page is stale"),
        ("relmgr docs --format json", "the page's data on stdout"),
    ])(docs)


@guarded
def docs(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", dir_okay=False,
        help="Write the page to FILE (default: stdout); Markdown also writes the timeline beside it (FILE.svg).",
    ),
    svg: Path | None = typer.Option(
        None, "--svg", metavar="FILE", dir_okay=False,
        help="Where the SVG timeline goes (default: beside the page, its name with .svg).",
    ),
    page_format: PageFormat = typer.Option(PageFormat.MARKDOWN, "--format", metavar="markdown|json",
                                           help="markdown (MkDocs, Docusaurus) or json."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    check: Path | None = typer.Option(
        None, "--check", metavar="FILE", dir_okay=False,
        help="Write nothing: exit 1 when FILE (and its SVG) differ from what relmgr would write, with the diff.",
    ),
) -> None:
    """Write the stability page: every API with its level, since which release, its level history, routes
    per level, deprecated operations and the release that may remove them, providers and their maturity,
    and its graduation status (as `relmgr propose` sees it); plus an SVG timeline of each API's level
    across releases (one row per API; breaking releases and deprecations marked).

    The page is dated by the latest release, never by today, so `--check` in CI fails exactly when the
    history or the config changed what the page says.
    """
    from relmgr.app.stability import stability_page
    from relmgr.cli import output as render
    from relmgr.files import write_atomic
    from relmgr.stability.page import page_json, page_markdown
    from relmgr.stability.timeline import timeline_svg

    fmt = PageFormat.JSON if as_json else page_format
    if check is not None and output is not None:
        raise UsageError("--check FILE compares with FILE and writes nothing; drop --output")
    target = check or output
    picture = svg or (target.with_suffix(".svg") if target is not None and fmt is PageFormat.MARKDOWN else None)
    if fmt is PageFormat.JSON and svg is not None:
        raise UsageError("--svg goes with the Markdown page; drop --svg or --format json")
    page = stability_page(state(ctx).project(progress=target is not None))
    if fmt is PageFormat.JSON:
        import json

        text = json.dumps(page_json(page), indent=2, ensure_ascii=False) + "\n"
    else:
        text = page_markdown(page, _relative(picture, target) if picture is not None else None)
    files = [(target, text)] if target is not None else []
    if picture is not None:
        files.append((picture, timeline_svg(page)))
    if check is not None:
        _check(files, check, svg)
        return
    if target is None:
        render.say(text)  # and the SVG, when --svg names a file for it
    for path, content in files:
        write_atomic(path, content)  # a missing folder is one line and exit 2, as for every --output


def _relative(picture: Path, page: Path | None) -> str:
    """The SVG's name as the page links it: relative to the page's folder, with `/`."""
    base = page.parent if page is not None else Path(".")
    return Path(os.path.relpath(picture.absolute(), base.absolute())).as_posix()


def _check(files: list[tuple[Path, str]], page: Path, svg: Path | None) -> None:
    """Exit 1 when a committed file differs (or is missing), naming the command that updates them."""
    from relmgr.cli import output as render
    from relmgr.files import read_text, unified_diff

    stale = []
    for path, wanted in files:
        found = read_text(path) if path.is_file() else None
        if found != wanted:
            stale.append(path)
            render.say(unified_diff(found, wanted, str(path)))
    if not stale:
        render.say(f"{page} is up to date\n")
        return
    update = f"relmgr docs --output {page}" + (f" --svg {svg}" if svg is not None else "")
    names = " and ".join(str(p) for p in stale)
    render.error(f"{names} {'is' if len(stale) == 1 else 'are'} out of date: run `{update}` and commit the result")
    raise typer.Exit(1)
