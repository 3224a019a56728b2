"""`changelog`'s body: every final release's notes, greatest version first, under `# Changelog`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relmgr.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from relmgr.cli.state import State


def changelog(state: State, *, output: Path | None, template: Path | None, as_json: bool,
              default_template: bool = False) -> int:
    from relmgr.app.notes import changelog_notes
    from relmgr.cli import output as render
    from relmgr.files import read_template
    from relmgr.notes.changelog import NEW_CHANGELOG
    from relmgr.notes.model import to_json
    from relmgr.notes.templates import NOTES, render_notes

    if default_template:
        given = {"--output": output, "--template": template, "--json": as_json}
        render.default_template(NOTES, (name for name, value in given.items() if value))
        return 0
    if as_json and (output or template):
        raise UsageError("--json prints the model on stdout; leave out --output and --template")
    source = read_template(template) if template else None
    project = state.project(progress=not as_json)  # the spec phases report through the project
    project.repo.require_commits()
    project.repo.require_full_history()  # a shallow clone would look like a history without releases
    releases = changelog_notes(project, project.progress)
    if as_json:
        render.emit_json({"releases": [to_json(n) for n in releases]})
        return 0
    if not releases:
        render.note(f"no final releases yet (tag prefix {project.config.tag_prefix!r}), so no changelog to write; "
                    "`relmgr notes` shows the unreleased work")
        return 0
    sections = []
    for count, notes in enumerate(releases, 1):
        if project.progress is not None:
            project.progress("rendering the notes", count, len(releases))
        sections.append(render_notes(notes, source, str(template)))
    state.close()  # the bar erased before the text comes
    text = NEW_CHANGELOG + "\n".join(section.rstrip("\n") + "\n" for section in sections)
    if output is None:
        render.say(text)
    else:
        render.write_output(output, text)
    return 0
