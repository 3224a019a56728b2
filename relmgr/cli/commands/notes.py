"""`notes`: the release notes of a release, or of the unreleased work titled with the next version."""

from __future__ import annotations

from pathlib import Path

import typer

from relmgr.cli.context import exit_with, guarded
from relmgr.cli.help import command
from relmgr.cli.options import AllPackagesOption, DefaultTemplateOption, JsonOption, PackageOption, TemplateOption


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
    from relmgr.cli.actions.notes import notes as body

    exit_with(ctx, body, tag=tag, output=output, changelog=changelog, template=template, when=when,
              as_json=as_json, package=package, all_packages=all_packages, default_template=default_template)
