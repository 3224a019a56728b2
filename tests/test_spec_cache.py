"""relmgr's cache of parsed specs on disk (relmgr/cache.py): hits, misses, broken and planted entries, another
repository's entries, config changes, concurrent writers, the size bound; and the commands reading through it."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import zlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from relmgr import __version__
from relmgr.app import derived
from relmgr.cache import MAGIC, Cache
from relmgr.history.git import GitRepo
from tests.conftest import Repo, run_cli
from tests.openapi_repo import CONFIG, SPEC, dump, edit, routes

DOC = {"openapi": "3.0.0", "paths": {"/v1/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}


def cache(folder: Path, repository: str = "r1", version: str = __version__, max_bytes: int = 10**9) -> Cache:
    return Cache(folder / "specs-1" / repository, repository, version, max_bytes)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


# -- the store -------------------------------------------------------------------------------------------


def test_a_stored_value_is_a_hit_and_anything_else_a_miss(tmp_path: Path) -> None:
    store = cache(tmp_path)
    assert store.get("spec", "abc") is None
    assert store.put("spec", "abc", DOC, finite=True)
    assert store.get("spec", "abc") == DOC
    assert store.fetch("spec", "abc") == (DOC, True)
    assert store.get("spec", "abd") is None  # another key
    assert store.get("ops", "abc") is None  # another kind


@pytest.mark.parametrize("value", [
    {200: {"description": "ok"}, "on": True},  # YAML's integer keys
    {"sunset": date(2025, 6, 1), "at": datetime(2025, 6, 1, 10, tzinfo=UTC), "local": datetime(2025, 1, 1)},
    {"max": 2**70, "min": -(2**64), "nan": float("nan"), "inf": float("-inf")},
    {"binary": b"\x00\xff", "set": {1, 2}, "\x00relmgr": ["date", "2020-01-01"]},  # a key like the tag itself
    {"nested": [{1: [date(2020, 1, 1)]}, {"x": None}]},
])
def test_values_json_cannot_hold_come_back_as_they_were(tmp_path: Path, value: dict[Any, Any]) -> None:
    store = cache(tmp_path)
    assert store.put("spec", "k", value)
    found = store.fetch("spec", "k")
    assert found is not None
    assert repr(found[0]) == repr(value)  # types too: 200 is not "200", a date is not text; NaN is NaN
    assert found[1] is False  # not plain: the fast comparison is not used for it


def test_a_nan_the_caller_did_not_rule_out_is_kept(tmp_path: Path) -> None:
    store = cache(tmp_path)
    store.put("spec", "k", {"x": float("nan")})  # finite not promised: the value is walked
    assert repr(store.get("spec", "k")) == "{'x': nan}"


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # a truncated write (a crash of a writer that did not rename)
    lambda data: data[:-3] + bytes([data[-3] ^ 1]) + data[-2:],  # one bit of the payload
    lambda data: b"garbage",
    lambda data: b"",
    lambda data: MAGIC + b"{not json\n" + data,
    lambda data: data.replace(__version__.encode(), b"0.0.0-other", 1),  # another relmgr version's entry
])
def test_a_broken_entry_is_a_miss_and_is_rebuilt(tmp_path: Path, damage: Any) -> None:
    store = cache(tmp_path)
    store.put("spec", "k", DOC, finite=True)
    [path] = entries(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    assert store.get("spec", "k") is None
    assert store.put("spec", "k", DOC, finite=True)
    assert store.get("spec", "k") == DOC


def test_an_entry_planted_with_a_valid_checksum_but_another_key_is_refused(tmp_path: Path) -> None:
    """Someone copies the entry of one blob over another's name: the header names the key it was made for."""
    store = cache(tmp_path)
    store.put("spec", "one", {"openapi": "3.0.0", "paths": {}}, finite=True)
    store.put("spec", "two", DOC, finite=True)
    one, two = store._path("spec", "one"), store._path("spec", "two")
    two.write_bytes(one.read_bytes())
    assert store.get("spec", "two") is None


