"""`propose`: write the proposal to move an API up a level, with the evidence from the releases."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from relmgr.cli import guarded, state
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from relmgr.config import ApiConfig, Config
    from relmgr.graduation import Proposal
    from relmgr.project import Project
    from relmgr.proposals import Context


def register(app: typer.Typer) -> None:
    app.command("propose")(propose)


@guarded
def propose(
    ctx: typer.Context,
    names: list[str] | None = typer.Argument(
        None, metavar="[API]...", help="The APIs to propose (default: every API below v1, and flagged v1 APIs)."
    ),
    output: Path | None = typer.Option(
        None, "--output", file_okay=False, help="Write one Markdown file per API, DIR/<api>.md (DIR is created)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout instead of Markdown."),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="The date days at a level count to (default: today); set it for reproducible output.",
    ),
) -> None:
    """Write the proposal to move each API one level up (v1alpha → v1beta → v1), with the evidence.

    Each proposal checks time at level, quiet (no breaking change lately), a settled surface, conformance
    tests and deprecated routes, gives a verdict and the `relmgr graduate` command to record the decision.
    It also flags APIs stuck in beta (permabeta) and v1 APIs that keep breaking (stability-risk).
    """
    from relmgr import evidence, files, graduation, proposals, render

    if as_json and output is not None:
        raise UsageError("--json and --output do not combine: --json prints one document on stdout")
    day = _parse_date(today) if today else date.today()
    project = state(ctx).project()
    selected = _select(project.config, names or [])
    gathered = evidence.gather(project, selected)
    at = evidence.default_at(project)
    found: list[Proposal] = []
    for api in selected:
        # surface= stays None until the OpenAPI diff exists: its two criteria read "unknown"
        proposal = graduation.propose(api, gathered[api.name], config=project.config.graduation, today=day, at=at)
        if proposal.to is None and names:
            note = "its flags are reported" if proposal.flags else "and it has no flag"
            render.warn(f"{api.name} is at {api.level}, the top level: no proposal; {note}")
        if proposal.to is not None or proposal.flags:
            found.append(proposal)
    if as_json:
        render.emit_json({"proposals": [proposals.proposal_json(p) for p in found]})
        return
    context = _context(project, day)
    if output is None:
        sys.stdout.write(proposals.render_document(found, context))
        return
    _make_folder(output)
    for proposal in found:
        target = output / f"{_file_name(proposal.api)}.md"
        files.write_atomic(target, proposals.render_file(proposal, context))
        sys.stdout.write(f"{target}\n")
    if not found:
        render.warn("nothing to propose: no API below v1 and no flag; no file written")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today {text!r} is not a date; write YYYY-MM-DD") from None


def _select(config: Config, names: list[str]) -> list[ApiConfig]:
    """The named APIs (in the given order), or every API; unknown names are usage errors."""
    from relmgr import render

    if not names:
        if not config.apis:
            render.warn("no APIs configured: add [tool.relmgr.apis.<name>] tables (see `relmgr apis`)")
        return list(config.apis)
    selected: dict[str, ApiConfig] = {}
    for name in names:
        selected[name] = _known_api(config, name)
    return list(selected.values())


def _known_api(config: Config, name: str) -> ApiConfig:
    api = config.api(name)
    if api is not None:
        return api
    known = ", ".join(a.name for a in config.apis)
    hint = f"known APIs: {known}" if known else "no APIs are configured (see `relmgr apis`)"
    raise UsageError(f"unknown API {name!r}; {hint}")


def _context(project: Project, day: date) -> Context:
    from relmgr.proposals import Context

    latest = project.releases.latest()
    label = f"{latest.tag} ({latest.date.date().isoformat()})" if latest else None
    return Context(today=day, latest=label, repo_url=project.config.repo_url)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {folder}: {exc.strerror}") from None


def _file_name(api: str) -> str:
    """An API name as a file name: anything but letters, digits, `.`, `_` and `-` becomes `_`."""
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in api).lstrip(".") or "_"
