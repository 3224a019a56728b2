"""The configuration as frozen records: what `[tool.relmgr]` says, validated (see `load.py`).

Defaults here are the documented defaults; every core module takes these records, never raw TOML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from relmgr.config.patterns import UserPattern
from relmgr.history.versions import Stream, Version
from relmgr.policy.levels import Level, Stage

STREAM_NAMES = {"major": Stream.X, "minor": Stream.Y, "patch": Stream.Z, "x": Stream.X, "y": Stream.Y,
                "z": Stream.Z}
STABLE_V1 = Level(Stage.STABLE, 1)
DEFAULT_PYTHON_PATHS = ("src", "")  # a src layout, then a flat one
DEFAULT_TYPES = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore", "revert")


@dataclass(frozen=True, slots=True)
class LevelChange:
    """A past level: before version `until` the API was at `level`."""

    until: Version
    level: Level


MATURITIES = ("stable", "experimental", "deprecated")


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """An implementation of an API (`[tool.relmgr.apis.<api>.providers.<name>]`): a commit touching only
    its paths is a provider change, free within the API's level; a `stable` one should not break in a patch."""

    name: str
    paths: tuple[str, ...]
    maturity: Literal["stable", "experimental", "deprecated"] = "experimental"


@dataclass(frozen=True, slots=True)
class ApiConfig:
    name: str
    level: Level
    paths: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    history: tuple[LevelChange, ...] = ()  # sorted by `until`
    tests: tuple[str, ...] = ()  # globs of conformance tests (graduation evidence)
    routes: tuple[str, ...] = ()  # globs on OpenAPI paths that belong to this API
    # globs of files that belonged to this API under older names git cannot pair (a file split into a folder)
    former_paths: tuple[str, ...] = ()
    python: tuple[str, ...] = ()  # Python packages (dotted names) whose public API this API ships
    python_paths: tuple[str, ...] = DEFAULT_PYTHON_PATHS  # folders they are found in ("": the root)
    providers: tuple[ProviderConfig, ...] = ()  # sorted by name

    def python_locations(self, package: str) -> tuple[str, ...]:
        """Where `package`'s source may be, per python path in order: its folder, its `.py`, its `.pyi`."""
        tail = package.replace(".", "/")
        found: list[str] = []
        for root in self.python_paths:
            base = f"{root}/{tail}" if root else tail
            found += [base, f"{base}.py", f"{base}.pyi"]
        return tuple(found)

    def level_at(self, version: Version | None) -> Level:
        """The level at `version`: the first history entry with version < until, else the current level."""
        if version is not None:
            for change in self.history:
                if version < change.until:
                    return change.level
        return self.level


@dataclass(frozen=True, slots=True)
class DeprecationPeriod:
    """How long an operation stays deprecated before it may be removed: `releases` final releases ship it
    deprecated (the first of them is the release it was deprecated in), and `days` days pass from that
    release's tag date to the removing release's."""

    releases: int = 0
    days: int = 0

    @property
    def trivial(self) -> bool:
        """Nothing beyond "deprecated in the release before", which `require-deprecation` already asks."""
        return self.releases <= 1 and self.days <= 0


# `[tool.relmgr.policy.deprecation] preset`: level (stage) name → period. The default is the leveling policy
# (v1: deprecated in one release, removed in a later minor one; v1beta: one release; v1alpha: none);
# `kubernetes` is Kubernetes' deprecation policy (GA: 12 months or 3 releases, beta: 9 months or 3
# releases, whichever is longer; alpha: none).
DEPRECATION_PRESETS: Mapping[str, Mapping[str, DeprecationPeriod]] = {
    "default": {"v1": DeprecationPeriod(1, 0), "v1beta": DeprecationPeriod(1, 0), "v1alpha": DeprecationPeriod()},
    "kubernetes": {"v1": DeprecationPeriod(3, 365), "v1beta": DeprecationPeriod(3, 270),
                   "v1alpha": DeprecationPeriod()},
}


