"""OpenAPI loading and level-aware breaking-change diff, with oasdiff's check IDs and severities.

Pure: text or parsed documents in, frozen records out; `git.py` fetches the blobs, `cli.py` renders.

    base = load_spec(old_text, "v1.2.0:openapi.yaml")
    revision = load_spec(new_text, "HEAD:openapi.yaml")
    for change in diff_specs(base, revision, today=date.today()):
        print(change.severity, change.operation, change.id, change.message)

Modules: `load` (text -> document, SpecCache), `resolve` ($ref), `stability` (levels, sunsets),
`view` (one document's paths, parameters, bodies, responses), `schema` (schema deltas), `rules`
(deltas -> IDs), `catalog` (oasdiff IDs and severities), `operation` and `diff` (the comparison).
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
