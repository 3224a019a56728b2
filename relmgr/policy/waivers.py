"""Waivers applied to a verdict: reviewed findings left out of it, counted and listed, never lost.

A waiver names a commit (sha prefix) and/or an operation (`GET /v1/models`, or a path: any method; path
parameters match whatever their names) and/or a
check ID (the surface's `check`, e.g. oasdiff's `request-parameter-default-value-added`, or relmgr's `rule`);
a finding is waived when one waiver names all of what it states about it. An expired waiver (its `expires`
day before `today`, which the CLI passes in) waives nothing and is a warning; so is one that matched no
finding, unless it names a commit outside the range judged (a waiver is per commit: later releases do not
hold that commit, and saying so at every release would cry wolf).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date

from relmgr.config.model import Waiver
from relmgr.policy.findings import Finding, Verdict, Waived
from relmgr.policy.grouping import group_findings


def matches(waiver: Waiver, finding: Finding) -> bool:
    """Whether `waiver` names `finding` (every key it sets agrees)."""
    if waiver.commit is not None and not finding.sha.lower().startswith(waiver.commit):
        return False
    if waiver.check is not None and waiver.check not in (finding.check, finding.rule):
        return False
    if waiver.operation is None:
        return True
    method, _, path = _template(finding.object or "").rpartition(" ")
    wanted_method, _, wanted_path = _template(waiver.operation).rpartition(" ")
    return path == wanted_path and (not wanted_method or method == wanted_method)


_PARAMETER = re.compile(r"\{[^}/]*\}")


def _template(operation: str) -> str:
    """`GET /v1/files/{file_id}` → `GET /v1/files/{}`: a path parameter's name is not part of the route."""
    return _PARAMETER.sub("{}", operation.strip())


def apply_waivers(verdict: Verdict, waivers: Sequence[Waiver], *, today: date,
                  commits: Collection[str] | None = None) -> tuple[Verdict, list[str]]:
    """`verdict` without the findings an unexpired waiver names (they move to `waived`), and the warnings
    about waivers that are expired or matched nothing. `commits`: the shas of the range judged (None: any
    unmatched waiver is a warning)."""
    live = [w for w in waivers if w.expires is None or w.expires >= today]
    warnings = [f"waiver ({w.source}: {w.label}) expired on {w.expires}; the findings it named count again: "
                "review them and renew or remove it" for w in waivers if w.expires is not None and w.expires < today]
    if not live:
        return verdict, warnings
    used: set[int] = set()
    waived: list[Waived] = list(verdict.waived)
    kept: dict[str, list[Finding]] = {"violation": [], "warning": []}
    for severity, findings in (("violation", verdict.violations), ("warning", verdict.warnings)):
        for finding in findings:
            index = next((i for i, w in enumerate(live) if matches(w, finding)), None)
            if index is None:
                kept[severity].append(finding)
            else:
                used.add(index)
                waived.append(Waived(finding, severity, live[index]))
    for index, waiver in enumerate(live):
        if index not in used and _in_range(waiver, commits):
            warnings.append(f"waiver ({waiver.source}: {waiver.label}) matched no finding of this release; "
                            "remove it if what it waived is gone")
    return replace(verdict, violations=tuple(kept["violation"]), warnings=tuple(kept["warning"]),
                   waived=tuple(waived)), warnings


def _in_range(waiver: Waiver, commits: Collection[str] | None) -> bool:
    if waiver.commit is None or commits is None:
        return True
    return any(sha.startswith(waiver.commit) for sha in commits)


def waivers_for(verdict: Verdict, *, today: date, expires: date | None = None) -> list[Waiver]:
    """What `check --write-waivers` writes: the waivers already applied, then one waiver per commit and
    check (or rule) of the findings left, so that the same check passes with the file, and a new finding of
    another commit or check still counts."""
    found = list(dict.fromkeys(w.waiver for w in verdict.waived))
    seen = {(w.commit, w.check) for w in found if w.operation is None}
    for group in group_findings([*verdict.violations, *verdict.warnings]):
        for part in group.parts:
            key = (group.sha[:12], part.check or part.rule)
            if key in seen:
                continue
            seen.add(key)
            what = plural_findings(part.count, part.check or part.rule)
            found.append(Waiver(f"{group.subject}: {what}, reviewed on {today.isoformat()}", key[0], None, key[1],
                                expires))
    return found


def plural_findings(count: int, name: str) -> str:
    return f"{count} finding{'' if count == 1 else 's'} of {name}"


def waived_counts(waived: Iterable[Waived]) -> tuple[int, int]:
    """How many violations and warnings were waived."""
    items = list(waived)
    return sum(w.severity == "violation" for w in items), sum(w.severity == "warning" for w in items)
