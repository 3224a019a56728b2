"""The level a package's own code or docs give it: a `__stability__`/`STABILITY` constant, a
`Stability: beta` line or "this API is stable" in its module docstring or README, a trove classifier in its
pyproject; else what the project's documents say of it by name (`ogx_api.provider` … `v1` on one line).
Pure: (path, text) in, a level or None out.

Only plain statements count, and only when they agree: a docstring that says both "stable" and
"experimental" is no evidence, and "unstable", "not yet stable" never read as stable. Unsure means None:
init then writes `check:` and the level of a new API.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from relmgr.policy.levels import Level

_WORDS = {"stable": "v1", "ga": "v1", "production": "v1", "beta": "v1beta", "preview": "v1beta",
          "alpha": "v1alpha", "experimental": "v1alpha", "draft": "v1alpha"}
_VALUE = r"(?P<value>v[1-9][0-9]*(?:alpha|beta)?|stable|ga|beta|preview|alpha|experimental|draft)"
_CONSTANT = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?:const[ \t]+|let[ \t]+|var[ \t]+)?(?:__stability__|__api_level__|STABILITY|"
    r"API_STABILITY|API_LEVEL|STABILITY_LEVEL)[ \t]*(?::[^=\n]*)?=[ \t]*[\"']" + _VALUE + r"[\"']",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(r"^\W*(?:api[ \t]+)?(?:stability|status|maturity|api[ \t]+level)\W*[:=][ \t*_`]*" + _VALUE
                    + r"\b", re.IGNORECASE | re.MULTILINE)
# "This API is stable" (not "the order is stable": the subject must be the API, module or package)
_PHRASE = re.compile(r"\b(?:api|apis|module|package|interface|endpoints?|surface)[ \t]+(?:is|are)[ \t]+"
                     r"(?:now[ \t]+)?(?:considered[ \t]+)?(?:an?[ \t]+)?(?P<value>v1[- ]stable|stable|experimental|"
                     r"beta|alpha)\b", re.IGNORECASE)
_V1_STABLE = re.compile(r"\bv1[- ]stable\b", re.IGNORECASE)
_CLASSIFIER = re.compile(r"Development Status :: (?P<number>[1-7])")
_CLASSIFIER_LEVELS = {"1": "v1alpha", "2": "v1alpha", "3": "v1alpha", "4": "v1beta", "5": "v1", "6": "v1"}
_README_LINES = 40


@dataclass(frozen=True, slots=True)
class Marked:
    level: Level
    source: str  # `__stability__ = "stable" in src/acme/api/files/__init__.py`


def documented_level(docs: Iterable[tuple[str, str]], folder: str) -> Marked | None:
    """The level project documents give the package at `folder`, by its import or folder path
    (`ogx_api.provider`, `src/ogx_api/provider`) on a line with one level: "| Provider SDK |
    `ogx_api.provider` | … | `v1` |". Lines naming sub-modules or other packages do not count; lines (or
    documents) that disagree make it unsure (None)."""
    names = _package_names(folder)
    if not names:
        return None
    pattern = re.compile(r"(?<![\w./])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w/])(?!\.\w)")
    found: list[Marked] = []
    for path, text in docs:
        for line in text.splitlines():
            if not pattern.search(line):
                continue
            levels = {_level(m.group("value")) for m in _DOC_LEVEL.finditer(line)}
            if len(levels) > 1:
                return None
            found.extend(Marked(level, f"{_quote(line)} in {path}") for level in levels)
    return found[0] if found and len({m.level for m in found}) == 1 else None


def _quote(line: str, width: int = 100) -> str:
    text = " ".join(line.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _package_names(folder: str) -> list[str]:
    """How documents name a package folder: `src/ogx_api/provider` → `ogx_api.provider`, `ogx_api/provider`,
    `src/ogx_api/provider` (two parts at least: a bare `provider` names nothing)."""
    parts = folder.split("/")
    names = {"/".join(parts[i:]) for i in range(len(parts) - 1)}
    names |= {".".join(parts[i:]) for i in range(len(parts) - 1) if all(p.isidentifier() for p in parts[i:])}
    return sorted(names, key=len, reverse=True)


_DOC_LEVEL = re.compile(r"(?<![\w/])(?P<value>v[1-9][0-9]*(?:alpha|beta)?|stable|experimental)(?![\w/])",
                        re.IGNORECASE)


def marked_level(texts: Iterable[tuple[str, str]]) -> Marked | None:
    """The level one folder's files (path, text) agree on; None when none says or they disagree.

    A constant or a classifier (code) wins over prose (docstrings, READMEs).
    """
    code: list[Marked] = []
    prose: list[Marked] = []
    for path, text in texts:
        found = _code_level(path, text)
        if found is not None:
            code.append(found)
        prose.extend(_prose_levels(path, text))
    for marks in (code, prose):
        if marks:
            return marks[0] if len({m.level for m in marks}) == 1 else None  # they disagree: unsure
    return None


def _code_level(path: str, text: str) -> Marked | None:
    match = _CONSTANT.search(text)
    if match is not None:
        return Marked(_level(match.group("value")), f"{match.group(0).strip()} in {path}")
    if path.endswith("pyproject.toml"):
        classifier = _CLASSIFIER.search(text)
        if classifier is not None and classifier.group("number") in _CLASSIFIER_LEVELS:
            level = Level.parse(_CLASSIFIER_LEVELS[classifier.group("number")])
            return Marked(level, f"the classifier {classifier.group(0)!r} in {path}")
    return None


def _prose_levels(path: str, text: str) -> list[Marked]:
    prose = _docstring(text) if path.endswith(".py") else _head(text, path)
    if not prose:
        return []
    found: list[Marked] = []
    for pattern in (_FIELD, _PHRASE, _V1_STABLE):
        for match in pattern.finditer(prose):
            value = match.groupdict().get("value") or "stable"
            found.append(Marked(_level(value), f"{match.group(0).strip()!r} in {path}"))
    return found


def _docstring(text: str) -> str:
    """A Python module's docstring ("" when there is none or the file does not parse)."""
    try:
        return ast.get_docstring(ast.parse(text)) or ""
    except (SyntaxError, ValueError, RecursionError):
        return ""


def _head(text: str, path: str) -> str:
    """What a README says first (where projects state a status); Go's package comment in doc.go."""
    lines = text.splitlines()[:_README_LINES]
    if path.endswith(".go"):
        lines = [line.removeprefix("//").strip() for line in lines if line.startswith("//")]
    if path.endswith("pyproject.toml"):
        return ""
    return "\n".join(lines)


def _level(value: str) -> Level:
    text = value.lower().replace(" ", "-")
    if text in ("v1-stable",):
        return Level.parse("v1")
    return Level.parse(_WORDS.get(text, text))
