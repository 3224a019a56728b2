"""`release`: cut a release in one command (version, gate, files, commit, annotated tag); never pushes.

Everything is decided before anything is written (`relmgr/app/release.py`, on `relmgr/release/plan.py`);
the writes then run as one step that is undone — files, index, HEAD — when any part of it fails.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import ApprovedOption, JsonOption, PreOption, parse_approved
from relmgr.cli.output import emit_json, finding_json, say_nothing_to_release
from relmgr.errors import PolicyError, UsageError
from relmgr.text import plural

if TYPE_CHECKING:
    from relmgr.app.release import Cut
    from relmgr.config.model import Config

_SHOWN_REASONS = 5


def register(app: typer.Typer) -> None:
    command(app, "release", [
        ("relmgr release --dry-run", "every step, the diffs and the tag message; no writes"),
        ("relmgr release", "cut the next version: changelog, commit, tag"),
        ("relmgr release --pre rc", "the next release candidate"),
        ("relmgr release --version 1.0.0 --approved 4606", "a chosen version, a PR approved"),
    ])(release)


@guarded
def release(
    ctx: typer.Context,
    version_text: str | None = typer.Option(
        None, "--version", metavar="VERSION",
        help="Release this version (e.g. 0.5.0) instead of the one `relmgr next-version` computes; refused "
        "when lower than the policy needs.",
    ),
    pre: PreOption = None,
    force: bool = typer.Option(False, "--force", help="Release despite policy violations; the tag message lists them."),
    approved: ApprovedOption = None,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show every step, the file diffs and the tag message; write nothing."
    ),
    as_json: JsonOption = False,
) -> None:
    """Cut a release: check the preconditions, pick the version, gate it like `check`, write the changelog
    and the version files, commit exactly them as `chore(release): VERSION` and tag that commit with an
    annotated tag whose message is the release notes. Never pushes: it prints the next steps.

    Refusals (exit 1 unless said): uncommitted changes, a detached HEAD (4), the wrong branch for the stream
    (patches from release-X.Y.x, or from main until that branch exists; minors and majors from main), an
    existing tag, a --version lower than the policy needs (a bad one: 2), policy violations without --force.
    A failing step leaves the repository exactly as it was.
    """
    from relmgr.app.plan import plan_next
    from relmgr.app.release import decide, preconditions, write
    from relmgr.release.plan import target_paths

    if version_text is not None and pre is not None:
        raise UsageError("--version and --pre do not combine: pass the pre-release itself (--version 0.5.0rc1)")
    prs = parse_approved(approved or "")
    project = state(ctx).project(progress=not as_json)
    branch = preconditions(project.repo)
    plan = plan_next(project)
    if plan.nothing_to_release:
        say_nothing_to_release(plan, "nothing to release, no tag made")
        raise typer.Exit(1)
    cut = decide(project, plan, branch, version_text, pre, prs, force, date.today())
    if cut.blocked:
        if as_json:
            emit_json(release_json(cut, None, target_paths(project.config), ok=False, dry_run=dry_run))
        else:
            _show_plan(cut, dry_run=False)
        raise PolicyError(f"{cut.tag} not released: {plural(len(cut.verdict.violations), 'policy violation')}; "
                          "fix them, approve them (--approved), or release anyway with --force (the tag "
                          "message records the override)")
    if not as_json:
        _show_plan(cut, dry_run)
    commit = None if dry_run else write(project.repo, cut, project.warnings)
    if as_json:
        emit_json(release_json(cut, commit, [e.path for e in cut.edits], ok=True, dry_run=dry_run))
    elif dry_run:
        _say("dry run: nothing was written; run it again without --dry-run to release")
    else:
        _show_done(project.config, cut, commit)


# -- output ----------------------------------------------------------------------------------------------


def release_json(cut: Cut, commit: str | None, files: list[str], *, ok: bool, dry_run: bool) -> dict[str, Any]:
    return {
        "version": cut.version.text,
        "tag": cut.tag,
        "previous": cut.previous,
        "stream": cut.stream.value if cut.stream else None,
        "files": files,
        "commit": commit,
        "ok": ok,
        "violations": [finding_json(f) for f in cut.verdict.violations],
        "dry_run": dry_run,
        "forced": cut.forced,
    }


def _say(text: str = "") -> None:
    from relmgr.cli import output as render

    render.console().print(render.escape(text))


def _show_plan(cut: Cut, dry_run: bool) -> None:
    """The version and why, the gate's verdict, the files (with diffs and the tag message in a dry run)."""
    import sys

    from relmgr.app.release import FIRST
    from relmgr.files import unified_diff

    if cut.stream is None:
        _say(f"version {cut.version}: the first release" + ("" if cut.chosen == FIRST else f" ({cut.chosen})"))
    else:
        _say(f"version {cut.version}: a {cut.stream.value.upper()}-stream release after {cut.previous} "
             f"({cut.chosen})")
    for reason in cut.found.reasons[:_SHOWN_REASONS]:
        _say(f"  {reason.needs.value.upper()}  {reason.sha[:7]} {reason.subject} — {reason.why}")
    if len(cut.found.reasons) > _SHOWN_REASONS:
        _say(f"  … and {len(cut.found.reasons) - _SHOWN_REASONS} more (`relmgr next-version --json`)")
    verdict = cut.verdict
    state_ = "ok" if verdict.ok else "failed" if cut.blocked else "violations overridden with --force"
    _say(f"gate: {state_}, {plural(len(verdict.violations), 'violation')}, "
         f"{plural(len(verdict.warnings), 'warning')}, {plural(verdict.judged, 'breaking change')} judged")
    for kind_, findings in (("violation", verdict.violations), ("warning", verdict.warnings)):
        for finding in findings:
            _say(f"  {kind_}: {finding.message}")
    if cut.blocked:
        return
    _say(f"files: {', '.join(e.path for e in cut.edits)}" if cut.edits else
         "files: none to change (no changelog or version-files set): the tag goes on HEAD, no release commit")
    if dry_run:
        for edit in cut.edits:
            sys.stdout.write(unified_diff(edit.old, edit.new, edit.path))
        _say(f"tag {cut.tag} message:")
        sys.stdout.write(cut.message)


def _show_done(config: Config, cut: Cut, commit: str | None) -> None:
    from relmgr.history.versions import Stream
    from relmgr.release.plan import commit_subject, minor_line, release_branch_name

    if commit is not None:
        _say(f"commit {commit[:12]} {commit_subject(cut.version)}")
    _say(f"tag {cut.tag} (annotated; `git show {cut.tag}` shows the release notes)")
    _say("next steps:")
    _say("  git push --follow-tags")
    if cut.stream != Stream.Z and not cut.version.prerelease:
        branch = release_branch_name(config, cut.version)
        _say(f"  relmgr release-branch    # create {branch}, where the patch releases of "
             f"{minor_line(cut.version)} are made")


