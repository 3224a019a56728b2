"""`release`: cut a release in one command (version, gate, files, commit, annotated tag); never pushes.

Everything is decided before anything is written (relmgr/release.py); the writes then run as one step
that is undone — files, index, HEAD — when any part of it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli import guarded, state
from relmgr.errors import ConfigError, GitError, PolicyError, RelmgrError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from relmgr.assembly import Plan
    from relmgr.bump import NextVersion
    from relmgr.config import Config
    from relmgr.git import GitRepo
    from relmgr.policy import Verdict
    from relmgr.project import Project
    from relmgr.release import FileEdit
    from relmgr.versions import Stream, Version

_SHOWN_REASONS = 5
FIRST = "the first release"


@dataclass(frozen=True, slots=True)
class Cut:
    """A release, decided: nothing of it is written yet."""

    version: Version
    tag: str
    previous: str | None  # the previous release's tag
    stream: Stream | None  # None: the first release
    found: NextVersion  # what next-version computed, and why
    chosen: str  # how the version was chosen, for people
    verdict: Verdict
    force: bool  # --force: release over violations
    edits: tuple[FileEdit, ...] = ()  # left empty when the gate stops the release
    message: str = ""  # the annotated tag's message

    @property
    def blocked(self) -> bool:
        return bool(self.verdict.violations) and not self.force

    @property
    def forced(self) -> bool:
        return bool(self.verdict.violations) and self.force


def register(app: typer.Typer) -> None:
    app.command("release")(release)


@guarded
def release(
    ctx: typer.Context,
    version_text: str | None = typer.Option(
        None, "--version", metavar="VERSION",
        help="Release this version (e.g. 0.5.0) instead of the one `relmgr next-version` computes; refused "
        "when lower than the policy needs.",
    ),
    pre: str | None = typer.Option(
        None, "--pre", metavar="LABEL",
        help="Release the next pre-release (rc, alpha, beta or dev) of the next version, as `next-version --pre`.",
    ),
    force: bool = typer.Option(False, "--force", help="Release despite policy violations; the tag message lists them."),
    approved: str | None = typer.Option(
        None, "--approved", envvar="RELMGR_APPROVED", metavar="PRS",
        help="PR numbers a maintainer approved as breaking (comma or space separated), as in `check`.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show every step, the file diffs and the tag message; write nothing."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Cut a release: check the preconditions, pick the version, gate it like `check`, write the changelog
    and the version files, commit exactly them as `chore(release): VERSION` and tag that commit with an
    annotated tag whose message is the release notes. Never pushes: it prints the next steps.

    Refusals (exit 1 unless said): uncommitted changes, a detached HEAD (4), the wrong branch for the stream
    (patches from release-X.Y.x, or from main until that branch exists; minors and majors from main), an
    existing tag, a --version lower than the policy needs (a bad one: 2), policy violations without --force.
    A failing step leaves the repository exactly as it was.
    """
    from relmgr import render
    from relmgr.assembly import plan_next
    from relmgr.commands.check import parse_approved, plural
    from relmgr.release import target_paths

    if version_text is not None and pre is not None:
        raise UsageError("--version and --pre do not combine: pass the pre-release itself (--version 0.5.0rc1)")
    prs = parse_approved(approved or "")
    project = state(ctx).project(progress=not as_json)
    branch = _preconditions(project.repo)
    plan = plan_next(project)
    if plan.nothing_to_release:
        from relmgr.commands.bump import say_nothing_to_release

        say_nothing_to_release(plan, "nothing to release, no tag made")
        raise typer.Exit(1)
    cut = _decide(project, plan, branch, version_text, pre, prs, force)
    if cut.blocked:
        if as_json:
            render.emit_json(release_json(cut, None, target_paths(project.config), ok=False, dry_run=dry_run))
        else:
            _show_plan(cut, dry_run=False)
        raise PolicyError(f"{cut.tag} not released: {plural(len(cut.verdict.violations), 'policy violation')}; "
                          "fix them, approve them (--approved), or release anyway with --force (the tag "
                          "message records the override)")
    if not as_json:
        _show_plan(cut, dry_run)
    commit = None if dry_run else _write(project.repo, cut)
    if as_json:
        render.emit_json(release_json(cut, commit, [e.path for e in cut.edits], ok=True, dry_run=dry_run))
    elif dry_run:
        _say("dry run: nothing was written; run it again without --dry-run to release")
    else:
        _show_done(project.config, cut, commit)


def _preconditions(repo: GitRepo) -> str:
    """The checked-out branch of a clean work tree with its whole history, or a refusal."""
    repo.require_commits()
    if not repo.is_clean():
        raise PolicyError("the work tree has uncommitted changes to tracked files; commit or stash your changes")
    branch = repo.head_branch()
    if branch is None:
        raise GitError("HEAD is detached; check out a branch (`git switch main`, or the release branch)")
    repo.require_full_history()
    return branch


