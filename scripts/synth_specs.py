"""Generated split OpenAPI specs for `scripts/synth_repo.py --spec-size SIZE --spec-files N`.

The surface imitates a project that generates its OpenAPI 3.1 specs from code and commits them with the
code (the real one: /work/shared/realworld/README.md, OGX): operations under `/v1/…`, `/v1beta/…` and
`/v1alpha/…` (the level is the first path segment), each API's resources with list, create, get, update and
delete operations, schemas with `oneOf` unions and discriminators, `const` tags, `allOf` wrappers, nullable
type lists (`type: [string, 'null']`) and `anyOf` with `null`, enums and arrays. N files split it:

* 1: one spec with everything (`deprecated: true` where deprecated);
* 2: a stable file (`/v1/`) and an experimental one (`/v1alpha/`, `/v1beta/`), deprecated operations in place;
* 3: as 2, deprecated operations in a third file only (deprecating moves an operation between files);
* 4: as 3, plus a combined file of every operation (the project's SDK spec).

Each file holds the schemas its operations reach. At the start every file is filled to about SIZE; then
the commits change it as a generator does, with a few small edits spread over the files: a feature adds an
operation or an optional property, a fix edits a description, adds an enum value or makes a field nullable,
a breaking change removes an operation or a property or makes a field required, now and then a fix removes
a response property without declaring it, an operation is deprecated (and moves to the deprecated file) or
promoted from `/v1alpha/` to `/v1beta/`, and graduating an API moves all its routes (`/v1beta/x` → `/v1/x`).

Everything is drawn from its own random generator, so the rest of the history (messages, files, SHAs of
everything but the specs and relmgr.toml) is the history without specs. Rendering is a custom YAML writer
over cached pieces: a commit re-renders only what it changed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STABLE, EXPERIMENTAL, DEPRECATED, COMBINED = "stable", "experimental", "deprecated", "combined"
FILES: dict[str, str] = {
    STABLE: "docs/static/synth-spec.yaml",
    EXPERIMENTAL: "docs/static/experimental-synth-spec.yaml",
    DEPRECATED: "docs/static/deprecated-synth-spec.yaml",
    COMBINED: "docs/static/stainless-synth-spec.yaml",
}
LAYOUTS: dict[int, tuple[str, ...]] = {
    1: (COMBINED,), 2: (STABLE, EXPERIMENTAL), 3: (STABLE, EXPERIMENTAL, DEPRECATED),
    4: (STABLE, EXPERIMENTAL, DEPRECATED, COMBINED),
}
TITLES = {STABLE: "Stable APIs", EXPERIMENTAL: "Experimental APIs", DEPRECATED: "Deprecated APIs",
          COMBINED: "All APIs"}
ACTIONS = {"list": "get", "create": "post", "get": "get", "update": "post", "delete": "delete"}
ITEM_ACTIONS = ("get", "update", "delete")
WORDS = ("batch", "chunk", "vector", "store", "session", "turn", "model", "shield", "dataset", "row", "job",
         "run", "score", "trace", "span", "tool", "group", "prompt", "file", "part", "eval", "grader",
         "message", "item", "policy", "route", "provider", "quota", "alias", "snapshot")
FIELD_WORDS = ("name", "status", "kind", "label", "source", "target", "limit", "offset", "format", "region",
               "priority", "owner", "checksum", "reason", "detail", "summary", "mode", "scope", "version",
               "timeout", "retries", "language", "encoding", "threshold", "window", "budget", "seed")
PHRASES = ("The identifier of the resource.", "Set by the server when the object is created.",
           "Optional; the provider's default applies when absent.", "Only returned when requested.",
           "Unix timestamp (seconds) of when the object was created.", "Free-form labels for filtering.",
           "One of the values listed; others are rejected with 400.", "Deprecated providers ignore it.",
           "Paginate with `after` and `limit`.", "Streaming responses send it in the last chunk.")
SAFE = re.compile(r"[A-Za-z_/][A-Za-z0-9 _./{}()-]*[A-Za-z0-9_./})-]|[A-Za-z_]")
NUMBERISH = re.compile(r"[-+.]?[0-9][0-9_.eE+-]*")
KEYWORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"})
Node = Any  # dict / list / str / int / bool / None


# ------------------------------------------------------------------------------------------- YAML writer


def scalar(value: Node) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if SAFE.fullmatch(text) and text.lower() not in KEYWORDS and not NUMBERISH.fullmatch(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def write(node: Node, indent: int, out: list[str]) -> None:
    """Block-style YAML of a mapping or sequence (PyYAML's layout: a sequence at its key's indent)."""
    pad = " " * indent
    if isinstance(node, dict):
        for key, value in node.items():
            head = f"{pad}{scalar(key)}:"
            if isinstance(value, dict) and value:
                out.append(head)
                write(value, indent + 2, out)
            elif isinstance(value, list) and value:
                out.append(head)
                write(value, indent, out)
            else:
                _value(head, value, indent + 2, out)
        return
    for item in node:
        if isinstance(item, dict | list) and item:
            inner: list[str] = []
            write(item, indent + 2, inner)
            out.append(f"{pad}- {inner[0][indent + 2:]}")
            out.extend(inner[1:])
        else:
            _value(f"{pad}-", item, indent + 2, out)


def _value(head: str, value: Node, indent: int, out: list[str]) -> None:
    if isinstance(value, dict | list):
        out.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")
    elif isinstance(value, str) and "\n" in value:
        out.append(f"{head} |-")
        out.extend(" " * indent + line if line else "" for line in value.split("\n"))
    else:
        out.append(f"{head} {scalar(value)}")


def to_yaml(node: Node, indent: int = 0) -> str:
    out: list[str] = []
    write(node, indent, out)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------- the surface


@dataclass(slots=True)
class Op:
    api: str
    level: str
    resource: str
    action: str
    summary: str
    description: str
    deprecated: bool = False
    base: str = ""  # the resource's schema name

    def __post_init__(self) -> None:
        self.base = camel(self.api, self.resource)

    @property
    def path(self) -> str:
        base = f"/{self.level}/{self.api.replace('_', '-')}/{self.resource}"
        return base + "/{" + f"{self.resource.replace('-', '_')}_id" + "}" if self.action in ITEM_ACTIONS else base

    @property
    def wants(self) -> tuple[str, ...]:
        """The schemas the operation names itself."""
        if self.action == "list":
            return self.base, f"{self.base}ListResponse"
        return (self.base, f"{self.base}Request") if self.action in ("create", "update") else (self.base,)

    @property
    def method(self) -> str:
        return ACTIONS[self.action]

    @property
    def op_id(self) -> str:
        return f"{self.action}_{self.level}_{self.api}_{self.resource.replace('-', '_')}"


def camel(*parts: str) -> str:
    return "".join(p[:1].upper() + p[1:] for part in parts for p in re.split(r"[-_]", part) if p)


@dataclass
class Surface:
    """The operations and schemas of a project's API, rendered as N spec files; edits mark what to redo."""

    rng: random.Random
    layout: tuple[str, ...]
    ops: list[Op] = field(default_factory=list)
    schemas: dict[str, dict[str, Node]] = field(default_factory=dict)
    serial: int = 0
    _op_text: dict[int, str] = field(default_factory=dict)  # id(op) → rendered operation
    _schema_text: dict[str, str] = field(default_factory=dict)
    _refs: dict[str, frozenset[str]] = field(default_factory=dict)
    rendered: dict[str, bytes] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)  # the files to render again
    _holders: dict[str, set[str]] = field(default_factory=dict)  # schema → the files that hold it

    # -- building blocks

    def new_resource(self, api: str, level: str, *, deprecated: bool = False) -> None:
        """A resource of `api`: its schemas (object, content union, list, requests) and 2-5 operations."""
        self.serial += 1
        word = self.rng.choice(WORDS)
        plural = word + ("es" if word.endswith(("s", "ch", "sh", "x")) else "s")
        resource = f"{plural}-{self.serial}" if not deprecated else f"legacy-{plural}-{self.serial}"
        base = camel(api, resource)
        self.schemas.update(self._resource_schemas(api, base))
        actions = ["list", "create", *self.rng.sample(ITEM_ACTIONS, self.rng.randint(0, 3))]
        for action in actions:
            noun = word if action in ITEM_ACTIONS else plural
            op = Op(api, level, resource, action, f"{action.title()} {noun}",
                    f"{action.title()} {noun} of the {api} API.\n\n{self.rng.choice(PHRASES)}", deprecated)
            self.ops.append(op)
            self.dirty.update(self.file_of(op))

    def _resource_schemas(self, api: str, base: str) -> dict[str, dict[str, Node]]:
        rng = self.rng
        ref = "#/components/schemas/"
        text, image = f"{base}TextContent", f"{base}ImageContent"
        fields = {f: self._field() for f in rng.sample(FIELD_WORDS, rng.randint(4, 10))}
        obj: dict[str, Node] = {
            "properties": {
                "id": {"type": "string", "title": "Id", "description": PHRASES[0]},
                "object": {"type": "string", "const": base.lower(), "title": "Object", "default": base.lower()},
                "created_at": {"type": "integer", "title": "Created At", "description": PHRASES[4]},
                "content": {"oneOf": [{"$ref": ref + text}, {"$ref": ref + image}], "title": "Content",
                            "discriminator": {"propertyName": "type",
                                              "mapping": {"image": ref + image, "text": ref + text}}},
                "metadata": {"anyOf": [{"additionalProperties": {"type": "string"}, "type": "object"},
                                       {"type": "null"}], "title": "Metadata", "description": PHRASES[5]},
                "settings": {"allOf": [{"$ref": ref + camel(api, "settings")}], "description": PHRASES[2]},
                **fields,
            },
            "type": "object", "required": ["id", "object", "created_at"], "title": base,
            "description": f"A {base} of the {api} API.",
        }
        request_fields = {f: self._field() for f in rng.sample(FIELD_WORDS, rng.randint(3, 8))}
        return {
            base: obj,
            text: {"properties": {"type": {"type": "string", "const": "text", "title": "Type", "default": "text"},
                                  "text": {"type": "string", "title": "Text"}},
                   "type": "object", "required": ["text"], "title": text},
            image: {"properties": {"type": {"type": "string", "const": "image", "title": "Type", "default": "image"},
                                   "url": {"type": "string", "format": "uri", "title": "Url"},
                                   "detail": {"type": "string", "enum": ["auto", "high", "low"], "title": "Detail"}},
                    "type": "object", "required": ["url"], "title": image},
            f"{base}ListResponse": {
                "properties": {"data": {"items": {"$ref": ref + base}, "type": "array", "title": "Data"},
                               "has_more": {"type": "boolean", "title": "Has More", "default": False},
                               "last_id": {"type": ["string", "null"], "title": "Last Id"}},
                "type": "object", "required": ["data"], "title": f"{base}ListResponse"},
            f"{base}Request": {"properties": request_fields, "type": "object",
                               "required": sorted(rng.sample(list(request_fields), 1)), "title": f"{base}Request",
                               "description": f"Request body to create or update a {base}."},
            camel(api, "settings"): {
                "properties": {"timeout": {"type": "integer", "title": "Timeout", "default": 30},
                               "provider_id": {"type": ["string", "null"], "title": "Provider Id"}},
                "type": "object", "title": camel(api, "settings")},
        }

    def _field(self) -> dict[str, Node]:
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            found: dict[str, Node] = {"type": "string"}
        elif kind < 0.5:
            found = {"type": ["string", "null"]}
        elif kind < 0.62:
            found = {"type": "integer", "minimum": 0}
        elif kind < 0.72:
            found = {"type": "string", "enum": sorted(rng.sample(("auto", "fast", "full", "none", "safe", "slow"), 3))}
        elif kind < 0.82:
            found = {"items": {"type": "string"}, "type": "array"}
        elif kind < 0.9:
            found = {"anyOf": [{"type": "number"}, {"type": "null"}]}
        else:
            found = {"type": "boolean", "default": False}
        found["description"] = rng.choice(PHRASES)
        return found

    # -- rendering

    def file_of(self, op: Op) -> list[str]:
        files = [COMBINED] if COMBINED in self.layout else []
        if op.deprecated and DEPRECATED in self.layout:
            files.append(DEPRECATED)
        elif STABLE in self.layout:
            files.append(STABLE if op.level == "v1" else EXPERIMENTAL)
        return files

    def _render_op(self, op: Op) -> str:
        key = id(op)
        if key not in self._op_text:
            base = op.base
            ref = "#/components/schemas/"
            body: dict[str, Node] = {"responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {
                    "$ref": ref + (f"{base}ListResponse" if op.action == "list" else base)}}}},
                "400": {"$ref": "#/components/responses/BadRequest400", "description": "Bad Request"},
                "429": {"$ref": "#/components/responses/TooManyRequests429", "description": "Too Many Requests"},
                "500": {"$ref": "#/components/responses/InternalServerError500",
                        "description": "Internal Server Error"},
                "default": {"$ref": "#/components/responses/DefaultError", "description": "Default Response"}}}
            body["tags"] = [camel(op.api)]
            body["summary"] = op.summary
            body["description"] = op.description
            body["operationId"] = op.op_id
            if op.action in ITEM_ACTIONS:
                body["parameters"] = [{"name": f"{op.resource.replace('-', '_')}_id", "in": "path", "required": True,
                                       "schema": {"type": "string"}, "description": "The resource's id."}]
            elif op.action == "list":
                body["parameters"] = [{"name": "limit", "in": "query", "required": False,
                                       "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 20}},
                                      {"name": "after", "in": "query", "required": False,
                                       "schema": {"type": ["string", "null"]}}]
            if op.action in ("create", "update"):
                body["requestBody"] = {"content": {"application/json": {"schema": {"$ref": f"{ref}{base}Request"}}},
                                       "required": True}
            if op.deprecated:
                body["deprecated"] = True
            self._op_text[key] = to_yaml({op.method: body}, 4)
        return self._op_text[key]

    def _schema(self, name: str) -> str:
        if name not in self._schema_text:
            self._schema_text[name] = to_yaml({name: self.schemas[name]}, 4)
            self._refs[name] = frozenset(re.findall(r"#/components/schemas/([A-Za-z0-9]+)", self._schema_text[name]))
        return self._schema_text[name]

    def touched(self, *names: str) -> None:
        """Schemas edited: the files that hold them are rendered again."""
        for name in names:
            self._schema_text.pop(name, None)
            self.dirty.update(self._holders.get(name, ()))

    def changing(self, op: Op) -> None:
        """Call before and after editing an operation: its files (before and after a move) change."""
        self._op_text.pop(id(op), None)
        self.dirty.update(self.file_of(op))

    def remove(self, op: Op) -> None:
        self.changing(op)
        self.ops.remove(op)

    def render(self) -> dict[str, bytes]:
        """The text of every file rendered again (the dirty ones); `rendered` keeps them all."""
        kinds = [kind for kind in self.layout if kind in self.dirty or FILES[kind] not in self.rendered]
        self.dirty.clear()
        if not kinds:
            return {}
        by_file: dict[str, dict[str, list[Op]]] = {kind: {} for kind in kinds}
        for op in self.ops:
            for kind in self.file_of(op):
                if kind in by_file:
                    by_file[kind].setdefault(op.path, []).append(op)
        found = {FILES[kind]: self._file(kind, paths).encode() for kind, paths in by_file.items()}
        self.rendered.update(found)
        return found

    def _file(self, kind: str, paths: dict[str, list[Op]]) -> str:
        parts = [HEADS[kind], "paths:\n"]
        wanted: list[str] = []
        order = {"get": 0, "post": 1, "delete": 2}
        for path in sorted(paths):
            parts.append(f"  {scalar(path)}:\n")
            for op in sorted(paths[path], key=lambda o: order[o.method]):
                parts.append(self._render_op(op))
                wanted.extend(op.wants)
        parts.append("components:\n  schemas:\n")
        wanted.append("ErrorResponse")  # every file's error responses name it
        seen: set[str] = set()
        while wanted:
            name = wanted.pop()
            if name in seen or name not in self.schemas:
                continue
            seen.add(name)
            self._schema(name)
            wanted.extend(self._refs[name])
        for holders in self._holders.values():
            holders.discard(kind)
        for name in seen:
            self._holders.setdefault(name, set()).add(kind)
        parts += [self._schema_text[name] for name in sorted(seen)]
        parts.append(RESPONSES)
        return "".join(parts)


HEADS = {kind: to_yaml({"openapi": "3.1.0", "info": {
    "title": f"Synth Stack Specification - {title}",
    "description": f"This is the specification of the Synth Stack: generated from the code, do not edit.\n\n"
                   f"{title} of the stack.", "version": "v1"},
    "servers": [{"url": "http://any-hosted-synth-stack.com"}]}) for kind, title in TITLES.items()}
RESPONSES = to_yaml({"responses": {
    name: {"description": text, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/ErrorResponse"}}}}
    for name, text in (("BadRequest400", "The request was invalid or malformed"),
                       ("TooManyRequests429", "The client has sent too many requests in a given amount of time"),
                       ("InternalServerError500", "The server encountered an unexpected error"),
                       ("DefaultError", "An unexpected error occurred"))}}, 2)
ERROR = {"properties": {"status": {"type": "integer", "title": "Status"}, "title": {"type": "string", "title": "Title"},
                        "detail": {"type": "string", "title": "Detail"}},
         "type": "object", "required": ["status", "title", "detail"], "title": "ErrorResponse"}


# ------------------------------------------------------------------------------------------- the history


class SpecHistory:
    """The specs as the history goes: filled to `size` bytes per file at the start, then edited by commits."""

    def __init__(self, seed: int, apis: Sequence[str], levels: dict[str, str], size: int, files: int) -> None:
        self.surface = Surface(random.Random(seed * 7919 + 2), LAYOUTS[files])
        self.surface.schemas["ErrorResponse"] = ERROR
        self.rng = self.surface.rng
        self.apis = list(apis)
        self.levels = dict(levels)
        self.stats = {"spec_commits": 0, "moves": 0, "deprecations": 0, "undeclared": 0}
        self.size = size
        self._fill(size)

    def _fill(self, size: int) -> None:
        surface, rng = self.surface, self.rng
        for kind in surface.layout:
            while True:
                surface.dirty.add(kind)
                surface.render()
                current = surface.rendered[FILES[kind]]
                if len(current) >= size:
                    break
                for _ in range(max(1, (size - len(current)) // 12_000)):  # ~12 KB a resource and its schemas
                    if kind == DEPRECATED:
                        api = rng.choice([a for a in self.apis if self.levels[a] == "v1"] or self.apis)
                        surface.new_resource(api, self.levels[api], deprecated=True)
                    else:
                        pool = [a for a in self.apis if (self.levels[a] == "v1") == (kind != EXPERIMENTAL)]
                        api = rng.choice(pool or self.apis)
                        surface.new_resource(api, self.levels[api], deprecated=kind == DEPRECATED)
        surface.dirty.update(surface.layout)
        surface.render()

    def files(self) -> list[tuple[str, bytes]]:
        """The first commit's spec files."""
        return sorted(self.surface.rendered.items())

    def commit(self, kind: str | None, api: str | None, breaking: bool, deprecates: bool) -> list[tuple[str, bytes]]:
        """The spec files a commit changes (path, new text), usually none; edits drawn from the commit's kind."""
        rng = self.rng
        chance = {"feat": 0.75, "fix": 0.45, "refactor": 0.4, "perf": 0.4}.get(kind or "", 0.0) if api else 0.0
        if kind == "chore" and rng.random() < 0.02:
            self._generator_switch()
        elif rng.random() >= chance:
            return []
        elif api is not None:
            self._edit(kind or "fix", api, breaking, deprecates)
        return self._changed()

    def move(self, api: str, level: str) -> list[tuple[str, bytes]]:
        """An API graduates: all its routes move to the new level's prefix (and maybe to another file)."""
        for op in self.surface.ops:
            if op.api == api and not op.deprecated:
                self.surface.changing(op)
                op.level = level
                self.surface.changing(op)
        self.levels[api] = level
        self.stats["moves"] += 1
        return self._changed()

    # -- edits

    def _edit(self, kind: str, api: str, breaking: bool, deprecates: bool) -> None:
        rng, surface = self.rng, self.surface
        ops = [op for op in surface.ops if op.api == api and not op.deprecated]
        names = sorted({op.base for op in ops})
        if breaking and ops:
            self._break(api, ops, names)
        elif kind == "feat":
            if not names or (rng.random() < 0.15 and not self._full(api)):
                surface.new_resource(api, self.levels[api])
            else:
                self._add_property(rng.choice(names))
            if self.levels[api] == "v1alpha" and ops and rng.random() < 0.04:
                self._promote(rng.choice(ops))
        elif names:
            pick = rng.random()
            if pick < 0.45:
                self._describe(rng.choice(ops))
            elif pick < 0.65:
                self._enum_value(rng.choice(names))
            elif pick < 0.85:
                self._nullable(rng.choice(names))
            elif kind == "fix" and rng.random() < 0.15:
                self._remove_property(rng.choice(names))  # a break nobody declared
                self.stats["undeclared"] += 1
            else:
                self._describe(rng.choice(ops))
        if ops and (deprecates or (self.levels[api] == "v1" and rng.random() < 0.02)):
            self._deprecate(rng.choice(ops))
        for _ in range(rng.randint(1, 4)):  # the generator's noise, spread over the files
            self._noise()

    def _full(self, api: str) -> bool:
        """Whether the file a new resource of `api` would go to is already past its size (+10 %)."""
        kind = STABLE if self.levels[api] == "v1" else EXPERIMENTAL
        if kind not in self.surface.layout:
            kind = COMBINED
        return len(self.surface.rendered.get(FILES[kind], b"")) > self.size * 1.1

    def _break(self, api: str, ops: list[Op], names: list[str]) -> None:
        rng = self.rng
        retired = [op for op in self.surface.ops if op.api == api and op.deprecated]
        pick = rng.random()
        if retired and pick < 0.3:
            self.surface.remove(rng.choice(retired))  # a deprecated route finally removed
        elif pick < 0.5:
            self.surface.remove(rng.choice(ops))
        elif pick < 0.7:
            self._remove_property(rng.choice(names))
        else:
            request = f"{rng.choice(names)}Request"
            schema = self.surface.schemas.get(request)
            if schema:
                optional = [p for p in schema["properties"] if p not in schema["required"]]
                if optional:
                    schema["required"] = sorted({*schema["required"], rng.choice(optional)})
                    self.surface.touched(request)

    def _add_property(self, name: str) -> None:
        schema = self.surface.schemas[name]
        self.surface.serial += 1
        schema["properties"][f"{self.rng.choice(FIELD_WORDS)}_{self.surface.serial}"] = self.surface._field()
        self.surface.touched(name)

    def _remove_property(self, name: str) -> None:
        schema = self.surface.schemas[name]
        removable = [p for p in schema["properties"] if p not in ("id", "object", "created_at", "content")]
        if removable:
            gone = self.rng.choice(removable)
            del schema["properties"][gone]
            schema["required"] = [p for p in schema["required"] if p != gone]
            self.surface.touched(name)

    def _enum_value(self, name: str) -> None:
        schema = self.surface.schemas[name]
        for prop in schema["properties"].values():
            if "enum" in prop:
                self.surface.serial += 1
                prop["enum"] = [*prop["enum"], f"mode_{self.surface.serial}"]
                self.surface.touched(name)
                return
        self._nullable(name)

    def _nullable(self, name: str) -> None:
        schema = self.surface.schemas[name]
        for prop in schema["properties"].values():
            if prop.get("type") == "string" and "const" not in prop and "format" not in prop:
                prop["type"] = ["string", "null"]
                self.surface.touched(name)
                return

    def _describe(self, op: Op) -> None:
        op.description = f"{op.summary} of the {op.api} API.\n\n{self.rng.choice(PHRASES)}"
        self.surface.changing(op)

    def _noise(self) -> None:
        """A description the generator rewords: anywhere in the surface, so in any file."""
        surface = self.surface
        name = self.rng.choice(sorted(surface.schemas))
        props = surface.schemas[name]["properties"]
        prop = props[self.rng.choice(sorted(props))]
        prop["description"] = self.rng.choice(PHRASES)
        surface.touched(name)

    def _deprecate(self, op: Op) -> None:
        self.surface.changing(op)
        op.deprecated = True
        op.description += "\n\nDeprecated: use the newer operation instead."
        self.surface.changing(op)
        self.stats["deprecations"] += 1

    def _promote(self, op: Op) -> None:
        """One operation graduates from /v1alpha/ to /v1beta/ ahead of its API."""
        self.surface.changing(op)
        op.level = "v1beta"
        self.surface.changing(op)
        self.stats["moves"] += 1

    def _generator_switch(self) -> None:
        """A new generator version rewrites hundreds of schemas at once (titles, here)."""
        for name, schema in self.surface.schemas.items():
            if self.rng.random() < 0.5:
                schema["title"] = name if schema.get("title") != name else camel(name, "model")
                self.surface.touched(name)

    def _changed(self) -> list[tuple[str, bytes]]:
        before = dict(self.surface.rendered)
        changed = sorted((path, text) for path, text in self.surface.render().items() if before.get(path) != text)
        if changed:
            self.stats["spec_commits"] += 1
        return changed


def routes_toml(api: str) -> str:
    """The `routes` of an API in relmgr.toml: its paths at every level."""
    name = api.replace("_", "-")
    return "routes = [" + ", ".join(f'"/{level}/{name}"' for level in ("v1", "v1beta", "v1alpha")) + "]"


def openapi_toml(files: int) -> str:
    specs = ", ".join(f'"{FILES[kind]}"' for kind in LAYOUTS[files])
    return f'\n[tool.relmgr.openapi]\nspecs = [{specs}]\nlevels-from = "path"\n'


def parse_size(text: str) -> int:
    """`0.5MB`, `500KB`, `500000` as bytes (MB = 10⁶ bytes, as `ls -l` people read it; MiB = 2²⁰)."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(b|kb|kib|mb|mib)?\s*", text.lower())
    if not match:
        raise ValueError(f"not a size: {text!r} (write 0.5MB, 500KB or 500000)")
    units = {None: 1, "b": 1, "kb": 10**3, "kib": 2**10, "mb": 10**6, "mib": 2**20}
    return int(float(match[1]) * units[match[2]])
