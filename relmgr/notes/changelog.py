"""A changelog file's sections: insert (or replace) the section of one version, idempotently.

Pure text in, text out; the CLI reads and writes the file.
"""

from __future__ import annotations

import re

from relmgr.history.versions import Version, parse_version

NEW_CHANGELOG = "# Changelog\n\n"
# The version a `## ` heading is about: its first token that starts with a digit, before any `]` — so
# `## [0.3.0](…/compare/v0.2.0...v0.3.0) - 2024-05-02`, `## v0.3.0`, `## 0.3.0 (2024-05-02)` all say 0.3.0.
_HEADING_VERSION_RE = re.compile(r"^##[ \t]+\[?[^\d\]\n]*?(?P<version>\d[^\s\]()\[,]*)")
_LINK_DEFINITION_RE = re.compile(r"^\[[^\]]+\]:\s")


def insert_section(document: str | None, section: str, version: Version) -> str:
    """`document` with `section` in place of the section about `version`, else above the first `## `.

    Running it again with the same section returns the same text. A missing document starts as
    NEW_CHANGELOG; trailing link definitions (`[0.3.0]: https://…`) stay at the end.
    """
    section = section.rstrip("\n") + "\n"
    lines = (document if document and document.strip() else NEW_CHANGELOG).splitlines(keepends=True)
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    for position, start in enumerate(headings):
        found = _heading_version(lines[start])
        if found is not None and found.same_as(version):
            end = headings[position + 1] if position + 1 < len(headings) else _body_end(lines)
            return _join(lines[:start], section, lines[end:])
    at = headings[0] if headings else _body_end(lines)
    return _join(lines[:at], section, lines[at:])


def heading_names(section: str, version: Version) -> bool:
    """Whether `section` starts with a `## ` heading about `version`: what insert_section finds again."""
    found = _heading_version(section.lstrip("\n").partition("\n")[0])
    return found is not None and found.same_as(version)


def _heading_version(line: str) -> Version | None:
    match = _HEADING_VERSION_RE.match(line)
    return parse_version(match.group("version").rstrip(".:")) if match else None


def _body_end(lines: list[str]) -> int:
    """Where a last section ends: before the trailing link definitions and blank lines."""
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or _LINK_DEFINITION_RE.match(lines[end - 1])):
        end -= 1
    return end if any(_LINK_DEFINITION_RE.match(line) for line in lines[end:]) else len(lines)


def _join(head: list[str], section: str, rest: list[str]) -> str:
    before = "".join(head).rstrip("\n")
    after = "".join(rest).lstrip("\n")
    return (before + "\n\n" if before else "") + section + ("\n" + after if after else "")
