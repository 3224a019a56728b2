"""`relmgr init`'s reads: what detection needs from a repository, with a fixed number of git processes.

One `for-each-ref` (tags), one `ls-tree` (files at HEAD), one `git log` (subjects), one `cat-file --batch`
for every candidate spec and every file that may state a package's stability at HEAD, then, for `history`,
one `cat-file --batch-check` for today's specs at the latest final releases, and when a release holds
none of them (a renamed spec) one `git log` for the files ever added there and one more batch-check, then
one `cat-file --batch` for the versions not read yet; `git remote get-url origin`. Nothing here decides:
`init.detect` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relmgr.errors import SpecError
from relmgr.history.git import GitRepo, RawTag
from relmgr.history.versions import Version
from relmgr.init.detect import Sources
from relmgr.init.folders import api_folders, doc_files, stability_files
from relmgr.init.history import MAX_RELEASES, PastSurface
from relmgr.init.routes import spec_ops
from relmgr.init.specs import (
    Candidates,
    SpecChoice,
    choose_specs,
    looks_like_openapi,
    past_candidates,
    paths_only,
    spec_candidates,
)
from relmgr.init.tags import detect_tags
from relmgr.spec import load_spec


def read_sources(repo: GitRepo) -> tuple[Sources, list[str]]:
    """Everything `init.detect` needs, and warnings for the CLI to show (specs that do not load)."""
    warnings: list[str] = []
    has_commits = repo.has_commits()
    files = repo.list_files() if has_commits else []
    subjects = repo.subjects() if has_commits else []
    tags = [tag for tag in repo.read_tags() if tag.target == "commit"]
    candidates = spec_candidates(files)
    folders, _ = api_folders(files)
    texts_wanted = [*stability_files(files, folders), *doc_files(files)]
    blobs = repo.read_files("HEAD", [*candidates.read, *texts_wanted]) if has_commits else {}
    documents: dict[str, dict[str, Any]] = {}
    broken: dict[str, str] = {}
    for path in candidates.read:
        data = blobs.get(path)
        if data is None or not looks_like_openapi(data):
            continue
        try:
            documents[path] = load_spec(data, path)
        except SpecError as exc:
            broken[path] = exc.message.removeprefix(f"{path}: ")
            warnings.append(f"skipped {exc.message}")
    choice = choose_specs(documents, broken, candidates)
    texts = {path: blobs[path].decode("utf-8", "replace") for path in texts_wanted if path in blobs}
    past, past_source = _past(repo, tags, choice, documents)
    sources = Sources(tags=tags, files=files, subjects=subjects, specs=documents, choice=choice, texts=texts,
                      past=past, past_source=past_source, remote=repo.remote_url())
    return sources, warnings


def _past(repo: GitRepo, tags: Sequence[RawTag], choice: SpecChoice,
          head: Mapping[str, Mapping[str, Any]]) -> tuple[list[PastSurface], str]:
    """The surface at each of the latest final releases (markers left out), under the names its files had
    there; at each release the specs are chosen among them as at HEAD."""
    finals = list(detect_tags(tags).finals)
    if not finals or not choice.chosen:
        return [], ""
    latest = sorted(finals, key=lambda item: item[1].key)[-MAX_RELEASES:]
    sha = {tag.name: tag.sha for tag in tags}
    refs = [sha[tag] for tag, _ in latest]
    paths, ids = _spec_files(repo, refs, choice.chosen)
    at_head = {blob: path for path in choice.chosen if (blob := ids[f"HEAD:{path}"])}
    documents: dict[str, Mapping[str, Any] | None] = {blob: head[path] for blob, path in at_head.items()}
    unread = sorted({blob for blob in ids.values() if blob and blob not in documents})
    for blob, raw in repo.read_objects(unread).items():
        documents[blob] = _paths_of(raw, blob)
    past = [_surface(tag, version, {path: ids.get(f"{sha[tag]}:{path}") for path in paths}, documents)
            for tag, version in latest]
    shown = len([p for p in past if p.ops is not None])
    source = (f"the last {len(latest)} of {len(finals)} final releases read" if len(finals) > len(latest)
              else f"{len(latest)} final releases read")
    return past, source + (f", {shown} of them hold specs" if shown != len(latest) else "")


def _spec_files(repo: GitRepo, refs: Sequence[str], chosen: Sequence[str]) -> tuple[list[str], dict[str, str | None]]:
    """The files to read at `refs` and their blob ids (`ref:path` → id): today's specs (one batch-check);
    when a release holds none of them (a renamed or split spec), also the YAML/JSON files ever added below
    today's specs' top folders (one `git log`, one more batch-check)."""
    paths = list(chosen)
    ids = _locate(repo, ["HEAD", *refs], paths)
    if any(all(ids[f"{ref}:{path}"] is None for path in paths) for ref in refs):
        added = repo.added_files([*refs, "HEAD"], _where_specs_were(chosen), _NOT_SPEC_GLOBS)
        older = [path for path in past_candidates(added, chosen) if path not in paths]
        ids |= _locate(repo, refs, older)
        paths += older
    return paths, ids


def _surface(tag: str, version: Version, blobs: Mapping[str, str | None],
             documents: Mapping[str, Mapping[str, Any] | None]) -> PastSurface:
    """One release's operations: of the specs chosen among the OpenAPI documents it holds."""
    present = {path: doc for path, blob in blobs.items() if blob and (doc := documents.get(blob))}
    surface = choose_specs(present, {}, Candidates(tuple(present), len(present))).chosen if present else ()
    ops = tuple(op for path in surface for op in spec_ops(present[path]))
    return PastSurface(tag, version, ops if surface else None)


def _locate(repo: GitRepo, refs: Sequence[str], paths: Sequence[str]) -> dict[str, str | None]:
    """The blob id of every `ref:path` (None where it is not there); one batch-check."""
    names = [f"{ref}:{path}" for ref in refs for path in paths]
    return dict(zip(names, repo.blob_ids(names), strict=True)) if names else {}


def _where_specs_were(chosen: Sequence[str]) -> list[str]:
    """Pathspecs for the files that may have been today's specs: below their top folders (`docs`), and the
    root's YAML/JSON when a spec lives there."""
    tops = sorted({path.split("/", 1)[0] for path in chosen if "/" in path})
    root = [f":(glob){glob}" for glob in ("*.yaml", "*.yml", "*.json")] if any("/" not in p for p in chosen) else []
    return [*(f":(literal){top}" for top in tops), *root]


_NOT_SPEC_GLOBS = tuple(f"**/{folder}/**" for folder in ("tests", "test", "fixtures", "testdata", "node_modules",
                                                          "vendor"))


def _paths_of(raw: bytes, blob: str) -> Mapping[str, Any] | None:
    """A past version's `paths` (None: no OpenAPI document, or one that does not load)."""
    if not looks_like_openapi(raw):
        return None
    try:
        return paths_only(raw, blob[:12])
    except SpecError:
        return None  # an unreadable old spec tells nothing about levels
