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

_MAX_SPECS = 20  # candidate spec files read at most (each one `git cat-file`)


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

    It detects the tag prefix from your tags, APIs from folders named like APIs (*/api/<name>/,
    */apis/<name>/, *_api/<name>/) and from committed OpenAPI specs (/v1alpha/... paths, x-stability-level),
    and the commit scopes that name them. Every value has a comment saying where it came from; APIs whose
    level is not detected start at v1alpha. It never overwrites an existing relmgr config, and ends with
    what to check by hand.
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
    if print_only:
        typer.echo(table, nl=False)
        render.console(stderr=True).print(render.escape("\n".join(checklist(found, "the printed config"))))
        return
    from relmgr.files import write_atomic

    text = append_table(existing, table, target.name) if existing is not None else table
    write_atomic(target, text)
    out = render.console()
    what = "appended [tool.relmgr] to" if existing is not None else "wrote"
    apis = ", ".join(f"{api.name} {api.level}" for api in found.apis) or "no API found"
    out.print(render.escape(f"relmgr: {what} {target.name} ({apis})"))
    out.print(render.escape("\n".join(checklist(found, target.name))))


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
    """Read what detection needs: tags, files and subjects of HEAD, spec blobs, origin's URL."""
    from relmgr.cli import output as render
    from relmgr.errors import SpecError
    from relmgr.init.detect import detect, spec_candidates
    from relmgr.spec import load_spec

    has_commits = repo.has_commits()
    files = repo.list_files() if has_commits else []
    subjects = repo.subjects() if has_commits else []
    specs = {}
    for path in spec_candidates(files)[:_MAX_SPECS]:
        data = repo.show("HEAD", path)
        try:
            specs[path] = load_spec(data or b"", path)
        except SpecError as exc:
            render.warn(f"skipped {exc.message}")
    return detect([tag.name for tag in repo.read_tags()], files, subjects, specs, repo.remote_url())
