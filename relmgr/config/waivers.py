"""Waivers as written: `[[tool.relmgr.waiver]]` entries, or the `[[waiver]]` entries of the file
`[tool.relmgr.policy] waivers` names (what `relmgr check --write-waivers` writes), validated like the rest of
the config (`load._Table`: typed keys, unknown ones refused with a "did you mean").
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Protocol

from relmgr.config.model import Waiver
from relmgr.errors import ConfigError

KEYS = ("commit", "operation", "check", "reason", "expires")
_SHA = re.compile(r"[0-9a-f]{4,40}")
_OBJECT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


class Table(Protocol):
    """What `load._Table` offers (a Protocol: `load` imports this module, not the other way round)."""

    data: Any

    def get(self, name: str, kind: type, default: Any) -> Any: ...

    def fail(self, name: str, problem: str) -> ConfigError: ...

    def done(self, known: tuple[str, ...] | None = None) -> None: ...


def waiver_of(table: Table, source: str) -> Waiver:
    """One waiver entry: at least one of commit, operation, check; a reason; an optional expiry date."""
    commit, operation, check = (table.get(key, str, None) for key in ("commit", "operation", "check"))
    reason, expires = table.get("reason", str, "").strip(), _expires(table)
    table.done(KEYS)  # unknown keys first: a misspelt `comit` is told as such
    if commit is not None and not _SHA.fullmatch(commit.strip().lower()):
        raise table.fail("commit", f"{commit!r} is not a commit sha prefix (4 to 40 hex digits)")
    if commit is None and operation is None and check is None:
        raise table.fail("commit", "a waiver names a commit, an operation or a check (or several); it names none")
    if not reason:
        raise table.fail("reason", "missing; say why the finding is waived (who reviewed it, where)")
    return Waiver(reason, commit.strip().lower() if commit else None,
                  _operation(table, operation) if operation is not None else None,
                  check.strip() if check else None, expires, source)


def _operation(table: Table, text: str) -> str:
    """`get /v1/models` → `GET /v1/models`; a path alone stays a path (any method), and so does a Python
    object's path (`ogx_api.provider.stop`: what a Python package's finding is about)."""
    method, _, path = text.strip().partition(" ")
    if not path:
        if not (method.startswith("/") or _OBJECT.fullmatch(method)):
            raise table.fail("operation", f"{text!r} is neither `METHOD /path`, `/path` nor a Python object path")
        return method
    if method.upper() not in _METHODS or not path.strip().startswith("/"):
        raise table.fail("operation", f"{text!r} is not `METHOD /path` (GET, POST, PUT, PATCH, DELETE …)")
    return f"{method.upper()} {path.strip()}"


def _expires(table: Table) -> date | None:
    """A TOML date (`expires = 2026-12-31`) or the same as a string."""
    value = table.get("expires", object, None)
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise table.fail("expires", f"{value!r} is not a date; write it YYYY-MM-DD (e.g. 2026-12-31)")


def render(waivers: list[Waiver]) -> str:
    """A waivers file (`[[waiver]]` entries), as `check --write-waivers` writes it: TOML, stable order."""
    lines = ["# Waivers for `relmgr check`: findings reviewed and accepted. Each entry names a commit (sha",
             "# prefix), an operation and/or a check ID; `expires` (optional) is the last day it applies.",
             "# Name this file in [tool.relmgr.policy] waivers = \"...\"."]
    for waiver in waivers:
        lines += ["", "[[waiver]]"]
        for key, value in (("commit", waiver.commit), ("operation", waiver.operation), ("check", waiver.check),
                           ("reason", waiver.reason)):
            if value is not None:
                lines.append(f"{key} = {_toml_string(value)}")
        if waiver.expires is not None:
            lines.append(f"expires = {waiver.expires.isoformat()}")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
