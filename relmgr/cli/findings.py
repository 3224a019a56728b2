"""How `check` shows a verdict's findings to people: grouped (`policy.grouping`) per commit, then per API and
check, violations first, in four forms:

- a terminal (rich): a line per commit, a line per group under it, verdicts and rule IDs in colour;
- plain text (a pipe, `TERM=dumb`, `NO_COLOR`: `output.plain_wanted`, the one switch): one line per group (or
  per finding with `--verbose`), tab-separated columns, so that `grep` and `awk` work;
- GitHub workflow commands: at most `ANNOTATIONS` `::error` and as many `::warning` (a group each), then one
  `::notice` counting the rest;
- Markdown (the step summary, `--format markdown`): a `<details>` block per commit, cut with a count
  before `SUMMARY_BUDGET` bytes whatever the release.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from relmgr.policy.findings import Finding, Verdict
from relmgr.policy.grouping import CommitGroup, Part, commit_phrase, detail_text, group_findings, listed, part_text
from relmgr.text import md_text

ANNOTATIONS = 10  # GitHub shows 10 annotations of a kind per step
SUMMARY_BUDGET = 90_000  # bytes of a step summary (GitHub's limit is 1 MiB per step; readers give up long before)
PARTS_SHOWN = 12  # groups shown per commit in the terminal and plain views (without --verbose)
COLUMNS = ("severity", "commit", "api", "level", "stream", "rule", "check", "count", "operations", "subject",
           "what to do", "link")
VERBOSE_COLUMNS = ("severity", "commit", "api", "level", "stream", "rule", "check", "operation", "detail",
                   "subject", "what to do", "link")


@dataclass(frozen=True, slots=True)
class Section:
    severity: str  # "violation" or "warning"
    title: str  # "Violations"
    groups: tuple[CommitGroup, ...]


def sections(verdict: Verdict) -> list[Section]:
    """Violations, then warnings, each grouped; empty ones left out."""
    found = [Section("violation", "Violations", group_findings(verdict.violations)),
             Section("warning", "Warnings", group_findings(verdict.warnings))]
    return [section for section in found if section.groups]


def _cell(text: str) -> str:
    """A tab-separated cell: one line, no tab."""
    return " ".join(text.replace("\t", " ").splitlines())


def plain_rows(verdict: Verdict, *, verbose: bool, link: PrLink) -> Iterator[str]:
    """The plain view's lines after the headline: a header, then a row per group (per finding: `verbose`)."""
    yield "\t".join(VERBOSE_COLUMNS if verbose else COLUMNS)
    for section in sections(verdict):
        for group in section.groups:
            for part in group.parts:
                head = [section.severity, group.sha[:7], part.api or "(none)", str(part.level),
                        part.stream.value if part.stream else "-", part.rule, part.check or "-"]
                tail = [group.subject, part.advice, link(group.pr)]
                if not verbose:
                    yield "\t".join(_cell(c) for c in (*head, str(part.count), listed(part.operations) or "-", *tail))
                    continue
                for finding in part.findings:
                    row = (*head, finding.object or "-", detail_text(finding), *tail)
                    yield "\t".join(_cell(c) for c in row)


class PrLink:
    """The PR's URL for a finding's commit (empty without a repo-url or a PR number)."""

    def __init__(self, repo_url: str | None) -> None:
        self.repo_url = repo_url

    def __call__(self, pr: int | None) -> str:
        from relmgr.notes.links import pr_url

        return pr_url(self.repo_url, pr) or ""


def terminal_lines(verdict: Verdict, *, verbose: bool, link: PrLink) -> Iterator[str]:
    """The terminal view (rich markup) after the headline: per section a title, per commit a line, per group
    an indented line (and with `verbose` its findings); the advice once per commit and rule."""
    from relmgr.cli.output import escape

    colour = {"violation": "red", "warning": "yellow"}
    for section in sections(verdict):
        yield f"[bold {colour[section.severity]}]{section.title}[/]"
        for group in section.groups:
            url = link(group.pr)
            yield (f"  [bold]{group.sha[:7]}[/] {escape(group.subject)} — {commit_phrase(group)}"
                   + (f"  [dim]{escape(url)}[/]" if url else ""))
            shown = group.parts if verbose else group.parts[:PARTS_SHOWN]
            for part in shown:
                where = f"{part.api or '(none)'} {part.level}"
                rule = f"[cyan]{part.rule}[/]" + (f" [magenta]{escape(part.check)}[/]" if part.check else "")
                ops = f" ({escape(listed(part.operations))})" if part.operations else ""
                yield f"    {escape(where)}  {rule} ×{part.count:,}{ops}"
                if verbose:
                    for finding in part.findings:
                        yield f"      {escape(finding.object or '-')}: {escape(detail_text(finding))}"
            if len(group.parts) > len(shown):
                yield f"    … {len(group.parts) - len(shown)} more groups (--verbose lists every finding)"
            for rule, advice in _advice(group.parts):
                yield f"    [dim]what to do ({rule}):[/] {escape(advice)}"


def _advice(parts: Sequence[Part]) -> list[tuple[str, str]]:
    """Each distinct piece of advice of a commit's groups, once, with the rule it answers."""
    return list(dict.fromkeys((part.rule, part.advice) for part in parts))


# -- GitHub --------------------------------------------------------------------------------------------


