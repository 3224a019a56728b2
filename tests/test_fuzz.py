"""Fuzzing the parsers an attacker writes for: commit messages, versions, the config, OpenAPI documents and
their diff. Each either answers or refuses in relmgr's own words (a RelmgrError: one line, an exit code),
never another exception (issue 16). A few hundred examples each by default; the `slow` ones run more.
"""

from __future__ import annotations

import contextlib
import string
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relmgr.config.load import parse_config
from relmgr.errors import ConfigError, SpecError
from relmgr.history.commits import migration_notes, parse_message
from relmgr.history.versions import classify_stream, parse_version
from relmgr.spec import diff_specs, load_spec
from tests.budget import examples

_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
_HEADERS = st.from_regex(r"\A[a-zA-Z!()#:,/ \x1b\x00-\x1f0-9-]{0,40}(\n\n[A-Z:a-z \n-]{0,80})?\Z", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_TEXT, _HEADERS,
                 st.text(alphabet="fix(api)!:BREAKING CHANGE\n>`~<details>#0123456789 ", max_size=200)))
def test_any_message_parses(text: str) -> None:
    message = parse_message(text)
    assert message.breaking == (message.bang or bool(message.breaking_notes) or message.breaking)
    assert message.pr is None or message.pr >= 0
    migration_notes(message.body)


_VERSIONISH = st.from_regex(r"\A[0-9]{1,6}(\.[0-9]{1,6}){0,4}([-.+]?(rc|a|b|dev|alpha|beta|post)?[.0-9]{0,4}){0,2}\Z",
                            fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_VERSIONISH, _TEXT, st.text(alphabet=string.digits + ".", min_size=4000, max_size=6000)))
def test_any_text_is_a_version_or_not(text: str) -> None:
    version = parse_version(text)
    if version is not None:
        assert version.same_as(version) and not version < version
        other = parse_version("1.0.0")
        assert other is not None
        assert (version < other) + (version > other) + version.same_as(other) == 1  # a total order
        classify_stream(version, other)


_TOML_VALUES = st.recursive(
    st.one_of(st.booleans(), st.integers(-10, 10**20), st.text(max_size=20),
              st.sampled_from(["v1", "v1beta", "0.3.0"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(["level", "until", "paths", "scopes", "history",
                                                                "x", "routes", "preset", "v1"]), children, max_size=4)),
    max_leaves=12,
)
_KEYS = st.sampled_from(["tag-prefix", "ignore-tags", "default-level", "apis", "policy", "lint", "openapi",
                         "graduation", "changelog", "version-files", "release-branch", "main-branch", "repo-url",
                         "major-on-zero", "unknown"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _TOML_VALUES, max_size=6))
def test_any_config_table_validates_or_is_a_config_error(table: dict[str, Any]) -> None:
    try:
        parse_config(table)
    except ConfigError as exc:
        assert exc.message and "\n" not in exc.message.strip()


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=8),
                     st.sampled_from(["string", "object", "integer", "array", "#/components/schemas/A", "2025-13-45"]))
_NAMES = st.sampled_from(["type", "properties", "required", "items", "enum", "$ref", "allOf", "oneOf", "anyOf",
                          "nullable", "format", "maxLength", "default", "description", "a", "b", "x-sunset",
                          "deprecated", "x-stability-level"])
_SCHEMA = st.recursive(_SCALARS, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(_NAMES, c, max_size=4)),
                       max_leaves=10)
_METHODS = st.sampled_from(["get", "post", "delete", "parameters", "x-thing"])
_OPERATION = st.one_of(_SCHEMA, st.fixed_dictionaries({}, optional={
    "parameters": st.lists(st.one_of(_SCHEMA, st.fixed_dictionaries(
        {"name": st.sampled_from(["id", "q"]), "in": st.sampled_from(["query", "path", "header", 5])},
        optional={"required": st.booleans(), "schema": _SCHEMA})), max_size=2),
    "requestBody": _SCHEMA, "responses": st.one_of(_SCHEMA, st.dictionaries(
        st.sampled_from(["200", "201", "default", "404"]), _SCHEMA, max_size=2)),
    "deprecated": st.booleans(), "x-sunset": _SCALARS, "x-stability-level": _SCALARS}))
_DOCUMENT = st.fixed_dictionaries(
    {"openapi": st.sampled_from(["3.0.0", "3.1.0"]),
     "paths": st.dictionaries(st.sampled_from(["/v1/a", "/v1/a/{id}", "/v1alpha/b", "/c", "x"]),
                              st.one_of(_SCHEMA, st.dictionaries(_METHODS, _OPERATION, max_size=3)), max_size=3)},
    optional={"components": st.fixed_dictionaries({}, optional={"schemas": st.dictionaries(
        st.sampled_from(["A", "B"]), _SCHEMA, max_size=2)})})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENT, _DOCUMENT)
def test_any_two_documents_diff_or_refuse(base: dict[str, Any], revision: dict[str, Any]) -> None:
    try:
        for changes in (diff_specs(base, revision, today=date(2025, 1, 1)),
                        diff_specs(revision, base, levels_from="path")):
            for change in changes:
                assert change.id and change.severity
    except SpecError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, st.text(alphabet="openapi: 3.0\npaths:{}[]&*a-\"' #\t", max_size=200)))
def test_any_text_loads_or_is_a_spec_error(text: str) -> None:
    try:
        document = load_spec(text, "fuzz.yaml")
    except SpecError as exc:
        assert exc.message.startswith("fuzz.yaml: ")
        return
    with contextlib.suppress(SpecError):
        diff_specs(document, document)


@pytest.mark.slow
@settings(max_examples=examples(3000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENT, _DOCUMENT)
def test_many_documents_diff_or_refuse(base: dict[str, Any], revision: dict[str, Any]) -> None:
    test_any_two_documents_diff_or_refuse.hypothesis.inner_test(base, revision)  # type: ignore[attr-defined]
