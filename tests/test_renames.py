"""`history.renames`: git's renames as a map between the names files had and the names they have now."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from relmgr.history.renames import Rename, RenameMap, parse_renames

MOVES = [  # newest first, as RenameMap takes them
    Rename("c3", "src/llama_stack_api/inference/routes.py", "src/ogx_api/inference/routes.py"),
    Rename("c3", "src/llama_stack_api/files/routes.py", "src/ogx_api/files/routes.py"),
    Rename("c3", "docs/static/llama-stack-spec.yaml", "docs/static/ogx-spec.yaml"),
    Rename("c2", "llama_stack/apis/inference/routes.py", "src/llama_stack_api/inference/routes.py"),
    Rename("c2", "llama_stack/apis/files/routes.py", "src/llama_stack_api/files/routes.py"),
    Rename("c1", "docs/_static/llama-stack-spec.yaml", "docs/static/llama-stack-spec.yaml"),
]


def test_current_follows_chains_of_renames() -> None:
    renames = RenameMap(MOVES)
    assert renames.current("llama_stack/apis/inference/routes.py") == "src/ogx_api/inference/routes.py"
    assert renames.current("docs/_static/llama-stack-spec.yaml") == "docs/static/ogx-spec.yaml"
    assert renames.current("README.md") == "README.md"


def test_a_file_deleted_before_its_folder_moved_follows_the_folder() -> None:
    renames = RenameMap(MOVES)
    assert [(f.old, f.new) for f in renames.folders] == [("llama_stack/apis", "src/llama_stack_api"),
                                                         ("src/llama_stack_api", "src/ogx_api")]
    assert renames.current("llama_stack/apis/inference/event_logger.py") == "src/ogx_api/inference/event_logger.py"


def test_one_file_moved_out_of_a_folder_is_not_a_folder_rename() -> None:
    renames = RenameMap([Rename("c1", "src/utils/helpers.py", "src/apis/files/helpers.py")])
    assert renames.folders == ()
    assert renames.current("src/utils/other.py") == "src/utils/other.py"


def test_former_names_newest_first() -> None:
    renames = RenameMap(MOVES)
    assert renames.former("docs/static/ogx-spec.yaml") == ("docs/static/llama-stack-spec.yaml",
                                                           "docs/_static/llama-stack-spec.yaml")
    assert renames.former("src/ogx_api/inference") == ("src/llama_stack_api/inference", "llama_stack/apis/inference")


def test_a_rename_undone_is_not_a_cycle() -> None:
    renames = RenameMap([Rename("c2", "b.yaml", "a.yaml"), Rename("c1", "a.yaml", "b.yaml")])
    assert renames.current("a.yaml") in ("a.yaml", "b.yaml")
    assert renames.former("a.yaml") == ("b.yaml",)


def test_parse_reads_git_diff_tree_output() -> None:
    output = (b"f" * 40 + b"\0R095\0docs/a b.yaml\0docs/c.yaml\0R100\0x\0y\0" + b"e" * 40 + b"\0R050\0p\0q\0")
    assert parse_renames(output) == [Rename("f" * 40, "docs/a b.yaml", "docs/c.yaml"), Rename("f" * 40, "x", "y"),
                                     Rename("e" * 40, "p", "q")]
    assert parse_renames(b"") == []


names = st.text(st.characters(codec="utf-8", exclude_characters="\0"), min_size=1, max_size=30)


@given(st.lists(st.tuples(st.sampled_from(["a" * 40, "b" * 40]), names, names, st.integers(0, 100)), max_size=8))
def test_parse_round_trips(records: list[tuple[str, str, str, int]]) -> None:
    output = b""
    last = None
    for sha, old, new, score in records:
        if sha != last:
            output += sha.encode() + b"\0"
            last = sha
        output += f"R{score:03d}".encode() + b"\0" + old.encode() + b"\0" + new.encode() + b"\0"
    assert parse_renames(output) == [Rename(sha, old, new) for sha, old, new, _ in records]
