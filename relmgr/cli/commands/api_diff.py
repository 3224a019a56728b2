"""`api-diff`: what changed in a Python package's public API between two git refs (griffe, never imported)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import JsonOption
from relmgr.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from relmgr.app.pyapi import Package
    from relmgr.config.model import ApiConfig
    from relmgr.pyapi import ApiChange
    from relmgr.spec import Severity

def register(app: typer.Typer) -> None:
    command(app, "api-diff", [
        ("relmgr api-diff v0.4.0 HEAD", "every package the APIs name (`python`)"),
        ("relmgr api-diff v0.4.0 v0.5.0 --python ogx_api.provider --json", "one package, as JSON"),
        ("relmgr api-diff v0.4.0 HEAD --python pkg --python-path lib --fail-on ERR", "exit 1 on a break"),
    ])(api_diff)


@guarded
def api_diff(
    ctx: typer.Context,
    base: str = typer.Argument(..., metavar="BASE", help="The ref before: a tag, a branch or a sha."),
    revision: str = typer.Argument(..., metavar="REVISION", help="The ref after."),
    python: list[str] = typer.Option(
        [], "--python", metavar="PACKAGE",
        help="A package (dotted name) to compare; repeat it for more. Default: every package of the configured "
        "APIs (`python = [...]`).",
    ),
    python_paths: list[str] = typer.Option(
        [], "--python-path", metavar="FOLDER",
        help="Where --python packages are found, from the repository root; repeat it for more (default: the "
        "API's `python-paths`, else src, then the root).",
    ),
    fail_on: str | None = typer.Option(
        None, "--fail-on", metavar="ERR|WARN", help="Exit 1 when a change is at least this severe."
    ),
    as_json: JsonOption = False,
) -> None:
    """Report every change of the public API from BASE to REVISION with relmgr's check ID (python-object-removed,
    python-parameter-removed …) and severity (ERR breaks callers, WARN may break them, INFO does not).

    The packages are read from git at each ref and loaded statically with griffe: nothing is imported or run.
    Public means what the package exports: names with a leading underscore, and names a module's `__all__`
    leaves out, are not API.
    """
    from relmgr.app.pyapi import diff_refs

    threshold = _severity(fail_on) if fail_on is not None else None
    project = state(ctx).project()
    project.repo.require_commits()
    packages = _packages(project.config.apis, python, python_paths)
    found = diff_refs(project, (project.repo.resolve(base), base), (project.repo.resolve(revision), revision),
                      packages)
    if as_json:
        from relmgr.cli.output import emit_json

        emit_json(diff_json(base, revision, found))
    else:
        _print_text(base, revision, found)
    if threshold is not None and any(c.severity.at_least(threshold) for cs in found.values() for c in cs):
        raise typer.Exit(1)


def _packages(apis: Sequence[ApiConfig], names: list[str], paths: list[str]) -> list[Package]:
    """The packages asked for (below --python-path, else the python paths of an API that names them, else
    the default ones), or every configured one."""
    from relmgr.app.pyapi import Package, owners
    from relmgr.config.load import is_python_name
    from relmgr.config.model import DEFAULT_PYTHON_PATHS

    roots = tuple(dict.fromkeys(_clean(path) for path in paths))
    configured = list(owners(apis))
    if not names:
        if not configured:
            raise ConfigError("no API names a Python package; pass --python PACKAGE, or add `python = [\"pkg\"]` "
                              "to an API in [tool.relmgr.apis]")
        return [Package(p.name, roots) if roots else p for p in configured]
    chosen = []
    for name in dict.fromkeys(names):
        if not is_python_name(name):
            raise UsageError(f"--python {name!r} is not a dotted Python name; write it like ogx_api.provider")
        known = next((p for p in configured if p.name == name), None)
        chosen.append(Package(name, roots or (known.roots if known else DEFAULT_PYTHON_PATHS)))
    return chosen


def _clean(path: str) -> str:
    bare = path.strip().strip("/")
    if path.startswith("/") or ".." in bare.split("/"):
        raise UsageError(f"--python-path {path!r}: give a folder inside the repository, relative to its root")
    return "" if bare == "." else bare.removeprefix("./")


def _severity(text: str) -> Severity:
    from relmgr.spec import Severity

    if text.strip().upper() not in ("ERR", "WARN"):
        raise UsageError(f"--fail-on {text!r}: use ERR (breaking) or WARN (may break)")
    return Severity(text.strip().upper())


def diff_json(base: str, revision: str, found: dict[Package, list[ApiChange]]) -> dict[str, Any]:
    changes = [{"package": package.name, "id": c.id, "severity": c.severity.value, "object": c.object,
                "message": c.message} for package, listed in found.items() for c in listed]
    summary = {"ERR": 0, "WARN": 0, "INFO": 0}
    for change in changes:
        summary[change["severity"]] += 1
    return {"base": base, "revision": revision, "packages": [p.name for p in found], "changes": changes,
            "summary": summary}


def _print_text(base: str, revision: str, found: dict[Package, list[ApiChange]]) -> None:
    from relmgr.cli import output as render

    out = render.console()
    document = diff_json(base, revision, found)
    counts = ", ".join(f"{n} {name}" for name, n in document["summary"].items()) if document["changes"] else (
        "no changes")
    names = ", ".join(document["packages"])
    out.print(render.escape(f"relmgr api-diff {base} → {revision} ({names}): {counts}"))
    if document["changes"]:
        grid = render.table("severity", "check", "object", "message")
        for c in document["changes"]:
            grid.add_row(c["severity"], c["id"], render.escape(c["object"]), render.escape(c["message"]))
        out.print(grid)
