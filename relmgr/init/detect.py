"""`relmgr init`'s detection: a starter config from what a repository already shows. Pure: plain data in.

Tags give the tag prefix, the version style and marker tags to ignore (`tags`); code folders give APIs
(`folders`), the OpenAPI specs their operations (`specs` picks the files, `routes` gives each API the
operations its folder's name claims), package docs their stability (`stability`), test folders their
tests, the specs at release tags their level history (`history`), commit scopes that name them their
scopes. Every value keeps where it came from, so the written config can say so (`render`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relmgr.history.commits import parse_message
from relmgr.history.versions import TagInfo, Version, parse_version
from relmgr.init.folders import Folder, Skipped, TestsFound, api_folders, find_tests, name_key
from relmgr.init.history import HistoryEntry, PastFacts, PastSurface, read_past, suggest
from relmgr.init.remote import https_url
from relmgr.init.routes import Served, SpecOp, most_stable, route_globs, serve, spec_ops
from relmgr.init.specs import SpecChoice, SpecFile
from relmgr.init.stability import documented_level, marked_level
from relmgr.init.tags import TagFacts, detect_tags
from relmgr.policy.apis import normalize_scope, scope_parts
from relmgr.policy.levels import Level, Stage
from relmgr.spec.stability import DEFAULT_LEVELS_FROM, LEVELS_FROM_PATH

NEW_API_LEVEL = Level(Stage.ALPHA, 1)  # the leveling policy: a new API starts at v1alpha
_MIN_LINT_USES, _MAX_LINT_SCOPES = 2, 20


@dataclass(frozen=True, slots=True)
class Sources:
    """What init read: tags, the files and commit subjects of HEAD, the chosen specs (loaded), the files
    that may state a package's stability, the specs at past releases, origin's URL."""

    tags: Sequence[TagInfo] = ()
    files: Sequence[str] = ()
    subjects: Sequence[str] = ()
    specs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # every one loaded; `choice` picks
    choice: SpecChoice | None = None  # how `specs` were chosen; None: every one given is the surface
    texts: Mapping[str, str] = field(default_factory=dict)  # API folders' own files and project documents
    past: Sequence[PastSurface] = ()
    past_source: str = ""  # "the last 30 of 41 final releases read"
    remote: str | None = None


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
    routes_source: str = ""
    tests_source: str = ""
    history: tuple[HistoryEntry, ...] = ()
    notes: tuple[str, ...] = ()  # more comments: several levels served, a scope given to another API …


@dataclass(frozen=True, slots=True)
class Detected:
    tags: TagFacts
    apis: tuple[DetectedApi, ...]
    specs: tuple[str, ...]  # the files of the surface
    levels_from: str | None  # None: no spec found
    levels_from_source: str
    lint_scopes: tuple[str, ...]
    repo_url: str | None
    remote: str | None  # origin's URL as configured
    spec_files: tuple[SpecFile, ...] = ()  # every OpenAPI document found, with its role
    spec_note: str | None = None  # when not every YAML/JSON file was read
    notes: tuple[str, ...] = ()  # folders left out, and why
    history_source: str = ""  # which releases' specs were read for `history`


def detect(sources: Sources) -> Detected:
    """The starter config's values for a repository, each with where it came from."""
    chosen = sources.choice.chosen if sources.choice is not None else tuple(sorted(sources.specs))
    ops = [op for path in chosen if path in sources.specs for op in spec_ops(sources.specs[path])]
    folders, skipped = api_folders(sources.files)
    served = serve(ops, [f.name for f in folders])
    used = _scopes_used(sources.subjects)
    tags = detect_tags(sources.tags)
    kept, notes = _kept_folders(folders, served, skipped)
    names = sorted({*(f.name for f in kept), *(s.name for k, s in served.items() if not _folder_of(k, kept))},
                   key=name_key)
    scopes = _assign_scopes(names, used)
    tests = find_tests(sources.files, names)
    past = read_past(sources.past, [f.name for f in folders])
    every = sorted({*(op.path for op in ops), *past.every})
    context = _Context(served, sources.texts, scopes, tests, past, _next_patch(tags), every,
                       chosen[0] if len(chosen) == 1 else "the specs")
    apis = tuple(_api(name, _folder_of(name_key(name), kept), context) for name in names)
    taken = {normalize_scope(s) for api in apis for s in api.scopes}
    levels_from, levels_source = _levels_from({p: sources.specs[p] for p in chosen if p in sources.specs})
    return Detected(
        tags=tags,
        apis=apis,
        specs=tuple(chosen),
        levels_from=levels_from,
        levels_from_source=levels_source,
        lint_scopes=_lint_scopes(used, taken),
        repo_url=https_url(sources.remote) if sources.remote else None,
        remote=sources.remote,
        spec_files=sources.choice.files if sources.choice is not None else (),
        spec_note=sources.choice.capped if sources.choice is not None else None,
        notes=tuple(notes),
        history_source=sources.past_source,
    )


