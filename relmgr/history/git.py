"""The only module that talks to git: commits (one streamed `git log`), tags, the commit graph, blobs.

It runs `git` itself with a fixed, machine-readable format (`LC_ALL=C`, field/record separators, `-z` file
lists) so that one process answers each kind of question, never one process per commit or per tag.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from relmgr.errors import GitError

_EPOCH = "1970-01-01T00:00:00+00:00"
_US = b"\x1f"  # field separator
_RS = b"\x1e"  # record separator
_FIXED = ("%H", "%P", "%an", "%ae", "%aI", "%cI")
_LOG_FORMAT = "%x1e" + "%x1f".join(_FIXED) + "%x1f%B%x1f"
_LOG_OPTIONS = ("-c", "core.quotePath=false", "-c", "log.showSignature=false", "log", "--no-renames",
                "--no-color", "--no-ext-diff", "--no-textconv", "-z", "--encoding=UTF-8")
_CHUNK = 1 << 16  # bytes per read: what git writes in a few buffers
_PIPE = 1 << 20  # bytes git may write ahead of the reader
_SHALLOW_HINT = (
    "fetch the whole history: `git fetch --unshallow --tags` (in GitHub Actions: actions/checkout with "
    "`fetch-depth: 0`)"
)


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


@dataclass(frozen=True, slots=True)
class RawTag:
    name: str
    sha: str  # the commit the tag points to (peeled)
    date: datetime  # tagger date for annotated tags, commit date for lightweight ones
    annotated: bool
    target: str = "commit"  # the object type it names: only tags of commits can be releases


class _Prefetch:
    """Reads a log's records in a thread while the caller parses another; iterate to get them."""

    def __init__(self, records: Generator[bytes, None, None]) -> None:
        self._records = records
        self._read: list[bytes] = []
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="relmgr-log", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for record in self._records:
                if self._stop.is_set():
                    break
                self._read.append(record)
        except BaseException as exc:  # raised in the caller's thread, by __iter__
            self._error = exc
        finally:
            self._records.close()  # ends git when stopped early

    def __iter__(self) -> Iterator[bytes]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return iter(self._read)

    def close(self) -> None:
        """Stop reading (the caller gave up) and wait for git to end."""
        self._stop.set()
        self._thread.join()


