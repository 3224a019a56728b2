"""insert_section over plain text: where a release's section goes, and that running twice changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.history.versions import Version, parse_version
from relmgr.notes.changelog import NEW_CHANGELOG, heading_names, insert_section


def v(text: str) -> Version:
    found = parse_version(text)
    assert found is not None
    return found


NEW = "## [0.3.0](https://x/compare/v0.2.0...v0.3.0) - 2024-05-02\n\n### Features\n\n- new\n"


@pytest.mark.parametrize(("before", "after"), [
    (None, "# Changelog\n\n" + NEW),
    ("", "# Changelog\n\n" + NEW),
    ("# Changelog\n", "# Changelog\n\n" + NEW),
    # the title and the paragraphs below it stay on top
    ("# Changes\n\nAll notable changes.\nSecond line.\n\n## 0.2.0\n\n- old\n",
     "# Changes\n\nAll notable changes.\nSecond line.\n\n" + NEW + "\n## 0.2.0\n\n- old\n"),
    # no title: on top
    ("## 0.2.0\n\n- old\n", NEW + "\n## 0.2.0\n\n- old\n"),
    # the same version under another heading style is replaced in place, the others kept
    ("# C\n\n## [0.4.0] - 2024-06-01\n\n- four\n\n## v0.3.0 (draft)\n\n- stale\n\n## 0.2.0\n\n- old\n",
     "# C\n\n## [0.4.0] - 2024-06-01\n\n- four\n\n" + NEW + "\n## 0.2.0\n\n- old\n"),
    # a compare link naming 0.3.0 in the 0.3.1 heading is not a 0.3.0 section; 0.3.0rc1 is not 0.3.0
    ("# C\n\n## [0.3.1](https://x/compare/v0.3.0...v0.3.1)\n\n- p\n\n## 0.3.0rc1\n\n- rc\n",
     "# C\n\n" + NEW + "\n## [0.3.1](https://x/compare/v0.3.0...v0.3.1)\n\n- p\n\n## 0.3.0rc1\n\n- rc\n"),
    # trailing link definitions stay at the end when the last section is replaced
    ("# C\n\n## [0.3.0] - old\n\n- stale\n\n[0.3.0]: https://x/v0.3.0\n",
     "# C\n\n" + NEW + "\n[0.3.0]: https://x/v0.3.0\n"),
])
def test_insert_section(before: str | None, after: str) -> None:
    assert insert_section(before, NEW, v("0.3.0")) == after
    assert insert_section(after, NEW, v("0.3.0")) == after  # idempotent


def test_replacing_with_new_text_then_again() -> None:
    first = insert_section(None, NEW, v("0.3.0"))
    newer = NEW.replace("- new", "- newer")
    second = insert_section(first, newer, v("0.3.0"))
    assert second == NEW_CHANGELOG + newer
    assert insert_section(second, newer, v("0.3.0")) == second


def test_heading_names() -> None:
    assert heading_names(NEW, v("0.3.0"))
    assert heading_names("## v0.3.0\n", v("0.3.0"))
    assert not heading_names("## [0.3.1](https://x/compare/v0.3.0...v0.3.1)\n", v("0.3.0"))
    assert not heading_names("Release 0.3.0\n", v("0.3.0"))


_LINE = st.text(alphabet=st.sampled_from("#[]() -v0123.abc\n"), max_size=40)


@given(document=st.one_of(st.none(), _LINE), version=st.sampled_from(["0.3.0", "1.0.0", "0.3.0rc1"]))
def test_any_document_inserting_twice_changes_nothing(document: str | None, version: str) -> None:
    section = f"## [{version}] - 2024-05-02\n\n- entry\n"
    once = insert_section(document, section, v(version))
    assert insert_section(once, section, v(version)) == once
    assert section in once
