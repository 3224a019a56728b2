"""`check`: the level × stream gate over a release (`--tag`), unreleased work (`--stream`), or by default
unreleased work judged as the next version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli import guarded, state
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from relmgr.apis import Change
    from relmgr.config import Config
    from relmgr.policy import Finding, Verdict
    from relmgr.project import Project, Range
    from relmgr.versions import Stream, Version

TITLE = "relmgr check"


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


@dataclass(frozen=True, slots=True)
class Target:
    """What is judged: a range, as a release of `version` in `stream`."""

    range: Range
    tag: str | None  # the release's tag; None for unreleased work
    version: Version | None
    previous: str | None  # the tag of the release it follows
    stream: Stream | None
    label: str | None  # how messages name the release: "v0.4.1", "v0.4.2, unreleased"
    changes: tuple[Change, ...] | None = None  # already read (next-version read them), else None


def register(app: typer.Typer) -> None:
    app.command("check")(check)


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
    approved: str | None = typer.Option(
        None, "--approved", envvar="RELMGR_APPROVED", metavar="PRS",
        help="PR numbers a maintainer approved as breaking (comma or space separated).",
    ),
    output: Format = typer.Option(Format.TEXT, "--format", help="text, json or github (workflow commands)."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
) -> None:
    """Gate breaking changes by level and stream: exit 1 when a change breaks an API where its level forbids.

    Each breaking change is judged once per API it maps to, at that API's level at the version released
    (unmapped changes at default-level); reverted pairs are not judged. With neither --tag nor --stream, the
    unreleased work is judged as the version `relmgr next-version` computes. With [tool.relmgr.openapi]
    specs, what the specs show is judged too (read with git at the release before and at the release),
    each change attributed to the commit that made it: undeclared breaks, and removals never deprecated.
    """
    prs = parse_approved(approved or "")
    project = state(ctx).project(progress=not as_json and output is not Format.JSON)
    target = _target(project, tag, stream, revision_range)
    verdict = judge_target(project, target, prs)
    failed = not verdict.ok or (strict and bool(verdict.warnings))
    fmt = Format.JSON if as_json else output
    if fmt is Format.JSON:
        from relmgr.render import emit_json

        emit_json(verdict_json(target, verdict, ok=not failed))
    elif fmt is Format.GITHUB:
        _print_github(target, verdict, failed)
    else:
        _print_text(project.config, target, verdict, failed)
    if failed:
        raise typer.Exit(1)


def judge_target(project: Project, target: Target, approved: frozenset[int]) -> Verdict:
    """The policy's verdict on a target's breaking changes, at its version's levels (`release` reuses it)."""
    from relmgr.apis import impacts
    from relmgr.policy import judge

    changes = target.changes if target.changes is not None else project.changes(target.range)
    found = impacts(changes, project.registry, target.version, project.config.default_level)
    verdict = judge(found, stream=target.stream, version=target.version, policy=project.config.policy,
                    approved=approved, release=target.label)
    if project.config.openapi.specs:
        verdict = _judge_specs(project, target, changes, verdict)
    return verdict


def _judge_specs(project: Project, target: Target, changes: Sequence[Change], verdict: Verdict) -> Verdict:
    """Add the OpenAPI findings: the specs at the release before and at the range's tip, diffed and judged."""
    from dataclasses import replace
    from datetime import date

    from relmgr.openapi import spec_impacts
    from relmgr.spec_policy import judge_spec, relevant

    previous = project.releases.find(target.previous) if target.previous else None
    if previous is None:  # a first release, or work before any: no spec to compare with
        return replace(verdict, spec_judged=0)
    # a release is judged as of its tag date (sunsets), so that its verdict never changes
    today = project.release(target.tag).date.date() if target.tag else date.today()
    tip = (target.range.tip, target.tag or target.range.tip[:7])
    policy = project.config.policy
    impacts = spec_impacts(
        project, base=(previous.sha, previous.tag), tip=tip, changes=changes,
        whole_range=target.range.base is not None, version=target.version, today=today,
        keep=lambda change, level: relevant(change, level, stream=target.stream, version=target.version,
                                            policy=policy),
    )
    return judge_spec(impacts, verdict, version=target.version, policy=policy, release=target.label)


def _target(project: Project, tag: str | None, stream: str | None, revision_range: str | None) -> Target:
    """The release to judge: a tag, unreleased work in a given stream, or (neither) as its next version."""
    if tag is not None:
        if stream is not None or revision_range is not None:
            raise UsageError("--tag judges a release's own range; drop --stream and RANGE, or drop --tag")
        return _release_target(project, tag)
    if stream is None:
        if revision_range is not None:
            raise UsageError("a RANGE needs --stream z|y|x (the release it would become)")
        return _next_target(project)
    return _stream_target(project, parse_stream(stream), revision_range)


def _next_target(project: Project) -> Target:
    """Unreleased work judged as the version `relmgr next-version` computes for it."""
    from relmgr.assembly import plan_next

    plan = plan_next(project)
    found = plan.next
    base = plan.range.base
    label = f"{project.config.tag_prefix}{found.next.text}, unreleased"
    return Target(plan.range, None, found.next, base.tag if base else None, found.stream, label,
                  tuple(plan.changes))


def _release_target(project: Project, tag: str) -> Target:
    release = project.release(tag)
    return Target(project.release_range(release), release.tag, release.version, release.previous,
                  release.stream, release.tag)


