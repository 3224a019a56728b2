"""Release notes as Markdown: the built-in rendering of a `Notes` model (pure: model in, text out)."""

from __future__ import annotations

from collections.abc import Callable

from relmgr.notes.links import commit_base, commit_url, pr_base, pr_url
from relmgr.notes.model import Breaking, Entry, LevelShift, Notes, Removal
from relmgr.policy.levels import Level
from relmgr.text import escape_controls


def render_markdown(notes: Notes) -> str:
    """The notes as a changelog section (`## [0.3.0](compare) - 2024-05-02`); same notes, same bytes."""
    title = f"[{notes.version}]({notes.compare_url})" if notes.compare_url else notes.version
    blocks = [f"## {title} - {notes.date.isoformat()}"]
    if notes.breaking:
        blocks.append("### ⚠ Breaking changes")
        blocks.extend(_breaking_blocks(notes))
    if notes.deprecations:
        blocks.append("### Deprecations")
        blocks.append("\n".join(
            _bullet(_prefix(d.entry) + _indent(d.text).lstrip() + _detected_in_spec(d.operation)
                    + _refs(notes, d.entry))
            for d in notes.deprecations
        ))
    if notes.removed:
        blocks.append("### Removed")
        blocks.append("\n".join(_bullet(_removal(notes, r)) for r in notes.removed))
    if notes.level_changes:
        blocks.append("### API level changes")
        blocks.append("\n".join(_shift(s) for s in notes.level_changes))
    line = _lines(notes)
    for section in notes.sections:
        blocks.append(f"### {section.title}")
        blocks.append("\n".join(["- " + line(e) for e in section.entries]))
    if notes.empty:
        blocks.append("No changes.")
    if notes.contributors:
        blocks.append("### Contributors")
        blocks.append("\n".join(
            f"- {c.name}" + (" (first contribution)" if c.first_time else "") for c in notes.contributors
        ))
    if notes.compare_url:
        blocks.append(f"**Full changelog**: {notes.compare_url}")
    return escape_controls("\n\n".join(blocks) + "\n")  # commit text can hold escape sequences


def _breaking_blocks(notes: Notes) -> list[str]:
    blocks: list[str] = []
    group: Level | str | None = ""  # "" before the first group
    for item in notes.breaking:
        if item.level != group:
            group = item.level
            blocks.append(f"#### {item.level}" if item.level is not None else "#### Not tied to an API")
        line = _line(notes, item.entry, group=item.level) if item.detected is None else _detected(notes, item)
        text = _bullet(line)
        for note in item.notes:  # a nested block of the list item: Markdown kept, one indent deeper
            text += "\n\n" + _indent(note)
        blocks.append(text)
    return blocks


def _detected(notes: Notes, item: Breaking) -> str:
    """`**files**: `DELETE /v1/files/{id}`: removed the operation … — detected in the OpenAPI spec (…)`."""
    found = item.detected
    assert found is not None
    why = [f"`{found.check}`"]
    if not found.declared:
        why.append("not declared in its commit message" if found.attributed else "not attributable to one commit")
    what = f"`{found.operation}`: {item.entry.description}"
    where = "the Python API" if found.source == "python" else "the OpenAPI spec"
    return f"{_prefix(item.entry, item.level)}{what} — detected in {where} ({', '.join(why)})" + _refs(
        notes, item.entry)


def _detected_in_spec(operation: str | None) -> str:
    return "" if operation is None else " — detected in the OpenAPI spec"


def _removal(notes: Notes, removal: Removal) -> str:
    """`**files**: `DELETE /v1/files/{id}`, deprecated in v0.4.0 (#12) (a1b2c3d)`."""
    since = f"deprecated in {removal.deprecated_in}" if removal.deprecated_in else "deprecated before"
    sunset = f", sunset {removal.sunset}" if removal.sunset else ""
    return f"{_prefix(removal.entry)}`{removal.operation}`, {since}{sunset}" + _refs(notes, removal.entry)


def _shift(shift: LevelShift) -> str:
    """`- files: v1beta → v1`, with the routes that moved (as the OpenAPI spec shows them) nested below."""
    moved = "".join(f"\n  - `{operation}`" for operation in shift.operations)
    return f"- {shift.api}: {shift.before} → {shift.after}{moved}"


def _line(notes: Notes, entry: Entry, group: Level | None = None) -> str:
    return _prefix(entry, group) + entry.description + _refs(notes, entry)


def _lines(notes: Notes) -> Callable[[Entry], str]:
    """`_line` for a section's entries (no group), with what repeats worked out once (a changelog writes 10⁵
    lines): the prefix of each API set (entries share their `apis` tuples) and the links' beginnings."""
    prefixes: dict[int, str] = {}
    pulls, commits = pr_base(notes.repo_url), commit_base(notes.repo_url)

    def line(entry: Entry) -> str:
        if not entry.apis:
            prefix = f"{entry.scope}: " if entry.scope else ""
        elif (prefix := prefixes.get(id(entry.apis), "")) == "":
            prefix = prefixes[id(entry.apis)] = _prefix(entry)
        refs = ""
        if entry.pr is not None:
            refs = f" ([#{entry.pr}]({pulls}{entry.pr}))" if pulls else f" (#{entry.pr})"
        short = entry.sha[:7]
        refs += f" ([{short}]({commits}{entry.sha}))" if commits else f" ({short})"
        return prefix + entry.description + refs

    return line


def _prefix(entry: Entry, group: Level | None = None) -> str:
    """`**files**, **batches** (v1alpha): ` — levels only where they differ from the group's heading."""
    if not entry.apis:
        return f"{entry.scope}: " if entry.scope else ""
    names = [f"**{a.name}**" + ("" if group is None or a.level == group else f" ({a.level})") for a in entry.apis]
    return ", ".join(names) + ": "


def _refs(notes: Notes, entry: Entry) -> str:
    refs = ""
    if entry.pr is not None:
        url = pr_url(notes.repo_url, entry.pr)
        refs += f" ([#{entry.pr}]({url}))" if url else f" (#{entry.pr})"
    url = commit_url(notes.repo_url, entry.sha)
    short = entry.sha[:7]
    return refs + (f" ([{short}]({url}))" if url else f" ({short})")


def _bullet(text: str) -> str:
    return "- " + text


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line.strip() else "" for line in text.split("\n"))
