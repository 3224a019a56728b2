"""Where findings become `SpecChange`s: the registry gives each ID its severity and message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
        self.add_rendered([render(rule_id, details or {}, suffix)])

    def found(self, findings: list[Finding], suffix: str = "") -> None:
        self.add_rendered([render(finding.rule_id, finding.details, suffix) for finding in findings])

    def add_rendered(self, rendered: Iterable[Rendered]) -> None:
        """Findings already rendered (a schema comparison shared by operations renders once)."""
        for rule_id, message, details in rendered:
            if self.only is None or rule_id in self.only:
                severity = RULES[rule_id].severity
                self.changes.append(SpecChange(rule_id, severity, self.method, self.path, self.level, message,
                                               self.explicit, details))


Rendered = tuple[str, str, tuple[tuple[str, str], ...]]  # (rule ID, message, the non-empty details)


def render(rule_id: str, details: Mapping[str, str], suffix: str = "") -> Rendered:
    """A finding's message and details; an unregistered ID is a bug (`UnknownRule`)."""
    rule = lookup(RULES, rule_id)
    return rule_id, rule.render(details) + suffix, tuple((key, value) for key, value in details.items() if value)
