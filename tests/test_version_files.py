"""`version-files` of every kind: JSON and YAML keys and requirement pins, edited byte for byte."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.config.load import parse_config
from relmgr.config.version_files import parse_version_file
from relmgr.errors import ConfigError
from relmgr.release.formats import pin_requirement, set_json_value, set_toml_pin, set_yaml_value
from relmgr.release.plan import set_version

PACKAGE_JSON = """{
  "name": "@ogx/client",
  "version": "0.4.0",
  "description": "the \\"client\\" — ünïcode",
  "dependencies": {"@ogx/core": "^0.4.0", "left-pad": "1.3.0"},
  "nested": {"version": "9.9.9"}
}
"""


def test_package_json_keeps_every_byte_but_the_value() -> None:
    new = set_version(PACKAGE_JSON, "package.json", "version", "0.5.0rc1")
    assert new == PACKAGE_JSON.replace('"version": "0.4.0"', '"version": "0.5.0rc1"')
    assert set_version(PACKAGE_JSON, "package.json", "nested.version", "0.5.0") == PACKAGE_JSON.replace(
        '"9.9.9"', '"0.5.0"')
    assert set_version(PACKAGE_JSON, "package.json", "dependencies[@ogx/core]", "0.5.0") == PACKAGE_JSON.replace(
        '"^0.4.0"', '"0.5.0"')


def test_crlf_and_tabs_stay() -> None:
    text = '{\r\n\t"version" :\t"1.0.0" ,\r\n\t"x": [1, {"version": "2"}]\r\n}\r\n'
    assert set_json_value(text, ["version"], "1.1.0") == text.replace('"1.0.0"', '"1.1.0"')


@pytest.mark.parametrize(("text", "key", "problem"), [
    ('{"version": 1}', "version", "version: not a string (1)"),
    ('{"name": "x"}', "version", "version: no such key"),
    ('["0.1.0"]', "version", "the document is not an object"),
    ('{"version": "0.1.0",}', "version", "not valid JSON"),
    ('{"a": "b"}', "a.version", "a is not an object"),
])
def test_json_refusals(text: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(problem)):
        set_version(text, "package.json", key, "0.5.0")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                        max_size=3), max_leaves=8)


@given(st.dictionaries(st.text(max_size=6), json_values, max_size=4), st.text(max_size=8),
       st.sampled_from([None, 2, "\t"]), st.booleans())
def test_json_edits_change_only_the_value(document: dict[str, object], old: str, indent: int | str | None,
                                          last: bool) -> None:
    document.pop("version", None)
    items = [*document.items(), ("version", old)] if last else [("version", old), *document.items()]
    text = json.dumps(dict(items), indent=indent, ensure_ascii=False)
    new = set_json_value(text, ["version"], "0.5.0")
    assert json.loads(new) == {**dict(items), "version": "0.5.0"}
    prefix = _common(text, new)
    suffix = _common(text[prefix:][::-1], new[prefix:][::-1])
    assert text[prefix:len(text) - suffix] in json.dumps(old, ensure_ascii=False)  # only the value changed
    assert new[prefix:len(new) - suffix] in '"0.5.0"'


def _common(a: str, b: str) -> int:
    """How many leading characters `a` and `b` share."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


CHART = """# the chart
apiVersion: v2
name: ogx   # the name
version: 0.4.0  # the chart's version
appVersion: "0.4.0"
image:
  tag: '0.4.0'
  pull: Always
deps:
  ogx-client: 0.4.0
"""


@pytest.mark.parametrize(("key", "old", "new"), [
    ("version", "version: 0.4.0  #", "version: 0.5.0rc1  #"),
    ("appVersion", 'appVersion: "0.4.0"', 'appVersion: "0.5.0rc1"'),
    ("image.tag", "tag: '0.4.0'", "tag: '0.5.0rc1'"),
    ("deps[ogx-client]", "ogx-client: 0.4.0", "ogx-client: 0.5.0rc1"),
])
def test_yaml_keeps_comments_and_quoting(key: str, old: str, new: str) -> None:
    assert set_version(CHART, "Chart.yaml", key, "0.5.0rc1") == CHART.replace(old, new)


