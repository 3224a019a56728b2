"""Options more than one command takes, declared once as `Annotated` types (their values' parsers are in
`values.py`, which the fast path uses without typer).

A command writes `as_json: JsonOption = False`; the flag, its help and its metavar are the same everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from relmgr.cli.values import parse_approved, parse_date, parse_stream

__all__ = ["ApprovedOption", "JsonOption", "PreOption", "StrictOption", "TemplateOption", "parse_approved",
           "parse_date", "parse_stream"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")]
ApprovedOption = Annotated[
    str | None,
    typer.Option("--approved", envvar="RELMGR_APPROVED", metavar="PRS",
                 help="PR numbers a maintainer approved as breaking (comma or space separated)."),
]
PreOption = Annotated[
    str | None,
    typer.Option("--pre", metavar="LABEL",
                 help="The next pre-release (rc, alpha, beta or dev) of the next version, numbered after the "
                 "existing ones, in the tag style the repository uses (0.5.0rc1 or 0.5.0-rc.1)."),
]
PackageOption = Annotated[
    str | None,
    typer.Option("--package", metavar="NAME",
                 help="One package of [tool.relmgr.packages]: its own tags, commits (those touching its paths) "
                 "and files, when the packages release on their own (a tag-prefix each)."),
]
AllPackagesOption = Annotated[
    bool, typer.Option("--all-packages", help="Every package of [tool.relmgr.packages], one after the other."),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option("--template", metavar="FILE", dir_okay=False,
                 help="Render with FILE, a Jinja2 template (sandboxed), instead of the built-in one; "
                 "--default-template prints that one to start from (docs/notes-template.md)."),
]
DefaultTemplateOption = Annotated[
    bool,
    typer.Option("--default-template",
                 help="Print the built-in template on stdout and exit: redirect it into a file, change it, "
                 "pass it to --template."),
]
