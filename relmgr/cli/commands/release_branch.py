"""`release-branch`: the branch of a minor line (release-X.Y.x), where its patch releases are made."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.errors import PolicyError

if TYPE_CHECKING:
    from relmgr.history.repository import Project
    from relmgr.history.versions import Release


def register(app: typer.Typer) -> None:
    command(app, "release-branch", [
        ("relmgr release-branch", "release-X.Y.x at the latest minor release"),
        ("relmgr release-branch v0.5.0 --json", "release-0.5.x, as JSON"),
    ])(release_branch)


@guarded
def release_branch(
    ctx: typer.Context,
    tag: str | None = typer.Argument(
        None, metavar="[TAG]",
        help="The minor or major release whose line gets a branch (default: the latest one in HEAD's history).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Create the release branch of a minor line (release-X.Y.x, the `release-branch` pattern) at its
    release, so that its patch releases have a home; it is not checked out, nor pushed.

    The branch starts at the line's latest final release in HEAD's history (the minor release itself, or a
    patch already released from main). Refused (exit 1) for a patch or pre-release TAG, when no minor or
    major release is in HEAD's history, and when the branch exists (locally or on a remote).
    """
    import sys

    from relmgr.cli import output as render
    from relmgr.release.plan import minor_line, release_branch_name

    project = state(ctx).project()
    repo = project.repo
    repo.require_commits()
    merged = repo.tags_merged_into("HEAD")
    opener = _line_opener(project, tag, merged)
    name = release_branch_name(project.config, opener.version)
    existing = repo.branch_refs(name)
    if existing:
        raise PolicyError(f"{name} exists ({', '.join(existing)}); the patch releases of "
                          f"{minor_line(opener.version)} are made there: `git switch {name}`")
    start = _line_tip(project, opener, merged)
    repo.create_branch(name, start.sha)
    if as_json:
        render.emit_json({"branch": name, "tag": start.tag, "sha": start.sha})
        return
    where = start.tag if start is opener else f"{start.tag}, the latest release of {minor_line(opener.version)}"
    out = render.console()
    for line in (
        f"created {name} at {where} ({start.sha[:12]}); not checked out",
        f"push it:  git push origin {name}",
        f"patch releases:  git switch {name}, `git cherry-pick -x` the fixes from {project.config.main_branch}, "
        "relmgr release",
        "protect it: judge every pull request to a release branch as a patch release (relmgr check --stream z), "
        "e.g. in GitHub Actions:",
        "",
    ):
        out.print(render.escape(line))
    sys.stdout.write(_workflow(project.config.release_branch))


def _line_opener(project: Project, tag: str | None, merged: set[str]) -> Release:
    """The minor or major (or first) release that opened the line: TAG, else the latest in HEAD's history."""
    from relmgr.history.versions import Stream
    from relmgr.release.plan import minor_line

    if tag is not None:
        release = project.release(tag)
        if release.prerelease:
            raise PolicyError(f"{release.tag} is a pre-release; a release branch starts at a final release")
        if release.stream == Stream.Z:
            raise PolicyError(f"{release.tag} is a patch release; pass the minor or major release that opened "
                              f"{minor_line(release.version)} (release branches are made for new minor lines)")
        return release
    openers = [r for r in project.releases.finals() if r.stream != Stream.Z and r.tag in merged]
    if not openers:
        raise PolicyError("no minor or major release in HEAD's history; cut one with `relmgr release` first")
    return max(openers, key=lambda r: r.version.key)


def _line_tip(project: Project, opener: Release, merged: set[str]) -> Release:
    """The latest final release of the opener's line in HEAD's history (a patch may have shipped from main)."""
    line = opener.version.release[:2]
    found = [r for r in project.releases.finals()
             if r.version.release[:2] == line and r.tag in merged and r.version > opener.version]
    return max(found, key=lambda r: r.version.key, default=opener)


def _workflow(pattern: str) -> str:
    """A GitHub Actions workflow that gates pull requests to release branches as Z-stream releases."""
    branches = pattern.format(major="*", minor="*")
    return f"""\
# .github/workflows/release-branch-gate.yml
name: relmgr gate (release branches)
on:
  pull_request:
    branches: ["{branches}"]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # relmgr needs the tags and the whole history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install relmgr
      - run: relmgr check --stream z --format github
"""
