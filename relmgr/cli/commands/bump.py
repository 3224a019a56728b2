"""`next-version`: the smallest release the policy allows for the unreleased work."""

from __future__ import annotations

import typer

from relmgr.cli.context import exit_with, guarded
from relmgr.cli.help import command
from relmgr.cli.options import AllPackagesOption, JsonOption, PackageOption, PreOption


def register(app: typer.Typer) -> None:
    command(app, "next-version", [
        ("relmgr next-version", "0.4.1: the smallest version the policy allows"),
        ("relmgr next-version --tag", "v0.4.1: with the tag prefix"),
        ("relmgr next-version --pre rc", "0.5.0rc3 after v0.5.0rc1 and v0.5.0rc2"),
        ("relmgr next-version --json", "the version and a reason per commit"),
    ])(next_version)


@guarded
def next_version(
    ctx: typer.Context,
    pre: PreOption = None,
    with_prefix: bool = typer.Option(False, "--tag", help="Print the tag (with the tag prefix), not the version."),
    as_json: JsonOption = False,
    package: PackageOption = None,
    all_packages: AllPackagesOption = False,
) -> None:
    """Print the next version of HEAD: the smallest release the policy allows for every change since the
    last release (breaking changes by their API's level, feat → minor, anything else → patch).

    Plain output is the version alone, for `NEXT=$(relmgr next-version)`. With no commits since the last
    release it prints that release's version (and says so on stderr). Before any release: 0.1.0. Packages
    released on their own: --package NAME (its commits since its last release), --all-packages (one
    `NAME VERSION` line each).
    """
    from relmgr.cli.actions.bump import next_version as body

    exit_with(ctx, body, pre=pre, with_prefix=with_prefix, as_json=as_json, package=package,
              all_packages=all_packages)
