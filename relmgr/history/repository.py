"""A repository and its configuration: the glue that asks git and hands plain data to the pure core.

Every question here costs a fixed number of git processes: releases (one `for-each-ref`), a range's
commits (one `git log`), the nearest release of HEAD (one `rev-list`, stopped once the answer is certain)
and the release holding each commit (one `rev-list`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from relmgr.config.load import load_config
from relmgr.config.model import Config
from relmgr.errors import GitError, UsageError
from relmgr.history.git import GitRepo
from relmgr.history.renames import RenameMap, parse_renames
from relmgr.history.versions import Release, ReleaseSet, Skipped, build_releases
from relmgr.policy.globs import compile_globs, literal_prefix

# What only some questions need is imported by them: `releases` or `check --tag` should not pay for
# building the commit parser's, the graph's and the API registry's classes (start-up is most of their cost).
if TYPE_CHECKING:
    from relmgr.history.commits import Commit
    from relmgr.history.timeline import GraphLog, Timeline
    from relmgr.policy.apis import Change, Registry
    from relmgr.progress import Report


@dataclass(frozen=True, slots=True)
class Range:
    """A revision range as git understands it, with how to show it."""

    label: str  # what the user sees: "v0.2.0..v0.3.0", "v0.4.0..HEAD", "HEAD"
    revisions: tuple[str, ...]  # what git log gets: ("v0.3.0", "^v0.2.0")
    tip: str  # the sha of the range's end
    base: Release | None = None  # the release it starts after, when it is a release's range


@dataclass(frozen=True, slots=True)
class AuthorIndex:
    """For each author (lower-cased email), which releases' histories hold a commit of theirs (bitmasks)."""

    bits: dict[str, int]  # release tag → its bit
    masks: dict[str, int]  # email → OR of the bits of the releases that reach one of their commits

    @classmethod
    def of(cls, releases: Sequence[Release], timeline: Timeline) -> AuthorIndex:
        """The index of a timeline read over `releases` (its tips, in that order)."""
        return cls({r.tag: 1 << i for i, r in enumerate(releases)}, timeline.author_masks())

    def known(self, emails: Iterable[str], release: Release) -> frozenset[str]:
        """Which of `emails` have a commit in `release`'s history: `Project.known_authors` without git."""
        bit = self.bits.get(release.tag, 0)
        return frozenset(e.lower() for e in emails if self.masks.get(e.lower(), 0) & bit)


