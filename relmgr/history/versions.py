"""Tags ↔ versions (SemVer and PEP 440), their order, releases, streams and previous releases.

Versions are ordered with PEP 440 semantics (`0.2.10 < 0.2.10.1 < 0.2.11`, `0.4.0rc4 < 0.4.0`), which also
orders SemVer tags the way SemVer does for the usual pre-release names (`1.0.0-rc.1` is PEP 440's `1.0.0rc1`).
SemVer pre-releases that PEP 440 cannot read (`1.0.0-x.7.z`) are ordered by SemVer's identifier rules,
below every named pre-release phase of the same release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal, Protocol

from packaging.version import InvalidVersion
from packaging.version import Version as Pep440
from semver import Version as SemVer

# How a tag writes its version: `semver` (`1.2.3-rc.1`), `pep440` (`0.4.0rc1`, `0.2.10.1`) or `plain`
# (`1.2.3`, both at once); `next-version --pre` follows the style the repository already uses.
Style = Literal["pep440", "semver", "plain"]

# Tags that PEP 440 reads but that are not version numbers in anybody's mind (`v1`, `v2024`): a release
# needs at least major.minor.
_MIN_PARTS = 2

_Key = tuple[object, ...]
# No one writes a longer version; a tag, `--version` or `until` of thousands of digits is not one (and
# int() refuses 4,300 digits).
_MAX_LENGTH = 200


class Stream(StrEnum):
    """The release stream of a release against its previous one."""

    X = "x"  # major
    Y = "y"  # minor
    Z = "z"  # patch (and 4th-component releases)


@dataclass(frozen=True, slots=True)
class Version:
    """A version as written in a tag (`text`), with what is needed to order and classify it."""

    text: str
    release: tuple[int, ...]  # the final release this version is or leads up to: `0.4.0rc2` → (0, 4, 0)
    prerelease: bool
    style: Style
    key: _Key = field(repr=False, compare=False)
    pre_label: str | None = None  # "rc", "a", "b", "dev" … for pre-releases
    pre_number: int | None = None

    def __lt__(self, other: Version) -> bool:
        return self.key < other.key

    def __le__(self, other: Version) -> bool:
        return self.key <= other.key

    def __gt__(self, other: Version) -> bool:
        return self.key > other.key

    def __ge__(self, other: Version) -> bool:
        return self.key >= other.key

    def same_as(self, other: Version) -> bool:
        """Equal in order (`1.0` and `1.0.0`, `1.0.0-rc.1` and `1.0.0rc1`)."""
        return self.key == other.key

    def __str__(self) -> str:
        return self.text


def parse_version(text: str) -> Version | None:
    """Read a bare version (no prefix) as PEP 440 or SemVer; None when it is neither."""
    text = text.strip()
    if not text or not text[0].isdigit() or len(text) > _MAX_LENGTH:
        return None
    sem = _semver(text)
    try:
        pep = Pep440(text)
    except (InvalidVersion, ValueError):  # ValueError: a part past Python's int-conversion limit
        pep = None
    if pep is not None and len(pep.release) >= _MIN_PARTS:
        pre_label, pre_number = _pre_of(pep)
        return Version(
            text=text,
            release=_strip_zeros(pep.release),
            prerelease=pep.is_prerelease,
            style=_style_of(text, sem is not None),
            key=_pep_key(pep),
            pre_label=pre_label,
            pre_number=pre_number,
        )
    if sem is not None:
        return _semver_only(text, sem)
    return None


def _semver(text: str) -> SemVer | None:
    """The text as a strict SemVer 2.0.0 version (semver.org's grammar), or None."""
    try:
        return SemVer.parse(text)
    except (ValueError, TypeError):
        return None


def _style_of(text: str, is_semver: bool) -> Style:
    if is_semver and ("-" in text or "+" in text):
        return "semver"
    if is_semver:
        return "plain"
    return "semver" if "-" in text else "pep440"


def _pre_of(pep: Pep440) -> tuple[str | None, int | None]:
    if pep.pre is not None:
        return pep.pre[0], pep.pre[1]
    if pep.dev is not None:
        return "dev", pep.dev
    return None, None


def _strip_zeros(release: Sequence[int]) -> tuple[int, ...]:
    """`(1, 2, 0, 0)` → `(1, 2, 0)`: keep three parts at least so streams read naturally."""
    parts = list(release)
    while len(parts) > 3 and parts[-1] == 0:
        parts.pop()
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


def _release_key(release: Sequence[int]) -> tuple[int, ...]:
    parts = list(release)
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


# PEP 440 order within one release: dev-only < pre-releases (a < b < rc, each with its own dev) < final < post.
_NEG = (-2,)  # sorts before every (phase, number) tuple
_POS = (9,)


def _pep_key(pep: Pep440) -> _Key:
    if pep.pre is None and pep.post is None and pep.dev is not None:
        pre: tuple[object, ...] = _NEG  # 1.0.dev1 sorts before 1.0a1
    elif pep.pre is None:
        pre = _POS
    else:
        pre = (_PHASES[pep.pre[0]], pep.pre[1])
    post = (-1,) if pep.post is None else (pep.post,)
    dev = _POS if pep.dev is None else (pep.dev,)
    return (pep.epoch, _release_key(pep.release), pre, post, dev)


_PHASES = {"a": 1, "b": 2, "rc": 3}


def _semver_only(text: str, sem: SemVer) -> Version:
    """A SemVer pre-release PEP 440 cannot read: below a1 of the same release, ordered by SemVer rules."""
    release = (sem.major, sem.minor, sem.patch)
    identifiers = sem.prerelease.split(".") if sem.prerelease else []
    ident_key = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in identifiers)
    pre: tuple[object, ...] = (0, ident_key) if identifiers else _POS
    key: _Key = (0, _release_key(release), pre, (-1,), _POS)
    return Version(
        text=text,
        release=release,
        prerelease=bool(identifiers),
        style="semver",
        key=key,
        pre_label=identifiers[0] if identifiers else None,
        pre_number=None,
    )


