"""`relmgr init`'s detection: a starter config from what a repository already shows. Pure: plain data in.

Tags give the tag prefix and version style; folders named like APIs (`*/api/<name>/`, `*/apis/<name>/`,
`*_api/<name>/`) and committed OpenAPI specs (`/v1alpha/<name>/…` paths, `x-stability-level`) give APIs,
their paths, routes and levels; commit scopes that match an API's name become its scopes. Every value keeps
where it came from, so the written config can say so. Rendering lives in `relmgr.init_render`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relmgr.history.commits import parse_message
from relmgr.history.versions import Version, parse_version
from relmgr.policy.apis import normalize_scope, scope_parts
from relmgr.policy.levels import Level, Stage
from relmgr.spec.stability import DEFAULT_LEVELS_FROM, LEVELS_FROM_PATH, operation_level, path_level
from relmgr.spec.view import METHODS

NEW_API_LEVEL = Level(Stage.ALPHA, 1)  # the leveling policy: a new API starts at v1alpha
_TAG_RE = re.compile(r"^(?P<prefix>[^0-9]*)(?P<version>[0-9].*)$")
_LEVEL_SEGMENT = re.compile(r"^v[1-9][0-9]*(?:alpha|beta)?[0-9]*$")  # `v1`, `v1alpha`, `v2beta3`
_SPEC_NAME = re.compile(r"^(?:openapi|swagger|.*openapi.*|.*api-spec.*)\.(?:ya?ml|json)$", re.IGNORECASE)
_API_PARENTS = ("api", "apis")
_NOT_APIS = frozenset({"common", "shared", "utils", "util", "internal", "tests", "test", "testing", "base",
                       "core", "helpers", "lib", "static", "templates", "migrations"})
_TEST_DIRS = frozenset({"tests", "test", "testing"})
_SKIP_DIRS = frozenset({"docs", "doc", "examples", "example", "vendor", "node_modules", "third_party",
                        "fixtures", "testdata", ".github"})
_MIN_LINT_USES, _MAX_LINT_SCOPES = 2, 20


@dataclass(frozen=True, slots=True)
class TagFacts:
    prefix: str
    source: str  # why this prefix: "14 of 14 version tags start with 'v' (latest v0.4.0)"
    style: str | None  # "PEP 440 pre-releases (v0.4.0rc1)"; None without version tags


@dataclass(frozen=True, slots=True)
class DetectedApi:
    name: str
    level: Level
    level_source: str | None  # None: not detected, so the level for new APIs
    paths: tuple[str, ...]
    routes: tuple[str, ...]
    scopes: tuple[str, ...]
    scope_source: str
    tests: tuple[str, ...]
    found_in: tuple[str, ...]  # "folder src/acme/apis/files/", "openapi.yaml"


@dataclass(frozen=True, slots=True)
class Detected:
    tags: TagFacts
    apis: tuple[DetectedApi, ...]
    specs: tuple[str, ...]
    levels_from: str | None  # None: no spec found
    levels_from_source: str
    lint_scopes: tuple[str, ...]
    repo_url: str | None
    remote: str | None  # origin's URL as configured


@dataclass(frozen=True, slots=True)
class _Seen:
    """One sighting of an API: a folder or a spec's routes."""

    name: str
    source: str
    path: str | None = None  # a folder glob
    route: str | None = None
    level: Level | None = None
    test: str | None = None


def detect(tags: Sequence[str], files: Sequence[str], subjects: Sequence[str],
           specs: Mapping[str, Mapping[str, Any]], remote: str | None) -> Detected:
    """What a starter config says about a repository: tag names, files at HEAD, commit subjects, loaded specs."""
    seen = [*_folder_sightings(files), *(s for path in sorted(specs) for s in _spec_sightings(path, specs[path]))]
    used = _scopes_used(subjects)
    apis = _merge(seen, used)
    taken = {normalize_scope(s) for api in apis for s in api.scopes}
    levels_from, levels_source = _levels_from(specs)
    return Detected(
        tags=detect_tags(tags),
        apis=apis,
        specs=tuple(sorted(specs)),
        levels_from=levels_from,
        levels_from_source=levels_source,
        lint_scopes=_lint_scopes(used, taken),
        repo_url=https_url(remote) if remote else None,
        remote=remote,
    )


# -- tags ----------------------------------------------------------------------------------------------


def detect_tags(names: Iterable[str]) -> TagFacts:
    """The most common prefix of version-like tags (`v`, `release-`, none) and how versions are written."""
    by_prefix: dict[str, list[tuple[Version, str]]] = {}
    for name in names:
        match = _TAG_RE.match(name)
        version = parse_version(match.group("version")) if match else None
        if match and version is not None:
            by_prefix.setdefault(match.group("prefix"), []).append((version, name))
    if not by_prefix:
        return TagFacts("v", "no version tags yet: relmgr's default (your first release is tagged v0.1.0)", None)
    total = sum(len(v) for v in by_prefix.values())
    prefix = max(by_prefix, key=lambda p: (len(by_prefix[p]), p == "v", p))
    mine = sorted(by_prefix[prefix], key=lambda item: item[0].key)
    shown = f"'{prefix}'" if prefix else "a digit (no prefix)"
    source = f"{len(mine)} of {total} version tags start with {shown} (latest {mine[-1][1]})"
    return TagFacts(prefix, source, _style(mine))


