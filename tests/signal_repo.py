"""A history whose one commit rewrites a large spec: a generator switch, as on the real project (issue 15).

`v0.1.0` holds a spec of `OPERATIONS` operations, each with query parameters and response properties; the
next commit gives every `limit` a default, every `order` a maxLength, makes the response properties nullable
and adds a required response property (hundreds of findings of a few checks); a few ordinary commits around
it; `v0.1.1` is the Z-stream release that ships them all.
"""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import Repo
from tests.spec_builders import Json, doc, json_response, obj, op, param

SPEC = "api/openapi.yaml"
OPERATIONS = 240  # 120 paths × GET and POST

CONFIG = f"""
[tool.relmgr]
default-level = "v1"
repo-url = "https://github.com/acme/inference"

[tool.relmgr.openapi]
specs = ["{SPEC}"]

[tool.relmgr.apis.inference]
level = "v1"
scopes = ["inference", "openapi"]
routes = ["/v1/models/**", "/v1/chat/**"]

[tool.relmgr.apis.files]
level = "v1"
scopes = ["files"]
routes = ["/v1/files/**"]
"""


def _operation(generated: bool) -> Json:
    limit: dict[str, Any] = {"type": "integer"}
    order: dict[str, Any] = {"type": "string"}
    name: dict[str, Any] = {"type": "string"}
    created: dict[str, Any] = {"type": "integer"}
    properties: dict[str, Any] = {"id": {"type": "string"}, "name": name, "created": created}
    required = ["id"]
    if generated:
        limit["default"] = 20
        order["maxLength"] = 8
        name["nullable"] = True
        created["nullable"] = True
        properties["object"] = {"type": "string", "default": "model"}
        required.append("object")
    return op(params=[param("limit", schema=limit), param("order", schema=order)],
              responses=json_response(obj(required=required, **properties)))


def spec(generated: bool) -> str:
    paths: Json = {}
    for index in range(OPERATIONS // 2):
        family = ("models", "chat", "files")[index % 3]
        paths[f"/v1/{family}/item{index}"] = {"get": _operation(generated), "post": _operation(generated)}
    return yaml.safe_dump(doc(paths), sort_keys=False)


def generator_switch(repo: Repo) -> str:
    """Build the history; the sha of the generator switch."""
    repo.config(CONFIG)
    repo.commit("feat(inference): the first models API", {SPEC: spec(False)})
    repo.tag("v0.1.0")
    repo.commit("fix(files): close uploads on error", {"src/files.py": "x = 1\n"})
    sha = repo.commit("feat(openapi): switch generator (#4321)", {SPEC: spec(True)})
    repo.commit("docs: describe the models API", {"docs/models.md": "# models\n"})
    repo.tag("v0.1.1")
    return sha
