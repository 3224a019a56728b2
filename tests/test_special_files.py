"""relmgr never writes a regular file in place of anything else (issue 16, item 2; issue 14, item 7).

Devices are made with mknod in the test's folder (a null and a full device) or are a pseudo-terminal,
never the system's own /dev/null: replacing it (as root) is exactly the bug these tests catch.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from relmgr.errors import UsageError
from relmgr.files import write_atomic
from tests.conftest import Repo, run_cli
from tests.release_repo import project, relmgr


def device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), or a skip where mknod is refused."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc})")
    return path


@pytest.fixture
def released(repo: Repo) -> Repo:
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    return repo


def relmgr_process(repo: Repo, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """relmgr as its own process: a hang is a failed test, not a stuck suite."""
    return subprocess.run([sys.executable, "-m", "relmgr", "--repo", str(repo.path), *args], capture_output=True,
                          text=True, timeout=timeout, check=False, env={**os.environ, "NO_COLOR": "1"})


def test_a_character_device_is_written_through(released: Repo, tmp_path: Path) -> None:
    null = device(tmp_path, "null", 3)
    run = run_cli(["notes", "v0.1.0", "--output", str(null)], released)
    assert run.exit_code == 0, run.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)  # still the device, not a regular file with the notes


def test_a_full_device_fails_in_one_line(released: Repo, tmp_path: Path) -> None:
    full = device(tmp_path, "full", 7)
    run = run_cli(["notes", "v0.1.0", "--output", str(full)], released)
    assert run.exit_code == 2
    assert run.stderr == f"relmgr: error: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_a_terminal_is_written_through(released: Repo) -> None:
    """A pseudo-terminal's device (/dev/pts/N) is a character device anyone may open: no mknod needed."""
    main, secondary = os.openpty()
    try:
        path = Path(os.ttyname(secondary))
        run = run_cli(["changelog", "--output", str(path)], released)
        assert run.exit_code == 0, run.stderr
        assert os.read(main, 4096).startswith(b"# Changelog")
        assert stat.S_ISCHR(path.lstat().st_mode)
    finally:
        os.close(main)
        os.close(secondary)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    yield path


def test_a_fifo_is_written_through(released: Repo, fifo: Path) -> None:
    got: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:
            got.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    run = relmgr_process(released, "notes", "v0.1.0", "--output", str(fifo))
    reader.join(timeout=30)
    assert run.returncode == 0, run.stderr
    assert got and got[0].startswith(b"## 0.1.0")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_is_no_changelog_to_edit(released: Repo, fifo: Path) -> None:
    run = relmgr_process(released, "notes", "v0.1.0", "--changelog", str(fifo), timeout=30)
    assert run.returncode == 2
    assert run.stderr == f"relmgr: error: --changelog {fifo} is a FIFO, not a regular file; name a file\n"


def test_dash_is_stdout(released: Repo) -> None:
    notes = run_cli(["notes", "v0.1.0"], released).stdout
    assert run_cli(["notes", "v0.1.0", "--output", "-"], released).stdout == notes
    assert run_cli(["changelog", "-o", "-"], released).stdout == run_cli(["changelog"], released).stdout
    assert not (released.path / "-").exists()


def test_a_symlink_keeps_being_a_link_and_its_target_is_written(released: Repo, tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert run_cli(["notes", "v0.1.0", "--output", str(link)], released).exit_code == 0
    assert link.is_symlink() and target.read_text().startswith("## 0.1.0")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the target keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_a_dangling_link_creates_its_target_and_a_loop_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "new.md")
    write_atomic(link, "text\n")
    assert link.is_symlink() and (tmp_path / "new.md").read_text() == "text\n"
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(UsageError, match="symlink loop"):
        write_atomic(loop, "text\n")


def test_new_files_get_the_mode_open_gives_them(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.md", "text\n")
        os.umask(0o027)
        write_atomic(tmp_path / "other.md", "text\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644  # not the temporary file's 0600
    assert stat.S_IMODE((tmp_path / "other.md").stat().st_mode) == 0o640
    kept = tmp_path / "kept.sh"
    kept.write_text("#!/bin/sh\n")
    kept.chmod(0o755)
    write_atomic(kept, "#!/bin/sh\necho\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o755


def test_a_folder_or_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    with pytest.raises(UsageError, match="is a folder"):
        write_atomic(tmp_path, "text\n")
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(UsageError, match="is a socket"):
            write_atomic(path, "text\n")
    finally:
        server.close()


# -- relmgr release ------------------------------------------------------------------------------------


def test_release_writes_a_symlinked_changelog_through_the_link(repo: Repo) -> None:
    project(repo, changelog=False)
    (repo.path / "docs").mkdir()
    (repo.path / "docs" / "CHANGELOG.md").write_text("# Changelog\n")
    (repo.path / "CHANGELOG.md").symlink_to("docs/CHANGELOG.md")
    repo.git("add", "docs/CHANGELOG.md", "CHANGELOG.md")
    repo.commit("docs: the changelog lives in docs/", {})
    repo.commit("feat(files): upload")
    run = relmgr(repo, "release", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["files"][0] == "docs/CHANGELOG.md"
    assert (repo.path / "CHANGELOG.md").is_symlink()
    assert "## 0.1.0" in (repo.path / "docs" / "CHANGELOG.md").read_text()
    assert repo.git("status", "--porcelain", "--untracked-files=no") == ""  # the target was committed
    assert "docs/CHANGELOG.md" in repo.git("show", "--name-only", "--format=", "HEAD").split()
    assert repo.git("cat-file", "-t", "HEAD:CHANGELOG.md") == "blob"
    assert repo.git("ls-tree", "HEAD", "CHANGELOG.md").startswith("120000")  # committed as a link still


def test_release_refuses_a_changelog_that_leads_out_of_the_repository(repo: Repo, tmp_path: Path) -> None:
    project(repo, changelog=False)
    outside = tmp_path / "outside.md"
    outside.write_text("keep me\n")
    (repo.path / "CHANGELOG.md").symlink_to(outside)
    repo.git("add", "CHANGELOG.md")
    repo.commit("docs: a changelog elsewhere", {})
    repo.commit("feat(files): upload")
    run = relmgr(repo, "release")
    assert run.exit_code == 3
    assert "outside the repository" in run.stderr and run.stderr.count("\n") == 1
    assert outside.read_text() == "keep me\n"
