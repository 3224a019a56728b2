"""Recording a level decision in the config file: whether it may be recorded, and the edit itself.

Pure: the file's text in, the new text out. tomlkit edits one API's table, the rest stays byte for byte;
every edit is checked by reading both texts back: the new document must equal the old one with exactly the
intended change, or nothing is written.
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from relmgr.config.model import ApiConfig
from relmgr.errors import ConfigError
from relmgr.graduation.criteria import next_level
from relmgr.history.versions import Version
from relmgr.policy.levels import Level

_LONE_LF_RE = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str
    forceable: bool  # `graduate --force` records the decision anyway


def check_decision(api: ApiConfig, to: Level, at: Version, latest: Version | None) -> list[Refusal]:
    """Why recording `api` → `to` at version `at` would be wrong; empty when it is fine."""
    if to == api.level:
        return [Refusal(f"{api.name} is already {to}; nothing to record", forceable=False)]
    found: list[Refusal] = []
    step = next_level(api.level)
    if to < api.level:
        found.append(Refusal(f"{api.level} → {to} is a demotion: it takes back a promise users rely on", True))
    elif to != step:
        path = f"the next level is {step}" if step else f"{api.level} is the top level"
        found.append(Refusal(f"{api.level} → {to} skips a level ({path}); graduate one level at a time", True))
    if latest is not None and at <= latest:
        found.append(Refusal(
            f"--at {at} is at or below the latest release {latest}: that would rewrite the level of releases "
            "already judged; pick a later version", True,
        ))
    if api.history and at <= api.history[-1].until:
        found.append(Refusal(
            f"the history of {api.name} already ends at {api.history[-1].until}; --at must be later", False,
        ))
    return found


def record_level(text: str, *, api: str, nested: bool, level: Level, until: Version, previous: Level,
                 source: str) -> str:
    """`text` with the API's `level` set and `{ until = …, level = <previous> }` appended to its `history`.

    `nested`: the settings sit under `[tool.relmgr]` (else at the top level of the file).
    """
    import tomlkit

    document = tomlkit.parse(text)
    table = _api_table(document, api, nested, source)
    table["level"] = str(level)
    _append_history(table, until.text, str(previous), source)
    new = document.as_string()
    if "\r\n" in text and not _LONE_LF_RE.search(text):
        new = _LONE_LF_RE.sub("\r\n", new)  # tomlkit writes the lines it adds with "\n"
    _check(text, new, api=api, nested=nested, change=(str(level), until.text, str(previous)), source=source)
    return new


def _api_table(document: Any, api: str, nested: bool, source: str) -> Any:
    root = document
    for key in (("tool", "relmgr") if nested else ()) + ("apis", api):
        if not hasattr(root, "get") or root.get(key) is None:
            raise ConfigError(f"{source}: no table for API {api!r} (looked for {_where(api, nested)})")
        root = root[key]
    return root


def _where(api: str, nested: bool) -> str:
    return f"[{'tool.relmgr.' if nested else ''}apis.{api}]"


def _append_history(table: Any, until: str, previous: str, source: str) -> None:
    import tomlkit
    from tomlkit.items import AoT, Array

    history = table.get("history")
    if isinstance(history, AoT):  # [[…history]] tables: add one more, spaced like the last
        entry = tomlkit.table()
        entry.update({"until": until, "level": previous})
        last = history.body[-1] if history.body else None
        history.append(entry)
        if last is not None and last.as_string().endswith("\n\n"):
            entry.add(tomlkit.nl())  # the blank line that followed the last entry now follows the new one
        elif last is not None:
            last.add(tomlkit.nl())
        return
    inline = tomlkit.parse(f'entry = {{ until = "{until}", level = "{previous}" }}')["entry"]
    if history is None:
        array = tomlkit.array()
        array.append(inline)
        _add_key(table, "history", array)
    elif isinstance(history, Array):
        history.append(inline)
    else:
        raise ConfigError(f"{source}: `history` is not a list; write it as [{{ until = …, level = … }}]")


def _add_key(table: Any, key: str, value: Any) -> None:
    """Add `key` right after the table's last key, before the comments that lead to the next table."""
    from tomlkit.items import Table

    body = table.value.body if isinstance(table, Table) else []
    keys = [k for k, _ in body if k is not None]
    if keys:
        table.value._insert_after(keys[-1], key, value)  # tomlkit has no public "insert after"
    else:
        table[key] = value


def _check(old: str, new: str, *, api: str, nested: bool, change: tuple[str, str, str], source: str) -> None:
    """Refuse an edit whose result is not exactly the old document plus the decision."""
    level, until, previous = change
    expected = copy.deepcopy(tomllib.loads(old))
    root = expected["tool"]["relmgr"] if nested else expected
    entry = root["apis"][api]
    entry["level"] = level
    entry.setdefault("history", []).append({"until": until, "level": previous})
    try:
        actual = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        actual = None
    if actual != expected:
        raise ConfigError(
            f"{source}: could not edit {_where(api, nested)} safely; edit it by hand: set level = \"{level}\" "
            f"and add {{ until = \"{until}\", level = \"{previous}\" }} to its history"
        )
