#!/usr/bin/env python3
"""Time `diff_specs` on a generated OpenAPI 3.1 spec pair of about 0.5 MB (JSON), once both are loaded.

Usage::

    python scripts/spec_perf.py [--size-kb 500] [--runs 5] [--seed 7]

The spec looks like what Pydantic/FastAPI generates: component models with nullable type lists,
`const` tags, `oneOf` unions with a discriminator, `allOf` bases, enums, bounds, arrays of refs and
3.1 keywords; operations with parameters, request bodies and several responses. The revision makes a
few dozen edits of every kind (breaking and not). It prints the sizes, the number of changes found and
the best and median diff time.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
Json = dict[str, Any]


def model(rng: random.Random, index: int, count: int) -> Json:
    """One component schema: scalar fields, a nullable one, an enum, a ref or two, maybe an allOf base."""
    props: Json = {}
    for k in range(rng.randint(6, 14)):
        kind = rng.choice(["string", "integer", "number", "boolean", "date", "array"])
        if kind == "date":
            props[f"field_{k}"] = {"type": "string", "format": "date-time", "title": f"Field {k}"}
        elif kind == "array":
            props[f"field_{k}"] = {"type": "array", "items": {"type": "string", "maxLength": 64}, "maxItems": 50}
        else:
            props[f"field_{k}"] = {"type": kind, "title": f"Field {k}", "description": "generated field " * 3}
    props["note"] = {"anyOf": [{"type": "string", "maxLength": 500}, {"type": "null"}], "default": None}
    props["state"] = {"type": "string", "enum": ["queued", "running", "done", "failed"]}
    props["kind"] = {"const": f"model{index}", "type": "string"}
    props["owner"] = {"$ref": f"#/components/schemas/Model{rng.randrange(count)}"}
    props["items"] = {"type": "array", "items": {"$ref": f"#/components/schemas/Model{rng.randrange(count)}"}}
    schema: Json = {"type": "object", "title": f"Model{index}", "properties": props,
                    "required": ["kind", "state", *rng.sample(sorted(props)[:5], 2)]}
    if index % 5 == 0:
        return {"allOf": [{"$ref": "#/components/schemas/Base"}, schema]}
    return schema


def union(index: int) -> Json:
    names = [f"Model{index}", f"Model{index + 1}", f"Model{index + 2}"]
    mapping = {f"model{index + i}": f"#/components/schemas/{n}" for i, n in enumerate(names)}
    return {"oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in names],
            "discriminator": {"propertyName": "kind", "mapping": mapping}}


def spec(rng: random.Random, size: int) -> Json:
    """A spec whose JSON is about `size` bytes."""
    components: Json = {"Base": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"},
                                                                  "created": {"type": "string",
                                                                              "format": "date-time"}},
                                 "required": ["id"]}}
    paths: Json = {}
    count = 0
    while len(json.dumps({"paths": paths, "components": components})) < size:
        for index in range(count, count + 10):
            components[f"Model{index}"] = model(rng, index, count + 10)
        components[f"Union{count}"] = union(count)
        for index in range(count, count + 10, 3):
            ref = {"$ref": f"#/components/schemas/Model{index}"}
            params = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]
            responses = {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}},
                         "404": {"description": "missing"},
                         "422": {"description": "invalid", "content": {"application/json": {"schema": ref}}}}
            body = {"required": True, "content": {"application/json": {"schema": {
                "$ref": f"#/components/schemas/Union{count}"}}}}
            paths[f"/v1/things{index}/{{id}}"] = {
                "get": {"operationId": f"get{index}", "tags": ["things"], "parameters": params,
                        "responses": responses},
                "put": {"operationId": f"put{index}", "parameters": params[:1], "requestBody": body,
                        "responses": responses},
            }
        count += 10
    return {"openapi": "3.1.0", "info": {"title": "perf", "version": "1"}, "paths": paths,
            "components": {"schemas": components}}


def revise(base: Json, rng: random.Random) -> Json:
    """A copy with edits of many kinds: removed and retyped fields, tightened bounds, enum values, unions."""
    revision = copy.deepcopy(base)
    models = revision["components"]["schemas"]
    names = sorted(name for name in models if name.startswith("Model"))
    for name in rng.sample(names, 40):
        target = models[name].get("allOf", [None, models[name]])[1]
        props = target["properties"]
        field = rng.choice(sorted(k for k in props if k.startswith("field_")))
        edit = rng.randrange(5)
        if edit == 0:
            del props[field]
        elif edit == 1:
            props[field] = {"type": "integer"}
        elif edit == 2:
            props["state"]["enum"] = [*props["state"]["enum"], "paused"]
        elif edit == 3:
            target["required"] = [*target["required"], field]
        else:
            props["note"] = {"type": ["string", "null"], "maxLength": 200}
    for path in rng.sample(sorted(revision["paths"]), 5):
        revision["paths"][path]["get"]["parameters"][1]["schema"]["maximum"] = 50
    del revision["paths"][sorted(revision["paths"])[0]]
    return revision


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from relmgr.spec import diff_specs, load_spec

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-kb", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = spec(rng, args.size_kb * 1000)
    texts = [json.dumps(base), json.dumps(revise(base, rng))]
    started = time.perf_counter()
    before, after = (load_spec(text, f"side{i}") for i, text in enumerate(texts))
    loaded = time.perf_counter() - started
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        changes = diff_specs(before, after)
        timings.append(time.perf_counter() - started)
    print(f"spec pair: {len(texts[0]) / 1e6:.2f} MB + {len(texts[1]) / 1e6:.2f} MB JSON, "
          f"{len(base['paths'])} paths, {len(base['components']['schemas'])} schemas; loaded in {loaded:.3f} s")
    print(f"diff_specs: {len(changes)} changes; best {min(timings):.3f} s, median {statistics.median(timings):.3f} s "
          f"over {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
