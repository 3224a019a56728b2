"""`lint`: Conventional Commit messages for commit-msg hooks, PR titles and commit ranges."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from relmgr.cli.context import State, guarded, state
from relmgr.cli.help import command
from relmgr.errors import UsageError

if TYPE_CHECKING:
    from relmgr.config.model import Config
    from relmgr.history.versions import Stream
    from relmgr.policy.lint import LintFinding


@dataclass(frozen=True, slots=True)
class Linted:
    """The findings of one message: a commit's (sha) or a given text's (sha None)."""

    sha: str | None
    subject: str
    findings: tuple[LintFinding, ...]


def register(app: typer.Typer) -> None:
    command(app, "lint", [
        ('relmgr lint --title "feat(files)!: drop purpose=batch"', "a PR title"),
        ("relmgr lint --file .git/COMMIT_EDITMSG", "a commit-msg hook"),
        ("relmgr lint --range v0.3.0..HEAD --stream z", "every commit since v0.3.0, for a patch"),
    ])(lint)


@guarded
def lint(
    ctx: typer.Context,
    message: str | None = typer.Option(None, "--message", "-m", metavar="MESSAGE", help="Lint this commit message."),
    file: str | None = typer.Option(
        None, "--file", metavar="FILE",
        help="Lint a commit message file (`-`: stdin); `#` lines and everything below git's scissors are ignored.",
    ),
    title: str | None = typer.Option(None, "--title", metavar="TITLE", help="Lint a header only (a PR title)."),
    revision_range: str | None = typer.Option(None, "--range", metavar="A..B", help="Lint every commit of a range."),
    stream: str | None = typer.Option(
        None, "--stream", metavar="z|y|x", help="Also warn of breaking changes the stream's releases may not carry."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
) -> None:
    """Lint Conventional Commit messages: exit 1 on errors (bad header, type, empty description, misspelt
    `BREAKING CHANGE:`); long headers and unknown scopes are warnings. Headers git writes itself pass."""
    from relmgr.cli.options import parse_stream

    given = [name for name, value in (("--message", message), ("--file", file), ("--title", title),
                                      ("--range", revision_range)) if value is not None]
    if len(given) != 1:
        raise UsageError("pass exactly one of --message, --file, --title or --range"
                         + (f" (got {', '.join(given)})" if given else ""))
    wanted = parse_stream(stream) if stream is not None else None
    if revision_range is not None:
        results = _lint_range(state(ctx), revision_range, wanted, progress=not as_json)
    else:
        results = [_lint_text(state(ctx), message, file, title, wanted)]
    findings = [f for r in results for f in r.findings]
    failed = any(f.severity == "error" or strict for f in findings)
    if as_json:
        from relmgr.cli.output import emit_json

        emit_json({"ok": not failed, "findings": [_finding_json(r, f) for r in results for f in r.findings]})
    else:
        _print_text(results, revision_range)
    if failed:
        raise typer.Exit(1)


def _lint_text(st: State, message: str | None, file: str | None, title: str | None,
               stream: Stream | None) -> Linted:
    from relmgr.policy.lint import clean_message, lint_message

    text = clean_message(_read(file)) if file is not None else title if title is not None else message or ""
    found = lint_message(text, _config(st), header_only=title is not None, stream=stream)
    return Linted(None, text.strip().split("\n", 1)[0].strip(), tuple(found))


def _lint_range(st: State, revision_range: str, stream: Stream | None, *, progress: bool) -> list[Linted]:
    from relmgr.policy.lint import lint_commit

    project = st.project(progress=progress)
    rng = project.parse_range(revision_range)
    return [
        Linted(c.sha, c.subject, tuple(lint_commit(c, project.config, project.registry, stream=stream)))
        for c in project.commits(rng)
    ]


def _config(st: State) -> Config:
    """The project's config; outside a repository (a PR-title job without checkout), the current folder's."""
    return st.config()


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read the message file {file}: {exc.strerror}") from None


def _finding_json(linted: Linted, finding: LintFinding) -> dict[str, Any]:
    return {"sha": linted.sha, "subject": linted.subject, "severity": finding.severity, "rule": finding.rule,
            "message": finding.message}


def _print_text(results: list[Linted], revision_range: str | None) -> None:
    from relmgr.text import plural

    lines = [
        f"{f.severity}: {r.sha[:7] if r.sha else 'message'}: {f.message} [{f.rule}]"
        for r in results for f in r.findings
    ]
    if revision_range is not None:
        errors = sum(f.severity == "error" for r in results for f in r.findings)
        warnings = sum(f.severity == "warning" for r in results for f in r.findings)
        counts = ", ".join(plural(n, noun) for n, noun in ((len(results), "commit"), (errors, "error"),
                                                             (warnings, "warning")))
        lines.append(f"relmgr lint {revision_range}: {counts}")
    if lines:
        from relmgr.cli.output import say

        say("\n".join(lines) + "\n")
