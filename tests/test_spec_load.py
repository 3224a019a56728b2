"""load_spec and SpecCache: what is read, what is refused and how often a blob is parsed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.errors import ExitCode, SpecError
from relmgr.spec import SpecCache, load_spec

MINIMAL = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def test_yaml_and_json_are_read() -> None:
    assert load_spec(MINIMAL, "a.yaml")["openapi"] == "3.1.0"
    as_json = json.dumps({"openapi": "3.0.3", "info": {}, "paths": {"/a": {}}})
    assert load_spec(as_json.encode(), "a.json")["paths"] == {"/a": {}}
    assert load_spec(b"\xef\xbb\xbf" + MINIMAL.encode(), "bom.yaml")["openapi"] == "3.1.0"
    assert load_spec("swagger: '2.0'\ninfo: {}\npaths: {}\n", "v2.yaml")["swagger"] == "2.0"
    assert load_spec("openapi: 3.0.0\ninfo: {}\n", "nopaths.yaml")["openapi"] == "3.0.0"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("openapi: 3.0.0\npaths: [unclosed\n", "not valid YAML or JSON"),
        ("openapi: 3.0.0\n  bad: indent\n x: 1\n", "line"),
        ("- a\n- b\n", "the top level is list"),
        ("", "the top level is empty"),
        ("title: not an api\n", "no `openapi: 3.x`"),
        ("openapi: 2.0\n", "not supported"),
        ("swagger: '1.2'\n", "no `openapi: 3.x`"),
        ("openapi: 3.0.0\npaths: [a, b]\n", "`paths` must be a mapping"),
        (b"openapi: 3.0.0\n\xff\xfe", "not UTF-8"),
        ('{"openapi": "3.0.0", "paths": {', "not valid YAML or JSON"),
    ],
)
def test_bad_input_raises_spec_error_naming_the_source(data: str | bytes, fragment: str) -> None:
    with pytest.raises(SpecError) as raised:
        load_spec(data, "HEAD:api/openapi.yaml")
    assert raised.value.message.startswith("HEAD:api/openapi.yaml: ")
    assert fragment in raised.value.message
    assert raised.value.exit_code is ExitCode.SPEC


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_input_is_a_document_or_a_spec_error(data: str | bytes) -> None:
    try:
        document = load_spec(data, "fuzz")
    except SpecError:
        return
    assert isinstance(document, dict)


def test_the_cache_parses_each_key_once() -> None:
    cache = SpecCache()
    reads: list[str] = []

    def read() -> str:
        reads.append("read")
        return MINIMAL

    first = cache.get_or_load("blob1", read, "v1:openapi.yaml")
    assert cache.get_or_load("blob1", read, "v1:openapi.yaml") is first
    assert cache.load("blob1", "ignored: true", "v1:openapi.yaml") is first
    assert reads == ["read"] and "blob1" in cache and len(cache) == 1


def test_the_cache_remembers_failures() -> None:
    cache = SpecCache()
    calls: list[int] = []

    def read() -> str:
        calls.append(1)
        return "- not a spec"

    for _ in range(2):
        with pytest.raises(SpecError, match=r"v2:openapi\.yaml"):
            cache.get_or_load("bad", read, "v2:openapi.yaml")
    assert calls == [1]


def test_the_cache_drops_the_least_recently_used_entry() -> None:
    cache = SpecCache(maxsize=2)
    cache.load("a", MINIMAL, "a")
    cache.load("b", MINIMAL, "b")
    cache.load("a", MINIMAL, "a")  # touch a
    cache.load("c", MINIMAL, "c")
    assert ("a" in cache, "b" in cache, "c" in cache) == (True, False, True)
