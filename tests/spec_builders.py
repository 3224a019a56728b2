"""Tiny OpenAPI documents for the spec tests, built as plain dicts."""

from __future__ import annotations

import copy
from typing import Any

Json = dict[str, Any]


# Keyword parameters typed Any: callers also pass `**{"x-stability-level": ...}`, which mypy would match
# against every named parameter.


def doc(paths: Json, schemas: Any = None, **extra: Any) -> Json:
    document: Json = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    document.update(extra)
    return document


def op(*, params: Any = None, body: Any = None, responses: Any = None, **extra: Any) -> Json:
    operation: Json = {"responses": responses or {"200": {"description": "OK"}}}
    if params is not None:
        operation["parameters"] = params
    if body is not None:
        operation["requestBody"] = body
    operation.update(extra)
    return operation


def param(name: str, location: str = "query", schema: Any = None, **extra: Any) -> Json:
    return {"name": name, "in": location, "schema": schema or {"type": "string"}, **extra}


def json_body(schema: Json, *, required: bool = False, media: str = "application/json") -> Json:
    return {"required": required, "content": {media: {"schema": schema}}}


def json_response(schema: Json, status: str = "200", **extra: Any) -> Json:
    return {status: {"description": "OK", "content": {"application/json": {"schema": schema}}, **extra}}


def obj(required: list[str] | None = None, **properties: Json) -> Json:
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def request_pair(before: Json, after: Json, method: str = "post") -> tuple[Json, Json]:
    """Two specs whose only operation differs in its JSON request body schema."""
    return (
        doc({"/pets": {method: op(body=json_body(before))}}),
        doc({"/pets": {method: op(body=json_body(after))}}),
    )


def response_pair(before: Json, after: Json) -> tuple[Json, Json]:
    return (
        doc({"/pets": {"get": op(responses=json_response(before))}}),
        doc({"/pets": {"get": op(responses=json_response(after))}}),
    )


def param_pair(before: Json, after: Json) -> tuple[Json, Json]:
    return doc({"/pets": {"get": op(params=[before])}}), doc({"/pets": {"get": op(params=[after])}})


def big_spec(paths: int = 150, schemas: int = 75) -> Json:
    """A spec of roughly 10,000 YAML lines: many operations sharing a web of component schemas."""
    components: Json = {}
    for index in range(schemas):
        properties: Json = {
            f"field{k}": {"type": "string", "maxLength": 64, "description": "x"} for k in range(12)
        }
        properties["count"] = {"type": "integer", "format": "int32", "minimum": 0}
        properties["state"] = {"type": "string", "enum": ["on", "off", "auto"]}
        properties["next"] = {"$ref": f"#/components/schemas/Model{(index + 1) % schemas}"}
        properties["tags"] = {"type": "array", "items": {"$ref": "#/components/schemas/Model0"}}
        components[f"Model{index}"] = {
            "type": "object",
            "required": ["field0", "count"],
            "properties": properties,
        }
    path_items: Json = {}
    for index in range(paths):
        ref = {"$ref": f"#/components/schemas/Model{index % schemas}"}
        path_items[f"/v1/things{index}/{{id}}"] = {
            "parameters": [param("id", "path", required=True)],
            "get": op(
                params=[param("limit", schema={"type": "integer", "maximum": 100})],
                responses=json_response(ref),
            ),
            "post": op(body=json_body(ref, required=True), responses=json_response(ref, "201")),
        }
    return doc(path_items, components)


def modified(spec: Json) -> Json:
    """A copy of `big_spec` with a handful of breaking and non-breaking edits."""
    revision = copy.deepcopy(spec)
    models = revision["components"]["schemas"]
    models["Model3"]["properties"].pop("field5")
    models["Model7"]["properties"]["count"]["type"] = "string"
    models["Model9"]["required"].append("field3")
    models["Model11"]["properties"]["state"]["enum"].append("eco")
    models["Model13"]["properties"]["field1"]["description"] = "changed"
    revision["paths"].pop("/v1/things5/{id}")
    return revision
