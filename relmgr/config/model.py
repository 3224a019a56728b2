"""The configuration as frozen records: what `[tool.relmgr]` says, validated (see `load.py`).

Defaults here are the documented defaults; every core module takes these records, never raw TOML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from relmgr.history.versions import Stream, Version
from relmgr.policy.levels import Level, Stage

STREAM_NAMES = {"major": Stream.X, "minor": Stream.Y, "patch": Stream.Z, "x": Stream.X, "y": Stream.Y,
                "z": Stream.Z}
STABLE_V1 = Level(Stage.STABLE, 1)
DEFAULT_TYPES = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore", "revert")


@dataclass(frozen=True, slots=True)
class LevelChange:
    """A past level: before version `until` the API was at `level`."""

    until: Version
    level: Level


@dataclass(frozen=True, slots=True)
class ApiConfig:
    name: str
    level: Level
    paths: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    history: tuple[LevelChange, ...] = ()  # sorted by `until`
    tests: tuple[str, ...] = ()  # globs of conformance tests (graduation evidence)
    routes: tuple[str, ...] = ()  # globs on OpenAPI paths that belong to this API

    def level_at(self, version: Version | None) -> Level:
        """The level at `version`: the first history entry with version < until, else the current level."""
        if version is not None:
            for change in self.history:
                if version < change.until:
                    return change.level
        return self.level


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    preset: Literal["default", "semver"] = "default"
    overrides: Mapping[str, frozenset[Stream]] = field(default_factory=dict)  # level name → streams
    require_note: tuple[str, ...] = ("v1",)
    require_approval: tuple[str, ...] = ()
    require_deprecation: tuple[str, ...] = ("v1",)


@dataclass(frozen=True, slots=True)
class LintConfig:
    types: tuple[str, ...] = DEFAULT_TYPES
    scopes: tuple[str, ...] = ()  # scopes allowed besides the APIs' own (e.g. "deps", "ci")
    unknown_scope: Literal["warn", "error", "ignore"] = "warn"
    max_header_length: int = 72


@dataclass(frozen=True, slots=True)
class GraduationStep:
    """Thresholds to reach one level (beta or stable)."""

    minor_releases: int
    days: int
    quiet_minors: int
    settled_minors: int


@dataclass(frozen=True, slots=True)
class GraduationConfig:
    to_beta: GraduationStep = GraduationStep(1, 30, 1, 1)
    to_stable: GraduationStep = GraduationStep(2, 60, 2, 2)
    permabeta_minors: int = 3
    risk_window: int = 3
    risk_breaking_minors: int = 2


@dataclass(frozen=True, slots=True)
class OpenApiConfig:
    specs: tuple[str, ...] = ()
    levels_from: Literal["x-stability-level", "path"] = "x-stability-level"


# `[tool.relmgr.notes]` defaults: bookkeeping subjects that are not news (regexes searched in the subject) …
_CHORE = r"(?i)^(?:(?:chore|build|ci|release)(?:\([^)]*\))?!?:\s*)?"  # an optional bookkeeping type
DEFAULT_EXCLUDE = (
    # "Bump version to 0.2.20", "chore: bump version", "chore: bump fallback_version to 0.5.1.dev0 after …"
    _CHORE + r"bump(?:ing|ed)? (?:the )?(?:\S+[ _-])?version(?: number)?(?:(?: to)? v?\d|\s*(?:\(#\d+\))?$)",
    _CHORE + r"release candidate v?\d",  # "Release candidate 0.3.1rc1"
    # "update lockfiles", "chore: update uv.lock", "chore: update the client to ^0.5.0 in UI lockfile"
    _CHORE + r"(?:update|regenerate|refresh|bump|sync)\b(?:.*\s)?(?:lock ?files?|\S+\.lock|\S+-lock\.(?:json|ya?ml))"
    r"(?:\s*\(#\d+\))?$",
    _CHORE + r"lock ?file maintenance\b",  # Renovate's
    r"^chore\(release\)",  # release-please, semantic-release and `relmgr release` bookkeeping
)
# … and identities that are not people (searched in "Name <email>" of authors and `Co-authored-by:` trailers)
DEFAULT_BOTS = (
    r"\[bot\]",  # github-actions[bot], dependabot[bot], renovate[bot], any GitHub App
    r"(?i)<(?:noreply|no-reply)@(?:anthropic\.com|openai\.com|cursor\.(?:com|sh)|aider\.chat|all-hands\.dev)>",
    r"(?i)^(?:claude(?: code)?|(?:github )?copilot|cursor(?: agent)?|codex|chatgpt|gemini(?: code assist)?|devin"
    r"|openhands|aider|junie|windsurf|cline|amazon q(?: developer)?)(?: \([^)]*\))? <[^>]*"
    r"(?:noreply|no-reply|bot|cursoragent|copilot)",  # an assistant's name with a robot's address
)


def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


@dataclass(frozen=True, slots=True)
class NotesConfig:
    """What release notes, the changelog and `propose` leave out: bookkeeping commits and bots.

    A commit that declares a breaking change or a deprecation is never left out, whatever its subject.
    """

    exclude: tuple[re.Pattern[str], ...] = _compiled(DEFAULT_EXCLUDE)
    bots: tuple[re.Pattern[str], ...] = _compiled(DEFAULT_BOTS)


@dataclass(frozen=True, slots=True)
class Config:
    tag_prefix: str = "v"
    ignore_tags: tuple[re.Pattern[str], ...] = ()
    default_level: Level = STABLE_V1
    repo_url: str | None = None
    major_on_zero: bool = False
    changelog: str | None = None
    version_files: tuple[str, ...] = ()
    release_branch: str = "release-{major}.{minor}.x"
    main_branch: str = "main"
    apis: tuple[ApiConfig, ...] = ()
    policy: PolicyConfig = PolicyConfig()
    lint: LintConfig = LintConfig()
    graduation: GraduationConfig = GraduationConfig()
    openapi: OpenApiConfig = OpenApiConfig()
    notes: NotesConfig = NotesConfig()
    source: Path | None = None  # the file the settings came from (None: defaults)
    in_pyproject: bool = False  # whether `source` keeps them under [tool.relmgr]

    def api(self, name: str) -> ApiConfig | None:
        for api in self.apis:
            if api.name == name:
                return api
        return None
