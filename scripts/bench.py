#!/usr/bin/env python3
"""Time relmgr against the physical floor (`git log`) and its peers on one or more repositories.

Usage::

    python scripts/bench.py REPO [REPO ...] [--runs N] [--warmup N] [--peers | --no-peers]
                            [--peer-timeout S] [--commits N] [--markdown]

Every measurement is a whole process, started fresh, with its output thrown away: `--warmup` runs first
(default 1: the page cache holds the repository afterwards), then `--runs` counted runs (default 5) whose
median wall time is reported. For each REPO it measures

* the floors: `git log --format=%B` (messages) and `git log --name-only --format=%B` (what anything that
  needs changed paths must at least pay);
* start-up: `relmgr --version` against `python -c "import git"`;
* `relmgr releases`, `relmgr check --tag T` and `relmgr notes T` on the latest final release T, and
  `relmgr changelog` (the whole history);
* with `--peers` (the default) and when installed (`pip install git-cliff commitizen`): git-cliff's whole
  changelog (`git-cliff -o /dev/null`) and commitizen's (`cz changelog --dry-run`), each stopped after
  `--peer-timeout` seconds (default 300; git-cliff grows faster than linearly).

Memory: "peak" is the largest resident set of any one process of the command (`wait4`'s ru_maxrss, what
`/usr/bin/time -f %M` prints), the median over the counted runs. On Linux one more run per command samples
the whole process tree every 20 ms and reports "tree": the greatest sum of the processes' proportional set
sizes (PSS: pages shared between processes, such as two git processes mapping the same pack, counted
once), which is what the command costs the machine while relmgr's git processes run beside it.

Ratios are the claim, not absolute times: "x floor" divides by the `--name-only` floor and "x cliff" by
git-cliff, both measured in the same run. With several REPOs, a last table shows how each command scales
against the first (smallest) one. `--commits N` creates a missing REPO first with scripts/synth_repo.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
MiB = 1024 * 1024


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    peer: bool = False  # a peer: stopped after --peer-timeout
    ok: tuple[int, ...] = (0,)  # exit codes of a complete run (`check` exits 1 on a policy violation)


@dataclass
class Result:
    command: Command
    walls: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # bytes
    tree: int | None = None  # bytes, sampled PSS sum of the process tree
    failed: str | None = None  # why there is no time

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls and not self.failed else None

    @property
    def peak(self) -> int | None:
        return int(statistics.median(self.peaks)) if self.peaks else None


# -- running one process -----------------------------------------------------------------------------------


def run_once(argv: Sequence[str], cwd: Path, timeout: float | None, sample: bool = False,
             ok: Sequence[int] = (0,)) -> tuple[float, int, int | None]:
    """(wall seconds, ru_maxrss bytes, sampled tree PSS bytes or None) of one fresh process; raises on failure."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_env())
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    sampler = _TreeSampler(proc.pid) if sample and _SAMPLES else None
    if timer:
        timer.start()
    if sampler:
        sampler.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if timer:
            timer.cancel()
    wall = time.perf_counter() - started
    tree = sampler.stop() if sampler else None
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in ok:
        if timeout and wall >= timeout:
            raise TimeoutError(f"> {timeout:.0f} s")
        last = errors.strip().splitlines()[-1] if errors.strip() else "no message"
        raise RuntimeError(f"exit {proc.returncode} ({last[:60]})")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return wall, usage.ru_maxrss * scale, tree


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RELMGR_APPROVED", "GITHUB_STEP_SUMMARY")}
    return {**env, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}


_SAMPLES = Path("/proc/self/smaps_rollup").exists()


