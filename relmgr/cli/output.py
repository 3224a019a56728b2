"""Output: rich text for people (plain when piped or NO_COLOR), one JSON document for machines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relmgr.text import escape_controls

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from relmgr.app.plan import Plan
    from relmgr.policy.findings import Finding

_PIPED_WIDTH = 200  # wide enough that piped tables do not wrap mid-cell


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1, a policy failure's code: relmgr's entry point decides
            self.quiet = True
            raise BrokenPipeError

        def render_str(self, text: str, **options: Any) -> Any:  # every string printed, table cells too
            return super().render_str(escape_controls(text), **options)

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return _Console(
        file=stream,
        highlight=False,
        soft_wrap=not terminal,
        width=None if terminal else _PIPED_WIDTH,
        emoji=False,
    )


def table(*columns: str, title: str | None = None) -> Table:
    """A table that reads well in a terminal and degrades to aligned plain text when piped."""
    from rich import box
    from rich.table import Table

    terminal = sys.stdout.isatty()
    result = Table(
        *columns,
        title=title,
        box=box.SIMPLE_HEAD if terminal else box.ASCII2,
        show_edge=terminal,
        header_style="bold" if terminal else "",
        title_justify="left",
        safe_box=True,
    )
    return result


def emit_json(document: Any) -> None:
    """The one JSON document on stdout; same input, same bytes.

    Indented for a terminal; one compact line when piped, because only the compact form uses json's C
    encoder (indenting 100,000 commits costs seconds; `jq` re-indents for free).
    """
    if sys.stdout.isatty():
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    else:
        text = json.dumps(document, ensure_ascii=False, default=str, separators=(",", ":"))
    sys.stdout.write(text + "\n")


def write_output(path: Path, text: str) -> None:
    """What `--output FILE` does: write FILE (`relmgr.files.write_atomic`: never over a special file);
    `-` is stdout."""
    if str(path) == "-":
        say(text)
        return
    from relmgr.files import write_atomic

    write_atomic(path, text)


def silence_stdout() -> None:
    """After a broken pipe: send stdout to /dev/null, so that no later flush fails again (at exit)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def note(message: str) -> None:
    """Information for people that is neither a warning nor the command's output."""
    sys.stderr.write(f"relmgr: {escape_controls(message)}\n")


def warn(message: str) -> None:
    sys.stderr.write(f"relmgr: warning: {escape_controls(message)}\n")


def error(message: str) -> None:
    sys.stderr.write(f"relmgr: error: {escape_controls(message)}\n")


def say(text: str) -> None:
    """Human text on stdout as it is (Markdown, diffs, workflow commands), control characters escaped."""
    sys.stdout.write(escape_controls(text))


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def default_template(name: str, given: Iterable[str]) -> None:
    """`--default-template`: the built-in template `name` on stdout; `given` (other options used) is an error."""
    from relmgr.errors import UsageError
    from relmgr.notes.templates import builtin

    if others := list(given):
        raise UsageError(f"--default-template prints the built-in template and does nothing else; leave out "
                         f"{', '.join(others)}")
    sys.stdout.write(builtin(name))


def github_escape(text: str) -> str:
    """A workflow command's data, as GitHub requires (`%`, CR and LF encoded)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def warnings(messages: Iterable[str]) -> None:
    """The warnings the core returned as data, each once, in order."""
    for message in dict.fromkeys(messages):
        warn(message)


# -- JSON documents shared by several commands (field names are a contract: add, never rename) -------------


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "sha": finding.sha,
        "subject": finding.subject,
        "api": finding.api,
        "level": str(finding.level),
        "stream": finding.stream.value if finding.stream else None,
        "rule": finding.rule,
        "message": finding.message,
        "object": finding.object,
    }


def say_nothing_to_release(plan: Plan, what: str) -> None:
    """One line on stderr: no commits (or only reverted pairs) since the last release."""
    base = plan.range.base.tag if plan.range.base else "the start"
    if not plan.changes:
        note(f"no commits since {base}; {what}")
    else:
        note(f"nothing to release since {base}: its {len(plan.changes)} commits are reverted pairs; {what}")
