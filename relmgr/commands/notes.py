"""`notes`: the release notes of a release, or of the unreleased work titled with the next version."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from relmgr.cli import guarded, state
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from relmgr.notes import Notes
    from relmgr.project import Project


def register(app: typer.Typer) -> None:
    app.command("notes")(notes)


@guarded
def notes(
    ctx: typer.Context,
    tag: str | None = typer.Argument(
        None, metavar="TAG", help="A release tag: its notes (range previous(TAG)..TAG). "
        "Default: the unreleased work, titled with the next version.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, metavar="FILE", help="Write the notes to FILE."
    ),
    changelog: Path | None = typer.Option(
        None, "--changelog", dir_okay=False, metavar="FILE",
        help="Insert the notes at the top of FILE (below its title), replacing the section of the same "
        "version; creates FILE if missing. Running twice changes nothing.",
    ),
    template: Path | None = typer.Option(
        None, "--template", dir_okay=False, metavar="FILE",
        help="Render FILE, a Jinja2 template (sandboxed), from the JSON model instead of the built-in Markdown.",
    ),
    when: str | None = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="The release date to show (default: the tag's date; today "
        "for unreleased work).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the notes model as one JSON document."),
) -> None:
    """Write release notes: breaking changes by API level, deprecations, API level changes, features, fixes
    and the rest by API, contributors (first-timers marked) and links when `repo-url` is set.

    Without FILE options the Markdown goes to stdout.
    """
    from relmgr import render
    from relmgr.assembly import release_notes
    from relmgr.changelog import render_template
    from relmgr.notes import render_markdown, to_json

    if as_json and (output or changelog or template):
        raise UsageError("--json prints the model on stdout; leave out --output, --changelog and --template")
    day = _parse_date(when)
    source = read_template(template) if template else None
    project = state(ctx).project(progress=not as_json)
    result: Notes | None
    if tag is not None:
        result = release_notes(project, project.release(tag), when=day)
    else:
        result = _unreleased(project, day)
        if result is None:
            return
    if as_json:
        render.emit_json(to_json(result))
        return
    text = render_template(source, result, str(template)) if source is not None else render_markdown(result)
    if output is None and changelog is None:
        typer.echo(text, nl=False)
        return
    if output is not None:
        _write(output, text)
    if changelog is not None:
        _write_changelog(changelog, text, result.version)


def _unreleased(project: Project, day: date | None) -> Notes | None:
    from relmgr.assembly import plan_next, unreleased_notes
    from relmgr.commands.bump import say_nothing_to_release

    plan = plan_next(project)
    if plan.nothing_to_release:
        tag = plan.range.base.tag if plan.range.base else "TAG"
        say_nothing_to_release(plan, f"no notes to write (`relmgr notes {tag}` gives that release's notes)")
        return None
    # the CLI is where time comes in: the core never asks for today
    return unreleased_notes(project, plan, day or date.today())


def _write_changelog(path: Path, section: str, version_text: str) -> None:
    from relmgr import render
    from relmgr.changelog import heading_names, insert_section
    from relmgr.versions import parse_version

    version = parse_version(version_text)
    assert version is not None
    if not heading_names(section, version):
        render.warn(f"the notes do not start with a `## ` heading naming {version}, so --changelog cannot find "
                    "them again: running twice adds them twice")
    existing = _read(path) if path.exists() else None
    _write(path, insert_section(existing, section, version))


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date; write YYYY-MM-DD") from None


def read_template(path: Path) -> str:
    """A `--template` file's text (shared with `changelog`); a missing one is a usage error."""
    if not path.is_file():
        raise UsageError(f"template {path} does not exist; check the --template path")
    return _read(path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


def _write(path: Path, text: str) -> None:
    from relmgr.files import write_atomic

    write_atomic(path, text)
