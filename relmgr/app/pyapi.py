"""The APIs' Python packages read from git at refs, for `check`, `notes`, `propose` and `api-diff`.

A package is read from git, never from the work tree and never imported: one `cat-file --batch-check`
finds its folder (or module file) at every ref asked, one `cat-file --batch` per folder depth reads the
trees not read yet, one more the source files not read yet, and griffe loads each distinct version once
per run (keyed by its tree id): refs holding the same package tree cost nothing more. Commits are looked
at only when their changed files (from the history read) touch the package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from relmgr.config.model import ApiConfig
from relmgr.graduation.criteria import RouteChanges, SurfaceEvidence
from relmgr.history.commits import Commit, parse_message
from relmgr.history.repository import Project
from relmgr.history.versions import Release, Version
from relmgr.notes.model import ApiLevel, Breaking, Detected, Entry
from relmgr.policy.apis import Change
from relmgr.policy.levels import Level
from relmgr.pyapi import ApiChange, PackageError, defining_files, diff_packages, load_package, package_removed
from relmgr.pyapi.catalog import RULES
from relmgr.pyapi.load import check_syntax
from relmgr.pyapi.tree import TreeEntry, is_source, parse_tree
from relmgr.spec import Severity, SpecChange
from relmgr.spec.policy import Culprit, SpecImpact, attribute

if TYPE_CHECKING:
    import griffe

Ref = tuple[str, str]  # (what git reads: a sha, a tag or HEAD; how messages name it)
Keep = Callable[[SpecChange, Level], bool]  # which changes, at their level, a caller wants attributed
REMOVED = RULES["OBJECT_REMOVED"].id


@dataclass(frozen=True, slots=True)
class Package:
    """A package as APIs name it: its dotted name and the python paths it may be below."""

    name: str
    roots: tuple[str, ...]  # `python-paths`, "" for the repository root

    @classmethod
    def of(cls, api: ApiConfig, name: str) -> Package:
        return cls(name, api.python_paths)

    def candidates(self) -> list[tuple[str, str, bool]]:
        """(python path, path from the repository root, whether it is a folder), in the order tried."""
        tail = self.name.replace(".", "/")
        found: list[tuple[str, str, bool]] = []
        for root in self.roots:
            base = f"{root}/{tail}" if root else tail
            found += [(root, base, True), (root, f"{base}.py", False), (root, f"{base}.pyi", False)]
        return found

    def touched_by(self, files: Iterable[str]) -> bool:
        """Whether a commit changing `files` changed this package's source."""
        places = self.candidates()
        return any(f == path or (folder and f.startswith(path + "/")) for f in files for _, path, folder in places)


@dataclass(frozen=True, slots=True)
class Located:
    """The package at one ref: the id of its folder (a tree) or module file (a blob), and where it is."""

    oid: str
    is_tree: bool
    path: str  # from the repository root: `src/ogx_api/provider` or `src/ogx_api/provider.py`
    root: str  # the python path it is below: `src`, or "" for the root


