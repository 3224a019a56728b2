"""Document-wide: webhooks (OpenAPI 3.1) and component schemas.

A webhook removed is a callback subscribers stop receiving (ERR); a component schema removed changes
no operation by itself (what used it is compared where it was used), so it is news (INFO).

Emits: webhook-added, webhook-removed, api-schema-removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from relmgr.spec.checks.base import rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.place import Finding, quote
from relmgr.spec.registry import Area, Direction, RuleTable

_webhooks = RuleTable("WebhookUpdatedCheck", Direction.NONE, Area.COMPONENTS)
_schemas = RuleTable("APIComponentsSchemaRemovedCheck", Direction.NONE, Area.COMPONENTS)
WEBHOOK_ADDED = _webhooks.add("webhook-added", Severity.INFO, "the webhook {name} was added")
WEBHOOK_REMOVED = _webhooks.add("webhook-removed", Severity.ERR, "the webhook {name} was removed")
SCHEMA_REMOVED = _schemas.add("api-schema-removed", Severity.INFO, "the component schema {name} was removed")


def webhooks(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Finding]:
    return [Finding(WEBHOOK_REMOVED, {"name": quote(name)}) for name in before if name not in after] + [
        Finding(WEBHOOK_ADDED, {"name": quote(name)}) for name in after if name not in before
    ]


def schemas(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Finding]:
    return [Finding(SCHEMA_REMOVED, {"name": quote(name)}) for name in before if name not in after]


TABLES = rule_tables(_webhooks, _schemas)
