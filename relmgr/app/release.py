"""Cut a release: decide everything first (version, branch, gate, notes, file edits), then write it as one
step that is undone — files, index, HEAD — when any part of it fails.

The decisions are `release/plan.py`'s (pure); this module reads what they need and does the writing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
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
    head: str = ""  # the commit judged: the release is made on it or not at all
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
    cut = Cut(version, tag, previous, stream, plan.next, chosen, verdict, force, head=plan.range.tip,
              package=package)
    if cut.blocked:
        return cut
    # the notes are dated `today`, the day of the release (the CLI is where time comes in)
    released = replace(plan, next=replace(plan.next, next=version))
    section = render_markdown(unreleased_notes(project, released, today))
    sections = {package.changelog: render_markdown(_package_notes(project, released, package, today))
                for package in lockstep_changelogs(config) if package.changelog}
    edits = edit_files(_read_targets(repo.root, config), config, version, section, sections)
    real = [replace(edit, path=real_path(repo.root, edit.path)) for edit in edits]
    if len({edit.path for edit in real}) < len(real):
        raise ConfigError("two entries of changelog and version-files are the same file (through a symlink); "
                          "name each file once")
    return replace(cut, edits=tuple(real), message=tag_message(section, cut.verdict.violations))


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
    """The current text of every path the release writes (None: missing); bytes kept (CRLF stays CRLF).

    Only regular files inside the repository, symlinks followed (`real_path`): a FIFO would be waited on
    forever, a device or a link out of the repository is nothing a release should write.
    """
    texts: dict[str, str | None] = {}
    for path in target_paths(config):
        file = root / real_path(root, path)
        if not file.exists():
            texts[path] = None
            continue
        if not file.is_file():
            raise ConfigError(f"{path} (changelog or version-files) is not a regular file; relmgr release writes "
                              "only regular files")
        try:
            texts[path] = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} (changelog or version-files): cannot read it ({exc})") from None
    return texts


def real_path(root: Path, path: str) -> str:
    """`path` (from the repository root) with its symlinks followed, still from the root: the file the
    release writes and commits (a symlinked CHANGELOG.md: its target; the link stays a link).

    A path that leads out of the repository, or into `.git`, is a ConfigError.
    """
    top = Path(os.path.realpath(root))
    real = Path(os.path.realpath(root / path))
    try:
        inside = real.relative_to(top)
    except ValueError:
        raise ConfigError(f"{path} (changelog or version-files) leads to {real}, outside the repository; "
                          "relmgr release writes only inside it") from None
    if not inside.parts or inside.parts[0] == ".git":
        raise ConfigError(f"{path} (changelog or version-files) leads to {real}, not a file of the work tree")
    return inside.as_posix()


# -- writing, all or nothing ---------------------------------------------------------------------------


def write(repo: GitRepo, cut: Cut, branch: str, warnings: list[str]) -> str | None:
    """Write the files, commit exactly them, tag: the commit's sha (None: no files, HEAD tagged).

    Run it under `release_lock`. Any failure undoes what relmgr did and nothing else: the branch moves
    back only if it still points at relmgr's commit (`git update-ref REF OLD NEW`), a file is restored
    only if it still holds relmgr's text; what was left as it is goes to `warnings`, for people.
    """
    head = repo.resolve("HEAD")
    if cut.head and head != cut.head:
        raise GitError(f"{cut.tag} not released, nothing changed: HEAD moved to {head[:12]} while relmgr "
                       "release ran (a commit was made); run it again")
    paths = [edit.path for edit in cut.edits]
    done = _Done()
    try:
        for edit in cut.edits:
            write_atomic(repo.root / edit.path, edit.new)
            done.written.append(edit)
        if paths:
            done.staged = True
            new = repo.commit_paths(commit_subject(cut.version, cut.package), paths)
            if repo.resolve(f"{new}^") != head:  # a hook or another process committed too: which is ours?
                done.lost = True
                raise GitError(f"HEAD moved to {new[:12]} while relmgr committed (a hook or another process "
                               "made a commit); run it again once you know what that commit is")
            done.commit = new
        repo.tag_annotated(cut.tag, cut.message, done.commit or head)
    except RelmgrError as exc:
        left = _undo(repo, f"refs/heads/{branch}", head, paths, done)
        warnings.extend(left)
        undone = "not all undone (the warnings above say what was left)" if left else "nothing changed"
        exc.message = f"{cut.tag} not released, {undone}: {exc.message}"
        raise
    except BaseException:
        warnings.extend(_undo(repo, f"refs/heads/{branch}", head, paths, done))
        raise
    return done.commit


@dataclass(slots=True)
class _Done:
    """What `write` did so far, so that the undo takes back exactly that."""

    written: list[FileEdit] = field(default_factory=list)
    staged: bool = False  # `git add` of the paths may have run
    commit: str | None = None  # relmgr's commit, when it is known to be HEAD's (its parent: the judged head)
    lost: bool = False  # HEAD moved while relmgr committed: nothing of git's state is relmgr's to take back


def _undo(repo: GitRepo, ref: str, head: str, paths: list[str], done: _Done) -> list[str]:
    """Take back what relmgr did, and only that; what was left as it is, for people."""
    if done.lost:
        return [f"{ref}, the index and the files as they are: HEAD moved while relmgr committed; "
                "check `git log` and `git status` before releasing again"]
    problems: list[str] = []
    restore_files = True
    try:
        if done.commit is not None and not repo.move_ref(ref, head, done.commit, "relmgr release: undone"):
            restore_files = False  # the commit stays in the branch's history: so do its files
            problems.append(f"{ref} as it is: it no longer points at relmgr's commit {done.commit[:12]} "
                            "(someone moved it); check `git log` before releasing again")
        elif done.staged:
            repo.unstage(paths)
    except RelmgrError as exc:
        problems.append(f"the index ({exc.message}): `git reset -q -- {' '.join(paths)}`")
    for edit in reversed(done.written if restore_files else []):
        problems.extend(_restore(repo.root / edit.path, edit))
    return [f"left {problem}" for problem in problems]


def _restore(target: Path, edit: FileEdit) -> list[str]:
    """Put a file back as it was, only if it still holds relmgr's text (else someone else wrote it since)."""
    try:
        current = target.read_bytes().decode("utf-8") if target.is_file() else None
    except (OSError, UnicodeDecodeError):
        current = None
    if current != edit.new:
        return [f"{edit.path} as it is: it changed since relmgr wrote it; `git diff -- {edit.path}` shows how"]
    try:
        if edit.old is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, edit.old)
    except (OSError, RelmgrError) as exc:
        return [f"{edit.path} with relmgr's text ({exc}): `git checkout -- {edit.path}`"]
    return []
