"""`check`'s body: judge a target (a release with `--tag`, unreleased work with `--stream`, by default the
unreleased work as the next version) for the project or each package, and print the verdicts as text, JSON
or GitHub workflow commands."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from relmgr.cli.output import emit_json, finding_json, say
from relmgr.cli.values import parse_approved, parse_stream
from relmgr.text import plural

if TYPE_CHECKING:
    from pathlib import Path

    from relmgr.app.check import Target
    from relmgr.app.pr import PrVerdict
    from relmgr.ci.events import CiEvent
    from relmgr.cli.state import State
    from relmgr.config.model import Config, Waiver
    from relmgr.policy.findings import Verdict

TITLE = "relmgr check"


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    MARKDOWN = "markdown"


def check(state: State, *, revision_range: str | None, tag: str | None, stream: str | None,
          approved: str | None, output: Format, as_json: bool, strict: bool, package: str | None = None,
          all_packages: bool = False, verbose: bool = False, write_waivers: Path | None = None, pr: bool = False,
          event: Path | None = None) -> int:
    """The verdicts printed; exit 1 when a target fails (or has warnings, with `strict`).

    `pr`: the CI event's pull request (`event`, else GITHUB_EVENT_PATH, else GitLab's variables) judged
    as what it lands, through the same verdict and renderers as every other target."""
    from relmgr.app.check import judge_target, target_of
    from relmgr.app.packages import scoped

    prs = parse_approved(approved or "")
    wanted = parse_stream(stream) if stream is not None else None
    ci = _pr_event(event, tag, revision_range) if pr or event is not None else None
    fmt = Format.JSON if as_json else output
    root = state.project(progress=fmt is not Format.JSON)
    documents: list[dict[str, Any]] = []
    failures = 0
    today = date.today()  # the CLI is where time comes in
    written: list[Waiver] = []
    shown: list[tuple[Config, Target, Verdict, bool, str | None]] = []
    for scope in scoped(root, package, all_packages, "check"):
        project = scope.project
        judged: PrVerdict | None = None
        if ci is not None:
            from relmgr.app.pr import judge_event

            judged = judge_event(project, ci, prs, wanted, today)
            target, verdict = judged.target, judged.verdict
        else:
            target = target_of(project, tag, wanted, revision_range)
            verdict = judge_target(project, target, prs | _ambient_approvals(project.config.policy.approval_labels),
                                   today)
        failed = not verdict.ok or (strict and bool(verdict.warnings))
        failures += failed
        if write_waivers is not None:
            from relmgr.policy.waivers import waivers_for

            written.extend(w for w in waivers_for(verdict, today=today) if w not in written)
        if fmt is Format.JSON:
            document = verdict_json(target, verdict, ok=not failed)
            if judged is not None:
                document["pr"] = pr_json(judged)
            documents.append(document if scope.package is None else {"package": scope.package, **document})
        else:
            shown.append((project.config, target, verdict, failed, scope.package))
    state.close()  # the progress bar erased (and the warnings said) before the verdicts are printed
    for config, target, verdict, failed, name in shown:
        if fmt is Format.GITHUB:
            _print_github(config, target, verdict, failed, name)
        elif fmt is Format.MARKDOWN:
            say(_summary(config, target, verdict, failed, name))
        else:
            _print_text(config, target, verdict, failed, name, verbose)
    if fmt is Format.JSON:
        emit_json(documents[0] if not all_packages else {"ok": not failures, "packages": documents})
    if write_waivers is not None:
        _write_waivers(write_waivers, written)
    return 1 if failures else 0


def _write_waivers(path: Path, waivers: list[Waiver]) -> None:
    """`--write-waivers FILE`: the waivers for the findings (atomically: `files.write_atomic`); the exit code
    stays the verdict's, as judged before the file existed."""
    from relmgr.cli.output import note, write_output
    from relmgr.config.waivers import render

    write_output(path, render(waivers))
    if str(path) != "-":
        note(f"wrote {plural(len(waivers), 'waiver')} to {path}; review their reasons and name the file in "
             "[tool.relmgr.policy] waivers")


