"""`changelog`: the whole changelog, every final release's notes, for projects adopting relmgr."""

from __future__ import annotations

from pathlib import Path

import typer

from relmgr.cli.context import exit_with, guarded
from relmgr.cli.help import command
from relmgr.cli.options import DefaultTemplateOption, JsonOption, TemplateOption


def register(app: typer.Typer) -> None:
    command(app, "changelog", [
        ("relmgr changelog -o CHANGELOG.md", "the whole changelog, every final release"),
        ("relmgr changelog --template release.md.j2", "each release rendered with your template"),
        ("relmgr changelog --json", "every release's notes model, as JSON"),
    ])(changelog)


@guarded
def changelog(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, metavar="FILE",
        help="Write the changelog to FILE (replaced whole; `-`: stdout).",
    ),
    template: TemplateOption = None,
    default_template: DefaultTemplateOption = False,
    as_json: JsonOption = False,
) -> None:
    """Write the whole changelog: every final release, greatest version first, each section exactly as
    `relmgr notes TAG` writes it (a release's pre-releases are part of its range), under `# Changelog`.

    Unreleased work is not included: `relmgr notes --changelog FILE` adds it. Without --output the Markdown
    goes to stdout. Each section is the built-in notes template (`--default-template` prints it), or
    `--template FILE`.
    """
    from relmgr.cli.actions.changelog import changelog as body

    exit_with(ctx, body, output=output, template=template, as_json=as_json, default_template=default_template)