class PackageStore:
    """The packages at git refs: trees and files read in batches, each distinct version loaded once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.repo = project.repo
        self._located: dict[tuple[str, Package], Located | None] = {}
        self._trees: dict[str, list[TreeEntry]] = {}
        self._blobs: dict[str, bytes] = {}
        self._syntax: dict[str, str | None] = {}
        self._models: dict[tuple[str, str], griffe.Object | PackageError] = {}

    def locate(self, wanted: Sequence[tuple[str, Package]]) -> dict[tuple[str, Package], Located | None]:
        """Each (ref, package) at the first candidate that exists there, None where none does; then the
        trees and files of every version found are read (`read`). A fixed number of processes."""
        unknown = [key for key in dict.fromkeys(wanted) if key not in self._located]
        if unknown:
            asked = [(key, candidate) for key in unknown for candidate in key[1].candidates()]
            ids = self.repo.object_ids([f"{ref}:{path}" for (ref, _), (_, path, _) in asked])
            for ((key, (root, path, folder)), found) in zip(asked, ids, strict=True):
                if key in self._located and self._located[key] is not None:
                    continue
                hit = found is not None and found[1] == ("tree" if folder else "blob")
                self._located[key] = Located(found[0], folder, path, root) if hit and found else None
            self._read([loc for key in unknown if (loc := self._located[key]) is not None])
        return {key: self._located[key] for key in wanted}

    def _read(self, found: Sequence[Located]) -> None:
        """The trees below the versions `found` (one process per folder depth) and their source files."""
        pending = list(dict.fromkeys(loc.oid for loc in found if loc.is_tree and loc.oid not in self._trees))
        while pending:
            data = self.repo.read_objects(pending)
            children: list[str] = []
            for oid in pending:
                entries = parse_tree(data.get(oid, b""), len(oid))
                self._trees[oid] = entries
                children += [e.oid for e in entries if e.is_tree and e.oid not in self._trees]
            pending = list(dict.fromkeys(children))
        blobs = {loc.oid for loc in found if not loc.is_tree}
        for loc in found:
            if loc.is_tree:
                blobs.update(oid for _, oid in self._flatten(loc.oid, ""))
        unread = [oid for oid in blobs if oid not in self._blobs]
        if unread:
            self._blobs.update(self.repo.read_objects(unread))

    def _flatten(self, tree: str, prefix: str) -> list[tuple[str, str]]:
        """(path below `prefix`, blob id) of every source file below a tree already read."""
        found: list[tuple[str, str]] = []
        for entry in self._trees.get(tree, []):
            path = f"{prefix}/{entry.name}" if prefix else entry.name
            if entry.is_tree:
                found += self._flatten(entry.oid, path)
            elif is_source(entry.name):
                found.append((path, entry.oid))
        return found

    def model(self, package: Package, located: Located, where: str) -> griffe.Object:
        """griffe's model of the package at one located version; PackageError (exit 5) when unreadable."""
        key = (located.oid, package.name)
        if key not in self._models:
            self._models[key] = self._load(package, located, where)
        found = self._models[key]
        if isinstance(found, PackageError):
            raise found
        return found

    def _load(self, package: Package, located: Located, where: str) -> griffe.Object | PackageError:
        below = located.path[len(located.root) + 1:] if located.root else located.path
        listed = self._flatten(located.oid, below) if located.is_tree else [(below, located.oid)]
        files: dict[str, bytes] = {}
        for path, oid in listed:
            data = self._blobs.get(oid, b"")
            if oid not in self._syntax:
                self._syntax[oid] = check_syntax(f"{located.root}/{path}" if located.root else path, data)
            problem = self._syntax[oid]
            if problem is not None:
                return PackageError(f"Python package {package.name} at {where}: {problem}; relmgr cannot read "
                                    "its API until the syntax is fixed")
            files[path] = data
        try:
            return load_package(package.name, files, where)
        except PackageError as error:
            return error


_STORES: WeakKeyDictionary[Project, PackageStore] = WeakKeyDictionary()


def store_of(project: Project) -> PackageStore:
    """The project's one store: across the questions of one run, each package version is loaded once."""
    store = _STORES.get(project)
    if store is None:
        store = _STORES[project] = PackageStore(project)
    return store


def owners(apis: Iterable[ApiConfig]) -> dict[Package, list[str]]:
    """Each configured package and the APIs that ship it (usually one)."""
    found: dict[Package, list[str]] = {}
    for api in apis:
        for name in api.python:
            found.setdefault(Package.of(api, name), []).append(api.name)
    return found


# -- two refs --------------------------------------------------------------------------------------------


def compare(store: PackageStore, package: Package, old: Located | None, new: Located | None, base: Ref,
            tip: Ref) -> list[ApiChange]:
    """Every change of `package` from `base` to `tip` (both located). A package new at `tip` breaks
    nothing; one gone from it is removed whole. The tip must be readable (else PackageError); an unreadable
    base is warned about and not compared."""
    if new is None:
        if old is not None:
            return [package_removed(package.name)]
        store.project.warnings.append(f"Python package {package.name} is neither in {base[1]} nor in {tip[1]} "
                                      f"(looked below {_roots(package)}): not compared; check `python` and "
                                      "`python-paths`")
        return []
    if old is None or old.oid == new.oid:
        return []
    after = store.model(package, new, tip[1])
    try:
        before = store.model(package, old, base[1])
    except PackageError as error:
        store.project.warnings.append(f"{error.message}; not compared")
        return []
    return diff_packages(before, after)


def diff_refs(project: Project, base: Ref, tip: Ref, packages: Sequence[Package]) -> dict[Package, list[ApiChange]]:
    """`api-diff`: each package's changes from `base` to `tip`."""
    store = store_of(project)
    located = store.locate([(ref, package) for package in packages for ref in (base[0], tip[0])])
    return {package: compare(store, package, located[(base[0], package)], located[(tip[0], package)], base, tip)
            for package in packages}


def prefetch(project: Project, refs: Sequence[str], commits: Iterable[Commit]) -> None:
    """Locate and read, in one batch each, the packages at `refs` and around the `commits` that touched them
    (`changelog` asks about every release: without this it would start git processes per release)."""
    packages = list(owners(project.config.apis))
    wanted = [(ref, package) for ref in refs for package in packages]
    wanted += [(ref, package) for commit in commits for package in packages if package.touched_by(commit.files)
               for ref in (f"{commit.sha}^", commit.sha)]
    store_of(project).locate(wanted)