def test_yaml_quotes_a_plain_value_that_would_not_read_as_a_string() -> None:
    assert set_yaml_value("version: 0.4.0\n", ["version"], "1.0") == 'version: "1.0"\n'
    with pytest.raises(ConfigError, match="not a one-line scalar"):
        set_yaml_value("version: |\n  0.4.0\n", ["version"], "0.5.0")
    with pytest.raises(ConfigError, match=r"image\.tag: no such key"):
        set_yaml_value("image: {}\n", ["image", "tag"], "0.5.0")
    with pytest.raises(ConfigError, match="not valid YAML"):
        set_yaml_value("version: [\n", ["version"], "0.5.0")


PYPROJECT = """[project]
name = "ogx"
version = "0.4.0"
dependencies = [
    "httpx>=0.27",  # the transport
    'OGX_Client[async] >= 0.4 ; python_version >= "3.10"',  # the client, pinned at release
    "ogx-core~=0.4",
]

[project.optional-dependencies]
ui = ["ogx-client==0.4.0"]
"""


def test_a_pin_keeps_the_name_extras_marker_and_quoting() -> None:
    new = set_version(PYPROJECT, "pyproject.toml", "project.dependencies[ogx-client]", "0.5.0")
    assert new == PYPROJECT.replace("OGX_Client[async] >= 0.4 ;", "OGX_Client[async]==0.5.0 ;")
    assert set_version(PYPROJECT, "pyproject.toml", "project.optional-dependencies.ui[ogx_client]", "0.5.0rc1") == (
        PYPROJECT.replace('ui = ["ogx-client==0.4.0"]', 'ui = ["ogx-client==0.5.0rc1"]'))


def test_pin_refusals() -> None:
    with pytest.raises(ConfigError, match=r"no requirements named nope in project\.dependencies"):
        set_toml_pin(PYPROJECT, ["project", "dependencies"], "nope", "0.5.0")
    with pytest.raises(ConfigError, match=r"project\.name is not an array"):
        set_toml_pin(PYPROJECT, ["project", "name"], "x", "0.5.0")
    twice = PYPROJECT.replace('"ogx-core~=0.4"', '"ogx-client>1"')
    with pytest.raises(ConfigError, match="2 requirements named ogx-client"):
        set_toml_pin(twice, ["project", "dependencies"], "ogx-client", "0.5.0")
    with pytest.raises(ConfigError, match="a URL requirement"):
        pin_requirement("ogx-client @ https://example.com/x.whl", "0.5.0")


@pytest.mark.parametrize(("requirement", "pinned"), [
    ("ogx-client", "ogx-client==0.5.0"),
    ("ogx-client>=0.4,<0.6", "ogx-client==0.5.0"),
    ("ogx-client ; sys_platform == 'linux'", "ogx-client==0.5.0 ; sys_platform == 'linux'"),
    ("ogx-client[a,b] (>=0.4)", "ogx-client[a,b]==0.5.0"),
])
def test_pin_requirement(requirement: str, pinned: str) -> None:
    assert pin_requirement(requirement, "0.5.0") == pinned
    assert pin_requirement(requirement.replace("0.5.0", ""), "0.5.0-rc.1") == pinned.replace("0.5.0", "0.5.0rc1")


@pytest.mark.parametrize(("entry", "problem"), [
    ("package.json", "must be FILE:KEY"),
    ("package.json:", "must be FILE:KEY"),
    ("Chart.yaml:a..b", "empty file name or key part"),
    ("pyproject.toml:project.dependencies[]", "must be FILE:KEY"),
    ("pyproject.toml:project.dependencies[a]b", "must be FILE:KEY"),
    ("relmgr/__init__.py:a.b", "module-level assignment"),
    ("relmgr/__init__.py:__version__[x]", "module-level assignment"),
])
def test_bad_entries_are_config_errors_at_load(entry: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=r"tool\.relmgr\.version-files: .*" + problem):
        parse_config({"version-files": [entry]})


def test_entries_read() -> None:
    found = parse_version_file("pyproject.toml:project.dependencies[ogx-client]")
    assert (found.path, found.keys, found.pin, found.format) == (
        "pyproject.toml", ("project", "dependencies"), "ogx-client", "toml")
    assert parse_version_file("charts/ogx/Chart.yml:version").format == "yaml"
    assert parse_version_file("src/ogx/__init__.py:__version__").format == "python"
