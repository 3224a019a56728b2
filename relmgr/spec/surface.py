"""The API surface in the OpenAPI specs: which API each route belongs to, at which level, and how it moved.

Pure: operations (from `relmgr.spec.operations`) and the registry in, plain records out. A route belongs to
every API whose `routes` globs match its path (as a commit belongs to every API it touches). Its level: a
marker in the spec wins (`x-stability-level`, or a level path segment with `levels-from = "path"`); else
the level of the API it belongs to at the version in question; else `default-level`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from relmgr.graduation.criteria import RouteChanges
from relmgr.history.versions import Version
from relmgr.policy.apis import Registry
from relmgr.policy.levels import Level
from relmgr.spec import Operation
from relmgr.spec.view import normalize_path


@dataclass(frozen=True, slots=True)
class Route:
    """An operation as `apis` shows it: where it lives and the level it is judged at."""

    method: str
    path: str
    level: Level
    deprecated: bool

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


def route_json(route: Route) -> dict[str, Any]:
    return {"method": route.method, "path": route.path, "level": str(route.level), "deprecated": route.deprecated}


def placements(path: str, level: str, explicit: bool, registry: Registry, version: Version | None,
               default_level: Level) -> list[tuple[str | None, Level]]:
    """(API, level) for each API an operation at `path` belongs to; `(None, level)` when it belongs to none.

    `level`/`explicit` are the spec engine's: an explicit level is the spec's word and wins.
    """
    marked = Level.parse(level) if explicit else None
    names = registry.by_route(path)
    if not names:
        return [(None, marked or default_level)]
    return [(name, marked or registry.level_at(name, version)) for name in names]


def routes_by_api(operations: Iterable[Operation], registry: Registry,
                  default_level: Level) -> tuple[dict[str, list[Route]], list[Route]]:
    """The routes of each API at its current level, and the routes no API claims; sorted by path, method."""
    mapped: dict[str, list[Route]] = {api.name: [] for api in registry.apis}
    unmapped: list[Route] = []
    for op in sorted(set(operations), key=lambda o: (o.path, o.method)):
        for api, level in placements(op.path, op.level, op.explicit, registry, None, default_level):
            route = Route(op.method, op.path, level, op.deprecated)
            (mapped[api] if api is not None else unmapped).append(route)
    return mapped, unmapped


def route_keys(operations: Iterable[Operation], api: str, registry: Registry) -> dict[tuple[str, str], str]:
    """`api`'s routes keyed by method and path template (a renamed path parameter is the same route)."""
    return {
        (op.method, normalize_path(op.path)): f"{op.method} {op.path}"
        for op in operations
        if api in registry.by_route(op.path)
    }


def route_changes(tag: str, before: Sequence[Operation], after: Sequence[Operation], api: str,
                  registry: Registry) -> RouteChanges:
    """The routes of `api` that the release `tag` added and removed against the operations `before` it."""
    old, new = route_keys(before, api, registry), route_keys(after, api, registry)
    return RouteChanges(
        tag,
        added=tuple(sorted(new[key] for key in new.keys() - old.keys())),
        removed=tuple(sorted(old[key] for key in old.keys() - new.keys())),
    )


def deprecated_routes(operations: Iterable[Operation], api: str, registry: Registry) -> tuple[str, ...]:
    """`api`'s routes marked `deprecated: true`, as `GET /v1/files`."""
    return tuple(sorted({f"{op.method} {op.path}" for op in operations
                         if op.deprecated and api in registry.by_route(op.path)}))
