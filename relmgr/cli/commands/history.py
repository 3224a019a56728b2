"""`releases`, `scan` and `apis`: what relmgr reads from the history and the config."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command

if TYPE_CHECKING:
    from relmgr.history.repository import Project
    from relmgr.history.versions import Release
    from relmgr.policy.apis import Change

JSON_HELP = "Print one JSON document on stdout instead of a table."


def register(app: typer.Typer) -> None:
    command(app, "releases", [
        ("relmgr releases", "every version tag with its previous release and stream"),
        ("relmgr releases --json", "the same as one JSON document"),
        ("relmgr --repo ../widgets releases", "another repository's releases"),
    ])(releases)
    command(app, "scan", [
        ("relmgr scan", "the unreleased work: last release of HEAD to HEAD"),
        ("relmgr scan v0.2.0..v0.3.0", "the commits of the release v0.3.0"),
        ("relmgr scan origin/main..HEAD --json", "a branch's commits, as JSON"),
    ])(scan)
    command(app, "apis", [
        ("relmgr apis", "the APIs, their levels and their routes at HEAD"),
        ("relmgr apis --json", "the same as one JSON document"),
    ])(apis)


@guarded
def releases(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """List every version tag, oldest first, with its previous release and stream (X/Y/Z).

    Tags that are not versions (`stable`, `docs-2024`) are listed as skipped, with the reason.
    """
    from relmgr.cli import output as render

    project = state(ctx).project()
    project.repo.require_commits()
    found = project.releases
    if project.repo.is_shallow():
        render.warn("this is a shallow clone: tags beyond its depth are missing; fetch with `fetch-depth: 0`")
    if as_json:
        render.emit_json({
            "releases": [release_json(r) for r in found.releases],
            "skipped": [{"tag": s.tag, "reason": s.reason} for s in found.skipped],
        })
        return
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


def release_json(release: Release) -> dict[str, Any]:
    return {
        "tag": release.tag,
        "version": release.version.text,
        "previous": release.previous,
        "stream": release.stream.value if release.stream else None,
        "prerelease": release.prerelease,
        "date": release.date.isoformat(),
    }


@guarded
def scan(
    ctx: typer.Context,
    revision_range: str | None = typer.Argument(
        None, metavar="[RANGE]",
        help="A git revision range (v0.2.0..v0.3.0) or a ref (all its history). "
        "Default: the unreleased work, from the last release of HEAD to HEAD.",
    ),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Parse every commit of a range: type, scope, breaking changes, PR, reverts and the APIs it touches."""
    from relmgr.cli import output as render
    from relmgr.cli.progress import terminal_progress

    project = state(ctx).project()
    rng = project.parse_range(revision_range) if revision_range else project.unreleased_range()
    with terminal_progress(enabled=not as_json) as progress:
        changes = project.changes(rng, progress)
    holders = project.first_release_holding([c.commit.sha for c in changes], rng.tip)
    rows = [change_json(project, c, holders.get(c.commit.sha)) for c in changes]
    if as_json:
        render.emit_json({"range": rng.label, "commits": rows})
        return
    _print_scan(project, rng.label, rows)


def change_json(project: Project, change: Change, release: Release | None) -> dict[str, Any]:
    commit, message = change.commit, change.commit.message
    version = release.version if release else None
    return {
        "sha": commit.sha,
        "subject": commit.subject,
        "type": message.type,
        "scope": message.scope,
        "breaking": message.breaking,
        "breaking_notes": list(message.breaking_notes),
        "pr": message.pr,
        "reverted": change.reverted,
        "apis": [
            {"name": m.name, "level": str(project.registry.level_at(m.name, version)), "via": m.via}
            for m in change.apis
        ],
        "author": commit.author,
        "email": commit.email,
        "date": commit.date.isoformat(),
        "release": release.tag if release else None,
        "warnings": list(commit.warnings),
    }


def _print_scan(project: Project, label: str, rows: list[dict[str, Any]]) -> None:
    from relmgr.cli import output as render

    out = render.console()
    breaking = sum(1 for r in rows if r["breaking"] and not r["reverted"])
    out.print(f"{render.escape(label)}: {len(rows)} commits, {breaking} breaking")
    if rows:
        grid = render.table("commit", "type", "scope", "subject", "apis", "flags")
        for r in rows:
            flags = [f for f, on in (("BREAKING", r["breaking"]), ("reverted", r["reverted"])) if on]
            apis = ", ".join(f"{a['name']} ({a['level']}, {a['via']})" for a in r["apis"])
            grid.add_row(r["sha"][:7], r["type"] or "-", render.escape(r["scope"] or ""),
                         render.escape(r["subject"]), apis, " ".join(flags))
        out.print(grid)
    for r in rows:
        for warning in r["warnings"]:
            render.warn(f"{r['sha'][:7]} {r['subject'][:60]!r}: {warning}")


@guarded
def apis(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """List the configured APIs: current level, paths, scopes, level history and their OpenAPI routes at HEAD.

    Routes (from [tool.relmgr.openapi] specs at HEAD) that match no API's `routes` are listed too.
    """
    from relmgr.app.specs import head_operations
    from relmgr.cli import output as render
    from relmgr.spec.surface import route_json, routes_by_api

    project = state(ctx).project()
    config = project.config
    mapped, unmapped = routes_by_api(head_operations(project), project.registry, config.default_level)
    documents: list[dict[str, Any]] = [
        {
            "name": api.name,
            "level": str(api.level),
            "paths": list(api.paths),
            "scopes": list(api.scopes),
            "history": [{"until": h.until.text, "level": str(h.level)} for h in api.history],
            "routes": [route_json(r) for r in mapped[api.name]],
        }
        for api in config.apis
    ]
    if as_json:
        render.emit_json({"apis": documents, "unmapped_routes": [route_json(r) for r in unmapped]})
        return
    out = render.console()
    if not documents:
        source = config.source or "relmgr.toml or [tool.relmgr] in pyproject.toml"
        out.print(render.escape(f"No APIs configured (config: {source}). Add [tool.relmgr.apis.<name>] tables."))
    else:
        grid = render.table("api", "level", "paths", "scopes", "history", "routes")
        for d in documents:
            history = ", ".join(f"{h['level']} until {h['until']}" for h in d["history"])
            grid.add_row(d["name"], d["level"], "\n".join(d["paths"]), ", ".join(d["scopes"]), history,
                         str(len(d["routes"])))
        out.print(grid)
    _print_routes(documents, [route_json(r) for r in unmapped])


def _print_routes(documents: list[dict[str, Any]], unmapped: list[dict[str, Any]]) -> None:
    """The routes at HEAD per API, then the ones no API claims (to map with `routes`)."""
    from relmgr.cli import output as render

    out = render.console()
    rows = [(d["name"], r) for d in documents for r in d["routes"]]
    for title, listed in (("Routes at HEAD", rows),
                          ("Routes that match no API (add them to an API's `routes`)", [("-", r) for r in unmapped])):
        if not listed:
            continue
        grid = render.table("api", "route", "level", "deprecated", title=title)
        for name, r in listed:
            grid.add_row(name, render.escape(f"{r['method']} {r['path']}"), r["level"],
                         "yes" if r["deprecated"] else "")
        out.print(grid)
