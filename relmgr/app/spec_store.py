"""The store of the configured OpenAPI specs at git refs (`app/specs.py` asks it its questions): blobs located
and read in batches, each parsed once per run, surfaces composed once; through relmgr's cache on disk
(`relmgr/cache.py`) for the parsed blobs and what is derived from surfaces (`app/derived.py`).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from relmgr import __version__
from relmgr.app import derived
from relmgr.app.derived import SurfaceKey
from relmgr.cache import Cache
from relmgr.errors import SpecError
from relmgr.history.repository import Project
from relmgr.policy.levels import Stage
from relmgr.spec.compose import Conflict, Part
from relmgr.spec.model import Operation, SpecChange

EMPTY: Mapping[str, Any] = {"openapi": "3.0.0", "paths": {}}  # the side of a spec that is not there yet
Document = Mapping[str, Any]
Ref = tuple[str, str]  # (what git reads: a sha, a tag or HEAD; how messages name it)


KEPT = 64  # parsed blobs kept in memory beside relmgr's cache on disk: ~4 MB each for 0.5 MB of YAML
KEPT_SURFACES = 32  # composed surfaces, the same
SCRATCH_BYTES = 2 << 30  # a run's own folder, with the cache off: what one run parses (a spec-heavy changelog: ~100 MB)
K = TypeVar("K")


class Kept(Generic[K]):
    """Documents in memory: those relmgr's cache on disk also holds (`evictable`) the last `size` used, the
    others all. A whole changelog of a spec-heavy history parses thousands of blobs (~4 MB of Python each):
    kept all, that was 10 GB; what is dropped is read back from the cache on disk when asked for again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._evictable: OrderedDict[K, Document] = OrderedDict()
        self._pinned: dict[K, Document] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._pinned or key in self._evictable

    def get(self, key: K) -> Document | None:
        found = self._pinned.get(key)
        return found if found is not None else self._evictable.get(key)

    def touch(self, key: K) -> None:
        if key in self._evictable:
            self._evictable.move_to_end(key)

    def put(self, key: K, document: Document, *, evictable: bool) -> list[Document]:
        """Keep `document`; the documents dropped to make room."""
        if not evictable:
            self._pinned[key] = document
            return []
        self._evictable[key] = document
        self._evictable.move_to_end(key)
        dropped = []
        while len(self._evictable) > self.size:
            dropped.append(self._evictable.popitem(last=False)[1])
        return dropped


@dataclass(frozen=True, slots=True)
class SurfaceAt:
    """The configured specs at one ref; composed when `document` is first asked for (what is derived from it,
    its operations and its diffs, may come from relmgr's cache without it)."""

    label: str  # how messages name the ref
    key: SurfaceKey  # (configured spec, blob id) of each file read: the same key, the same surface
    files: tuple[tuple[str, str], ...]  # (configured spec, the name it had at that ref)
    store: SpecStore = field(compare=False, repr=False)

    @property
    def document(self) -> Document:
        """The composed document (SpecError when a file cannot be read after all: an entry of the cache said
        it could)."""
        return self.store.document(self)