def _pr_event(path: Path | None, tag: str | None, revision_range: str | None) -> CiEvent:
    """The CI event: `--event FILE`, else the file GITHUB_EVENT_PATH names, else GitLab's variables."""
    import os
    from pathlib import Path

    from relmgr.ci.events import github_event, gitlab_event, parse_payload
    from relmgr.errors import UsageError
    from relmgr.files import read_text

    if tag is not None or revision_range is not None:
        raise UsageError("--pr judges the CI event's pull request; drop --tag and RANGE, or drop --pr")
    named = path or (Path(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else None)
    if named is not None:
        where = str(named)
        return github_event(parse_payload(read_text(named), where), os.environ, where)
    found = gitlab_event(os.environ)
    if found is None:
        raise UsageError("--pr needs the CI event: run it in a GitHub Actions pull_request or merge_group job "
                         "(GITHUB_EVENT_PATH), a GitLab merge-request pipeline, or pass --event FILE")
    return found


def _ambient_approvals(labels: tuple[str, ...]) -> frozenset[int]:
    """Without --pr, in a CI job for a pull request: its number when it carries one of `approval-labels`
    (read only when some are configured; an event that is no pull request approves nothing)."""
    import os
    from pathlib import Path

    from relmgr.ci.events import PR_KINDS, github_event, gitlab_event, parse_payload
    from relmgr.ci.pr import label_approvals
    from relmgr.files import read_text

    if not labels:
        return frozenset()
    named = os.environ.get("GITHUB_EVENT_PATH")
    if named:
        payload = parse_payload(read_text(Path(named)), named)
        kind = os.environ.get("GITHUB_EVENT_NAME") or ("pull_request" if "pull_request" in payload else "")
        found = github_event(payload, os.environ, named) if kind in PR_KINDS else None
    else:
        found = gitlab_event(os.environ)
    return label_approvals(found.number, found.labels, labels) if found is not None and found.is_pr else frozenset()


# -- output ---------------------------------------------------------------------------------------


def pr_json(judged: PrVerdict) -> dict[str, Any]:
    """The `pr` object of `check --pr --json`: the event as read and where its approvals came from."""
    event = judged.event
    return {
        "number": event.number, "title": event.title, "kind": event.kind, "provider": event.provider,
        "base": event.base, "head": event.head, "labels": list(event.labels), "tag": event.tag,
        "approved": sorted(judged.approved), "approved_by_label": judged.by_label,
        "base_stream": judged.base.why if judged.base else None,
    }


def verdict_json(target: Target, verdict: Verdict, *, ok: bool) -> dict[str, Any]:
    """The verdict as JSON: the shipped fields, then `groups` (per commit, API and check) and `waived`."""
    from relmgr.cli.findings import sections

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
        "groups": [
            {"severity": section.severity, "sha": group.sha, "subject": group.subject, "count": group.count,
             "operations": len(group.operations),
             "parts": [{"api": p.api, "level": str(p.level), "rule": p.rule, "check": p.check, "count": p.count,
                        "operations": list(p.operations)} for p in group.parts]}
            for section in sections(verdict) for group in section.groups
        ],
        "waived": [{**finding_json(w.finding), "severity": w.severity, "waiver": _waiver_json(w.waiver)}
                   for w in verdict.waived],
    }


def _waiver_json(waiver: Waiver) -> dict[str, Any]:
    return {"commit": waiver.commit, "operation": waiver.operation, "check": waiver.check, "reason": waiver.reason,
            "expires": waiver.expires.isoformat() if waiver.expires else None, "source": waiver.source}


def _headline(target: Target, verdict: Verdict, failed: bool, package: str | None = None) -> str:
    """`v0.4.1 (v0.4.0..v0.4.1, Z-stream): failed, 1 violation, 0 warnings, 3 breaking changes judged`."""
    name = target.tag or target.name or f"--stream {target.stream.value if target.stream else '?'}"
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
    if verdict.waived:
        counts += f", {len(verdict.waived):,} waived"
    return f"{TITLE} {name} ({where}): {'failed' if failed else 'ok'}, {counts}"


def _print_text(config: Config, target: Target, verdict: Verdict, failed: bool, package: str | None,
                verbose: bool) -> None:
    """Grouped findings: rich at a terminal, tab-separated rows elsewhere (`output.plain_wanted`)."""
    from relmgr.cli import output as render
    from relmgr.cli.findings import PrLink, plain_rows, terminal_lines

    headline = _headline(target, verdict, failed, package)
    link = PrLink(config.repo_url)
    if render.plain_wanted():
        rows = list(plain_rows(verdict, verbose=verbose, link=link)) if verdict.violations or verdict.warnings else []
        say("\n".join([headline, *rows]) + "\n")
        return
    verdict_word = "failed" if failed else "ok"
    colour = "red" if failed else "yellow" if verdict.warnings else "green"
    head, _, rest = render.escape(headline).partition(f": {verdict_word}")
    out = render.console()
    out.print(f"{head}: [bold {colour}]{verdict_word}[/]{rest}")
    for line in terminal_lines(verdict, verbose=verbose, link=link):
        out.print(line)


def _print_github(config: Config, target: Target, verdict: Verdict, failed: bool, package: str | None) -> None:
    """Annotations GitHub shows (`findings.annotations`), the headline, and the step summary appended."""
    import os

    from relmgr.cli.findings import github_annotations

    say("\n".join([*github_annotations(verdict, TITLE), _headline(target, verdict, failed, package)]) + "\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        from pathlib import Path

        from relmgr.files import append_text
        from relmgr.text import escape_controls

        append_text(Path(summary), escape_controls(_summary(config, target, verdict, failed, package)))


def _summary(config: Config, target: Target, verdict: Verdict, failed: bool, package: str | None = None) -> str:
    """The step summary, and `--format markdown` (a PR comment): the same text."""
    from relmgr.cli.findings import PrLink, summary_markdown

    heading = f"### {TITLE} {target.tag or target.name or target.range.label}: {'failed' if failed else 'ok'}"
    headline = _headline(target, verdict, failed, package).removeprefix(f"{TITLE} ")
    return summary_markdown(heading, headline, verdict, link=PrLink(config.repo_url))
