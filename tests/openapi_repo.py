"""OpenAPI specs as YAML text for repository scenarios: a few routes, edited one way or another."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tests.spec_builders import Json, doc, op, param

SPEC = "docs/api.yaml"

CONFIG = f"""
[tool.relmgr]
default-level = "v1"

[tool.relmgr.openapi]
specs = ["{SPEC}"]

[tool.relmgr.apis.files]
level = "v1"
scopes = ["files"]
routes = ["/v1/files/**"]

[tool.relmgr.apis.batches]
level = "v1alpha"
scopes = ["batches"]
routes = ["/v1/batches", "/v1/batches/**"]
"""

NOTE = "\n\nBREAKING CHANGE: clients must migrate\n"


def routes() -> Json:
    """The starting paths: files (v1 by its API) and batches (v1alpha by its API), plus an unmapped one."""
    return {
        "/v1/files/{id}": {"get": op(params=[param("id", "path", required=True)]),
                           "delete": op(params=[param("id", "path", required=True)])},
        "/v1/batches/{id}": {"get": op(params=[param("id", "path", required=True)]),
                             "delete": op(params=[param("id", "path", required=True)])},
        "/health": {"get": op()},
    }


def dump(paths: Json) -> str:
    return yaml.safe_dump(doc(paths), sort_keys=False)


def edit(paths: Json, **changes: Any) -> Json:
    """A copy of `paths` with operations removed (`drop=[(path, method)]`), deprecated (`deprecate=[…]`),
    given a required query parameter (`require=[…]`), an optional one (`optional=[…]`, removed again with
    `unoptional=[…]`) or a marker (`mark={(path, method): "alpha"}`)."""
    result = copy.deepcopy(paths)
    for path, method in changes.get("drop", ()):
        del result[path][method]
        if not result[path]:
            del result[path]
    for path, method in changes.get("deprecate", ()):
        result[path][method]["deprecated"] = True
    for path, method in changes.get("require", ()):
        result[path][method].setdefault("parameters", []).append(param("mode", required=True))
    for path, method in changes.get("optional", ()):
        result[path][method].setdefault("parameters", []).append(param("verbose"))
    for path, method in changes.get("unoptional", ()):
        node = result[path][method]
        node["parameters"] = [p for p in node["parameters"] if p["name"] != "verbose"]
    for (path, method), level in changes.get("mark", {}).items():
        result[path][method]["x-stability-level"] = level
    return result
