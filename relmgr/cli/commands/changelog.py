"""`changelog`: the whole changelog, every final release's notes, for projects adopting relmgr."""

from __future__ import annotations

from pathlib import Path

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import DefaultTemplateOption, JsonOption, TemplateOption
from relmgr.errors import UsageError


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
    from relmgr.app.notes import changelog_notes
    from relmgr.cli import output as render
    from relmgr.cli.progress import terminal_progress
    from relmgr.files import read_template
    from relmgr.notes.changelog import NEW_CHANGELOG
    from relmgr.notes.model import to_json
    from relmgr.notes.templates import NOTES, render_notes

    if default_template:
        given = {"--output": output, "--template": template, "--json": as_json}
        render.default_template(NOTES, (name for name, value in given.items() if value))
        return
    if as_json and (output or template):
        raise UsageError("--json prints the model on stdout; leave out --output and --template")
    source = read_template(template) if template else None
    project = state(ctx).project()
    project.repo.require_commits()
    project.repo.require_full_history()  # a shallow clone would look like a history without releases
    with terminal_progress(enabled=not as_json) as progress:
        releases = changelog_notes(project, progress)
    if as_json:
        render.emit_json({"releases": [to_json(n) for n in releases]})
        return
    if not releases:
        render.note(f"no final releases yet (tag prefix {project.config.tag_prefix!r}), so no changelog to write; "
                    "`relmgr notes` shows the unreleased work")
        return
    sections = [render_notes(n, source, str(template)) for n in releases]
    text = NEW_CHANGELOG + "\n".join(section.rstrip("\n") + "\n" for section in sections)
    if output is None:
        render.say(text)
    else:
        render.write_output(output, text)
