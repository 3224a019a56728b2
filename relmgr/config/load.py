"""Find, read and validate relmgr's configuration into the frozen records of `model.py`.

Lookup order: `--config FILE`, `relmgr.toml` at the repository root, `[tool.relmgr]` in `pyproject.toml`.
A file may hold the settings in a `[tool.relmgr]` table (as in pyproject) or, in `relmgr.toml` and
`--config` files, at its top level. Unknown keys are errors that name the key path and the nearest valid key
(commitizen lets typos pass silently; towncrier's "did you mean" is the better lesson).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from relmgr.config.model import (
    DEFAULT_PYTHON_PATHS,
    DEFAULT_TYPES,
    DEPRECATION_PRESETS,
    MATURITIES,
    STREAM_NAMES,
    ApiConfig,
    Config,
    DeprecationPeriod,
    GraduationConfig,
    GraduationStep,
    LevelChange,
    LintConfig,
    NotesConfig,
    OpenApiConfig,
    PackageConfig,
    PolicyConfig,
    ProviderConfig,
    Waiver,
)
from relmgr.config.patterns import UserPattern, compile_user_regex
from relmgr.config.version_files import parse_version_file
from relmgr.config.waivers import waiver_of
from relmgr.errors import ConfigError
from relmgr.history.versions import Stream, parse_version
from relmgr.policy.globs import compile_globs
from relmgr.policy.levels import Level

# -- finding ----------------------------------------------------------------------------------------


def find_config_file(root: Path, explicit: Path | None = None) -> Path | None:
    """The file the settings are read from: --config, else relmgr.toml, else pyproject.toml (if any)."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist; check the --config path")
        return explicit
    for name in ("relmgr.toml", "pyproject.toml"):
        if (root / name).is_file():
            return root / name
    return None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The validated configuration; defaults (and no APIs) when there is none."""
    path = find_config_file(root, explicit)
    if path is None:
        return Config()
    document = _read_toml(path)
    tool = document.get("tool")
    if isinstance(tool, dict) and "relmgr" in tool:
        table, prefix, nested = tool["relmgr"], "tool.relmgr", True
    elif path.name == "pyproject.toml":
        return Config()  # a pyproject without [tool.relmgr] is not a relmgr config
    else:
        table, prefix, nested = document, "", False
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix or 'the file'} must be a table")
    return parse_config(table, source=path, prefix=prefix, in_pyproject=nested)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError as exc:  # TOML is UTF-8: tomllib decodes before it parses
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to read") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None


# -- validating -------------------------------------------------------------------------------------


class _Table:
    """A TOML table being validated: typed getters, then `done()` rejects unknown keys with a hint."""

    def __init__(self, data: Mapping[str, Any], path: str, where: str) -> None:
        self.data, self.path, self.where, self.seen = data, path, where, set[str]()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where}: {self.key(name)}: {problem}")

    def get(self, name: str, kind: type, default: Any) -> Any:
        self.seen.add(name)
        if name not in self.data:
            return default
        value = self.data[name]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise self.fail(name, f"expected {_KIND_NAMES.get(kind, kind.__name__)}, got {value!r}")
        return value

    def strings(self, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.get(name, list, None)
        if value is None:
            return default
        if not all(isinstance(item, str) for item in value):
            raise self.fail(name, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value: str = self.get(name, str, default)
        if value not in choices:
            raise self.fail(name, f"{value!r} is not one of {', '.join(choices)}{_hint(value, choices)}")
        return value

    def level(self, name: str, default: Level | None) -> Level:
        text = self.get(name, str, None)
        if text is None:
            if default is None:
                raise self.fail(name, "missing; set it to v1alpha, v1beta or v1 (or v2alpha …)")
            return default
        return _parse_level(text, lambda p: self.fail(name, p))

    def table(self, name: str) -> _Table:
        value = self.get(name, dict, {})
        return _Table(value, self.key(name), self.where)

    def done(self, known: tuple[str, ...] | None = None) -> None:
        valid = tuple(sorted(self.seen)) if known is None else known
        for name in self.data:
            if name not in self.seen:
                raise self.fail(name, f"unknown key{_hint(name, valid)}")


_KIND_NAMES = {str: "a string", bool: "true or false", int: "an integer", list: "a list", dict: "a table"}


def _hint(name: str, valid: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f" (valid: {', '.join(valid)})" if valid else ""


def _parse_level(text: str, fail: Callable[[str], ConfigError]) -> Level:
    try:
        return Level.parse(text)
    except ValueError:
        raise fail(f"{text!r} is not a level; use v1alpha, v1beta, v1 (or v2alpha, v2beta, v2 …)") from None


def parse_config(table: Mapping[str, Any], *, source: Path | None = None, prefix: str = "tool.relmgr",
                 in_pyproject: bool = False) -> Config:
    """Validate a `[tool.relmgr]` table; raises ConfigError naming the key path and a fix."""
    root = _Table(table, prefix, str(source) if source else "config")
    tag_prefix = root.get("tag-prefix", str, "v")
    config = Config(
        tag_prefix=tag_prefix,
        ignore_tags=tuple(_regex(root, "ignore-tags", p) for p in root.strings("ignore-tags")),
        default_level=root.level("default-level", Level.parse("v1")),
        repo_url=(root.get("repo-url", str, "").rstrip("/") or None),
        major_on_zero=root.get("major-on-zero", bool, False),
        changelog=root.get("changelog", str, None),
        version_files=_version_files(root),
        release_branch=_release_branch(root),
        main_branch=root.get("main-branch", str, "main"),
        apis=_apis(root.table("apis"), tag_prefix),
        policy=replace(_policy(root.table("policy")), waivers=_waivers(root, "waiver", str(source or "config"))),
        lint=_lint(root.table("lint")),
        graduation=_graduation(root.table("graduation")),
        openapi=_openapi(root.table("openapi")),
        notes=_notes(root.table("notes")),
        source=source,
        in_pyproject=in_pyproject,
    )
    packages = _packages(root.table("packages"), config)
    root.done()
    return replace(config, packages=packages) if packages else config


_PACKAGE_KEYS = ("paths", "tag-prefix", "version-files", "changelog", "apis", "release-branch")


def _packages(table: _Table, config: Config) -> tuple[PackageConfig, ...]:
    """`[tool.relmgr.packages.<name>]`: lockstep unless some package sets its own `tag-prefix`."""
    known = tuple(api.name for api in config.apis)
    found: list[PackageConfig] = []
    for name in sorted(table.data):
        item = table.table(name)
        apis = item.strings("apis") if "apis" in item.data else None
        for api in apis or ():
            if api not in known:
                raise item.fail("apis", f"no API named {api!r}{_hint(api, known)}")
        prefix = item.get("tag-prefix", str, None)
        package = PackageConfig(name, _globs(item, "paths"), prefix, _version_files(item),
                                item.get("changelog", str, None), apis, _release_branch(item, None))
        item.done(_PACKAGE_KEYS)
        found.append(package)
    if any(p.tag_prefix is not None and p.tag_prefix != config.tag_prefix for p in found):  # independent
        _distinct_prefixes(table, found, config.tag_prefix)
    return tuple(found)


def _distinct_prefixes(table: _Table, packages: list[PackageConfig], default: str) -> None:
    """Independent packages need tags of their own: two packages with one prefix would share releases."""
    seen: dict[str, str] = {}
    for package in sorted(packages, key=lambda p: p.tag_prefix not in (None, default)):  # name an own prefix
        prefix = default if package.tag_prefix is None else package.tag_prefix
        if prefix in seen:
            key = f"{package.name}.tag-prefix" if package.tag_prefix not in (None, default) else package.name
            raise table.fail(key, f"{prefix!r} is also {seen[prefix]}'s tag prefix; packages released on their "
                             "own need one each (e.g. 'client-v'; a package without one is tagged with the "
                             "repository's tag-prefix)")
        seen[prefix] = package.name


def _regex(table: _Table, name: str, pattern: str) -> UserPattern:
    return compile_user_regex(pattern, f"{table.where}: {table.key(name)}")


def _regexes(table: _Table, name: str,
             default: tuple[UserPattern | re.Pattern[str], ...]) -> tuple[UserPattern | re.Pattern[str], ...]:
    """A user's patterns (run within a time budget), else relmgr's own defaults as they are (plain `re`:
    known patterns need no budget, and the budget costs 5x on the hot path of every commit)."""
    patterns = table.strings(name)
    return tuple(_regex(table, name, p) for p in patterns) if name in table.data else default


def _version_files(table: _Table) -> tuple[str, ...]:
    """`FILE:KEY` entries (config.version_files has the forms); each is read here so that a typo is an error
    at load, not at release time."""
    files = table.strings("version-files")
    for entry in files:
        try:
            parse_version_file(entry)
        except ValueError as exc:
            raise table.fail("version-files", str(exc)) from None
    return files


def _release_branch(table: _Table, default: str | None = "release-{major}.{minor}.x") -> Any:
    pattern: str | None = table.get("release-branch", str, default)
    if pattern is None:
        return None
    try:
        pattern.format(major=0, minor=0, package="p")
    except (KeyError, IndexError, ValueError):
        raise table.fail("release-branch", f"{pattern!r} may only use {{major}}, {{minor}} and {{package}}") from None
    return pattern


_API_KEYS = ("level", "paths", "scopes", "history", "tests", "routes", "former-paths", "python", "python-paths",
             "providers")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def _apis(table: _Table, tag_prefix: str) -> tuple[ApiConfig, ...]:
    apis = []
    for name in sorted(table.data):
        api = table.table(name)
        level = api.level("level", None)
        paths = _globs(api, "paths")
        scopes = api.strings("scopes")
        history = _history(api, tag_prefix)
        tests = _globs(api, "tests")
        routes = _globs(api, "routes")
        former = _globs(api, "former-paths")
        python = _python(api)
        python_paths = _python_paths(api)
        providers = _providers(api.table("providers"))
        api.done(_API_KEYS)
        apis.append(ApiConfig(name, level, paths, scopes, history, tests, routes, former, python, python_paths,
                              providers))
    return tuple(apis)


def _providers(table: _Table) -> tuple[ProviderConfig, ...]:
    """`[tool.relmgr.apis.<api>.providers.<name>]`: `paths` (globs, required) and a `maturity`."""
    found = []
    for name in sorted(table.data):
        item = table.table(name)
        paths = _globs(item, "paths")
        if not paths:
            raise item.fail("paths", "missing; the globs of the provider's files, e.g. [\"src/providers/vllm/**\"]")
        maturity: Any = item.choice("maturity", MATURITIES, "experimental")
        item.done(("paths", "maturity"))
        found.append(ProviderConfig(name, paths, maturity))
    return tuple(found)


def is_python_name(name: str) -> bool:
    """A dotted package or module name: `ogx_api.provider`."""
    return bool(_DOTTED.match(name))


def _python(table: _Table) -> tuple[str, ...]:
    """Dotted package (or module) names: `ogx_api.provider`."""
    names = table.strings("python")
    for name in names:
        if not is_python_name(name):
            raise table.fail("python", f"{name!r} is not a dotted Python name; write it like 'ogx_api.provider'")
    return names


def _python_paths(table: _Table) -> tuple[str, ...]:
    """Folders (from the repository root) the packages are found in; `.` or "" is the root itself."""
    paths = table.strings("python-paths", DEFAULT_PYTHON_PATHS)
    if not paths:
        raise table.fail("python-paths", 'empty; name the folders the packages are in, e.g. ["src"] ("." is the root)')
    cleaned = []
    for path in paths:
        bare = path.strip().strip("/")
        bare = "" if bare == "." else bare.removeprefix("./")
        if path.startswith("/") or ".." in bare.split("/"):
            raise table.fail("python-paths", f"{path!r} must be a folder inside the repository, relative to its root")
        cleaned.append(bare)
    return tuple(dict.fromkeys(cleaned))


def _globs(table: _Table, name: str) -> tuple[str, ...]:
    patterns = table.strings(name)
    for pattern in patterns:
        try:
            compile_globs([pattern])
        except (ValueError, re.error) as exc:
            raise table.fail(name, f"bad glob {pattern!r}: {exc}") from None
    return patterns


def _history(table: _Table, tag_prefix: str) -> tuple[LevelChange, ...]:
    entries = table.get("history", list, [])
    changes = []
    for index, entry in enumerate(entries):
        where = f"history[{index}]"
        if not isinstance(entry, dict):
            raise table.fail(where, "expected a table like { until = \"0.3.0\", level = \"v1alpha\" }")
        item = _Table(entry, table.key(where), table.where)
        until_text = item.get("until", str, None)
        if until_text is None:
            raise item.fail("until", "missing; the first version at which the API left this level")
        bare = until_text[len(tag_prefix):] if tag_prefix and until_text.startswith(tag_prefix) else until_text
        until = parse_version(bare)
        if until is None:
            raise item.fail("until", f"{until_text!r} is not a version")
        changes.append(LevelChange(until, item.level("level", None)))
        item.done(("until", "level"))
    return tuple(sorted(changes, key=lambda c: c.until.key))


def _streams(table: _Table, name: str) -> frozenset[Stream]:
    values = table.strings(name)
    streams = set()
    for value in values:
        if value.lower() not in STREAM_NAMES:
            raise table.fail(name, f"{value!r} is not a stream; use major, minor or patch")
        streams.add(STREAM_NAMES[value.lower()])
    return frozenset(streams)


def _level_names(table: _Table, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    names = table.strings(name, default)
    for level in names:
        _parse_level(level, lambda p: table.fail(name, p))
    return names


_POLICY_KEYS = ("preset", "require-note", "require-approval", "require-deprecation", "deprecation", "waivers",
                "approval-labels")


def _policy(table: _Table) -> PolicyConfig:
    preset: Any = table.choice("preset", ("default", "semver"), "default")
    overrides = {}
    for name in table.data:
        if name not in _POLICY_KEYS and Level.is_valid(name):
            overrides[str(Level.parse(name))] = _streams(table, name)
    policy = PolicyConfig(
        preset=preset,
        overrides=overrides,
        require_note=_level_names(table, "require-note", ("v1",)),
        require_approval=_level_names(table, "require-approval", ()),
        require_deprecation=_level_names(table, "require-deprecation", ("v1",)),
        approval_labels=_labels(table),
        **_deprecation(table.table("deprecation")),
        waivers_file=table.get("waivers", str, None),
    )
    table.done((*_POLICY_KEYS, "v1alpha", "v1beta", "v1"))
    return policy


def _labels(table: _Table) -> tuple[str, ...]:
    labels = tuple(label.strip() for label in table.strings("approval-labels"))
    if any(not label for label in labels):
        raise table.fail("approval-labels", "has an empty label; name the labels, e.g. [\"breaking-change\"]")
    return labels


def _waivers(table: _Table, name: str, source: str) -> tuple[Waiver, ...]:
    """`[[waiver]]` entries (an array of tables), each validated (`config.waivers.waiver_of`)."""
    items = table.get(name, list, [])
    found = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise table.fail(name, f"expected [[{table.key(name)}]] tables, got {item!r}")
        found.append(waiver_of(_Table(item, f"{table.key(name)}[{number}]", table.where), f"{source}, waiver {number}"))
    return tuple(found)


def read_waivers(path: Path) -> tuple[Waiver, ...]:
    """The waivers of a waivers file (`[[waiver]]` entries and nothing else); ConfigError when it is wrong."""
    document = _read_toml(path)
    table = _Table(document, "", str(path))
    found = _waivers(table, "waiver", path.name)
    table.done(("waiver",))
    return found


_PERIOD_KEYS = ("releases", "days")


def _deprecation(table: _Table) -> dict[str, Any]:
    """`[tool.relmgr.policy.deprecation]`: a preset, then per level `{ releases = N, days = D }` over it."""
    preset = table.choice("preset", tuple(DEPRECATION_PRESETS), "default")
    periods = dict(DEPRECATION_PRESETS[preset])
    for name in table.data:
        if name == "preset":
            continue
        if not Level.is_valid(name):
            raise table.fail(name, f"unknown key{_hint(name, ('preset', 'v1', 'v1beta', 'v1alpha'))}; "
                             "a level's period is written `v1 = { releases = 1, days = 0 }`")
        entry = table.table(name)
        base = periods.get(str(Level.parse(name))) or periods.get(Level.parse(name).stage_name)
        base = base or DeprecationPeriod()
        releases = entry.get("releases", int, base.releases)
        days = entry.get("days", int, base.days)
        for key, value in (("releases", releases), ("days", days)):
            if value < 0:
                raise entry.fail(key, f"{value} is negative; use 0 for no minimum")
        entry.done(_PERIOD_KEYS)
        periods[str(Level.parse(name))] = DeprecationPeriod(releases, days)
    table.done()
    return {"deprecation": periods, "deprecation_preset": preset}


def _lint(table: _Table) -> LintConfig:
    unknown_scope: Any = table.choice("unknown-scope", ("warn", "error", "ignore"), "warn")
    lint = LintConfig(
        types=tuple(t.lower() for t in table.strings("types", DEFAULT_TYPES)),
        scopes=table.strings("scopes"),
        unknown_scope=unknown_scope,
        max_header_length=table.get("max-header-length", int, 72),
    )
    table.done()
    return lint


def _graduation(table: _Table) -> GraduationConfig:
    defaults = GraduationConfig()
    config = GraduationConfig(
        to_beta=_step(table.table("to-beta"), defaults.to_beta),
        to_stable=_step(table.table("to-stable"), defaults.to_stable),
        permabeta_minors=table.get("permabeta-minors", int, defaults.permabeta_minors),
        risk_window=table.get("risk-window", int, defaults.risk_window),
        risk_breaking_minors=table.get("risk-breaking-minors", int, defaults.risk_breaking_minors),
    )
    table.done()
    return config


def _step(table: _Table, default: GraduationStep) -> GraduationStep:
    step = GraduationStep(
        minor_releases=table.get("minor-releases", int, default.minor_releases),
        days=table.get("days", int, default.days),
        quiet_minors=table.get("quiet-minors", int, default.quiet_minors),
        settled_minors=table.get("settled-minors", int, default.settled_minors),
    )
    table.done()
    return step


def _notes(table: _Table) -> NotesConfig:
    """`exclude` and `bots` replace the defaults (write them out to keep some: docs/configuration)."""
    defaults = NotesConfig()
    notes = NotesConfig(exclude=_regexes(table, "exclude", defaults.exclude),
                        bots=_regexes(table, "bots", defaults.bots))
    table.done(("exclude", "bots"))
    return notes


def _openapi(table: _Table) -> OpenApiConfig:
    levels_from: Any = table.choice("levels-from", ("x-stability-level", "path"), "x-stability-level")
    config = OpenApiConfig(specs=table.strings("specs"), levels_from=levels_from, cache=table.get("cache", bool, True))
    table.done()
    return config
