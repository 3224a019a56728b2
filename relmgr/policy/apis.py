"""The API registry: which APIs a commit touches (by scope and by changed path) and their level at a version."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from relmgr.config.model import ApiConfig
from relmgr.history.commits import Commit, find_reverted
from relmgr.history.versions import Version
from relmgr.policy.globs import compile_globs, literal_prefix
from relmgr.policy.levels import Level

Via = Literal["scope", "path"]
_SCOPE_SEP_RE = re.compile(r"[-_\s]+")
_SCOPE_SPLIT_RE = re.compile(r"[,/\\]")


@dataclass(frozen=True, slots=True)
class ApiMatch:
    """One API a commit touches, and how we know: its scope names the API, or it changed the API's paths.

    When both are true, `via` is "scope": the author said so, which is the stronger evidence.
    """

    name: str
    via: Via


@dataclass(frozen=True, slots=True)
class ProviderMatch:
    """A provider a provider change touches: (`api`, `provider`) with the provider's maturity."""

    api: str
    provider: str
    maturity: str


@dataclass(frozen=True, slots=True)
class Change:
    """A commit of a range with what the range knows about it."""

    commit: Commit
    apis: tuple[ApiMatch, ...]
    reverted: bool  # it and its revert are both in the range: neither counts
    # a provider change (every file it changed is a provider's): the providers; never judged by API level
    providers: tuple[ProviderMatch, ...] = ()


def normalize_scope(scope: str) -> str:
    """Scopes compare case-insensitively, with `-`, `_` and spaces equal."""
    return _SCOPE_SEP_RE.sub("-", scope.strip().lower())


def scope_parts(scope: str) -> list[str]:
    """A scope and, for multi-scope headers (`feat(files,batches)`, commitlint's `/` `\\` `,`), its parts."""
    parts = [scope, *(_SCOPE_SPLIT_RE.split(scope) if _SCOPE_SPLIT_RE.search(scope) else ())]
    return [normalize_scope(p) for p in parts if p.strip()]


