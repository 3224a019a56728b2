"""Code folders that name APIs, and the tests that cover them. Pure: file paths in, records out.

An API folder sits below a folder named `api`/`apis` or `<something>_api` (`src/ogx_api/inference/`), with an
optional level folder in between (`pkg/api/v1alpha/models/`). Not APIs: helpers (`common`, `utils` …),
private and bracketed names (`_x`, `[...path]`, `(group)`, `$id`), folders under docs, examples, vendored
code, and web apps — a Next.js `app/api/` or `pages/api/` route folder, anything below `*_ui/`, `frontend/`,
`web/` — whose `api/` is a UI's own backend, not the published API. Folders of shared datatypes (`types`,
`datatypes`, `schemas`) are kept aside: they become APIs only when spec routes are named after them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from relmgr.policy.globs import escape_glob
from relmgr.policy.levels import Level
from relmgr.spec.stability import path_level

LEVEL_SEGMENT = re.compile(r"^v[1-9][0-9]*(?:alpha|beta)?[0-9]*$")  # `v1`, `v1alpha`, `v2beta3`
TEST_DIRS = frozenset({"tests", "test", "testing", "__tests__"})
_API_PARENTS = frozenset({"api", "apis"})
_NOT_APIS = frozenset({"common", "shared", "utils", "util", "internal", "tests", "test", "testing", "base",
                       "core", "helpers", "lib", "static", "templates", "migrations", "middleware", "deps"})
SHARED = frozenset({"types", "datatypes", "schemas", "schema", "dtos", "typing"})
_SKIP_DIRS = frozenset({"docs", "doc", "examples", "example", "vendor", "node_modules", "third_party",
                        "fixtures", "testdata", ".github"})
_UI_DIRS = frozenset({"frontend", "web", "webapp", "ui", "www"})
_ROUTER_PARENTS = frozenset({"app", "pages", "routes"})  # Next.js app/pages routers, SvelteKit routes
_BRACKETED = ("[", "(", "{", "$", ":", "@", "+")
_STABILITY_FILES = ("__init__.py", "README.md", "README.rst", "README", "pyproject.toml", "doc.go")
_MODULE_EXTENSIONS = frozenset({".py", ".ts", ".js", ".go", ".rs", ".java", ".kt"})
# module files that are a package's plumbing, whatever route happens to share their name (`/v1/version`)
_NOT_MODULES = frozenset({"version", "versions", "resource", "resources", "errors", "exceptions", "constants",
                          "config", "settings", "registry", "registries", "validators", "filters", "main", "app",
                          "server", "router", "routers", "routes", "dependencies", "index", "mod", "lib"})
_DOC_EXTENSIONS = (".md", ".mdx", ".rst", ".txt")
_DOC_WORDS = re.compile(r"stabilit|level|polic|compat|deprecat|versioning|lifecycle", re.IGNORECASE)
MAX_DOCS = 30  # project documents read for what they say about packages' levels


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Names compare without case and separators: `VectorIO`, `vector_io` and `vector-io` are one."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def key_variants(key: str) -> tuple[str, ...]:
    """The singular and plural spellings a name may also take (`file` for files, `providers` for provider)."""
    found = [key + "s"]
    if key.endswith("s"):
        found.append(key[:-1])
    if key.endswith("es"):
        found.append(key[:-2])
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder (or a module file, `<…>_api/datasets.py`) that names an API.

    `shared`: an API only if spec routes name it — a datatypes folder, or a module with no folder of its
    name (`api/files.py` may as well be helpers).
    """

    name: str
    folder: str | None  # `src/ogx_api/inference`; None for a module alone
    level: Level | None  # from a level folder in between (`api/v1alpha/models`)
    shared: bool = False
    modules: tuple[str, ...] = ()  # `src/ogx_api/inference.py` beside (or instead of) the folder

    @property
    def globs(self) -> tuple[str, ...]:
        own = (escape_glob(self.folder) + "/**",) if self.folder is not None else ()
        return (*own, *(escape_glob(module) for module in self.modules))

    @property
    def where(self) -> str:
        """`folder src/ogx_api/inference/`, `module src/ogx_api/datasets.py`."""
        shown = [f"folder {self.folder}/"] if self.folder is not None else []
        return ", ".join([*shown, *(f"module {module}" for module in self.modules)])

    def holds(self, path: str) -> bool:
        """Whether a file is the API's own: directly in its folder, or one of its modules."""
        return path in self.modules or (self.folder is not None and path.rpartition("/")[0] == self.folder)