def _style(tags: Sequence[tuple[Version, str]]) -> str:
    marked = [(v, name) for v, name in tags if v.style != "plain"]
    if not marked:
        return "plain X.Y.Z versions"
    version, name = marked[-1]
    kind = "SemVer" if version.style == "semver" else "PEP 440"
    return f"{kind} versions, e.g. {name}; `relmgr next-version --pre rc` writes that style"


# -- folders and specs ---------------------------------------------------------------------------------


def spec_candidates(files: Iterable[str]) -> list[str]:
    """Files at HEAD that may be OpenAPI specs (`openapi.yaml`, `*api-spec*.json`, `swagger.yaml` …)."""
    found = []
    for path in files:
        *folders, name = path.split("/")
        if _SPEC_NAME.match(name) and not (set(folders) & (_TEST_DIRS | _SKIP_DIRS - {"docs", "doc"})):
            found.append(path)
    return sorted(found)


def _folder_sightings(files: Iterable[str]) -> list[_Seen]:
    folders = sorted({path.rsplit("/", 1)[0] for path in files if "/" in path})
    found: dict[tuple[str, str], _Seen] = {}
    for folder in folders:
        seen = _api_folder(folder.split("/"))
        if seen is not None:
            found.setdefault((seen.name, seen.path or seen.test or ""), seen)
    return list(found.values())


def _api_folder(parts: Sequence[str]) -> _Seen | None:
    """`src/acme/apis/files` → files; `pkg/api/v1alpha/models` → models at v1alpha; tests → its `tests`."""
    for index, part in enumerate(parts[:-1]):
        if part not in _API_PARENTS and not (part.endswith("_api") and len(part) > len("_api")):
            continue
        rest = list(parts[index + 1:])
        level = None
        if _LEVEL_SEGMENT.match(rest[0]) and len(rest) > 1:
            level = _path_level(rest.pop(0))
        name = rest[0]
        above = set(parts[:index])
        if above & _SKIP_DIRS or not _api_name(name):
            return None
        glob = "/".join(parts[: len(parts) - len(rest) + 1]) + "/**"
        if above & _TEST_DIRS:
            return _Seen(name, f"folder {glob[:-2]}", test=glob)
        return _Seen(name, f"folder {glob[:-2]}", path=glob, level=level)
    return None


def _api_name(name: str) -> bool:
    """Whether a folder under `api/` can be an API: not private, not a level, not a helpers folder."""
    return not (name.startswith(("_", ".")) or name.lower() in _NOT_APIS or _LEVEL_SEGMENT.match(name))


def _spec_sightings(source: str, spec: Mapping[str, Any]) -> list[_Seen]:
    """APIs named by a spec's paths: `/v1alpha/files/{id}` → files at v1alpha; an `x-stability-level`
    marker names the level of operations whose path has no level segment (`/files` marked `alpha`)."""
    paths = spec.get("paths")
    found: dict[tuple[str, str], list[Level]] = {}
    for path, item in (paths or {}).items():
        route = _route(str(path))
        if route is None:
            continue
        name, prefix, by_path = route
        for node in _operations(item):
            level = _marker_level(node, str(path)) or by_path
            if level is not None:
                found.setdefault((name, prefix), []).append(level)
    return [_Seen(name, source, route=prefix, level=max(levels)) for (name, prefix), levels in sorted(found.items())]


def _route(path: str) -> tuple[str, str, Level | None] | None:
    """(API name, route prefix, the path's level) of a spec path: `/api/v1beta/files/{id}` → files."""
    parts = [p for p in path.split("/") if p]
    taken = []
    if parts and parts[0].lower() == "api":
        taken.append(parts.pop(0))
    level = None
    if parts and _LEVEL_SEGMENT.match(parts[0]):
        level = _path_level(parts[0])
        taken.append(parts.pop(0))
    if not parts or parts[0].startswith("{"):
        return None
    name = parts[0].split(":", 1)[0]  # Google's custom methods: `files:batchGet`
    return (name, "/" + "/".join([*taken, name]), level) if name else None


def _path_level(segment: str) -> Level:
    """`v1alpha` → v1alpha; `v1beta2` counts as v1beta, as the spec engine reads it."""
    return Level.parse(path_level("/" + segment).level)


def _marker_level(node: Mapping[str, Any], path: str) -> Level | None:
    """The level an operation's `x-stability-level` names (`beta`, `v1beta` …); None without a readable one."""
    if DEFAULT_LEVELS_FROM not in node:
        return None
    found = operation_level(node, path, DEFAULT_LEVELS_FROM)
    return Level.parse(found.level) if found.valid else None


