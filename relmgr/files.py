"""Writing files the safe way: never half-written, and never in place of anything but a regular file.

`write_atomic` writes a temporary file beside the target, then renames it over the target, so a reader
sees the old text or the new one, never a part. What it never does: replace a device, a FIFO or a socket
with a regular file (`relmgr notes --output /dev/null` as root used to replace the system's /dev/null),
replace a symlink with a regular file (the link's target is written and the link stays), or hand a new
file the temporary file's 0600 mode. See docs/safety.md.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from relmgr.errors import UsageError

_NEW_FILE_MODE = 0o666  # what open() asks for; the kernel takes the umask off, as for any new file


def write_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`; a failure is a UsageError (exit 2) naming the file and the reason.

    - a regular file (or a new one) is replaced atomically; an existing file keeps its mode (and its owner
      and group, where the system allows), a new one gets the mode `open()` would give it;
    - a symlink: its target is written that way, in the target's folder; the link stays a link;
    - a FIFO or a character device (`/dev/null`, `/dev/stdout`, a terminal) is written through, as a shell's
      `>` would: nothing to replace, nothing to make atomic;
    - anything else (a folder, a block device, a socket, a symlink loop) is refused.
    """
    target = _follow(path)
    found = _stat(target)
    if found is not None and not stat.S_ISREG(found.st_mode):
        if stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode):
            _write_through(path, target, text)
            return
        raise UsageError(f"cannot write {path}: it is {_kind(found.st_mode)}, not a regular file; "
                         "relmgr writes only regular files (or through FIFOs and character devices)")
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    _replace(path, target, text, found)


def _follow(path: Path) -> Path:
    """The file a path names once its symlinks are followed (a missing target is created there)."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath stops where a loop starts
        raise UsageError(f"cannot write {path}: it is a symlink loop")
    return target


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _write_through(shown: Path, target: Path, text: str) -> None:
    try:
        with target.open("wb") as handle:
            handle.write(_encode(text))
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror}") from None


def _replace(shown: Path, target: Path, text: str, old: os.stat_result | None) -> None:
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.relmgr.tmp"
    try:
        mode = _NEW_FILE_MODE if old is None else stat.S_IMODE(old.st_mode)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_encode(text))
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))  # os.open's mode went through the umask
            with contextlib.suppress(OSError):  # only the owner's group, or root, may hand a file on
                os.chown(tmp, old.st_uid, old.st_gid)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"cannot write {shown}: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "replace")  # a lone surrogate becomes `?`, never a traceback


def regular_or_missing(path: Path, what: str) -> None:
    """Refuse (UsageError) to read-modify-write `path` unless it is a regular file (through symlinks) or
    missing: reading a FIFO would wait for a writer forever, and a device holds no text to edit."""
    found = _stat(_follow(path))
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise UsageError(f"{what} {path} is {_kind(found.st_mode)}, not a regular file; name a file")


def unified_diff(old: str | None, new: str, name: str) -> str:
    """`diff -u` of two texts of the file `name` (old None: a new file), every line ending in a newline."""
    import difflib

    lines = difflib.unified_diff((old or "").splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile="/dev/null" if old is None else f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def append_text(path: Path, text: str) -> None:
    """Append to a file another program owns (GITHUB_STEP_SUMMARY: GitHub's own toolkit appends, never renames)."""
    try:
        with path.open("a", encoding="utf-8", newline="", errors="replace") as handle:
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
