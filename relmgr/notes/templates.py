"""Jinja2 templates in one sandbox: the built-in ones and a user's `--template FILE`, rendered alike.

The built-in templates (`relmgr/templates/*.md.j2`) are package data, read like code through
`importlib.resources`, never from the user's disk: what `relmgr notes` writes by default is
`notes.md.j2` rendered here from the same variables and helpers a user's template gets
(docs/notes-template.md), so a copy of it (`relmgr notes --default-template`) renders the same bytes.

The environment is built once per run and each template source compiled once: `relmgr changelog`
renders one template per release. Pure text in, text out; the CLI reads and writes the files.
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from relmgr.errors import UsageError
from relmgr.notes.links import commit_url, pr_url
from relmgr.notes.model import Notes, to_json
from relmgr.text import escape_controls, link, md_cell, md_text, nest, plural

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

NOTES = "notes.md.j2"  # one release's notes: a changelog section
PROPOSAL = "proposal.md.j2"  # graduation proposals: the document, or one API's file
BUILTIN = (NOTES, PROPOSAL)


@functools.cache
def builtin(name: str) -> str:
    """The source of a built-in template (one of BUILTIN), as shipped in the package."""
    return resources.files("relmgr").joinpath("templates", name).read_text(encoding="utf-8")


def render(source: str, name: str, context: Mapping[str, Any]) -> str:
    """Render a template's `source` from `context` in the sandbox; any failure is a UsageError naming `name`.

    Undefined names fail instead of rendering as blanks; output is not HTML-escaped; the trailing newline
    of the template is kept. Control characters are written escaped (`\\x1b`), wherever they come from:
    commit text can hold escape sequences, and the output goes to terminals, files and step summaries. One
    pass over the output, not one per string of the model: a long changelog has tens of thousands.
    """
    from jinja2 import TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    try:
        return escape_controls(_compiled(source).render(context))
    except TemplateSyntaxError as exc:
        raise UsageError(f"template {name}, line {exc.lineno}: {exc.message}") from None
    except SecurityError as exc:
        raise UsageError(f"template {name} was refused: {exc} (templates run in a sandbox)") from None
    except Exception as exc:  # the template is the user's code: any failure in it is theirs to fix
        raise UsageError(f"template {name} failed: {type(exc).__name__}: {exc}") from None


def render_notes(notes: Notes, source: str | None = None, name: str = NOTES) -> str:
    """The notes through a user's template `source`, or through the built-in one when None."""
    if source is None:
        source, name = builtin(NOTES), f"built-in {NOTES}"
    return render(source, name, notes_context(notes))


def render_markdown(notes: Notes) -> str:
    """The built-in notes: a changelog section (`## [0.3.0](compare) - 2024-05-02`); same notes, same bytes."""
    return render_notes(notes)


def notes_context(notes: Notes) -> dict[str, Any]:
    """A notes template's variables: every key of the JSON model, plus `repo_url` and `compare_url`."""
    return {**to_json(notes), **link_helpers(notes.repo_url), "compare_url": notes.compare_url}


def link_helpers(repo_url: str | None) -> dict[str, Any]:
    """`repo_url` and the `commit_url(sha)` and `pr_url(number)` helpers on it (None without `repo-url`).

    Bound per render, not read from the template's context: a helper that reads the context costs a copy
    of it at each call inside a loop, which is most of the time of a long changelog.
    """
    return {"repo_url": repo_url, "commit_url": _Helper(commit_url, repo_url), "pr_url": _Helper(pr_url, repo_url)}


class _Helper(functools.partial[Any]):
    """One of relmgr's helpers: pure, takes no template context, so the sandbox calls it directly."""


# -- the sandbox ------------------------------------------------------------------------------------


@functools.cache
def environment() -> SandboxedEnvironment:
    """The one sandbox every template renders in, with relmgr's helpers (docs/notes-template.md, "Helpers")."""
    from jinja2 import StrictUndefined
    from jinja2.runtime import LoopContext, Macro
    from jinja2.sandbox import SandboxedEnvironment

    plain = frozenset(dir(dict))

    class Sandbox(SandboxedEnvironment):
        """Jinja's sandbox, with fast paths for what a template does per changelog entry: read a JSON key or
        `loop.last`, call relmgr's helpers or its own macros. Each gives the answer the sandbox gives; skipping
        its checks there is most of what keeps a long changelog near its speed before templates
        (docs/performance.md, "The built-in templates")."""

        def getattr(self, obj: Any, attribute: str) -> Any:
            """`entry.sha` on a JSON object: its key, as Jinja finds it, without the AttributeError first."""
            if type(obj) is dict and attribute not in plain and attribute in obj:
                return obj[attribute]
            if type(obj) is LoopContext and not attribute.startswith("_"):  # `loop.last`: Jinja's own API
                return getattr(obj, attribute)
            return super().getattr(obj, attribute)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            """relmgr's helpers and the template's own macros are safe: called as Jinja calls them, unchecked."""
            kind = type(__obj)
            if kind is _Helper or kind is Macro:
                if kwargs:
                    kwargs.pop("_loop_vars", None)
                    kwargs.pop("_block_vars", None)
                if kind is Macro:  # a macro takes the evaluation context first (`{% autoescape %}` blocks)
                    return __obj(__context.eval_ctx, *args, **kwargs)
                return __obj(*args, **kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    env = Sandbox(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.globals.update(plural=_Helper(plural), link=_Helper(link))
    env.filters.update(nest=nest, md_text=md_text, md_cell=md_cell, shell_quote=shlex.quote)
    return env


@functools.lru_cache(maxsize=16)
def _compiled(source: str) -> Template:
    return environment().from_string(source)
