"""`releases`' body: every version tag with its previous release and stream, and the tags skipped (of each
package, with --package or --all-packages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relmgr.cli.state import State
    from relmgr.history.repository import Project
    from relmgr.history.versions import Release, Skipped


def releases(state: State, *, as_json: bool, package: str | None = None, all_packages: bool = False) -> int:
    from relmgr.app.packages import scoped
    from relmgr.cli import output as render

    root = state.project()
    root.repo.require_commits()
    if root.repo.is_shallow():
        render.warn("this is a shallow clone: tags beyond its depth are missing; fetch with `fetch-depth: 0`")
    scopes = scoped(root, package, all_packages, "releases")
    if as_json:
        documents = [_releases_json(s.project, s.package) | ({"package": s.package} if s.package else {})
                     for s in scopes]
        render.emit_json({"packages": documents} if all_packages else documents[0])
        return 0
    for scope in scopes:
        if scope.package is not None and len(scopes) > 1:
            render.console().print(f"package {scope.package} (tags {scope.project.config.tag_prefix}X.Y.Z):")
        _print_releases(scope.project, scope.package)
    return 0


def _skipped(project: Project, package: str | None) -> list[Skipped]:
    """The tags skipped, with why; a package's list leaves out the tags of other prefixes (other packages')."""
    found = project.releases.skipped
    if package is None:
        return list(found)
    return [s for s in found if not s.reason.startswith("does not start with the tag prefix")]


def _releases_json(project: Project, package: str | None) -> dict[str, Any]:
    return {
        "releases": [release_json(r) for r in project.releases.releases],
        "skipped": [{"tag": s.tag, "reason": s.reason} for s in _skipped(project, package)],
    }


def _print_releases(project: Project, package: str | None) -> None:
    from relmgr.cli import output as render

    found = project.releases
    out = render.console()
    if not found.releases:
        out.print(f"No version tags (prefix {project.config.tag_prefix!r}).")
    else:
        grid = render.table("tag", "version", "previous", "stream", "pre-release", "date")
        for r in found.releases:
            grid.add_row(r.tag, r.version.text, r.previous or "-", r.stream.value if r.stream else "-",
                         "yes" if r.prerelease else "", r.date.date().isoformat())
        out.print(grid)
    for skipped in _skipped(project, package):
        out.print(f"skipped {render.escape(skipped.tag)}: {skipped.reason}", style="dim")


def release_json(release: Release) -> dict[str, Any]:
    return {
        "tag": release.tag,
        "version": release.version.text,
        "previous": release.previous,
        "stream": release.stream.value if release.stream else None,
        "prerelease": release.prerelease,
        "date": release.date.isoformat(),
    }
