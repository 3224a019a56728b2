"""The notes' spec findings per commit, for people: one bullet per commit and level, with the changes in a
`<details>` list (what `notes.md.j2` renders), over the JSON model's entries (templates see only those).

A commit that switches a spec generator may show a thousand changes; listed one per bullet they make notes
nobody can publish (the real project's 0.7.0: 2,559 lines, 909 bullets from one PR). Grouped, it is one
bullet, "changes 83 operations: request-parameter-default-value-added ×412, …", and a `<details>` block of at
most `LISTED` operations (the JSON keeps every change). A commit is one bullet, under the most stable level it
breaks: when its own message declares the break, its message's, with what the spec shows as its details.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from relmgr.history.commits import parse_message

LISTED = 60  # operations listed in a bullet's <details>; the rest are counted
# non-breaking changes clients notice: every WARN, and these INFO ones (a default, a newly required or
# nullable field, a new enum value in a response)
BEHAVIOR = re.compile(r"default-value|required-property-added|became-required|became-nullable|enum-value-added")


def is_behavior(check: str, severity: str) -> bool:
    """Whether a non-breaking spec change belongs in "Behavior changes" (`severity`: oasdiff's WARN/INFO)."""
    return severity == "WARN" or (severity == "INFO" and BEHAVIOR.search(check) is not None)


def grouped(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Entries (the JSON model's `breaking` or behaviour items, most stable level first) merged per commit,
    under the first (most stable) level it comes at, in the order they come: the commit message's entry
    when there is one (else the first), with `changes` (each detected change: operation, check,
    description, apis, source), `count`, `checks` (check and count, most first), `operations` (distinct,
    in order), `listed` (the first LISTED operations, each with its changes), `more` (how many operations
    are not listed), `summary` (`changes 83 operations: …`) and `title` (the commit's description: its
    subject without type, scope and PR)."""
    merged: dict[str, dict[str, Any]] = {}
    for entry in entries:
        key = entry["sha"]
        group = merged.setdefault(key, {**entry, "changes": []})
        if entry.get("source", "commit") == "commit":
            merged[key] = group = {**entry, "changes": group["changes"], "apis": _union(entry["apis"], group["apis"]),
                                   "level": group["level"]}
            continue
        group["changes"].append({"operation": entry["operation"], "check": entry["check"],
                                 "description": entry["description"], "apis": entry["apis"],
                                 "source": entry.get("source")})
        group["apis"] = _union(group["apis"], entry["apis"])
        group["declared"] = group.get("declared", True) and entry.get("declared", True)
        group["attributed"] = group.get("attributed", True) and entry.get("attributed", True)
    return [_summarised(group) for group in merged.values()]


def _union(first: Sequence[Mapping[str, str]], second: Iterable[Mapping[str, str]]) -> list[Mapping[str, str]]:
    names = {api["name"] for api in first}
    return [*first, *(api for api in second if api["name"] not in names)]


def _summarised(group: dict[str, Any]) -> dict[str, Any]:
    changes: list[dict[str, Any]] = group["changes"]
    counts: dict[str, int] = {}
    by_operation: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        counts[change["check"]] = counts.get(change["check"], 0) + 1
        by_operation.setdefault(change["operation"], []).append(change)
    checks = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    operations = list(by_operation)
    listed = [{"operation": op, "changes": [f"{c['description']} (`{c['check']}`)" for c in found]}
              for op, found in list(by_operation.items())[:LISTED]]
    title = parse_message(group["subject"]).description or group["subject"]  # as the notes' other entries
    group.update(title=title, count=len(changes), checks=[{"check": c, "count": n} for c, n in checks],
                 operations=operations, listed=listed, more=max(0, len(operations) - LISTED),
                 summary=summary(len(operations), checks))
    return group


def summary(operations: int, checks: Sequence[tuple[str, int]], shown: int = 4) -> str:
    """`changes 83 operations: request-parameter-default-value-added ×412, … (2 more checks)`."""
    if not checks:
        return ""
    listed = ", ".join(f"{check} ×{count:,}" for check, count in checks[:shown])
    more = f", and {len(checks) - shown} more checks" if len(checks) > shown else ""
    return f"changes {operations:,} operation{'' if operations == 1 else 's'}: {listed}{more}"


def grouped_json(breaking: Sequence[Mapping[str, Any]], behavior: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The notes model's grouped keys: `breaking_by_commit` (every breaking commit once under its level) and
    `behavior_changes` (per commit)."""
    return {"breaking_by_commit": grouped(breaking), "behavior_changes": grouped(behavior)}
