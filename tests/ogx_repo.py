"""A repository shaped like OGX (formerly llama-stack), the real project behind relmgr's policy.

What a new adopter's `relmgr init` meets there (../shared/realworld/README.md): the surface split over
three generated files under `docs/static/` (plus a combined copy and an SDK copy without the deprecation
flags), one code folder per API under `src/ogx_api/` (inference serving v1 and v1alpha routes), a Next.js
UI whose `app/api/` proxies the API, shared datatypes in `types/`, integration tests per API, PEP 440 rc
tags, `vX.Y.Z-dev` marker tags on main after each release, bookkeeping and bot commits, AI co-authors.
The specs are the project's own, trimmed (tests/fixtures/ogx/).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ALICE, BOB, Repo

FIXTURES = Path(__file__).parent / "fixtures" / "ogx"
STATIC = "docs/static"
SPLIT = ("ogx-spec.yaml", "experimental-ogx-spec.yaml", "deprecated-ogx-spec.yaml")
SPECS = tuple(f"{STATIC}/{name}" for name in SPLIT)
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
CLAUDE = "Co-authored-by: Claude <noreply@anthropic.com>"
# one folder per API, as src/ogx_api/ holds them (datasets is one module file); `types` is shared datatypes,
# `common` and `router_utils.py` helpers
API_FOLDERS = ("admin", "agents", "batches", "benchmarks", "connectors", "conversations", "datasetio", "eval",
               "file_processors", "files", "inference", "inspect", "models", "prompts", "provider", "providers",
               "safety", "scoring", "scoring_functions", "shields", "tools", "vector_io")
BEFORE_CONNECTORS_V1BETA = "experimental-ogx-spec.before-connectors-v1beta.yaml"
OLD_SPEC = "docs/_static/llama-stack-spec.yaml"  # before the split by level and the rename
PROVIDER_DOC = '''"""The provider SDK: the protocols and specs external providers implement."""
'''
# what the project's docs say of its Python packages (docs/docs/concepts/apis/api_leveling.mdx, abridged)
LEVELING_DOC = """# OGX API Stability Leveling

| Surface | Namespace | Consumers | Levelled by | Current level |
|---|---|---|---|---|
| **API datatypes** | `ogx_api.types` | HTTP clients, generated SDKs | the routes that reference the type | mixed |
| **Provider SDK** | `ogx_api.provider` | Out-of-tree provider authors | a single level for the whole surface | `v1` |

