"""`releases`' body: every version tag with its previous release and stream, and the tags skipped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relmgr.cli.state import State
    from relmgr.history.versions import Release


def releases(state: State, *, as_json: bool) -> int:
    from relmgr.cli import output as render

    project = state.project()
    project.repo.require_commits()
    found = project.releases
    if project.repo.is_shallow():
        render.warn("this is a shallow clone: tags beyond its depth are missing; fetch with `fetch-depth: 0`")
    if as_json:
        render.emit_json({
            "releases": [release_json(r) for r in found.releases],
            "skipped": [{"tag": s.tag, "reason": s.reason} for s in found.skipped],
        })
        return 0
    out = render.console()
    if not found.releases:
        out.print(f"No version tags (prefix {project.config.tag_prefix!r}).")
    else:
        grid = render.table("tag", "version", "previous", "stream", "pre-release", "date")
        for r in found.releases:
            grid.add_row(r.tag, r.version.text, r.previous or "-", r.stream.value if r.stream else "-",
                         "yes" if r.prerelease else "", r.date.date().isoformat())
        out.print(grid)
    for skipped in found.skipped:
        out.print(f"skipped {render.escape(skipped.tag)}: {skipped.reason}", style="dim")
    return 0


def release_json(release: Release) -> dict[str, Any]:
    return {
        "tag": release.tag,
        "version": release.version.text,
        "previous": release.previous,
        "stream": release.stream.value if release.stream else None,
        "prerelease": release.prerelease,
        "date": release.date.isoformat(),
    }
