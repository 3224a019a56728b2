"""`notes`: the release notes of a release, or of the unreleased work titled with the next version."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import (
    AllPackagesOption,
    DefaultTemplateOption,
    JsonOption,
    PackageOption,
    TemplateOption,
    parse_date,
)
from relmgr.errors import UsageError
from relmgr.files import read_template, read_text, regular_or_missing, write_atomic

if TYPE_CHECKING:
    from relmgr.app.packages import Scoped
    from relmgr.notes.model import Notes


def register(app: typer.Typer) -> None:
    command(app, "notes", [
        ("relmgr notes v0.3.0", "the notes of the release v0.3.0, on stdout"),
        ("relmgr notes --changelog CHANGELOG.md", "the unreleased work on top of the changelog"),
        ("relmgr notes --default-template", "the built-in template, to copy and change"),
        ("relmgr notes v0.3.0 --template notes.md.j2 -o notes.md", "rendered with your template"),
    ])(notes)


@guarded
def notes(
    ctx: typer.Context,
    tag: str | None = typer.Argument(
        None, metavar="[TAG]", help="A release tag: its notes (range previous(TAG)..TAG). "
        "Default: the unreleased work, titled with the next version.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, metavar="FILE", help="Write the notes to FILE (`-`: stdout)."
    ),
    changelog: Path | None = typer.Option(
        None, "--changelog", dir_okay=False, metavar="FILE",
        help="Insert the notes at the top of FILE (below its title), replacing the section of the same "
        "version; creates FILE if missing. Running twice changes nothing.",
    ),
    template: TemplateOption = None,
    default_template: DefaultTemplateOption = False,
    when: str | None = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="The release date to show (default: the tag's date; today "
        "for unreleased work).",
    ),
    as_json: JsonOption = False,
    package: PackageOption = None,
    all_packages: AllPackagesOption = False,
) -> None:
    """Write release notes: breaking changes by API level, deprecations, API level changes, features, fixes
    and the rest by API, contributors (first-timers marked) and links when `repo-url` is set.

    Without FILE options the Markdown goes to stdout. With [tool.relmgr.packages], --package NAME writes the
    notes of that package's commits (those touching its paths; TAG is one of its tags when it releases on
    its own), --all-packages each package's unreleased notes. The Markdown is the built-in
    template (`--default-template` prints it); `--template FILE` renders a copy you changed instead.
    """
    from relmgr.app.notes import release_notes
    from relmgr.app.packages import scoped
    from relmgr.cli import output as render
    from relmgr.notes.model import to_json
    from relmgr.notes.templates import NOTES, render_notes

    if default_template:
        given = {"TAG": tag, "--output": output, "--changelog": changelog, "--template": template, "--date": when,
                 "--json": as_json, "--package": package, "--all-packages": all_packages}
        render.default_template(NOTES, (name for name, value in given.items() if value))
        return
    if as_json and (output or changelog or template):
        raise UsageError("--json prints the model on stdout; leave out --output, --changelog and --template")
    day = parse_date(when, "--date") if when is not None else None
    source = read_template(template) if template else None
    if all_packages and (tag is not None or output or changelog):
        raise UsageError("--all-packages writes each package's unreleased notes to stdout; for a TAG, --output "
                         "or --changelog pick one package with --package NAME")
    root = state(ctx).project(progress=not as_json)
    found: list[tuple[str | None, Notes]] = []
    for scope in scoped(root, package, all_packages, "notes", lockstep_package=True):
        project = scope.project
        result = (release_notes(project, project.release(tag), when=day) if tag is not None
                  else _unreleased(scope, day))
        if result is not None:
            found.append((scope.package, result))
    if as_json and all_packages:
        render.emit_json({"packages": [{"package": name, **to_json(notes)} for name, notes in found]})
        return
    if not found:
        return
    if all_packages:
        render.say("\n".join(render_notes(notes, source, str(template)) for _, notes in found))
        return
    result = found[0][1]
    if as_json:
        render.emit_json(to_json(result))
        return
    text = render_notes(result, source, str(template))
    if output is None and changelog is None:
        render.say(text)
        return
    if output is not None:
        render.write_output(output, text)
    if changelog is not None:
        _write_changelog(changelog, text, result.version)


def _unreleased(scope: Scoped, day: date | None) -> Notes | None:
    from relmgr.app.notes import unreleased_notes
    from relmgr.cli.output import say_nothing_to_release

    project = scope.project
    plan = scope.plan()
    if plan.nothing_to_release:
        tag = plan.range.base.tag if plan.range.base else "TAG"
        say_nothing_to_release(plan, f"no notes to write (`relmgr notes {tag}` gives that release's notes)")
        return None
    # the CLI is where time comes in: the core never asks for today
    return unreleased_notes(project, plan, day or date.today())


def _write_changelog(path: Path, section: str, version_text: str) -> None:
    from relmgr.cli import output as render
    from relmgr.history.versions import parse_version
    from relmgr.notes.changelog import heading_names, insert_section

    version = parse_version(version_text)
    assert version is not None
    if not heading_names(section, version):
        render.warn(f"the notes do not start with a `## ` heading naming {version}, so --changelog cannot find "
                    "them again: running twice adds them twice")
    regular_or_missing(path, "--changelog")
    existing = read_text(path) if path.exists() else None
    write_atomic(path, insert_section(existing, section, version))