def test_a_zlib_bomb_a_symlink_and_a_fifo_are_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from relmgr import cache as module

    monkeypatch.setattr(module, "_MAX_PAYLOAD", 1 << 20)  # the bound, scaled down: a 4 MB bomb stands for a 400 MB one
    store = cache(tmp_path, max_bytes=10**9)
    store.put("spec", "k", DOC, finite=True)
    path = store._path("spec", "k")
    import hashlib
    bomb = zlib.compress(b"[" + b"0," * 2_000_000 + b"0]", 9)
    header = {"format": 1, "relmgr": __version__, "repository": "r1", "kind": "spec", "key": "k", "tagged": False,
              "sha256": hashlib.sha256(bomb).hexdigest()}
    path.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + bomb)
    assert store.get("spec", "k") is None  # refused past the bound, not inflated
    path.unlink()
    target = tmp_path / "elsewhere"
    target.write_bytes(b"x")
    path.symlink_to(target)
    assert store.get("spec", "k") is None
    path.unlink()
    os.mkfifo(path)
    started = time.monotonic()
    assert store.get("spec", "k") is None  # no hang waiting for a writer
    assert time.monotonic() - started < 5


def test_another_repository_never_reads_these_entries(tmp_path: Path) -> None:
    mine, theirs = cache(tmp_path, "r1"), cache(tmp_path, "r2")
    mine.put("spec", "k", DOC, finite=True)
    assert theirs.get("spec", "k") is None
    # even with its entry file copied under this repository's name: the header names the repository
    theirs.folder.mkdir(parents=True)
    theirs._path("spec", "k").write_bytes(mine._path("spec", "k").read_bytes())
    assert theirs.get("spec", "k") is None


def test_the_repository_is_its_common_git_dir_shared_by_its_worktrees(repo: Repo, tmp_path: Path) -> None:
    repo.commit("feat: one", {"a.txt": "1"})
    repo.git("worktree", "add", str(tmp_path / "wt"), "-b", "other")
    main, worktree = GitRepo.open(repo.path), GitRepo.open(tmp_path / "wt")
    assert main.common_dir() == worktree.common_dir() == (repo.path / ".git").resolve()
    one = Cache.for_repository(main.common_dir(), __version__, environ={})
    two = Cache.for_repository(worktree.common_dir(), __version__, environ={})
    assert one is not None and two is not None and one.folder == two.folder
    assert one.folder.is_relative_to(repo.path / ".git" / "relmgr")
    other = Cache.for_repository(tmp_path / "another" / ".git", __version__,
                                 environ={"RELMGR_CACHE_DIR": str(tmp_path / "shared")})
    same_dir = Cache.for_repository(main.common_dir(), __version__,
                                    environ={"RELMGR_CACHE_DIR": str(tmp_path / "shared")})
    assert other is not None and same_dir is not None
    assert other.folder.parent == same_dir.folder.parent and other.folder != same_dir.folder


def test_the_environment_moves_or_disables_it(tmp_path: Path) -> None:
    assert Cache.for_repository(tmp_path, __version__, environ={"RELMGR_NO_CACHE": "1"}) is None
    moved = Cache.for_repository(tmp_path, __version__, environ={"RELMGR_CACHE_DIR": str(tmp_path / "c"),
                                                                  "RELMGR_CACHE_MAX_MB": "5"})
    assert moved is not None and moved.folder.is_relative_to(tmp_path / "c") and moved.max_bytes == 5 * 1024 * 1024


def test_an_unwritable_cache_turns_writing_off_and_says_so_once(tmp_path: Path) -> None:
    """A folder that cannot be made (here a file stands where it should be: root ignores permissions): every put
    is a quiet False, one message is given, and what was there before can still be read."""
    blocked = tmp_path / "blocked"
    blocked.write_bytes(b"not a folder")
    store = Cache(blocked / "specs-1" / "r1", "r1", __version__)
    told: list[str] = []
    store.warn = told.append
    assert not store.put("spec", "a", DOC, finite=True)
    assert not store.put("spec", "b", DOC, finite=True)
    assert store.get("spec", "a") is None and store.write_error
    assert len(told) == 1 and str(blocked) in told[0] and "RELMGR_NO_CACHE=1" in told[0]
    readable = cache(tmp_path / "kept")
    readable.put("spec", "a", DOC, finite=True)
    readable.write_error = "Read-only file system"  # as after a failed write: reads go on
    assert readable.get("spec", "a") == DOC and not readable.put("spec", "b", DOC, finite=True)


