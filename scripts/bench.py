#!/usr/bin/env python3
"""Time relmgr against the physical floor (`git log`) and its peers on one or more repositories.

Usage::

    python scripts/bench.py REPO [REPO ...] [--runs N] [--warmup N] [--peers | --no-peers]
                            [--peer-timeout S] [--commits N] [--spec-size SIZE] [--spec-files N]
                            [--specs | --no-specs] [--cache-dir DIR] [--warm] [--markdown]

Every measurement is a whole process, started fresh, with its output thrown away: `--warmup` runs first
(default 1: the page cache holds the repository afterwards), then `--runs` counted runs (default 5) whose
median wall time is reported. For each REPO it measures

* the floors: `git log --format=%B` (messages) and `git log --name-only --format=%B` (what anything that
  needs changed paths must at least pay);
* start-up: `relmgr --version` against the interpreter's own (`python -c "pass"`);
* `relmgr releases`, `relmgr next-version` (HEAD's nearest release and the work since), `relmgr check
  --tag T` and `relmgr notes T` on the latest final release T, and `relmgr changelog` (the whole history);
* with `--peers` (the default) and when installed (`pip install git-cliff commitizen`): git-cliff's whole
  changelog (`git-cliff -o /dev/null`) and its latest release (`git-cliff --latest`, the one-release work
  of `releases`, `check --tag` and `notes TAG`: a small table gives their ratio to it), and commitizen's
  changelog (`cz changelog --dry-run`), each stopped after `--peer-timeout` seconds (default 300; git-cliff
  grows faster than linearly).

Memory: "peak" is the largest resident set of any one process of the command (`wait4`'s ru_maxrss, what
`/usr/bin/time -f %M` prints), the median over the counted runs. On Linux one more run per command samples
the whole process tree every 20 ms and reports "tree": the greatest sum of the processes' proportional set
sizes (PSS: pages shared between processes, such as two git processes mapping the same pack, counted
once), which is what the command costs the machine while relmgr's git processes run beside it.

Ratios are the claim, not absolute times: "x floor" divides by the `--name-only` floor and "x cliff" by
git-cliff, both measured in the same run. With several REPOs, a last table shows how each command scales
against the first (smallest) one (repositories with specs are left out of it: their own table compares).
`--commits N` creates a missing REPO first with scripts/synth_repo.py (with `--spec-size SIZE
[--spec-files N]`: its spec-heavy history).

OpenAPI specs: when a REPO's config has `[tool.relmgr.openapi]` specs (and unless `--no-specs`), the main
table runs relmgr without them (a copy of the config without that table, passed with `--config`), so it
compares with the peers as for any repository, and a second table measures what the specs cost: `check
--tag MINOR` and `notes MINOR` (MINOR: the latest minor release, x.y.0) and `changelog`, with specs off and
with specs on. "Specs on" is cold: relmgr's cache of parsed specs (`--cache-dir`, default the repository's
`.git/relmgr`) is removed before every run. `--warm` adds the same commands with the cache kept (filled by
the warm-up run) and their ratio to specs off. `--cache-dir DIR` also sets RELMGR_CACHE_DIR=DIR for relmgr
(the hook for a cache kept elsewhere).

The measured processes run without PYTHONDONTWRITEBYTECODE, so the warm-up run leaves compiled modules as
an installed relmgr has them (pip compiles them at install): otherwise every run compiles relmgr again.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
MiB = 1024 * 1024


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    peer: bool = False  # a peer: stopped after --peer-timeout
    ok: tuple[int, ...] = (0,)  # exit codes of a complete run (`check` exits 1 on a policy violation)
    before: Callable[[], None] | None = None  # before every run (a cold run removes the cache)


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


CACHE_ENV = "RELMGR_CACHE_DIR"  # the hook: where relmgr keeps its cache of parsed specs, when --cache-dir is given
_EXTRA_ENV: dict[str, str] = {}


def _env() -> dict[str, str]:
    dropped = ("RELMGR_APPROVED", "GITHUB_STEP_SUMMARY", "PYTHONDONTWRITEBYTECODE", CACHE_ENV)
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**env, "NO_COLOR": "1", "LC_ALL": "C.UTF-8", **_EXTRA_ENV}


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
            if command.before:
                command.before()
            wall, peak, _ = run_once(command.argv, cwd, timeout, ok=command.ok)
            if index >= warmup or wall > SLOW:
                result.walls.append(wall)
                result.peaks.append(peak)
            if wall > SLOW:
                break
        if _SAMPLES and (result.wall or 0) < SLOW:
            if command.before:
                command.before()
            result.tree = run_once(command.argv, cwd, timeout, sample=True, ok=command.ok)[2]
    except (TimeoutError, RuntimeError) as exc:
        result.failed = str(exc)
    return result


# -- what to measure ---------------------------------------------------------------------------------------


def relmgr_argv() -> tuple[str, ...]:
    found = shutil.which("relmgr", path=str(Path(sys.executable).parent)) or shutil.which("relmgr")
    return (found,) if found else (sys.executable, "-m", "relmgr")


def _releases(repo: Path, config: Path | None) -> list[dict[str, object]]:
    import json

    argv = [*relmgr_argv(), *(("--config", str(config)) if config else ()), "releases", "--json"]
    out = subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=True, env=_env()).stdout
    found: list[dict[str, object]] = json.loads(out)["releases"]
    return found


def latest_release(repo: Path, config: Path | None = None, *, minor: bool = False) -> str | None:
    """The greatest final release (with `minor`, the greatest x.y.0 that follows a release: a Y stream)."""
    from relmgr.history.versions import parse_version

    finals = [r for r in _releases(repo, config) if not r["prerelease"] and (not minor or r["stream"] == "y")]
    keyed = [(v.key, str(r["tag"])) for r in finals if (v := parse_version(str(r["version"]))) is not None]
    return max(keyed)[1] if keyed else None


def commands(repo: Path, peers: bool, config: Path | None = None) -> list[Command]:
    relmgr = (*relmgr_argv(), *(("--config", str(config)) if config else ()))
    latest = latest_release(repo, config)
    found = [
        Command("git log (messages)", ("git", "log", "--format=%B")),
        Command("git log --name-only (floor)", ("git", "log", "--name-only", "--format=%B")),
        Command('python -c "pass"', (sys.executable, "-c", "pass")),
        Command("relmgr --version", (*relmgr_argv(), "--version")),
        Command("relmgr releases", (*relmgr, "releases")),
        Command("relmgr next-version", (*relmgr, "next-version")),
    ]
    if latest:  # one release: the latest final
        found += [Command("relmgr check --tag TAG", (*relmgr, "check", "--tag", latest), ok=(0, 1)),
                  Command("relmgr notes TAG", (*relmgr, "notes", latest))]
    found.append(Command("relmgr changelog", (*relmgr, "changelog")))
    if peers:
        if cliff := shutil.which("git-cliff", path=str(Path(sys.executable).parent)) or shutil.which("git-cliff"):
            found.append(Command("git-cliff (whole changelog)", (cliff, "-o", "/dev/null"), peer=True))
            found.append(Command("git-cliff --latest", (cliff, "--latest", "-o", "/dev/null"), peer=True))
        if cz := shutil.which("cz", path=str(Path(sys.executable).parent)) or shutil.which("cz"):
            found.append(Command("commitizen (whole changelog)", (cz, "changelog", "--dry-run"), peer=True))
    return found


# -- OpenAPI specs: on, off, cold, warm ----------------------------------------------------------------------


@dataclass(frozen=True)
class Specs:
    """A repository's configured specs, and a copy of its config without them."""

    config: Path  # the config as it is
    without: Path  # the same, without [tool.relmgr.openapi]
    paths: tuple[str, ...]
    cache: Path  # where relmgr keeps parsed specs: removed before a cold run


