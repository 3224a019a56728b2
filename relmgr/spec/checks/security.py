"""Security: the document's and each operation's security requirements, and the security schemes.

A requirement (one alternative: schemes AND-ed, each with scopes) is identified by its scheme names;
alternatives equal on both sides pair first, then a leftover pairs with the one leftover of the same
schemes on the other side, whose scopes are compared. oasdiff rates all of these INFO: whether a new
requirement breaks clients depends on credentials the spec does not describe.

Emits: api-global-security-*, api-security-added/-removed/-scope-*, api-security-component-*.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from relmgr.spec.checks.base import rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.place import Finding, quote
from relmgr.spec.registry import Area, Direction, RuleTable

INF = Severity.INFO
_updated = RuleTable("APISecurityUpdatedCheck", Direction.NONE, Area.SECURITY)
_components = RuleTable("APIComponentsSecurityUpdatedCheck", Direction.NONE, Area.SECURITY)
GLOBAL = {
    "added": _updated.add("api-global-security-added", INF, "the security requirement {security} was added to the API"),
    "removed": _updated.add("api-global-security-removed", INF,
                            "the security requirement {security} was removed from the API"),
    "scope-added": _updated.add("api-global-security-scope-added", INF,
                                "the scope {scope} was added to the API's security scheme {scheme}"),
    "scope-removed": _updated.add("api-global-security-scope-removed", INF,
                                  "the scope {scope} was removed from the API's security scheme {scheme}"),
}
OPERATION = {
    "added": _updated.add("api-security-added", INF, "the security requirement {security} was added to the operation"),
    "removed": _updated.add("api-security-removed", INF,
                            "the security requirement {security} was removed from the operation"),
    "scope-added": _updated.add("api-security-scope-added", INF,
                                "the scope {scope} was added to the operation's security scheme {scheme}"),
    "scope-removed": _updated.add("api-security-scope-removed", INF,
                                  "the scope {scope} was removed from the operation's security scheme {scheme}"),
}
_S = "the security scheme {scheme}"
COMPONENT_ADDED = _components.add("api-security-component-added", INF, _S + " was added to the components")
COMPONENT_REMOVED = _components.add("api-security-component-removed", INF, _S + " was removed from the components")
COMPONENT_TYPE = _components.add("api-security-component-type-changed", INF,
                                 _S + " type changed from {before} to {after}")
COMPONENT_URL = _components.add("api-security-component-oauth-url-changed", INF,
                                _S + " OAuth authorization URL changed from {before} to {after}")
COMPONENT_TOKEN_URL = _components.add("api-security-component-oauth-token-url-changed", INF,
                                      _S + " OAuth token URL changed from {before} to {after}")
COMPONENT_SCOPE_ADDED = _components.add("api-security-component-oauth-scope-added", INF,
                                        _S + " OAuth scope {scope} was added")
COMPONENT_SCOPE_REMOVED = _components.add("api-security-component-oauth-scope-removed", INF,
                                          _S + " OAuth scope {scope} was removed")
COMPONENT_SCOPE_CHANGED = _components.add("api-security-component-oauth-scope-changed", INF,
                                          _S + " OAuth scope {scope} description changed from {before} to {after}")

Requirement = dict[str, frozenset[str]]


def requirements(value: Any) -> list[Requirement]:
    """A `security` list as scheme -> scopes alternatives (junk entries are skipped)."""
    if not isinstance(value, list):
        return []
    found: list[Requirement] = []
    for item in value:
        if isinstance(item, Mapping):
            found.append({str(k): frozenset(str(s) for s in v) if isinstance(v, list) else frozenset()
                          for k, v in item.items()})
    return found


def compare(before: list[Requirement], after: list[Requirement], ids: Mapping[str, str]) -> list[Finding]:
    """Requirements added, removed, and the scopes of the ones that changed (oasdiff's pairing)."""
    left, right = list(before), list(after)
    for item in list(left):
        if item in right:
            left.remove(item)
            right.remove(item)
    found: list[Finding] = []
    for item in list(left):
        same = [other for other in right if other.keys() == item.keys()]
        if len(same) == 1 and sum(1 for other in left if other.keys() == item.keys()) == 1:
            left.remove(item)
            right.remove(same[0])
            found += _scopes(item, same[0], ids)
    found += [Finding(ids["removed"], {"security": _name(item)}) for item in left if item]
    found += [Finding(ids["added"], {"security": _name(item)}) for item in right if item]
    return found


def _scopes(before: Requirement, after: Requirement, ids: Mapping[str, str]) -> list[Finding]:
    found: list[Finding] = []
    for scheme in sorted(before):
        for scope in sorted(after[scheme] - before[scheme]):
            found.append(Finding(ids["scope-added"], {"scope": quote(scope), "scheme": quote(scheme)}))
        for scope in sorted(before[scheme] - after[scheme]):
            found.append(Finding(ids["scope-removed"], {"scope": quote(scope), "scheme": quote(scheme)}))
    return found


def _name(requirement: Requirement) -> str:
    return quote(" AND ".join(sorted(requirement)))


def schemes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Finding]:
    """components.securitySchemes: added, removed, type changed, the implicit OAuth flow's URLs and scopes."""
    found = [Finding(COMPONENT_REMOVED, {"scheme": quote(n)}) for n in before if n not in after]
    found += [Finding(COMPONENT_ADDED, {"scheme": quote(n)}) for n in after if n not in before]
    for name, old in before.items():
        new = after.get(name)
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            found += _scheme(quote(name), old, new)
    return found


def _scheme(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    if old.get("type") != new.get("type"):
        found.append(Finding(COMPONENT_TYPE, {"scheme": name, "before": quote(old.get("type")),
                                              "after": quote(new.get("type"))}))
    flows = (_implicit(old), _implicit(new))
    for key, rule_id in (("authorizationUrl", COMPONENT_URL), ("tokenUrl", COMPONENT_TOKEN_URL)):
        if flows[0].get(key) != flows[1].get(key):
            words = {"scheme": name, "before": quote(flows[0].get(key)), "after": quote(flows[1].get(key))}
            found.append(Finding(rule_id, words))
    scopes = [s if isinstance(s, Mapping) else {} for s in (flows[0].get("scopes"), flows[1].get("scopes"))]
    for scope in scopes[1]:
        if scope not in scopes[0]:
            found.append(Finding(COMPONENT_SCOPE_ADDED, {"scheme": name, "scope": quote(scope)}))
    for scope, text in scopes[0].items():
        if scope not in scopes[1]:
            found.append(Finding(COMPONENT_SCOPE_REMOVED, {"scheme": name, "scope": quote(scope)}))
        elif scopes[1][scope] != text:
            words = {"scheme": name, "scope": quote(scope), "before": quote(text), "after": quote(scopes[1][scope])}
            found.append(Finding(COMPONENT_SCOPE_CHANGED, words))
    return found


def _implicit(scheme: Mapping[str, Any]) -> Mapping[str, Any]:
    flows = scheme.get("flows")
    flow = flows.get("implicit") if isinstance(flows, Mapping) else None
    return flow if isinstance(flow, Mapping) else {}


TABLES = rule_tables(_updated, _components)
