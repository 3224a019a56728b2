"""`releases`, `scan` and `apis`: what relmgr reads from the history and the config."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import exit_with, guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import AllPackagesOption, PackageOption

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
def releases(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
             package: PackageOption = None, all_packages: AllPackagesOption = False) -> None:
    """List every version tag, oldest first, with its previous release and stream (X/Y/Z).

    Tags that are not versions (`stable`, `docs-2024`) are listed as skipped, with the reason. Packages
    released on their own: --package NAME lists that package's tags (its tag-prefix), --all-packages each's.
    """
    from relmgr.cli.actions.history import releases as body

    exit_with(ctx, body, as_json=as_json, package=package, all_packages=all_packages)


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
def apis(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
         deprecations: bool = typer.Option(
             False, "--deprecations",
             help="List every deprecated operation at HEAD instead: the release it was deprecated in, its sunset "
             "and the first release that may remove it.")) -> None:
    """List the configured APIs: current level, paths, scopes, level history and their OpenAPI routes at HEAD.

    Routes (from [tool.relmgr.openapi] specs at HEAD) that match no API's `routes` are listed too, and the
    renames relmgr follows (files and folders the config names, under the names they had at older releases).
    An API whose routes carry another level in the spec than its config says is warned about, with the
    `relmgr graduate` command that records it.
    """
    from relmgr.app.specs import head_operations
    from relmgr.cli import output as render
    from relmgr.spec.surface import route_json, routes_by_api

    project = state(ctx).project()
    if deprecations:
        _print_deprecations(project, as_json)
        return
    config = project.config
    renames = _followed_renames(project)
    mapped, unmapped = routes_by_api(head_operations(project), project.registry, config.default_level)
    _warn_levels(project)
    documents: list[dict[str, Any]] = [
        {
            "name": api.name,
            "level": str(api.level),
            "paths": list(api.paths),
            "scopes": list(api.scopes),
            "history": [{"until": h.until.text, "level": str(h.level)} for h in api.history],
            "routes": [route_json(r) for r in mapped[api.name]],
            "python": list(api.python),
            "python_paths": list(api.python_paths),
            "providers": [{"name": p.name, "maturity": p.maturity, "paths": list(p.paths)} for p in api.providers],
        }
        for api in config.apis
    ]
    if as_json:
        found: dict[str, Any] = {"apis": documents, "unmapped_routes": [route_json(r) for r in unmapped]}
        if renames is not None:
            found["renames"] = [{"from": old, "to": new} for old, new in renames]
        render.emit_json(found)
        return
    _print_apis(project, documents, [route_json(r) for r in unmapped], renames or [])


def _print_apis(project: Project, documents: list[dict[str, Any]], unmapped: list[dict[str, Any]],
                renames: list[tuple[str, str]]) -> None:
    from relmgr.cli import output as render

    out = render.console()
    if not documents:
        source = project.config.source or "relmgr.toml or [tool.relmgr] in pyproject.toml"
        out.print(render.escape(f"No APIs configured (config: {source}). Add [tool.relmgr.apis.<name>] tables."))
    else:
        python = any(d["python"] for d in documents)  # a column only for configs that name packages
        grid = render.table("api", "level", "paths", "scopes", "history", "routes", *(("python",) if python else ()))
        for d in documents:
            history = ", ".join(f"{h['level']} until {h['until']}" for h in d["history"])
            grid.add_row(d["name"], d["level"], "\n".join(d["paths"]), ", ".join(d["scopes"]), history,
                         str(len(d["routes"])), *(("\n".join(d["python"]),) if python else ()))
        out.print(grid)
    _print_routes(documents, unmapped)
    if renames:
        grid = render.table("name at older releases", "name now", title="Renames followed")
        for old, new in renames:
            grid.add_row(render.escape(old), render.escape(new))
        out.print(grid)


def _followed_renames(project: Project) -> list[tuple[str, str]] | None:
    """The renames relmgr follows for the configured specs and API folders (None: no configured name is
    missing at any release, so none are looked for)."""
    if not project.repo.has_commits():
        return None
    releases = sorted(project.releases.releases, key=lambda r: r.date)
    renames = project.follow_renames([*(r.sha for r in releases), "HEAD"])
    if not renames:
        return [] if project.renames_looked_for else None
    return renames.listed((*project.config.openapi.specs, *project.api_folders()))


def _warn_levels(project: Project) -> None:
    """An API whose routes carry another level in the spec at HEAD than its config: the command that aligns it."""
    from relmgr.app.evidence import default_at
    from relmgr.app.lifecycle import level_reached, route_levels
    from relmgr.app.specs import head_operations

    apis = [api for api in project.config.apis if api.routes]
    if not apis or not project.config.openapi.specs:
        return
    levels = route_levels(project, head_operations(project))
    wrong = {api.name: max(levels[api.name]) for api in apis
             if levels.get(api.name) and api.level not in levels[api.name]}
    if not wrong:
        return
    reached = level_reached(project, wrong)
    latest = project.releases.latest()
    for api in apis:
        level = wrong.get(api.name)
        if level is None:
            continue
        since = reached.get(api.name)
        at = since.version if since is not None else default_at(project)
        force = " --force" if (latest is not None and at <= latest.version) or level < api.level else ""
        where = f"since {since.tag}" if since is not None else "at HEAD, not released yet"
        project.warnings.append(
            f"{api.name} is configured {api.level}, but its routes are {level} in the OpenAPI spec ({where}); "
            f"to record it: relmgr graduate {api.name} --to {level} --at {at}{force}")


def _print_deprecations(project: Project, as_json: bool) -> None:
    """`apis --deprecations`: every deprecated operation at HEAD, with its lifecycle."""
    from relmgr.app.lifecycle import head_deprecations
    from relmgr.cli import output as render

    rows: list[dict[str, Any]] = [
        {
            "operation": f"{d.operation.method} {d.operation.path}",
            "method": d.operation.method,
            "path": d.operation.path,
            "level": str(d.level),
            "apis": [a.name for a in d.apis],
            "deprecated_in": d.record.since,
            "deprecated_on": d.record.since_date.isoformat() if d.record.since_date else None,
            "sunset": d.operation.sunset,
            "removable_in": d.removable_in.text if d.removable_in else None,
            "removable_from": d.removable_from.isoformat() if d.removable_from else None,
        }
        for d in head_deprecations(project)
    ]
    if as_json:
        render.emit_json({"deprecations": rows})
        return
    out = render.console()
    if not rows:
        out.print("No deprecated operation in the OpenAPI specs at HEAD.")
        return
    grid = render.table("operation", "level", "apis", "deprecated in", "sunset", "removable in",
                        title="Deprecated operations at HEAD")
    for r in rows:
        since = f"{r['deprecated_in']} ({r['deprecated_on']})" if r["deprecated_in"] else "unreleased"
        removable = (r["removable_in"] or "-") + (f", from {r['removable_from']}" if r["removable_from"] else "")
        grid.add_row(render.escape(r["operation"]), r["level"], ", ".join(r["apis"]), since, r["sunset"] or "-",
                     removable)
    out.print(grid)


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