def _levels_from(specs: Mapping[str, Mapping[str, Any]]) -> tuple[str | None, str]:
    if not specs:
        return None, "no OpenAPI spec found"
    marked = [path for path, spec in sorted(specs.items()) if _has_marker(spec)]
    if marked:
        return DEFAULT_LEVELS_FROM, f"operations in {', '.join(marked)} carry x-stability-level"
    leveled = [path for path, spec in sorted(specs.items()) if any(_leveled(str(p)) for p in spec.get("paths") or {})]
    if leveled:
        where = ", ".join(leveled)
        return LEVELS_FROM_PATH, f"paths in {where} start with a level (/v1alpha/…) and carry no x-stability-level"
    return DEFAULT_LEVELS_FROM, "no level markers in the specs: relmgr's default (unmarked operations count as v1)"


def _leveled(path: str) -> bool:
    route = _route(path)
    return route is not None and route[2] is not None


def _has_marker(spec: Mapping[str, Any]) -> bool:
    return any(DEFAULT_LEVELS_FROM in node for item in (spec.get("paths") or {}).values() for node in _operations(item))


def _operations(item: object) -> list[Mapping[str, Any]]:
    """The operations of a path item (its `get`, `post` … mappings)."""
    if not isinstance(item, Mapping):
        return []
    return [node for method in METHODS if isinstance(node := item.get(method), Mapping)]


# -- scopes and merging --------------------------------------------------------------------------------


def _scopes_used(subjects: Iterable[str]) -> Counter[str]:
    """How many commits use each scope (normalized; each part of a multi-scope header counts)."""
    used: Counter[str] = Counter()
    for subject in subjects:
        scope = parse_message(subject).scope
        if scope:
            parts = scope_parts(scope)
            used.update(set(parts[1:] if len(parts) > 1 else parts))  # `files,batches`: its parts only
    return used


def _matches(name: str, scope: str) -> bool:
    """A scope names an API: equal after normalizing, or a plural/singular of it (`file` for files)."""
    key = normalize_scope(name)
    return scope in (key, key + "s") or scope + "s" == key


def _merge(seen: Sequence[_Seen], used: Counter[str]) -> tuple[DetectedApi, ...]:
    groups: dict[str, list[_Seen]] = {}
    for s in seen:
        groups.setdefault(normalize_scope(s.name), []).append(s)
    apis = []
    for group in groups.values():
        if not any(s.path or s.route for s in group):
            continue  # a tests folder alone is no API
        apis.append(_api(group, used))
    return tuple(sorted(apis, key=lambda a: a.name))


def _api(group: Sequence[_Seen], used: Counter[str]) -> DetectedApi:
    name = next((s.name for s in group if s.path), group[0].name)
    leveled = [s for s in group if s.level is not None]
    level = max((s.level for s in leveled if s.level is not None), default=None)
    level_source = None
    if level is not None:
        sources = sorted({s.source for s in leveled if s.level == level})
        others = sorted({str(s.level) for s in leveled if s.level != level})
        level_source = ", ".join(sources) + (f" (also served at {', '.join(others)})" if others else "")
    matched = sorted((s for s in used if _matches(name, s)), key=lambda s: (-used[s], s))
    if matched:
        scopes = tuple(matched)
        counts = ", ".join(f"{s} {used[s]}×" for s in matched)
        scope_source = f"scopes in your commit history: {counts}"
    else:
        scopes = (normalize_scope(name),)
        scope_source = "the API's name: no commit uses a matching scope yet"
    return DetectedApi(
        name=name,
        level=level or NEW_API_LEVEL,
        level_source=level_source,
        paths=tuple(sorted({s.path for s in group if s.path})),
        routes=tuple(sorted({s.route for s in group if s.route})),
        scopes=scopes,
        scope_source=scope_source,
        tests=tuple(sorted({s.test for s in group if s.test})),
        found_in=tuple(sorted({s.source for s in group if s.path or s.route})),
    )


def _lint_scopes(used: Counter[str], taken: set[str]) -> tuple[str, ...]:
    """Scopes used at least twice that name no API: allowed besides the APIs' own, so lint keeps quiet."""
    others = [s for s in used if used[s] >= _MIN_LINT_USES and s not in taken]
    return tuple(sorted(sorted(others, key=lambda s: (-used[s], s))[:_MAX_LINT_SCOPES]))


# -- the remote -----------------------------------------------------------------------------------------

_REMOTE_RE = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?|[^@/]+@)(?P<host>(?:www\.)?(?:github\.com|gitlab\.com))[:/]"
    r"(?P<path>[^?#]+?)(?:\.git)?/?$"
)


def https_url(remote: str) -> str | None:
    """`git@github.com:acme/widgets.git` → `https://github.com/acme/widgets` (GitHub and GitLab only)."""
    match = _REMOTE_RE.match(remote.strip())
    if match is None:
        return None
    return f"https://{match.group('host').removeprefix('www.')}/{match.group('path').strip('/')}"
