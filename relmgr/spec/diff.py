"""Level-aware breaking-change diff of two OpenAPI documents, reported with oasdiff's check IDs.

Stability levels, as oasdiff applies them (`oasdiff breaking` defaults to `--stability-level beta`):
an operation below `min_stage` is not checked at all. Removed paths and operations are judged by
their base level; the checks of an operation present in both specs by its revision level; a level
change (`api-stability-decreased`) by the base level, so leaving stable for alpha is reported.
Findings always carry the operation's level, so relmgr's gate can decide per level what matters;
pass `min_stage=Stage.ALPHA` to get the alpha operations' findings too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any

from relmgr.policy.levels import Stage
from relmgr.spec import fingerprint
from relmgr.spec.checks import RULES, components, endpoints, security
from relmgr.spec.model import DeprecationPolicy, DiffOptions, Operation, SpecChange
from relmgr.spec.operation import OperationDiff
from relmgr.spec.place import Lifecycle, Place
from relmgr.spec.schema import SchemaDiffer
from relmgr.spec.sink import Rendered, Sink
from relmgr.spec.stability import DEFAULT_LEVELS_FROM, OpLevel, check_levels_from, operation_level, sunset_text
from relmgr.spec.view import METHODS, SpecView, mapping, normalize_path


def diff_specs(
    base: Mapping[str, Any],
    revision: Mapping[str, Any],
    *,
    levels_from: str = DEFAULT_LEVELS_FROM,
    today: date | None = None,
    min_stage: Stage = Stage.BETA,
    deprecation: DeprecationPolicy = DeprecationPolicy(),  # frozen, so one shared default is safe
    only_paths: Collection[str] | None = None,
    checks: Collection[str] | None = None,
    fingerprints: bool = True,
) -> list[SpecChange]:
    """Every change from `base` to `revision`, most severe first (oasdiff's order), INFO included.

    `levels_from` is `x-stability-level` (or another extension holding oasdiff's draft/alpha/beta/
    stable or relmgr's v1beta-style values) or `path` (the first path segment, `/v1beta/...`).
    `today` decides whether a sunset date has passed; None means no date has (see sunset_status).
    `min_stage` is the stability threshold: operations below it are not checked.
    `deprecation` is oasdiff's policy of minimum days between a deprecation and its sunset.
    `only_paths` limits the comparison to these path templates (parameter names aside), for callers
    that need a few operations' changes of large specs.
    `checks` keeps only these rule IDs, or the IDs of these oasdiff check functions
    (`RequestParameterRemovedCheck`); a name that is neither raises ValueError.
    `fingerprints` skips the operations whose resolved subtrees are the same on both sides (`spec.fingerprint`:
    they have no findings); False compares every operation (the tests compare both ways).
    """
    check_levels_from(levels_from)
    options = DiffOptions(levels_from, today, min_stage, deprecation)
    wanted = None if only_paths is None else frozenset(normalize_path(path) for path in only_paths)
    comparison = _Comparison(SpecView(base), SpecView(revision), options, wanted, selected_rules(checks))
    if fingerprints:
        comparison.same = _same_operations(base, revision)
    return sorted(comparison.run(), key=SpecChange.sort_key)


def _same_operations(base: Mapping[str, Any], revision: Mapping[str, Any]) -> Callable[..., bool] | None:
    """A test of whether an operation (path, method, both path items) is the same on both sides, by digests;
    None when either document has none or they differ in what every operation's comparison reads."""
    before, after = fingerprint.of(base), fingerprint.of(revision)
    if not (before.usable and after.usable) or before.context != after.context:
        return None

    def same(path: str, method: str, items: tuple[Mapping[str, Any], Mapping[str, Any]]) -> bool:
        old = before.operation(items[0], method)
        return old is not None and old == after.operation(items[1], method)

    return same


def selected_rules(checks: Collection[str] | None) -> frozenset[str] | None:
    """The rule IDs `checks` names (IDs or oasdiff check functions); None: all. ValueError on an unknown name."""
    if checks is None:
        return None
    found: set[str] = set()
    for name in checks:
        ids = {name} if name in RULES else {rule.id for rule in RULES.values() if rule.check == name}
        if not ids:
            raise ValueError(f"{name!r} is no rule ID or oasdiff check of relmgr's (see docs/spec-rules.md)")
        found |= ids
    return frozenset(found)


def operations(spec: Mapping[str, Any], *, levels_from: str = DEFAULT_LEVELS_FROM) -> list[Operation]:
    """The operations of `spec` with their levels, sorted by (path, method)."""
    check_levels_from(levels_from)
    view = SpecView(spec)
    found: list[Operation] = []
    for path in view.paths:
        for method, node in view.operations(path):
            level = operation_level(node, path, levels_from)
            found.append(Operation(method.upper(), path, level.level, node.get("deprecated") is True,
                                   sunset_text(node.get("x-sunset")), level.explicit))
    return sorted(found, key=lambda op: (op.path, op.method))


def match_paths(
    base: Mapping[str, Any], revision: Mapping[str, Any]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(matched pairs, removed, added): equal paths first, then equal once parameter names are ignored."""
    matched = [(path, path) for path in base if path in revision]
    unmatched: dict[str, list[str]] = {}
    for path in revision:
        if path not in base:
            unmatched.setdefault(normalize_path(path), []).append(path)
    removed: list[str] = []
    for path in base:
        if path in revision:
            continue
        partners = unmatched.get(normalize_path(path))
        if partners:
            matched.append((path, partners.pop(0)))
        else:
            removed.append(path)
    return matched, removed, sorted(path for paths in unmatched.values() for path in paths)


class _Comparison:
    def __init__(self, base: SpecView, revision: SpecView, options: DiffOptions,
                 wanted: frozenset[str] | None = None, only: frozenset[str] | None = None) -> None:
        self.base, self.revision, self.options = base, revision, options
        self.schemas = SchemaDiffer(base.resolver, revision.resolver)
        self.changes: list[SpecChange] = []
        self.wanted = wanted  # normalized path templates to compare; None: all
        self.only = only  # rule IDs to keep; None: all
        self.rendered: dict[tuple[object, Place], list[Rendered]] = {}
        self.same: Callable[..., bool] | None = None  # an operation the same on both sides (fingerprints)

    def run(self) -> list[SpecChange]:
        matched, removed, added = match_paths(self._paths(self.base), self._paths(self.revision))
        for path in removed:
            for method, node in self.base.operations(path):
                self._removed(path, method, node, whole_path=True)
        for path in added:
            for method, node in self.revision.operations(path):
                self._added(path, method, node)
        for base_path, revision_path in matched:
            self._matched(base_path, revision_path)
        if self.wanted is None:
            self._document()
        return self.changes

    def _document(self) -> None:
        """What belongs to no operation: global security, security schemes, webhooks, component schemas."""
        before, after = self.base.document, self.revision.document
        self._at("#/security").found(security.compare(
            security.requirements(before.get("security")), security.requirements(after.get("security")),
            security.GLOBAL))
        self._at("#/components/securitySchemes").found(
            security.schemes(self.base.security_schemes(), self.revision.security_schemes()))
        self._at("#/webhooks").found(components.webhooks(mapping(before.get("webhooks")),
                                                         mapping(after.get("webhooks"))))
        self._at("#/components/schemas").found(components.schemas(self.base.section("components", "schemas"),
                                                                  self.revision.section("components", "schemas")))

    def _at(self, where: str) -> Sink:
        return Sink(self.changes, "", where, "v1", only=self.only)

    def _paths(self, view: SpecView) -> Mapping[str, Any]:
        if self.wanted is None:
            return view.paths
        return {path: item for path, item in view.paths.items() if normalize_path(path) in self.wanted}

    def _level(self, node: Mapping[str, Any], path: str) -> OpLevel:
        return operation_level(node, path, self.options.levels_from)

    def _sink(self, method: str, path: str, level: OpLevel) -> Sink:
        return Sink(self.changes, method.upper(), path, level.level, level.explicit, self.only)

    def _matched(self, base_path: str, revision_path: str) -> None:
        before = dict(self.base.operations(base_path))
        after = dict(self.revision.operations(revision_path))
        items = (self.base.paths[base_path], self.revision.paths[revision_path])
        same = self.same if base_path == revision_path else None
        for method in METHODS:
            old, new = before.get(method), after.get(method)
            if old is not None and new is not None and same is not None and same(base_path, method, items):
                continue  # the same resolved subtree: no finding (spec.fingerprint)
            if old is not None and new is None:
                self._removed(base_path, method, old, whole_path=False)
            elif old is None and new is not None:
                self._added(revision_path, method, new)
            elif old is not None and new is not None:
                self._modified((base_path, revision_path), method, (old, new))

    def _added(self, path: str, method: str, node: Mapping[str, Any]) -> None:
        level = self._level(node, path)
        if level.stage >= self.options.min_stage:
            self._sink(method, path, level).add(endpoints.ENDPOINT_ADDED)

    def _removed(self, path: str, method: str, node: Mapping[str, Any], *, whole_path: bool) -> None:
        """APIRemovedCheck: removing needs a deprecation first, and a passed sunset if one is set.

        The alpha (and draft) operations of a removed *path* are never reported, whatever the threshold:
        oasdiff's rule (its issue #622), and alpha operations may go at any time. A removed alpha
        *operation* of a path that stays is reported when the threshold lets alpha in (`--all-levels`).
        """
        level = self._level(node, path)
        if level.stage < self.options.min_stage or (whole_path and level.stage is Stage.ALPHA):
            return
        finding = endpoints.removal(node, path, whole_path=whole_path, today=self.options.today)
        self._sink(method, path, level).found([finding])

    def _modified(
        self, paths: tuple[str, str], method: str, nodes: tuple[Mapping[str, Any], Mapping[str, Any]]
    ) -> None:
        before, after = self._level(nodes[0], paths[0]), self._level(nodes[1], paths[1])
        sink = self._sink(method, paths[0], before)
        self._stability(sink, before, after)
        if after.stage < self.options.min_stage:
            return
        days = self.options.deprecation.days_for(after.stage)
        today = self.options.today
        if after.valid:  # an unreadable level gives no deprecation days to judge by (it is reported instead)
            sink.found(endpoints.deprecation(nodes, days, today))
            sink.found(endpoints.sunset_change(nodes, days, today, (endpoints.SUNSET_DELETED,
                                                                    endpoints.SUNSET_TOO_SOON, endpoints.SUNSET_PARSE)))
        lifecycle = Lifecycle(days, today, self.options.min_stage, judged=after.valid)
        OperationDiff(self.base, self.revision, self.schemas, lifecycle, sink, self.rendered).run(paths, nodes)

    def _stability(self, sink: Sink, before: OpLevel, after: OpLevel) -> None:
        invalid = after if not after.valid else before if not before.valid else None
        if invalid is not None:  # one finding, the revision's marker first (it is the one to fix)
            sink.add(endpoints.INVALID_STABILITY, {"what": "operation", "raw": str(invalid.raw)})
        unknown = not (before.valid and after.valid)  # an unreadable marker is no level to compare
        if unknown or before.stage == after.stage or before.stage < self.options.min_stage:
            return
        rule_id = endpoints.STABILITY_DECREASED if after.stage < before.stage else endpoints.STABILITY_INCREASED
        sink.add(rule_id, {"before": before.level, "after": after.level})