def find_specs(repo: Path, cache_dir: Path | None, scratch: Path) -> Specs | None:
    """The repository's spec settings (relmgr.toml, else pyproject.toml), or None when it has none."""
    import tomlkit

    for name in ("relmgr.toml", "pyproject.toml"):
        source = repo / name
        if not source.is_file():
            continue
        document = tomlkit.parse(source.read_text(encoding="utf-8"))
        relmgr = document.get("tool", {}).get("relmgr")
        if relmgr is None:
            continue
        specs = tuple(str(p) for p in relmgr.get("openapi", {}).get("specs", ()))
        if not specs:
            return None
        del relmgr["openapi"]
        without = scratch / f"{repo.name}-no-specs-{name}"
        without.write_text(tomlkit.dumps(document), encoding="utf-8")
        git_dir = Path(subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=repo, capture_output=True,
                                      text=True, check=True).stdout.strip())
        return Specs(source, without, specs, cache_dir or git_dir / "relmgr")
    return None


def spec_commands(repo: Path, specs: Specs) -> tuple[str | None, list[tuple[str, Command, Command]]]:
    """(MINOR, [(label, the command with specs off, the same with specs on)])."""
    relmgr = relmgr_argv()
    minor = latest_release(repo, specs.without, minor=True)
    jobs: list[tuple[str, tuple[str, ...], tuple[int, ...]]] = []
    if minor:
        jobs += [("relmgr check --tag MINOR", ("check", "--tag", minor), (0, 1)),
                 ("relmgr notes MINOR", ("notes", minor), (0,))]
    jobs.append(("relmgr changelog", ("changelog",), (0,)))
    cold = lambda: shutil.rmtree(specs.cache, ignore_errors=True)  # noqa: E731
    return minor, [(label, Command(f"{label} (specs off)", (*relmgr, "--config", str(specs.without), *args), ok=ok),
                    Command(f"{label} (specs on)", (*relmgr, "--config", str(specs.config), *args), ok=ok,
                            before=cold))
                   for label, args, ok in jobs]


