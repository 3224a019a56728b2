"""`notes`' body: a release's notes, or the unreleased work's titled with the next version (of one package
or each), as Markdown (built in or a user's template), JSON, or written into a file or a changelog."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from relmgr.cli.values import parse_date
from relmgr.errors import UsageError
from relmgr.files import read_template, read_text, regular_or_missing, write_atomic

if TYPE_CHECKING:
    from relmgr.app.packages import Scoped
    from relmgr.cli.state import State
    from relmgr.notes.model import Notes


def notes(state: State, *, tag: str | None, output: Path | None, changelog: Path | None, template: Path | None,
          when: str | None, as_json: bool, package: str | None = None, all_packages: bool = False,
          default_template: bool = False) -> int:
    from relmgr.app.notes import release_notes
    from relmgr.app.packages import scoped
    from relmgr.cli import output as render
    from relmgr.notes.model import to_json
    from relmgr.notes.templates import NOTES, render_notes

    if default_template:
        given = {"TAG": tag, "--output": output, "--changelog": changelog, "--template": template, "--date": when,
                 "--json": as_json, "--package": package, "--all-packages": all_packages}
        render.default_template(NOTES, (name for name, value in given.items() if value))
        return 0
    if as_json and (output or changelog or template):
        raise UsageError("--json prints the model on stdout; leave out --output, --changelog and --template")
    day = parse_date(when, "--date") if when is not None else None
    source = read_template(template) if template else None
    if all_packages and (tag is not None or output or changelog):
        raise UsageError("--all-packages writes each package's unreleased notes to stdout; for a TAG, --output "
                         "or --changelog pick one package with --package NAME")
    root = state.project(progress=not as_json)
    found: list[tuple[str | None, Notes]] = []
    for scope in scoped(root, package, all_packages, "notes", lockstep_package=True):
        project = scope.project
        result = (release_notes(project, project.release(tag), when=day) if tag is not None
                  else _unreleased(scope, day))
        if result is not None:
            found.append((scope.package, result))
    if as_json and all_packages:
        render.emit_json({"packages": [{"package": name, **to_json(notes)} for name, notes in found]})
        return 0
    if not found:
        return 0
    if all_packages:
        render.say("\n".join(render_notes(notes, source, str(template)) for _, notes in found))
        return 0
    result = found[0][1]
    if as_json:
        render.emit_json(to_json(result))
        return 0
    text = render_notes(result, source, str(template))
    if output is None and changelog is None:
        render.say(text)
        return 0
    if output is not None:
        render.write_output(output, text)
    if changelog is not None:
        _write_changelog(changelog, text, result.version)
    return 0


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
