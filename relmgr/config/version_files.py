"""`version-files` entries: `FILE:KEY`, read into what a release edits and how.

- `pyproject.toml:project.version` — a string at a dotted key of a TOML file;
- `package.json:version`, `Chart.yaml:version`, `values.yaml:image.tag` — a string at a dotted key of a
  JSON or YAML file (`.json`, `.yaml`, `.yml`);
- `relmgr/__init__.py:__version__` — a module-level assignment (any other file);
- `pyproject.toml:project.dependencies[ogx-client]` — a requirement pin: in the TOML array at the key, the
  requirement named `ogx-client` (PEP 503: case, `-`, `_` and `.` equal) becomes `ogx-client==X.Y.Z`
  (extras and markers kept); in JSON or YAML, `package.json:dependencies[@ogx/client]` sets the value of the
  key `@ogx/client` of the mapping at `dependencies` (a name that may hold dots and slashes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Format = Literal["toml", "json", "yaml", "python"]
_ENTRY = re.compile(r"(?P<path>[^:]+):(?P<key>[^\[\]]+?)(?:\[(?P<pin>[^\[\]]+)\])?\Z")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, slots=True)
class VersionFile:
    entry: str  # as written: `pyproject.toml:project.dependencies[ogx-client]`
    path: str  # from the repository root
    keys: tuple[str, ...]  # the dotted key, split: ("project", "dependencies")
    pin: str | None  # the requirement (or mapping key) in brackets; None: the key holds the version
    format: Format

    @property
    def key(self) -> str:
        return ".".join(self.keys)


def format_of(path: str) -> Format:
    lower = path.lower()
    if lower.endswith(".toml"):
        return "toml"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    return "python"


def parse_version_file(entry: str) -> VersionFile:
    """An entry read, or ValueError saying what is wrong and how to write it."""
    match = _ENTRY.match(entry.strip())
    if match is None:
        raise ValueError(f"{entry!r} must be FILE:KEY (e.g. 'pyproject.toml:project.version', 'package.json:version', "
                         "'Chart.yaml:version') or FILE:KEY[NAME] for a pin "
                         "('pyproject.toml:project.dependencies[ogx-client]')")
    path, key, pin = match.group("path").strip(), match.group("key").strip(), match.group("pin")
    keys = tuple(part.strip() for part in key.split("."))
    if not path or not all(keys):
        raise ValueError(f"{entry!r}: empty file name or key part; write FILE:KEY like 'package.json:version'")
    kind = format_of(path)
    if kind == "python" and (pin is not None or len(keys) != 1 or not _IDENTIFIER.match(keys[0])):
        raise ValueError(f"{entry!r}: in {path} relmgr edits a module-level assignment; the key must be one "
                         "name (e.g. '__version__'), without [pin]; use a .toml, .json or .yaml file for keys")
    if pin is not None and not pin.strip():
        raise ValueError(f"{entry!r}: empty [NAME]; name the requirement to pin, e.g. [ogx-client]")
    return VersionFile(entry, path, keys, pin.strip() if pin else None, kind)
