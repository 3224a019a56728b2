"""`spec.compose`: several OpenAPI files read as one surface."""

from __future__ import annotations

import copy

import pytest

from relmgr.errors import SpecError
from relmgr.spec import diff_specs, operations
from relmgr.spec.compose import Conflict, Part, compose
from tests.spec_builders import Json, doc, json_response, obj, op, param

ERROR = {"Error": obj(message={"type": "string"})}
GET = op(responses=json_response({"$ref": "#/components/schemas/Error"}))


def parts(*documents: Json) -> list[Part]:
    return [Part(f"docs/{name}.yaml", f"HEAD:docs/{name}.yaml", d) for name, d in zip("abc", documents, strict=False)]


def ops(document: Json) -> list[tuple[str, str, bool, str | None]]:
    return [(o.method, o.path, o.deprecated, o.sunset) for o in operations(document)]


def test_one_file_is_read_as_it_is() -> None:
    only = doc({"/v1/x": {"get": op()}})
    surface = compose(parts(only))
    assert surface.document is only and surface.labels == ("docs/a.yaml",) and surface.conflicts == ()


def test_an_operation_exists_if_any_file_has_it() -> None:
    stable = doc({"/v1/x": {"get": op()}}, ERROR)
    experimental = doc({"/v1alpha/y": {"post": op()}, "/v1/x": {"put": op()}}, ERROR)
    surface = compose(parts(stable, experimental))
    assert ops(dict(surface.document)) == [("GET", "/v1/x", False, None), ("PUT", "/v1/x", False, None),
                                           ("POST", "/v1alpha/y", False, None)]
    assert surface.document["components"]["schemas"] == ERROR


def test_moving_an_operation_between_files_is_no_change() -> None:
    before = compose(parts(doc({"/v1/x": {"get": GET}}, ERROR), doc({}, ERROR))).document
    after = compose(parts(doc({}, ERROR), doc({"/v1/x": {"get": GET}}, ERROR))).document
    assert diff_specs(before, after) == []


def test_deprecated_if_any_file_marks_it_with_that_files_sunset() -> None:
    stable = doc({"/v1/x": {"get": GET, "post": op()}}, ERROR)
    marked = copy.deepcopy(stable)
    marked["paths"]["/v1/x"]["post"].update({"deprecated": True, "x-sunset": "2026-01-01"})
    surface = compose(parts(stable, marked))
    assert surface.conflicts == ()  # lifecycle markers are not content
    assert ops(dict(surface.document)) == [("GET", "/v1/x", False, None), ("POST", "/v1/x", True, "2026-01-01")]
    # the inputs are shared, cached parse results: never changed
    assert "deprecated" not in stable["paths"]["/v1/x"]["post"]


def test_the_same_operation_with_other_content_is_a_conflict_naming_both_files() -> None:
    first = doc({"/v1/x": {"get": op(params=[param("a")])}})
    second = doc({"/v1/x": {"get": op(params=[param("b")])}})
    surface = compose(parts(first, second))
    assert surface.conflicts == (Conflict("GET /v1/x", "docs/a.yaml", "docs/b.yaml"),)
    assert surface.document["paths"]["/v1/x"]["get"]["parameters"] == [param("a")]  # the first file's


def test_a_component_two_files_define_differently_is_kept_apart() -> None:
    first = doc({"/v1/x": {"get": GET}}, ERROR)
    other = {"Error": obj(code={"type": "integer"})}
    second = doc({"/v1/y": {"get": GET}}, other)
    surface = compose(parts(first, second))
    schemas = surface.document["components"]["schemas"]
    assert schemas["Error"] == ERROR["Error"] and schemas["Error.b"] == other["Error"]
    ref = surface.document["paths"]["/v1/y"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref == {"$ref": "#/components/schemas/Error.b"}
    assert second["paths"]["/v1/y"]["get"] is GET  # not rewritten in place


def test_paths_that_differ_only_in_parameter_names_are_one_path() -> None:
    first = doc({"/v1/files/{id}": {"get": op(params=[param("id", "path", required=True)])}})
    second = doc({"/v1/files/{file_id}": {"delete": op(params=[param("file_id", "path", required=True)])}})
    surface = compose(parts(first, second))
    assert list(surface.document["paths"]) == ["/v1/files/{id}"]
    assert sorted(surface.document["paths"]["/v1/files/{id}"]) == ["delete", "get"]


def test_path_item_parameters_move_with_their_operation() -> None:
    first = doc({"/v1/x": {"get": op()}})
    second = doc({"/v1/x": {"parameters": [param("tenant", required=True)], "post": op()}})
    post = compose(parts(first, second)).document["paths"]["/v1/x"]["post"]
    assert post["parameters"] == [param("tenant", required=True)]


def test_swagger_and_openapi_files_cannot_be_one_surface() -> None:
    swagger = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    with pytest.raises(SpecError, match=r"Swagger 2\.0 and OpenAPI 3\.x files cannot be read as one surface"):
        compose(parts(doc({}), swagger))
