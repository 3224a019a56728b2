"""Which committed files are OpenAPI documents, which of them form the surface, which are copies. Pure.

A file is a spec by its content, not its name: a YAML or JSON file with a top-level `openapi:` or `swagger:`
key (`docs/static/ogx-spec.yaml` has no "openapi" in its name). At most `MAX_CANDIDATES` YAML/JSON files
are read, likeliest first (a spec-like name, then a docs/static/api folder, then shallower paths), all in
one `git cat-file --batch`; lock files, CI and tool configs are never candidates.

Files in one folder whose names differ only by a level or lifecycle prefix or suffix
(`ogx-spec.yaml`, `experimental-ogx-spec.yaml`, `deprecated-ogx-spec.yaml`) are one surface split by a
generator. A copy is left out: a file under an SDK or generated-code folder (`client-sdks/`, `sdk/`,
`clients/`, `generated/` …), or one whose operations other candidates already hold while it holds a whole
other candidate (a combined `stainless-…` file, an SDK's copy). The rest is the source of truth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relmgr.init.folders import TEST_DIRS
from relmgr.spec.view import METHODS, normalize_path

MAX_CANDIDATES = 300
MAX_PAST_FILES = 40  # files ever added read at each past release, for `history`
_EXTENSIONS = (".yaml", ".yml", ".json")
_SKIP_DIRS = frozenset({"node_modules", "vendor", "third_party", "fixtures", "testdata", "examples", "example",
                        ".github", ".gitlab", ".circleci", ".vscode", ".idea", "charts", "helm", "k8s",
                        "kubernetes", "deploy", "deployments", ".devcontainer", "locale", "locales", "i18n"})
_NOT_SPECS = re.compile(
    r"^(?:package(?:-lock)?|composer|tsconfig.*|jsconfig|tslint|renovate|lerna|nx|turbo|vercel|app|"
    r"pnpm-lock|pnpm-workspace|yarn|bun|\.?eslintrc.*|\.?prettierrc.*|\.?babelrc|\.?stylelintrc.*|"
    r"\.pre-commit-.*|\.?codecov|\.?readthedocs|mkdocs|docker-compose.*|compose|chart|values|"
    r"dependabot|\.?markdownlint.*|\.?yamllint|\.?golangci|environment|conda.*|.*\.schema|.*\.lock)\.(?:ya?ml|json)$",
    re.IGNORECASE,
)
_LIKELY_NAME = re.compile(r"openapi|swagger|spec|api", re.IGNORECASE)
_LIKELY_DIRS = frozenset({"docs", "doc", "static", "_static", "api", "apis", "spec", "specs", "openapi", "schema",
                          "schemas", "contracts"})
COPY_DIRS = frozenset({"client-sdks", "client-sdk", "clients", "client", "sdk", "sdks", "generated", "gen",
                       "dist", "build", "out"})
# YAML: a key at column 0; JSON: the key anywhere in the first bytes (a nested one is rare, and loading checks)
_YAML_KEY = re.compile(rb"^[\"']?(?:openapi|swagger)[\"']?[ \t]*:", re.MULTILINE)
_JSON_KEY = re.compile(rb"\"(?:openapi|swagger)\"\s*:")
_SNIFF_BYTES = 1 << 16
_AFFIX = (r"(?:experimental|deprecated|stable|unstable|alpha|beta|preview|internal|public"
          r"|v[1-9][0-9]*(?:alpha|beta)?[0-9]*)")
_PREFIX = re.compile(rf"^{_AFFIX}[-_.]", re.IGNORECASE)
_SUFFIX = re.compile(rf"[-_.]{_AFFIX}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidates:
    read: tuple[str, ...]  # the YAML/JSON files to read, likeliest first
    total: int  # YAML/JSON files that could be specs (more than `read` when capped)


def spec_candidates(files: Iterable[str], limit: int = MAX_CANDIDATES) -> Candidates:
    """The YAML/JSON files at HEAD that may be OpenAPI documents, at most `limit`, likeliest first."""
    found = [path for path in files if _candidate(path)]
    found.sort(key=_likelihood)
    return Candidates(tuple(found[:limit]), len(found))


def past_candidates(paths: Iterable[str], chosen: Sequence[str], limit: int = MAX_PAST_FILES) -> list[str]:
    """The files ever added that may have been the surface at a past release: today's specs, and
    candidates with a spec-like name or in a folder of today's specs (renamed specs: `docs/_static/
    llama-stack-spec.yaml` before `docs/static/ogx-spec.yaml`). At most `limit`, today's first."""
    folders = {path.rpartition("/")[0] for path in chosen}
    found = [path for path in paths if path not in chosen and _candidate(path)
             and (_LIKELY_NAME.search(path.rpartition("/")[2]) or path.rpartition("/")[0] in folders)]
    found.sort(key=_likelihood)
    return [*chosen, *found][:max(limit, len(chosen))]


def _candidate(path: str) -> bool:
    *folders, name = path.split("/")
    if not name.lower().endswith(_EXTENSIONS) or _NOT_SPECS.match(name):
        return False
    return not any(f in _SKIP_DIRS or f in TEST_DIRS or f.startswith(".") for f in folders)


def _likelihood(path: str) -> tuple[int, int, int, str]:
    *folders, name = path.split("/")
    return (0 if _LIKELY_NAME.search(name) else 1, 0 if set(folders) & _LIKELY_DIRS else 1, len(folders), path)


def looks_like_openapi(data: bytes) -> bool:
    """Whether a file's first bytes hold a top-level `openapi:`/`swagger:` key (YAML) or that key (JSON)."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return bool(_JSON_KEY.search(head))
    return bool(_YAML_KEY.search(head))


# -- the surface ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpecFile:
    path: str
    operations: int
    role: str  # "source: one surface with …", "copy of …", "skipped: …"
    chosen: bool


@dataclass(frozen=True, slots=True)
class SpecChoice:
    chosen: tuple[str, ...]  # the files that form the surface, by path
    files: tuple[SpecFile, ...]  # every OpenAPI document found, for the comment
    capped: str | None  # set when not every YAML/JSON file was read


def choose_specs(documents: Mapping[str, Mapping[str, Any]], broken: Mapping[str, str],
                 candidates: Candidates) -> SpecChoice:
    """The source-of-truth specs among the loaded `documents`; `broken`: path → why it did not load."""
    ops = {path: operation_keys(doc) for path, doc in documents.items()}
    copies = _copies(ops)
    kept = sorted(path for path in ops if path not in copies)
    if not kept:  # only copies (a repository that commits just its SDK's spec): those that duplicate nothing
        kept = sorted(path for path in ops if not copies[path][1])
    groups = _groups(kept)
    files = [SpecFile(path, len(ops[path]), _role(path, kept, copies, groups), path in kept) for path in sorted(ops)]
    files += [SpecFile(path, 0, f"skipped: {why}", False) for path, why in sorted(broken.items())]
    capped = None
    if candidates.total > len(candidates.read):
        capped = (f"read {len(candidates.read)} of {candidates.total} YAML/JSON files (the likeliest first): a spec "
                  "among the others is missed; add it to specs by hand")
    return SpecChoice(tuple(kept), tuple(files), capped)


def operation_keys(document: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    """(METHOD, path template) of every operation; a renamed path parameter is the same operation."""
    paths = document.get("paths")
    found: set[tuple[str, str]] = set()
    for path, item in (paths.items() if isinstance(paths, Mapping) else ()):
        if isinstance(item, Mapping):
            found.update((method.upper(), normalize_path(str(path))) for method in METHODS
                         if isinstance(item.get(method), Mapping))
    return frozenset(found)


def _copies(ops: Mapping[str, frozenset[tuple[str, str]]]) -> dict[str, tuple[str, bool]]:
    """The copies among the specs: (why, whether other specs hold all of it).

    A file below an SDK or generated-code folder is a copy; so is one whose operations the other specs
    hold while it holds a whole other spec. Biggest first, so that a combined file is weighed before the
    parts it combines; among equals the deeper path is the copy.
    """
    located = {path: folder for path in ops if (folder := _copy_folder(path)) is not None}
    copies: dict[str, tuple[str, bool]] = {}
    # biggest first; SDK-folder copies after the others, so that they name the sources, not a combined copy
    for path in sorted(ops, key=lambda p: (-len(ops[p]), p in located, -p.count("/"), p)):
        mine = ops[path]
        others = [q for q in ops if q != path and q not in copies and q not in located and ops[q]]
        held = sorted(q for q in others if ops[q] <= mine)
        covered = bool(mine) and mine <= frozenset().union(*(ops[q] for q in others))
        duplicate = covered and bool(held)
        if path in located:
            sharing = sorted(q for q in others if ops[q] & mine) if covered else []
            of = f" of {', '.join(sharing)}" if sharing else ""
            copies[path] = (f"copy{of} (below {located[path]}/, an SDK or generated folder)", duplicate)
        elif duplicate:
            copies[path] = (f"copy of {', '.join(held)} (they hold all of its operations)", True)
    return copies


def _copy_folder(path: str) -> str | None:
    return next((f for f in path.split("/")[:-1] if f.lower() in COPY_DIRS), None)


def surface_stem(path: str) -> tuple[str, str]:
    """(folder, name without extension and level/lifecycle affixes): files with equal ones are one surface."""
    folder, _, name = path.rpartition("/")
    stem = name.rsplit(".", 1)[0].lower()
    while True:
        shorter = _SUFFIX.sub("", _PREFIX.sub("", stem, count=1), count=1)
        if shorter == stem or not shorter:
            return folder, stem
        stem = shorter


def _groups(paths: Sequence[str]) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], list[str]] = {}
    for path in paths:
        groups.setdefault(surface_stem(path), []).append(path)
    return groups


def _role(path: str, kept: Sequence[str], copies: Mapping[str, tuple[str, bool]],
          groups: Mapping[tuple[str, str], Sequence[str]]) -> str:
    if path not in kept:
        return copies[path][0]
    if path in copies:
        return f"check: {copies[path][0]}, kept: no other spec is committed"
    group = groups[surface_stem(path)]
    if len(group) == 1:
        return "source"
    others = [p.rpartition("/")[2] for p in group if p != path]
    return f"source, one surface with {', '.join(others)}"


# -- a spec's operations, fast --------------------------------------------------------------------------

_PATHS_KEY = re.compile(r"^paths[ \t]*:[ \t]*(?:#.*)?\n", re.MULTILINE)
_TOP_KEY = re.compile(r"^[^\s#]", re.MULTILINE)


def paths_only(data: bytes, source: str) -> dict[str, Any]:
    """A spec reduced to its `paths`, for reading many releases' operations: YAML's top-level `paths:`
    block is parsed alone (generated specs keep most of their bytes in `components`); JSON whole.

    Raises SpecError (as `load_spec`) when the text is no OpenAPI document.
    """
    from relmgr.spec import load_spec

    text = data.decode("utf-8-sig", "replace")
    start = _PATHS_KEY.search(text)
    if text.lstrip().startswith("{") or start is None:
        return load_spec(data, source)
    end = _TOP_KEY.search(text, start.end())
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        block = yaml.load(text[start.start(): end.start() if end else len(text)], Loader=loader)
    except yaml.YAMLError:
        return load_spec(data, source)
    if not isinstance(block, dict) or not isinstance(block.get("paths"), Mapping):
        return load_spec(data, source)
    return {"openapi": "3.0.0", "paths": block["paths"]}
