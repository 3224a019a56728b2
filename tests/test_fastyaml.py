"""yaml-rs is used only where it gives PyYAML's data: the cases YAML 1.1 and 1.2 read differently go to the C
loader, and on generated documents (every scalar kind, every style PyYAML writes) both readings agree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from relmgr.spec import fastyaml
from relmgr.spec.load import load_spec
from tests import real_specs

pytestmark = pytest.mark.skipif(not fastyaml.available(), reason="yaml-rs is not installed")
C_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=C_LOADER)


# Each reads differently in YAML 1.2 (yaml-rs) and YAML 1.1 (PyYAML), or not at all in one of them.
DIFFERENT = [
    "a: on", "a: yes", "a: No", "a: OFF", "a: 017", "a: -017", "a: 0o17", "a: 08", "a: 1e3", "a: 6E-5", "a: 1.0e3",
    "a: -.5", "a: 1:20", "a: 12:30:00", "a: !!binary aGVsbG8=", "a: !custom x", "a: 1\na: 2", "<<: {x: 1}\ny: 2",
    "a: &x {s: *x}", "a: &x [1]\nb: *x", "a: =", "? [1, 2]\n: x", "a: 2025-13-45", "--- \na: 1\n---\nb: 2",
    "%YAML 1.1\n---\na: yes", "[1, 2]", "a: [017, 2]", "{a: 017}", "017: x", "a: " + "1" * 320, "on: x",
]
# Each reads alike (the fast path may take it).
ALIKE = [
    "a: 0x1F", "a: 1.0e+3", "a: 2024-01-01", "a: 2024-01-01T10:00:00Z", "a: ~", "a:", "a: ''", "a: 1_000",
    "a: .inf", "a: 'on'", "a: \"017\"", "a: True", "a: Null", "a: +12", "a: 1.", "a: 3.14", "a: |\n  x\n   y\n",
    "a: >\n  x\n  y\n\n  z\n", "a: \"\\x41\\u00e9\"", "a: 'it''s'", "{a: 1, b: [x, y]}", "'200': ok", "200: ok",
    "a: 'multi\n  line'", "a: plain\n  continued", "a: R&D ! here", "a: '2024-01-01'", "a: '1:20'", "a: 0.5",
]


@pytest.mark.parametrize("text", DIFFERENT)
def test_what_yaml_1_1_reads_differently_goes_to_the_c_loader(text: str) -> None:
    assert fastyaml.load(text) is None


@pytest.mark.parametrize("text", ALIKE)
def test_what_reads_alike_is_the_same_data_either_way(text: str) -> None:
    fast = fastyaml.load(text)
    expected = pyyaml(text)
    if fast is not None:
        assert repr(fast) == repr(expected)  # the same data and types (1 is not 1.0); NaN equals itself here


def test_the_fast_path_is_taken_for_an_ordinary_spec() -> None:
    text = "openapi: 3.0.0\npaths:\n  /v1/x:\n    get:\n      responses:\n        '200': {description: ok}\n"
    assert fastyaml.load(text) == pyyaml(text)


def test_load_spec_reads_a_1_1_boolean_as_pyyaml_does() -> None:
    """End to end: the loader falls back, so `deprecated: yes` still deprecates (YAML 1.1's reading)."""
    text = "openapi: 3.0.0\npaths:\n  /v1/x:\n    get:\n      deprecated: yes\n      responses: {}\n"
    assert load_spec(text, "x")["paths"]["/v1/x"]["get"]["deprecated"] is True


REAL = sorted(str(p) for p in real_specs.fixtures().glob("*/*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL)
def test_real_specs_read_the_same(path: str) -> None:
    """The real project's specs take the fast path (else it would buy nothing) and read the same."""
    text = Path(path).read_text(encoding="utf-8")
    assert fastyaml.load(text) == pyyaml(text)


_WORDS = st.sampled_from(["on", "off", "yes", "no", "y", "n", "true", "True", "null", "~", "017", "0o17", "08",
                          "1e3", "-.5", "1:20", "12:30:00", "<<", "=", "2024-01-01", "2024-1-1", "0x1F", "1_000",
                          ".inf", ".NaN", "", " ", "a: b", "- x", "#c", "&a", "*a", "!t", "%", "'", '"', "\\", "\t",
                          "é", "\u2028", "multi\nline", "trailing ", "{x}", "[y]", "v1.2", "R&D"])
_TEXT = st.one_of(_WORDS, st.text(max_size=12), st.builds(lambda a, b: f"{a} {b}", _WORDS, _WORDS))
_SCALAR = st.one_of(
    _TEXT, st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1),
                 timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))])),
)
_KEY = st.one_of(_TEXT, st.integers(0, 600), st.booleans())
_DATA = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(_KEY, inner, max_size=4)), max_leaves=25)
_STYLE = st.fixed_dictionaries({"default_flow_style": st.sampled_from([False, True, None]),
                                "default_style": st.sampled_from([None, "'", '"', "|", ">"]),
                                "width": st.sampled_from([20, 80, 1000]), "allow_unicode": st.booleans()})


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEY, _DATA, min_size=1, max_size=5), _STYLE)
def test_generated_documents_read_as_pyyaml_reads_them(data: dict[Any, Any], style: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, **style)
    fast = fastyaml.load(text)
    if fast is not None:
        expected = pyyaml(text)
        assert repr(fast) == repr(expected)  # the same data and types (1 is not 1.0); NaN equals itself here


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "on", "017", "x y"]), _WORDS), min_size=1, max_size=6))
def test_hand_written_plain_scalars_read_as_pyyaml_reads_them(pairs: list[tuple[str, str]]) -> None:
    """Plain scalars as people write them (not as PyYAML quotes them): what is not refused reads the same."""
    text = "".join(f"{key}: {value}\n" for key, value in pairs)
    try:
        expected = pyyaml(text)
    except yaml.YAMLError:
        return  # not YAML for PyYAML: load_spec reports PyYAML's error (the fast path may or may not read it)
    except ValueError:
        return  # PyYAML's own crash on a malformed date: the hardened loader handles it
    fast = fastyaml.load(text)
    if fast is not None:
        assert repr(fast) == repr(expected)  # the same data and types (1 is not 1.0); NaN equals itself here