class GitRepo:
    """A repository on disk; every method is one git process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # GIT_FLUSH=0: git log writes whole buffers to a pipe, not one write per commit (a wake-up each)
        self._env = {**os.environ, "LC_ALL": "C", "LANG": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_FLUSH": "0"}
        self._shallow: bool | None = None

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> GitRepo:
        """The repository containing `path` (default: the current directory); one `rev-parse`.

        Asking git itself (not GitPython, whose import costs more than the rest of a small command) also
        honours what git honours: `.git` files of worktrees, GIT_DIR, safe.directory.
        """
        where = (path or Path.cwd()).resolve()
        if not where.is_dir():
            problem = "is not a folder" if where.exists() else "does not exist"
            raise GitError(f"{where} {problem}; pass --repo with the path of a git repository")
        probe = cls(where)
        proc = probe._run_raw("rev-parse", "--show-toplevel")
        if proc.returncode != 0 and b"work tree" in proc.stderr:  # a bare repository: its git dir is the root
            proc = probe._run_raw("rev-parse", "--absolute-git-dir")
        if proc.returncode != 0:
            message = _first_line(proc.stderr)
            if "not a git repository" in message:
                raise GitError(f"{where} is not inside a git repository; run relmgr in one or pass --repo PATH")
            raise GitError(message or f"{where} is not a usable git repository")
        return cls(Path(proc.stdout.decode().strip()))

    # -- running git -----------------------------------------------------------------------------

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True,
            env: Mapping[str, str] | None = None) -> bytes:
        """Run one git command and return its stdout; a failure becomes a GitError with git's words.

        `env` adds variables for this command only (the demo's fixed author and committer dates).
        """
        proc = self._run_raw(*args, stdin=stdin, env=env)
        if check and proc.returncode != 0:
            raise GitError(_first_line(proc.stderr) or f"git {args[0]} failed ({proc.returncode})")
        return proc.stdout

    def _run_raw(self, *args: str, stdin: bytes | None = None,
                 env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=self.root, env={**self._env, **env} if env else self._env,
                              input=stdin, capture_output=True, check=False)

    def run_text(self, *args: str, check: bool = True) -> str:
        return self.run(*args, check=check).decode("utf-8", "replace")

    # -- questions -------------------------------------------------------------------------------

    def has_commits(self) -> bool:
        return bool(self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip())

    def require_commits(self) -> None:
        if not self.has_commits():
            raise GitError(f"the repository at {self.root} has no commits yet; commit something first")

    def is_shallow(self) -> bool:
        """Asked once per run: a command does not deepen its own clone."""
        if self._shallow is None:
            self._shallow = self.run_text("rev-parse", "--is-shallow-repository").strip() == "true"
        return self._shallow

    def require_full_history(self) -> None:
        """Refuse to judge history that stops short: a shallow clone hides the releases' ranges."""
        if self.is_shallow():
            raise GitError(f"this is a shallow clone, so its history stops before the tags; {_SHALLOW_HINT}")

    def resolve(self, ref: str) -> str:
        """The full sha of the commit `ref` names."""
        out = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
        sha = out.decode().strip()
        if not sha:
            hint = f" ({_SHALLOW_HINT})" if self.is_shallow() else ""
            raise GitError(f"unknown revision {ref!r}: no commit by that name{hint}")
        return sha

    def head_branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        out = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).decode().strip()
        return out or None

    def read_tags(self) -> list[RawTag]:
        """Every tag, peeled one level (`target` says what it names at the end); one for-each-ref."""
        # for-each-ref writes bytes as %xx (not log's %xXX)
        fmt = "%1f".join(
            ["%(refname:strip=2)", "%(objecttype)", "%(objectname)", "%(*objecttype)", "%(*objectname)",
             "%(creatordate:iso-strict)", "%(*committerdate:iso-strict)"]
        )
        out = self.run("for-each-ref", f"--format={fmt}", "refs/tags")
        tags: list[RawTag] = []
        for line in out.decode("utf-8", "replace").splitlines():
            parts = line.split("\x1f")
            if len(parts) != 7:
                continue
            name, objtype, objname, peeled_type, peeled, created, committed = parts
            if objtype != "tag":
                tags.append(RawTag(name, objname, _parse_date(created or _EPOCH), annotated=False, target=objtype))
            else:
                # an annotated tag without a tagger line (very old git) takes its commit's date
                when = _parse_date(created or committed or _EPOCH)
                tags.append(RawTag(name, peeled, when, annotated=True, target=peeled_type))
        return tags

    def read_commits(self, revisions: Sequence[str], *, paths: Sequence[str] | None = None,
                     with_files: bool = True, files_below: Sequence[str] | None = None, merges: bool = False,
                     split_at: str | None = None) -> Iterator[RawCommit]:
        """Stream the commits of a revision range, newest first (git's order); one `git log`.

        `paths` limits the commits to those changing them; `files_below` only limits the files listed
        (every commit still comes): git then skips diffing the subtrees outside, the costliest part of a
        log with files. Merge commits are left out unless `merges` (then they come with their parents and
        no files: what a walk of the commit graph needs). `split_at`, a commit the range holds, shares the
        work between two processes on two cores: the range without `split_at`'s history, then that history.
        """
        if paths and files_below is not None:
            raise ValueError("paths and files_below are exclusive")
        args = [*_LOG_OPTIONS, f"--format={_LOG_FORMAT}"]
        if not merges:
            args.append("--no-merges")
        if with_files:
            args.append("--name-only")
        pathspec = list(paths or ())
        if with_files and files_below is not None:
            # --sparse lists the commits that change nothing below the paths too; --full-history walks
            # every parent of a merge (no history simplification): the commits are those of a plain log
            args = ["--literal-pathspecs", *args, "--full-history", "--sparse"]
            pathspec = list(files_below)
        parts = [[*revisions, f"^{split_at}"], [split_at]] if split_at else [list(revisions)]
        logs = [self._stream_log([*args, *part, "--", *pathspec]) for part in parts]
        later = _Prefetch(logs[1]) if len(logs) > 1 else None
        try:
            for record in logs[0]:
                yield _parse_record(record)
            for record in later or ():
                yield _parse_record(record)
        finally:
            if later is not None:
                later.close()

    def _stream_log(self, args: list[str]) -> Generator[bytes, None, None]:
        """The records of one `git log` (split on the record separator) as git writes them."""
        with tempfile.TemporaryFile() as errors:  # a file, so that a chatty stderr never blocks git
            proc = subprocess.Popen(["git", *args], cwd=self.root, env=self._env, stdout=subprocess.PIPE,
                                    stderr=errors, bufsize=0)
            assert proc.stdout is not None
            _widen_pipe(proc.stdout.fileno())
            pending = b""
            try:
                # one read takes what the pipe holds (no waiting for a full buffer), so git keeps writing
                # while Python parses
                while chunk := proc.stdout.read(_CHUNK):
                    records = (pending + chunk).split(_RS)
                    pending = records.pop()
                    yield from (record for record in records if record)
                if pending:
                    yield pending
            finally:
                proc.stdout.close()
                code = proc.wait()
                errors.seek(0)
                stderr = errors.read()
        if code != 0:
            raise GitError(_first_line(stderr) or f"git {args[0]} failed ({code})")

    def tree_renames(self, pairs: Sequence[tuple[str, str]]) -> bytes:
        """The renames git's rename detection (`-M`) finds from each `(older, newer)` commit's tree to the other's:
        `<newer>\0` then `R<score>\0<old>\0<new>\0` per rename; one `git diff-tree --stdin` for all the pairs
        (`history.renames.parse_renames` reads it).

        Its own process, and not `git log -M` over every commit: that diffs every commit's whole tree with
        rename detection (~5 s of CPU for 100,000 commits), where comparing the releases a configured name
        appears between costs a few tree diffs.
        """
        if not pairs:
            return b""
        lines = "".join(f"{newer} {older}\n" for older, newer in pairs)
        return self.run("-c", "core.quotePath=false", "diff-tree", "--stdin", "-r", "-M", "--diff-filter=R",
                        "--name-status", "-z", "--no-ext-diff", "--no-textconv", stdin=lines.encode())

    def graph(self, tips: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Parents of every commit reachable from `tips`, children before parents; one `rev-list`."""
        wanted = "\n".join(dict.fromkeys(tips)) + "\n"
        out = self.run("rev-list", "--parents", "--topo-order", "--stdin", stdin=wanted.encode())
        graph: dict[str, tuple[str, ...]] = {}
        for line in out.decode().splitlines():
            sha, *parents = line.split(" ")
            graph[sha] = tuple(parents)
        return graph

    def list_files(self, ref: str = "HEAD") -> list[str]:
        """The path of every file in the tree of `ref` (git's tree order); one `ls-tree`."""
        out = self.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", f"{ref}^{{tree}}")
        return [path.decode("utf-8", "replace") for path in out.split(b"\0") if path]

    def added_files(self, revisions: Sequence[str], pathspecs: Sequence[str], exclude: Sequence[str] = ()) -> list[str]:
        """Every path below `pathspecs` (git pathspecs: `docs`, `:(glob)*.yaml`) and matching none of the
        `exclude` globs (`**/tests/**`) that a commit reachable from `revisions` added, merges skipped: the
        files a tree ever held, renamed ones under each name; one `git log`. Literal folders are cheap (git
        walks only below them); `**` globs make git walk every changed tree."""
        if not revisions or not pathspecs:
            return []
        pathspecs = [*pathspecs, *(f":(glob,exclude){glob}" for glob in exclude)]
        out = self.run(*_LOG_OPTIONS, "--format=", "--name-only", "--no-merges", "--diff-filter=A",
                       *dict.fromkeys(revisions), "--", *pathspecs)
        return list(dict.fromkeys(path.decode("utf-8", "replace").strip("\n") for path in out.split(b"\0")
                                  if path.strip(b"\n")))

    def read_messages(self, revisions: Sequence[str]) -> list[tuple[str, str]]:
        """(sha, full message) of a revision range's commits, merges skipped, no files; one `git log`."""
        out = self.run("-c", "log.showSignature=false", "log", "--no-merges", "--no-color",
                       "--format=%x1e%H%x1f%B", "--encoding=UTF-8", *revisions, "--")
        found: list[tuple[str, str]] = []
        for record in out.decode("utf-8", "replace").split("\x1e"):
            sha, sep, message = record.partition("\x1f")
            if sep:
                found.append((sha.strip(), message))
        return found

    def authors_in(self, revision: str, emails: Iterable[str]) -> set[str]:
        """Which of `emails` (lower-cased) authored a commit reachable from `revision`; one `git log`, read
        only until all are found (a history's regulars show up near its tip)."""
        wanted = {e.lower() for e in emails if e}
        found: set[str] = set()
        if not wanted:
            return found
        records = self._stream_log(["log", "--format=%x1e%ae", revision, "--"])
        try:
            for record in records:
                email = record.strip().decode("utf-8", "replace").lower()
                if email in wanted:
                    found.add(email)
                    if found == wanted:
                        break
        finally:
            records.close()  # ends git when everyone is found early
        return found

    def subjects(self, revision: str = "HEAD") -> list[str]:
        """The subject line of every commit reachable from `revision`, merges skipped; one `git log`."""
        out = self.run("-c", "log.showSignature=false", "log", "--no-merges", "--no-color", "--format=%s",
                       "--encoding=UTF-8", revision, "--")
        return out.decode("utf-8", "replace").splitlines()

    def remote_url(self, name: str = "origin") -> str | None:
        """The URL of remote `name` as configured, or None when there is no such remote."""
        out = self.run("remote", "get-url", "--", name, check=False).decode("utf-8", "replace").strip()
        return out or None

    def show(self, ref: str, path: str) -> bytes | None:
        """The contents of `path` at `ref`, or None when it does not exist there."""
        proc = subprocess.run(
            ["git", "cat-file", "blob", f"{ref}:{path}"], cwd=self.root, env=self._env,
            capture_output=True, check=False,
        )
        return proc.stdout if proc.returncode == 0 else None

    def object_ids(self, names: Sequence[str]) -> list[tuple[str, str] | None]:
        """(id, type) of the object each name (`REF:path`, `REF^{commit}` …) names, None when it names
        none; one `cat-file --batch-check` for all of them. Names may not contain a line break."""
        if not names:
            return []
        for name in names:
            if "\n" in name or "\r" in name:
                raise GitError(f"cannot look up {name!r}: it contains a line break")
        out = self.run("cat-file", "--batch-check=%(objectname) %(objecttype)",
                       stdin="".join(f"{name}\n" for name in names).encode())
        lines = out.decode("utf-8", "replace").splitlines()
        if len(lines) != len(names):
            raise GitError("could not read `git cat-file --batch-check` output (unexpected format)")
        return [_object_line(line) for line in lines]

    def blob_ids(self, names: Sequence[str]) -> list[str | None]:
        """The blob id of each `REF:path`; None when the ref or the path is missing (or not a file)."""
        return [found[0] if found and found[1] == "blob" else None for found in self.object_ids(names)]

    def read_objects(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The contents of objects by id or name (`REF:path`; missing ones left out); one `cat-file --batch`."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in wanted).encode())
        found: dict[str, bytes] = {}
        at = 0
        for oid in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split(b" ")
            at = end + 1
            if len(header) != 3 or not header[2].isdigit():  # `<id> missing`
                continue
            size = int(header[2])
            found[oid] = out[at:at + size]
            at += size + 1  # the contents are followed by a line feed
        return found

    def read_files(self, ref: str, paths: Sequence[str]) -> dict[str, bytes]:
        """The contents of each of `paths` at `ref` (missing ones left out); one `cat-file --batch` for all."""
        for path in paths:
            if "\n" in path or "\r" in path:
                raise GitError(f"cannot read {path!r}: its name contains a line break")
        found = self.read_objects(f"{ref}:{path}" for path in paths)
        return {path: found[name] for path in paths if (name := f"{ref}:{path}") in found}

    def commit_subjects(self, shas: Iterable[str]) -> dict[str, str]:
        """The first line of each commit's message (merges too); one `cat-file --batch`."""
        subjects: dict[str, str] = {}
        for sha, raw in self.read_objects(shas).items():
            _, _, message = raw.partition(b"\n\n")
            subjects[sha] = message.decode("utf-8", "replace").strip().split("\n", 1)[0].strip()
        return subjects

    def is_clean(self) -> bool:
        return not self.run("status", "--porcelain", "--untracked-files=no").strip()

    def branch_refs(self, name: str) -> list[str]:
        """The local and remote-tracking branches called `name` (`refs/heads/…`, `refs/remotes/<remote>/…`)."""
        local = f"refs/heads/{name}"
        out = self.run_text("for-each-ref", "--format=%(refname)", local, f"refs/remotes/*/{name}")

        def exact(ref: str) -> bool:  # for-each-ref patterns also match below a slash (`…/name/more`)
            remote, _, branch = ref.removeprefix("refs/remotes/").partition("/")
            return ref == local or (ref.startswith("refs/remotes/") and bool(remote) and branch == name)

        return [ref for ref in out.splitlines() if exact(ref)]

    def tags_merged_into(self, ref: str) -> set[str]:
        """The names of the tags whose commit is in `ref`'s history; one for-each-ref."""
        out = self.run_text("for-each-ref", f"--merged={ref}", "--format=%(refname:strip=2)", "refs/tags")
        return set(out.splitlines())

    # -- writing (relmgr release) ---------------------------------------------------------------------

    def commit_paths(self, message: str, paths: Sequence[str]) -> str:
        """Commit exactly `paths` (added first, so new files count) whatever else is staged; the new sha."""
        self.run("add", "--", *paths)
        # with paths, `git commit` takes only them (its --only mode): other staged changes stay staged
        self.run("commit", "-q", "-m", message, "--", *paths)
        return self.resolve("HEAD")

    def tag_annotated(self, name: str, message: str, sha: str) -> None:
        """An annotated tag; the message kept verbatim (git's default cleanup drops `#` lines: headings)."""
        self.run("tag", "-a", "--cleanup=verbatim", "-F", "-", "--end-of-options", name, sha,
                 stdin=message.encode("utf-8"))

    def create_branch(self, name: str, sha: str) -> None:
        self.run("branch", "--end-of-options", name, sha)

    def undo_commit(self, sha: str, paths: Sequence[str]) -> None:
        """Move the branch back to `sha` and unstage `paths`: the index as it was before `commit_paths`."""
        if self.resolve("HEAD") != sha:
            self.run("reset", "-q", "--soft", sha)
        self.run("reset", "-q", "--", *paths)


def _parse_record(record: bytes) -> RawCommit:
    try:
        text, ok = record.decode("utf-8"), True  # one decode for the whole record: the common case
    except UnicodeDecodeError:
        text, ok = record.decode("utf-8", "replace"), False
    fields = text.split("\x1f", len(_FIXED))
    if len(fields) <= len(_FIXED):
        raise GitError("could not read `git log` output (unexpected format)")
    sha, parents, author, email, adate, cdate, rest = fields
    message, _, files_part = rest.rpartition("\x1f")
    if not ok:  # only the message's bytes say whether the message was valid UTF-8
        ok = _valid_utf8(record.split(_US, len(_FIXED))[-1].rpartition(_US)[0])
    files = tuple(f for f in files_part.lstrip("\0\n").split("\0") if f) if files_part.strip("\0\n") else ()
    return RawCommit(sha, tuple(parents.split()), author, email, datetime.fromisoformat(adate),
                     datetime.fromisoformat(cdate), message, files, ok)


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _object_line(line: str) -> tuple[str, str] | None:
    """`<id> <type>`, or None for git's `<name> missing` / `<name> ambiguous`."""
    oid, _, kind = line.rpartition(" ")
    if kind in ("blob", "tree", "commit", "tag") and oid and all(c in "0123456789abcdef" for c in oid):
        return oid, kind
    return None


def _widen_pipe(fd: int) -> None:
    """Let git write up to 1 MiB ahead of the reader (Linux; 64 KiB is the default)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE)
    except (ImportError, AttributeError, OSError):
        pass  # another system, or a lower pipe-max-size: the default size works, a little slower


def _parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""
