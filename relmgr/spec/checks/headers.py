"""Response headers: removed, added, became optional (their schemas are compared at a header place).

Emits: required-response-header-removed, optional-response-header-removed, response-header-added,
response-header-became-optional.
"""

from __future__ import annotations

from relmgr.spec.checks.base import rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_removed = RuleTable("ResponseHeaderRemovedCheck", Direction.RESPONSE, Area.HEADERS)
_added = RuleTable("ResponseHeaderAddedCheck", Direction.RESPONSE, Area.HEADERS)
_optional = RuleTable("ResponseHeaderBecameOptionalCheck", Direction.RESPONSE, Area.HEADERS)
REMOVED = {
    True: _removed.add("required-response-header-removed", E,
                       "removed the required response header '{header}' for status {status}"),
    False: _removed.add("optional-response-header-removed", W,
                        "removed the optional response header '{header}' for status {status}"),
}
ADDED = _added.add("response-header-added", INF, "added the response header '{header}' for status {status}")
BECAME_OPTIONAL = _optional.add("response-header-became-optional", E,
                                "the response header '{header}' for status {status} became optional")

TABLES = rule_tables(_removed, _added, _optional)
