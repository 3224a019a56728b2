"""The configured OpenAPI specs read from git at refs, for `check`, `notes`, `propose` and `apis`.

Specs are read at each ref with git, never from the work tree. Every question costs a fixed number of git
processes, whatever the number of refs and commits: one `cat-file --batch-check` turns all the `REF:path`
names into blob ids, one `cat-file --batch` reads the blobs not read yet, and each blob is parsed once per
run (`SpecCache`, keyed by blob id).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from relmgr.config.model import ApiConfig
from relmgr.errors import SpecError
from relmgr.graduation.criteria import SurfaceEvidence
from relmgr.history.commits import Commit, parse_message
from relmgr.history.repository import Project
from relmgr.history.versions import Release, Version
from relmgr.notes.model import ApiLevel, Breaking, Detected, Entry
from relmgr.policy.apis import Change
from relmgr.policy.levels import Level, Stage
from relmgr.spec import Operation, Severity, SpecCache, SpecChange, diff_specs, operations
from relmgr.spec.policy import Culprit, SpecImpact, attribute
from relmgr.spec.surface import deprecated_routes, placements, route_changes

EMPTY: Mapping[str, Any] = {"openapi": "3.0.0", "paths": {}}  # the side of a spec that is not there yet
Document = Mapping[str, Any]
Ref = tuple[str, str]  # (what git reads: a sha, a tag or HEAD; how messages name it)
Keep = Callable[[SpecChange, Level], bool]  # which changes, at their level, a caller wants attributed


class SpecStore:
    """The configured specs at git refs; blobs located and read in batches, each parsed once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.repo = project.repo
        self.paths = project.config.openapi.specs
        self.levels_from = project.config.openapi.levels_from
        self._cache = SpecCache(maxsize=None)
        self._operations: dict[str, list[Operation]] = {}
        self._located: dict[tuple[str, str], str | None] = {}

    def locate(self, names: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        """The blob id of each (ref, path); None where the file is not at that ref. Asks git only once a name."""
        wanted = list(dict.fromkeys(names))
        unknown = [name for name in wanted if name not in self._located]
        if unknown:
            ids = self.repo.blob_ids([f"{ref}:{path}" for ref, path in unknown])
            self._located.update(zip(unknown, ids, strict=True))
        return {name: self._located[name] for name in wanted}

    def load(self, wanted: Mapping[str, str]) -> dict[str, Document | SpecError]:
        """Parsed documents (or why not) by blob id; `wanted` maps blob ids to names for messages."""
        unread = [blob for blob in wanted if blob not in self._cache]
        data = self.repo.read_objects(unread) if unread else {}
        found: dict[str, Document | SpecError] = {}
        for blob, source in wanted.items():
            try:
                found[blob] = self._cache.load(blob, data.get(blob, b""), source)
            except SpecError as error:
                found[blob] = error
        return found

    def operations(self, blob: str, document: Document) -> list[Operation]:
        if blob not in self._operations:
            self._operations[blob] = operations(document, levels_from=self.levels_from)
        return self._operations[blob]

    def diff(self, base: Document, revision: Document, today: date | None,
             only_paths: Collection[str] | None = None) -> list[SpecChange]:
        """Every change at every level: relmgr judges levels itself (explicit marker, routes, default)."""
        return diff_specs(base, revision, levels_from=self.levels_from, today=today, min_stage=Stage.ALPHA,
                          only_paths=only_paths)


_STORES: WeakKeyDictionary[Project, SpecStore] = WeakKeyDictionary()


def store_of(project: Project) -> SpecStore:
    """The project's one store: across the questions of one run, each blob is located, read, parsed once."""
    store = _STORES.get(project)
    if store is None:
        store = _STORES[project] = SpecStore(project)
    return store


def prefetch(project: Project, refs: Sequence[str], commits: Iterable[Commit]) -> None:
    """Locate and read, in one batch each, the specs at `refs` and around the `commits` that touched them.

    `changelog` asks about every release: without this it would start git processes per release.
    """
    store = store_of(project)
    if not store.paths:
        return
    names = [(ref, path) for ref in refs for path in store.paths]
    names += [(ref, path) for commit in commits for path in store.paths if path in commit.files
              for ref in (f"{commit.sha}^", commit.sha)]
    located = store.locate(names)
    store.load({blob: f"{ref[:12]}:{path}" for (ref, path), blob in located.items() if blob})


# -- check and notes -----------------------------------------------------------------------------------


def spec_impacts(project: Project, *, base: Ref, tip: Ref, changes: Sequence[Change], whole_range: bool,
                 version: Version | None, today: date | None, keep: Keep) -> list[SpecImpact]:
    """The spec changes from `base` to `tip` that `keep` wants (at their level), once per API and culprit.

    `changes` are the range's commits; the ones that changed a spec get the changes their own diff shows.
    A change no commit of the range made is the range tip's when the range is a whole release
    (`whole_range`), else it came from outside the range (its base, a merge) and is not judged here.
    """
    store, config = store_of(project), project.config
    placed: dict[str, list[tuple[SpecChange, str | None, Level]]] = {}
    for path, previous, revision in _release_pairs(store, base, tip):
        found = [
            (change, api, level)
            for change in store.diff(previous, revision, today)
            for api, level in placements(change.path, change.level, change.explicit, project.registry, version,
                                         config.default_level)
            if keep(change, level)
        ]
        if found:
            placed[path] = found
    if not placed:
        return []
    made = _commit_diffs(store, changes, placed, today)
    impacts: list[SpecImpact] = []
    stand_in: Culprit | None = None
    for path, found in placed.items():
        attributed = attribute([change for change, _, _ in found], made.get(path, []))
        for (change, api, level), culprits in zip(found, attributed, strict=True):
            if not culprits and whole_range:
                stand_in = stand_in or _tip_culprit(project, tip[0], changes)
                culprits = (stand_in,)
            impacts.extend(SpecImpact(change, api, level, culprit) for culprit in culprits)
    return impacts


def _release_pairs(store: SpecStore, base: Ref, tip: Ref) -> list[tuple[str, Document, Document]]:
    """(path, base document, tip document) of each spec that differs; a spec new in the range has an empty base.

    The tip's spec must be readable (else SpecError, exit 5); an unreadable base is warned about and skipped.
    """
    located = store.locate([(ref, path) for path in store.paths for ref in (base[0], tip[0])])
    pairs: list[tuple[str, str | None, str]] = []
    for path in store.paths:
        old, new = located[(base[0], path)], located[(tip[0], path)]
        if new is None:
            where = f"it was in {base[1]}" if old is not None else f"nor in {base[1]}"
            store.project.warnings.append(f"OpenAPI spec {path} is not in {tip[1]} ({where}): not compared; "
                        "check [tool.relmgr.openapi] specs")
        elif old != new:
            pairs.append((path, old, new))
    sources = {blob: f"{label}:{path}" for path, old, new in pairs
               for blob, label in ((old, base[1]), (new, tip[1])) if blob}
    documents = store.load(sources)
    found: list[tuple[str, Document, Document]] = []
    for path, old, new in pairs:
        revision, previous = documents[new], EMPTY if old is None else documents[old]
        if isinstance(revision, SpecError):
            raise revision
        if isinstance(previous, SpecError):
            store.project.warnings.append(f"{previous.message}; {path} not compared")
            continue
        found.append((path, previous, revision))
    return found


def detected_breaking(project: Project, *, base: Release, tip: Ref, changes: Sequence[Change],
                      version: Version, today: date) -> list[Breaking]:
    """The breaking changes (oasdiff ERR, at every level) the specs show from `base` to `tip`, as notes list
    them: one per change, under its most stable level, with the commit that made it."""
    impacts = spec_impacts(project, base=(base.sha, base.tag), tip=tip, changes=changes,
                           whole_range=not project.paths,  # one package's view: the rest is the others'
                           version=version, today=today, keep=lambda change, _: change.severity is Severity.ERR)
    grouped: dict[SpecChange, list[SpecImpact]] = {}
    for impact in impacts:
        grouped.setdefault(impact.change, []).append(impact)
    return [_breaking(found) for found in grouped.values()]


def _breaking(impacts: Sequence[SpecImpact]) -> Breaking:
    """One notes entry for one spec change (its impacts: per API and culprit; the first culprit names it)."""
    change, culprit = impacts[0].change, impacts[0].culprit
    header = parse_message(culprit.subject)
    apis = tuple(dict.fromkeys(ApiLevel(i.api, i.level) for i in impacts if i.api is not None))
    entry = Entry(culprit.sha, culprit.subject, change.message, header.type, header.scope, apis, culprit.pr)
    detected = Detected(change.operation, change.id, culprit.declared, culprit.attributed)
    return Breaking(entry, (), max(i.level for i in impacts), detected)


def _commit_diffs(store: SpecStore, changes: Sequence[Change],
                  placed: Mapping[str, Sequence[tuple[SpecChange, str | None, Level]]],
                  today: date | None) -> dict[str, list[tuple[Culprit, Sequence[SpecChange]]]]:
    """Per spec, each commit that changed it with its diff against its first parent (newest first).

    The diffs compare only the operations `placed` names (the ones to attribute): large specs, many commits.
    """
    paths = list(placed)
    wanted = {path: {change.path for change, _, _ in found} for path, found in placed.items()}
    touching = [(change, path) for change in changes if not change.reverted
                for path in paths if path in change.commit.files]
    located = store.locate([(ref, path) for change, path in touching
                            for ref in (f"{change.commit.sha}^", change.commit.sha)])
    documents = store.load({blob: f"{ref[:12]}:{path}" for (ref, path), blob in located.items() if blob})
    made: dict[str, list[tuple[Culprit, Sequence[SpecChange]]]] = {}
    progress = store.project.progress
    for done, (change, path) in enumerate(touching, 1):
        if progress is not None:
            progress("diffing OpenAPI spec versions", done, len(touching))
        sha = change.commit.sha
        old, new = located[(f"{sha}^", path)], located[(sha, path)]
        if old == new:
            continue
        before = EMPTY if old is None else documents[old]
        after = EMPTY if new is None else documents[new]
        if isinstance(before, SpecError) or isinstance(after, SpecError):
            continue  # a broken intermediate spec: this commit cannot be told apart
        made.setdefault(path, []).append((_culprit(change), store.diff(before, after, today, wanted[path])))
    return made


def _culprit(change: Change) -> Culprit:
    commit = change.commit
    return Culprit(commit.sha, commit.subject, commit.pr, declared=commit.breaking)


def _tip_culprit(project: Project, tip: str, changes: Sequence[Change]) -> Culprit:
    """The range's tip standing in for changes no single commit made (a merge, say)."""
    for change in changes:
        if change.commit.sha == tip:
            return Culprit(tip, change.commit.subject, change.commit.pr, change.commit.breaking, attributed=False)
    subject = project.repo.commit_subjects([tip]).get(tip, "")
    return Culprit(tip, subject, None, declared=False, attributed=False)


# -- propose and apis ----------------------------------------------------------------------------------


def operations_at(store: SpecStore, refs: Sequence[tuple[str, str]]) -> dict[str, list[Operation] | None]:
    """The operations of every configured spec at each (sha, label); None where a spec cannot be read."""
    located = store.locate([(sha, path) for sha, _ in refs for path in store.paths])
    labels = dict(refs)
    documents = store.load({blob: f"{labels[sha]}:{path}" for (sha, path), blob in located.items() if blob})
    found: dict[str, list[Operation] | None] = {}
    for sha, _ in refs:
        ops: list[Operation] = []
        blobs = [blob for path in store.paths if (blob := located[(sha, path)])]
        broken = [error for blob in blobs if isinstance(error := documents[blob], SpecError)]
        store.project.warnings.extend(error.message for error in broken)  # the CLI shows each once
        for blob in blobs:
            document = documents[blob]
            if not isinstance(document, SpecError):
                ops += store.operations(blob, document)
        found[sha] = None if broken else ops
    return found


def head_operations(project: Project) -> list[Operation]:
    """The operations of the configured specs at HEAD (none when unreadable, with a warning)."""
    if not project.config.openapi.specs or not project.repo.has_commits():
        return []
    return operations_at(store_of(project), [("HEAD", "HEAD")])["HEAD"] or []


def surface_evidence(project: Project, apis: Sequence[ApiConfig]) -> dict[str, SurfaceEvidence]:
    """Routes added and removed per final release, and deprecated routes at HEAD, for APIs with `routes`.

    Only the releases `surface-settled` can look at are read: those of the last `settled-minors` minor lines.
    """
    mapped = [api for api in apis if api.routes]
    if not project.config.openapi.specs or not mapped:
        return {}
    graduation = project.config.graduation
    finals = _last_lines(project, max(graduation.to_beta.settled_minors, graduation.to_stable.settled_minors))
    previous = {r.tag: project.releases.find(r.previous) for r in finals if r.previous}
    refs = [(r.sha, r.tag) for r in (*finals, *(p for p in previous.values() if p))] + [("HEAD", "HEAD")]
    ops = operations_at(store_of(project), list(dict.fromkeys(refs)))
    if ops["HEAD"] is None:
        return {}
    found: dict[str, SurfaceEvidence] = {}
    for api in mapped:
        moves = []
        for release in finals:
            before_release = previous.get(release.tag)
            after = ops[release.sha]
            before = ops[before_release.sha] if before_release else []
            if after is not None and before is not None:
                moves.append(route_changes(release.tag, before, after, api.name, project.registry))
        found[api.name] = SurfaceEvidence(tuple(moves), deprecated_routes(ops["HEAD"], api.name, project.registry))
    return found


def _last_lines(project: Project, count: int) -> list[Release]:
    """The final releases of the last `count` minor lines (X.Y with its patches), in version order."""
    finals = [r for r in project.releases.by_version() if not r.prerelease]
    lines = list(dict.fromkeys(r.version.release[:2] for r in finals))[-count:] if count > 0 else []
    return [r for r in finals if r.version.release[:2] in lines]
