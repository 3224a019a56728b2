"""`demo`: build the sample repository and run the real commands on it, saying what each one shows."""

from __future__ import annotations

import shlex
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import typer

from relmgr.cli.context import guarded
from relmgr.cli.help import command
from relmgr.errors import UsageError


@dataclass(frozen=True, slots=True)
class Stop:
    """One stop of the tour: what the user is looking at, and the command that shows it."""

    title: str
    explain: str
    args: tuple[str, ...]
    expect: int = 0  # the exit code the command must give on the sample history


def tour(today: str) -> tuple[Stop, ...]:
    return (
        Stop("the releases",
             "every version tag, oldest first, with the release it follows and its stream (X major, Y minor, "
             "Z patch). v0.2.1 and v0.2.2 were cut from the branch release-0.2.x, so v0.3.0 follows v0.2.2; "
             "v0.2.0rc1 is a pre-release of v0.2.0.",
             ("releases",)),
        Stop("the gate on a good release",
             "v0.3.0 is a Y-stream (minor) release with two breaking changes: one to the v1alpha API batches "
             "(alpha may break at any time), one to the v1 API inference, declared by a `BREAKING CHANGE:` "
             "footer in the middle of a squash merge's body (v1 may break in a minor release, with a migration "
             "note). The priority-queue change and its revert cancel out. Exit code 0: the release passes.",
             ("check", "--tag", "v0.3.0")),
        Stop("the gate on a bad release",
             "v0.2.2 is a patch release that breaks the v1 API inference twice: `fix(inference)!:` declares "
             "it, while a `refactor:` drops `GET /v1/models/{model}` from openapi.yaml and declares nothing; "
             "the OpenAPI spec diff finds it (undeclared-breaking-change). No Z-stream may break a v1 or "
             "v1beta API, and a v1 route must be deprecated in a release before it is removed, so the gate "
             "fails, names each commit, the API and its level, and says what to do. Exit code 1: in CI this "
             "fails the job.",
             ("check", "--tag", "v0.2.2"), expect=1),
        Stop("the next version",
             "the smallest release the policy allows for main's unreleased work since v0.3.0: a feature, a fix "
             "and a breaking change to the v1beta API files, which needs a minor release. "
             "`--json` gives the reason for each commit; `--pre rc` the next release candidate.",
             ("next-version",)),
        Stop("the release notes of v0.3.0",
             "breaking changes by level with their migration notes, the deprecation, features and docs, the "
             "contributors. The fix cherry-picked into v0.2.1 is left out: it already shipped. With `repo-url` "
             "set, PRs and commits are links; `--changelog CHANGELOG.md` writes them into a changelog.",
             ("notes", "v0.3.0")),
        Stop("graduation proposals",
             "for each API below v1 (files, batches) the evidence for moving it one level up, a checklist and a "
             "verdict; v1 APIs appear only when flagged: inference broke in both of its last two minor "
             f"releases. `--today {today}` pins the date days are counted to, so this output is the same on "
             "every run; leave it out in your repository.",
             ("propose", "--today", today)),
    )


def register(app: typer.Typer) -> None:
    command(app, "demo", [
        ("relmgr demo", "build the sample in a new temporary folder, run the tour"),
        ("relmgr demo /tmp/widgets --no-run", "build it only, and print its path"),
    ])(demo)


@guarded
def demo(
    ctx: typer.Context,
    folder: Path | None = typer.Argument(
        None, metavar="[DIR]", file_okay=False,
        help="Where to build the sample repository: a missing or empty folder (default: a new temporary one).",
    ),
    no_run: bool = typer.Option(False, "--no-run", "--quiet", "-q",
                                help="Only build the repository and print its path."),
) -> None:
    """Build a sample API project's history and run releases, check, next-version, notes and propose on it.

    The history is fixed (same commits, same shas, same output on every run): three APIs at v1, v1beta and
    v1alpha, an rc, a release branch with a cherry-pick, a revert, a squash merge with a footer, a deprecation
    and one patch release that breaks a v1 API. Each step says what you are looking at and how to run it.
    """
    from relmgr.app import demo as sample
    from relmgr.cli import output as render

    target = _folder(folder)
    sample.build(target)
    if no_run:
        typer.echo(str(target))
        return
    out = render.console()
    out.print(render.escape(_intro(target, sample.SCRIPT)))
    stops = tour(sample.TODAY)
    surprises = [stop for number, stop in enumerate(stops, 1) if not _visit(ctx, target, stop, number, len(stops))]
    out.print(render.escape(_outro(target)))
    if surprises:
        names = ", ".join(stop.title for stop in surprises)
        render.error(f"the demo did not go as scripted ({names}): this is a bug in relmgr, please report it")
        raise typer.Exit(1)


def _folder(folder: Path | None) -> Path:
    """`folder` if it is missing or empty, else a usage error; None: a new temporary folder."""
    if folder is None:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="relmgr-demo-"))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not an empty folder; give a new path (the demo builds a repository there)")
    return folder.resolve()


def _visit(ctx: typer.Context, root: Path, stop: Stop, number: int, total: int) -> bool:
    """Explain one stop, run its command in-process; whether it exited as the script expects."""
    from relmgr.cli import output as render

    args = ("--repo", str(root), *stop.args)
    out = render.console()
    out.print()
    out.print(f"── {number}/{total} {stop.title} " + "─" * max(3, 72 - len(stop.title)), style="bold")
    out.print(render.escape(_wrap("What you are looking at: " + stop.explain)))
    out.print(render.escape("Run it yourself: " + shlex.join(("relmgr", *args))), style="bold")
    out.print()
    sys.stdout.flush()
    command = ctx.find_root().command  # relmgr itself: each stop runs as a new invocation of it
    code = command.main(args=list(args), prog_name="relmgr", standalone_mode=False) or 0
    sys.stdout.flush()
    if code != 0:
        out.print(f"(exit code {code})", style="dim")
    return bool(code == stop.expect)


def _intro(root: Path, script: tuple[object, ...]) -> str:
    from relmgr.app import demo as sample

    commits = sum(isinstance(s, sample.Commit | sample.CherryPick | sample.Revert) for s in script)
    tags = sum(isinstance(s, sample.Tag) for s in script)
    return f"Built a sample repository at {root}\n" + _wrap(
        f"Acme Widgets: {commits} commits and {tags} version tags on main and release-0.2.x. Its relmgr.toml "
        "configures three APIs with paths, commit scopes and OpenAPI routes: inference (v1), files (v1beta) and "
        "batches (v1alpha). Dates are fixed, so every run shows the same commits and output."
    )


def _outro(root: Path) -> str:
    return (
        f"\nThe sample repository stays at {root}\n"
        f"Look around: cd {shlex.quote(str(root))}, then `relmgr scan`, `relmgr apis`, `relmgr check --stream z`, "
        "`git log --graph --all --oneline`.\nIn your own repository, `relmgr init` writes a starter config."
    )


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)