class Project:
    """A repository and its config; for one package of several (`app/packages.py`), `paths` keeps only the
    commits touching them and `shipped` names the APIs whose levels gate it (None: every API)."""

    def __init__(self, repo: GitRepo, config: Config, *, paths: Sequence[str] = (),
                 shipped: frozenset[str] | None = None) -> None:
        self.repo = repo
        self.config = config
        self.paths = tuple(paths)
        self._belongs = compile_globs(self.paths)
        self.shipped = shipped
        self.progress: Report | None = None  # the CLI's progress bar, for long reads (None: quiet)
        # warnings are data: the layers below the CLI append them here, the CLI prints each once
        self.warnings: list[str] = []
        self._objects: dict[tuple[str, str], tuple[str, str] | None] = {}  # (ref, path) → (id, type)
        self.renames = RenameMap()  # what `follow_renames` found (empty until it needs git's rename detection)
        self.renames_looked_for = False  # whether a configured name was missing somewhere, so renames were looked for

    @cached_property
    def registry(self) -> Registry:
        """The configured APIs, to map commits and routes to them."""
        from relmgr.policy.apis import Registry

        return Registry(self.config.apis)

    @classmethod
    def open(cls, repo_path: Path | None, config_path: Path | None) -> Project:
        repo = GitRepo.open(repo_path)
        return cls(repo, load_config(repo.root, config_path))

    # -- releases --------------------------------------------------------------------------------

    @cached_property
    def releases(self) -> ReleaseSet:
        tags = self.repo.read_tags()
        found = build_releases((t for t in tags if t.target == "commit"), prefix=self.config.tag_prefix,
                               ignore=self.config.ignore_tags)
        odd = [Skipped(t.name, f"points to a {t.target}, not a commit") for t in tags if t.target != "commit"]
        if not odd:
            return found
        return ReleaseSet(found.releases, tuple(sorted((*found.skipped, *odd), key=lambda s: s.tag)))

    def release(self, tag: str) -> Release:
        """The release named by `tag` (with or without the prefix)."""
        found = self.releases.find(tag) or self.releases.find(self.config.tag_prefix + tag)
        if found is not None:
            return found
        skipped = next((s for s in self.releases.skipped if s.tag == tag), None)
        if skipped is not None:
            raise UsageError(f"tag {tag} is not a release: it {skipped.reason}")
        if self.repo.is_shallow():
            self.repo.require_full_history()  # the tag may just not be fetched: say how to get it
        raise GitError(f"tag {tag} not found; `relmgr releases` lists the tags relmgr understands")

    def release_range(self, release: Release) -> Range:
        if release.previous is None:
            return Range(release.tag, (release.sha,), release.sha)
        previous = self.releases.find(release.previous)
        assert previous is not None
        return Range(f"{previous.tag}..{release.tag}", (release.sha, f"^{previous.sha}"), release.sha, previous)

    def last_release(self, head: str = "HEAD") -> Release | None:
        """The final release nearest to `head`: fewest commits in `T..head`; ties go to a tag in `head`'s
        history, then to the greater version (a branch forked at 0.3.0 is not at the 0.4.0 tagged on main).

        One `rev-list` walks back from `head` (and the tags) and stops once the answer is certain
        (`history.nearest`): the cost is the range since the nearest release, not the whole history."""
        from relmgr.history.nearest import ClockSkew, nearest_tip

        finals = self.releases.finals()
        if not finals:
            return None
        head_sha = self.repo.resolve(head)
        tips = [r.sha for r in finals]
        walk = self.repo.walk([head_sha, *tips])
        try:
            best = nearest_tip(walk, head_sha, tips, [r.version.key for r in finals])
        except ClockSkew:  # git listed a parent before its child: answer from the whole graph
            best = self._nearest_in_graph(head_sha, finals)
        finally:
            walk.close()
        return finals[best] if best is not None else None

    def _nearest_in_graph(self, head_sha: str, finals: Sequence[Release]) -> int | None:
        """`last_release` from the whole commit graph (one `rev-list --topo-order`): right whatever the clocks."""
        from relmgr.history.ancestry import commits_not_reached, nearest, reach_masks

        graph = self.repo.graph([head_sha, *(r.sha for r in finals)])
        masks = reach_masks(graph, [head_sha, *(r.sha for r in finals)])
        counts = commits_not_reached(masks, 1, [1 << (i + 1) for i in range(len(finals))])
        return nearest(counts, [(bool(masks.get(r.sha, 0) & 1), r.version.key) for r in finals])

    def unreleased_range(self, head: str = "HEAD") -> Range:
        """The work since the last release of `head`."""
        self.repo.require_commits()
        tip = self.repo.resolve(head)
        base = self.last_release(head)
        if base is None:
            return Range(head, (tip,), tip)
        return Range(f"{base.tag}..{head}", (tip, f"^{base.sha}"), tip, base)

    def parse_range(self, text: str) -> Range:
        """A user's revision range: `A..B`, `A...B` or a ref (all its history); sides default to HEAD."""
        self.repo.require_commits()
        for separator in ("...", ".."):
            if separator in text:
                left, right = text.split(separator, 1)
                left_sha = self.repo.resolve(left or "HEAD")
                right_sha = self.repo.resolve(right or "HEAD")
                if separator == "...":
                    return Range(text, (f"{left_sha}...{right_sha}",), right_sha)
                return Range(text, (right_sha, f"^{left_sha}"), right_sha)
        sha = self.repo.resolve(text)
        return Range(text, (sha,), sha)

    # -- objects and renames -------------------------------------------------------------------------

    def locate(self, names: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str] | None]:
        """(id, type) of the object at each (ref, path), None where there is none; one `cat-file --batch-check`
        for the names not asked before in this run."""
        wanted = list(dict.fromkeys(names))
        unknown = [name for name in wanted if name not in self._objects]
        if unknown:
            found = self.repo.object_ids([f"{ref}:{path}" for ref, path in unknown])
            self._objects.update(zip(unknown, found, strict=True))
        return {name: self._objects[name] for name in wanted}

    def api_folders(self) -> tuple[str, ...]:
        """The folders (or files) the APIs' `paths` globs name: their literal prefixes."""
        return tuple(sorted({prefix for api in self.config.apis for p in api.paths if (prefix := literal_prefix(p))}))

    def follow_renames(self, refs: Sequence[str]) -> RenameMap:
        """The renames relmgr follows to read `refs` with today's config (computed once per run).

        One `cat-file --batch-check` asks whether every configured spec and API folder exists at each ref
        (specs read later reuse the answer). Only when one is missing somewhere, or an API lists
        `former-paths`, git's rename detection compares each final release's tree with its previous
        release's (and HEAD's with the latest release's) where a configured name appears: one `diff-tree`
        process, and when a configured name did have another name, one more over the other releases for
        its earlier names (renamed twice). Commits are then matched by the names their files have now, and
        specs read under the names they had at each ref.
        """
        names = tuple(dict.fromkeys((*self.config.openapi.specs, *self.api_folders())))
        if not names or not refs or self.renames_looked_for:
            return self.renames
        located = self.locate([(ref, name) for ref in refs for name in names])
        missing = any(found is None for found in located.values())
        if not missing and not any(api.former_paths for api in self.config.apis):
            return self.renames
        self.renames_looked_for = True
        pairs = self._release_pairs()
        at = self.locate([(sha, name) for pair in pairs for sha in pair for name in names])
        appear = [p for p in pairs if any(at[(p[0], n)] is None and at[(p[1], n)] is not None for n in names)]
        found = parse_renames(self.repo.tree_renames(appear))
        if any(r.new == n or r.new.startswith(n + "/") for r in found for n in names):
            found += parse_renames(self.repo.tree_renames([p for p in pairs if p not in appear]))
        when = {r.sha: r.date for r in self.releases.releases}
        self.renames = RenameMap(sorted(found, key=lambda r: (r.sha not in when, when.get(r.sha)), reverse=True))
        old = [older for folder in self.api_folders() for older in self.renames.former(folder)]
        self.registry.follow(self.renames.current, old)
        return self.renames

    def _release_pairs(self) -> list[tuple[str, str]]:
        """(previous, release) for every final release, and (the greatest final release, HEAD)."""
        finals = self.releases.finals()
        pairs = [(previous.sha, r.sha) for r in finals
                 if r.previous and (previous := self.releases.find(r.previous)) is not None]
        latest = self.releases.latest()
        if latest is not None:
            pairs.append((latest.sha, self.repo.resolve("HEAD")))
        return list(dict.fromkeys(p for p in pairs if p[0] != p[1]))

    def spec_names(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each configured spec with the names to try at a ref, newest first: its name, then its former ones."""
        return tuple((spec, (spec, *self.renames.former(spec))) for spec in self.config.openapi.specs)

    def _range_refs(self, rng: Range) -> list[str]:
        return [rng.base.sha, rng.tip] if rng.base is not None else [rng.tip]

    # -- commits ---------------------------------------------------------------------------------

    def commits(self, rng: Range, progress: Report | None = None) -> list[Commit]:
        """The range's commits, newest first, parsed.

        `Commit.files` lists the changed files below the APIs' paths and the OpenAPI specs (also under the
        names they had before a rename), all that is read of them (matching, and naming the commits that
        changed a spec): git skips diffing the rest of the tree.
        """
        self.follow_renames(self._range_refs(rng))
        return self._read(rng.revisions, progress=progress)

    def read_timeline(self, releases: Sequence[Release], progress: Report | None = None) -> Timeline:
        """Every commit the releases hold, read once (merges too, for the graph); indexed by `releases`."""
        from relmgr.history.timeline import GraphLog, Timeline, group_by_mask

        self.repo.require_full_history()
        tips = [r.sha for r in releases]
        self.follow_renames([r.sha for r in sorted(releases, key=lambda r: r.date)])
        graph = GraphLog()
        # two git processes share the history: from the release in the middle (by date), and the rest
        middle = sorted(releases, key=lambda r: r.date)[len(releases) // 2].sha if len(releases) > 1 else None
        commits = self._read(list(dict.fromkeys(tips)), graph=graph, progress=progress, split_at=middle)
        return Timeline(graph, {c.sha: c for c in commits}, group_by_mask(graph, tips))

    def _read(self, revisions: Sequence[str], *, graph: GraphLog | None = None, progress: Report | None = None,
              split_at: str | None = None) -> list[Commit]:
        """Parse a range's commits as git lists them; `graph` gets every commit's place in the graph, merges
        included (then read too). `progress` (else the project's) hears the count every 1,000 commits."""
        from relmgr.history.commits import parse_commit

        progress = progress or self.progress
        with_files, below = self._file_scope()
        raws = self.repo.read_commits(revisions, with_files=with_files, files_below=below,
                                      merges=graph is not None, split_at=split_at)
        commits: list[Commit] = []
        for count, raw in enumerate(raws):
            if graph is not None:
                graph.add(raw.sha, raw.parents, int(raw.committed.timestamp()), raw.email)
            if len(raw.parents) < 2 and self.belongs(raw.files):
                commits.append(parse_commit(raw.sha, raw.author, raw.email, raw.date, raw.files, raw.message,
                                            encoding_ok=raw.encoding_ok, warnings=raw.warnings))
            if progress is not None and count % 1000 == 999:
                progress("reading commits", count + 1, None)
        return commits

    def belongs(self, files: Sequence[str]) -> bool:
        """Whether a commit changing `files` belongs here (always, unless `paths` narrow the project)."""
        rx = self._belongs
        return rx is None or any(rx.match(f) for f in files)

    def ships(self, api: str | None) -> bool:
        """Whether findings about `api` gate this project (an unmapped change, None, gates every package)."""
        return self.shipped is None or api is None or api in self.shipped

    def _file_scope(self) -> tuple[bool, tuple[str, ...] | None]:
        """Whether to list changed files, and below which folders (None: anywhere).

        The OpenAPI specs and the Python packages' source count as paths: their commits are the ones
        whose own diff is compared (attribution), read from the same log.
        """
        specs = (*dict.fromkeys(name for _, names in self.spec_names() for name in names),
                 *(where for api in self.config.apis for package in api.python
                   for where in api.python_locations(package)),
                 *(literal_prefix(glob) for glob in self.paths),
                 *(literal_prefix(glob) for package in self.config.packages for glob in package.paths))
        if "" in specs:  # a package's paths that may match anywhere: every changed file is listed
            return True, None
        if not self.registry.uses_paths:
            return bool(specs), (tuple(specs) or None)
        below = self.registry.path_prefixes()
        if below is None:
            return True, None
        return True, tuple(sorted({*below, *specs}))

    def changes(self, rng: Range, progress: Report | None = None) -> list[Change]:
        """The range's commits, newest first, parsed, mapped to APIs, revert pairs marked."""
        from relmgr.policy.apis import to_changes

        self.repo.require_full_history()
        return to_changes(self.commits(rng, progress), self.registry)

    def first_release_holding(self, shas: Sequence[str], tip: str) -> dict[str, Release]:
        """For each commit, the first release (in version order) whose range holds it; one `rev-list`."""
        from relmgr.history.ancestry import reach_masks

        ordered = self.releases.by_version()
        if not ordered or not shas:
            return {}
        tags = [r.sha for r in ordered]
        masks = reach_masks(self.repo.graph([tip, *tags]), tags)
        index_of = {r.tag: i for i, r in enumerate(ordered)}
        prev_bits = [
            (1 << index_of[r.previous]) if r.previous is not None else 0 for r in ordered
        ]
        memo: dict[int, Release | None] = {}
        result: dict[str, Release] = {}
        for sha in shas:
            mask = masks.get(sha, 0)
            if mask not in memo:
                memo[mask] = _first_holding(mask, ordered, prev_bits)
            found = memo[mask]
            if found is not None:
                result[sha] = found
        return result

    def pending_prereleases(self, rng: Range) -> list[Release]:
        """Pre-releases tagged on the range's commits, above its base: already cut from that work."""
        base = rng.base.version if rng.base else None
        candidates = [r for r in self.releases.releases if r.prerelease and (base is None or r.version > base)]
        if not candidates:
            return []
        inside = self.repo.graph(rng.revisions)
        return [r for r in candidates if r.sha in inside]

    def shipped_before(self, releases: Sequence[Release], tip: str) -> list[tuple[str, str]]:
        """(sha, message) of the commits `releases` shipped that `tip` does not hold; one `git log`."""
        if not releases:
            return []
        return self.repo.read_messages([*dict.fromkeys(r.sha for r in releases), f"^{tip}"])

    def known_authors(self, emails: Iterable[str], release: Release | None) -> frozenset[str]:
        """Which of `emails` (lower-cased) have a commit in `release`'s history; one `git log`."""
        if release is None:
            return frozenset()
        return frozenset(self.repo.authors_in(release.sha, emails))


def _first_holding(mask: int, ordered: Sequence[Release], prev_bits: Sequence[int]) -> Release | None:
    """The first release (bit i: `ordered[i]` reaches the commit) whose previous does not reach it.

    The set bits are visited lowest first (`mask & -mask`): usually the first one answers, where a scan of
    every release for every commit group made 10,000 tags cost minutes.
    """
    rest = mask
    while rest:
        low = rest & -rest
        index = low.bit_length() - 1
        if not mask & prev_bits[index]:
            return ordered[index]
        rest ^= low
    return None
