"""A history shaped like the real project (OGX, formerly llama-stack; ../shared/realworld/README.md).

Its generator writes the surface as three files under `docs/static/`, regenerated with the code: the `/v1/`
operations (deprecated ones left out), the `/v1alpha/` and `/v1beta/` ones, and the deprecated ones (with the
rest of their path items, so some operations are in two files). Between releases it deprecates the tools APIs
(they move to the deprecated file), promotes connectors from `/v1alpha/` to `/v1beta/`, renames the spec files
(`llama-stack-spec.yaml` → `ogx-spec.yaml`) and the code folder (`src/llama_stack_api/` → `src/ogx_api/`), and
at last breaks a v1 route for real. The config names today's paths, as a config written today does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import yaml

from tests.conftest import Repo
from tests.spec_builders import Json, json_response, op, param

STABLE, EXPERIMENTAL, DEPRECATED = "{}-spec.yaml", "experimental-{}-spec.yaml", "deprecated-{}-spec.yaml"
SPECS = tuple(f"docs/static/{name.format('ogx')}" for name in (STABLE, EXPERIMENTAL, DEPRECATED))
OLD_SPECS = tuple(f"docs/static/{name.format('llama-stack')}" for name in (STABLE, EXPERIMENTAL, DEPRECATED))
CHAT = ("/v1/chat/completions", "post")
TOOLS = [("/v1/tools", "get"), ("/v1/tools/{tool_name}", "get"), ("/v1/tool-runtime/invoke", "post")]
CONNECTORS = ["/v1alpha/connectors", "/v1alpha/connectors/{connector_id}"]
SUNSET = "2030-01-01"  # the x-sunset of one deprecated operation

CONFIG = f"""
[tool.relmgr]
default-level = "v1"