def _decide(project: Project, plan: Plan, branch: str, version_text: str | None, pre: str | None,
            approved: frozenset[int], force: bool) -> Cut:
    """Version, branch, tag, gate, notes and file edits: every refusal before anything is written."""
    from dataclasses import replace
    from datetime import date

    from relmgr.assembly import unreleased_notes
    from relmgr.commands.check import Target, judge_target
    from relmgr.notes import render_markdown
    from relmgr.release import check_branch, check_requested, edit_files, release_branch_name, tag_message
    from relmgr.versions import Stream, classify_stream

    config, repo = project.config, project.repo
    version, chosen = _choose(project, plan, version_text, pre)
    tag = config.tag_prefix + version.text
    _check_tag(project, tag, version)
    if version_text is not None:
        check_requested(version, plan.next, [r.version for r in project.releases.releases])
    base = plan.range.base
    stream = classify_stream(version, base.version if base else None)
    line_exists = stream == Stream.Z and bool(repo.branch_refs(release_branch_name(config, version)))
    check_branch(branch, version, stream, config, line_exists)
    previous = base.tag if base else None
    target = Target(plan.range, None, version, previous, stream, tag, tuple(plan.changes))
    cut = Cut(version, tag, previous, stream, plan.next, chosen, judge_target(project, target, approved), force)
    if cut.blocked:
        return cut
    # the CLI is where time comes in: the notes are dated today, the day of the release
    notes = unreleased_notes(project, replace(plan, next=replace(plan.next, next=version)), date.today())
    section = render_markdown(notes)
    edits = edit_files(_read_targets(repo.root, config), config, version, section)
    return replace(cut, edits=tuple(edits), message=tag_message(section, cut.verdict.violations))


def _choose(project: Project, plan: Plan, version_text: str | None, pre: str | None) -> tuple[Version, str]:
    """The version to release and how it was chosen: --version, --pre, or next-version's answer."""
    from relmgr.bump import next_prerelease, tag_style
    from relmgr.release import parse_requested

    found = plan.next
    if version_text is not None:
        version = parse_requested(version_text, project.config.tag_prefix)
        return version, "--version" + (f"; the policy needs {found.next} at least" if found.stream else "")
    if pre is not None:
        releases = project.releases.releases
        existing = [r.version for r in releases]
        return next_prerelease(found.next, pre, existing, tag_style(releases)), f"--pre {pre} of {found.next}"
    return found.next, "the smallest version the policy allows" if found.current else FIRST


def _check_tag(project: Project, tag: str, version: Version) -> None:
    releases = project.releases
    if tag in {r.tag for r in releases.releases} | {s.tag for s in releases.skipped}:
        raise PolicyError(f"tag {tag} exists; pick another --version")
    same = next((r for r in releases.releases if r.version.same_as(version)), None)
    if same is not None:
        raise PolicyError(f"tag {same.tag} exists for version {version}; pick another --version")


def _read_targets(root: Path, config: Config) -> dict[str, str | None]:
    """The current text of every path the release writes (None: missing); bytes kept (CRLF stays CRLF)."""
    from relmgr.release import target_paths

    texts: dict[str, str | None] = {}
    for path in target_paths(config):
        file = root / path
        if not file.exists():
            texts[path] = None
            continue
        try:
            texts[path] = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} (changelog or version-files): cannot read it ({exc})") from None
    return texts


# -- writing, all or nothing ---------------------------------------------------------------------------


def _write(repo: GitRepo, cut: Cut) -> str | None:
    """Write the files, commit exactly them, tag: the commit's sha (None: no files, HEAD tagged).

    Any failure undoes what was done (files, index, HEAD) and is reported with git's words.
    """
    from relmgr.files import write_atomic
    from relmgr.release import commit_subject

    head = repo.resolve("HEAD")
    paths = [edit.path for edit in cut.edits]
    written: list[FileEdit] = []
    try:
        for edit in cut.edits:
            write_atomic(repo.root / edit.path, edit.new)
            written.append(edit)
        commit = repo.commit_paths(commit_subject(cut.version), paths) if paths else None
        repo.tag_annotated(cut.tag, cut.message, commit or head)
    except RelmgrError as exc:
        _undo(repo, head, paths, written)
        exc.message = f"{cut.tag} not released, nothing changed: {exc.message}"
        raise
    except BaseException:
        _undo(repo, head, paths, written)
        raise
    return commit


def _undo(repo: GitRepo, head: str, paths: list[str], written: list[FileEdit]) -> None:
    """Put HEAD, the index and the files back as they were; say what could not be put back."""
    from relmgr import render
    from relmgr.files import write_atomic

    problems: list[str] = []
    if written:
        try:
            repo.undo_commit(head, paths)
        except RelmgrError as exc:
            problems.append(f"HEAD or the index ({exc.message}): `git reset --soft {head[:12]}`")
    for edit in reversed(written):
        target = repo.root / edit.path
        try:
            if edit.old is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, edit.old)
        except (OSError, RelmgrError) as exc:
            problems.append(f"{edit.path} ({exc}): `git checkout -- {edit.path}`")
    for problem in problems:
        render.warn(f"could not restore {problem}")


# -- output ----------------------------------------------------------------------------------------------


def release_json(cut: Cut, commit: str | None, files: list[str], *, ok: bool, dry_run: bool) -> dict[str, Any]:
    from relmgr.commands.check import finding_json

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
    from relmgr import render

    render.console().print(render.escape(text))


def _show_plan(cut: Cut, dry_run: bool) -> None:
    """The version and why, the gate's verdict, the files (with diffs and the tag message in a dry run)."""
    import sys

    from relmgr.commands.check import plural
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
    from relmgr.release import commit_subject, minor_line, release_branch_name
    from relmgr.versions import Stream

    if commit is not None:
        _say(f"commit {commit[:12]} {commit_subject(cut.version)}")
    _say(f"tag {cut.tag} (annotated; `git show {cut.tag}` shows the release notes)")
    _say("next steps:")
    _say("  git push --follow-tags")
    if cut.stream != Stream.Z and not cut.version.prerelease:
        branch = release_branch_name(config, cut.version)
        _say(f"  relmgr release-branch    # create {branch}, where the patch releases of "
             f"{minor_line(cut.version)} are made")


