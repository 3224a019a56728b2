"""The Python API engine on its own: git trees parsed, griffe's breakages named by relmgr's check IDs."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from relmgr.pyapi import RULES, ApiChange, diff_packages, load_package
from relmgr.pyapi.catalog import ALL_RULES, rule_of
from relmgr.pyapi.load import check_syntax
from relmgr.pyapi.tree import TreeEntry, parse_tree
from relmgr.spec import Severity


def diff(old: str, new: str, name: str = "pkg") -> list[tuple[str, str, str]]:
    before = load_package(name, {f"{name}/__init__.py": old.encode()}, "old")
    after = load_package(name, {f"{name}/__init__.py": new.encode()}, "new")
    return [(c.id, c.object, c.message) for c in diff_packages(before, after)]


def test_every_griffe_breakage_kind_has_an_id_and_a_severity() -> None:
    import griffe

    assert {kind.name for kind in griffe.BreakageKind} <= set(RULES)
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids)) and all(i.startswith("python-") for i in ids)
    assert rule_of("SOMETHING_NEW").severity is Severity.WARN  # a newer griffe's kind is never dropped


def test_parameters() -> None:
    assert diff("def f(a, b=1, *, c=2): ...\n", "def f(b=1, a=0, *, d): ...\n") == [
        ("python-parameter-moved", "pkg.f", "positional parameter `a` of `f` moved from 0 to 1 (+1)"),
        ("python-parameter-moved", "pkg.f", "positional parameter `b` of `f` moved from 1 to 0 (-1)"),
        ("python-parameter-removed", "pkg.f", "parameter `c` of `f` was removed"),
        ("python-required-parameter-added", "pkg.f", "required parameter `d` was added to `f`"),
    ]
    assert diff("def f(a): ...\n", "def f(*, a): ...\n") == [
        ("python-parameter-changed-kind", "pkg.f",
         "parameter `a` of `f` was positional or keyword and is now keyword-only"),
    ]
    assert diff("def f(a=1): ...\n", "def f(a=2): ...\n") == [
        ("python-parameter-default-changed", "pkg.f", "the default of parameter `a` of `f` changed from `1` to `2`"),
    ]


def test_objects_and_classes() -> None:
    assert diff("class A: ...\nclass B(A): ...\ndef g(): ...\n", "class A: ...\nclass B: ...\ng = 1\n") == [
        ("python-class-base-removed", "pkg.B", "`B` no longer derives from `A`"),
        ("python-object-changed-kind", "pkg.g", "`g` was a function and is now an attribute"),
    ]
    assert diff("def f() -> int: ...\n", "def f(): ...\n") == [
        ("python-return-type-changed", "pkg.f", "the return annotation of `f` changed from `int` to `None`"),
    ]


def test_additions_are_info_and_private_or_unexported_names_are_not_api() -> None:
    assert diff("__all__ = ['f']\ndef f(): ...\ndef g(): ...\n", "__all__ = ['f', 'h']\ndef f(): ...\ndef h(): ...\n"
                ) == [("python-object-added", "pkg.h", "public function `h` was added")]
    assert diff("def _p(a): ...\nclass C:\n    def _m(self, x): ...\n", "class C: ...\n") == []


def test_syntax_is_checked_with_the_line() -> None:
    assert check_syntax("src/pkg/a.py", b"def ok(): ...\n") is None
    problem = check_syntax("src/pkg/a.py", b"x = 1\ndef broken(:\n")
    assert problem is not None and problem.startswith("src/pkg/a.py line 2: invalid syntax")
    assert check_syntax("a.py", b"x = 1\0") is not None


def test_a_change_sorts_most_severe_first() -> None:
    info = ApiChange("python-object-added", Severity.INFO, "a.b", "added")
    err = ApiChange("python-object-removed", Severity.ERR, "a.z", "removed")
    assert sorted([info, err], key=ApiChange.sort_key) == [err, info]


names = st.text(st.characters(exclude_characters="\0/", exclude_categories=["Cs"]), min_size=1, max_size=12)


@given(st.lists(st.tuples(names, st.sampled_from([b"40000", b"100644", b"100755", b"120000", b"160000"]),
                          st.binary(min_size=1, max_size=8)), max_size=8),
       st.sampled_from([40, 64]))
def test_tree_objects_parse_back_to_their_folders_and_files(entries: list[tuple[str, bytes, bytes]],
                                                             hex_length: int) -> None:
    digest = hashlib.sha1 if hex_length == 40 else hashlib.sha256
    data = b""
    expected: list[TreeEntry] = []
    for name, mode, seed in entries:
        raw = digest(seed).digest()
        data += mode + b" " + name.encode() + b"\0" + raw
        if mode in (b"40000", b"100644", b"100755"):
            expected.append(TreeEntry(name, raw.hex(), mode == b"40000"))
    assert parse_tree(data, hex_length) == expected


def files_diff(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str]]:
    before = load_package("p", {k: v.encode() for k, v in old.items()}, "old")
    after = load_package("p", {k: v.encode() for k, v in new.items()}, "new")
    return [(c.id, c.object) for c in diff_packages(before, after)]


IMPL = "def start(x): ...\ndef stop(): ...\n"


def test_the_typing_specs_reexport_forms_are_api() -> None:
    # a plain import into __init__ without __all__ is private (typing spec, griffe): not API
    assert files_diff({"p/__init__.py": "from ._impl import start, stop\n", "p/_impl.py": IMPL},
                      {"p/__init__.py": "from ._impl import start\n", "p/_impl.py": "def start(x): ...\n"}) == []
    for init in ("from ._impl import start as start, stop as stop\n", "from ._impl import *\n",
                 "from ._impl import start, stop\n__all__ = ['start', 'stop']\n"):
        after = init.replace(", stop as stop", "").replace(", stop", "").replace(", 'stop'", "")
        assert files_diff({"p/__init__.py": init, "p/_impl.py": IMPL},
                          {"p/__init__.py": after, "p/_impl.py": "def start(x): ...\n"}) == [
            ("python-object-removed", "p.stop")], init


def test_a_private_modules_object_is_named_by_the_public_path_that_exports_it() -> None:
    init = "from ._impl import start as start, Tool as Tool\n"
    before = "def start(x): ...\nclass Tool:\n    def run(self, a): ...\n"
    after = "def start(): ...\nclass Tool:\n    def run(self): ...\n"
    assert files_diff({"p/__init__.py": init, "p/_impl.py": before}, {"p/__init__.py": init, "p/_impl.py": after}) == [
        ("python-parameter-removed", "p.Tool.run"), ("python-parameter-removed", "p.start")]
