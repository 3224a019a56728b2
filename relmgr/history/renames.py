"""Renames, pure: what git's rename detection found between releases (`git diff-tree -M`), as a map from the
names files had to the names they have now, and back.

A config written today names today's paths (`docs/static/ogx-spec.yaml`, `src/ogx_api/inference/**`); the
releases before a rename hold the same files under older names. `RenameMap.current` takes a name a commit
touched to the name the file has now (so a commit before the rename still belongs to its API), and
`RenameMap.former` lists the names a file had before (so a spec is read under its old name at an old ref).

Folders: a commit that moves most of a folder's files to one new folder (`llama_stack/apis/` →
`src/llama_stack_api/`, file by file, as git reports it) is read as a folder rename too, so that a file of
that folder deleted before the move (never renamed itself) still maps to its API. A single file moved out
of a folder is not a folder rename. Where git cannot pair a move at all (a file split into a folder), an
API lists `former-paths`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MAX_CHAIN = 64  # renames followed from one name: more means a cycle (a → b → a), which is not followed


@dataclass(frozen=True, slots=True)
class Rename:
    """One file renamed by one commit, as git's rename detection paired it."""

    sha: str
    old: str
    new: str


class RenameMap:
    """File and folder renames of a history; `renames` newest first."""

    def __init__(self, renames: Sequence[Rename] = ()) -> None:
        self.renames = tuple(renames)
        oldest_first = list(reversed(self.renames))
        self._files: dict[str, str] = {}
        for rename in oldest_first:
            self._files[rename.old] = rename.new
        self.folders: tuple[Rename, ...] = tuple(_folder_renames(oldest_first))
        self._folders = {f.old: f.new for f in self.folders}

    def __bool__(self) -> bool:
        return bool(self.renames)

    def current(self, path: str) -> str:
        """The name `path` has now: file renames first, then the deepest folder rename holding it, repeatedly."""
        seen = {path}
        for _ in range(_MAX_CHAIN):
            following = self._files.get(path) or self._moved_folder(path)
            if following is None or following in seen:
                return path
            seen.add(following)
            path = following
        return path

    def _moved_folder(self, path: str) -> str | None:
        folder = path
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            target = self._folders.get(folder)
            if target is not None:
                return target + path[len(folder):]
        return None

    def former(self, path: str) -> tuple[str, ...]:
        """The names `path` (a file or a folder) had before, newest first (the chain of renames backwards)."""
        found: list[str] = []
        frontier = [path]
        seen = {path}
        while frontier and len(found) < _MAX_CHAIN:
            name = frontier.pop(0)
            for older in self._sources(name):
                if older not in seen:
                    seen.add(older)
                    found.append(older)
                    frontier.append(older)
        return tuple(found)

    def _sources(self, name: str) -> list[str]:
        """The names that were renamed to `name`, or to a folder holding it, or into the folder `name`."""
        sources = [r.old for r in reversed(self.renames) if r.new == name]
        for folder in self.folders:
            if name == folder.new or name.startswith(folder.new + "/"):
                sources.append(folder.old + name[len(folder.new):])
            elif folder.new.startswith(name + "/"):
                sources.append(folder.old)
        sources += [r.old.rsplit("/", 1)[0] for r in self.renames
                    if r.new.startswith(name + "/") and "/" in r.old and not _inside(r.old, sources)]
        return list(dict.fromkeys(sources))

    def listed(self, wanted: Iterable[str]) -> list[tuple[str, str]]:
        """(former name, name now) for each of `wanted` (files or folders) that had another name."""
        return [(older, name) for name in dict.fromkeys(wanted) for older in self.former(name)]


def _inside(path: str, folders: Sequence[str]) -> bool:
    return any(path == folder or path.startswith(folder + "/") for folder in folders)


def _folder_renames(oldest_first: Sequence[Rename]) -> list[Rename]:
    """Folders a commit moved as a whole: at least two of its files renamed from one folder to another, with
    the same names below it, and most of that commit's renames out of that folder going there."""
    found: list[Rename] = []
    by_commit: dict[str, list[Rename]] = {}
    for rename in oldest_first:
        by_commit.setdefault(rename.sha, []).append(rename)
    for sha, renames in by_commit.items():
        pairs = Counter(pair for r in renames if (pair := _folders_of(r.old, r.new)) is not None)
        for (old, new), votes in pairs.items():
            leaving = sum(1 for r in renames if r.old.startswith(old + "/"))
            if votes >= 2 and votes * 2 > leaving:
                found.append(Rename(sha, old, new))
    return found


def _folders_of(old: str, new: str) -> tuple[str, str] | None:
    """The folders a file moved between, below which its path stayed the same; None for a renamed file."""
    before, after = old.split("/"), new.split("/")
    same = 0
    while same < min(len(before), len(after)) - 1 and before[-1 - same] == after[-1 - same]:
        same += 1
    if same == 0:
        return None
    old_folder, new_folder = "/".join(before[:-same]), "/".join(after[:-same])
    if not old_folder or not new_folder or old_folder == new_folder:
        return None
    return old_folder, new_folder


def parse_renames(output: bytes) -> list[Rename]:
    """The renames `git diff-tree --stdin -M --diff-filter=R --name-status -z` printed: per pair of trees the
    newer commit's id, then `R<score>`, the old and the new name of each rename."""
    found: list[Rename] = []
    fields = output.split(b"\0")
    sha, index = "", 0
    while index < len(fields):
        token = fields[index]
        if token[:1] == b"R" and token[1:].isdigit() and index + 2 < len(fields):
            old, new = (f.decode("utf-8", "replace") for f in fields[index + 1:index + 3])
            if old and new:
                found.append(Rename(sha, old, new))
            index += 3
            continue
        if token.strip():
            sha = token.strip().decode("ascii", "replace")
        index += 1
    return found
