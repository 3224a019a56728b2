"""OpenAPI loading and level-aware breaking-change diff, with oasdiff's check IDs and severities.

Pure: text or parsed documents in, frozen records out; `app/specs.py` fetches the blobs (through
`history/git.py`), `cli/` renders.

    base = load_spec(old_text, "v1.2.0:openapi.yaml")
    revision = load_spec(new_text, "HEAD:openapi.yaml")
    for change in diff_specs(base, revision, today=date.today()):
        print(change.severity, change.operation, change.id, change.message)

Modules: `load` (text -> document, SpecCache), `resolve` ($ref), `stability` (levels, sunsets),
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

from relmgr.spec.checks import RULES
from relmgr.spec.diff import diff_specs, match_paths, operations, selected_rules
from relmgr.spec.load import SpecCache, load_spec
from relmgr.spec.model import DeprecationPolicy, Operation, Severity, SpecChange
from relmgr.spec.registry import Rule, UnknownRule

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
