"""`propose` and `graduate`: write the proposal to move an API up a level, and record the team's decision."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from relmgr import files
from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import DefaultTemplateOption, TemplateOption
from relmgr.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from relmgr.config.edit import Refusal
    from relmgr.config.model import ApiConfig, Config
    from relmgr.graduation.criteria import Proposal
    from relmgr.graduation.document import Context
    from relmgr.history.repository import Project
    from relmgr.history.versions import Version
    from relmgr.policy.levels import Level


def register(app: typer.Typer) -> None:
    command(app, "propose", [
        ("relmgr propose", "every API below v1, and the flagged v1 APIs"),
        ("relmgr propose files --json", "the evidence for files, as JSON"),
        ("relmgr propose --output proposals", "one Markdown file per API, proposals/<api>.md"),
        ("relmgr propose --template proposal.md.j2", "rendered with your copy of --default-template"),
    ])(propose)
    command(app, "graduate", [
        ("relmgr graduate files --to v1", "files is v1 from the next minor release"),
        ("relmgr graduate files --to v1 --at 0.9.0 --dry-run", "print the diff, write nothing"),
        ("relmgr graduate files --to v1beta --force", "a demotion, recorded anyway"),
    ])(graduate)


@guarded
def propose(
    ctx: typer.Context,
    names: list[str] | None = typer.Argument(
        None, metavar="[API...]", help="The APIs to propose (default: every API below v1, and flagged v1 APIs)."
    ),
    output: Path | None = typer.Option(
        None, "--output", metavar="DIR", file_okay=False,
        help="Write one Markdown file per API, DIR/<api>.md (DIR is created).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout instead of Markdown."),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="The date days at a level count to (default: today); set it for reproducible output.",
    ),
    template: TemplateOption = None,
    default_template: DefaultTemplateOption = False,
) -> None:
    """Write the proposal to move each API one level up (v1alpha → v1beta → v1), with the evidence.

    Each proposal checks time at level, quiet (no breaking change lately), a settled surface, conformance
    tests and deprecated routes, gives a verdict and the `relmgr graduate` command to record the decision.
    It also flags APIs stuck in beta (permabeta) and v1 APIs that keep breaking (stability-risk).

    The Markdown is the built-in template (`--default-template` prints it); `--template FILE` renders a
    copy you changed instead, for the document and for each `--output` file.
    """
    from relmgr.app import evidence as evidence
    from relmgr.cli import output as render
    from relmgr.graduation import document as proposals
    from relmgr.notes.templates import PROPOSAL

    if default_template:
        given = {"API": names, "--output": output, "--json": as_json, "--today": today, "--template": template}
        render.default_template(PROPOSAL, (name for name, value in given.items() if value))
        return
    if as_json and output is not None:
        raise UsageError("--json and --output do not combine: --json prints one document on stdout")
    source = _template_source(template, as_json)
    day = _parse_date(today) if today else date.today()
    project = state(ctx).project(progress=not as_json)
    selected = _select(project.config, names or [])
    every, _ = evidence.proposals(project, selected, day)
    found: list[Proposal] = []
    for api in selected:
        proposal = every[api.name]
        if proposal.to is None and names:
            note = "its flags are reported" if proposal.flags else "it has no flag either"
            render.warn(f"{api.name} is at {api.level}, the top level: no proposal; {note}")
        if proposal.to is not None or proposal.flags:
            found.append(proposal)
    if as_json:
        render.emit_json({"proposals": [proposals.proposal_json(p) for p in found]})
    elif output is None:
        render.say(proposals.render_document(found, _context(project, day), source, str(template)))
    else:
        _write_files(found, _context(project, day), output, (source, str(template)))


def _template_source(template: Path | None, as_json: bool) -> str | None:
    """The `--template` file's text; None: the built-in template. --json prints no Markdown to template."""
    if template is None:
        return None
    if as_json:
        raise UsageError("--json prints the model on stdout; leave out --template")
    return files.read_template(template)


