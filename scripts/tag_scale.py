#!/usr/bin/env python3
"""How relmgr's cost grows with the number of tags: a synthetic repository with N tags, timed.

Usage::

    python scripts/tag_scale.py [--tags 1000 10000] [--runs 3] [--dir /tmp/tag-scale]

For each N it builds (once, with one `git fast-import`) a history of 2·N commits on `main`, tagged
`v0.<minor>.<patch>` every other commit (ten patches a minor), an rc (`…rc1`) before each minor,
annotated and lightweight tags mixed. Then it times, as whole processes, the
median of `--runs` runs of `relmgr releases --json`, `check --tag` and `notes` on the latest release,
`next-version` and `scan --json`, and prints each command's time per N and the ratio of the largest N to
the smallest. Linear growth is a ratio of about N_max/N_min (10 for 10,000 vs 1,000); issue 16 asks for
at most 10–15. It is a measurement, not a timed test: the machine's load moves the seconds, not the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {
    "releases": ["releases", "--json"],
    "check --tag": ["check", "--tag", "{latest}"],
    "notes TAG": ["notes", "{latest}"],
    "next-version": ["next-version"],
    "scan": ["scan", "--json"],
}
EPOCH = 1_600_000_000


def build(path: Path, tags: int) -> str:
    """The repository (built when missing) and its latest final tag."""
    versions = [(minor, patch) for minor in range(tags) for patch in range(10)][:tags]
    latest = f"v0.{versions[-1][0]}.{versions[-1][1]}"
    if (path / ".git").exists():
        return latest
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    stream: list[bytes] = []
    when = EPOCH
    for index, (minor, patch) in enumerate(versions):
        for step in range(2):
            when += 60
            mark = 2 * index + step + 1
            subject = f"feat(api): change {mark}" if patch == 0 and step == 0 else f"fix(api): change {mark}"
            stream.append(b"commit refs/heads/main\nmark :%d\n" % mark)
            stream.append(b"author A <a@example.com> %d +0000\ncommitter A <a@example.com> %d +0000\n" % (when, when))
            stream.append(b"data %d\n%s\n" % (len(subject), subject.encode()))
            if mark > 1:
                stream.append(b"from :%d\n" % (mark - 1))
            stream.append(b"M 100644 inline src/api/f%d.py\ndata 2\n%d\n\n" % (mark % 50, mark % 10))
        name = f"v0.{minor}.{patch}"
        if patch == 0:
            stream.append(_tag(f"{name}rc1", 2 * index + 1, when - 30))
        stream.append(_tag(name, 2 * index + 2, when) if index % 2 else
                      b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), 2 * index + 2))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True)
    (path / "relmgr.toml").write_text('[apis.api]\nlevel = "v1"\npaths = ["src/api/**"]\nscopes = ["api"]\n')
    return latest


def _tag(name: str, mark: int, when: int) -> bytes:
    message = f"release {name}"
    return (b"tag %s\nfrom :%d\ntagger A <a@example.com> %d +0000\ndata %d\n%s\n"
            % (name.encode(), mark, when, len(message), message.encode()))


def timed(argv: list[str], cwd: Path, runs: int) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()[:300]}")
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/relmgr-tag-scale"))
    args = parser.parse_args()
    sizes = sorted(args.tags)
    results: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for count in sizes:
        repo = args.dir / f"t{count}"
        latest = build(repo, count)
        for name, command in COMMANDS.items():
            argv = [sys.executable, "-m", "relmgr", *(part.format(latest=latest) for part in command)]
            results[name].append(timed(argv, repo, args.runs))
    print(f"| command | {' | '.join(f'{n:,} tags' for n in sizes)} | ratio {sizes[-1]:,}/{sizes[0]:,} |")
    print(f"| --- | {' | '.join('---' for _ in sizes)} | --- |")
    for name, walls in results.items():
        print(f"| {name} | {' | '.join(f'{w:.2f} s' for w in walls)} | {walls[-1] / walls[0]:.1f} |")


if __name__ == "__main__":
    main()
