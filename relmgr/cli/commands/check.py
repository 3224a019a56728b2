"""`check`: the level × stream gate over a release (`--tag`), unreleased work (`--stream`), or by default
unreleased work judged as the next version."""

from __future__ import annotations

from pathlib import Path

import typer

from relmgr.cli.actions.check import Format
from relmgr.cli.context import exit_with, guarded
from relmgr.cli.help import command
from relmgr.cli.options import AllPackagesOption, ApprovedOption, PackageOption, StrictOption


def register(app: typer.Typer) -> None:
    command(app, "check", [
        ("relmgr check --tag v0.4.1", "judge the release v0.4.1 (a tag gate)"),
        ("relmgr check --stream y origin/main..HEAD", "a branch's commits, as a minor release"),
        ("relmgr check --tag v0.7.0 --write-waivers relmgr-waivers.toml", "waive the findings once reviewed"),
        ("relmgr check --pr --format github", "a PR as it will land, from the CI event"),
    ])(check)


@guarded
def check(
    ctx: typer.Context,
    revision_range: str | None = typer.Argument(
        None, metavar="[RANGE]",
        help="With --stream: the commits to judge (default: from the last release of HEAD to HEAD).",
    ),
    tag: str | None = typer.Option(
        None, "--tag", metavar="TAG", help="Judge the release TAG (its range from the previous release)."
    ),
    stream: str | None = typer.Option(
        None, "--stream", metavar="z|y|x",
        help="Judge unreleased work as a release of this stream (also patch, minor, major).",
    ),
    approved: ApprovedOption = None,
    output: Format = typer.Option(Format.TEXT, "--format", metavar="text|json|github|markdown",
                                  help="text, json, github (workflow commands and the step summary) or "
                                       "markdown (the step summary on stdout, for a PR comment)."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    strict: StrictOption = False,
    package: PackageOption = None,
    all_packages: AllPackagesOption = False,
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="List every finding with its detail (parameter, property, old → new)."),
    write_waivers: Path | None = typer.Option(
        None, "--write-waivers", dir_okay=False, metavar="FILE",
        help="Write a waiver per commit and check of the findings to FILE (`-`: stdout), to review once and "
             "name in [tool.relmgr.policy] waivers.",
    ),
    pr: bool = typer.Option(
        False, "--pr", help="Judge the CI event's pull request as it will land: its commits and its title as "
        "the squash commit, in the stream its base branch implies, approved by its labels (approval-labels).",
    ),
    event: Path | None = typer.Option(
        None, "--event", metavar="FILE", dir_okay=False,
        help="The event payload --pr reads (default: GITHUB_EVENT_PATH; GitLab: its merge-request variables).",
    ),
) -> None:
    """Gate breaking changes by level and stream: exit 1 when a change breaks an API where its level forbids.

    Each breaking change is judged once per API it maps to, at that API's level at the version released
    (unmapped changes at default-level); reverted pairs are not judged. With neither --tag nor --stream, the
    unreleased work is judged as the version `relmgr next-version` computes. With [tool.relmgr.openapi]
    specs, what the specs show is judged too (read with git at the release before and at the release),
    each change attributed to the commit that made it: undeclared breaks, and removals never deprecated.
    With `python` packages on an API, their public API is judged the same way. Packages released on their
    own ([tool.relmgr.packages] with a tag-prefix each) are checked with --package NAME or --all-packages,
    each against its own previous release. Findings are grouped per commit, then per API and check
    (--verbose lists each); waivers ([tool.relmgr.policy] waivers, [[tool.relmgr.waiver]]) leave reviewed
    findings out of the verdict, counted and listed in --json.
    With --pr, the CI event's pull request is judged as what it will land (docs/ci.md): --approved and
    the PR's approval labels combine, --stream overrides its base's.
    """
    from relmgr.cli.actions.check import check as body

    exit_with(ctx, body, revision_range=revision_range, tag=tag, stream=stream, approved=approved, output=output,
              as_json=as_json, strict=strict, package=package, all_packages=all_packages, verbose=verbose,
              write_waivers=write_waivers, pr=pr, event=event)
