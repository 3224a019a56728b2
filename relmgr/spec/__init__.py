"""OpenAPI loading and level-aware breaking-change diff, with oasdiff's check IDs and severities.

Pure: text or parsed documents in, frozen records out; `app/specs.py` fetches the blobs (through
`history/git.py`), `cli/` renders.

    base = load_spec(old_text, "v1.2.0:openapi.yaml")
    revision = load_spec(new_text, "HEAD:openapi.yaml")
    for change in diff_specs(base, revision, today=date.today()):
        print(change.severity, change.operation, change.id, change.message)

Modules: `load` (text -> document, SpecCache), `resolve` ($ref), `stability` (levels, sunsets),
`view` (one document's paths, parameters, bodies, responses), `schema` (schema deltas), `rules`
(deltas -> IDs), `catalog` (oasdiff IDs and severities), `operation` and `diff` (the comparison). On top of
the engine: `policy` (spec changes attributed to commits and judged by level × stream) and `surface` (the
routes of each API).

May import: `errors`, `config.model`, `history.versions`, `policy`. Never git, `cli`, `app`.
"""

from __future__ import annotations

from relmgr.spec.catalog import RULES
from relmgr.spec.diff import diff_specs, match_paths, operations
from relmgr.spec.load import SpecCache, load_spec
from relmgr.spec.model import DeprecationPolicy, Operation, Severity, SpecChange

__all__ = [
    "RULES",
    "DeprecationPolicy",
    "Operation",
    "Severity",
    "SpecCache",
    "SpecChange",
    "diff_specs",
    "load_spec",
    "match_paths",
    "operations",
]
