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
    from relmgr.history.repository import Project
    from relmgr.policy.levels import Stage
    from relmgr.spec import Severity, SpecChange
    from relmgr.spec.compose import Surface

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
    base: str | None = typer.Argument(None, metavar="BASE",
                                      help="The spec before: a file, REF:path read with git, or a REF (the "
                                      "configured specs at REF, as one surface)."),
    revision: str | None = typer.Argument(None, metavar="REVISION", help="The spec after: a file, REF:path or REF."),
    bases: list[str] = typer.Option(
        [], "--base", metavar="SIDE",
        help="A file of the spec before (a file, REF:path or REF); repeat it: the files are read as one surface.",
    ),
    revisions: list[str] = typer.Option(
        [], "--revision", metavar="SIDE", help="A file of the spec after; repeat it, as --base.",
    ),
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

    Each side is a file path, REF:path read from the repository (`v1.2.0:docs/api.yaml`), or a REF alone: the
    configured [tool.relmgr.openapi] specs at REF (under the names they had there). Several files per side
    (`--base A --base B --revision C`) are read as one surface: an operation exists if any file has it and is
    deprecated if any file marks it. A route that moves to another level's prefix is one
    `operation-level-changed`. As `oasdiff breaking`, alpha operations are left out unless --all-levels (or
    --stability-level alpha); INFO changes are listed too.
    """
    from datetime import date

    from relmgr.spec import DeprecationPolicy

    threshold = _severity(fail_on) if fail_on is not None else None
    min_stage = _min_stage(stability_level, all_levels)
    selected = _checks(checks)
    before_sides, after_sides = _sides(base, revision, bases, revisions)
    st = state(ctx)
    project = st.project_or_none()
    chosen = levels_from or (project.config if project else st.config()).openapi.levels_from
    if chosen not in LEVELS_FROM:
        raise UsageError(f"--levels-from {chosen!r}: use x-stability-level or path")
    sides = read_surfaces([before_sides, after_sides], project)
    changes = _changes(sides[0].document, sides[1].document, selected, levels_from=chosen, today=date.today(),
                       min_stage=min_stage,
                       deprecation=DeprecationPolicy(beta_days=beta_days, stable_days=stable_days))
    labels = [" + ".join(before_sides), " + ".join(after_sides)]
    if as_json:
        _emit_json(labels, sides, [before_sides, after_sides], changes)
    else:
        _print_text(labels[0], labels[1], changes)
    if threshold is not None and any(change.severity.at_least(threshold) for change in changes):
        raise typer.Exit(1)


def _emit_json(labels: list[str], sides: list[Surface], given: list[list[str]], changes: list[SpecChange]) -> None:
    """The document; `base_files`/`revision_files` only when a side is several files or a REF's specs."""
    from relmgr.cli.output import emit_json

    document = diff_json(labels[0], labels[1], changes)
    for key, found, named in zip(("base_files", "revision_files"), sides, given, strict=True):
        if list(found.labels) != named:
            document[key] = list(found.labels)
    emit_json(document)


def _sides(base: str | None, revision: str | None, bases: list[str],
           revisions: list[str]) -> tuple[list[str], list[str]]:
    """`BASE REVISION`, or `--base … --revision …` (not both forms)."""
    if (base is not None or revision is not None) and (bases or revisions):
        raise UsageError("give BASE REVISION, or --base and --revision (each may repeat), not both")
    if base is not None or revision is not None:
        if base is None or revision is None:
            raise UsageError("spec-diff needs two sides: BASE REVISION (or --base … --revision …)")
        return [base], [revision]
    if not bases or not revisions:
        raise UsageError("spec-diff needs both sides: BASE REVISION, or --base SIDE and --revision SIDE")
    return list(bases), list(revisions)
def _changes(before: Any, after: Any, selected: list[str] | None, **options: Any) -> list[SpecChange]:
    """The engine's changes with route moves paired (`spec.moves`); under --check, the pairing runs only when
    `operation-level-changed` is asked for, and then sees the removals and additions it pairs."""
    from relmgr.spec import diff_specs, selected_rules
    from relmgr.spec.moves import MOVE_PARTS, OPERATION_LEVEL_CHANGED, diff_surfaces

    asked = selected_rules(selected)
    if asked is not None and OPERATION_LEVEL_CHANGED not in asked:
        return diff_specs(before, after, checks=asked, **options)
    found = diff_surfaces(before, after, checks=None if asked is None else asked | MOVE_PARTS, **options)
    return found if asked is None else [change for change in found if change.id in asked]


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


def read_surfaces(groups: list[list[str]], project: Project | None) -> list[Surface]:
    """Each group of sides read and composed into one surface; a REF side stands for the configured specs
    there. The labels of the surface's parts are the files read (`v0.7.0:docs/static/a.yaml`)."""
    from relmgr.cli import output as render
    from relmgr.spec import load_spec
    from relmgr.spec.compose import Part, compose

    flat = [side for group in groups for side in group]
    repo = project.repo if project is not None else None
    configured = _configured_refs(flat, project)
    plain = [side for side in flat if side not in configured]
    texts = dict(zip(plain, read_sides(plain, repo), strict=True))
    surfaces = []
    for group in groups:
        parts: list[Part] = []
        for side in group:
            if side in configured:
                parts.extend(Part(p.source, p.source, p.document) for p in configured[side])
            else:
                parts.append(Part(side, side, load_spec(texts[side], side)))
        surface = compose(parts)
        for conflict in surface.conflicts:
            render.warn(f"`{conflict.operation}` differs between {conflict.first} and {conflict.second}; "
                        f"the one in {conflict.first} is compared")
        surfaces.append(surface)
    return surfaces


def _configured_refs(sides: list[str], project: Project | None) -> dict[str, list[Any]]:
    """The sides that are a bare REF (no `:`, not a file, naming a commit): the configured specs there."""
    if project is None:
        return {}
    candidates = [side for side in dict.fromkeys(sides) if ":" not in side and not Path(side).exists()]
    if not candidates:
        return {}
    found = project.repo.object_ids([f"{side}^{{commit}}" for side in candidates])
    refs = [side for side, obj in zip(candidates, found, strict=True) if obj is not None]
    if refs and not project.config.openapi.specs:
        raise UsageError(f"{refs[0]} names a commit: a REF side means the configured specs there, and "
                         "[tool.relmgr.openapi] specs is empty; write REF:path instead")
    from relmgr.app.specs import configured_parts

    return {ref: configured_parts(project, ref) for ref in refs}


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