def spec_table(rows: list[tuple[str, Result, Result, Result | None]]) -> list[list[str]]:
    """Specs off, on (cold) and on (warm, with --warm): median seconds and the ratio to specs off."""
    warm = any(row[3] is not None for row in rows)
    head = ["command", "specs off s", "specs on s", "x off"] + (["warm s", "warm x off"] if warm else [])
    head += ["on peak MiB"]
    table_rows = [head]
    for label, off, on, kept in rows:
        cells = [label, _seconds(off), _seconds(on), _ratio(on.wall, off.wall)]
        if warm:
            cells += [_seconds(kept) if kept else "-", _ratio(kept.wall if kept else None, off.wall)]
        cells.append(f"{on.peak / MiB:.0f}" if on.peak else "-")
        table_rows.append(cells)
    return table_rows


def _seconds(result: Result) -> str:
    return f"{result.wall:.2f}" if result.wall is not None else (result.failed or "-")


def measure_specs(repo: Path, specs: Specs, args: argparse.Namespace) -> None:
    minor, jobs = spec_commands(repo, specs)
    size = sum((repo / p).stat().st_size for p in specs.paths if (repo / p).is_file())
    print(f"\nOpenAPI specs: {len(specs.paths)} files, {size / 1e6:.2f} MB at HEAD; MINOR = {minor or 'none'}; "
          f"cold = {specs.cache} removed before each run", flush=True)
    rows: list[tuple[str, Result, Result, Result | None]] = []
    for label, off, on in jobs:
        results = [measure(off, repo, args.runs, args.warmup, None),
                   measure(on, repo, args.runs, args.warmup, args.spec_timeout)]
        kept = None
        if args.warm:  # the warm-up run fills the cache, the counted runs find it
            kept = measure(replace(on, label=f"{label} (specs on, warm)", before=None), repo, args.runs,
                           max(1, args.warmup), args.spec_timeout)
        rows.append((label, results[0], results[1], kept))
        print(f"  measured {label}", file=sys.stderr, flush=True)
    print(render(spec_table(rows), args.markdown), flush=True)