def test_the_size_bound_removes_the_least_recently_used(tmp_path: Path) -> None:
    big = {"openapi": "3.0.0", "paths": {f"/v1/{i}": {"get": {"description": os.urandom(2000).hex()}}
                                         for i in range(10)}}
    store = cache(tmp_path, max_bytes=10**9)
    store.put("spec", "first", big, finite=True)
    size = store._path("spec", "first").stat().st_size
    bounded = cache(tmp_path, max_bytes=int(size * 3.5))
    past = time.time() - 1000
    os.utime(bounded._path("spec", "first"), (past, past))
    for n, key in enumerate(["second", "third"]):
        bounded.put("spec", key, big, finite=True)
        os.utime(bounded._path("spec", key), (past + 10 * (n + 1), past + 10 * (n + 1)))
    assert bounded.get("spec", "first") is not None  # read: now the most recently used
    bounded.put("spec", "fourth", big, finite=True)
    bounded.prune()
    kept = {key for key in ("first", "second", "third", "fourth") if bounded._path("spec", key).exists()}
    assert "second" not in kept and "first" in kept and "fourth" in kept
    assert sum(p.stat().st_size for p in entries(tmp_path)) <= size * 3.5


def test_a_crashed_writers_temp_file_is_removed_and_a_running_ones_kept(tmp_path: Path) -> None:
    store = cache(tmp_path, max_bytes=1)
    store.put("spec", "k", DOC, finite=True)
    old, new = store.folder / ".spec-x.abc.tmp", store.folder / ".spec-y.def.tmp"
    old.write_bytes(b"half")
    new.write_bytes(b"half")
    past = time.time() - 7200
    os.utime(old, (past, past))
    store.prune()
    assert not old.exists() and new.exists()


def test_concurrent_writers_and_readers_never_see_half_an_entry(tmp_path: Path) -> None:
    values = {f"k{i}": {"openapi": "3.0.0", "paths": {f"/v1/{j}": {"get": {"n": j}} for j in range(i * 50)}}
              for i in range(4)}
    wrong: list[str] = []

    def work(seed: int) -> None:
        store = cache(tmp_path)
        for round_ in range(30):
            key = f"k{(seed + round_) % 4}"
            store.put("spec", key, values[key], finite=True)
            found = store.get("spec", f"k{(seed + round_ + 1) % 4}")
            if found is not None and found != values[f"k{(seed + round_ + 1) % 4}"]:
                wrong.append(key)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert all(cache(tmp_path).get("spec", key) == value for key, value in values.items())
    assert not [p for p in tmp_path.rglob(".*.tmp")]  # every temp file renamed or removed


# -- the commands ----------------------------------------------------------------------------------------


def _history(repo: Repo, config: str = CONFIG) -> None:
    repo.config(config)
    repo.commit("feat(files): spec", {SPEC: dump(routes())})
    repo.tag("v1.0.0")
    repo.commit("feat(files): require a mode", {SPEC: dump(edit(routes(), require=[("/v1/files/{id}", "get")]))})
    repo.tag("v1.1.0")


def _blob(repo: Repo, ref: str) -> str:
    return repo.git("rev-parse", f"{ref}:{SPEC}").strip()


def _store(repo: Repo) -> Cache:
    found = Cache.for_repository(GitRepo.open(repo.path).common_dir(), __version__, environ={})
    assert found is not None
    return found


def test_check_fills_the_cache_and_a_second_run_reads_it(repo: Repo) -> None:
    _history(repo)
    first = run_cli(["check", "--tag", "v1.1.0", "--json"], repo)
    assert first.json()["warnings"]  # the required parameter: an undeclared break of v1
    store = _store(repo)
    assert store.get("spec", _blob(repo, "v1.1.0")) is not None  # written by the first run
    kinds = {path.name.split("-")[0] for path in entries(repo.path / ".git" / "relmgr")}
    assert kinds == {"spec", "surface", "diff"}
    # the proof that the second run reads the cache, not git: entries planted as a run of this relmgr would
    # write them. A parsed spec for the tip's blob without the mode parameter (the diffs made from it removed):
    for path in entries(repo.path / ".git" / "relmgr"):
        if not path.name.startswith("spec-"):
            path.unlink()
    store.put("spec", _blob(repo, "v1.1.0"), _parsed(dump(routes())), finite=True)
    planted = run_cli(["check", "--tag", "v1.1.0", "--json"], repo)
    assert not planted.json()["warnings"]
    # ... and a diff of the two releases' surfaces with no change: the documents are not even read
    for path in entries(repo.path / ".git" / "relmgr"):
        path.unlink()
    assert run_cli(["check", "--tag", "v1.1.0", "--json"], repo).json() == first.json()  # refilled
    [key] = [header["key"] for header in map(_header, entries(repo.path / ".git" / "relmgr"))
             if header["kind"] == "diff" and header["key"].endswith("|*")]  # the whole surfaces' diff
    assert key.startswith(derived.diff_key(((SPEC, _blob(repo, "v1.0.0")),), ((SPEC, _blob(repo, "v1.1.0")),),
                                           "x-stability-level", None, None).split("|None|")[0])
    store.put("diff", key, [], finite=True)
    assert not run_cli(["check", "--tag", "v1.1.0", "--json"], repo).json()["warnings"]
    # turned off, by the environment or the config, relmgr reads git again and the finding is back
    assert run_cli(["check", "--tag", "v1.1.0", "--json"], repo, env={"RELMGR_NO_CACHE": "1"}).json() == first.json()
    repo.config(CONFIG.replace("[tool.relmgr.openapi]", "[tool.relmgr.openapi]\ncache = false"))
    assert run_cli(["check", "--tag", "v1.1.0", "--json"], repo).json() == first.json()


