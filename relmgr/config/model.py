"""The configuration as frozen records: what `[tool.relmgr]` says, validated (see `load.py`).

Defaults here are the documented defaults; every core module takes these records, never raw TOML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from relmgr.config.patterns import UserPattern
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


@dataclass(frozen=True, slots=True)
class Config:
    tag_prefix: str = "v"
    ignore_tags: tuple[UserPattern, ...] = ()  # relmgr/config/patterns.py: run within a time budget
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
    source: Path | None = None  # the file the settings came from (None: defaults)
    in_pyproject: bool = False  # whether `source` keeps them under [tool.relmgr]

    def api(self, name: str) -> ApiConfig | None:
        for api in self.apis:
            if api.name == name:
                return api
        return None
