"""Path globs for API `paths`, `tests` and `routes`: `**` crosses folders, `*` and `?` stay inside one.

Patterns are anchored at the repository root (a leading `/` is optional). A pattern without wildcards, or
ending in `/`, also matches everything below it, so `paths = ["src/apis/files"]` means the whole folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WILDCARDS = set("*?[")


def translate(pattern: str) -> str:
    """The regex (without anchors) equivalent to one glob; raises ValueError for a malformed glob."""
    glob = pattern.strip().lstrip("/")
    if not glob:
        raise ValueError("empty pattern")
    subtree = glob.endswith("/") or not (_WILDCARDS & set(glob))
    glob = glob.rstrip("/")
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "^", "]") else i + 1)
            if end == -1:
                raise ValueError(f"unclosed '[' in {pattern!r}")
            body = glob[i + 1 : end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\").replace("[", "\\[") + "]")  # `[[]` is a literal `[`
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    regex = "".join(out)
    return regex + "(?:/.*)?" if subtree else regex


def escape_glob(text: str) -> str:
    """A glob matching `text` literally: `*`, `?` and `[` become one-character classes (`[...path]` →
    `[[]...path]`), so a Next.js folder or a spec path with brackets stays a name, never a class."""
    return "".join(f"[{char}]" if char in _WILDCARDS else char for char in text)


def subtree_glob(text: str) -> str:
    """A glob for `text` and everything below it, written literally (see `escape_glob`).

    Without wildcards a pattern already means that and below; once escaped it has classes, so a trailing
    `/` says it again.
    """
    escaped = escape_glob(text.rstrip("/"))
    return escaped if escaped == text.rstrip("/") else escaped + "/"


def compile_globs(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One regex matching any of `patterns` (None when there are none)."""
    if not patterns:
        return None
    return re.compile("(?:" + "|".join(f"(?:{translate(p)})" for p in patterns) + r")\Z", re.DOTALL)


def literal_prefix(pattern: str) -> str:
    """The folders (or file) a glob's matches all lie in: its leading segments without wildcards.

    `src/apis/files/**` → `src/apis/files`, `src/*/api.py` → `src`, `**/openapi.yaml` → `` (anywhere).
    Every path the glob matches is this prefix or below it, so git may be told to read only there.
    """
    segments = pattern.strip().lstrip("/").rstrip("/").split("/")
    kept: list[str] = []
    for segment in segments:
        if _WILDCARDS & set(segment):
            break
        kept.append(segment)
    return "/".join(kept)
