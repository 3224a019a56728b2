"""`spec-diff`: the breaking changes between two OpenAPI specs, each a file or `REF:path` read with git."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.errors import GitError, SpecError, UsageError

if TYPE_CHECKING:
    from relmgr.history.git import GitRepo
    from relmgr.policy.levels import Stage
    from relmgr.spec import Severity, SpecChange

LEVELS_FROM = ("x-stability-level", "path")
StabilityLevelOption = Annotated[
    str | None,
    typer.Option("--stability-level", metavar="draft|alpha|beta|stable",
                 help="The lowest stability level checked, as oasdiff's --stability-level (default beta; draft and "
                 "alpha are both relmgr's alpha stage, so either one is --all-levels)."),
]
CheckOption = Annotated[
    list[str] | None,
    typer.Option("--check", metavar="ID",
                 help="Report only this rule ID, or the IDs of this oasdiff check (RequestParameterRemovedCheck); "
                 "repeatable. The IDs are listed in docs/spec-rules.md."),
]
BetaDaysOption = Annotated[
    int,
    typer.Option("--deprecation-days-beta", min=0, metavar="DAYS",
                 help="Days of notice a deprecation in a beta operation (of the operation, a parameter or a "
                 "property) must give: an x-sunset date at least DAYS away (0: no policy; as oasdiff's option of "
                 "that name)."),
]
StableDaysOption = Annotated[
    int,
    typer.Option("--deprecation-days-stable", min=0, metavar="DAYS",
                 help="The same for stable (and unmarked) operations (0: no policy)."),
]


def register(app: typer.Typer) -> None:
    command(app, "spec-diff", [
        ("relmgr spec-diff v0.4.0:docs/api.yaml docs/api.yaml", "the release against the work tree"),
        ("relmgr spec-diff old.yaml new.yaml --fail-on ERR", "exit 1 on a breaking change"),
        ("relmgr spec-diff HEAD~1:openapi.json HEAD:openapi.json --json --all-levels", "every level, as JSON"),
    ])(spec_diff)


@guarded
def spec_diff(
    ctx: typer.Context,
    base: str = typer.Argument(..., metavar="BASE", help="The spec before: a file, or REF:path read with git."),
    revision: str = typer.Argument(..., metavar="REVISION", help="The spec after: a file, or REF:path."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", metavar="ERR|WARN", help="Exit 1 when a change is at least this severe."
    ),
    all_levels: bool = typer.Option(
        False, "--all-levels", help="Also report the alpha (and draft) operations' changes."
    ),
    levels_from: str | None = typer.Option(
        None, "--levels-from", metavar="x-stability-level|path",
        help="Where an operation's level is read (default: [tool.relmgr.openapi] levels-from).",
    ),
    stability_level: StabilityLevelOption = None,
    checks: CheckOption = None,
    beta_days: BetaDaysOption = 0,
    stable_days: StableDaysOption = 0,
) -> None:
    """Report every change from BASE to REVISION with oasdiff's check ID and severity (ERR breaking, WARN may
    break, INFO not breaking), the operation and its level.

    Each side is a file path, or REF:path read from the repository (`v1.2.0:docs/api.yaml`). As
    `oasdiff breaking`, alpha operations are left out unless --all-levels (or --stability-level alpha); INFO
    changes are listed too.
    """
    from datetime import date

    from relmgr.spec import DeprecationPolicy, diff_specs, load_spec

    threshold = _severity(fail_on) if fail_on is not None else None
    min_stage = _min_stage(stability_level, all_levels)
    selected = _checks(checks)
    st = state(ctx)
    project = st.project_or_none()
    chosen = levels_from or (project.config if project else st.config()).openapi.levels_from
    if chosen not in LEVELS_FROM:
        raise UsageError(f"--levels-from {chosen!r}: use x-stability-level or path")
    texts = read_sides([base, revision], project.repo if project else None)
    before, after = (load_spec(data, name) for name, data in zip((base, revision), texts, strict=True))
    changes = diff_specs(before, after, levels_from=chosen, today=date.today(), min_stage=min_stage,
                         deprecation=DeprecationPolicy(beta_days=beta_days, stable_days=stable_days),
                         checks=selected)
    if as_json:
        from relmgr.cli.output import emit_json

        emit_json(diff_json(base, revision, changes))
    else:
        _print_text(base, revision, changes)
    if threshold is not None and any(change.severity.at_least(threshold) for change in changes):
        raise typer.Exit(1)


def _min_stage(stability_level: str | None, all_levels: bool) -> Stage:
    from relmgr.policy.levels import Stage

    if stability_level is None:
        return Stage.ALPHA if all_levels else Stage.BETA
    stages = {"draft": Stage.ALPHA, "alpha": Stage.ALPHA, "beta": Stage.BETA, "stable": Stage.STABLE}
    found = stages.get(stability_level.strip().lower())
    if found is None:
        raise UsageError(f"--stability-level {stability_level!r}: use draft, alpha, beta or stable")
    if all_levels and found is not Stage.ALPHA:
        raise UsageError(f"--all-levels and --stability-level {stability_level}: pass one of them")
    return found


def _checks(names: list[str] | None) -> list[str] | None:
    """The --check values, each a registered rule ID or oasdiff check; else a usage error with a suggestion."""
    if not names:
        return None
    from difflib import get_close_matches

    from relmgr.spec import RULES

    known = set(RULES) | {rule.check for rule in RULES.values() if rule.check}
    for name in names:
        if name not in known:
            close = get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else "; the IDs are listed in docs/spec-rules.md"
            raise UsageError(f"--check {name!r} is no rule ID or oasdiff check{hint}")
    return names


def _severity(text: str) -> Severity:
    from relmgr.spec import Severity

    if text.strip().upper() not in ("ERR", "WARN"):
        raise UsageError(f"--fail-on {text!r}: use ERR (breaking) or WARN (may break)")
    return Severity(text.strip().upper())


def read_sides(sides: list[str], repo: GitRepo | None) -> list[bytes]:
    """The bytes of each side: `REF:path` when REF names a commit, else a file (relative to the cwd).

    One `cat-file --batch-check` tells refs from files, one `cat-file --batch` reads the blobs.
    """
    splits = [side.partition(":") for side in sides]
    candidates = [i for i, (ref, colon, _) in enumerate(splits) if colon and ref]
    blobs: dict[int, str | None] = {}
    if repo is not None and candidates:
        names = [f"{splits[i][0]}^{{commit}}" for i in candidates] + [sides[i] for i in candidates]
        found = repo.object_ids(names)
        commits, objects = found[: len(candidates)], found[len(candidates):]
        for i, commit, obj in zip(candidates, commits, objects, strict=True):
            if commit is not None:
                blobs[i] = obj[0] if obj and obj[1] == "blob" else None
    contents = repo.read_objects(b for b in blobs.values() if b) if repo is not None and blobs else {}
    result: list[bytes] = []
    for i, side in enumerate(sides):
        if i in blobs:
            blob = blobs[i]
            if blob is None:
                ref, _, path = splits[i]
                raise SpecError(f"{side}: there is no file {path!r} at {ref}")
            result.append(contents[blob])
        else:
            result.append(_read_file(side, repo, is_ref_like=i in candidates))
    return result


def _read_file(side: str, repo: GitRepo | None, *, is_ref_like: bool) -> bytes:
    path = Path(side)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if not is_ref_like:
            raise SpecError(f"{side}: no such file") from None
        ref = side.partition(":")[0]
        if repo is None:
            raise GitError(f"{side}: no such file, and outside a git repository {ref!r} names no commit") from None
        raise GitError(f"unknown revision {ref!r} in {side}: no commit by that name (and no file {side})") from None
    except IsADirectoryError:
        raise SpecError(f"{side}: is a folder, not a spec file") from None
    except OSError as exc:
        raise SpecError(f"{side}: cannot read it ({exc.strerror})") from None


def diff_json(base: str, revision: str, changes: list[SpecChange]) -> dict[str, Any]:
    summary = {"ERR": 0, "WARN": 0, "INFO": 0}
    for change in changes:
        summary[change.severity.value] += 1
    return {
        "base": base,
        "revision": revision,
        "changes": [
            {"id": c.id, "severity": c.severity.value, "operation": c.operation, "method": c.method,
             "path": c.path, "level": c.level, "message": c.message, "details": c.detail_map}
            for c in changes
        ],
        "summary": summary,
    }


def _print_text(base: str, revision: str, changes: list[SpecChange]) -> None:
    from relmgr.cli import output as render

    out = render.console()
    summary = diff_json(base, revision, changes)["summary"]
    counts = ", ".join(f"{count} {name}" for name, count in summary.items()) if changes else "no changes"
    out.print(render.escape(f"relmgr spec-diff {base} → {revision}: {counts}"))
    if changes:
        grid = render.table("severity", "check", "operation", "level", "message")
        for c in changes:
            grid.add_row(c.severity.value, c.id, render.escape(c.operation), c.level, render.escape(c.message))
        out.print(grid)
