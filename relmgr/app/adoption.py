"""`relmgr init`'s reads: what detection needs from a repository, with a fixed number of git processes.

One `for-each-ref` (tags), one `ls-tree` (files at HEAD), one `git log` (subjects), one `cat-file --batch`
for every candidate spec and every file that may state a package's stability at HEAD, then, for `history`,
one `git log` for the spec-like files ever added (specs are renamed), one `cat-file --batch-check` naming
them at the latest final releases and one `cat-file --batch` for the versions not read yet; `git remote
get-url origin`. Nothing here decides: `init.detect` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relmgr.errors import SpecError
from relmgr.history.git import GitRepo, RawTag
from relmgr.init.detect import Sources
from relmgr.init.folders import api_folders, stability_files
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
    texts_wanted = stability_files(files, folders)
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
    there: one `git log` lists the spec-like files ever added, one batch-check locates them at every release,
    one batch reads the versions HEAD does not hold; at each release the specs are chosen as at HEAD."""
    finals = list(detect_tags(tags).finals)
    if not finals or not choice.chosen:
        return [], ""
    latest = sorted(finals, key=lambda item: item[1].key)[-MAX_RELEASES:]
    sha = {tag.name: tag.sha for tag in tags}
    added = repo.added_files([*(sha[tag] for tag, _ in latest), "HEAD"], _SPEC_GLOBS, _NOT_SPEC_GLOBS)
    paths = past_candidates(added, choice.chosen)
    names = [f"HEAD:{path}" for path in choice.chosen]
    names += [f"{sha[tag]}:{path}" for tag, _ in latest for path in paths]
    ids = dict(zip(names, repo.blob_ids(names), strict=True))
    at_head = {blob: path for path in choice.chosen if (blob := ids[f"HEAD:{path}"])}
    documents: dict[str, Mapping[str, Any] | None] = {blob: head[path] for blob, path in at_head.items()}
    unread = sorted({blob for blob in ids.values() if blob and blob not in documents})
    for blob, raw in repo.read_objects(unread).items():
        documents[blob] = _paths_of(raw, blob)
    past = []
    for tag, version in latest:
        present = {path: doc for path in paths if (blob := ids[f"{sha[tag]}:{path}"]) and (doc := documents.get(blob))}
        surface = choose_specs(present, {}, Candidates(tuple(present), len(present))).chosen if present else ()
        ops = tuple(op for path in surface for op in spec_ops(present[path]))
        past.append(PastSurface(tag, version, ops if surface else None))
    shown = len([p for p in past if p.ops is not None])
    source = (f"the last {len(latest)} of {len(finals)} final releases read" if len(finals) > len(latest)
              else f"{len(latest)} final releases read")
    return past, source + (f", {shown} of them hold specs" if shown != len(latest) else "")


_SPEC_GLOBS = ("**/*.yaml", "**/*.yml", "**/*.json")
# test recordings and vendored code hold most of a repository's JSON: never specs, so git need not list them
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
