"""Level-aware breaking-change diff of two OpenAPI documents, reported with oasdiff's check IDs.

Stability levels, as oasdiff applies them (`oasdiff breaking` defaults to `--stability-level beta`):
an operation below `min_stage` is not checked at all. Removed paths and operations are judged by
their base level; the checks of an operation present in both specs by its revision level; a level
change (`api-stability-decreased`) by the base level, so leaving stable for alpha is reported.
Findings always carry the operation's level, so relmgr's gate can decide per level what matters;
pass `min_stage=Stage.ALPHA` to get the alpha operations' findings too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from relmgr.policy.levels import Stage
from relmgr.spec.model import DeprecationPolicy, DiffOptions, Operation, SpecChange
from relmgr.spec.operation import OperationDiff, Sink
from relmgr.spec.schema import SchemaDiffer
from relmgr.spec.stability import (
    DEFAULT_LEVELS_FROM,
    OpLevel,
    check_levels_from,
    operation_level,
    sunset_date,
    sunset_status,
    sunset_text,
)
from relmgr.spec.view import METHODS, SpecView, normalize_path


def diff_specs(
    base: Mapping[str, Any],
    revision: Mapping[str, Any],
    *,
    levels_from: str = DEFAULT_LEVELS_FROM,
    today: date | None = None,
    min_stage: Stage = Stage.BETA,
    deprecation: DeprecationPolicy = DeprecationPolicy(),  # frozen, so one shared default is safe
    only_paths: Collection[str] | None = None,
) -> list[SpecChange]:
    """Every change from `base` to `revision`, most severe first (oasdiff's order), INFO included.

    `levels_from` is `x-stability-level` (or another extension holding oasdiff's draft/alpha/beta/
    stable or relmgr's v1beta-style values) or `path` (the first path segment, `/v1beta/...`).
    `today` decides whether a sunset date has passed; None means no date has (see sunset_status).
    `only_paths` limits the comparison to these path templates (parameter names aside), for callers
    that need a few operations' changes of large specs.
    """
    check_levels_from(levels_from)
    options = DiffOptions(levels_from, today, min_stage, deprecation)
    wanted = None if only_paths is None else frozenset(normalize_path(path) for path in only_paths)
    comparison = _Comparison(SpecView(base), SpecView(revision), options, wanted)
    return sorted(comparison.run(), key=SpecChange.sort_key)


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
                 wanted: frozenset[str] | None = None) -> None:
        self.base, self.revision, self.options = base, revision, options
        self.schemas = SchemaDiffer(base.resolver, revision.resolver)
        self.changes: list[SpecChange] = []
        self.wanted = wanted  # normalized path templates to compare; None: all

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
        return self.changes

    def _paths(self, view: SpecView) -> Mapping[str, Any]:
        if self.wanted is None:
            return view.paths
        return {path: item for path, item in view.paths.items() if normalize_path(path) in self.wanted}

    def _level(self, node: Mapping[str, Any], path: str) -> OpLevel:
        return operation_level(node, path, self.options.levels_from)

    def _sink(self, method: str, path: str, level: OpLevel) -> Sink:
        return Sink(self.changes, method.upper(), path, level.level, level.explicit)

    def _matched(self, base_path: str, revision_path: str) -> None:
        before = dict(self.base.operations(base_path))
        after = dict(self.revision.operations(revision_path))
        for method in METHODS:
            old, new = before.get(method), after.get(method)
            if old is not None and new is None:
                self._removed(base_path, method, old, whole_path=False)
            elif old is None and new is not None:
                self._added(revision_path, method, new)
            elif old is not None and new is not None:
                self._modified((base_path, revision_path), method, (old, new))

    def _added(self, path: str, method: str, node: Mapping[str, Any]) -> None:
        level = self._level(node, path)
        if level.stage >= self.options.min_stage:
            self._sink(method, path, level).add("endpoint-added", "added the operation")

    def _removed(self, path: str, method: str, node: Mapping[str, Any], *, whole_path: bool) -> None:
        """APIRemovedCheck: removing needs a deprecation first, and a passed sunset if one is set.

        oasdiff skips the alpha/draft operations of a removed *path* whatever the threshold (its
        issue #622); here the threshold decides for paths and operations alike. With the default
        (beta) that is oasdiff's result (corpus case path_removed_mixed_alpha_and_unlabeled_ops),
        and `min_stage=Stage.ALPHA` reports the alpha operations' removal too, with their level.
        """
        level = self._level(node, path)
        if level.stage < self.options.min_stage:
            return
        kind, what = (
            ("api-path", f"removed the path {path}") if whole_path else ("api", "removed the operation")
        )
        if node.get("deprecated") is not True:
            self._sink(method, path, level).add(
                f"{kind}-removed-without-deprecation", f"{what} without deprecation"
            )
            return
        status = sunset_status(node.get("x-sunset"), self.options.today)
        # oasdiff reports nothing once the sunset has passed; an INFO keeps the removal in the notes
        rule_id = {"invalid": "api-path-sunset-parse", "future": f"{kind}-removed-before-sunset"}.get(
            status, f"{kind}-removed-with-deprecation"
        )
        when = {
            "none": "after deprecation",
            "past": "after its sunset date",
            "future": f"before its sunset date {sunset_text(node.get('x-sunset'))}",
            "invalid": f"but its x-sunset {node.get('x-sunset')!r} is not a date",
        }[status]
        self._sink(method, path, level).add(rule_id, f"{what} {when}")

    def _modified(
        self, paths: tuple[str, str], method: str, nodes: tuple[Mapping[str, Any], Mapping[str, Any]]
    ) -> None:
        before, after = self._level(nodes[0], paths[0]), self._level(nodes[1], paths[1])
        sink = self._sink(method, paths[0], before)
        self._stability(sink, before, after)
        if after.stage < self.options.min_stage:
            return
        self._deprecation(sink, nodes, after)
        OperationDiff(self.base, self.revision, self.schemas, self.options, sink, after.stage).run(
            paths, nodes
        )

    def _stability(self, sink: Sink, before: OpLevel, after: OpLevel) -> None:
        if not after.valid:  # oasdiff also reports the base side; only the revision's marker needs fixing
            sink.add(
                "api-invalid-stability-level",
                f"{self.options.levels_from} {after.raw} is not draft, alpha, beta, stable or a level",
            )
        unknown = not (before.valid and after.valid)  # an unreadable marker is no level to compare
        if unknown or before.stage == after.stage or before.stage < self.options.min_stage:
            return
        rule_id = "api-stability-decreased" if after.stage < before.stage else "api-stability-increased"
        sink.add(rule_id, f"stability level changed from {before.level} to {after.level}")

    def _deprecation(
        self, sink: Sink, nodes: tuple[Mapping[str, Any], Mapping[str, Any]], after: OpLevel
    ) -> None:
        """APIDeprecationCheck, with oasdiff's optional policy of minimum days before a sunset."""
        was, now = (node.get("deprecated") is True for node in nodes)
        if was == now:
            return
        if not now:
            sink.add("endpoint-reactivated", "the operation is no longer deprecated")
            return
        days = self.options.deprecation.days_for(after.stage)
        sunset = nodes[1].get("x-sunset")
        if sunset is None:
            if days > 0:
                sink.add(
                    "api-deprecated-sunset-missing",
                    f"deprecated without an x-sunset date; the policy asks for {days} days' notice",
                )
            else:
                sink.add("endpoint-deprecated", "deprecated the operation")
            return
        try:
            when = sunset_date(sunset)
        except ValueError:
            sink.add(
                "api-deprecated-sunset-parse", f"deprecated with an x-sunset that is not a date: {sunset!r}"
            )
            return
        today = self.options.today
        if today is not None and (when - today).days < days:
            sink.add(
                "api-sunset-date-too-small",
                f"deprecated with sunset {when.isoformat()}, sooner than the policy's {days} days",
            )
        else:
            sink.add("endpoint-deprecated", f"deprecated the operation (sunset {when.isoformat()})")
