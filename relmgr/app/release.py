"""Cut a release: decide everything first (version, branch, gate, notes, file edits), then write it as one
step that is undone — files, index, HEAD — when any part of it fails.

The decisions are `release/plan.py`'s (pure); this module reads what they need and does the writing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from relmgr.app.check import Target, judge_target
from relmgr.app.notes import unreleased_notes
from relmgr.app.packages import lockstep_view
from relmgr.app.plan import Plan
from relmgr.config.model import Config, PackageConfig
from relmgr.config.packages import lockstep_changelogs
from relmgr.errors import ConfigError, GitError, PolicyError, RelmgrError
from relmgr.files import write_atomic
from relmgr.history.git import GitRepo
from relmgr.history.repository import Project
from relmgr.history.versions import Stream, Version, classify_stream
from relmgr.notes.model import Notes
from relmgr.notes.templates import render_markdown
from relmgr.policy.bump import NextVersion, next_prerelease, tag_style
from relmgr.policy.findings import Verdict
from relmgr.release.plan import (
    FileEdit,
    check_branch,
    check_requested,
    commit_subject,
    edit_files,
    parse_requested,
    release_branch_name,
    tag_message,
    target_paths,
)

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
    package: str | None = None  # the package released on its own (its name is in the release commit)

    @property
    def blocked(self) -> bool:
        return bool(self.verdict.violations) and not self.force

    @property
    def forced(self) -> bool:
        return bool(self.verdict.violations) and self.force


def preconditions(repo: GitRepo) -> str:
    """The checked-out branch of a clean work tree with its whole history, or a refusal."""
    repo.require_commits()
    if not repo.is_clean():
        raise PolicyError("the work tree has uncommitted changes to tracked files; commit or stash your changes")
    branch = repo.head_branch()
    if branch is None:
        raise GitError("HEAD is detached; check out a branch (`git switch main`, or the release branch)")
    repo.require_full_history()
    return branch


def decide(project: Project, plan: Plan, branch: str, version_text: str | None, pre: str | None,
           approved: frozenset[int], force: bool, today: date, package: str | None = None) -> Cut:
    """Version, branch, tag, gate, notes and file edits: every refusal before anything is written.

    `package`: the package of several this project is the view of, released on its own."""
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
    verdict = judge_target(project, target, approved, today)
    cut = Cut(version, tag, previous, stream, plan.next, chosen, verdict, force, package=package)
    if cut.blocked:
        return cut
    # the notes are dated `today`, the day of the release (the CLI is where time comes in)
    released = replace(plan, next=replace(plan.next, next=version))
    section = render_markdown(unreleased_notes(project, released, today))
    sections = {package.changelog: render_markdown(_package_notes(project, released, package, today))
                for package in lockstep_changelogs(config) if package.changelog}
    edits = edit_files(_read_targets(repo.root, config), config, version, section, sections)
    return replace(cut, edits=tuple(edits), message=tag_message(section, cut.verdict.violations))


def _package_notes(project: Project, plan: Plan, package: PackageConfig, today: date) -> Notes:
    """A lockstep package's section of the release: the notes of its own commits (those touching its paths)."""
    view = lockstep_view(project, package)
    mine = [change for change in plan.changes if view.belongs(change.commit.files)]
    return unreleased_notes(view, replace(plan, changes=mine), today)


def _choose(project: Project, plan: Plan, version_text: str | None, pre: str | None) -> tuple[Version, str]:
    """The version to release and how it was chosen: --version, --pre, or next-version's answer."""
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


def write(repo: GitRepo, cut: Cut, warnings: list[str]) -> str | None:
    """Write the files, commit exactly them, tag: the commit's sha (None: no files, HEAD tagged).

    Any failure undoes what was done (files, index, HEAD) and is reported with git's words; what could not
    be put back is added to `warnings`.
    """
    head = repo.resolve("HEAD")
    paths = [edit.path for edit in cut.edits]
    written: list[FileEdit] = []
    try:
        for edit in cut.edits:
            write_atomic(repo.root / edit.path, edit.new)
            written.append(edit)
        commit = repo.commit_paths(commit_subject(cut.version, cut.package), paths) if paths else None
        repo.tag_annotated(cut.tag, cut.message, commit or head)
    except RelmgrError as exc:
        warnings.extend(_undo(repo, head, paths, written))
        exc.message = f"{cut.tag} not released, nothing changed: {exc.message}"
        raise
    except BaseException:
        warnings.extend(_undo(repo, head, paths, written))
        raise
    return commit


def _undo(repo: GitRepo, head: str, paths: list[str], written: list[FileEdit]) -> list[str]:
    """Put HEAD, the index and the files back as they were; what could not be put back, for people."""
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
    return [f"could not restore {problem}" for problem in problems]


