"""Findings grouped the way people read them: per commit, then per API and check ID, with a count and the
operations. Pure: a verdict's findings in, groups out; every finding is kept in its group (with its detail)
for `--json` and `--verbose`.

One commit that switches a spec generator can give a thousand findings of a dozen checks: grouped, that is one
commit line and a dozen part lines, `request-parameter-default-value-added ×412 (GET /v1/models, …)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from relmgr.history.versions import Stream
from relmgr.policy.findings import Finding
from relmgr.policy.levels import Level


@dataclass(frozen=True, slots=True)
class Part:
    """The findings of one commit for one API and check (or, for a commit message's finding, one rule)."""

    api: str | None
    level: Level
    stream: Stream | None
    rule: str
    check: str | None
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def name(self) -> str:
        """The check ID when the finding has one (what changed), else relmgr's rule ID."""
        return self.check or self.rule

    @property
    def operations(self) -> tuple[str, ...]:
        """The operations (or objects) the findings are about, in order, each once."""
        return tuple(dict.fromkeys(f.object for f in self.findings if f.object))

    @property
    def advice(self) -> str:
        """What to do: the first finding's advice without its `` `OP` check: `` prefix (the group names them)."""
        advice = self.findings[0].advice
        prefix = f"`{self.findings[0].object}` {self.check}: " if self.check else ""
        return advice.removeprefix(prefix)


@dataclass(frozen=True, slots=True)
class CommitGroup:
    sha: str
    subject: str
    pr: int | None
    parts: tuple[Part, ...]  # most findings first

    @property
    def count(self) -> int:
        return sum(part.count for part in self.parts)

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(op for part in self.parts for op in part.operations))


def group_findings(findings: Iterable[Finding]) -> tuple[CommitGroup, ...]:
    """Per commit (in the order the findings first name them), then per API × rule × check (most first); a
    finding without a check (a commit message's) is a group of its own."""
    commits: dict[str, dict[tuple[str | None, str, str | None, int], list[Finding]]] = {}
    heads: dict[str, Finding] = {}
    for number, finding in enumerate(findings):
        heads.setdefault(finding.sha, finding)
        # a finding of no surface check (a commit message's) is its own group: its message is what it says
        key = (finding.api, finding.rule, finding.check, -1 if finding.check else number)
        commits.setdefault(finding.sha, {}).setdefault(key, []).append(finding)
    groups = []
    for sha, parts in commits.items():
        head = heads[sha]
        built = [Part(api, items[0].level, items[0].stream, rule, check, tuple(items))
                 for (api, rule, check, _), items in parts.items()]
        built.sort(key=lambda p: (-p.count, p.api or "", p.rule, p.check or ""))
        groups.append(CommitGroup(sha, head.subject, head.pr, tuple(built)))
    return tuple(groups)


def listed(operations: Sequence[str], shown: int = 3) -> str:
    """`GET /v1/models, POST /v1/files, … (+80 more)`."""
    if len(operations) <= shown:
        return ", ".join(operations)
    return ", ".join(operations[:shown]) + f", … (+{len(operations) - shown:,} more)"


def commit_phrase(group: CommitGroup) -> str:
    """`1,265 findings in 83 operations` (or `1 finding`, when no operation is named)."""
    count = f"{group.count:,} finding{'' if group.count == 1 else 's'}"
    ops = len(group.operations)
    return count + (f" in {ops:,} operation{'' if ops == 1 else 's'}" if ops else "")


def part_phrase(part: Part, shown: int = 3) -> str:
    """`request-parameter-default-value-added ×412 (GET /v1/models, … (+80 more))`."""
    ops = part.operations
    return f"{part.name} ×{part.count:,}" + (f" ({listed(ops, shown)})" if ops else "")


def detail_text(finding: Finding) -> str:
    """What tells a finding apart, for people: the surface's sentence (it names the parameter or property
    and the old and new values), else its structured details (`parameter=limit, after=20`), else the
    policy's message."""
    if finding.change:
        return finding.change
    if finding.details:
        return ", ".join(f"{name}={value}" for name, value in finding.details)
    return finding.message


def part_text(group: CommitGroup, part: Part) -> str:
    """One sentence for a group: a lone finding's own message; else the commit, the rule, the check ×count,
    the first operations, the API and what to do (a GitHub annotation, a line of `release`, a tag message)."""
    if part.count == 1:
        return part.findings[0].message
    api = f"the {part.level} API `{part.api}`" if part.api else f"no configured API (at {part.level})"
    return f"{group.sha[:7]} {group.subject}: {part.rule}, {part_phrase(part, shown=5)} on {api}: {part.advice}"


def grouped_lines(findings: Iterable[Finding]) -> list[str]:
    """`part_text` of every group of `findings`, in order."""
    return [part_text(group, part) for group in group_findings(findings) for part in group.parts]