[tool.relmgr.openapi]
specs = {list(SPECS)!r}
levels-from = "path"

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/ogx_api/inference/**"]
scopes = ["inference"]
routes = ["/v1/chat", "/v1/models", "/v1alpha/inference"]

[tool.relmgr.apis.tools]
level = "v1"
paths = ["src/ogx_api/tools/**"]
scopes = ["tools"]
routes = ["/v1/tools", "/v1/tool-runtime"]

[tool.relmgr.apis.connectors]
level = "v1beta"
paths = ["src/ogx_api/connectors/**"]
scopes = ["connectors"]
routes = ["/v1alpha/connectors", "/v1beta/connectors"]
""".replace("'", '"')

ERROR = {"$ref": "#/components/schemas/Error"}


def start_surface() -> dict[str, Json]:
    """The operations at the first release, by path."""
    by_id = [param("connector_id", "path", required=True)]
    return {
        "/v1/chat/completions": {"post": op(responses=json_response(ERROR))},
        "/v1/models": {"get": op(responses=json_response(ERROR)), "post": op(deprecated=True)},
        "/v1/tools": {"get": op()},
        "/v1/tools/{tool_name}": {"get": op(params=[param("tool_name", "path", required=True)])},
        "/v1/tool-runtime/invoke": {"post": op()},
        "/v1alpha/inference/rerank": {"post": op()},
        "/v1alpha/connectors": {"get": op()},
        "/v1alpha/connectors/{connector_id}": {"get": op(params=by_id)},
    }


def split(paths: dict[str, Json], name: str) -> dict[str, str]:
    """The three files the generator writes for `paths` (files named `<kind>-<name>-spec.yaml`)."""
    stable: dict[str, Json] = {}
    experimental: dict[str, Json] = {}
    deprecated: dict[str, Json] = {}
    for path, item in paths.items():
        if any(node.get("deprecated") for node in item.values()):
            deprecated[path] = item  # the whole path item: its other operations are in two files
        live = {method: node for method, node in item.items() if not node.get("deprecated")}
        if live:
            (stable if path.startswith("/v1/") else experimental)[path] = live
    title = {"ogx": "OGX", "llama-stack": "Llama Stack"}[name]
    files = {}
    for kind, found in ((STABLE, stable), (EXPERIMENTAL, experimental), (DEPRECATED, deprecated)):
        document = {"openapi": "3.1.0", "info": {"title": f"{title} Specification", "version": "v1"},
                    "paths": found, "components": {"schemas": {"Error": {"type": "object"}}}}
        files[f"docs/static/{kind.format(name)}"] = yaml.safe_dump(document, sort_keys=False)
    return files


def code(folder: str, api: str, change: int = 0) -> dict[str, str]:
    """An API's code: enough similar lines that git pairs the file across a move with small edits."""
    lines = [f"# {api} routes", f"from {folder.replace('/', '.')} import common", ""]
    lines += [f"def route_{i}():\n    return {i + change}\n" for i in range(12)]
    return {f"{folder}/{api}/fastapi_routes.py": "\n".join(lines)}


@dataclass
class History:
    repo: Repo
    paths: dict[str, Json] = field(default_factory=start_surface)
    name: str = "llama-stack"
    folder: str = "src/llama_stack_api"
    shas: dict[str, str] = field(default_factory=dict)

    def commit(self, key: str, message: str, files: dict[str, str] | None = None) -> str:
        self.shas[key] = self.repo.commit(message, {**split(self.paths, self.name), **(files or {})})
        return self.shas[key]


def build(repo: Repo, config: str = CONFIG, until: str | None = None) -> History:
    """The history (see the module's docstring); `until` stops after that tag."""
    repo.config(config)
    history = History(repo)
    code_files = {k: v for api in ("inference", "tools", "connectors") for k, v in code(history.folder, api).items()}
    history.commit("init", "feat: the first API surface (#1)", code_files)
    for tag, step in _STEPS:
        step(history)
        repo.tag(tag)
        if tag == until:
            break
    return history


def _before_the_rename(history: History) -> None:
    history.commit("pre-rename", "fix: handle empty prompts (#2)", code(history.folder, "inference", 1))


def _deprecate_tools(history: History) -> None:
    for path, method in TOOLS:
        history.paths[path][method] = {**history.paths[path][method], "deprecated": True}
    history.paths["/v1/tools"]["get"]["x-sunset"] = SUNSET
    history.commit("deprecate", "feat(api)!: deprecate toolgroup and tool_runtime apis (#4249)\n\n"
                   "BREAKING CHANGE: the tools APIs are deprecated; use connectors.\n")


def _promote_connectors(history: History) -> None:
    for path in CONNECTORS:
        history.paths[path.replace("/v1alpha/", "/v1beta/")] = history.paths.pop(path)
    history.commit("promote", "feat: promote connector API from v1alpha to v1beta (#5129)",
                   code(history.folder, "connectors", 1))


def _rename(history: History) -> None:
    repo = history.repo
    for old, new in zip(OLD_SPECS, SPECS, strict=True):
        repo.git("mv", old, new)
    repo.git("mv", "src/llama_stack_api", "src/ogx_api")
    history.name, history.folder = "ogx", "src/ogx_api"
    history.commit("rename", "refactor: rename llama-stack to ogx (#6000)", code(history.folder, "inference", 1))
    history.commit("post-rename", "fix: stream chat completions (#6001)", code(history.folder, "inference", 2))
    models = history.paths["/v1/models"]["get"]
    models["parameters"] = [param("filter", required=True)]  # an undeclared break across the rename
    history.commit("filter", "feat: models take a filter (#6004)")


def _break_for_real(history: History) -> None:
    history.paths["/v1/chat/completions"] = {"put": history.paths["/v1/chat/completions"].pop("post")}
    history.commit("put", "feat: chat completions take PUT (#6002)")
    for path, _ in TOOLS:
        del history.paths[path]
    history.commit("drop-tools", "feat(tools)!: remove the deprecated tools APIs (#6003)\n\n"
                   "BREAKING CHANGE: use the connectors API.\n")


def _first_release(history: History) -> None:
    """v0.1.0 is the first commit."""


_STEPS = [("v0.1.0", _first_release), ("v0.1.1", _before_the_rename), ("v0.2.0", _deprecate_tools),
          ("v0.3.0", _promote_connectors), ("v0.4.0", _rename), ("v0.5.0", _break_for_real)]


def paths_copy(history: History) -> dict[str, Json]:
    return copy.deepcopy(history.paths)