def _kept_folders(folders: Sequence[Folder], served: Mapping[str, Served],
                  skipped: Sequence[Skipped]) -> tuple[list[Folder], list[str]]:
    """The folders that are APIs (a shared datatypes folder only when routes are named after it)."""
    kept = [f for f in folders if not f.shared or name_key(f.name) in served]
    notes = [f"{f.folder}/: shared datatypes (no spec route is named after it), not an API"
             for f in folders if f not in kept and f.folder is not None]
    notes += [f"{s.folder}/: {s.why}, not an API" for s in skipped]
    return kept, notes


def _folder_of(key: str, folders: Iterable[Folder]) -> Folder | None:
    return next((f for f in folders if name_key(f.name) == key), None)


def _next_patch(tags: TagFacts) -> Version | None:
    if not tags.finals:
        return None
    latest = max((v for _, v in tags.finals), key=lambda v: v.key)
    major, minor, patch = latest.release[:3]
    return parse_version(f"{major}.{minor}.{patch + 1}")


@dataclass(frozen=True, slots=True)
class _Context:
    served: Mapping[str, Served]
    texts: Mapping[str, str]
    scopes: Mapping[str, tuple[tuple[str, ...], str, tuple[str, ...]]]
    tests: Mapping[str, TestsFound]
    past: PastFacts
    next_patch: Version | None
    every: Sequence[str]
    spec_names: str


def _api(name: str, folder: Folder | None, context: _Context) -> DetectedApi:
    served = context.served.get(name_key(name))
    ops: Sequence[SpecOp] = served.ops if served is not None else ()
    level, level_source, remarks = _level(folder, ops, context, served)
    scopes, scope_source, scope_notes = context.scopes[name]
    tests = context.tests.get(name)
    found_in = [folder.where] if folder is not None else []
    if served is not None:
        found_in.append(context.spec_names)
    notes = list(remarks)
    if ops and all(op.deprecated for op in ops):
        notes.append(f"all its {len(ops)} operations are deprecated")
    head, _ = most_stable(ops)
    paths = {op.path for op in ops}
    earlier = context.past.paths.get(name_key(name), frozenset()) - paths
    routes_source = served.how if served is not None else ""
    if earlier:
        routes_source += (", " if routes_source else "") + (
            f"{len(earlier)} more path{'s' if len(earlier) != 1 else ''} it served at past releases")
    return DetectedApi(
        name=name,
        level=level,
        level_source=level_source,
        paths=folder.globs if folder is not None else (),
        routes=route_globs(sorted(paths | earlier), context.every) if paths | earlier else (),
        scopes=scopes,
        scope_source=scope_source,
        tests=tests.globs if tests is not None else (),
        found_in=tuple(found_in),
        routes_source=routes_source,
        tests_source=tests.source if tests is not None else "",
        history=suggest(name, context.past.levels, head, context.next_patch),
        notes=(*notes, *scope_notes),
    )


