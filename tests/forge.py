"""Commits git's porcelain would not write: any bytes in the message, the names and the dates.

`git hash-object --literally` stores the commit object exactly as given, as an attacker's push would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tests.conftest import Repo

MALLORY = b"Mallory <mallory@example.com> 1704110400 +0000"


def raw_commit(repo: Repo, message: bytes, files: Mapping[str, str] | None = None, *,
               author: bytes = MALLORY, committer: bytes | None = None,
               parents: Sequence[str] | None = None) -> str:
    """Commit the index (plus `files`) with exactly these header values and message; HEAD's branch moves."""
    if files:
        repo.write(files)
        repo.git("add", "--", *files)
    tree = repo.git("write-tree")
    if parents is None:
        head = repo.git("rev-parse", "--verify", "--quiet", "HEAD") if _has_head(repo) else ""
        parents = [head] if head else []
    lines = [b"tree " + tree.encode(), *(b"parent " + p.encode() for p in parents),
             b"author " + author, b"committer " + (committer or author)]
    body = b"\n".join(lines) + b"\n\n" + message
    sha = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input=body)
    repo.git("update-ref", "HEAD", sha)
    return sha


def _has_head(repo: Repo) -> bool:
    try:
        repo.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except AssertionError:
        return False
    return True


def messages_of(repo: Repo, shas: Sequence[str]) -> list[bytes]:
    """The message bytes of commit objects, as stored; one `git cat-file --batch`."""
    import subprocess

    out = subprocess.run(["git", "cat-file", "--batch"], cwd=repo.path, input="".join(f"{s}\n" for s in shas).encode(),
                         capture_output=True, check=True).stdout
    found, at = [], 0
    for _ in shas:
        end = out.index(b"\n", at)
        size = int(out[at:end].split(b" ")[2])
        found.append(out[end + 1:end + 1 + size].partition(b"\n\n")[2])
        at = end + 1 + size + 1
    return found


def import_chain(repo: Repo, branch: str, messages: Sequence[bytes], name: bytes = b"N") -> list[str]:
    """A new root-to-tip chain of commits on `branch`, one `git fast-import` (stored byte for byte): commit
    i adds `f{i}.txt` and has `messages[i]` as its message. The shas, oldest first."""
    import subprocess

    stream = b""
    for index, message in enumerate(messages):
        ident = b" <e@x> 1704110400 +0000\n"
        stream += b"commit refs/heads/%s\nmark :%d\n" % (branch.encode(), index + 1)
        stream += b"author " + name + ident + b"committer " + name + ident
        stream += b"data %d\n%s\n" % (len(message), message)
        if index:
            stream += b"from :%d\n" % index
        stream += b"M 100644 inline f%d.txt\ndata 1\n%d\n\n" % (index, index % 10)
    marks = repo.path / ".git" / f"{branch}.marks"
    proc = subprocess.run(["git", "fast-import", "--quiet", f"--export-marks={marks}"], cwd=repo.path,
                          input=stream, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    found = dict(line.split(" ") for line in marks.read_text().splitlines())
    return [found[f":{index + 1}"] for index in range(len(messages))]
