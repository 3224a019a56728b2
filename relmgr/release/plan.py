"""Planning a release, pure: which version, from which branch, and the new text of every file it writes.

The command (`relmgr/commands/release.py`) reads the repository and the files, asks these functions, and
only then writes; every refusal here happens before anything is touched. Text in, text out: version files
are edited in place (tomlkit for TOML keys, one module-level assignment for anything else), so the bytes
outside the version stay as they were. JSON, YAML and requirement pins: `formats.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from relmgr.config.model import Config
from relmgr.config.packages import lockstep_changelogs, lockstep_version_files
from relmgr.config.version_files import VersionFile, parse_version_file
from relmgr.errors import ConfigError, PolicyError, UsageError
from relmgr.history.commits import RELEASE_SUBJECT
from relmgr.history.versions import Stream, Version, classify_stream, parse_version
from relmgr.notes.changelog import insert_section
from relmgr.policy.bump import NextVersion
from relmgr.policy.findings import Finding
from relmgr.policy.grouping import grouped_lines
from relmgr.policy.streams import stream_rank
from relmgr.release.formats import set_json_value, set_toml_pin, set_yaml_value

_SHOWN_REASONS = 3


@dataclass(frozen=True, slots=True)
class FileEdit:
    """One file the release writes: its path from the repository root, its text before (None: new) and after."""

    path: str
    old: str | None
    new: str


# -- the version ----------------------------------------------------------------------------------


def parse_requested(text: str, prefix: str) -> Version:
    """`--version 0.5.0` (or `v0.5.0`): a bad version is a usage error."""
    bare = text.strip()
    if prefix and bare.startswith(prefix):
        bare = bare[len(prefix):]
    version = parse_version(bare)
    if version is None:
        raise UsageError(f"--version {text!r} is not a version; write it like 0.5.0 or 0.5.0rc1")
    return version


def check_requested(requested: Version, found: NextVersion, existing: Sequence[Version]) -> None:
    """Refuse (PolicyError) a `--version` at or below the current version, below what the policy needs
    (the version `next-version` computes: its final at least), or below a pre-release already tagged."""
    current = found.current
    if current is not None and requested <= current:
        raise PolicyError(f"--version {requested} is not greater than the current version {current}; "
                          f"the next version is {found.next} at least")
    if current is not None and found.stream is not None and requested.release < found.next.release:
        stream = classify_stream(requested, current)
        raise PolicyError(f"--version {requested} is lower than the policy needs: {found.next} at least "
                          f"({found.stream.value.upper()}-stream), for {_why(found, stream)}")
    above = [v for v in existing if v.release == requested.release and v.prerelease and v > requested]
    if requested.prerelease and above:
        newest = max(above, key=lambda v: v.key)
        raise PolicyError(f"--version {requested} would sort before the existing pre-release {newest}; "
                          "pick a greater one")


def _why(found: NextVersion, stream: Stream | None) -> str:
    """The reasons a release of `stream` cannot hold: `1a2b3c4 feat: x (new feature); … (+2 more)`."""
    rank = stream_rank(stream) if stream else -1
    above = [r for r in found.reasons if stream_rank(r.needs) > rank] or list(found.reasons[:1])
    shown = "; ".join(f"{r.sha[:7]} {r.subject} ({r.why})" for r in above[:_SHOWN_REASONS])
    more = len(above) - _SHOWN_REASONS
    return shown + (f" (+{more} more)" if more > 0 else "")


# -- the branch ------------------------------------------------------------------------------------


def release_branch_name(config: Config, version: Version) -> str:
    """`release-0.5.x`: the branch of a version's minor line, by the `release-branch` pattern."""
    return config.release_branch.format(major=version.release[0], minor=version.release[1], package="")


def check_branch(branch: str, version: Version, stream: Stream | None, config: Config,
                 line_branch_exists: bool) -> None:
    """Refuse (PolicyError) a release from the wrong branch.

    Z-stream (and its pre-releases): from the line's release branch, or from `main-branch` while that
    branch does not exist yet. Y, X and the first release: from `main-branch` only.
    """
    main = config.main_branch
    if stream == Stream.Z:
        line = release_branch_name(config, version)
        if branch == line or (branch == main and not line_branch_exists):
            return
        if branch == main:
            raise PolicyError(f"{line} exists, so patch releases of {minor_line(version)} are made there, not on "
                              f"{main}: `git switch {line}` (cherry-pick the fixes) and release from it")
        where = f"{line}, or from {main} while {line} does not exist" if not line_branch_exists else line
        raise PolicyError(f"{version} is a patch release: it is made from {where}, not from {branch}; "
                          f"`git switch {line if line_branch_exists else main}` and release from there")
    if branch != main:
        kind = {Stream.X: "a major release", Stream.Y: "a minor release", None: "a first release"}[stream]
        raise PolicyError(f"{version} is {kind}: it is made from {main} (`main-branch`), not from {branch}; "
                          f"`git switch {main}` and release from there")


def minor_line(version: Version) -> str:
    """`0.5` for 0.5.2: how people name a minor line."""
    return f"{version.release[0]}.{version.release[1]}"


# -- the files ---------------------------------------------------------------------------------------