@dataclass(frozen=True, slots=True)
class Waiver:
    """A reviewed finding the gate leaves out: a commit (sha prefix) and/or an operation and/or a check ID
    (the surface's `check`, or relmgr's `rule`), why, and until when (None: no end)."""

    reason: str
    commit: str | None = None  # a sha prefix, lower case
    operation: str | None = None  # `GET /v1/models`, or a path alone (any method)
    check: str | None = None
    expires: date | None = None  # the last day it applies
    source: str = "config"  # where it was written (`relmgr-waivers.toml`, waiver 3), for warnings

    @property
    def label(self) -> str:
        """`commit 97f535c, check request-parameter-default-value-added`: what it names."""
        named = [f"{key} {value}" for key, value in (("commit", self.commit), ("operation", self.operation),
                                                     ("check", self.check)) if value]
        return ", ".join(named)


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    preset: Literal["default", "semver"] = "default"
    overrides: Mapping[str, frozenset[Stream]] = field(default_factory=dict)  # level name → streams
    require_note: tuple[str, ...] = ("v1",)
    require_approval: tuple[str, ...] = ()
    require_deprecation: tuple[str, ...] = ("v1",)
    # level or stage name (`v2beta`, `v1beta`) → its deprecation period; an exact level wins over its stage
    deprecation: Mapping[str, DeprecationPeriod] = field(default_factory=lambda: DEPRECATION_PRESETS["default"])
    deprecation_preset: str = "default"
    # labels whose presence on a pull request approves its breaks (as --approved does); none by default
    approval_labels: tuple[str, ...] = ()
    waivers: tuple[Waiver, ...] = ()  # `[[tool.relmgr.waiver]]`
    waivers_file: str | None = None  # `waivers = "relmgr-waivers.toml"`: read by `check`, relative to the config


    def deprecation_period(self, level: Level) -> DeprecationPeriod:
        """The period of `level`: its exact entry (`v2beta`), else its stage's (`v1beta`), else none."""
        return self.deprecation.get(str(level)) or self.deprecation.get(level.stage_name) or DeprecationPeriod()


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
    cache: bool = True  # keep parsed specs in relmgr's cache on disk (relmgr/cache.py; RELMGR_NO_CACHE=1 too)


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

    # the defaults are relmgr's own (plain `re`); a user's patterns are UserPattern, run with a time budget
    exclude: tuple[re.Pattern[str] | UserPattern, ...] = _compiled(DEFAULT_EXCLUDE)
    bots: tuple[re.Pattern[str] | UserPattern, ...] = _compiled(DEFAULT_BOTS)


@dataclass(frozen=True, slots=True)
class PackageConfig:
    """One of several packages released from the repository (`[tool.relmgr.packages.<name>]`)."""

    name: str
    paths: tuple[str, ...] = ()  # globs: the commits that touch them belong to the package (none: every commit)
    tag_prefix: str | None = None  # its own tags (independent releases); None: the repository's (lockstep)
    version_files: tuple[str, ...] = ()
    changelog: str | None = None
    apis: tuple[str, ...] | None = None  # the APIs it ships (gated by their levels); None: every API
    release_branch: str | None = None  # its release branches; None: `<name>-` + the repository's pattern


@dataclass(frozen=True, slots=True)
class Config:
    tag_prefix: str = "v"
    # a user's patterns: relmgr/config/patterns.py (run within a time budget); relmgr's own: plain `re`
    ignore_tags: tuple[UserPattern | re.Pattern[str], ...] = ()
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
    packages: tuple[PackageConfig, ...] = ()
    notes: NotesConfig = NotesConfig()
    source: Path | None = None  # the file the settings came from (None: defaults)
    in_pyproject: bool = False  # whether `source` keeps them under [tool.relmgr]

    @property
    def independent(self) -> bool:
        """Whether the packages release on their own (some sets a `tag-prefix` of its own, other than the
        repository's), else in lockstep."""
        return any(p.tag_prefix is not None and p.tag_prefix != self.tag_prefix for p in self.packages)

    def package(self, name: str) -> PackageConfig | None:
        return next((p for p in self.packages if p.name == name), None)

    def api(self, name: str) -> ApiConfig | None:
        for api in self.apis:
            if api.name == name:
                return api
        return None
