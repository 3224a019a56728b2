"""`next-version`'s body: the smallest release the policy allows for the unreleased work of HEAD."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relmgr.cli.output import say_nothing_to_release
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from relmgr.cli.state import State
    from relmgr.policy.bump import NextVersion


def next_version(state: State, *, pre: str | None, with_prefix: bool, as_json: bool) -> int:
    from relmgr.app.plan import plan_next
    from relmgr.cli import output as render
    from relmgr.policy.bump import next_prerelease, tag_style

    if with_prefix and as_json:
        raise UsageError("--tag and --json cannot be combined: the JSON document holds bare versions")
    project = state.project(progress=not as_json)
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
    if as_json:
        render.emit_json(next_json(plan.next, result.text))
    else:
        render.echo((project.config.tag_prefix if with_prefix else "") + result.text)
    return 0


def next_json(found: NextVersion, shown: str) -> dict[str, Any]:
    return {
        "current": found.current.text if found.current else None,
        "next": shown,
        "stream": found.stream.value if found.stream else None,
        "reasons": [{"sha": r.sha, "subject": r.subject, "needs": r.needs.value, "why": r.why}
                    for r in found.reasons],
    }