def _roots(package: Package) -> str:
    return ", ".join(f"`{root}/`" if root else "the root" for root in package.roots)


# -- check and notes ---------------------------------------------------------------------------------------


def python_impacts(project: Project, *, base: Ref, tip: Ref, changes: Sequence[Change], whole_range: bool,
                   version: Version | None, keep: Keep) -> list[SpecImpact]:
    """The package changes from `base` to `tip` that `keep` wants, per API (at its level) and culprit.

    As `app.specs.spec_impacts`: each change goes to the commits of the range whose own diff (the package at
    the commit against its first parent) shows it; one no commit made is the range tip's when the range is
    a whole release (`whole_range`), else it came from outside the range and is not judged here.
    """
    store, registry = store_of(project), project.registry
    shipped = owners(api for api in project.config.apis if project.ships(api.name))
    if not shipped:
        return []
    located = store.locate([(ref, package) for package in shipped for ref in (base[0], tip[0])])
    placed: dict[Package, list[tuple[ApiChange, str, Level]]] = {}
    for package, apis in shipped.items():
        found = compare(store, package, located[(base[0], package)], located[(tip[0], package)], base, tip)
        kept = [(change, api, level) for change in found for api in apis
                if keep(as_spec(change), level := registry.level_at(api, version))]
        if kept:
            placed[package] = kept
    if not placed:
        return []
    suspects = {package: _suspect_files(store, package, [c for c, _, _ in kept],
                                        located[(base[0], package)], located[(tip[0], package)], base, tip)
                for package, kept in placed.items()}
    made = _commit_diffs(store, changes, suspects)
    impacts: list[SpecImpact] = []
    stand_in: Culprit | None = None
    for package, kept in placed.items():
        attributed = attribute([as_spec(change) for change, _, _ in kept], made.get(package, []))
        for (change, api, level), culprits in zip(kept, attributed, strict=True):
            if not culprits and whole_range:
                stand_in = stand_in or _tip_culprit(project, tip[0], changes)
                culprits = (stand_in,)
            impacts.extend(SpecImpact(as_spec(change), api, level, culprit) for culprit in culprits)
    return impacts


def as_spec(change: ApiChange) -> SpecChange:
    """A package change in the shape the surface gate judges: the object path stands where a route would."""
    return SpecChange(change.id, change.severity, "", change.object, "", change.message)


def _suspect_files(store: PackageStore, package: Package, found: Sequence[ApiChange], old: Located | None,
                   new: Located | None, base: Ref, tip: Ref) -> frozenset[str] | None:
    """The repository files whose edits can have made `found` (the modules holding each object, at either
    side); None: any file of the package (a change whose object neither side has, a package gone)."""
    sides = [(store.model(package, loc, ref[1]), loc.root) for loc, ref in ((old, base), (new, tip)) if loc]
    files: set[str] = set()
    for change in found:
        held = [(defining_files(model, change.object), root) for model, root in sides]
        if all(names is None for names, _ in held):
            return None
        files.update(f"{root}/{name}" if root else name for names, root in held for name in names or ())
    return frozenset(files)


def _commit_diffs(store: PackageStore, changes: Sequence[Change],
                  suspects: Mapping[Package, frozenset[str] | None]
                  ) -> dict[Package, list[tuple[Culprit, Sequence[SpecChange]]]]:
    """Per package, each commit that touched the files that can have made its changes (`suspects`; None:
    any file of the package), with its own diff against its first parent, newest first. The others are
    never loaded: in a long release, most commits that touch a package touch other modules of it."""
    touching = [(change, package) for change in changes if not change.reverted
                for package, files in suspects.items() if package.touched_by(change.commit.files)
                and (files is None or any(f in files for f in change.commit.files))]
    located = store.locate([(ref, package) for change, package in touching
                            for ref in (f"{change.commit.sha}^", change.commit.sha)])
    made: dict[Package, list[tuple[Culprit, Sequence[SpecChange]]]] = {}
    progress = store.project.progress
    for done, (change, package) in enumerate(touching, 1):
        if progress is not None:
            progress("diffing Python package versions", done, len(touching))
        sha = change.commit.sha
        old, new = located[(f"{sha}^", package)], located[(sha, package)]
        if old == new:
            continue
        if new is None or old is None:  # removed whole, or new here (which breaks nothing)
            found = [package_removed(package.name)] if old else []
        else:
            try:
                found = diff_packages(store.model(package, old, f"{sha[:7]}^"), store.model(package, new, sha[:7]))
            except PackageError:
                continue  # a broken intermediate version: this commit cannot be told apart
        commit = change.commit
        culprit = Culprit(commit.sha, commit.subject, commit.pr, declared=commit.breaking)
        made.setdefault(package, []).append((culprit, [as_spec(c) for c in found]))
    return made


