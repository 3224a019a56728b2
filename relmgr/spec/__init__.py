"""OpenAPI loading and level-aware breaking-change diff, with oasdiff's check IDs and severities.

Pure: text or parsed documents in, frozen records out; `app/specs.py` fetches the blobs (through
`history/git.py`), `cli/` renders.

    base = load_spec(old_text, "v1.2.0:openapi.yaml")
    revision = load_spec(new_text, "HEAD:openapi.yaml")
    for change in diff_specs(base, revision, today=date.today()):
        print(change.severity, change.operation, change.id, change.message)

Modules: `load` (text -> document, SpecCache; `fastyaml`: yaml-rs where it reads as PyYAML does), `resolve`
($ref), `fingerprint` (digests of operations' resolved subtrees), `stability` (levels, sunsets),
`view` (one document's paths, parameters, bodies, responses), `schema`, `nodes`, `members` and
`shapes` (schema deltas), `registry` (the rule record), `checks/` (the rule families: which IDs exist
and what each delta means where), `place` (where a schema sits), `sink`, `operation` and `diff` (the
comparison). Around it: `compose` (several files read as one surface, before the engine), `moves` (route
moves as relmgr's own `operation-level-changed`, after it) and `lifecycle` (deprecation periods). On top of
the engine: `policy` (spec changes attributed to commits and judged by level × stream) and `surface` (the
routes of each API).

May import: `errors`, `config.model`, `history.versions`, `policy`. Never git, `cli`, `app`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relmgr.spec.checks import RULES
    from relmgr.spec.diff import diff_specs, match_paths, operations, selected_rules
    from relmgr.spec.load import SpecCache, load_spec
    from relmgr.spec.model import DeprecationPolicy, Operation, Severity, SpecChange
    from relmgr.spec.registry import Rule, UnknownRule

# Each name is imported from its module when first asked for: a run that reads every spec result from
# relmgr's cache needs the records (`model`), not the engine, its rules or YAML (~70 ms of imports).
_WHERE = {
    "RULES": "checks", "diff_specs": "diff", "match_paths": "diff", "operations": "diff", "selected_rules": "diff",
    "SpecCache": "load", "load_spec": "load", "DeprecationPolicy": "model", "Operation": "model",
    "Severity": "model", "SpecChange": "model", "Rule": "registry", "UnknownRule": "registry",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"relmgr.spec.{_WHERE[name]}"), name)
    globals()[name] = value
    return value

__all__ = [
    "RULES",
    "DeprecationPolicy",
    "Operation",
    "Rule",
    "Severity",
    "SpecCache",
    "SpecChange",
    "UnknownRule",
    "diff_specs",
    "load_spec",
    "match_paths",
    "operations",
    "selected_rules",
]
