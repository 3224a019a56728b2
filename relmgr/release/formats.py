"""Version edits in JSON, YAML and requirement pins: text in, text out, every byte outside the value kept.

Each edit replaces only the characters of the one value, found by position (JSON: a scan that skips the
other values with the standard decoder; YAML: PyYAML's node marks; TOML pins: tomlkit, which keeps the
rest of the document), then checks that the new text reads as the old one with exactly that value changed.
Anything else is a ConfigError naming the problem (the caller adds the entry).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from typing import Any

from relmgr.errors import ConfigError

_WS = " \t\r\n"
_REQUIREMENT = re.compile(r"(?P<lead>\s*)(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?P<gap>\s*)"
                          r"(?P<extras>\[[^\]]*\])?(?P<rest>.*)\Z", re.DOTALL)


def canonical_name(name: str) -> str:
    """PEP 503: `Ogx_Client` and `ogx-client` are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pin_requirement(requirement: str, version: str) -> str:
    """`ogx-client[extra]>=0.4 ; python_version > "3.9"` → `ogx-client[extra]==0.5.0 ; python_version > "3.9"`."""
    match = _REQUIREMENT.match(requirement)
    if match is None:
        raise ConfigError(f"{requirement!r} is not a requirement (PEP 508)")
    extras = match.group("extras")
    rest = match.group("rest") if extras else match.group("gap") + match.group("rest")
    if rest.lstrip().startswith("@"):
        raise ConfigError(f"{requirement!r} is a URL requirement; relmgr pins versions (name==X.Y.Z)")
    specifier, semicolon, marker = rest.partition(";")
    trail = specifier[len(specifier.rstrip()):] if semicolon else ""
    return (f"{match.group('lead')}{match.group('name')}{match.group('gap') if extras else ''}{extras or ''}"
            f"=={pep440(version)}"
            f"{trail}{semicolon}{marker}")


def pep440(version: str) -> str:
    """A version as Python packaging writes it (`0.5.0-rc.1` → `0.5.0rc1`); as given when it is not one."""
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def requirement_name(requirement: str) -> str | None:
    match = _REQUIREMENT.match(requirement)
    return canonical_name(match.group("name")) if match else None


# -- TOML pins -------------------------------------------------------------------------------------------------


def set_toml_pin(text: str, keys: Sequence[str], name: str, version: str) -> str:
    """In the TOML array of requirements at `keys`, the one named `name` pinned to `version`."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import String, StringType

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"not valid TOML ({exc})") from None
    node: Any = document
    for depth, part in enumerate(keys):
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            raise ConfigError(f"no key {'.'.join(keys[:depth + 1])}; check the key")
    if not isinstance(node, list):
        raise ConfigError(f"{'.'.join(keys)} is not an array of requirements")
    wanted = canonical_name(name)
    hits = [i for i, item in enumerate(node) if isinstance(item, str) and requirement_name(item) == wanted]
    if len(hits) != 1:
        count = "no" if not hits else str(len(hits))
        raise ConfigError(f"{count} requirements named {name} in {'.'.join(keys)}; relmgr pins exactly one")
    old = node[hits[0]]
    new = pin_requirement(str(old), version)
    literal = isinstance(old, String) and old.type in (StringType.SLL, StringType.MLL) and "'" not in new
    node[hits[0]] = tomlkit.string(new, literal=literal)
    result = document.as_string()
    expected = tomllib.loads(text)
    target: Any = expected
    for part in keys:
        target = target[part]
    target[hits[0]] = new
    if tomllib.loads(result) != expected:
        raise ConfigError(f"could not pin {name} in {'.'.join(keys)} safely; edit it by hand")
    return result


# -- JSON ---------------------------------------------------------------------------------------------------


def set_json_value(text: str, keys: Sequence[str], version: str, pin: str | None = None) -> str:
    """The string at `keys` (then at the key `pin` of that object) set to `version`."""
    path = [*keys, pin] if pin is not None else list(keys)
    try:
        expected = json.loads(text)
        start, end = _json_span(text, path)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON ({exc})") from None
    if text[start] != '"':
        raise ConfigError(f"{_shown(path)}: not a string ({text[start:end]}); the key must hold the version")
    new = text[:start] + json.dumps(version) + text[end:]
    node = expected
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = version
    if json.loads(new) != expected:
        raise ConfigError(f"could not set {_shown(path)} safely; edit it by hand")
    return new


def _json_span(text: str, path: Sequence[str]) -> tuple[int, int]:
    """Where the value at `path` is written (start, end); the last of duplicate keys, as decoders read it."""
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    for depth, key in enumerate(path):
        if text[at:at + 1] != "{":
            raise ConfigError(f"{_shown(path[:depth]) or 'the document'} is not an object; check the key")
        found: tuple[int, int] | None = None
        at = _skip(text, at + 1)
        while text[at:at + 1] != "}":
            name, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
            at = _skip(text, _skip(text, at) + 1)  # past the colon
            _, end = decoder.raw_decode(text, at)
            if name == key:
                found = (at, end)
            at = _skip(text, end)
            if text[at:at + 1] == ",":
                at = _skip(text, at + 1)
        if found is None:
            raise ConfigError(f"{_shown(path[:depth + 1])}: no such key; check the key")
        at = found[0]
        if depth == len(path) - 1:
            return found
    raise ConfigError("empty key")


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WS:
        at += 1
    return at


def _shown(path: Sequence[str]) -> str:
    return ".".join(path)


# -- YAML ---------------------------------------------------------------------------------------------------


def set_yaml_value(text: str, keys: Sequence[str], version: str, pin: str | None = None) -> str:
    """The scalar at `keys` (then at the key `pin` of that mapping) set to `version`, in its quoting style."""
    import yaml

    path = [*keys, pin] if pin is not None else list(keys)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        expected = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML ({str(exc).splitlines()[0]})") from None
    node: Any = root
    for depth, key in enumerate(path):
        if not isinstance(node, yaml.MappingNode):
            raise ConfigError(f"{_shown(path[:depth]) or 'the document'} is not a mapping; check the key")
        values = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
        if not values:
            raise ConfigError(f"{_shown(path[:depth + 1])}: no such key; check the key")
        node = values[-1]
    if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
        raise ConfigError(f"{_shown(path)}: not a one-line scalar; the key must hold the version")
    start, end = node.start_mark.index, node.end_mark.index
    written = _yaml_scalar(version, node.style)
    new = text[:start] + written + text[end:]
    target = expected
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = version
    if yaml.safe_load(new) != expected:
        raise ConfigError(f"could not set {_shown(path)} safely; edit it by hand")
    return new


def _yaml_scalar(version: str, style: str | None) -> str:
    """The version written as the old value was: plain, 'single' or "double" quoted (plain only when it still
    reads as a string)."""
    import yaml

    if style == "'":
        return "'" + version.replace("'", "''") + "'"
    if style == '"' or not isinstance(yaml.safe_load(version), str):
        return json.dumps(version)
    return version
