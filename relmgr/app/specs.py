"""The configured OpenAPI specs read from git at refs, as one surface, for `check`, `notes`, `propose`, `apis`.

`[tool.relmgr.openapi] specs` is one API surface: at each ref the files are composed (`spec.compose`: an
operation exists if any file has it, is deprecated if any file marks it), each file read under the name it
had at that ref (`Project.follow_renames`). Specs are read with git, never from the work tree, and every
question costs a fixed number of git processes whatever the number of refs and commits: one
`cat-file --batch-check` turns all the `REF:path` names into blob ids, one `cat-file --batch` reads the
blobs not read yet, and each blob is parsed once per run (`SpecCache`, keyed by blob id), each surface
composed once (keyed by its blobs).

Across runs, relmgr's cache on disk (`relmgr/cache.py`) keeps the parsed blobs and what is derived from
surfaces (`app/derived.py`: whether they compose and their conflicts, their operations, the diffs between
two), so a warm run reads from git only the blob ids of the surfaces it asks about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from relmgr.app.spec_store import Ref, SpecStore, SurfaceAt, store_of
from relmgr.config.model import ApiConfig
from relmgr.errors import SpecError
from relmgr.graduation.criteria import SurfaceEvidence
from relmgr.history.commits import Commit
from relmgr.history.repository import Project
from relmgr.history.versions import Release, Version
from relmgr.policy.apis import Change
from relmgr.policy.levels import Level
from relmgr.spec.compose import Part
from relmgr.spec.model import LevelMove, Operation, SpecChange
from relmgr.spec.policy import Culprit, SpecImpact, attribute
from relmgr.spec.surface import deprecated_routes, placements, route_changes

Keep = Callable[[SpecChange, Level], bool]  # which changes, at their level, a caller wants attributed


def prefetch(project: Project, refs: Sequence[str], commits: Iterable[Commit]) -> None:
    """Locate and read, in one batch each, the specs at `refs` and around the `commits` that touched them.

    `changelog` asks about every release: without this it would start git processes per release. The surfaces
    relmgr's cache knows are not read (their diffs are likely cached too; a missing one reads them then), nor
    the blobs it holds parsed (read from it when a surface needs them). The blobs are parsed one at a time and
    kept in the cache on disk, not all in memory (`SpecStore.warm`).
    """
    store = store_of(project)
    if not store.paths:
        return
    names = set(store.names())
    around = [ref for commit in commits if names.intersection(commit.files) for ref in (f"{commit.sha}^", commit.sha)]
    wanted = [(ref, ref[:12]) for ref in dict.fromkeys([*refs, *around])]
    files = store.files_at(wanted)
    unknown = {ref for ref, found in files.items()
               if found and store.known(tuple((spec, blob) for spec, _, blob in found)) is None}
    store.warm({blob: f"{ref[:12]}:{name}" for ref in unknown for _, name, blob in files[ref]})


def configured_parts(project: Project, ref: str) -> list[Part]:
    """The configured specs at `ref` (renames followed), for `spec-diff REF`; SpecError when there is none."""
    sha = project.repo.resolve(ref)
    project.follow_renames([sha])
    parts = store_of(project).parts_at(sha, ref)
    if not parts:
        specs = ", ".join(project.config.openapi.specs)
        raise SpecError(f"{ref}: none of the configured OpenAPI specs ({specs}) is there, under its name or a "
                        "former one")
    return parts


# -- check and notes -----------------------------------------------------------------------------------


def spec_impacts(project: Project, *, base: Ref, tip: Ref, changes: Sequence[Change], whole_range: bool,
                 version: Version | None, today: date | None, keep: Keep) -> list[SpecImpact]:
    """The spec changes from `base` to `tip` that `keep` wants (at their level), once per API and culprit.

    `changes` are the range's commits; the ones that changed a spec get the changes their own diff shows.
    A change no commit of the range made is the range tip's when the range is a whole release
    (`whole_range`), else it came from outside the range (its base, a merge) and is not judged here. A
    route move no single commit made is judged as the removal it also is.
    """
    store, config = store_of(project), project.config
    pair = release_pair(store, base, tip)
    if pair is None:
        return []
    if project.progress is not None:  # one diff of two large specs can take seconds: say what runs
        project.progress(f"comparing the OpenAPI specs of {base[1]} and {tip[1]}", 0, None)
    found = [
        (change, api, level)
        for change in store.diff_at(pair[0], pair[1], today)
        for api, level in placements(change.path, change.level, change.explicit, project.registry, version,
                                     config.default_level)
        if keep(change, level)
    ]
    if not found:
        return []
    made = _commit_diffs(store, changes, found, today)
    attributed = attribute([change for change, _, _ in found], made)
    unpaired = [(i, move.as_removal()) for i, ((move, _, _), culprits) in enumerate(zip(found, attributed, strict=True))
                if not culprits and isinstance(move, LevelMove)]
    for (index, removal), culprits in zip(unpaired, attribute([r for _, r in unpaired], made), strict=True):
        if culprits:
            found[index] = (removal, found[index][1], found[index][2])
            attributed[index] = culprits
    impacts: list[SpecImpact] = []
    stand_in: Culprit | None = None
    for (change, api, level), culprits in zip(found, attributed, strict=True):
        if not culprits and whole_range:
            stand_in = stand_in or _tip_culprit(project, tip[0], changes)
            culprits = (stand_in,)
        impacts.extend(SpecImpact(change, api, level, culprit) for culprit in culprits)
    return impacts


def release_pair(store: SpecStore, base: Ref, tip: Ref) -> tuple[SurfaceAt | None, SurfaceAt] | None:
    """The surfaces at `base` and `tip` when they differ (a surface new in the range has an empty base).

    The tip's must be readable (else SpecError, exit 5); an unreadable base is warned about and not compared.
    """
    found = store.at([base, tip])
    old, new = found[base[0]], found[tip[0]]
    _warn_missing(store, base, tip, old, new)
    if isinstance(new, SpecError):
        raise new
    if new is None:
        return None
    if isinstance(old, SpecError):
        store.project.warnings.append(f"{old.message}; the OpenAPI specs at {base[1]} are not compared")
        return None
    if old is not None and old.key == new.key:
        return None
    return old, new


def _warn_missing(store: SpecStore, base: Ref, tip: Ref, old: SurfaceAt | SpecError | None,
                  new: SurfaceAt | SpecError | None) -> None:
    """A configured spec that was at `base` and is not at `tip` under any of its names: a misconfiguration
    or a removal; said either way, since a silent pass is worse."""
    if not isinstance(old, SurfaceAt) or isinstance(new, SpecError):
        return
    there = {spec for spec, _ in new.files} if new is not None else set()
    for spec, name in old.files:
        if spec in there:
            continue
        was = f"it was in {base[1]}" + (f" as {name}" if name != spec else "")
        then = ("not compared" if new is None
                else "its operations count as removed unless another configured spec has them")
        store.project.warnings.append(f"OpenAPI spec {spec} is not in {tip[1]} ({was}): {then}; "
                                      "check [tool.relmgr.openapi] specs")


def _commit_diffs(store: SpecStore, changes: Sequence[Change],
                  found: Sequence[tuple[SpecChange, str | None, Level]],
                  today: date | None) -> list[tuple[Culprit, Sequence[SpecChange]]]:
    """Each commit that changed the surface with its diff against its first parent (newest first).

    The diffs compare only the operations `found` names (the ones to attribute): large specs, many commits.
    """
    wanted = {change.path for change, _, _ in found} | {c.to_path for c, _, _ in found if isinstance(c, LevelMove)}
    names = set(store.names())
    touching = [change for change in changes if not change.reverted and names.intersection(change.commit.files)]
    refs = [(ref, ref[:12]) for change in touching for ref in (f"{change.commit.sha}^", change.commit.sha)]
    surfaces = store.at(list(dict.fromkeys(refs)))
    made: list[tuple[Culprit, Sequence[SpecChange]]] = []
    progress = store.project.progress
    for done, change in enumerate(touching, 1):
        if progress is not None:
            progress("attributing OpenAPI spec changes to commits", done, len(touching))
        sha = change.commit.sha
        before, after = surfaces[f"{sha}^"], surfaces[sha]
        if isinstance(before, SpecError) or isinstance(after, SpecError):
            continue  # a broken intermediate spec: this commit cannot be told apart
        if before is not None and after is not None and before.key == after.key:
            continue
        made.append((_culprit(change), store.diff_at(before, after, today, wanted)))
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
    """The operations of the surface at each (sha, label); None where a spec cannot be read (a warning)."""
    found: dict[str, list[Operation] | None] = {}
    for ref, surface in store.at(refs).items():
        if isinstance(surface, SpecError):
            store.project.warnings.append(surface.message)  # the CLI shows each once
            found[ref] = None
        else:
            found[ref] = store.operations(surface) if surface is not None else []
    return found


def head_operations(project: Project) -> list[Operation]:
    """The operations of the configured specs at HEAD (none when unreadable, with a warning)."""
    if not project.config.openapi.specs or not project.repo.has_commits():
        return []
    return operations_at(store_of(project), [("HEAD", "HEAD")])["HEAD"] or []


def surface_evidence(project: Project, apis: Sequence[ApiConfig],
                     reached: Mapping[str, Release | None] | None = None) -> dict[str, SurfaceEvidence]:
    """Routes added and removed per final release, and deprecated routes at HEAD, for APIs with `routes`;
    `reached`: per API, the release where its routes reached its level (`lifecycle.level_reached`).

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
        since = (reached or {}).get(api.name)
        found[api.name] = SurfaceEvidence(tuple(moves), deprecated_routes(ops["HEAD"], api.name, project.registry),
                                          reached=since.tag if since else None)
    return found


def _last_lines(project: Project, count: int) -> list[Release]:
    """The final releases of the last `count` minor lines (X.Y with its patches), in version order."""
    finals = [r for r in project.releases.by_version() if not r.prerelease]
    lines = list(dict.fromkeys(r.version.release[:2] for r in finals))[-count:] if count > 0 else []
    return [r for r in finals if r.version.release[:2] in lines]