def _header(path: Path) -> Any:
    return json.loads(path.read_bytes().split(b"\n")[1])


def _parsed(text: str) -> Any:
    import yaml
    return yaml.safe_load(text)


def test_a_corrupt_cache_is_read_around(repo: Repo) -> None:
    _history(repo)
    first = run_cli(["check", "--tag", "v1.1.0", "--json"], repo)
    for path in entries(repo.path / ".git" / "relmgr"):
        path.write_bytes(b"relmgr-cache\n{}\n" + os.urandom(64))
    again = run_cli(["check", "--tag", "v1.1.0", "--json"], repo)
    assert again.exit_code == first.exit_code and again.json() == first.json()
    assert _store(repo).get("spec", _blob(repo, "v1.1.0")) is not None  # rebuilt


def test_relmgr_cache_dir_moves_it(repo: Repo, tmp_path: Path) -> None:
    _history(repo)
    run_cli(["check", "--tag", "v1.1.0"], repo, env={"RELMGR_CACHE_DIR": str(tmp_path / "ci-cache")})
    assert entries(tmp_path / "ci-cache")
    assert not (repo.path / ".git" / "relmgr").exists()


def test_a_run_with_an_unwritable_cache_gives_the_same_answer_and_one_warning(repo: Repo, tmp_path: Path) -> None:
    _history(repo)
    blocked = tmp_path / "blocked"
    blocked.write_bytes(b"not a folder")
    off = run_cli(["check", "--tag", "v1.1.0", "--json"], repo, env={"RELMGR_NO_CACHE": "1"})
    run = run_cli(["check", "--tag", "v1.1.0", "--json"], repo, env={"RELMGR_CACHE_DIR": str(blocked)})
    assert (run.exit_code, run.json()) == (off.exit_code, off.json())
    assert run.stderr.count("cannot be written") == 1 and "Traceback" not in run.stderr
    assert "cannot be written" not in off.stderr
    assert not (repo.path / ".git" / "relmgr").exists()


def test_a_config_change_gives_what_a_run_without_the_cache_gives(repo: Repo) -> None:
    """levels-from decides every operation's level: whatever the cache holds, a changed config must not read
    results made under the old one."""
    marked = CONFIG.replace("[tool.relmgr.apis.files]", "[tool.relmgr.apis.files]")
    repo.config(marked)
    paths = edit(routes(), mark={("/v1/files/{id}", "get"): "alpha"})
    repo.commit("feat(files): spec", {SPEC: dump(paths)})
    repo.tag("v1.0.0")
    repo.commit("feat(files): require a mode", {SPEC: dump(edit(paths, require=[("/v1/files/{id}", "get")]))})
    repo.tag("v1.1.0")
    for levels in ("x-stability-level", "path", "x-stability-level"):
        repo.config(marked.replace("[tool.relmgr.openapi]", f'[tool.relmgr.openapi]\nlevels-from = "{levels}"'))
        cached = run_cli(["check", "--tag", "v1.1.0", "--json"], repo)
        fresh = run_cli(["check", "--tag", "v1.1.0", "--json"], repo, env={"RELMGR_NO_CACHE": "1"})
        assert (cached.exit_code, cached.json()) == (fresh.exit_code, fresh.json())


