"""`init`: write a starter `[tool.relmgr]` config detected from the repository (never over an existing one)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from relmgr.history.git import GitRepo
    from relmgr.init.detect import Detected


def register(app: typer.Typer) -> None:
    command(app, "init", [
        ("relmgr init", "write a starter config (pyproject.toml or relmgr.toml)"),
        ("relmgr init --print", "print it instead, to compare; writes nothing"),
    ])(init)


@guarded
def init(
    ctx: typer.Context,
    print_only: bool = typer.Option(False, "--print", help="Print the config on stdout instead of writing it."),
) -> None:
    """Write a starter config for this repository: into pyproject.toml if there is one, else relmgr.toml.

    It detects the tag prefix, the pre-release style and marker tags to ignore (vX.Y.Z-dev) from your
    tags; APIs from code folders named like APIs (*/api/<name>/, */apis/<name>/, *_api/<name>/, web-app
    folders left out); the OpenAPI documents committed (by their `openapi:` key, copies left out) and the
    operations each API's folder claims by tag, operationId or path; levels from the spec's paths or
    markers and from the packages' own stability markers; tests from tests/**/<api>/; level history from
    the specs at release tags; and the commit scopes that name each API. Every value has a comment saying
    where it came from; APIs whose level is not detected start at v1alpha. It never overwrites an existing
    relmgr config, and ends with what to check by hand.
    """
    from relmgr.cli import output as render
    from relmgr.history.git import GitRepo
    from relmgr.init.render import append_table, checklist, render_config

    chosen = state(ctx)
    if chosen.config_path is not None:
        raise UsageError("init writes relmgr.toml or pyproject.toml at the repository root; drop --config "
                         "(or save `relmgr init --print` where you like)")
    repo = GitRepo.open(chosen.repo_path)
    target, existing = _target(repo.root, refuse=not print_only)
    found = _detect(repo)
    table = render_config(found)
    renames = _renames(repo, table)
    if print_only:
        typer.echo(table, nl=False)
        render.console(stderr=True).print(render.escape("\n".join([*checklist(found, "the printed config"),
                                                                     *renames])))
        return
    from relmgr.files import write_atomic

    text = append_table(existing, table, target.name) if existing is not None else table
    write_atomic(target, text)
    out = render.console()
    what = "appended [tool.relmgr] to" if existing is not None else "wrote"
    apis = ", ".join(f"{api.name} {api.level}" for api in found.apis) or "no API found"
    out.print(render.escape(f"relmgr: {what} {target.name} ({apis})"))
    out.print(render.escape("\n".join([*checklist(found, target.name), *renames])))


def _renames(repo: GitRepo, table: str) -> list[str]:
    """The renames relmgr will follow for the config's specs and API folders (their names at older releases),
    as lines for the checklist; none when every configured name is at every release."""
    from relmgr.config.load import parse_config
    from relmgr.history.repository import Project

    if not repo.has_commits():
        return []
    config = parse_config(tomllib.loads(table)["tool"]["relmgr"])
    project = Project(repo, config)
    releases = sorted(project.releases.releases, key=lambda r: r.date)
    found = project.follow_renames([*(r.sha for r in releases), "HEAD"])
    listed = found.listed((*config.openapi.specs, *project.api_folders())) if found else []
    if not listed:
        return []
    return ["", "Renames relmgr follows (git's rename detection between releases; nothing to configure):",
            *(f"  {old} → {new}" for old, new in listed),
            "  a move git cannot pair (a file split into a folder): add the old paths as the API's `former-paths`"]


def _target(root: Path, *, refuse: bool) -> tuple[Path, str | None]:
    """Where the config goes (pyproject.toml if it exists, else relmgr.toml) and pyproject's text."""
    from relmgr.cli import output as render

    standalone, pyproject = root / "relmgr.toml", root / "pyproject.toml"
    problem = None
    if standalone.exists():
        problem = "relmgr.toml already exists"
    elif pyproject.is_file():
        text = _read(pyproject)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"pyproject.toml is not valid TOML ({exc}); fix it, or save `relmgr init --print` "
                              "as relmgr.toml") from None
        if isinstance(document.get("tool"), dict) and "relmgr" in document["tool"]:
            problem = "pyproject.toml already has a [tool.relmgr] table"
        else:
            return pyproject, text
    if problem is not None:
        if refuse:
            raise UsageError(f"{problem}; relmgr init never overwrites a config: edit it, or compare it with "
                             "`relmgr init --print`")
        render.warn(f"{problem}: printing what init would write, for comparison")
    return standalone, None


def _read(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # keep CRLF as it is
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path.name}: {exc}") from None


def _detect(repo: GitRepo) -> Detected:
    """Read what detection needs (a fixed number of git processes: `app.adoption`) and detect."""
    from relmgr.app.adoption import read_sources
    from relmgr.cli import output as render
    from relmgr.init.detect import detect

    sources, warnings = read_sources(repo)
    for warning in warnings:
        render.warn(warning)
    return detect(sources)
