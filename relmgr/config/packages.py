"""Several packages in one repository: what each releases, in lockstep or on its own.

Lockstep (no package sets `tag-prefix`): one version and one tag for all, and a release writes every
package's `version-files` and `changelog` along with the repository's. Independent (some package sets
`tag-prefix`): each package is a repository of its own as relmgr sees it — its tags, its commits (those
touching its `paths`), its files — which `package_view` gives as a plain `Config`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from relmgr.config.model import Config, PackageConfig


def package_view(config: Config, package: PackageConfig) -> Config:
    """The config a package's own releases are read and made with: its tag prefix, files and branches.

    The package tagged with the repository's `tag-prefix` (it sets none, or the same) writes the repository's
    `version-files` and `changelog` (unless it has one) besides its own; the others write only theirs."""
    prefix = config.tag_prefix if package.tag_prefix is None else package.tag_prefix
    longer = [re.compile("^" + re.escape(other_prefix)) for other in config.packages
              if other.name != package.name and (other_prefix := tag_prefix_of(config, other)) != prefix
              and other_prefix.startswith(prefix)]  # `v` must not read `v-client0.1.0` as its own
    branch = package.release_branch or (config.release_branch if "{package}" in config.release_branch
                                        else f"{{package}}-{config.release_branch}")
    # the package tagged with the repository's prefix also writes the repository's files
    main = prefix == config.tag_prefix
    files = tuple(dict.fromkeys((*config.version_files, *package.version_files))) if main else package.version_files
    return replace(config, tag_prefix=prefix, ignore_tags=(*config.ignore_tags, *longer),
                   version_files=files, changelog=package.changelog or (config.changelog if main else None),
                   release_branch=branch.replace("{package}", package.name), packages=())


def tag_prefix_of(config: Config, package: PackageConfig) -> str:
    return config.tag_prefix if package.tag_prefix is None else package.tag_prefix


def lockstep_version_files(config: Config) -> tuple[str, ...]:
    """Every version file a lockstep release writes: the repository's, then each package's."""
    if config.independent:
        return config.version_files
    return tuple(dict.fromkeys((*config.version_files, *(f for p in config.packages for f in p.version_files))))


def lockstep_changelogs(config: Config) -> list[PackageConfig]:
    """The packages whose own changelog a lockstep release writes (their commits' notes only)."""
    if config.independent:
        return []
    return [p for p in config.packages if p.changelog and p.changelog != config.changelog]
