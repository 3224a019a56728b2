"""Path globs for API `paths`, `tests` and `routes`: `**` crosses folders, `*` and `?` stay inside one.

Patterns are anchored at the repository root (a leading `/` is optional). A pattern without wildcards, or
ending in `/`, also matches everything below it, so `paths = ["src/apis/files"]` means the whole folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WILDCARDS = set("*?[")


# A glob is read as tokens; `translate` writes them as a regex, `_Matcher` matches them without backtracking.
# (kind, payload): "lit" a character, "one" `?`, "class" `[...]` (its regex), "star" `*`, "any" `**` inside a
# segment, "dirs" `**/` (any folders, or none), "below" the implied `/…` of a subtree pattern.
_Token = tuple[str, str]
_REGEX = {"one": "[^/]", "star": "[^/]*", "any": ".*", "dirs": "(?:.*/)?", "below": "(?:/.*)?"}


def tokens(pattern: str) -> list[_Token]:
    """The tokens of one glob; raises ValueError for a malformed glob."""
    glob = pattern.strip().lstrip("/")
    if not glob:
        raise ValueError("empty pattern")
    subtree = glob.endswith("/") or not (_WILDCARDS & set(glob))
    glob = glob.rstrip("/")
    out: list[_Token] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append(("dirs", ""))
            i += 3
        elif glob.startswith("**", i):
            out.append(("any", ""))
            i += 2
        elif char == "*":
            out.append(("star", ""))
            i += 1
        elif char == "?":
            out.append(("one", ""))
            i += 1
        elif char == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "^", "]") else i + 1)
            if end == -1:
                raise ValueError(f"unclosed '[' in {pattern!r}")
            body = glob[i + 1 : end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append(("class", "[" + body.replace("\\", "\\\\").replace("[", "\\[") + "]"))  # `[[]`: a `[`
            i = end + 1
        else:
            out.append(("lit", char))
            i += 1
    if subtree:
        out.append(("below", ""))
    return out


def translate(pattern: str) -> str:
    """The regex (without anchors) equivalent to one glob; raises ValueError for a malformed glob."""
    return "".join(_regex_of(token) for token in tokens(pattern))


def _regex_of(token: _Token) -> str:
    kind, payload = token
    if kind == "lit":
        return re.escape(payload)
    if kind == "class":
        return payload
    return _REGEX[kind]


def _backtracks(found: Sequence[_Token]) -> bool:
    """Whether a regex of these tokens can backtrack more than linearly on a long path: two `*` in one
    segment (`*a*a*b`), or two `**`. One of each per segment is linear: `/` between segments pins them."""
    stars_in_segment, crossing = 0, 0
    for kind, payload in found:
        if kind == "lit" and payload == "/":
            stars_in_segment = 0
        elif kind == "star":
            stars_in_segment += 1
            if stars_in_segment > 1:
                return True
        elif kind in ("any", "dirs"):
            crossing += 1
            stars_in_segment = 0
    return crossing > 1


class Globs:
    """Paths matched against globs: one regex for the patterns that cannot backtrack, a linear-time matcher
    for the others (a path comes from a commit, so anyone opening a pull request chooses it)."""

    __slots__ = ("_matchers", "_regex")

    def __init__(self, patterns: Sequence[str]) -> None:
        parsed = [tokens(p) for p in patterns]
        simple = [t for t in parsed if not _backtracks(t)]
        alternatives = "|".join("(?:" + "".join(_regex_of(token) for token in t) + ")" for t in simple)
        self._regex = re.compile(f"(?:{alternatives})\\Z", re.DOTALL) if simple else None
        self._matchers = [_Matcher(t) for t in parsed if _backtracks(t)]

    def match(self, path: str) -> bool:
        """Whether `path` matches one of the globs, whole."""
        if self._regex is not None and self._regex.match(path):
            return True
        return any(matcher.match(path) for matcher in self._matchers)


class _Matcher:
    """One glob matched by dynamic programming over (token, position): O(tokens × len(path)), no backtracking."""

    __slots__ = ("_tokens",)

    def __init__(self, found: Sequence[_Token]) -> None:
        self._tokens = [(kind, re.compile(payload) if kind == "class" else payload) for kind, payload in found]

    def match(self, path: str) -> bool:
        n = len(path)
        after = [False] * n + [True]  # after[i]: the tokens after this one match path[i:]
        for kind, payload in reversed(self._tokens):
            here = [False] * (n + 1)
            if kind == "below":  # `(?:/.*)?`: the end, or a `/` and anything
                here = [i == n or path[i] == "/" for i in range(n + 1)]
            elif kind in ("lit", "one", "class"):
                for i in range(n):
                    char = path[i]
                    ok = (char == payload if kind == "lit" else char != "/" if kind == "one"
                          else bool(payload.match(char)))  # type: ignore[union-attr]
                    here[i] = ok and after[i + 1]
            elif kind == "dirs":  # `(?:.*/)?`: nothing, or anything that ends in `/`
                reach = False
                here[n] = after[n]
                for i in range(n - 1, -1, -1):
                    reach = reach or (path[i] == "/" and after[i + 1])
                    here[i] = after[i] or reach
            else:  # "star" (`[^/]*`) or "any" (`.*`)
                here[n] = after[n]
                for i in range(n - 1, -1, -1):
                    here[i] = after[i] or ((kind == "any" or path[i] != "/") and here[i + 1])
            after = here
        return after[0]


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


def compile_globs(patterns: Sequence[str]) -> Globs | None:
    """A matcher for any of `patterns` (None when there are none); raises ValueError for a malformed glob."""
    if not patterns:
        return None
    return Globs(patterns)


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
