"""Writing files the safe way: a temp file in the same folder, then a rename. Never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from relmgr.errors import UsageError


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically, keeping the file's permissions if it exists."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def unified_diff(old: str | None, new: str, name: str) -> str:
    """`diff -u` of two texts of the file `name` (old None: a new file), every line ending in a newline."""
    import difflib

    lines = difflib.unified_diff((old or "").splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile="/dev/null" if old is None else f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def append_text(path: Path, text: str) -> None:
    """Append to a file another program owns (GITHUB_STEP_SUMMARY: GitHub's own toolkit appends, never renames)."""
    try:
        with path.open("a", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot append to {path}: {exc.strerror}") from None


def read_text(path: Path) -> str:
    """A text file the user named (a template, a changelog), as UTF-8; unreadable is a usage error."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


def read_template(path: Path) -> str:
    """A `--template` file's text; a missing one is a usage error."""
    if not path.is_file():
        raise UsageError(f"template {path} does not exist; check the --template path")
    return read_text(path)
