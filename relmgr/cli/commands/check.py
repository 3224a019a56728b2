"""`check`: the level × stream gate over a release (`--tag`), unreleased work (`--stream`), or by default
unreleased work judged as the next version."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import guarded, state
from relmgr.cli.help import command
from relmgr.cli.options import (
    AllPackagesOption,
    ApprovedOption,
    PackageOption,
    StrictOption,
    parse_approved,
    parse_stream,
)
from relmgr.cli.output import emit_json, finding_json, github_escape
from relmgr.text import plural

if TYPE_CHECKING:
    from relmgr.app.check import Target
    from relmgr.config.model import Config
    from relmgr.policy.findings import Verdict

TITLE = "relmgr check"


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def register(app: typer.Typer) -> None:
    command(app, "check", [
        ("relmgr check --tag v0.4.1", "judge the release v0.4.1 (a tag gate)"),
        ("relmgr check --stream z --format github", "a PR to a release branch, in GitHub Actions"),
        ("relmgr check --stream y origin/main..HEAD", "a branch's commits, as a minor release"),
        ("relmgr check --approved 4606,4643 --strict", "the next version; warnings fail too"),
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
    output: Format = typer.Option(Format.TEXT, "--format", metavar="text|json|github",
                                  help="text, json or github (workflow commands)."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    strict: StrictOption = False,
    package: PackageOption = None,
    all_packages: AllPackagesOption = False,
) -> None:
    """Gate breaking changes by level and stream: exit 1 when a change breaks an API where its level forbids.

    Each breaking change is judged once per API it maps to, at that API's level at the version released
    (unmapped changes at default-level); reverted pairs are not judged. With neither --tag nor --stream, the
    unreleased work is judged as the version `relmgr next-version` computes. With [tool.relmgr.openapi]
    specs, what the specs show is judged too (read with git at the release before and at the release),
    each change attributed to the commit that made it: undeclared breaks, and removals never deprecated.
    With `python` packages on an API, their public API is judged the same way. Packages released on their
    own ([tool.relmgr.packages] with a tag-prefix each) are checked with --package NAME or --all-packages,
    each against its own previous release.
    """
    from relmgr.app.check import judge_target, target_of
    from relmgr.app.packages import scoped

    prs = parse_approved(approved or "")
    wanted = parse_stream(stream) if stream is not None else None
    root = state(ctx).project(progress=not as_json and output is not Format.JSON)
    fmt = Format.JSON if as_json else output
    documents: list[dict[str, Any]] = []
    failures = 0
    for scope in scoped(root, package, all_packages, "check"):
        project = scope.project
        target = target_of(project, tag, wanted, revision_range)
        verdict = judge_target(project, target, prs, date.today())  # the CLI is where time comes in
        failed = not verdict.ok or (strict and bool(verdict.warnings))
        failures += failed
        if fmt is Format.JSON:
            document = verdict_json(target, verdict, ok=not failed)
            documents.append(document if scope.package is None else {"package": scope.package, **document})
        elif fmt is Format.GITHUB:
            _print_github(target, verdict, failed, scope.package)
        else:
            _print_text(project.config, target, verdict, failed, scope.package)
    if fmt is Format.JSON:
        emit_json(documents[0] if not all_packages else {"ok": not failures, "packages": documents})
    if failures:
        raise typer.Exit(1)


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


def _headline(target: Target, verdict: Verdict, failed: bool, package: str | None = None) -> str:
    """`v0.4.1 (v0.4.0..v0.4.1, Z-stream): failed, 1 violation, 0 warnings, 3 breaking changes judged`."""
    name = target.tag or f"--stream {target.stream.value if target.stream else '?'}"
    if package is not None:
        name = f"--package {package} {name}"
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
    if verdict.python_judged is not None:
        counts += f", plus {verdict.python_judged} from the Python packages"
    return f"{TITLE} {name} ({where}): {'failed' if failed else 'ok'}, {counts}"


def _print_text(config: Config, target: Target, verdict: Verdict, failed: bool, package: str | None) -> None:
    from relmgr.cli import output as render
    from relmgr.notes.links import pr_url

    out = render.console()
    out.print(render.escape(_headline(target, verdict, failed, package)))
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


def _print_github(target: Target, verdict: Verdict, failed: bool, package: str | None) -> None:
    import os

    lines = [f"::error title={TITLE}::{github_escape(f.message)}" for f in verdict.violations]
    lines += [f"::warning title={TITLE}::{github_escape(f.message)}" for f in verdict.warnings]
    lines.append(_headline(target, verdict, failed, package))
    from relmgr.cli.output import say

    say("\n".join(lines) + "\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        from pathlib import Path

        from relmgr.files import append_text
        from relmgr.text import escape_controls

        append_text(Path(summary), escape_controls(_summary_markdown(target, verdict, failed, package)))


def _summary_markdown(target: Target, verdict: Verdict, failed: bool, package: str | None = None) -> str:
    heading = f"### {TITLE} {target.tag or target.range.label}: {'failed' if failed else 'ok'}"
    lines = [heading, "", _headline(target, verdict, failed, package).removeprefix(f"{TITLE} "), ""]
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