Sub-module imports (`from ogx_api.responses import ...`) are unsupported. As of this writing, `inference/rerank`,
`file-processors` and `interactions` sit at `/v1alpha`; `connectors` sits at `/v1beta`.
"""


def spec(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((FIXTURES / name).read_text())
    return loaded


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, width=120)


def combined(parts: list[dict[str, Any]], *, deprecations: bool = True) -> dict[str, Any]:
    """All operations of the split files in one document (the stainless spec; the SDK copy lacks the flags)."""
    paths: dict[str, Any] = {}
    for part in parts:
        for path, item in part["paths"].items():
            for method, node in item.items():
                node = copy.deepcopy(node)
                if not deprecations:
                    node.pop("deprecated", None)
                paths.setdefault(path, {}).setdefault(method, node)
    return {"openapi": parts[0]["openapi"], "info": {"title": "OGX", "version": "v1"}, "paths": paths}


def parts(experimental: str = "experimental-ogx-spec.yaml", drop: tuple[str, str] | None = None
          ) -> list[dict[str, Any]]:
    """The three split documents (an operation dropped from the stable one, if asked)."""
    found = [spec("ogx-spec.yaml"), spec(experimental), spec("deprecated-ogx-spec.yaml")]
    if drop is not None:
        path, method = drop
        del found[0]["paths"][path][method]
        if not found[0]["paths"][path]:
            del found[0]["paths"][path]
    return found


def surface(experimental: str = "experimental-ogx-spec.yaml", drop: tuple[str, str] | None = None,
            name: str = "ogx") -> dict[str, str]:
    """The files the generator writes: the split specs, the combined one and the SDK copy."""
    split = parts(experimental, drop)
    files = {f"{STATIC}/{file.replace('ogx', name)}": dump(part) for file, part in zip(SPLIT, split, strict=True)}
    files[f"{STATIC}/stainless-{name}-spec.yaml"] = dump(combined(split))
    files["client-sdks/stainless/openapi.yml"] = dump(combined(split, deprecations=False))
    return files


def code() -> dict[str, str]:
    """The code: API folders, shared types, the UI, tests, tool configs that are YAML/JSON but no specs."""
    files = {f"src/ogx_api/{name}/__init__.py": f'"""The {name} API."""\n' for name in API_FOLDERS}
    files |= {f"src/ogx_api/{name}/fastapi_routes.py": "router = None\n" for name in API_FOLDERS}
    files["src/ogx_api/provider/__init__.py"] = PROVIDER_DOC
    files["src/ogx_api/types/__init__.py"] = '"""Datatypes shared by the APIs."""\n'
    files["src/ogx_api/common/errors.py"] = "class Error(Exception): ...\n"
    files["src/ogx_api/datasets.py"] = '"""The datasets API, one module."""\n'  # an API as a module file
    files["src/ogx_api/router_utils.py"] = "def route() -> None: ...\n"  # helpers: no route names them
    files["src/ogx_api/version.py"] = 'OGX_API_V1 = "v1"\n'  # plumbing, though /v1/version exists
    files["docs/docs/concepts/apis/api_leveling.mdx"] = LEVELING_DOC
    files["src/ogx_ui/app/api/v1/[...path]/route.ts"] = "export async function GET() {}\n"
    files["src/ogx_ui/app/api/auth/[...nextauth]/route.ts"] = "export { handler as GET }\n"
    files["src/ogx_ui/app/page.tsx"] = "export default function Page() {}\n"
    files["src/ogx_ui/package.json"] = '{"name": "ogx-ui"}\n'
    files["src/ogx_ui/tsconfig.json"] = '{"compilerOptions": {}}\n'
    for api in ("inference", "files", "vector_io", "agents", "providers"):
        files[f"tests/integration/{api}/test_{api}.py"] = "def test_it() -> None: ...\n"
    files["tests/integration/recordings/inference.json"] = '{"openapi": "not a spec: a recording"}\n'
    files["tests/unit/test_inference_store.py"] = "def test_store() -> None: ...\n"
    files["tests/unit/test_scoring_functions.py"] = "def test_fns() -> None: ...\n"
    files[".github/workflows/ci.yml"] = "on: push\n"
    files[".pre-commit-config.yaml"] = "repos: []\n"
    files["docs/mkdocs.yml"] = "site_name: OGX\n"
    files |= version("0.1.0.dev0")
    files["uv.lock"] = "version = 1\n"
    return files


def version(text: str) -> dict[str, str]:
    return {"pyproject.toml": f'[project]\nname = "ogx"\nversion = "{text}"\n'}


def build(repo: Repo) -> Repo:
    """The history: v0.1.0 (rc first) with one spec, `docs/_static/llama-stack-spec.yaml`; then the spec
    split by level under `docs/static/`, renamed to `*ogx-spec.yaml`, and the connector API promoted to
    v1beta in v0.2.0; then a patch release v0.2.1 that breaks the stable `/v1/embeddings`. `-dev` markers
    (lightweight, on main) after each final."""
    single = {OLD_SPEC: dump(combined(parts(BEFORE_CONNECTORS_V1BETA)))}
    repo.commit("feat: the Llama Stack (#1)", {**code(), **single})
    repo.commit("Release candidate 0.1.0rc1", version("0.1.0rc1"), author=BOT)
    repo.tag("v0.1.0rc1")
    repo.commit("Bump version to 0.1.0", version("0.1.0"), author=BOT)
    repo.tag("v0.1.0")
    repo.tag("v0.2.0-dev", annotated=False)
    repo.commit(f"feat(inference): rerank documents (#2)\n\n{CLAUDE}\n",
                {"src/ogx_api/inference/fastapi_routes.py": "router = 'rerank'\n"}, author=BOB)
    repo.commit("update lockfiles (#3)", {"uv.lock": "version = 2\n"})
    split = surface(BEFORE_CONNECTORS_V1BETA, name="llama-stack")
    repo.commit("docs: one spec file per level (#9)", split, remove=[OLD_SPEC])
    renamed = surface(BEFORE_CONNECTORS_V1BETA)
    repo.commit("docs: the specs are ogx-spec now (#10)", renamed,
                remove=[path for path in split if "llama-stack" in path])
    repo.commit(f"feat(connectors): promote connector API from v1alpha to v1beta (#4)\n\n{CLAUDE}\n",
                {**surface(), "src/ogx_api/connectors/fastapi_routes.py": "router = 'v1beta'\n"})
    repo.commit("docs: regenerate the API reference (#8)", {"docs/index.md": "# OGX\n"}, author=BOT)
    repo.commit("fix(provider): a clearer error (#5)", {"src/ogx_api/provider/errors.py": "x = 1\n"}, author=ALICE)
    repo.commit("Release candidate 0.2.0rc1", version("0.2.0rc1"), author=BOT)
    repo.tag("v0.2.0rc1")
    repo.commit("Bump version to 0.2.0", version("0.2.0"), author=BOT)
    repo.tag("v0.2.0")
    repo.tag("v0.3.0-dev", annotated=False)
    repo.commit("feat(inference)!: drop the embeddings endpoint (#6)\n\nBREAKING CHANGE: use /v1/chat/completions.\n",
                {**surface(drop=("/v1/embeddings", "post")),
                 "src/ogx_api/inference/fastapi_routes.py": "router = 'no embeddings'\n"}, author=BOB)
    repo.tag("v0.2.1")
    repo.tag("v0.2.2-dev", annotated=False)
    repo.commit("feat(files): list by purpose (#7)", {"src/ogx_api/files/fastapi_routes.py": "router = 2\n"})
    return repo