@dataclass(frozen=True, slots=True)
class Skipped:
    folder: str
    why: str


def api_folders(files: Iterable[str]) -> tuple[list[Folder], list[Skipped]]:
    """The API folders of a file list (one per folder, first by path), and the web-app ones left out."""
    listed = list(files)
    folders = sorted({path.rsplit("/", 1)[0] for path in listed if "/" in path})
    found: dict[str, Folder] = {}
    skipped: dict[str, Skipped] = {}
    for path in folders:
        seen = _api_folder(path.split("/"))
        if isinstance(seen, Folder):
            found.setdefault(seen.folder or path, seen)
        elif isinstance(seen, Skipped):
            skipped.setdefault(seen.folder, seen)
    by_name: dict[str, Folder] = {}
    for folder in found.values():  # two folders of one name (`a/api/x`, `b/api/x`): the first, by path
        by_name.setdefault(name_key(folder.name), folder)
    for key, (name, paths) in _modules(listed).items():
        known = by_name.get(key)
        if known is None:
            by_name[key] = Folder(name, None, None, shared=True, modules=tuple(paths))
        else:
            by_name[key] = replace(known, modules=tuple(paths))
    return sorted(by_name.values(), key=lambda f: f.name), sorted(skipped.values(), key=lambda s: s.folder)