def github_annotations(verdict: Verdict, title: str) -> list[str]:
    """`::error`s for the violations' groups and `::warning`s for the warnings', at most ANNOTATIONS each,
    then one `::notice` when some were left for the summary."""
    from relmgr.cli.output import github_escape

    lines: list[str] = []
    left = {"violation": 0, "warning": 0}
    kind = {"violation": "error", "warning": "warning"}
    for section in sections(verdict):
        parts = [(group, part) for group in section.groups for part in group.parts]
        for group, part in parts[:ANNOTATIONS]:
            lines.append(f"::{kind[section.severity]} title={title}::{github_escape(part_text(group, part))}")
        left[section.severity] = sum(part.count for _, part in parts[ANNOTATIONS:])
    if any(left.values()):
        more = " and ".join(f"{count:,} more {name}{'' if count == 1 else 's'}"
                            for name, count in left.items() if count)
        lines.append(f"::notice title={title}::{more} (in groups GitHub does not show here): see the step summary, "
                     "or `relmgr check --json`")
    return lines


# -- Markdown -------------------------------------------------------------------------------------------


def summary_markdown(heading: str, headline: str, verdict: Verdict, *, link: PrLink,
                     budget: int = SUMMARY_BUDGET) -> str:
    """The step summary (and `--format markdown`): the headline, then per section and commit a `<details>`
    block with a table of its groups and the findings' details; everything past `budget` bytes is counted,
    not written."""
    out = _Budget(budget)
    out.add(f"{heading}\n\n{headline}\n")
    for section in sections(verdict):
        out.add(f"\n#### {section.title}\n")
        for number, group in enumerate(section.groups):
            if not out.add(_commit_block(group, link)):
                rest = section.groups[number:]
                out.force(f"\n_… and {len(rest):,} more commits ({sum(g.count for g in rest):,} findings): "
                          "`relmgr check --json` lists them all._\n")
                break
    if verdict.waived:
        out.force(f"\n{len(verdict.waived):,} findings waived (`relmgr check --json` lists them with their waivers).\n")
    return out.text()


def _commit_block(group: CommitGroup, link: PrLink) -> str:
    """A commit's `<details>` (open when it holds few findings): its groups as a table and the advice, when
    it has more findings than groups or findings of a check; then its findings, each on a line (capped)."""
    url = link(group.pr)
    subject = md(group.subject) + (f" ([#{group.pr}]({url}))" if url else "")
    opened = " open" if group.count <= _OPEN else ""
    lines = [f"\n<details{opened}><summary><code>{group.sha[:7]}</code> {subject}: {commit_phrase(group)}</summary>\n"]
    if group.count > len(group.parts) or any(part.check for part in group.parts):
        lines += ["| API | level | stream | rule | check | count | operations |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for part in group.parts:
            cells = [part.api or "(none)", str(part.level), part.stream.value if part.stream else "",
                     f"`{part.rule}`", f"`{part.check}`" if part.check else "", f"{part.count:,}",
                     listed(part.operations, 5)]
            lines.append("| " + " | ".join(md(c) for c in cells) + " |")
        lines += ["", *(_item(f"what to do (`{rule}`): {advice}") for rule, advice in _advice(group.parts)), ""]
        findings = [_item(f"`{f.object}` `{part.name}`: {detail_text(f)}") if f.object else _item(f.message)
                    for part in group.parts for f in part.findings]
    else:
        findings = [_item(f"`{part.rule}`: {f.message}") for part in group.parts for f in part.findings]
    lines += findings[:_FINDINGS_PER_COMMIT]
    if len(findings) > _FINDINGS_PER_COMMIT:
        lines.append(f"- … and {len(findings) - _FINDINGS_PER_COMMIT:,} more (`relmgr check --json`)")
    lines.append("\n</details>\n")
    return "\n".join(lines)


_OPEN = 3  # a commit's <details> with at most this many findings is open
_FINDINGS_PER_COMMIT = 100  # finding lines in a commit's <details>: the rest are counted


class _Budget:
    """Text that stops growing at `limit` bytes (UTF-8): `add` refuses what does not fit, `force` does not."""

    def __init__(self, limit: int) -> None:
        self.limit, self.parts, self.size = limit, list[str](), 0

    def add(self, text: str) -> bool:
        size = len(text.encode("utf-8"))
        if self.size + size > self.limit:
            return False
        self.force(text, size)
        return True

    def force(self, text: str, size: int | None = None) -> None:
        self.parts.append(text)
        self.size += size if size is not None else len(text.encode("utf-8"))

    def text(self) -> str:
        return "".join(self.parts)


def _item(text: str) -> str:
    """A list item of the summary: one line, no raw HTML outside code spans (`text.md_text`: inside them a
    `<` is literal already, and `&lt;` would show as written: "`BREAKING CHANGE: &lt;how to migrate>`")."""
    return "- " + md_text(text).replace("\r", " ").replace("\n", " ")


def md(text: str) -> str:
    """Text in a Markdown table cell or inside HTML (a `<summary>`): one line, `|` and `\\` escaped, no HTML."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\r", " ")
            .replace("\n", " "))


def finding_detail_json(finding: Finding) -> dict[str, object]:
    """The fields `--json` adds to a finding: its check, its details (an object), the surface's sentence."""
    return {"check": finding.check, "details": dict(finding.details), "change": finding.change}