def test_a_store_keeping_one_document_in_memory_gives_the_same_answers(repo: Repo,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside the cache on disk the store keeps only the last documents it used (a spec-heavy changelog would
    hold thousands); what it dropped is read back from the disk, or from git when the disk lost it."""
    from relmgr.app import spec_store
    from relmgr.app.check import judge_target, target_of
    from relmgr.history.repository import Project

    _history(repo)
    paths = edit(routes(), require=[("/v1/files/{id}", "get")])
    for n in range(3):
        paths[f"/v1/files/x{n}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
        repo.commit(f"feat(files): route {n}", {SPEC: dump(paths)})
    dropped = repo.commit("fix(files): tidy", {SPEC: dump(edit(paths, drop=[("/v1/files/{id}", "delete")]))})
    repo.commit("feat(files): more", {SPEC: dump(edit(paths, drop=[("/v1/files/{id}", "delete")],
                                                      deprecate=[("/v1/files/x1", "get")]))})
    repo.tag("v1.2.0")
    off = {"RELMGR_NO_CACHE": "1"}
    expected = [run_cli(args, repo, env=off) for args in (["changelog"], ["check", "--tag", "v1.2.0", "--json"])]
    assert dropped in str(expected[1].json())  # the commit that removed the operation, told by a commit's diff
    monkeypatch.setattr(spec_store, "KEPT", 1)
    monkeypatch.setattr(spec_store, "KEPT_SURFACES", 1)
    for round_ in ("cold", "warm", "lost"):
        if round_ == "lost":  # the disk lost the parsed specs (its size bound): they are read from git again
            for path in entries(repo.path / ".git" / "relmgr"):
                if path.name.startswith(("spec-", "diff-")):
                    path.unlink()
        got = [run_cli(args, repo) for args in (["changelog"], ["check", "--tag", "v1.2.0", "--json"])]
        assert [(r.exit_code, r.stdout) for r in got] == [(r.exit_code, r.stdout) for r in expected], round_
    shutil.rmtree(repo.path / ".git" / "relmgr")
    project = Project.open(repo.path, None)
    judge_target(project, target_of(project, "v1.2.0", None, None), frozenset(), date(2024, 6, 1))
    store = spec_store.store_of(project)
    assert len(store._kept._evictable) == 1 and not store._kept._pinned  # the others are on disk
    # turned off, the run keeps them in a folder of its own, removed when the run is over
    monkeypatch.setenv("RELMGR_NO_CACHE", "1")
    shutil.rmtree(repo.path / ".git" / "relmgr")
    assert run_cli(["check", "--tag", "v1.2.0", "--json"], repo).stdout == expected[1].stdout
    project = Project.open(repo.path, None)
    judge_target(project, target_of(project, "v1.2.0", None, None), frozenset(), date(2024, 6, 1))
    store = spec_store.store_of(project)
    assert len(store._kept._evictable) == 1 and not store._kept._pinned
    disk = store._disk()
    assert disk is not None and not disk.folder.is_relative_to(repo.path) and entries(disk.folder)
    scratch = disk.folder.parent.parent
    assert store.scratch_removal is not None and store.scratch_removal.atexit  # when the store goes, or the run
    store.scratch_removal()
    assert not scratch.exists()
    assert not (repo.path / ".git" / "relmgr").exists()


def test_the_spec_phases_report_progress(repo: Repo) -> None:
    """Parsing, reading the cache and diffing spec versions are reported by name (a terminal draws them)."""
    from relmgr.app.check import judge_target, target_of
    from relmgr.history.repository import Project

    _history(repo)

    def phases() -> list[str]:
        seen: list[str] = []
        project = Project.open(repo.path, None)
        project.progress = lambda what, done, total: seen.append(what)
        judge_target(project, target_of(project, "v1.1.0", None, None), frozenset(), date(2024, 6, 1))
        return list(dict.fromkeys(seen))

    assert phases() == ["reading the OpenAPI specs", "comparing the OpenAPI specs of v1.0.0 and v1.1.0",
                        "attributing OpenAPI spec changes to commits"]
    for path in entries(repo.path / ".git" / "relmgr"):
        if not path.name.startswith("spec-"):
            path.unlink()
    assert phases() == ["reading the cached OpenAPI specs", "comparing the OpenAPI specs of v1.0.0 and v1.1.0",
                        "attributing OpenAPI spec changes to commits"]
