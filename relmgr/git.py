"""The only module that talks to git: commits (one streamed `git log`), tags, the commit graph, blobs.

GitPython finds the repository and reports what kind of folder it is; the reading itself runs `git`
with a fixed, machine-readable format (`LC_ALL=C`, field/record separators, `-z` file lists) so that one
process answers each kind of question, never one process per commit or per tag.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from relmgr.errors import GitError

_US = b"\x1f"  # field separator
_RS = b"\x1e"  # record separator
_FIXED = ("%H", "%P", "%an", "%ae", "%aI", "%cI")
_LOG_FORMAT = "%x1e" + "%x1f".join(_FIXED) + "%x1f%B%x1f"
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


class GitRepo:
    """A repository on disk; every method is one git process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._env = {**os.environ, "LC_ALL": "C", "LANG": "C", "GIT_TERMINAL_PROMPT": "0"}

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> GitRepo:
        """The repository containing `path` (default: the current directory)."""
        import git  # GitPython: imported here so that `relmgr --version` stays fast

        where = (path or Path.cwd()).resolve()
        if not where.exists():
            raise GitError(f"{where} does not exist; pass --repo with the path of a git repository")
        try:
            repo = git.Repo(where, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(
                f"{where} is not inside a git repository; run relmgr in one or pass --repo PATH"
            ) from None
        root = repo.working_tree_dir or repo.git_dir
        return cls(Path(root))

    # -- running git -----------------------------------------------------------------------------

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True,
            env: Mapping[str, str] | None = None) -> bytes:
        """Run one git command and return its stdout; a failure becomes a GitError with git's words.

        `env` adds variables for this command only (the demo's fixed author and committer dates).
        """
        proc = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env={**self._env, **env} if env else self._env,
            input=stdin,
            capture_output=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise GitError(_first_line(proc.stderr) or f"git {args[0]} failed ({proc.returncode})")
        return proc.stdout

    def run_text(self, *args: str, check: bool = True) -> str:
        return self.run(*args, check=check).decode("utf-8", "replace")

    # -- questions -------------------------------------------------------------------------------

    def has_commits(self) -> bool:
        return bool(self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip())

    def require_commits(self) -> None:
        if not self.has_commits():
            raise GitError(f"the repository at {self.root} has no commits yet; commit something first")

    def is_shallow(self) -> bool:
        return self.run_text("rev-parse", "--is-shallow-repository").strip() == "true"

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
        """Every tag that points (possibly through an annotated tag) at a commit; one for-each-ref."""
        # for-each-ref writes bytes as %xx (not log's %xXX)
        fmt = "%1f".join(
            ["%(refname:strip=2)", "%(objecttype)", "%(objectname)", "%(*objecttype)", "%(*objectname)",
             "%(creatordate:iso-strict)"]
        )
        out = self.run("for-each-ref", f"--format={fmt}", "refs/tags")
        tags: list[RawTag] = []
        for line in out.decode("utf-8", "replace").splitlines():
            parts = line.split("\x1f")
            if len(parts) != 6:
                continue
            name, objtype, objname, peeled_type, peeled, created = parts
            if objtype == "commit":
                tags.append(RawTag(name, objname, _parse_date(created), annotated=False))
            elif objtype == "tag" and peeled_type == "commit" and created:
                tags.append(RawTag(name, peeled, _parse_date(created), annotated=True))
        return tags

    def read_commits(self, revisions: Sequence[str], *, paths: Sequence[str] | None = None,
                     with_files: bool = True) -> Iterator[RawCommit]:
        """Stream the commits of a revision range, newest first, without merges; one `git log`."""
        args = ["-c", "core.quotePath=false", "-c", "log.showSignature=false", "log", "--no-merges",
                "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", f"--format={_LOG_FORMAT}",
                "-z", "--encoding=UTF-8"]
        if with_files:
            args.append("--name-only")
        args.extend(revisions)
        args.append("--")
        if paths:
            args.extend(paths)
        yield from self._stream_log(args)

    def _stream_log(self, args: list[str]) -> Iterator[RawCommit]:
        proc = subprocess.Popen(
            ["git", *args], cwd=self.root, env=self._env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert proc.stdout is not None
        pending = b""
        try:
            while chunk := proc.stdout.read(1 << 20):
                pending += chunk
                records = pending.split(_RS)
                pending = records.pop()
                for record in records:
                    if record:
                        yield _parse_record(record)
            if pending:
                yield _parse_record(pending)
        finally:
            proc.stdout.close()
            stderr = proc.stderr.read() if proc.stderr else b""
            code = proc.wait()
            if proc.stderr:
                proc.stderr.close()
        if code != 0:
            raise GitError(_first_line(stderr) or f"git log failed ({code})")

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

    def graph_authors(self, tips: Iterable[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
        """`graph(tips)` and each commit's author email (lower-cased), from one `git log`."""
        wanted = "\n".join(dict.fromkeys(tips)) + "\n"
        out = self.run("log", "--topo-order", "--format=%H %P%x1f%ae", "--stdin", stdin=wanted.encode())
        graph: dict[str, tuple[str, ...]] = {}
        emails: dict[str, str] = {}
        for line in out.decode("utf-8", "replace").splitlines():
            shas, _, email = line.partition("\x1f")
            sha, *parents = shas.split(" ")
            graph[sha] = tuple(p for p in parents if p)
            emails[sha] = email.lower()
        return graph, emails

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
        """Which of `emails` (lower-cased) authored a commit reachable from `revision`; one `git log`."""
        wanted = sorted({e.lower() for e in emails if e})
        if not wanted:
            return set()
        pattern = "<(" + "|".join(_ere_escape(e) for e in wanted) + ")>"
        out = self.run("log", "--format=%ae", "-E", "--regexp-ignore-case", f"--author={pattern}",
                       revision, "--")
        return {line.strip().lower() for line in out.decode("utf-8", "replace").splitlines()} & set(wanted)

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
        """The contents of objects by id (missing ones left out); one `cat-file --batch` for all of them."""
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
    fields = record.split(_US, len(_FIXED))
    if len(fields) <= len(_FIXED):
        raise GitError("could not read `git log` output (unexpected format)")
    sha, parents, author, email, adate, cdate = (f.decode("utf-8", "replace") for f in fields[:-1])
    message_bytes, _, files_part = fields[-1].rpartition(_US)
    try:
        message, ok = message_bytes.decode("utf-8"), True
    except UnicodeDecodeError:
        message, ok = message_bytes.decode("utf-8", "replace"), False
    files = tuple(
        f.decode("utf-8", "replace") for f in files_part.lstrip(b"\0\n").split(b"\0") if f
    )
    return RawCommit(
        sha=sha,
        parents=tuple(parents.split()),
        author=author,
        email=email,
        date=_parse_date(adate),
        committed=_parse_date(cdate),
        message=message,
        files=files,
        encoding_ok=ok,
    )


def _object_line(line: str) -> tuple[str, str] | None:
    """`<id> <type>`, or None for git's `<name> missing` / `<name> ambiguous`."""
    oid, _, kind = line.rpartition(" ")
    if kind in ("blob", "tree", "commit", "tag") and oid and all(c in "0123456789abcdef" for c in oid):
        return oid, kind
    return None


def _ere_escape(text: str) -> str:
    """Escape a literal for git's POSIX extended regexes (Python's re.escape writes escapes ERE lacks)."""
    return "".join("\\" + ch if ch in _ERE_SPECIAL else ch for ch in text)


_ERE_SPECIAL = frozenset(".[]()*+?{}|^$\\")


def _parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""
