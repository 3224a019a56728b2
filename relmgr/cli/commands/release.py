"""`release`: cut a release in one command (version, gate, files, commit, annotated tag); never pushes.

Everything is decided before anything is written (`relmgr/app/release.py`, on `relmgr/release/plan.py`);
the writes then run as one step that is undone — files, index, HEAD — when any part of it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import (
    AllPackagesOption,
    ApprovedOption,
    JsonOption,
    PackageOption,
    PreOption,
    parse_approved,
)
from relmgr.cli.output import emit_json, finding_json, say_nothing_to_release
from relmgr.errors import PolicyError, UsageError
from relmgr.text import plural

if TYPE_CHECKING:
    from relmgr.app.packages import Scoped
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
    package: PackageOption = None,
    all_packages: AllPackagesOption = False,
) -> None:
    """Cut a release: check the preconditions, pick the version, gate it like `check`, write the changelog
    and the version files, commit exactly them as `chore(release): VERSION` and tag that commit with an
    annotated tag whose message is the release notes. Never pushes: it prints the next steps.

    Refusals (exit 1 unless said): another release running (.git/relmgr-release.lock), uncommitted changes,
    a detached HEAD (4), the wrong branch for the stream (patches from release-X.Y.x, or from main until that
    branch exists; minors and majors from main), an existing tag, a --version lower than the policy needs
    (a bad one: 2), policy violations without --force. A failing step takes back what relmgr wrote, and
    only that. Packages in lockstep are released together;
    packages released on their own take --package NAME (`chore(release): NAME VERSION`, its own tag) or
    --all-packages (each with something to release, all gated before any is written).
    """
    import contextlib

    from relmgr.app.lock import release_lock
    from relmgr.app.packages import scoped
    from relmgr.app.release import preconditions

    if version_text is not None and pre is not None:
        raise UsageError("--version and --pre do not combine: pass the pre-release itself (--version 0.5.0rc1)")
    if version_text is not None and all_packages:
        raise UsageError("--version and --all-packages do not combine: each package has its own version; "
                         "release one with --package NAME --version VERSION")
    prs = parse_approved(approved or "")
    root = state(ctx).project(progress=not as_json)
    # one release at a time: the lock is held from the first read to the last tag (a dry run writes nothing)
    with contextlib.nullcontext() if dry_run else release_lock(root.repo.common_dir()):
        scopes = scoped(root, package, all_packages, "release")
        branch = preconditions(root.repo)
        options = _Options(version_text, pre, prs, force, dry_run, as_json)
        if all_packages and root.config.independent:
            _release_all(scopes, branch, options)
        else:
            _release_one(scopes[0], branch, options)


@dataclass(frozen=True)
class _Options:
    version: str | None
    pre: str | None
    approved: frozenset[int]
    force: bool
    dry_run: bool
    as_json: bool


def _release_one(scope: Scoped, branch: str, options: _Options) -> None:
    from relmgr.app.plan import plan_next
    from relmgr.app.release import decide, write
    from relmgr.release.plan import target_paths

    project = scope.project
    plan = plan_next(project)
    if plan.nothing_to_release:
        say_nothing_to_release(plan, "nothing to release, no tag made")
        raise typer.Exit(1)
    cut = decide(project, plan, branch, options.version, options.pre, options.approved, options.force,
                 date.today(), package=scope.package)
    if cut.blocked:
        if options.as_json:
            emit_json(release_json(cut, None, target_paths(project.config), ok=False, dry_run=options.dry_run))
        else:
            _show_plan(cut, dry_run=False)
        raise _blocked([cut])
    if not options.as_json:
        _show_plan(cut, options.dry_run)
    commit = None if options.dry_run else write(project.repo, cut, branch, project.warnings)
    if options.as_json:
        emit_json(release_json(cut, commit, [e.path for e in cut.edits], ok=True, dry_run=options.dry_run))
    elif options.dry_run:
        _say("dry run: nothing was written; run it again without --dry-run to release")
    else:
        _show_done(project.config, cut, commit)


def _release_all(scopes: list[Scoped], branch: str, options: _Options) -> None:
    """Every package with something to release: all decided and gated first, then each written in turn
    (decided again on the new HEAD, so that two packages editing one file both land)."""
    from relmgr.app.plan import plan_next
    from relmgr.app.release import decide, write
    from relmgr.cli.output import note

    def cut_of(scope: Scoped) -> Cut | None:
        plan = plan_next(scope.project)
        if plan.nothing_to_release:
            return None
        return decide(scope.project, plan, branch, options.version, options.pre, options.approved, options.force,
                      date.today(), package=scope.package)

    decided = [(scope, cut) for scope in scopes if (cut := cut_of(scope)) is not None]
    for scope in scopes:
        if all(scope is not s for s, _ in decided):
            note(f"{scope.package}: nothing to release since its last release")
    if not decided:
        raise PolicyError("no package has anything to release; no tag made")
    blocked = [cut for _, cut in decided if cut.blocked]
    if blocked or options.dry_run:
        if options.as_json:
            emit_json({"ok": not blocked, "packages": [
                {"package": s.package, **release_json(c, None, [e.path for e in c.edits], ok=not c.blocked,
                                                      dry_run=options.dry_run)} for s, c in decided]})
        else:
            for _, cut in decided:
                _show_plan(cut, dry_run=options.dry_run and not blocked)
        if blocked:
            raise _blocked(blocked)
        if not options.as_json:
            _say("dry run: nothing was written; each package is decided again on the new HEAD when released")
        return
    documents = []
    for scope, _ in decided:
        cut = cut_of(scope)
        if cut is None or cut.blocked:
            raise PolicyError(f"{scope.package}: the release changed once the packages before it were released; "
                              "run `relmgr release --package` for it")
        if not options.as_json:
            _show_plan(cut, dry_run=False)
        commit = write(scope.project.repo, cut, branch, scope.project.warnings)
        documents.append({"package": scope.package, **release_json(cut, commit, [e.path for e in cut.edits],
                                                                    ok=True, dry_run=False)})
        if not options.as_json:
            _show_done(scope.project.config, cut, commit)
    if options.as_json:
        emit_json({"ok": True, "packages": documents})


def _blocked(cuts: list[Cut]) -> PolicyError:
    count = sum(len(c.verdict.violations) for c in cuts)
    return PolicyError(f"{', '.join(c.tag for c in cuts)} not released: {plural(count, 'policy violation')}; "
                       "fix them, approve them (--approved), or release anyway with --force (the tag message "
                       "records the override)")


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
    } | ({"package": cut.package} if cut.package else {})


def _say(text: str = "") -> None:
    from relmgr.cli import output as render

    render.console().print(render.escape(text))


def _show_plan(cut: Cut, dry_run: bool) -> None:
    """The version and why, the gate's verdict, the files (with diffs and the tag message in a dry run)."""
    from relmgr.app.release import FIRST
    from relmgr.cli.output import say
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
    from relmgr.policy.grouping import grouped_lines

    for kind_, findings in (("violation", verdict.violations), ("warning", verdict.warnings)):
        for line in grouped_lines(findings):  # per commit, API and check: a lone finding is its message
            _say(f"  {kind_}: {line}")
    if cut.blocked:
        return
    _say(f"files: {', '.join(e.path for e in cut.edits)}" if cut.edits else
         "files: none to change (no changelog or version-files set): the tag goes on HEAD, no release commit")
    if dry_run:
        for edit in cut.edits:
            say(unified_diff(edit.old, edit.new, edit.path))
        _say(f"tag {cut.tag} message:")
        say(cut.message)


def _show_done(config: Config, cut: Cut, commit: str | None) -> None:
    from relmgr.history.versions import Stream
    from relmgr.release.plan import commit_subject, minor_line, release_branch_name

    if commit is not None:
        _say(f"commit {commit[:12]} {commit_subject(cut.version, cut.package)}")
    _say(f"tag {cut.tag} (annotated; `git show {cut.tag}` shows the release notes)")
    _say("next steps:")
    _say("  git push --follow-tags")
    if cut.stream != Stream.Z and not cut.version.prerelease:
        branch = release_branch_name(config, cut.version)
        where = f"where the patch releases of {minor_line(cut.version)} are made"
        if cut.package is None:
            _say(f"  relmgr release-branch    # create {branch}, {where}")
        else:
            _say(f"  git branch {branch} {cut.tag}    # {where}")