def target_paths(config: Config) -> list[str]:
    """Every path the release writes (changelogs, then version files; with lockstep packages theirs too),
    checked to stay inside the repository."""
    paths = [config.changelog] if config.changelog else []
    paths += [package.changelog for package in lockstep_changelogs(config) if package.changelog]
    paths += [parse_version_file(entry).path for entry in lockstep_version_files(config)]
    for path in paths:
        pure = PurePosixPath(path)
        if not path or pure.is_absolute() or ".." in pure.parts:
            raise ConfigError(f"{path!r} (changelog or version-files) must be a path inside the repository, "
                              "relative to its root")
    return list(dict.fromkeys(paths))


def edit_files(sources: Mapping[str, str | None], config: Config, version: Version, section: str,
               sections: Mapping[str, str] | None = None) -> list[FileEdit]:
    """The new text of every target path (`sources`: path → current text, None when missing), in
    `target_paths` order; a missing version file or key is a ConfigError naming the entry. `sections`: the
    notes for each lockstep package's own changelog, by path."""
    texts = {path: text for path, text in sources.items() if text is not None}
    if config.changelog:
        texts[config.changelog] = insert_section(texts.get(config.changelog), section, version)
    for path, text in (sections or {}).items():
        texts[path] = insert_section(texts.get(path), text, version)
    for entry in lockstep_version_files(config):
        target = parse_version_file(entry)  # validated when the config was read
        if target.path not in texts:
            raise ConfigError(f"version-files entry {entry!r}: {target.path} does not exist; fix the path or create it")
        try:
            texts[target.path] = set_version_in(texts[target.path], target, version.text)
        except ConfigError as exc:
            raise ConfigError(f"version-files entry {entry!r}: {exc.message}") from None
    return [FileEdit(path, sources.get(path), texts[path]) for path in target_paths(config)
            if texts[path] != sources.get(path)]


def set_version(text: str, path: str, key: str, version: str) -> str:
    """`key` set to `version` in the file `path` (`version-files`' FILE:KEY, any of its forms)."""
    return set_version_in(text, parse_version_file(f"{path}:{key}"), version)


def set_version_in(text: str, target: VersionFile, version: str) -> str:
    """The version written where a `version-files` entry says: by the file's format (config.version_files)."""
    if target.format == "toml":
        if target.pin is not None:
            return set_toml_pin(text, target.keys, target.pin, version)
        return set_toml_version(text, target.key, version)
    if target.format == "json":
        return set_json_value(text, target.keys, version, target.pin)
    if target.format == "yaml":
        return set_yaml_value(text, target.keys, version, target.pin)
    return set_python_version(text, target.key, version)


def set_toml_version(text: str, dotted_key: str, version: str) -> str:
    """`text` with the string at `dotted_key` (`project.version`) set to `version`; the rest byte for byte."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import String, StringType

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"not valid TOML ({exc})") from None
    parts = dotted_key.split(".")
    table: Any = document
    for depth, part in enumerate(parts[:-1]):
        table = table.get(part) if isinstance(table, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"no table [{'.'.join(parts[:depth + 1])}]; check the key")
    current = table.get(parts[-1])
    if not isinstance(current, String):
        what = "no such key" if current is None else f"not a string ({current!r})"
        raise ConfigError(f"{dotted_key}: {what}; the key must hold the version as a string")
    literal = current.type in (StringType.SLL, StringType.MLL)
    table[parts[-1]] = tomlkit.string(version, literal=literal and "'" not in version)
    new = document.as_string()
    _check_toml(text, new, parts, version)
    return new


def _check_toml(old: str, new: str, parts: Sequence[str], version: str) -> None:
    """The edited document must read as the old one with exactly this value changed."""
    import tomllib

    expected = tomllib.loads(old)
    node = expected
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = version
    if tomllib.loads(new) != expected:
        raise ConfigError(f"could not set {'.'.join(parts)} safely; edit it by hand")


def set_python_version(text: str, name: str, version: str) -> str:
    """`text` with its one module-level `NAME = "…"` (or `NAME: str = '…'`) string set to `version`."""
    pattern = re.compile(
        rf"^(?P<head>{re.escape(name)}[ \t]*(?::[^=\n]*)?=[ \t]*)(?P<quote>['\"])[^'\"\\\n]*(?P=quote)(?!['\"])",
        re.MULTILINE,
    )
    found = list(pattern.finditer(text))
    if len(found) != 1:
        count = "no" if not found else str(len(found))
        raise ConfigError(f"{count} module-level `{name} = \"…\"` assignments; relmgr edits exactly one")
    match = found[0]
    quote = match.group("quote")
    return f"{text[:match.start()]}{match.group('head')}{quote}{version}{quote}{text[match.end():]}"


# -- the commit and the tag ---------------------------------------------------------------------------


def commit_subject(version: Version, package: str | None = None) -> str:
    """`chore(release): 0.5.0`; a package released on its own is named: `chore(release): client@0.5.0`."""
    return RELEASE_SUBJECT.format(version=f"{package}@{version.text}" if package else version.text)


def tag_message(notes: str, forced: Sequence[Finding] = ()) -> str:
    """The annotated tag's message: the release notes, and the violations `--force` released over (grouped
    per commit, API and check: a lone finding is its message)."""
    message = notes.rstrip("\n") + "\n"
    if forced:
        count = f"{len(forced)} policy violation{'' if len(forced) == 1 else 's'}"
        lines = "\n".join(f"- {line}" for line in grouped_lines(forced))  # a group of findings a line
        message += f"\nReleased with --force over {count}:\n\n{lines}\n"
    return message