def _tip_culprit(project: Project, tip: str, changes: Sequence[Change]) -> Culprit:
    """The range's tip standing in for changes no single commit made (a merge, say)."""
    for change in changes:
        if change.commit.sha == tip:
            return Culprit(tip, change.commit.subject, change.commit.pr, change.commit.breaking, attributed=False)
    subject = project.repo.commit_subjects([tip]).get(tip, "")
    return Culprit(tip, subject, None, declared=False, attributed=False)


def detected_python(project: Project, *, base: Release, tip: Ref, changes: Sequence[Change],
                    version: Version) -> list[Breaking]:
    """The breaking changes (ERR, at every level) of the packages from `base` to `tip`, as notes list them."""
    impacts = python_impacts(project, base=(base.sha, base.tag), tip=tip, changes=changes,
                             whole_range=not project.paths,  # one package's view: the rest is the others'
                             version=version, keep=lambda change, _: change.severity is Severity.ERR)
    grouped: dict[SpecChange, list[SpecImpact]] = {}
    for impact in impacts:
        grouped.setdefault(impact.change, []).append(impact)
    return [_breaking(found) for found in grouped.values()]


def _breaking(impacts: Sequence[SpecImpact]) -> Breaking:
    change, culprit = impacts[0].change, impacts[0].culprit
    header = parse_message(culprit.subject)
    apis = tuple(dict.fromkeys(ApiLevel(i.api, i.level) for i in impacts if i.api is not None))
    entry = Entry(culprit.sha, culprit.subject, change.message, header.type, header.scope, apis, culprit.pr)
    detected = Detected(change.path, change.id, culprit.declared, culprit.attributed, source="python")
    return Breaking(entry, (), max(i.level for i in impacts), detected)


# -- propose ----------------------------------------------------------------------------------------------


def python_evidence(project: Project, apis: Sequence[ApiConfig]) -> dict[str, SurfaceEvidence]:
    """Per API with `python` packages: the public objects each final release added, removed or broke.

    Only the releases `python-surface-settled` looks at are read: those of the last `settled-minors` minor
    lines, each against its previous release.
    """
    shipping = [api for api in apis if api.python]
    if not shipping:
        return {}
    graduation = project.config.graduation
    count = max(graduation.to_beta.settled_minors, graduation.to_stable.settled_minors)
    finals = [r for r in project.releases.by_version() if not r.prerelease]
    lines = list(dict.fromkeys(r.version.release[:2] for r in finals))[-count:] if count > 0 else []
    window = [r for r in finals if r.version.release[:2] in lines and r.previous]
    previous = {r.tag: p for r in window if (p := project.releases.find(r.previous or ""))}
    store = store_of(project)
    packages = {api.name: [Package.of(api, name) for name in api.python] for api in shipping}
    every = list(dict.fromkeys(p for listed in packages.values() for p in listed))
    store.locate([(r.sha, p) for r in (*window, *previous.values()) for p in every])
    found: dict[str, SurfaceEvidence] = {}
    for api in shipping:
        moves: list[RouteChanges] = []
        for release in window:
            before = previous.get(release.tag)
            moved = _moves(store, packages[api.name], before, release) if before else None
            if moved is not None:
                moves.append(moved)
        found[api.name] = SurfaceEvidence(tuple(moves))
    return found


def _moves(store: PackageStore, packages: Sequence[Package], before: Release, release: Release) -> RouteChanges | None:
    """What `release` did to the packages' public objects; None when a side cannot be read (unknown)."""
    added: set[str] = set()
    removed: set[str] = set()
    changed: set[str] = set()
    for package in packages:
        located = store.locate([(before.sha, package), (release.sha, package)])
        try:
            changes = compare(store, package, located[(before.sha, package)], located[(release.sha, package)],
                              (before.sha, before.tag), (release.sha, release.tag))
        except PackageError as error:
            store.project.warnings.append(error.message)
            return None
        for change in changes:
            target = added if change.severity is Severity.INFO else removed if change.id == REMOVED else changed
            if change.severity is not Severity.WARN:
                target.add(change.object)
    return RouteChanges(release.tag, tuple(sorted(added)), tuple(sorted(removed)), tuple(sorted(changed - removed)))