def _write_files(found: list[Proposal], context: Context, folder: Path, template: tuple[str | None, str]) -> None:
    """One Markdown file per API, `folder/<api>.md`; prints the paths written."""
    from relmgr.cli import output as render
    from relmgr.graduation import document as proposals

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {folder}: {exc.strerror}") from None
    for proposal in found:
        target = folder / f"{_file_name(proposal.api)}.md"
        files.write_atomic(target, proposals.render_file(proposal, context, *template))  # escaped: render()
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
    from relmgr.cli import output as render

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
    from relmgr.graduation.document import Context

    latest = project.releases.latest()
    return Context(today=day, latest=(latest.tag, latest.date.date()) if latest else None,
                   repo_url=project.config.repo_url)


def _file_name(api: str) -> str:
    """An API name as a file name: anything but letters, digits, `.`, `_` and `-` becomes `_`."""
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in api).lstrip(".") or "_"


@guarded
def graduate(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="API", help="The API whose level the team decided to change."),
    to: str = typer.Option(..., "--to", metavar="LEVEL", help="The new level: v1beta, v1 (v2alpha …)."),
    at: str | None = typer.Option(
        None, "--at", metavar="VERSION",
        help="The first version at the new level (default: the next minor release after the latest release).",
    ),
    force: bool = typer.Option(False, "--force", help="Record a demotion, a skipped level or a past --at anyway."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the change as a diff; write nothing."),
) -> None:
    """Record a graduation decision in the config file: set `level`, append the old level to `history`.

    Comments and formatting outside the API's table stay byte for byte; the change is printed as a diff.
    Refuses (exit 2) a demotion, a skipped level and an --at at or below the latest release, unless --force.
    """
    from relmgr.app import evidence as evidence
    from relmgr.cli import output as render
    from relmgr.config import edit as config_edit

    project = state(ctx).project()
    config = project.config
    if config.source is None:
        raise ConfigError("no config file to record the decision in; run `relmgr init` or create relmgr.toml")
    api = _known_api(config, name)
    level = _parse_level(to)
    latest = evidence.latest_version(project)
    when = _parse_version(at, config.tag_prefix) if at else evidence.default_at(project)
    _refuse(config_edit.check_decision(api, level, when, latest), force)
    source = config.source
    old = _read(source)
    new = config_edit.record_level(old, api=api.name, nested=config.in_pyproject, level=level, until=when,
                                   previous=api.level, source=str(source))
    _validate(new, config)
    render.say(files.unified_diff(old, new, _shown(source, project.repo.root)))
    if dry_run:
        render.warn(f"dry run: {source} not changed")
        return
    files.write_atomic(source, new)
    sys.stderr.write(f"relmgr: recorded {api.name}: {api.level} → {level} from {when} in {source}\n")


def _parse_level(text: str) -> Level:
    from relmgr.policy.levels import Level

    try:
        return Level.parse(text)
    except ValueError:
        raise UsageError(f"--to {text!r} is not a level; use v1alpha, v1beta, v1 (or v2alpha, v2beta, v2 …)") from None


def _parse_version(text: str, prefix: str) -> Version:
    from relmgr.history.versions import parse_version

    bare = text[len(prefix):] if prefix and text.startswith(prefix) else text
    version = parse_version(bare)
    if version is None:
        raise UsageError(f"--at {text!r} is not a version; write it like 0.9.0")
    return version


def _refuse(refusals: list[Refusal], force: bool) -> None:
    from relmgr.cli import output as render

    blocking = [r for r in refusals if not r.forceable or not force]
    if blocking:
        hint = "; pass --force to record it anyway" if all(r.forceable for r in blocking) else ""
        raise UsageError("; ".join(r.reason for r in blocking) + hint)
    for refusal in refusals:
        render.warn(f"--force: {refusal.reason}")


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")  # bytes: keep CRLF line ends as they are
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None


def _validate(text: str, config: Config) -> None:
    """The edited text must still be a valid config, read the way `load_config` reads it."""
    import tomllib

    from relmgr.config.load import parse_config

    document = tomllib.loads(text)
    table = document["tool"]["relmgr"] if config.in_pyproject else document
    parse_config(table, source=config.source, prefix="tool.relmgr" if config.in_pyproject else "",
                 in_pyproject=config.in_pyproject)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
