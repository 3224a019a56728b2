"""A read-only view of one OpenAPI document: paths, operations, parameters, bodies and responses.

It hides the shapes that mean the same thing: `$ref`s, path-level parameters, Swagger 2.0's body
parameters and response schemas, YAML's integer status codes, `content: null` typos.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from relmgr.spec.resolve import Resolver

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{([^}/]*)\}")
_EMPTY: Mapping[str, Any] = {}
# Swagger 2.0 keeps a non-body parameter's schema keywords on the parameter itself.
_SCHEMA_KEYS = frozenset(
    {
        "type",
        "format",
        "enum",
        "items",
        "default",
        "pattern",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "uniqueItems",
        "nullable",
    }
)


def mapping(value: Any) -> Mapping[str, Any]:
    """`value` if it is a mapping, else an empty one (absent or mistyped sections mean nothing)."""
    return value if isinstance(value, Mapping) else _EMPTY


def normalize_path(path: str) -> str:
    """`/pets/{petId}` -> `/pets/{}`: a renamed path parameter is the same path."""
    return _TEMPLATE.sub("{}", path)


@dataclass(frozen=True, slots=True)
class Parameter:
    """One effective parameter of an operation (operation-level ones override path-level ones)."""

    node: Mapping[str, Any]
    location: str
    name: str
    from_path_item: bool

    @property
    def required(self) -> bool:
        return self.location == "path" or self.node.get("required") is True

    @property
    def deprecated(self) -> bool:
        return self.node.get("deprecated") is True

    def describe(self) -> str:
        return f"{'required' if self.required else 'optional'} {self.location} parameter '{self.name}'"


class SpecView:
    """Accessors over one document; every returned node is dereferenced."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.resolver = Resolver(document)
        self.swagger2 = "openapi" not in document and str(document.get("swagger", "")) == "2.0"
        self.paths: dict[str, Mapping[str, Any]] = {
            str(path): mapping(self.resolver.value(item))
            for path, item in mapping(document.get("paths")).items()
        }

    def operations(self, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        item = self.paths.get(path, _EMPTY)
        for method in METHODS:
            operation = self.resolver.value(item.get(method))
            if isinstance(operation, Mapping):
                yield method, operation

    def parameters(self, path: str, operation: Mapping[str, Any]) -> dict[tuple[str, str], Parameter]:
        """Effective parameters keyed by location and name; path parameters by their template position."""
        template = _TEMPLATE.findall(path)
        found: dict[tuple[str, str], Parameter] = {}
        for nodes, from_item in (
            (self.paths.get(path, _EMPTY).get("parameters"), True),
            (operation.get("parameters"), False),
        ):
            for raw in nodes if isinstance(nodes, list) else []:
                node = self.resolver.value(raw)
                if not isinstance(node, Mapping) or node.get("in") in (None, "body"):
                    continue
                location, name = str(node.get("in")), str(node.get("name", ""))
                found[_parameter_key(location, name, template)] = Parameter(node, location, name, from_item)
        return found

    def parameter_schema(self, parameter: Parameter) -> Any:
        node = parameter.node
        if "schema" in node:
            return node["schema"]
        for media in mapping(node.get("content")).values():
            return mapping(media).get("schema")
        return {key: value for key, value in node.items() if key in _SCHEMA_KEYS}

    def request_body(self, operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
        if "requestBody" in operation:
            body = self.resolver.value(operation["requestBody"])
            return body if isinstance(body, Mapping) else None
        if not self.swagger2:
            return None
        for raw in operation.get("parameters") or []:
            node = self.resolver.value(raw)
            if isinstance(node, Mapping) and node.get("in") == "body":
                media = {"schema": node.get("schema")}
                return {
                    "required": node.get("required") is True,
                    "content": dict.fromkeys(self._media_types(operation, "consumes"), media),
                }
        return None

    def content(self, holder: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        """Media type -> media type object of a request body or response."""
        return {
            str(media_type): mapping(self.resolver.value(media))
            for media_type, media in mapping(holder.get("content")).items()
        }

    def responses(self, operation: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        found: dict[str, Mapping[str, Any]] = {}
        for status, raw in mapping(operation.get("responses")).items():
            response = mapping(self.resolver.value(raw))
            if self.swagger2 and "schema" in response and "content" not in response:
                media = {"schema": response["schema"]}
                response = {
                    **response,
                    "content": dict.fromkeys(self._media_types(operation, "produces"), media),
                }
            found[str(status).upper() if str(status).lower().endswith("xx") else str(status)] = response
        return found

    def headers(self, response: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, Any]]]:
        """Lower-cased header name -> (name as written, header object): HTTP header names ignore case."""
        return {
            str(name).lower(): (str(name), mapping(self.resolver.value(node)))
            for name, node in mapping(response.get("headers")).items()
        }

    def header_schema(self, header: Mapping[str, Any]) -> Any:
        """A header's schema: `schema`, else the first `content` entry's, else (Swagger 2.0) its own keys."""
        if "schema" in header:
            return header["schema"]
        for media in mapping(header.get("content")).values():
            return mapping(self.resolver.value(media)).get("schema")
        return {key: value for key, value in header.items() if key in _SCHEMA_KEYS} or None

    def section(self, *keys: str) -> Mapping[str, Any]:
        """A nested mapping of the document (`components`, `securitySchemes`), each level dereferenced."""
        node: Any = self.document
        for key in keys:
            node = mapping(self.resolver.value(mapping(node).get(key)))
        return mapping(node)

    def security_schemes(self) -> Mapping[str, Any]:
        """components.securitySchemes, or Swagger 2.0's securityDefinitions; each scheme dereferenced."""
        found = self.section("components", "securitySchemes") or self.section("securityDefinitions")
        return {str(name): self.resolver.value(node) for name, node in found.items()}

    def _media_types(self, operation: Mapping[str, Any], key: str) -> list[str]:
        declared = operation.get(key) or self.document.get(key) or ["application/json"]
        return [str(media_type) for media_type in declared] if isinstance(declared, list) else [str(declared)]


def _parameter_key(location: str, name: str, template: list[str]) -> tuple[str, str]:
    if location == "path" and name in template:
        return location, f"#{template.index(name)}"  # matched by position: a rename is no change
    if location == "header":
        return location, name.lower()
    return location, name


def is_json(media_type: str) -> bool:
    """JSON media types are strongly typed: 1 and "1" differ there."""
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def is_success(status: str) -> bool:
    """2xx, as oasdiff's success checks read it (plus the `2XX` range); `default` is neither."""
    return status == "2XX" or (status.isdigit() and 200 <= int(status) <= 299)
