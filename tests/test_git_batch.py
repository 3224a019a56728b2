"""GitRepo's batched readers: many `REF:path` names and blobs, one git process each."""

from __future__ import annotations

from relmgr.history.git import GitRepo
from tests.conftest import Repo


def test_blob_ids_and_contents(repo: Repo) -> None:
    first = repo.commit("feat: one", {"docs/api.yaml": "one\n", "a b.txt": "spaced\n"})
    repo.commit("feat: two", {"docs/api.yaml": "two\n"})
    git = GitRepo(repo.path)
    names = ["HEAD:docs/api.yaml", f"{first}:docs/api.yaml", "HEAD^:docs/api.yaml", "HEAD:a b.txt",
             "HEAD:missing.yaml", "nosuchref:docs/api.yaml", "HEAD:docs", f"{first}^:docs/api.yaml"]
    ids = git.blob_ids(names)
    assert ids[1] == ids[2] and ids[0] != ids[1]
    assert ids[3] is not None
    assert ids[4:] == [None, None, None, None]  # missing path, unknown ref, a folder, before the root commit
    blobs = git.read_objects([i for i in ids if i] + ["0" * 40])
    assert [blobs[i] for i in ids[:4] if i] == [b"two\n", b"one\n", b"one\n", b"spaced\n"]
    assert "0" * 40 not in blobs


def test_objects_streamed_one_at_a_time_are_the_batch_read(repo: Repo) -> None:
    """Many names (more than a pipe holds: git answers while they are still being given) and large blobs
    (more than a pipe holds each), missing ones left out, in the order asked."""
    big = "".join(f"line {n}\n" for n in range(40_000))  # ~0.4 MB
    sha = repo.commit("feat: one", {"big.txt": big, **{f"files/f{n}.txt": f"{n}\n" for n in range(400)}})
    git = GitRepo(repo.path)
    spellings = ["HEAD", "HEAD~0", "HEAD^0", sha, sha[:12]]  # 2,000 distinct names, ~90 KB
    names = ["HEAD:big.txt", "HEAD:nothing", *(f"{ref}:files/f{n}.txt" for ref in spellings for n in range(400)),
             "HEAD:big.txt"]
    streamed = list(git.iter_objects([*names, "0" * 40]))
    assert [name for name, _ in streamed] == list(dict.fromkeys(n for n in names if n != "HEAD:nothing"))
    assert dict(streamed) == git.read_objects(names)
    assert dict(streamed)["HEAD:big.txt"] == big.encode()
    assert list(git.iter_objects([])) == []
    early = git.iter_objects(names)
    assert next(early)[0] == "HEAD:big.txt"
    early.close()  # a caller that stops early ends git without an error


def test_object_ids_tell_commits_and_trees(repo: Repo) -> None:
    sha = repo.commit("feat: one", {"docs/api.yaml": "one\n"})
    found = GitRepo(repo.path).object_ids(["HEAD^{commit}", "HEAD:docs", "v9^{commit}"])
    assert found[0] == (sha, "commit")
    assert found[1] is not None and found[1][1] == "tree"
    assert found[2] is None
    assert GitRepo(repo.path).object_ids([]) == []


def test_commit_subjects_of_merges(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.branch("topic")
    repo.checkout("topic")
    repo.commit("feat: two")
    repo.checkout("main")
    merge = repo.merge("topic", "Merge branch 'topic'\n\nwith a body")
    assert GitRepo(repo.path).commit_subjects([merge]) == {merge: "Merge branch 'topic'"}


def test_read_files_names_paths_at_a_ref(repo: Repo) -> None:
    repo.commit("feat: one", {"docs/static/ogx-spec.yaml": "one\n", "a b/c d.json": "{}\n"})
    repo.commit("feat: two", {"docs/static/ogx-spec.yaml": "two\n"})
    git = GitRepo(repo.path)
    found = git.read_files("HEAD~1", ["docs/static/ogx-spec.yaml", "a b/c d.json", "missing.yaml", "docs"])
    assert found == {"docs/static/ogx-spec.yaml": b"one\n", "a b/c d.json": b"{}\n", "docs": found["docs"]}
    assert git.read_files("HEAD", []) == {}


def test_added_files_lists_every_name_a_file_had(repo: Repo) -> None:
    repo.commit("feat: one", {"docs/_static/spec.yaml": "one\n", "src/a.py": "x\n"})
    repo.commit("docs: move", {"docs/static/spec.yaml": "one\n"}, remove=["docs/_static/spec.yaml"])
    git = GitRepo(repo.path)
    assert git.added_files(["HEAD"], [":(glob)**/*.yaml"]) == ["docs/static/spec.yaml", "docs/_static/spec.yaml"]
    assert git.added_files([], [":(glob)**/*.yaml"]) == []
    repo.commit("test: a recording", {"tests/recordings/r.yaml": "x\n"})
    assert "tests/recordings/r.yaml" not in git.added_files(["HEAD"], [":(glob)**/*.yaml"], ["**/tests/**"])
