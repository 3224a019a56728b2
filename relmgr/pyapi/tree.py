"""Git tree objects (as `cat-file --batch` gives them) → the entries a package's files are read from.

A tree is `<mode> <name>\\0<raw object id>` repeated; ids are 20 bytes (SHA-1) or 32 (SHA-256), told
apart by the length of the tree's own hex id. Only folders and regular files count: symbolic links and
submodules are not Python source griffe could read.
"""

from __future__ import annotations

from dataclasses import dataclass

TREE_MODE = b"40000"
_FILE_MODES = (b"100644", b"100755", b"100664")
SOURCE_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True, slots=True)
class TreeEntry:
    name: str
    oid: str
    is_tree: bool


def parse_tree(data: bytes, hex_length: int = 40) -> list[TreeEntry]:
    """The folders and regular files of one tree object; ValueError when it is not one."""
    width = hex_length // 2
    entries: list[TreeEntry] = []
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode, name = data[at:space], data[space + 1:nul]
        raw = data[nul + 1:nul + 1 + width]
        if len(raw) != width:
            raise ValueError("truncated tree object")
        at = nul + 1 + width
        if mode == TREE_MODE or mode in _FILE_MODES:
            entries.append(TreeEntry(name.decode("utf-8", "replace"), raw.hex(), mode == TREE_MODE))
    return entries


def is_source(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES)
