"""What `git log` writes, read so that no commit can forge a record: the framing and the parsing (pure).

A commit message, an author name or an email can hold any byte git lets through, `\\x1e`, `\\x1f` and NUL
included (`git commit-tree` and `git hash-object` write them; git escapes none of them in `%B`). A fixed
separator can therefore be written by whoever writes a message, and a message that writes one ends its
own record and starts a made-up one. So every separator here is NUL followed by a token drawn at random
for each run (128 bits, `secrets`): no text in the repository can contain what did not exist when it
was written. The free-form fields come after the fixed ones and the message last; the `-z` file list
follows the last separator. `git.py` also checks each record's sha against what `git rev-list` lists
for the same walk, in the same order, so that even a framing bug could not invent a commit.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from relmgr.errors import GitError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HEX = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256 object names
# A commit record: the fields git writes itself (hex, ISO dates: never a NUL), then the free-form ones.
COMMIT_FIXED = ("%H", "%P", "%aI", "%cI")
COMMIT_FREE = ("%an", "%ae", "%B")
_TOKEN_BYTES = 10  # 80 random bits a run: no one guesses them, and the stream stays small


@dataclass(frozen=True, slots=True)
class RawCommit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: datetime  # author date
    committed: datetime
    message: str
    files: tuple[str, ...]
    encoding_ok: bool = True  # False when the message was not valid UTF-8 (decoded with replacements)
    warnings: tuple[str, ...] = ()  # what could not be read as written (a malformed date)


class Framing:
    """A `--format` whose separators no commit can contain: `fixed` placeholders (sha first; what git
    writes itself, hex and dates, joined by NUL), then `free` ones (names, messages: anything), each
    ended by NUL and the run's token.

    `format` goes to `git log --format=`; `record` separates records in the output stream and `split`
    cuts one record into its fields, plus what git wrote after the format (the `-z` file list).
    """

    def __init__(self, fixed: Sequence[str], free: Sequence[str] = (), token: str | None = None) -> None:
        token = token or secrets.token_hex(_TOKEN_BYTES)
        self.fixed, self.free = tuple(fixed), tuple(free)
        self.record = f"\0{token}R".encode()
        self.field = f"\0{token}F"
        self.format = f"%x00{token}R" + "%x00".join(self.fixed) + "".join(f"%x00{token}F{p}" for p in self.free)
        self.format += f"%x00{token}F"

    def split(self, record: str) -> list[str]:
        """The fields of one record and the rest (the file list); a record of another shape is a GitError."""
        parts = record.split(self.field)
        fixed = parts[0].split("\0")
        if len(parts) != len(self.free) + 2 or len(fixed) != len(self.fixed):  # the sha: git.py's rev-list check
            raise GitError("could not read `git log` output (a record of an unexpected shape); "
                           "report this with the output of `git version`")
        return [*fixed, *parts[1:]]


def decode(record: bytes) -> tuple[str, bool]:
    """A record as text, and whether it was valid UTF-8 (else undecodable bytes become U+FFFD).

    The separators are ASCII, so decoding with replacements never moves or makes one.
    """
    try:
        return record.decode("utf-8"), True
    except UnicodeDecodeError:
        return record.decode("utf-8", "replace"), False


def commit_framing() -> Framing:
    return Framing(COMMIT_FIXED, COMMIT_FREE)


def parse_commit_record(framing: Framing, record: bytes) -> RawCommit:
    """One record of a `commit_framing()` (with `-z --name-only`, the files after the last separator).

    The hot path of every history read (10⁵ calls): `Framing.split` and `file_list`, inlined.
    """
    text, ok = decode(record)
    parts = text.split(framing.field)
    fixed = parts[0].split("\0")
    if len(parts) != 5 or len(fixed) != 4:
        framing.split(text)  # raises, with the message
    sha, parents, adate, cdate = fixed
    author, email, message, tail = parts[1], parts[2], parts[3], parts[4]
    if not ok:  # only the message's bytes say whether the message was valid UTF-8
        ok = _valid_utf8_message(record, framing)
    warnings: list[str] = []
    try:
        date, committed = datetime.fromisoformat(adate), datetime.fromisoformat(cdate)
        if date.tzinfo is None or committed.tzinfo is None:
            raise ValueError("no offset")
    except ValueError:
        date = parse_date(adate) or _malformed("author", adate, warnings)
        committed = parse_date(cdate) or _malformed("committer", cdate, warnings)
    files = tuple(filter(None, tail[2:].split("\0"))) if tail.startswith("\0\n") else ()
    return RawCommit(sha, tuple(parents.split()), author, email, date, committed, message, files, ok,
                     tuple(warnings))


def file_list(tail: str) -> tuple[str, ...]:
    """The paths `--name-only -z` wrote after a record's format: `\\0\\n` then NUL-terminated paths.

    A path may start with a line feed or hold any byte but NUL, so only that fixed lead-in is dropped.
    """
    if not tail.startswith("\0\n"):
        return ()
    return tuple(path for path in tail[2:].split("\0") if path)


def _valid_utf8_message(record: bytes, framing: Framing) -> bool:
    """Whether the message field's bytes (the last free field) are valid UTF-8."""
    message = record.split(framing.field.encode())[len(framing.free)]
    try:
        message.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _malformed(which: str, text: str, warnings: list[str]) -> datetime:
    """git prints a date it cannot read as `%aI` itself, or empty: read it as git does, as 1970-01-01."""
    warnings.append(f"its {which} date is malformed ({text[:40]!r}); read as 1970-01-01, as git does")
    return EPOCH


def parse_date(text: str) -> datetime | None:
    """An ISO 8601 date with its offset, as git writes it (`%aI`, `iso-strict`); None when it is not one
    (git writes the placeholder itself, or nothing, for a date it cannot read)."""
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def is_object_name(text: str) -> bool:
    """A full SHA-1 or SHA-256 object name in lower-case hex."""
    return bool(_HEX.fullmatch(text))