# -- reporting ---------------------------------------------------------------------------------------------


def describe(repo: Path, config: Path | None = None) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()

    commits = git("rev-list", "--count", "HEAD")
    tags = len(git("tag", "--list").split())
    return f"{repo}: {commits} commits (HEAD), {tags} tags; TAG = {latest_release(repo, config) or 'none'}"


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


def latest_table(results: list[Result]) -> list[list[str]] | None:
    """The one-release commands against `git-cliff --latest` (the same one-release work), when it ran."""
    by_label = {r.command.label: r for r in results}
    latest = by_label.get("git-cliff --latest")
    if latest is None or latest.wall is None:
        return None
    rows = [["one release", "median s", "x git-cliff --latest"]]
    for label in ("relmgr releases", "relmgr check --tag TAG", "relmgr notes TAG", "git-cliff --latest"):
        if (found := by_label.get(label)) is not None:
            rows.append([label, _seconds(found), _ratio(found.wall, latest.wall)])
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
    parser.add_argument("--spec-size", metavar="SIZE",
                        help="with --commits: create the REPO with generated OpenAPI specs of about SIZE each")
    parser.add_argument("--spec-files", type=int, default=3, metavar="N", help="with --spec-size: files (default 3)")
    parser.add_argument("--specs", action=argparse.BooleanOptionalAction, default=True,
                        help="measure specs off against on when the config has [tool.relmgr.openapi] (default: yes)")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="relmgr's cache of parsed specs (default: the repository's .git/relmgr); removed "
                        f"before each cold run; also passed to relmgr as {CACHE_ENV}")
    parser.add_argument("--warm", action="store_true", help="also measure specs on with the cache kept (warm)")
    parser.add_argument("--spec-timeout", type=float, default=600, metavar="S",
                        help="stop a run with specs on after S seconds (default %(default)s)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (for docs/performance.md)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(environment(), flush=True)
    all_results: list[tuple[Path, list[Result]]] = []
    if args.cache_dir:
        _EXTRA_ENV[CACHE_ENV] = str(args.cache_dir.resolve())
    scratch = Path(tempfile.mkdtemp(prefix="relmgr-bench-"))
    for repo in args.repos:
        if not repo.exists() and args.commits:
            extra = ["--spec-size", args.spec_size, "--spec-files", str(args.spec_files)] if args.spec_size else []
            subprocess.run([sys.executable, str(HERE / "synth_repo.py"), str(repo), "--commits", str(args.commits),
                            *extra], check=True)
        if not (repo / ".git").exists() and not (repo / "HEAD").exists():
            print(f"bench: {repo} is not a git repository (create one with scripts/synth_repo.py)", file=sys.stderr)
            return 2
        specs = find_specs(repo, args.cache_dir, scratch) if args.specs else None
        config = specs.without if specs else None
        print(f"\n{describe(repo, config)}", flush=True)
        results = []
        for command in commands(repo, args.peers, config):
            timeout = args.peer_timeout if command.peer else None
            results.append(measure(command, repo, args.runs, args.warmup, timeout))
            print(f"  measured {command.label}", file=sys.stderr, flush=True)
        print(render(table(results, args.markdown), args.markdown), flush=True)
        if (latest := latest_table(results)) is not None:
            print("\n" + render(latest, args.markdown), flush=True)
        if specs:
            measure_specs(repo, specs, args)
        else:  # a spec-heavy history is its own comparison (its table above), not a step of the scaling
            all_results.append((repo, results))
    shutil.rmtree(scratch, ignore_errors=True)
    if len(all_results) > 1:
        print("\nScaling (median seconds)")
        print(render(scaling(all_results), args.markdown))
    print(f"\nafter: {environment()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