class Registry:
    """Configured APIs; matching caches per distinct path, since histories touch the same files often.

    A file matches an API by its `paths` globs, else by its `former-paths`, else by the name it has now when
    it was renamed since (`follow`): a commit made before a rename still belongs to its API.
    """

    def __init__(self, apis: Sequence[ApiConfig]) -> None:
        self.apis = tuple(apis)
        self._by_name = {api.name: api for api in self.apis}
        self._scopes: dict[str, list[str]] = {}
        for api in self.apis:
            for scope in api.scopes:
                self._scopes.setdefault(normalize_scope(scope), []).append(api.name)
        # a provider's files are its API's too (they may live outside the API's own paths)
        self._globs = [(api.name, rx) for api in self.apis
                       if (rx := compile_globs((*api.paths, *(g for p in api.providers for g in p.paths)))) is not None]
        self._providers = [(ProviderMatch(api.name, p.name, p.maturity), rx) for api in self.apis
                           for p in api.providers if (rx := compile_globs(p.paths)) is not None]
        self._provider_cache: dict[str, tuple[ProviderMatch, ...]] = {}
        self._former = [(api.name, rx) for api in self.apis if (rx := compile_globs(api.former_paths)) is not None]
        self._renamed: Callable[[str], str] | None = None
        self._old_prefixes: tuple[str, ...] = ()
        self._path_cache: dict[str, tuple[str, ...]] = {}
        self._routes = [(api.name, rx) for api in self.apis if (rx := compile_globs(api.routes)) is not None]
        self._route_cache: dict[str, tuple[str, ...]] = {}
        self._scope_cache: dict[str, tuple[str, ...]] = {}
        self._match_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[ApiMatch, ...]] = {}
        self._level_cache: dict[tuple[str, str | None], Level] = {}

    def __bool__(self) -> bool:
        return bool(self.apis)

    @property
    def uses_paths(self) -> bool:
        """Whether matching needs each commit's changed files."""
        return bool(self._globs or self._former)

    def follow(self, current: Callable[[str], str], old_prefixes: Sequence[str] = ()) -> None:
        """Match files by the name they have now too (`RenameMap.current`); `old_prefixes`: the folders the
        APIs' files were in before, for `path_prefixes`."""
        self._renamed = current
        self._old_prefixes = tuple(old_prefixes)
        self._path_cache.clear()
        self._provider_cache.clear()
        self._match_cache.clear()

    def path_prefixes(self) -> tuple[str, ...] | None:
        """Folders (or files) holding every path an API's globs match (globs.literal_prefix); None: anywhere.

        Siblings give way to their folder (`src/apis/a`, `src/apis/b` → `src/apis`): git checks each tree
        entry against every item, so a few items cost less than many, and matching filters anyway.
        """
        prefixes = {literal_prefix(p) for api in self.apis
                    for p in (*api.paths, *api.former_paths, *(g for pv in api.providers for g in pv.paths))}
        prefixes.update(self._old_prefixes)
        if "" in prefixes:
            return None
        parent_of = {prefix: prefix.rpartition("/")[0] for prefix in prefixes}
        siblings = Counter(parent_of.values())
        kept = {parent if parent and siblings[parent] > 1 else prefix for prefix, parent in parent_of.items()}
        return tuple(sorted(p for p in kept if not any(p.startswith(q + "/") for q in kept)))

    def get(self, name: str) -> ApiConfig | None:
        return self._by_name.get(name)

    def by_scope(self, scope: str | None) -> list[str]:
        """The APIs a commit scope names."""
        return list(self._scoped(scope))

    def _scoped(self, scope: str | None) -> tuple[str, ...]:
        if not scope or not self._scopes:
            return ()
        cached = self._scope_cache.get(scope)
        if cached is None:
            names: dict[str, None] = {}
            for part in scope_parts(scope):
                for name in self._scopes.get(part, ()):
                    names[name] = None
            cached = self._scope_cache[scope] = tuple(names)
        return cached

    def by_path(self, path: str) -> tuple[str, ...]:
        cached = self._path_cache.get(path)
        if cached is None:
            cached = tuple(name for name, rx in self._globs if rx.match(path))
            if not cached and self._former:
                cached = tuple(name for name, rx in self._former if rx.match(path))
            if not cached and self._renamed is not None:
                now = self._renamed(path)
                if now != path:
                    cached = tuple(name for name, rx in self._globs if rx.match(now))
            self._path_cache[path] = cached
        return cached

    def by_route(self, path: str) -> tuple[str, ...]:
        """The APIs whose `routes` globs match an OpenAPI path (`/v1/chat/completions`), by name."""
        cached = self._route_cache.get(path)
        if cached is None:
            bare = path.lstrip("/")  # globs are anchored at the root without their leading `/`
            cached = tuple(name for name, rx in self._routes if rx.match(bare))
            self._route_cache[path] = cached
        return cached

    def match(self, commit: Commit) -> tuple[ApiMatch, ...]:
        """The union of APIs named by the scope and APIs whose paths the commit changed, by name."""
        scoped = self._scoped(commit.scope)
        pathed: tuple[str, ...] = ()
        if (self._globs or self._former) and commit.files:
            files = commit.files
            pathed = (self.by_path(files[0]) if len(files) == 1
                      else tuple(dict.fromkeys(name for path in files for name in self.by_path(path))))
        cached = self._match_cache.get((scoped, pathed))
        if cached is None:  # few distinct combinations: histories touch the same APIs again and again
            found: dict[str, Via] = dict.fromkeys(scoped, "scope")
            for name in pathed:
                found.setdefault(name, "path")
            cached = self._match_cache[scoped, pathed] = tuple(ApiMatch(n, via) for n, via in sorted(found.items()))
        return cached

    def providers_of(self, commit: Commit) -> tuple[ProviderMatch, ...]:
        """The providers of a provider change: every file the commit changed is some provider's (a commit
        with no file, or one file of no provider, is no provider change: it is judged at its API's level)."""
        if not self._providers or not commit.files:
            return ()
        found: dict[ProviderMatch, None] = {}
        for path in commit.files:
            matched = self._provider_cache.get(path)
            if matched is None:
                now = self._renamed(path) if self._renamed is not None else path
                matched = self._provider_cache[path] = tuple(
                    m for m, rx in self._providers if rx.match(path) or (now != path and rx.match(now)))
            if not matched:
                return ()
            found.update(dict.fromkeys(matched))
        return tuple(found)

    def level_at(self, name: str, version: Version | None) -> Level:
        key = (name, version.text if version is not None else None)
        level = self._level_cache.get(key)
        if level is None:
            level = self._level_cache[key] = self._by_name[name].level_at(version)
        return level


def to_changes(commits: Iterable[Commit], registry: Registry) -> list[Change]:
    """Map a range's commits (newest first) to APIs and mark revert pairs."""
    listed = list(commits)
    reverted = find_reverted(listed)
    return [Change(c, registry.match(c), c.sha in reverted, registry.providers_of(c)) for c in listed]


@dataclass(frozen=True, slots=True)
class Impact:
    """One breaking change as the policy sees it: per API it maps to, at that API's level at the release."""

    change: Change
    api: str | None  # None: the change maps to no configured API, judged at `default-level`
    level: Level


def impacts(changes: Iterable[Change], registry: Registry, version: Version | None,
            default_level: Level) -> list[Impact]:
    """Every (breaking change, API) pair of a range, reverted pairs left out, in the changes' order.

    A provider change is not judged against its API's level (`provider_impacts` has it): providers may
    change freely within the API's bounds."""
    found: list[Impact] = []
    for change in changes:
        if not change.commit.breaking or change.reverted or change.providers:
            continue
        if not change.apis:
            found.append(Impact(change, None, default_level))
        for match in change.apis:
            found.append(Impact(change, match.name, registry.level_at(match.name, version)))
    return found


@dataclass(frozen=True, slots=True)
class ProviderImpact:
    """A breaking provider change, per provider it touches."""

    change: Change
    provider: ProviderMatch


def provider_impacts(changes: Iterable[Change]) -> list[ProviderImpact]:
    """Every (breaking provider change, provider) pair of a range, reverted pairs left out."""
    return [ProviderImpact(change, match) for change in changes
            if change.commit.breaking and not change.reverted for match in change.providers]
