"""Notes going out through a Jinja2 template, in a sandbox: a user's template, or a built-in one.

Pure text in, text out; the CLI reads and writes the files.
"""

from __future__ import annotations

from typing import Any

from relmgr.errors import UsageError
from relmgr.notes.links import commit_url, pr_url
from relmgr.notes.model import Notes, to_json
from relmgr.text import escape_controls


def render_template(source: str, notes: Notes, name: str) -> str:
    """Render a user's template from the notes model in a sandbox; any failure is a UsageError naming it.

    Variables: every key of the JSON model, plus `repo_url`, `compare_url`, `commit_url(sha)` and
    `pr_url(number)` (docs/notes-template.md). Undefined names fail instead of rendering as blanks.
    """
    from jinja2 import StrictUndefined, TemplateSyntaxError
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.globals.update(
        commit_url=lambda sha: commit_url(notes.repo_url, sha),
        pr_url=lambda number: pr_url(notes.repo_url, number),
    )
    context: dict[str, Any] = {**_escaped(to_json(notes)), "repo_url": notes.repo_url,
                               "compare_url": notes.compare_url}
    try:
        return env.from_string(source).render(context)
    except TemplateSyntaxError as exc:
        raise UsageError(f"template {name}, line {exc.lineno}: {exc.message}") from None
    except SecurityError as exc:
        raise UsageError(f"template {name} was refused: {exc} (templates run in a sandbox)") from None
    except Exception as exc:  # the template is the user's code: any failure in it is theirs to fix
        raise UsageError(f"template {name} failed: {type(exc).__name__}: {exc}") from None


def _escaped(value: Any) -> Any:
    """The model with control characters escaped in every string: commit text reaches the template as
    people may see it (the template's own text is the user's)."""
    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value
