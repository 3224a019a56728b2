"""The only module that talks to git: commits (one streamed `git log`), tags, the commit graph, blobs.

It runs `git` itself with a fixed, machine-readable format (`LC_ALL=C`, `-z` file lists, separators no
commit can forge: `records.py`) so that one process answers each kind of question, never one process per
commit or per tag. Every `git log` is vouched for by a `git rev-list` of the same walk streamed beside it.
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
from typing import IO

from relmgr.errors import GitError
from relmgr.history.records import (
    EPOCH,
    Framing,
    RawCommit,
    commit_framing,
    decode,
    parse_commit_record,
    parse_date,
)

__all__ = ["GitRepo", "RawCommit", "RawTag"]

_LOG_OPTIONS = ("-c", "core.quotePath=false", "-c", "log.showSignature=false", "-c", "log.follow=false",
                "-c", "log.showRoot=true", "log", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv",
                "-z", "--encoding=UTF-8")
_HEX = frozenset("0123456789abcdef")
_CHUNK = 1 << 16  # bytes per read: what git writes in a few buffers
_PIPE = 1 << 20  # bytes git may write ahead of the reader
_SHALLOW_HINT = (
    "fetch the whole history: `git fetch --unshallow --tags` (in GitHub Actions: actions/checkout with "
    "`fetch-depth: 0`)"
)


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
        self._common_dir: Path | None = None

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

    def common_dir(self) -> Path:
        """The git dir this repository's worktrees share (`rev-parse --git-common-dir`): where relmgr keeps
        its cache (relmgr/cache.py), so that every worktree of a clone finds what another one parsed."""
        if self._common_dir is None:  # also where `release` keeps its lock
            out = self.run_text("rev-parse", "--git-common-dir").strip()  # relative to the root, or absolute
            self._common_dir = (self.root / out).resolve()
        return self._common_dir

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
        """Every tag, peeled one level (`target` says what it names at the end); one for-each-ref.

        Ref names hold no control characters (git refuses them), so `%1f` separates fields safely; lines
        are split at line feeds only (a tag may hold U+2028 or U+0085, which `splitlines` would split at).
        A date git cannot print (a malformed tagger line) falls back to the commit's, else 1970-01-01.
        """
        fmt = "%1f".join(  # for-each-ref writes bytes as %xx (not log's %xXX)
            ["%(refname:strip=2)", "%(objecttype)", "%(objectname)", "%(*objecttype)", "%(*objectname)",
             "%(creatordate:iso-strict)", "%(*committerdate:iso-strict)"]
        )
        out = self.run("for-each-ref", f"--format={fmt}", "refs/tags")
        tags: list[RawTag] = []
        for line in out.decode("utf-8", "replace").split("\n"):
            parts = line.split("\x1f")
            if len(parts) != 7:
                continue
            name, objtype, objname, peeled_type, peeled, created, committed = parts
            if objtype != "tag":
                tags.append(RawTag(name, objname, parse_date(created) or EPOCH, annotated=False, target=objtype))
            else:
                # an annotated tag without a tagger line (very old git) takes its commit's date
                when = parse_date(created) or parse_date(committed) or EPOCH
                tags.append(RawTag(name, peeled, when, annotated=True, target=peeled_type))
        return tags

    def read_commits(self, revisions: Sequence[str], *, with_files: bool = True,
                     files_below: Sequence[str] | None = None, merges: bool = False,
                     split_at: str | None = None) -> Iterator[RawCommit]:
        """Stream the commits of a revision range, newest first (git's order); one `git log` (and the
        `rev-list` that vouches for its shas, see `_stream_log`).

        `files_below` only limits the files listed (every commit still comes): git then skips diffing the
        subtrees outside, the costliest part of a log with files. Merge commits are left out unless
        `merges` (then they come with their parents and no files: what a walk of the commit graph needs).
        `split_at`, a commit the range holds, shares the work between two processes on two cores: the
        range without `split_at`'s history, then that history.
        """
        framing = commit_framing()
        walk = [] if merges else ["--no-merges"]
        pathspec: list[str] = []
        if with_files and files_below is not None:
            # --sparse lists the commits that change nothing below the paths too; --full-history walks
            # every parent of a merge (no history simplification): the commits are those of a plain log
            walk += ["--full-history", "--sparse"]
            pathspec = list(files_below)
        parts = [[*revisions, f"^{split_at}"], [split_at]] if split_at else [list(revisions)]
        display = ["--name-only"] if with_files else []
        logs = [self._stream_log(_Walk.of(framing, part, walk, pathspec, display)) for part in parts]
        later = _Prefetch(logs[1]) if len(logs) > 1 else None
        try:
            for record in logs[0]:
                yield parse_commit_record(framing, record)
            for record in later or ():
                yield parse_commit_record(framing, record)
        finally:
            if later is not None:
                later.close()

    def _stream_log(self, walk: _Walk) -> Generator[bytes, None, None]:
        """The records of one `git log` as git writes them, each vouched for by `git rev-list`.

        `git rev-list` with the same walk lists the same commits in the same order, so each record's sha
        must be the next line it writes, and nothing may be left over: a record that a commit's text made
        up (were the framing ever broken) is an error, not a commit. Both stream side by side.
        """
        with tempfile.TemporaryFile() as log_errors, tempfile.TemporaryFile() as list_errors:
            log = self._popen(walk.log, log_errors, bufsize=0)
            listing = self._popen(walk.rev_list, list_errors)
            assert log.stdout is not None and listing.stdout is not None
            listed = _Lines(listing.stdout)
            problem: str | None = None
            ended = False  # git log wrote everything
            try:
                for record in _split_stream(log.stdout, walk.framing.record):
                    sha = record[:record.find(b"\0")]  # the sha comes first, ended by a NUL
                    expected = listed.next()
                    if sha != expected:
                        problem = f"git log wrote commit {_show(sha)} where git rev-list lists {_show(expected)}"
                        break
                    yield record
                else:
                    ended = True
                    if log.wait() == 0 and (extra := listed.next()):
                        problem = f"git log did not write commit {_show(extra)}, which git rev-list lists"
            finally:
                log_code, list_code = _finish(log, ended), _finish(listing, ended and problem is None)
            if ended:  # a failing git says why in its own words, before any disagreement is reported
                _raise_if_failed(log_code, log_errors, walk.log[0])
                _raise_if_failed(list_code, list_errors, walk.rev_list[0])
        if problem is not None:
            raise GitError(f"could not read the history safely: {problem}; run `git fsck` and report this")

    def _popen(self, args: Sequence[str], errors: IO[bytes], *, bufsize: int = -1,
               stdin: IO[bytes] | int | None = None) -> subprocess.Popen[bytes]:
        """A streamed git process; stderr goes to a file, so that a chatty stderr never blocks git."""
        proc = subprocess.Popen(["git", *args], cwd=self.root, env=self._env, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=errors, bufsize=bufsize)
        assert proc.stdout is not None
        _widen_pipe(proc.stdout.fileno())
        return proc

    def _fields(self, placeholder: str, revisions: Sequence[str], walk: Sequence[str] = ()) -> Iterator[list[str]]:
        """(sha, `placeholder`) of each commit of a walk, in git's order, through `_stream_log`."""
        framing = Framing(("%H",), (placeholder,))
        records = self._stream_log(_Walk.of(framing, revisions, walk))
        try:
            for record in records:
                yield framing.split(decode(record)[0])[:-1]
        finally:
            records.close()  # ends git when the caller stops early

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

    def walk(self, tips: Iterable[str]) -> Generator[tuple[str, tuple[str, ...]], None, None]:
        """Every commit reachable from `tips` with its parents, as `git rev-list` lists them: newest commit
        first, so children before parents unless clocks are skewed. One `rev-list`, streamed: closing the
        generator early ends git, so a walk that finds its answer near the tips costs only that far."""
        wanted = "".join(f"{tip}\n" for tip in dict.fromkeys(tips)).encode()
        finished = False
        with tempfile.TemporaryFile() as errors:
            proc = self._popen(["rev-list", "--parents", "--stdin"], errors, bufsize=0, stdin=subprocess.PIPE)
            assert proc.stdin is not None and proc.stdout is not None
            try:
                try:
                    proc.stdin.write(wanted)  # git reads every tip before it lists anything
                    proc.stdin.close()
                except BrokenPipeError:
                    pass  # git stopped at a bad tip: its stderr says which
                for line in _split_stream(proc.stdout, b"\n"):
                    sha, *parents = line.decode("ascii").split()
                    yield sha, tuple(parents)
                finished = True
            finally:
                code = _finish(proc, finished)  # stopped early: the caller has its answer, git is ended
            _raise_if_failed(code, errors, "rev-list")

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
        return [(sha, message) for sha, message in self._fields("%B", revisions, ["--no-merges"])]

    def authors_in(self, revision: str, emails: Iterable[str]) -> set[str]:
        """Which of `emails` (lower-cased) authored a commit reachable from `revision`; one `git log`, read
        only until all are found (a history's regulars show up near its tip)."""
        wanted = {e.lower() for e in emails if e}
        found: set[str] = set()
        if not wanted:
            return found
        for _, email in self._fields("%ae", [revision]):
            if email.lower() in wanted:
                found.add(email.lower())
                if found == wanted:
                    break
        return found

    def subjects(self, revision: str = "HEAD") -> list[str]:
        """The subject line of every commit reachable from `revision`, merges skipped; one `git log`."""
        return [subject for _, subject in self._fields("%s", [revision], ["--no-merges"])]

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
        lines = out.decode("utf-8", "replace").split("\n")[:-1]
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

    def iter_objects(self, ids: Iterable[str]) -> Generator[tuple[str, bytes], None, None]:
        """Like `read_objects`, one object at a time as one `cat-file --batch` writes them: a caller that keeps
        only what it makes of each (a parsed spec in a bounded cache) never holds thousands of them at once."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return
        with tempfile.TemporaryFile() as names, tempfile.TemporaryFile() as errors:
            # the names from a file, not a pipe: git answers while it reads them, and two pipes would wait on
            # each other once both are full
            names.write("".join(f"{oid}\n" for oid in wanted).encode())
            names.seek(0)
            proc = self._popen(["cat-file", "--batch"], errors, bufsize=_CHUNK, stdin=names)
            assert proc.stdout is not None
            finished = False
            try:
                for oid in wanted:
                    header = proc.stdout.readline().split(b" ")
                    if header == [b""]:
                        break  # git stopped early: its exit code says why
                    if len(header) != 3 or not header[2].strip().isdigit():  # `<id> missing`
                        continue
                    data = proc.stdout.read(int(header[2]))
                    proc.stdout.read(1)  # the line feed after the contents
                    yield oid, data
                finished = True
            finally:
                code = _finish(proc, finished)
            _raise_if_failed(code, errors, "cat-file")

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

        return [ref for ref in out.split("\n") if ref and exact(ref)]

    def tags_merged_into(self, ref: str) -> set[str]:
        """The names of the tags whose commit is in `ref`'s history; one for-each-ref."""
        out = self.run_text("for-each-ref", f"--merged={ref}", "--format=%(refname:strip=2)", "refs/tags")
        return {name for name in out.split("\n") if name}

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

    def move_ref(self, ref: str, new: str, old: str, reason: str) -> bool:
        """Point `ref` at `new` only if it still points at `old` (`git update-ref REF NEW OLD`, atomic);
        whether it moved."""
        return not self._run_raw("update-ref", "-m", reason, "--end-of-options", ref, new, old).returncode

    def unstage(self, paths: Sequence[str]) -> None:
        """Set the index entries of `paths` back to HEAD's (what `git commit_paths` added)."""
        self.run("reset", "-q", "--", *paths)


