"""Where findings become `SpecChange`s: the registry gives each ID its severity and message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from relmgr.spec.checks import RULES
from relmgr.spec.model import SpecChange
from relmgr.spec.place import Finding
from relmgr.spec.registry import lookup


@dataclass(slots=True)
class Sink:
    """Collects the changes of one operation (or of the document), stamping method, path and level.

    `only`, when set, keeps just these IDs (`spec-diff --check`); an unregistered ID is a bug and raises.
    """

    changes: list[SpecChange]
    method: str
    path: str
    level: str
    explicit: bool = False
    only: frozenset[str] | None = None

    def add(self, rule_id: str, details: Mapping[str, str] | None = None, suffix: str = "") -> None:
        rule = lookup(RULES, rule_id)
        if self.only is not None and rule_id not in self.only:
            return
        words = details or {}
        message = rule.render(words) + suffix
        kept = tuple((key, value) for key, value in words.items() if value)
        self.changes.append(
            SpecChange(rule_id, rule.severity, self.method, self.path, self.level, message, self.explicit, kept)
        )

    def found(self, findings: list[Finding], suffix: str = "") -> None:
        for finding in findings:
            self.add(finding.rule_id, finding.details, suffix)