def classify_stream(version: Version, previous: Version | None) -> Stream | None:
    """X if the first release component grew, Y if the second, else Z; None for the first release.

    A pre-release is classified by its final version (`0.4.0rc2` after `0.3.5` is Y).
    """
    if previous is None:
        return None
    cur, prev = version.release, previous.release
    if cur[0] != prev[0]:
        return Stream.X
    if cur[1] != prev[1]:
        return Stream.Y
    return Stream.Z


class Matcher(Protocol):
    """A user's pattern (config/patterns.py's UserPattern): its text and a bounded search."""

    @property
    def pattern(self) -> str: ...
    def search(self, text: str, /) -> object: ...


class TagInfo(Protocol):
    """What the release model needs of a tag (git.py's RawTag has this shape)."""

    @property
    def name(self) -> str: ...
    @property
    def sha(self) -> str: ...
    @property
    def date(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Release:
    tag: str
    version: Version
    sha: str
    date: datetime
    previous: str | None  # the previous release's tag
    stream: Stream | None

    @property
    def prerelease(self) -> bool:
        return self.version.prerelease


@dataclass(frozen=True, slots=True)
class Skipped:
    tag: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReleaseSet:
    """Every release of a repository, oldest first, and the tags that are not releases."""

    releases: tuple[Release, ...]
    skipped: tuple[Skipped, ...]
    _by_tag: dict[str, Release] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_tag.update((r.tag, r) for r in self.releases)  # `find` per release must not scan them all

    def find(self, tag: str) -> Release | None:
        return self._by_tag.get(tag)

    def by_version(self) -> list[Release]:
        """Releases in version order (lowest first)."""
        return sorted(self.releases, key=lambda r: (r.version.key, r.date, r.tag))

    def finals(self) -> list[Release]:
        return [r for r in self.releases if not r.prerelease]

    def latest(self) -> Release | None:
        """The greatest final version."""
        finals = self.finals()
        return max(finals, key=lambda r: r.version.key) if finals else None


def build_releases(
    tags: Iterable[TagInfo], *, prefix: str, ignore: Sequence[Matcher] = ()
) -> ReleaseSet:
    """Turn tags into releases: parse versions, drop the rest with a reason, link each to its previous."""
    candidates: list[tuple[TagInfo, Version]] = []
    skipped: list[Skipped] = []
    for tag in sorted(tags, key=lambda t: t.name):
        version, reason = _version_of_tag(tag.name, prefix, ignore)
        if version is None:
            skipped.append(Skipped(tag.name, reason))
        else:
            candidates.append((tag, version))
    candidates, duplicates = _drop_duplicates(candidates)
    skipped.extend(duplicates)
    releases = _link_all(candidates)
    releases.sort(key=lambda r: (r.date, r.version.key, r.tag))
    skipped.sort(key=lambda s: s.tag)
    return ReleaseSet(tuple(releases), tuple(skipped))


def _version_of_tag(name: str, prefix: str, ignore: Sequence[Matcher]) -> tuple[Version | None, str]:
    for pattern in ignore:
        if pattern.search(name):
            return None, f"matches ignore-tags pattern {pattern.pattern!r}"
    if not name.startswith(prefix):
        return None, f"does not start with the tag prefix {prefix!r}"
    version = parse_version(name[len(prefix) :])
    if version is None:
        return None, "not a SemVer or PEP 440 version"
    return version, ""


def _drop_duplicates(
    candidates: list[tuple[TagInfo, Version]],
) -> tuple[list[tuple[TagInfo, Version]], list[Skipped]]:
    """Two tags for one version (`v1.0` and `v1.0.0`): keep the older tag, skip the other with a reason."""
    kept: dict[_Key, tuple[TagInfo, Version]] = {}
    skipped: list[Skipped] = []
    for tag, version in sorted(candidates, key=lambda tv: (tv[0].date, tv[0].name)):
        first = kept.get(version.key)
        if first is None:
            kept[version.key] = (tag, version)
        else:
            skipped.append(Skipped(tag.name, f"same version as {first[0].name}"))
    return list(kept.values()), skipped


def _link_all(candidates: Sequence[tuple[TagInfo, Version]]) -> list[Release]:
    """Each tag's previous release: the greatest final version below its version whose tag is not later.

    O(T log T): tags in version order (at one version, the tag asking before the final joining); each
    final joins a Fenwick tree over tag dates that keeps, for a date prefix, the latest final to join,
    which is the greatest version so far. The asking tag reads the prefix up to its own date.
    """
    dates = sorted({tag.date for tag, _ in candidates})
    rank = {when: index + 1 for index, when in enumerate(dates)}
    tree = [-1] * (len(dates) + 1)  # Fenwick tree: the latest final (by position) per date prefix
    order = sorted(range(len(candidates)), key=lambda i: candidates[i][1].key)
    joined: list[tuple[TagInfo, Version]] = []
    previous: dict[int, tuple[TagInfo, Version] | None] = {}
    at = 0
    while at < len(order):
        same = [order[at]]  # one version, one tag after duplicates are dropped; kept general
        while at + len(same) < len(order) and candidates[order[at + len(same)]][1].key == candidates[same[0]][1].key:
            same.append(order[at + len(same)])
        for index in same:
            best = _prefix_max(tree, rank[candidates[index][0].date])
            previous[index] = joined[best] if best >= 0 else None
        for index in same:
            tag, version = candidates[index]
            if not version.prerelease:
                joined.append((tag, version))
                _update(tree, rank[tag.date], len(joined) - 1)
        at += len(same)
    return [_release(tag, version, previous[i]) for i, (tag, version) in enumerate(candidates)]


def _prefix_max(tree: list[int], position: int) -> int:
    best = -1
    while position > 0:
        best = max(best, tree[position])
        position -= position & -position
    return best


def _update(tree: list[int], position: int, value: int) -> None:
    while position < len(tree):
        tree[position] = max(tree[position], value)
        position += position & -position


def _release(tag: TagInfo, version: Version, previous: tuple[TagInfo, Version] | None) -> Release:
    return Release(
        tag=tag.name,
        version=version,
        sha=tag.sha,
        date=tag.date,
        previous=previous[0].name if previous else None,
        stream=classify_stream(version, previous[1] if previous else None),
    )
