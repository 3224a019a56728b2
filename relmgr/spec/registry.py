"""The rule registry: one record per check ID the engine can report, like oasdiff's `rules.go`.

Every ID is written out once, in the `checks/<family>.py` module that emits it (no ID is composed at
run time), with its severity, direction, area, the oasdiff check function it belongs to and a message
template. `RULES` gathers them; asking for an ID that is not registered is a bug (`UnknownRule`).

Templates name their fields (`{property}`, `{status}`, `{before}` ...); `render` fills them from a
finding's details, so a template asking for a field the finding lacks fails loudly in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from relmgr.spec.model import Severity


class Direction(StrEnum):
    """Which side of the exchange a rule judges: a request that accepts less breaks clients, a response
    that returns more may."""

    REQUEST = "request"
    RESPONSE = "response"
    NONE = "none"


class Area(StrEnum):
    """Where in a document the rule looks (oasdiff's areas)."""

    PATHS = "paths"
    PARAMETERS = "parameters"
    REQUEST_BODY = "request-body"
    RESPONSES = "responses"
    HEADERS = "headers"
    SCHEMA = "schema"
    SECURITY = "security"
    COMPONENTS = "components"
    TAGS = "tags"


@dataclass(frozen=True, slots=True)
class Rule:
    """One check ID. `check` is the oasdiff check function that reports it ("" for relmgr's own IDs)."""

    id: str
    severity: Severity
    direction: Direction
    area: Area
    check: str
    template: str

    def render(self, details: Mapping[str, str]) -> str:
        """The message: the template with the finding's details filled in."""
        return self.template.format_map(details)


class UnknownRule(KeyError):
    """An ID that no `checks` module registered: a bug in the engine, never a user error."""


@dataclass(slots=True)
class RuleTable:
    """Collects one family's rules; `add` returns the ID so a module can name it once, as a constant."""

    check: str
    direction: Direction
    area: Area
    rules: list[Rule] = field(default_factory=list)

    def add(self, rule_id: str, severity: Severity, template: str, *, area: Area | None = None) -> str:
        self.rules.append(Rule(rule_id, severity, self.direction, area or self.area, self.check, template))
        return rule_id


def build(tables: Iterable[RuleTable]) -> dict[str, Rule]:
    """ID -> rule; an ID registered twice is a bug."""
    rules: dict[str, Rule] = {}
    for table in tables:
        for rule in table.rules:
            if rule.id in rules:
                raise ValueError(f"rule {rule.id} is registered twice")
            rules[rule.id] = rule
    return rules


def lookup(rules: Mapping[str, Rule], rule_id: str) -> Rule:
    try:
        return rules[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


_AREA_TITLES = {
    Area.PATHS: "Paths and operations",
    Area.PARAMETERS: "Parameters",
    Area.REQUEST_BODY: "Request bodies",
    Area.RESPONSES: "Responses",
    Area.HEADERS: "Response headers",
    Area.SCHEMA: "Schemas (request and response bodies, properties)",
    Area.SECURITY: "Security",
    Area.COMPONENTS: "Components and webhooks",
    Area.TAGS: "Tags",
}


def rules_markdown(rules: Mapping[str, Rule]) -> str:
    """The rules table of `docs/spec-rules.md`: one section per area, one row per rule, sorted by ID."""
    severities = {sev: sum(1 for r in rules.values() if r.severity is sev) for sev in Severity}
    counts = ", ".join(f"{n} {sev.value}" for sev, n in severities.items())
    lines = [
        "# Spec rules",
        "",
        "<!-- Generated from relmgr's rule registry by `python scripts/spec_rules.py`; do not edit by hand. -->",
        "",
        f"`relmgr spec-diff` knows {len(rules)} rules ({counts}): oasdiff's check IDs with oasdiff's default "
        "severities (`ERR` breaks clients, `WARN` may break them, `INFO` does not). The direction says which "
        "side of the exchange a rule judges: a request that accepts less breaks clients, a response that "
        "returns more may. `--check` takes an ID or an oasdiff check's name (its IDs). In a message, "
        "`{property}` is a path below the body or parameter (`items/name`, `oneOf[#/components/schemas/Dog]/"
        "breed`), and a body change ends with its media type.",
        "",
        "Not reported: oasdiff's `api-version-not-bumped`, `api-version-decreased` and "
        "`api-major-version-not-bumped`, which judge `info.version` against the changes found; relmgr "
        "versions releases from commits, not from the spec.",
        "",
        "relmgr's own (no oasdiff check): `operation-level-changed`, a route moved to another level's prefix "
        "(`/v1alpha/x` → `/v1beta/x`), reported in place of the old route's removal and the new one's addition "
        "(ERR as that removal without deprecation, INFO after a deprecation, ERR when the new level is less "
        "stable).",
    ]
    for area, title in _AREA_TITLES.items():
        rows = sorted((r for r in rules.values() if r.area is area), key=lambda r: r.id)
        if not rows:
            continue
        lines += ["", f"## {title}", "", "| ID | severity | direction | oasdiff check | message |",
                  "| --- | --- | --- | --- | --- |"]
        for rule in rows:
            text = rule.template.replace("|", "\\|")
            lines.append(f"| `{rule.id}` | {rule.severity.value} | {rule.direction.value} | "
                         f"{rule.check or '(none)'} | {text} |")
    return "\n".join(lines) + "\n"