def _modules(files: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
    """Module files directly below an API parent (`src/ogx_api/datasets.py`), by name key."""
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(files):
        parts = path.split("/")
        if len(parts) < 2:
            continue
        stem, dot, extension = parts[-1].rpartition(".")
        parent = parts[-2]
        if not dot or f".{extension}" not in _MODULE_EXTENSIONS or not _is_api_parent(parent):
            continue
        above = parts[:-2]
        stem = stem.removesuffix("_api") or stem  # `inspect_api.py` is the inspect API
        if (set(above) & (_SKIP_DIRS | TEST_DIRS) or _web_app(above, parent) is not None or not _api_name(stem)
                or stem.lower() in _NOT_MODULES or stem.lower().endswith(("_utils", "_helpers"))):
            continue
        found.setdefault(name_key(stem), (stem, []))[1].append(path)
    return found


def _is_api_parent(part: str) -> bool:
    return part in _API_PARENTS or (part.endswith("_api") and len(part) > len("_api"))


def _api_folder(parts: Sequence[str]) -> Folder | Skipped | None:
    for index, part in enumerate(parts[:-1]):
        if not _is_api_parent(part):
            continue
        rest = list(parts[index + 1:])
        level = None
        if LEVEL_SEGMENT.match(rest[0]) and len(rest) > 1:
            level = Level.parse(path_level("/" + rest.pop(0)).level)
        name = rest[0]
        above = parts[:index]
        folder = "/".join(parts[: len(parts) - len(rest) + 1])
        if set(above) & (_SKIP_DIRS | TEST_DIRS):
            return None
        ui = _web_app(above, part)
        if ui is not None:  # said once, for the web app's `api/` folder
            return Skipped("/".join(parts[: index + 1]), ui)
        if not _api_name(name):
            return None
        return Folder(name, folder, level, shared=name.lower() in SHARED)
    return None


def _web_app(above: Sequence[str], parent: str) -> str | None:
    """Why an `api/` folder belongs to a web app, or None."""
    for part in above:
        lowered = part.lower()
        if lowered in _UI_DIRS or lowered.endswith(("_ui", "-ui")):
            return f"below {part}/, a web app"
    if parent == "api" and above and above[-1] in _ROUTER_PARENTS:
        return f"a web framework's route folder ({above[-1]}/api/)"
    return None


def _api_name(name: str) -> bool:
    """Whether a folder under `api/` can be an API: not private, bracketed, a level or a helpers folder."""
    return not (name.startswith(("_", ".", *_BRACKETED)) or name.lower() in _NOT_APIS or LEVEL_SEGMENT.match(name))


def stability_files(files: Iterable[str], folders: Sequence[Folder]) -> list[str]:
    """The files that may say each API's level: directly in its folder (`__init__.py`, README, pyproject …),
    and its module files (a module docstring)."""
    wanted = {f"{folder.folder}/{name}" for folder in folders if folder.folder is not None
              for name in _STABILITY_FILES}
    wanted |= {module for folder in folders for module in folder.modules if module.endswith(".py")}
    return sorted(path for path in files if path in wanted)


def doc_files(files: Iterable[str], limit: int = MAX_DOCS) -> list[str]:
    """Project documents that may state packages' levels: those named for stability, levels, policy or
    compatibility (`docs/concepts/apis/api_leveling.mdx`), then the root README; at most `limit`."""
    found = []
    for path in files:
        folders, _, name = path.rpartition("/")
        if not name.lower().endswith(_DOC_EXTENSIONS) or set(folders.split("/")) & (TEST_DIRS | _NOT_DOC_DIRS):
            continue
        if _DOC_WORDS.search(path):
            found.append((0, path.count("/"), path))
        elif path.lower() in ("readme.md", "readme.rst"):
            found.append((1, 0, path))
    return [path for _, _, path in sorted(found)[:limit]]


_NOT_DOC_DIRS = frozenset({"node_modules", "vendor", "third_party", "fixtures", "testdata", ".github"})


# -- tests ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TestsFound:
    globs: tuple[str, ...]
    source: str  # "tests/integration/inference/ and 2 test_inference*.py files"


def find_tests(files: Sequence[str], names: Iterable[str]) -> dict[str, TestsFound]:
    """Each API's tests: folders named after it below a test folder (`tests/integration/inference/`), and
    `test_<api>*.py` files there. A folder inside one already found for the same API adds nothing; a file
    goes to the longest API name it starts with (`test_scoring_functions.py` is scoring-functions')."""
    keys = {name_key(name): name for name in names}
    folders: dict[str, list[str]] = {}
    test_files: dict[str, list[str]] = {}
    for path in sorted(files):
        parts = path.split("/")
        roots = [i for i, part in enumerate(parts[:-1]) if part in TEST_DIRS]
        if not roots:
            continue
        for depth in range(roots[0] + 1, len(parts) - 1):
            api = _named(parts[depth], keys)
            if api is not None:
                folder = "/".join(parts[: depth + 1])
                if not any(folder == f or folder.startswith(f + "/") for f in folders.get(api, [])):
                    folders.setdefault(api, []).append(folder)
                break
        else:
            api = _test_file_api(parts[-1], keys)
            if api is not None:
                test_files.setdefault(api, []).append(path)
    return {api: _tests(folders.get(api, []), test_files.get(api, []), test_files, api)
            for api in sorted({*folders, *test_files})}


def _named(part: str, keys: Mapping[str, str]) -> str | None:
    key = name_key(part)
    if key in keys:
        return keys[key]
    return next((keys[k] for k in key_variants(key) if k in keys), None)


def _test_file_api(name: str, keys: Mapping[str, str]) -> str | None:
    match = re.fullmatch(r"test_(?P<rest>[0-9A-Za-z_]+)\.py", name)
    if match is None:
        return None
    words = match.group("rest").split("_")
    for count in range(len(words), 0, -1):  # the longest API name first
        key = name_key("".join(words[:count]))
        if key in keys:
            return keys[key]
    return None


def _tests(folders: Sequence[str], files: Sequence[str], all_files: Mapping[str, Sequence[str]],
           api: str) -> TestsFound:
    """Globs for an API's test folders and files: `dir/test_<api>*.py` unless it would take another API's."""
    globs = [escape_glob(folder) + "/**" for folder in folders]
    stem = "test_" + api.replace("-", "_")
    others = {path for other, paths in all_files.items() if other != api for path in paths}
    by_dir: dict[str, list[str]] = {}
    for path in files:
        if not any(path.startswith(folder + "/") for folder in folders):
            by_dir.setdefault(path.rpartition("/")[0], []).append(path)
    for folder, paths in sorted(by_dir.items()):
        pattern = f"{escape_glob(folder)}/{stem}*.py"
        takes_other = any(o.startswith(folder + "/" + stem) and o.rpartition("/")[0] == folder for o in others)
        if all(p.rpartition("/")[2].startswith(stem) for p in paths) and not takes_other:
            globs.append(pattern)
        else:
            globs.extend(escape_glob(p) for p in paths)
    shown = [f"{folder}/" for folder in folders]
    if files:
        shown.append(f"{len(files)} {stem}*.py file" + ("s" if len(files) != 1 else ""))
    return TestsFound(tuple(globs), " and ".join(shown))