def _stream_target(project: Project, stream: Stream, revision_range: str | None) -> Target:
    """Unreleased work judged as the release it would become: the last release bumped in `stream`."""
    if revision_range is None:
        rng = project.unreleased_range()
        last = rng.base
    else:
        rng = project.parse_range(revision_range)
        last = project.last_release(rng.tip)
    from relmgr.bump import bump

    version = bump(last.version, stream) if last is not None else None
    label = f"{project.config.tag_prefix}{version.text}, unreleased" if version else "unreleased"
    return Target(rng, None, version, last.tag if last else None, stream, label)


def parse_stream(text: str) -> Stream:
    from relmgr.config import STREAM_NAMES

    found = STREAM_NAMES.get(text.strip().lower())
    if found is None:
        raise UsageError(f"--stream {text!r}: use z, y or x (or patch, minor, major)")
    return found


def parse_approved(text: str) -> frozenset[int]:
    """PR numbers from `--approved` / RELMGR_APPROVED: comma or whitespace separated, `#` optional."""
    numbers: set[int] = set()
    for item in re.split(r"[\s,]+", text.strip()):
        digits = item.removeprefix("#")
        if not digits.isdigit():
            if item:
                raise UsageError(f"--approved: {item!r} is not a PR number; pass numbers like 4606,4643")
            continue
        numbers.add(int(digits))
    return frozenset(numbers)


# -- output ---------------------------------------------------------------------------------------


def verdict_json(target: Target, verdict: Verdict, *, ok: bool) -> dict[str, Any]:
    return {
        "ok": ok,
        "release": {
            "tag": target.tag,
            "version": target.version.text if target.version else None,
            "previous": target.previous,
            "stream": target.stream.value if target.stream else None,
        },
        "violations": [finding_json(f) for f in verdict.violations],
        "warnings": [finding_json(f) for f in verdict.warnings],
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "sha": finding.sha,
        "subject": finding.subject,
        "api": finding.api,
        "level": str(finding.level),
        "stream": finding.stream.value if finding.stream else None,
        "rule": finding.rule,
        "message": finding.message,
    }


def _headline(target: Target, verdict: Verdict, failed: bool) -> str:
    """`v0.4.1 (v0.4.0..v0.4.1, Z-stream): failed, 1 violation, 0 warnings, 3 breaking changes judged`."""
    name = target.tag or f"--stream {target.stream.value if target.stream else '?'}"
    if target.stream is None:
        where = f"{target.range.label}, first release: no stream, nothing can violate"
    else:
        where = f"{target.range.label}, {target.stream.value.upper()}-stream"
        if target.tag is None and target.label:
            where += f", {target.label}"
    counts = (f"{plural(len(verdict.violations), 'violation')}, {plural(len(verdict.warnings), 'warning')}, "
              f"{plural(verdict.judged, 'breaking change')} judged")
    if verdict.spec_judged is not None:
        counts += f", plus {verdict.spec_judged} from the OpenAPI specs"
    return f"{TITLE} {name} ({where}): {'failed' if failed else 'ok'}, {counts}"


def plural(count: int, noun: str) -> str:
    """`1 warning`, `2 warnings`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _print_text(config: Config, target: Target, verdict: Verdict, failed: bool) -> None:
    from relmgr import render
    from relmgr.links import pr_url

    out = render.console()
    out.print(render.escape(_headline(target, verdict, failed)))
    for title, findings in (("Violations", verdict.violations), ("Warnings", verdict.warnings)):
        if not findings:
            continue
        grid = render.table("commit", "API", "level", "stream", "rule", "what to do", title=title)
        for f in findings:
            commit = f"{f.sha[:7]} {f.subject}"
            url = pr_url(config.repo_url, f.pr)
            grid.add_row(render.escape(commit + (f"\n{url}" if url else "")), f.api or "(none)", str(f.level),
                         f.stream.value if f.stream else "-", f.rule, render.escape(f.advice))
        out.print(grid)


def github_escape(text: str) -> str:
    """A workflow command's data, as GitHub requires (`%`, CR and LF encoded)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _print_github(target: Target, verdict: Verdict, failed: bool) -> None:
    import os
    import sys

    lines = [f"::error title={TITLE}::{github_escape(f.message)}" for f in verdict.violations]
    lines += [f"::warning title={TITLE}::{github_escape(f.message)}" for f in verdict.warnings]
    lines.append(_headline(target, verdict, failed))
    sys.stdout.write("\n".join(lines) + "\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        from pathlib import Path

        from relmgr.files import append_text

        append_text(Path(summary), _summary_markdown(target, verdict, failed))


def _summary_markdown(target: Target, verdict: Verdict, failed: bool) -> str:
    heading = f"### {TITLE} {target.tag or target.range.label}: {'failed' if failed else 'ok'}"
    lines = [heading, "", _headline(target, verdict, failed).removeprefix(f"{TITLE} "), ""]
    findings = [("error", f) for f in verdict.violations] + [("warning", f) for f in verdict.warnings]
    if findings:
        lines += ["| | commit | API | level | stream | rule | message |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for severity, f in findings:
            cells = [severity, f"`{f.sha[:7]}` {f.subject}", f.api or "(none)", str(f.level),
                     f.stream.value if f.stream else "", f"`{f.rule}`", f.message]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