class _TreeSampler(threading.Thread):
    """Polls the PSS of a process and its descendants (Linux /proc); keeps the greatest sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the process ended meanwhile
                todo.extend(int(child) for child in task.read_text().split())
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


SLOW = 20.0  # seconds: a run this long is its own warm-up and needs no repetition to be believed


def measure(command: Command, cwd: Path, runs: int, warmup: int, timeout: float | None) -> Result:
    result = Result(command)
    try:
        for index in range(warmup + runs):
            wall, peak, _ = run_once(command.argv, cwd, timeout, ok=command.ok)
            if index >= warmup or wall > SLOW:
                result.walls.append(wall)
                result.peaks.append(peak)
            if wall > SLOW:
                break
        if _SAMPLES and (result.wall or 0) < SLOW:
            result.tree = run_once(command.argv, cwd, timeout, sample=True, ok=command.ok)[2]
    except (TimeoutError, RuntimeError) as exc:
        result.failed = str(exc)
    return result


# -- what to measure ---------------------------------------------------------------------------------------


def relmgr_argv() -> tuple[str, ...]:
    found = shutil.which("relmgr", path=str(Path(sys.executable).parent)) or shutil.which("relmgr")
    return (found,) if found else (sys.executable, "-m", "relmgr")


def latest_release(repo: Path) -> str | None:
    import json

    out = subprocess.run([*relmgr_argv(), "releases", "--json"], cwd=repo, capture_output=True, text=True,
                         check=True, env=_env()).stdout
    from relmgr.history.versions import parse_version

    finals = [r for r in json.loads(out)["releases"] if not r["prerelease"]]
    keyed = [(v.key, r["tag"]) for r in finals if (v := parse_version(r["version"])) is not None]
    return max(keyed)[1] if keyed else None


def commands(repo: Path, peers: bool) -> list[Command]:
    relmgr = relmgr_argv()
    latest = latest_release(repo)
    found = [
        Command("git log (messages)", ("git", "log", "--format=%B")),
        Command("git log --name-only (floor)", ("git", "log", "--name-only", "--format=%B")),
        Command('python -c "import git"', (sys.executable, "-c", "import git")),
        Command("relmgr --version", (*relmgr, "--version")),
        Command("relmgr releases", (*relmgr, "releases")),
    ]
    if latest:  # one release: the latest final
        found += [Command("relmgr check --tag TAG", (*relmgr, "check", "--tag", latest), ok=(0, 1)),
                  Command("relmgr notes TAG", (*relmgr, "notes", latest))]
    found.append(Command("relmgr changelog", (*relmgr, "changelog")))
    if peers:
        if cliff := shutil.which("git-cliff", path=str(Path(sys.executable).parent)) or shutil.which("git-cliff"):
            found.append(Command("git-cliff (whole changelog)", (cliff, "-o", "/dev/null"), peer=True))
        if cz := shutil.which("cz", path=str(Path(sys.executable).parent)) or shutil.which("cz"):
            found.append(Command("commitizen (whole changelog)", (cz, "changelog", "--dry-run"), peer=True))
    return found


# -- reporting ---------------------------------------------------------------------------------------------


def describe(repo: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()

    commits = git("rev-list", "--count", "HEAD")
    tags = len(git("tag", "--list").split())
    return f"{repo}: {commits} commits (HEAD), {tags} tags; TAG = {latest_release(repo) or 'none'}"


def table(results: list[Result], markdown: bool) -> list[list[str]]:
    by_label = {r.command.label: r for r in results}
    floor = by_label.get("git log --name-only (floor)")
    cliff = by_label.get("git-cliff (whole changelog)")
    rows = [["command", "median s", "x floor", "x cliff", "peak MiB", "tree MiB"]]
    for r in results:
        wall = r.wall
        rows.append([
            r.command.label,
            f"{wall:.2f}" if wall is not None else (r.failed or "-"),
            _ratio(wall, floor.wall if floor else None),
            _ratio(wall, cliff.wall if cliff else None),
            f"{r.peak / MiB:.0f}" if r.peak else "-",
            f"{r.tree / MiB:.0f}" if r.tree else "-",
        ])
    return rows


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value is not None and base else "-"


def scaling(all_results: list[tuple[Path, list[Result]]]) -> list[list[str]]:
    """Each command's median per repository, and the last repository's against the first's."""
    rows = [["command", *(path.name for path, _ in all_results), f"x {all_results[0][0].name}"]]
    for base in all_results[0][1]:
        walls = [next((r.wall for r in results if r.command.label == base.command.label), None)
                 for _, results in all_results]
        rows.append([base.command.label, *(f"{w:.2f}" if w is not None else "-" for w in walls),
                     _ratio(walls[-1], base.wall)])
    return rows


def render(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(" --- " for _ in rows[0]) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                               for i, cell in enumerate(row)) for row in rows)


def environment() -> str:
    git = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{git}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; load average {load}")


# -- main --------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("repos", nargs="+", type=Path, metavar="REPO", help="repositories to measure")
    parser.add_argument("--runs", type=int, default=5, help="counted runs per command (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=1, help="runs before counting (default %(default)s)")
    parser.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True,
                        help="also time git-cliff and commitizen when installed (default: yes)")
    parser.add_argument("--peer-timeout", type=float, default=300, metavar="S",
                        help="stop a peer after S seconds (default %(default)s)")
    parser.add_argument("--commits", type=int, metavar="N",
                        help="create a missing REPO with scripts/synth_repo.py --commits N")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (for docs/performance.md)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(environment(), flush=True)
    all_results: list[tuple[Path, list[Result]]] = []
    for repo in args.repos:
        if not repo.exists() and args.commits:
            subprocess.run([sys.executable, str(HERE / "synth_repo.py"), str(repo), "--commits", str(args.commits)],
                           check=True)
        if not (repo / ".git").exists() and not (repo / "HEAD").exists():
            print(f"bench: {repo} is not a git repository (create one with scripts/synth_repo.py)", file=sys.stderr)
            return 2
        print(f"\n{describe(repo)}", flush=True)
        results = []
        for command in commands(repo, args.peers):
            timeout = args.peer_timeout if command.peer else None
            results.append(measure(command, repo, args.runs, args.warmup, timeout))
            print(f"  measured {command.label}", file=sys.stderr, flush=True)
        print(render(table(results, args.markdown), args.markdown), flush=True)
        all_results.append((repo, results))
    if len(all_results) > 1:
        print("\nScaling (median seconds)")
        print(render(scaling(all_results), args.markdown))
    print(f"\nafter: {environment()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
