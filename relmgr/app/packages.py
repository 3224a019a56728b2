"""Several packages in one repository: the project each command works on, for `--package` and
`--all-packages`.

Lockstep packages share the repository's version and tag, so the commands work on the whole repository (a
package's own view narrows only what its notes list). Independent packages are each a project of their own:
their tags (`tag-prefix`), the commits touching their `paths`, their files, the levels of the APIs they ship.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from relmgr.config.model import PackageConfig
from relmgr.config.packages import package_view
from relmgr.errors import UsageError
from relmgr.history.repository import Project

if TYPE_CHECKING:  # `releases` scopes its projects too, and reads no commits: the planner is imported by `plan`
    from relmgr.app.plan import Plan


@dataclass(frozen=True, slots=True)
class Scoped:
    """The project a command runs on, and the package it stands for (None: the repository)."""

    package: str | None
    project: Project
    root: Project | None = None  # a lockstep package's view: the repository, whose version it shares

    def plan(self) -> Plan:
        """The unreleased work and its next version; a lockstep package's is the repository's version over
        the package's own commits."""
        from relmgr.app.plan import plan_next

        if self.root is None:
            return plan_next(self.project)
        whole = plan_next(self.root)
        return replace(whole, changes=[c for c in whole.changes if self.project.belongs(c.commit.files)])


def package_project(project: Project, package: PackageConfig) -> Project:
    """The package's own view of the repository; warnings and progress are the repository's."""
    view = Project(project.repo, package_view(project.config, package), paths=package.paths,
                   shipped=frozenset(package.apis) if package.apis is not None else None)
    view.warnings = project.warnings
    view.progress = project.progress
    return view


def lockstep_view(project: Project, package: PackageConfig) -> Project:
    """A lockstep package's commits (its `paths`) under the repository's tags: what its changelog lists."""
    view = Project(project.repo, project.config, paths=package.paths,
                   shipped=frozenset(package.apis) if package.apis is not None else None)
    view.warnings = project.warnings
    view.progress = project.progress
    return view


def scoped(project: Project, name: str | None, every: bool, command: str, *,
           lockstep_package: bool = False) -> list[Scoped]:
    """The projects `command` runs on for `--package NAME` / `--all-packages` (neither: the repository).

    Independent packages need one of them. With lockstep packages `--all-packages` is the repository (one
    release for all); `--package` is refused unless `lockstep_package` (a narrowed view makes sense, as for
    notes), because the version and the tag are the repository's.
    """
    config = project.config
    if name is not None and every:
        raise UsageError("--package and --all-packages do not combine: pick one")
    if not config.packages:
        if name is not None or every:
            raise UsageError(f"--package and --all-packages need [tool.relmgr.packages.<name>] tables; without "
                             f"them `relmgr {command}` works on the whole repository")
        return [Scoped(None, project)]
    names = ", ".join(p.name for p in config.packages)
    chosen = _chosen(config.packages, name) if name is not None else None
    if not config.independent:
        if chosen is None:
            return [Scoped(None, project)]
        if not lockstep_package:
            raise UsageError(f"the packages ({names}) release in lockstep, one version and one tag for all: run "
                             f"`relmgr {command}` without --package")
        return [Scoped(chosen.name, lockstep_view(project, chosen), project)]
    if chosen is not None:
        return [Scoped(chosen.name, package_project(project, chosen))]
    if every:
        return [Scoped(p.name, package_project(project, p)) for p in config.packages]
    raise UsageError(f"the packages release on their own ({names}): pass --package NAME or --all-packages")


def _chosen(packages: Sequence[PackageConfig], name: str) -> PackageConfig:
    found = next((p for p in packages if p.name == name), None)
    if found is None:
        import difflib

        close = difflib.get_close_matches(name, [p.name for p in packages], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"--package {name!r}: no such package (packages: "
                         f"{', '.join(p.name for p in packages)}){hint}")
    return found
