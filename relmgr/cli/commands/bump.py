"""`next-version`: the smallest release the policy allows for the unreleased work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import AllPackagesOption, JsonOption, PackageOption, PreOption
from relmgr.cli.output import say_nothing_to_release
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from relmgr.history.repository import Project
    from relmgr.policy.bump import NextVersion

def register(app: typer.Typer) -> None:
    command(app, "next-version", [
        ("relmgr next-version", "0.4.1: the smallest version the policy allows"),
        ("relmgr next-version --tag", "v0.4.1: with the tag prefix"),
        ("relmgr next-version --pre rc", "0.5.0rc3 after v0.5.0rc1 and v0.5.0rc2"),
        ("relmgr next-version --json", "the version and a reason per commit"),
    ])(next_version)


@guarded
def next_version(
    ctx: typer.Context,
    pre: PreOption = None,
    with_prefix: bool = typer.Option(False, "--tag", help="Print the tag (with the tag prefix), not the version."),
    as_json: JsonOption = False,
    package: PackageOption = None,
    all_packages: AllPackagesOption = False,
) -> None:
    """Print the next version of HEAD: the smallest release the policy allows for every change since the
    last release (breaking changes by their API's level, feat → minor, anything else → patch).

    Plain output is the version alone, for `NEXT=$(relmgr next-version)`. With no commits since the last
    release it prints that release's version (and says so on stderr). Before any release: 0.1.0. Packages
    released on their own: --package NAME (its commits since its last release), --all-packages (one
    `NAME VERSION` line each).
    """
    from relmgr.app.packages import scoped
    from relmgr.cli import output as render

    if with_prefix and as_json:
        raise UsageError("--tag and --json cannot be combined: the JSON document holds bare versions")
    root = state(ctx).project(progress=not as_json)
    documents = []
    for scope in scoped(root, package, all_packages, "next-version"):
        shown, document = _next(scope.project, pre)
        text = (scope.project.config.tag_prefix if with_prefix else "") + shown
        if as_json:
            documents.append(document | ({"package": scope.package} if scope.package else {}))
        else:
            typer.echo(f"{scope.package} {text}" if all_packages and scope.package else text)
    if as_json:
        render.emit_json({"packages": documents} if all_packages else documents[0])


def _next(project: Project, pre: str | None) -> tuple[str, dict[str, Any]]:
    """The version to print and the JSON document, for one project."""
    from relmgr.app.plan import plan_next
    from relmgr.cli import output as render
    from relmgr.policy.bump import next_prerelease, tag_style

    plan = plan_next(project)
    result = plan.next.next
    if plan.nothing_to_release:
        say_nothing_to_release(plan, f"the version stays {result}")
    elif pre is not None:
        releases = project.releases.releases
        result = next_prerelease(result, pre, [r.version for r in releases], tag_style(releases))
    final = plan.next.next
    taken = next((r for r in project.releases.releases if r.version.same_as(final)), None)
    if taken is not None and not plan.nothing_to_release:
        render.warn(f"{taken.tag} already exists: this line's changes need a release it cannot make "
                    "(see `relmgr next-version --json` for the reasons)")
    return result.text, next_json(plan.next, result.text)


def next_json(found: NextVersion, shown: str) -> dict[str, Any]:
    return {
        "current": found.current.text if found.current else None,
        "next": shown,
        "stream": found.stream.value if found.stream else None,
        "reasons": [{"sha": r.sha, "subject": r.subject, "needs": r.needs.value, "why": r.why}
                    for r in found.reasons],
    }
