"""The release lock: one `relmgr release` at a time per repository (`.git/relmgr-release.lock`).

Two releases at once each commit, tag and roll back over the other's work (a tag left on a commit no
branch holds, a changelog entry wiped from the work tree). The lock is a file created with `O_EXCL`, the
way git locks its index: atomic on every local file system, held while the release writes, removed on
exit (also on an error, Ctrl-C or SIGTERM). A lock left by a release that was killed names its pid and
whether that process still runs; relmgr never removes a lock it did not create.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from relmgr.errors import GitError, PolicyError

LOCK_NAME = "relmgr-release.lock"


@contextlib.contextmanager
def release_lock(git_dir: Path) -> Iterator[Path]:
    """Hold the release lock of the repository whose git folder is `git_dir`; PolicyError when it is held."""
    path = git_dir / LOCK_NAME
    mine = f"pid {os.getpid()}\nhost {socket.gethostname()}\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise PolicyError(held_by(path)) from None
    except OSError as exc:
        raise GitError(f"cannot create the release lock {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(mine)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            if path.read_text(encoding="utf-8") == mine:  # never remove another release's lock
                path.unlink()


def held_by(path: Path) -> str:
    """Why the release cannot start: who holds the lock, and what to do."""
    try:
        fields = dict(line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines() if " " in line)
    except (OSError, UnicodeDecodeError):
        fields = {}
    pid, host = fields.get("pid", ""), fields.get("host", "")
    remove = f"if no release is running, remove {path} (then check `git status` and `git log -1`)"
    if not pid.isdigit():
        return f"another relmgr release holds {path}; wait for it to finish, or {remove}"
    if host and host != socket.gethostname():
        return f"a relmgr release on {host} (pid {pid}) holds {path}; wait for it to finish, or {remove}"
    if _running(int(pid)):
        return f"another relmgr release is running in this repository (pid {pid}); wait for it to finish"
    return f"a stale release lock from pid {pid}, which no longer runs (a release that was killed?): {remove}"


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: no signal, only whether the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # someone else's process: do not call it stale
    return True
