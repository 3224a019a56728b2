"""`next-version`'s body: the smallest release the policy allows for the unreleased work of HEAD (of each
package, with --package or --all-packages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relmgr.cli.output import say_nothing_to_release
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from relmgr.cli.state import State
    from relmgr.history.repository import Project
    from relmgr.policy.bump import NextVersion


def next_version(state: State, *, pre: str | None, with_prefix: bool, as_json: bool, package: str | None = None,
                 all_packages: bool = False) -> int:
    from relmgr.app.packages import scoped
    from relmgr.cli import output as render

    if with_prefix and as_json:
        raise UsageError("--tag and --json cannot be combined: the JSON document holds bare versions")
    root = state.project(progress=not as_json)
    documents = []
    for scope in scoped(root, package, all_packages, "next-version"):
        shown, document = _next(scope.project, pre)
        text = (scope.project.config.tag_prefix if with_prefix else "") + shown
        if as_json:
            documents.append(document | ({"package": scope.package} if scope.package else {}))
        else:
            render.echo(f"{scope.package} {text}" if all_packages and scope.package else text)
    if as_json:
        render.emit_json({"packages": documents} if all_packages else documents[0])
    return 0


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