class SpecStore:
    """The configured specs at git refs; blobs located and read in batches, each parsed once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.repo = project.repo
        self.paths = project.config.openapi.specs
        self.levels_from = project.config.openapi.levels_from
        self._kept = Kept[str](KEPT)  # parsed blobs
        self._errors: dict[str, SpecError] = {}  # blobs that do not parse, with why
        self._hits = 0  # blobs read from relmgr's cache (progress)
        self._operations: dict[SurfaceKey, list[Operation]] = {}
        self._surfaces = Kept[SurfaceKey](KEPT_SURFACES)  # composed documents
        self._composed: dict[SurfaceKey, list[Conflict]] = {}  # surfaces known to compose, with their conflicts
        self._conflicts: set[tuple[str, str, str]] = set()
        self._disk_cache: Cache | None = None
        self._finite: dict[str, bool] = {}  # blob id -> its text holds no NaN or infinity (spec.fingerprint)
        self._finite_surfaces: dict[int, tuple[Document, bool]] = {}  # the same of each surface composed
        self._disk_opened = False
        self.scratch_removal: weakref.finalize[Any, Any] | None = None  # removes the run's own folder, if made

    def names(self) -> list[str]:
        """Every name a configured spec had (a commit that changed one of them changed the surface)."""
        return list(dict.fromkeys(name for _, names in self.project.spec_names() for name in names))

    def files_at(self, refs: Sequence[Ref]) -> dict[str, list[tuple[str, str, str]]]:
        """Per ref, (configured spec, name read, blob id) of each spec there: its name, else a former one."""
        specs = self.project.spec_names()
        located = self.project.locate([(ref, name) for ref, _ in refs for _, names in specs for name in names])
        found: dict[str, list[tuple[str, str, str]]] = {}
        for ref, _ in refs:
            files: list[tuple[str, str, str]] = []
            for spec, names in specs:
                hit = next(((name, obj[0]) for name in names if (obj := located[(ref, name)]) and obj[1] == "blob"),
                           None)
                if hit is not None and all(hit[0] != name for _, name, _ in files):
                    files.append((spec, *hit))
            found[ref] = files
        return found

    def load(self, wanted: Mapping[str, str]) -> dict[str, Document | SpecError]:
        """Parsed documents (or why not) by blob id; `wanted` maps blob ids to names for messages.

        A blob is parsed once per run and once across runs (relmgr's cache on disk, keyed by the blob id: its
        content); only the blobs neither has are read from git, in one batch. Every document asked for is in
        the answer: ask for a few (a surface's files); `warm` readies many."""
        found: dict[str, Document | SpecError] = {}
        for blob in wanted:
            if (known := self._recall(blob)) is not None:
                found[blob] = known
        found.update(self._parse({blob: source for blob, source in wanted.items() if blob not in found}))
        return found

    def warm(self, wanted: Mapping[str, str]) -> None:
        """Parse, in one batch, the blobs neither this run nor relmgr's cache holds, holding none of them
        beyond what `_kept` keeps: with the cache on disk, the last `KEPT` (the others are read back from it);
        without it, all of them (then there is nowhere else to keep them)."""
        for _ in self._parse({blob: source for blob, source in wanted.items() if not self.cached(blob)}):
            pass

    def _recall(self, blob: str) -> Document | SpecError | None:
        """The blob parsed this run, or in relmgr's cache; None when it must be read from git."""
        known: Document | SpecError | None = self._errors.get(blob)
        if known is None:
            known = self._kept.get(blob)
        if known is not None:
            self._kept.touch(blob)
            return known
        disk = self._disk()
        entry = disk.fetch("spec", blob) if disk is not None else None
        if entry is None or not isinstance(entry[0], dict):
            return None
        self._finite[blob] = entry[1]
        self._kept.put(blob, entry[0], evictable=True)
        self._hits += 1
        if self.project.progress is not None:
            self.project.progress("reading the cached OpenAPI specs", self._hits, None)
        return entry[0]

    def _parse(self, wanted: Mapping[str, str]) -> Iterator[tuple[str, Document | SpecError]]:
        """The blobs read from git (one `cat-file --batch`, one blob held at a time) and parsed, each written to
        relmgr's cache; a blob git does not have is an error as an empty one is."""
        progress, seen = self.project.progress, set()
        for parsed, (blob, data) in enumerate(self.repo.iter_objects(wanted), 1):
            seen.add(blob)
            if progress is not None:
                progress("reading the OpenAPI specs", parsed, len(wanted))
            yield blob, self._parsed(blob, data, wanted[blob])
        for blob in wanted.keys() - seen:
            yield blob, self._parsed(blob, b"", wanted[blob])

    def _parsed(self, blob: str, data: bytes, source: str) -> Document | SpecError:
        from relmgr.spec import fingerprint
        from relmgr.spec.load import load_spec  # YAML and the parsers: only when something is parsed

        try:
            document = load_spec(data, source)
        except SpecError as error:
            self._errors[blob] = error  # a broken blob is not parsed again (nor kept on disk)
            return error
        finite = self._finite[blob] = bool(data) and not fingerprint.may_hold_nonfinite(data)
        disk = self._disk()
        stored = disk is not None and disk.put("spec", blob, document, finite=finite)
        self._kept.put(blob, document, evictable=stored)  # what the disk holds can be read back from it
        return document

    def cached(self, blob: str) -> bool:
        """Whether the blob need not be read from git: parsed this run, or in relmgr's cache (read when used)."""
        disk = self._disk()
        return blob in self._errors or blob in self._kept or (disk is not None and disk.has("spec", blob))

    def _disk(self) -> Cache | None:
        """relmgr's cache on disk for this repository, opened on first use. Turned off, a folder of this run's
        own instead, removed when the run ends: what the store drops from memory must be readable back (a whole
        changelog of a spec-heavy history parses thousands of ~4 MB documents), and nothing outlives the run.
        None only when not even that can be made: then the store keeps everything in memory."""
        if not self._disk_opened:
            self._disk_opened = True
            found = Cache.for_repository(self.repo.common_dir(), __version__) if self.project.config.openapi.cache \
                else None
            if found is not None:
                found.warn = self.project.warnings.append  # once, if it cannot be written
            else:
                found = self._scratch()
            self._disk_cache = found
        return self._disk_cache

    def _scratch(self) -> Cache | None:
        try:
            root = Path(tempfile.mkdtemp(prefix="relmgr-specs-"))
        except OSError:
            return None
        self.scratch_removal = weakref.finalize(self, shutil.rmtree, root, ignore_errors=True)  # or at exit
        return Cache(root / "specs" / "run", "run", __version__, max_bytes=SCRATCH_BYTES)

    def parts_at(self, ref: str, label: str) -> list[Part]:
        """The configured specs at one ref, parsed, as parts of a surface (`spec-diff REF`); SpecError when one
        cannot be read."""
        files = self.files_at([(ref, label)])[ref]
        documents = self.load({blob: f"{label}:{name}" for _, name, blob in files})
        parts = []
        for spec, name, blob in files:
            document = documents[blob]
            if isinstance(document, SpecError):
                raise document
            parts.append(Part(spec, f"{label}:{name}", document))
        return parts

    def at(self, refs: Sequence[Ref]) -> dict[str, SurfaceAt | SpecError | None]:
        """The surface at each ref: None where no configured spec is there, the first SpecError where a file
        cannot be read or the files cannot be composed.

        A surface relmgr's cache knows to compose (with its conflicts, warned about as when composed) is not
        read now: its document is read when asked for. The others are read in one batch and composed, one at a
        time (the store keeps the last few: a release of a spec-heavy history has hundreds)."""
        files = self.files_at(refs)
        labels = dict(refs)
        keys = {ref: tuple((spec, blob) for spec, _, blob in found) for ref, found in files.items()}
        unknown = [ref for ref, _ in refs if files[ref] and self.known(keys[ref]) is None]
        self.warm({blob: f"{labels[ref]}:{name}" for ref in unknown for _, name, blob in files[ref]})
        result: dict[str, SurfaceAt | SpecError | None] = {}
        for ref, label in refs:
            found, key = files[ref], keys[ref]
            if not found:
                result[ref] = None
                continue
            surface = SurfaceAt(label, key, tuple((spec, name) for spec, name, _ in found), self)
            conflicts = self.known(key)
            if conflicts is None:
                try:
                    self.document(surface)  # its first file that cannot be read, else the composition's error
                except SpecError as error:
                    result[ref] = error
                    continue
            else:
                self._warn(conflicts, label)
            result[ref] = surface
        return result

    def known(self, key: SurfaceKey) -> list[Conflict] | None:
        """The conflicts of a surface known to compose (this run, or relmgr's cache); None when not known."""
        found = self._composed.get(key)
        if found is None and (disk := self._disk()) is not None:
            found = derived.load_conflicts(disk.get("surface", derived.surface_key(key)))
            if found is not None:
                self._composed[key] = found
        return found

    def document(self, surface: SurfaceAt) -> Document:
        """The composed document of `surface`, read and composed once per run."""
        document = self._surfaces.get(surface.key)
        if document is not None:
            return document
        names = {blob: f"{surface.label}:{name}" for (_, blob), (_, name) in zip(surface.key, surface.files,
                                                                                    strict=True)}
        documents = self.load(names)
        parts = []
        for (spec, blob), (_, name) in zip(surface.key, surface.files, strict=True):
            found = documents[blob]
            if isinstance(found, SpecError):
                raise found
            parts.append(Part(spec, f"{surface.label}:{name}", found))
        from relmgr.spec.compose import compose

        composed = compose(parts)
        self._warn(list(composed.conflicts), surface.label)
        if surface.key not in self._composed:
            self._composed[surface.key] = list(composed.conflicts)
            if (disk := self._disk()) is not None:
                disk.put("surface", derived.surface_key(surface.key), derived.dump_conflicts(composed.conflicts),
                         finite=True)
        document = composed.document
        for dropped in self._surfaces.put(surface.key, document, evictable=True):  # composed again when asked
            self._finite_surfaces.pop(id(dropped), None)
        self._finite_surfaces[id(document)] = (document, all(self._finite.get(blob, False) for _, blob in surface.key))
        return document

    def _warn(self, conflicts: Sequence[Conflict], label: str) -> None:
        for conflict in conflicts:
            if (conflict.operation, conflict.first, conflict.second) not in self._conflicts:
                self._conflicts.add((conflict.operation, conflict.first, conflict.second))
                self.project.warnings.append(
                    f"OpenAPI specs: `{conflict.operation}` differs between {conflict.first} and "
                    f"{conflict.second} (at {label}); relmgr reads the one in {conflict.first}, the first in "
                    "[tool.relmgr.openapi] specs: make the generator write the same operation into both")

    def operations(self, surface: SurfaceAt) -> list[Operation]:
        """The surface's operations with their levels (relmgr's cache keeps them by blobs and `levels-from`)."""
        found = self._operations.get(surface.key)
        if found is None:
            disk, key = self._disk(), f"{derived.surface_key(surface.key)}|{self.levels_from}"
            found = derived.load_operations(disk.get("operations", key)) if disk is not None else None
            if found is None:
                from relmgr.spec.diff import operations  # the engine: only when the cache has no answer

                found = operations(surface.document, levels_from=self.levels_from)
                if disk is not None:
                    disk.put("operations", key, derived.dump_operations(found), finite=True)
            self._operations[surface.key] = found
        return found

    def diff_at(self, base: SurfaceAt | None, revision: SurfaceAt | None, today: date | None,
                only_paths: Collection[str] | None = None) -> list[SpecChange]:
        """`diff` of two surfaces (None: the side not there yet), answered by relmgr's cache when it has the
        same diff: the same blobs, `levels-from`, date and paths."""
        disk = self._disk()
        key = derived.diff_key(base.key if base else None, revision.key if revision else None, self.levels_from,
                               today, only_paths)
        if disk is not None:
            found = derived.load_changes(disk.get("diff", key))
            if found is not None:
                return found
        changes = self.diff(EMPTY if base is None else base.document, EMPTY if revision is None else revision.document,
                            today, only_paths)
        if disk is not None:
            disk.put("diff", key, derived.dump_changes(changes), finite=True)
        return changes

    def diff(self, base: Document, revision: Document, today: date | None,
             only_paths: Collection[str] | None = None) -> list[SpecChange]:
        """Every change at every level, route moves paired (`operation-level-changed`): relmgr judges levels
        itself (explicit marker, routes, default). Only the operations whose digests differ are compared
        (`spec.fingerprint`), each document's digests made once."""
        from relmgr.spec import fingerprint
        from relmgr.spec.moves import diff_surfaces  # the engine: only when the cache has no answer

        for document in (base, revision):
            known = self._finite_surfaces.get(id(document))
            fingerprint.of(document, finite=known[1] if known is not None and known[0] is document else None)
        return diff_surfaces(base, revision, levels_from=self.levels_from, today=today, min_stage=Stage.ALPHA,
                             only_paths=only_paths)


_STORES: WeakKeyDictionary[Project, SpecStore] = WeakKeyDictionary()


def store_of(project: Project) -> SpecStore:
    """The project's one store: across the questions of one run, each blob is located, read, parsed once."""
    store = _STORES.get(project)
    if store is None:
        store = _STORES[project] = SpecStore(project)
    return store
