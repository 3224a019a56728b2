"""The tag prefix, the pre-release style, and marker tags to ignore. Pure: tags (name, sha, date) in.

Many projects tag `vX.Y.Z-dev` (or `-dev.N`, `.devN`) on main right after each release to mark where the
next one's work starts (OGX's post-release workflow tags main's head `v0.5.1-dev` after `v0.5.0`, a
lightweight tag whose date is that commit's, which may be older than the release's). Such a tag is no
pre-release: `relmgr notes v0.8.1-dev` would repeat 0.8.0's notes and `next-version --pre rc` would follow
its SemVer style where the project tags `v0.9.0rc1`. A dev tag is a marker when its version is the next
patch, minor or major of a final release, and it is the only dev tag of that version: dev builds
(`1.1.0.dev1`, `1.1.0.dev2` …) come many to a version. init suggests `ignore-tags` for the markers and
names the pre-release style from the rc/alpha/beta tags alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from relmgr.history.versions import TagInfo, Version, parse_version

_TAG_RE = re.compile(r"^(?P<prefix>[^0-9]*)(?P<version>[0-9].*)$")
_MARKER_FORMS = (  # (how a marker writes its dev part, the ignore-tags regex for that form)
    (re.compile(r"-dev(?:\.\d+)?$"), r"-dev(?:\.\d+)?$"),
    (re.compile(r"\.dev\d*$"), r"\.dev\d*$"),
)


@dataclass(frozen=True, slots=True)
class TagFacts:
    prefix: str
    source: str  # why this prefix: "14 of 14 version tags start with 'v' (latest v0.4.0)"
    style: str | None  # "PEP 440 pre-releases (v0.4.0rc1)"; None without version tags
    ignore: tuple[str, ...] = ()  # suggested ignore-tags regexes
    ignore_source: str = ""  # "v0.8.1-dev, v0.9.0-dev (2 tags) mark main after a release"
    finals: tuple[tuple[str, Version], ...] = ()  # (tag, version) of the final releases, oldest version first
    pres: int = 0  # rc/alpha/beta tags


def detect_tags(tags: Iterable[TagInfo]) -> TagFacts:
    """The most common prefix of version-like tags (`v`, `release-`, none), markers, and the version style."""
    listed = list(tags)
    by_prefix: dict[str, list[tuple[Version, TagInfo]]] = {}
    for tag in listed:
        match = _TAG_RE.match(tag.name)
        version = parse_version(match.group("version")) if match else None
        if match and version is not None:
            by_prefix.setdefault(match.group("prefix"), []).append((version, tag))
    if not by_prefix:
        return TagFacts("v", "no version tags yet: relmgr's default (your first release is tagged v0.1.0)", None)
    total = sum(len(v) for v in by_prefix.values())
    prefix = max(by_prefix, key=lambda p: (len(by_prefix[p]), p == "v", p))
    mine = sorted(by_prefix[prefix], key=lambda item: item[0].key)
    shown = f"'{prefix}'" if prefix else "a digit (no prefix)"
    markers = _markers(mine)
    real = [(v, t) for v, t in mine if t.name not in markers]
    source = f"{len(mine)} of {total} version tags start with {shown} (latest {(real or mine)[-1][1].name})"
    ignore, ignore_source = _ignore(markers)
    finals = tuple((t.name, v) for v, t in real if not v.prerelease)
    pres = sum(1 for v, _ in real if v.prerelease and v.pre_label != "dev")
    return TagFacts(prefix, source, _style(real, markers), ignore, ignore_source, finals, pres)


def _markers(tags: Sequence[tuple[Version, TagInfo]]) -> dict[str, Version]:
    """Dev-only tags that mark the start of the next release's work (see the module docstring)."""
    finals = [v for v, _ in tags if not v.prerelease]
    devs = [(v, t) for v, t in tags if v.prerelease and v.pre_label == "dev"]
    per_release = Counter(v.release for v, _ in devs)
    found: dict[str, Version] = {}
    for version, tag in devs:
        below = [v for v in finals if v < version]
        if below and per_release[version.release] == 1 and _next_of(max(below, key=lambda v: v.key), version):
            found[tag.name] = version
    return found


def _next_of(final: Version, version: Version) -> bool:
    """Whether `version`'s release is the next patch, minor or major after `final` (or `final` itself)."""
    major, minor, patch = final.release[:3]
    return version.release[:3] in {(major, minor, patch), (major, minor, patch + 1), (major, minor + 1, 0),
                                   (major + 1, 0, 0)}


def _ignore(markers: dict[str, Version]) -> tuple[tuple[str, ...], str]:
    if not markers:
        return (), ""
    regexes = tuple(dict.fromkeys(regex for name in markers for form, regex in _MARKER_FORMS if form.search(name)))
    names = sorted(markers, key=lambda n: markers[n].key)
    shown = ", ".join(names[-3:]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return regexes, f"{shown} mark main after a release (a dev tag just above a final one), not pre-releases"


def _style(tags: Sequence[tuple[Version, TagInfo]], markers: dict[str, Version]) -> str:
    """The version style, from the rc/alpha/beta tags (markers left out); `next-version --pre` follows it."""
    marked = [(v, t) for v, t in tags if v.style != "plain"]
    named = [(v, t) for v, t in marked if v.prerelease and v.pre_label != "dev"]
    chosen = named or marked
    if not chosen:
        return "plain X.Y.Z versions" + (" (the dev markers left out)" if markers else "")
    version, tag = chosen[-1]
    kind = "SemVer" if version.style == "semver" else "PEP 440"
    return f"{kind} versions, e.g. {tag.name}; `relmgr next-version --pre rc` writes that style"