def _level(folder: Folder | None, ops: Sequence[SpecOp], context: _Context,
           served: Served | None) -> tuple[Level, str | None, tuple[str, ...]]:
    """The most stable level the evidence names (the strictest gate), where it came from, and remarks."""
    found: list[tuple[Level, str]] = []
    notes: list[str] = []
    if folder is not None and folder.level is not None:
        found.append((folder.level, f"folder {folder.folder}/"))
    served_at, every_level = most_stable(ops)
    if served_at is not None and served is not None:
        found.append((served_at, f"its operations in {context.spec_names}"))
        if len(every_level) > 1:
            shown = " and ".join(str(level) for level in every_level)
            notes.append(f"it serves {shown} operations: the API takes {served_at}, its most stable, for commits; "
                         "each spec operation is still judged at its own level")
    if folder is not None:
        texts = [(path, text) for path, text in sorted(context.texts.items()) if folder.holds(path)]
        marked = marked_level(texts)
        if marked is None and folder.folder is not None:  # what the project's documents say of the package
            docs = [(path, text) for path, text in sorted(context.texts.items()) if not folder.holds(path)]
            marked = documented_level(docs, folder.folder)
        if marked is not None:
            found.append((marked.level, marked.source))
            if served_at is not None and marked.level != served_at:
                notes.append(f"check: {marked.source} says {marked.level}, its operations {served_at}")
    if not found:
        return NEW_API_LEVEL, None, tuple(notes)
    level = max(found)[0]
    sources = [source for lv, source in found if lv == level]
    others = sorted({str(lv) for lv, _ in found if lv != level})
    source = ", ".join(sources) + (f" (also {', '.join(others)})" if others else "")
    return level, source, tuple(notes)


def _levels_from(specs: Mapping[str, Mapping[str, Any]]) -> tuple[str | None, str]:
    if not specs:
        return None, "no OpenAPI spec found"
    by_spec = {path: spec_ops(spec) for path, spec in sorted(specs.items())}
    marked = [path for path, spec in sorted(specs.items()) if _has_marker(spec)]
    if marked:
        return DEFAULT_LEVELS_FROM, f"operations in {', '.join(marked)} carry x-stability-level"
    leveled = [path for path, ops in by_spec.items() if any(op.level is not None for op in ops)]
    if leveled:
        where = ", ".join(leveled)
        return LEVELS_FROM_PATH, f"paths in {where} start with a level (/v1alpha/…) and carry no x-stability-level"
    return DEFAULT_LEVELS_FROM, "no level markers in the specs: relmgr's default (unmarked operations count as v1)"


def _has_marker(spec: Mapping[str, Any]) -> bool:
    paths = spec.get("paths")
    return any(isinstance(item, Mapping) and any(isinstance(node, Mapping) and DEFAULT_LEVELS_FROM in node
                                                 for node in item.values())
               for item in (paths.values() if isinstance(paths, Mapping) else ()))


# -- scopes ---------------------------------------------------------------------------------------------


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


def _assign_scopes(names: Sequence[str], used: Counter[str]) -> dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """Each API's scopes, why, and remarks. One API per scope: a scope that names two (`provider` for
    provider and providers) goes to the one it names exactly; the other gets a remark."""
    owned: dict[str, list[str]] = {name: [] for name in names}
    remarks: dict[str, list[str]] = {name: [] for name in names}
    for scope in sorted(used):
        matching = [name for name in names if _matches(name, scope)]
        if not matching:
            continue
        exact = [name for name in matching if normalize_scope(name) == scope]
        owner = (exact or matching)[0]
        owned[owner].append(scope)
        for other in matching:
            if other != owner:
                remarks[other].append(f"scope '{scope}' ({used[scope]}×) also looks like this API's; it goes to "
                                      f"{owner}, which it names exactly (one API per scope)")
    result: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {}
    for name in names:
        mine = sorted(owned[name], key=lambda s: (-used[s], s))
        if mine:
            counts = ", ".join(f"{s} {used[s]}×" for s in mine)
            result[name] = (tuple(mine), f"scopes in your commit history: {counts}", tuple(remarks[name]))
        else:
            result[name] = ((normalize_scope(name),), "the API's name: no commit uses a matching scope yet",
                            tuple(remarks[name]))
    return result


def _lint_scopes(used: Counter[str], taken: set[str]) -> tuple[str, ...]:
    """Scopes used at least twice that name no API: allowed besides the APIs' own, so lint keeps quiet."""
    others = [s for s in used if used[s] >= _MIN_LINT_USES and s not in taken]
    return tuple(sorted(sorted(others, key=lambda s: (-used[s], s))[:_MAX_LINT_SCOPES]))