@dataclass(frozen=True, slots=True)
class _Walk:
    """One `git log` and the `git rev-list` that lists the same commits in the same order."""

    framing: Framing
    log: list[str]
    rev_list: list[str]

    @classmethod
    def of(cls, framing: Framing, revisions: Sequence[str], walk: Sequence[str], pathspec: Sequence[str] = (),
           display: Sequence[str] = ()) -> _Walk:
        """`walk` chooses the commits (both commands get it), `display` what git log shows of them."""
        literal = ["--literal-pathspecs"] if pathspec else []
        tail = [*walk, *revisions, "--", *pathspec]
        return cls(framing, [*literal, *_LOG_OPTIONS, f"--format={framing.format}", *display, *tail],
                   [*literal, "rev-list", *tail])


class _Lines:
    """The lines of a stream, read a pipe's worth at a time (one read per ~1,600 shas, not one per line)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lines: list[bytes] = []
        self._at = 0
        self._pending = b""

    def next(self) -> bytes:
        """The next line without its line feed; b"" at the end."""
        while self._at >= len(self._lines):
            chunk = self._stream.read1(_CHUNK) if hasattr(self._stream, "read1") else self._stream.read(_CHUNK)
            if not chunk:
                line, self._pending = self._pending, b""
                return line
            self._lines = (self._pending + chunk).split(b"\n")
            self._pending = self._lines.pop()
            self._at = 0
        self._at += 1
        return self._lines[self._at - 1]


def _split_stream(stream: IO[bytes], separator: bytes) -> Iterator[bytes]:
    """The records of a stream cut at `separator`; one read takes what the pipe holds (no waiting for a
    full buffer), so git keeps writing while Python parses."""
    pending = b""
    while chunk := stream.read(_CHUNK):
        records = (pending + chunk).split(separator)
        pending = records.pop()
        yield from (record for record in records if record)
    if pending:
        yield pending


def _finish(proc: subprocess.Popen[bytes], complete: bool) -> int:
    """End a streamed process: wait when it wrote everything, else stop it (the reader gave up)."""
    assert proc.stdout is not None
    if not complete and proc.poll() is None:
        proc.kill()
    proc.stdout.close()
    return proc.wait()


def _raise_if_failed(code: int, errors: IO[bytes], command: str) -> None:
    """A GitError with the first line of what git wrote to `errors` (its stderr file) when `code` says it failed."""
    if code != 0:
        errors.seek(0)
        raise GitError(_first_line(errors.read()) or f"git {command} failed ({code})")


def _show(sha: bytes) -> str:
    """A sha from git's output, for an error message (whatever bytes it holds)."""
    return repr(sha[:64].decode("ascii", "replace")) if sha else "nothing"


def _object_line(line: str) -> tuple[str, str] | None:
    """`<id> <type>`, or None for git's `<name> missing` / `<name> ambiguous`."""
    oid, _, kind = line.rpartition(" ")
    if kind in ("blob", "tree", "commit", "tag") and oid and _HEX.issuperset(oid):  # in C: 10⁴ lines a changelog
        return oid, kind
    return None


def _widen_pipe(fd: int) -> None:
    """Let git write up to 1 MiB ahead of the reader (Linux; 64 KiB is the default)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE)
    except (ImportError, AttributeError, OSError):
        pass  # another system, or a lower pipe-max-size: the default size works, a little slower


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""
