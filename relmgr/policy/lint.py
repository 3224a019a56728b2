"""Commit message lint for commit-msg hooks and PR titles: a message in, findings out. Pure.

Stricter than the parser on purpose: `commits.parse_message` reads what histories already hold ("fix:typo"),
lint keeps new messages to the Conventional Commits form (`type(scope)!: description`, one space after the
colon, as commitlint's parser requires).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from relmgr.config.model import Config
from relmgr.history.commits import Commit, Message, parse_message
from relmgr.history.versions import Stream
from relmgr.policy.apis import Registry, normalize_scope, scope_parts
from relmgr.policy.findings import FORBIDDEN_STREAM, NEAR_MISS, why_forbidden
from relmgr.policy.levels import Level
from relmgr.policy.streams import allowed_streams

Severity = Literal["error", "warning"]

# Stable rule ids (JSON `rule`).
HEADER_FORMAT = "header-format"
TYPE_ENUM = "type-enum"
DESCRIPTION_EMPTY = "description-empty"
HEADER_LENGTH = "header-max-length"
UNKNOWN_SCOPE = "unknown-scope"

# git's scissors line (`git commit -v`, `--cleanup=scissors`): everything below it is not the message.
SCISSORS = "# ------------------------ >8 ------------------------"
# Headers git writes itself: they pass as they are.
_GIT_HEADER_RE = re.compile(r'^(?:(?:Revert|Reapply) ".*"|Merge |(?:fixup|squash|amend)! )')
# The lint form: a type, an optional scope, an optional `!`, a colon; one space is checked apart.
_HEADER_RE = re.compile(r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]*)\))?!?:(?P<rest>.*)$")
_EXAMPLE = "`fix(files): handle empty uploads`"


@dataclass(frozen=True, slots=True)
class LintFinding:
    severity: Severity
    rule: str
    message: str


def clean_message(text: str) -> str:
    """A commit message file as git would commit it: no `#` comment lines, nothing below the scissors."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.rstrip() == SCISSORS:
            break
        if not line.startswith("#"):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def lint_message(text: str, config: Config, *, header_only: bool = False, stream: Stream | None = None,
                 registry: Registry | None = None) -> list[LintFinding]:
    """Lint one message (or, with `header_only`, a PR title); `stream` also warns of forbidden breaks."""
    if header_only:
        text = text.strip().split("\n", 1)[0]
    registry = registry if registry is not None else Registry(config.apis)
    message = parse_message(text)
    return _lint(message, config, registry, stream, registry.by_scope(message.scope))


def lint_commit(commit: Commit, config: Config, registry: Registry, *,
                stream: Stream | None = None) -> list[LintFinding]:
    """Lint a commit of the history; its APIs come from its scope and its changed paths."""
    return _lint(commit.message, config, registry, stream, [m.name for m in registry.match(commit)])


def _lint(message: Message, config: Config, registry: Registry, stream: Stream | None,
          apis: Sequence[str]) -> list[LintFinding]:
    header = message.header
    if _GIT_HEADER_RE.match(header):
        return []
    findings = _header_findings(message, config, registry)
    limit = config.lint.max_header_length
    if len(header) > limit:
        findings.append(LintFinding("warning", HEADER_LENGTH,
                                    f"the header is {len(header)} characters; keep it to {limit}"))
    findings.extend(
        LintFinding("error", NEAR_MISS, f"'{token}:' is not a Conventional Commits token; write 'BREAKING CHANGE:'")
        for token in message.near_misses
    )
    if stream is not None and message.breaking:
        findings.extend(_stream_findings(config, registry, stream, apis))
    return findings


def _header_findings(message: Message, config: Config, registry: Registry) -> list[LintFinding]:
    header = message.header
    if not header:
        return [LintFinding("error", HEADER_FORMAT, f"the message is empty; write a header like {_EXAMPLE}")]
    match = _HEADER_RE.match(header)
    if match is None:
        return [LintFinding("error", HEADER_FORMAT,
                            f"the header {header!r} is not `type(scope)!: description`, e.g. {_EXAMPLE}")]
    findings: list[LintFinding] = []
    kind = match.group("type").lower()
    types = config.lint.types
    if kind not in types:
        close = difflib.get_close_matches(kind, types, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(types)}"
        findings.append(LintFinding("error", TYPE_ENUM, f"type '{match.group('type')}' is not allowed; {hint}"))
    if match.group("scope") is not None and not match.group("scope").strip():
        findings.append(LintFinding("error", HEADER_FORMAT, "the scope is empty: name one or drop the `()`"))
    if message.type is None:  # the parser refuses exactly the headers without a description
        findings.append(LintFinding("error", DESCRIPTION_EMPTY, f"the description is empty, e.g. {_EXAMPLE}"))
    elif not match.group("rest").startswith(" "):
        findings.append(LintFinding("error", HEADER_FORMAT, "put one space after the colon"))
    findings.extend(_scope_findings(message.scope, config, registry))
    return findings


def _scope_findings(scope: str | None, config: Config, registry: Registry) -> list[LintFinding]:
    """Scopes that name no API (while APIs are configured) nor an extra scope of `[tool.relmgr.lint]`."""
    mode = config.lint.unknown_scope
    if not scope or not registry or mode == "ignore":
        return []
    extras = {normalize_scope(s) for s in config.lint.scopes}
    parts = scope_parts(scope)
    unknown = [p for p in parts[1:] or parts if p not in extras and not registry.by_scope(p)]
    if not unknown:
        return []
    known = sorted({s for api in registry.apis for s in api.scopes} | set(config.lint.scopes))
    listed = f"use one of {', '.join(known)}" if known else "no API has scopes configured"
    names = ", ".join(f"'{p}'" for p in unknown)
    return [LintFinding("error" if mode == "error" else "warning", UNKNOWN_SCOPE,
                        f"scope {names} names no configured API; {listed}, or add it to [tool.relmgr.lint] scopes")]


def _stream_findings(config: Config, registry: Registry, stream: Stream,
                     apis: Sequence[str]) -> list[LintFinding]:
    """A break an X/Y/Z release may not carry, at each API's current level (default-level when none)."""
    judged: list[tuple[str | None, Level]] = [(name, registry.level_at(name, None)) for name in apis]
    if not judged:
        judged = [(None, config.default_level)]
    findings = []
    for name, level in judged:
        allowed = allowed_streams(level, config.policy)
        if stream in allowed:
            continue
        what = f"the {level} API `{name}`" if name else f"no configured API (default-level {level})"
        rule = why_forbidden(level, allowed)
        findings.append(LintFinding(
            "warning", FORBIDDEN_STREAM,
            f"a breaking change to {what} in a {stream.value.upper()}-stream release; {rule}",
        ))
    return findings
