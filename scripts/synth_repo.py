#!/usr/bin/env python3
"""Build a large, deterministic, realistic-looking git history for benchmarking relmgr.

Usage::

    python scripts/synth_repo.py DEST [--commits N] [--seed S] [--apis K] [--force]
                                 [--spec-size SIZE [--spec-files F]]

    N  total number of commits in the repository, every branch included (default 100000);
       ``git rev-list --all --count`` in DEST prints exactly N.
    S  random seed (default 20190101). The same arguments give the same history byte for byte:
       the same commit, tree and tag SHAs.
    K  number of APIs (default 15).
    --force  replace DEST if it exists; only an empty directory or an existing git repository
             is removed (anything else is refused, to protect a mistyped path).
    SIZE     with --spec-size (`0.5MB`, `500KB`): a spec-heavy history. The project also commits
             generated split OpenAPI 3.1 specs of about SIZE per file (scripts/synth_specs.py:
             hundreds of operations under /v1/, /v1beta/, /v1alpha/, unions with discriminators,
             allOf, const, nullable type lists), regenerated with small edits spread over the files in
             ~30 % of the commits, with route moves (/v1alpha/x -> /v1beta/x, graduations) and
             deprecations (an operation moving from the stable file to the deprecated one); relmgr.toml
             then lists the specs (`levels-from = "path"`) and each API's routes. F files (default 3:
             stable, experimental, deprecated; 1: one spec, 2: no deprecated file, 4: plus a combined
             one). Their random draws are their own: everything but the spec files and relmgr.toml is
             the history without specs, and without --spec-size the history is exactly as before.
             About 1.5 MB per spec commit goes through fast-import: 4,000 commits with 0.5 MB specs
             take ~35 s of CPU and a ~150 MB .git (no deltas: fast-import deltifies a blob only against
             the blob written just before it).

What DEST contains
------------------
A normal (non-bare) repository with ``main`` checked out. The history imitates a leveled-API
project that squash-merges pull requests on GitHub:

* Conventional Commit headers with a realistic type mix (feat 25 %, fix 30 %, docs 8 %, chore 10 %,
  refactor 8 %, test 6 %, ci/build/perf 3 % each, style 2 %, ~2 % non-conventional such as
  ``Update README.md``, ``WIP`` or ``Feat: …``), scopes that are mostly API names (with aliases such as
  ``vector-io``, a few multi-scope headers, other scopes like ``deps`` or ``ci``, or none), increasing
  ``(#1234)`` PR numbers on most headers, multi-line bodies on ~40 %.
* ~5 % breaking changes: half ``!`` headers, half ``BREAKING CHANGE:`` footers, some of those inside
  GitHub squash bodies (``* feat(x): …`` bullets, the footer in the middle, then more bullets and
  ``Co-authored-by:`` trailers); a few ``Deprecated:`` footers; ~0.5 % reverts
  (``Revert "<header>"`` + ``This reverts commit <full sha>.``) that really undo the change.
* ~40 people (some first-time contributors only late in the history), dependabot, GitHub as
  committer of squash merges, non-ASCII names, several time zones.
* 1-3 files per commit, mostly under ``src/apis/<api>/…``, also ``tests/``, ``docs/``, ``scripts/``,
  ``.github/workflows/``, top-level files; about two thousand distinct files.
* Version tags about every 500 commits (fewer commits: proportionally closer, at least every 10):
  patch releases, a minor every ~5 tags, PEP 440 ``rc`` tags before some minors, ``v1.0.0`` late;
  mostly annotated, some lightweight; ``chore(release): …`` commits that bump ``pyproject.toml``,
  ``CHANGELOG.md`` and regenerate ``docs/static/openapi.yaml`` (levels in its paths follow the config);
  non-version tags ``legacy-api``, ``docs-<year>``, ``stable``.
* Release branches ``release-0.A.x`` (forked at the minor tag ``v0.A.0``) and ``release-0.B.x``
  (forked at the last patch tag of 0.B) carrying ``git cherry-pick -x`` style fixes (same header and
  PR number as on main) and tagged ``v0.A.(n+1)`` … after later minors were tagged on main.
* The last commit, ``chore: add relmgr config``, adds ``relmgr.toml`` (all APIs, mixed levels, two
  level histories), ``cliff.toml`` (git-cliff) and ``.cz.toml`` (commitizen), so that
  ``relmgr``, ``git cliff -o /dev/null`` and ``cz changelog --dry-run`` can run on the same repository.

How it works
------------
One ``git fast-import`` process reads a stream that this script writes to its stdin as it goes
(nothing is held in memory but the current file contents and short windows of recent commits).
File contents are inline ``M 100644 inline`` blobs; fast-import builds the trees. A revert or a
cherry-pick must quote the *real* SHA of an earlier commit: rather than re-implement blob, tree and
commit hashing, the script sends ``get-mark :N`` and reads the answer on a pipe passed as
``--cat-blob-fd`` (one round trip per revert or cherry-pick, a few hundred in all), so the SHAs are
exact by construction. Dates are fixed and tick forward from 2019-01-01 by a seeded 5-600 minutes
per commit (the upper bound shrinks for large N so that the history ends by mid-2025 rather than
decades in the future); nothing depends on the clock, the environment or the git version.

fast-import runs with ``pack.compression=1`` and ``--depth=10``: the pack stays zlib-compressed and
deltified like a real repository's (readers pay a realistic inflate cost) while the import is about
a third faster than with the defaults. fast-import is the bottleneck (the Python side needs ~3 s per
100k commits); on a 2-core machine 100k commits take ~22 s and 12.5k ~4-5 s end to end, for a
~140 MB ``.git``. After the import the work tree is filled with ``git reset --hard`` (a few thousand
small files, under a second) so DEST is an ordinary checkout of ``main``; no ``git gc`` is run, the
repository keeps fast-import's single pack.

Simplifications: ``main`` is linear (squash merges only, no merge commits); files are synthetic
line lists (no renames); the OpenAPI spec is regenerated only by release commits on ``main``, so at
a tag without a release commit it lags like a spec regenerated at release time would.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from synth_specs import SpecHistory, openapi_toml, parse_size, routes_toml

DEFAULT_COMMITS = 100_000
DEFAULT_SEED = 20190101
DEFAULT_APIS = 15
START_EPOCH = 1546300800  # 2019-01-01T00:00:00Z
END_EPOCH = 1751241600  # 2025-06-30T00:00:00Z
REPO_URL = "https://github.com/example/synth"
MAX_LINES = 40  # lines per synthetic file (3 header lines + body)
HEADER_LINES = 3
SPEC_MAX_OPS = 24  # operations per API in docs/static/openapi.yaml

API_NAMES: tuple[str, ...] = (
    "inference", "files", "batches", "vector_io", "eval", "agents", "models", "safety",
    "telemetry", "tools", "datasets", "scoring", "post_training", "benchmarks", "shields",
    "responses", "conversations", "prompts", "embeddings", "moderations", "inspect", "routing",
    "quotas", "providers", "vector_stores",
)  # fmt: skip
LEVELS: dict[str, str] = {
    "inference": "v1", "files": "v1", "batches": "v1beta", "vector_io": "v1", "eval": "v1alpha",
    "agents": "v1alpha", "models": "v1", "safety": "v1", "telemetry": "v1beta", "tools": "v1",
    "datasets": "v1beta", "scoring": "v1alpha", "post_training": "v1alpha", "benchmarks": "v1alpha",
    "shields": "v1beta",
}  # fmt: skip
SCOPE_ALIASES: dict[str, tuple[str, ...]] = {
    "vector_io": ("vector-io",), "post_training": ("post-training",), "shields": ("shield",),
}  # fmt: skip
TOPICS: dict[str, tuple[str, ...]] = {
    "inference": ("streaming responses", "tool calling", "logprobs", "chat completions", "embeddings",
                  "sampling params", "response_format", "stop sequences", "token usage"),
    "files": ("multipart uploads", "file purpose", "file expiry", "content download", "file listing",
              "checksum validation", "the S3 backend"),
    "batches": ("batch cancellation", "batch status", "error files", "the completion window",
                "batch metadata"),
    "vector_io": ("hybrid search", "chunk metadata", "vector store listing", "rerankers",
                  "embedding dimensions", "keyword search", "score thresholds"),
    "eval": ("benchmark runs", "judge scoring", "eval jobs", "grader config", "result pagination"),
    "agents": ("agent sessions", "turn streaming", "tool execution", "memory banks", "agent config",
               "step retries"),
    "models": ("model registration", "model listing", "provider model ids", "model metadata",
               "model aliases"),
    "safety": ("shield calls", "violation levels", "moderation categories", "safety policies"),
    "telemetry": ("trace export", "span attributes", "the metrics sink", "the OTLP exporter",
                  "log sampling"),
    "tools": ("tool groups", "MCP endpoints", "tool invocation", "tool schemas", "runtime sandboxes"),
    "datasets": ("dataset registration", "row iteration", "dataset schema", "HF loaders",
                 "dataset purposes"),
    "scoring": ("scoring functions", "aggregations", "LLM-as-judge", "regex scorers"),
    "post_training": ("fine-tuning jobs", "LoRA config", "checkpoints", "DPO training",
                      "job artifacts"),
    "benchmarks": ("the benchmark registry", "benchmark metadata", "scoring bindings"),
    "shields": ("shield registration", "shield params", "provider shields"),
}  # fmt: skip
GENERIC_TOPICS = (
    "pagination",
    "request validation",
    "error codes",
    "the async client",
    "list filters",
    "retries",
    "timeouts",
    "auth headers",
    "provider routing",
    "config loading",
)
OTHER_SCOPES = ("cli", "core", "server", "providers", "ui", "config")
DOC_SCOPES = ("guides", "readme", "contributing", "api-reference")
PROVIDERS = (
    "openai", "ollama", "vllm", "tgi", "bedrock", "fireworks", "together", "groq", "gemini",
    "anthropic", "nvidia", "watsonx", "sambanova", "cerebras", "databricks", "runpod", "azure",
    "vertexai", "huggingface", "llama_cpp", "faiss", "chroma", "pgvector", "qdrant", "milvus",
    "weaviate", "sqlite_vec", "opensearch", "redis", "s3", "localfs", "gcs", "prometheus", "otel",
    "jaeger", "braintrust", "tavily", "brave", "wolfram", "mcp",
)  # fmt: skip
API_MODULES = (
    "__init__",
    "api",
    "models",
    "routes",
    "service",
    "errors",
    "config",
    "client",
    "types",
    "utils",
    "pagination",
    "validation",
    "streaming",
    "compat",
    "constants",
    "deps",
)
INTERNAL_MODULES = ("cache", "registry", "serde", "metrics", "retry", "auth", "queue", "store")
PROVIDER_FILES = ("__init__", "adapter", "config", "models", "errors")
CORE_MODULES = ("__init__", "server", "routing", "datatypes", "config", "auth", "errors", "logging",
                "registry", "resolver", "stack", "utils", "distribution", "request_headers", "library_client",
                "store/__init__", "store/kvstore", "store/sqlstore", "store/migrations")  # fmt: skip
CLI_MODULES = ("__init__", "main", "run", "build", "list", "stack", "model", "download", "verify", "utils")
GUIDES = ("quickstart", "installation", "configuration", "deployment", "kubernetes", "providers",
          "contributing", "testing", "release-process", "migration-0.x", "security", "faq", "troubleshooting",
          "architecture", "glossary")  # fmt: skip
TOP_DOCS = ("README.md", "CONTRIBUTING.md", "docs/index.md", "docs/conf.py")
TEST_HELPERS = ("__init__", "conftest", "fixtures", "mocks", "recordings", "helpers")
SCRIPTS = ("release.sh", "gen_openapi.py", "check_links.py", "run_integration.sh", "install.sh",
           "bump_version.py", "lint.sh", "provider_matrix.py", "generate_docs.py", "clean.sh")  # fmt: skip
WORKFLOWS = ("unit-tests", "integration-tests", "lint", "docs", "release", "nightly", "pre-commit", "stale",
             "codeql", "publish")  # fmt: skip
CI_FILES = (".github/dependabot.yml", ".pre-commit-config.yaml")
BUILD_FILES = ("pyproject.toml", "uv.lock", "requirements.txt", "requirements-dev.txt", "Dockerfile",
               "Makefile", "MANIFEST.in", "containers/Containerfile")  # fmt: skip
DOC_PAGES = ("index", "usage", "reference", "migration", "faq", "providers")
DEPENDENCIES = (
    "fastapi",
    "pydantic",
    "httpx",
    "uvicorn",
    "openai",
    "numpy",
    "sqlalchemy",
    "jinja2",
    "opentelemetry-sdk",
    "aiosqlite",
    "rich",
    "typer",
    "pytest",
    "ruff",
    "mypy",
    "actions/checkout",
    "actions/setup-python",
    "astral-sh/setup-uv",
)

# (type, weight); None stands for a non-conventional header.
TYPE_WEIGHTS: tuple[tuple[str | None, float], ...] = (
    ("feat", 25), ("fix", 30), ("docs", 8), ("chore", 10), ("refactor", 8), ("test", 6),
    ("ci", 3), ("build", 3), ("perf", 3), ("style", 2), (None, 2),
)  # fmt: skip
BREAKABLE = frozenset({"feat", "fix", "refactor", "perf", "build", "chore"})
P_BREAKING = 0.05 / 0.79  # the breakable types are 79 % of all commits -> ~5 % breaking overall

SUBJECTS: dict[str, tuple[str, ...]] = {
    "feat": ("add {t}", "support {t}", "add {t} to the {api} API", "expose {t} over REST",
             "allow configuring {t}", "implement {t}", "introduce an endpoint for {t}"),
    "fix": ("handle empty {t}", "fix {t} when the provider returns null", "correct {t} validation",
            "avoid a race in {t}", "return 404 for missing {t}", "prevent a crash in {t}",
            "respect the timeout in {t}", "fix off-by-one in {t} pagination"),
    "docs": ("document {t}", "fix typo in the {api} guide", "add an example for {t}",
             "clarify {t} behaviour", "update the {api} reference"),
    "chore": ("clean up {t}", "remove dead code in {api}", "update pre-commit hooks",
              "regenerate the lock file", "tidy imports in {api}"),
    "refactor": ("extract a {t} helper", "simplify {t}", "move {t} into the provider layer",
                 "split the {api} routes module", "rename {t} internals"),
    "test": ("add tests for {t}", "fix flaky {t} test", "cover {t} edge cases",
             "add an integration test for {t}"),
    "ci": ("run {api} integration tests nightly", "cache uv downloads", "pin actions to commit shas",
           "add Python 3.12 to the matrix", "split unit and integration jobs"),
    "build": ("bump {dep} to {ver}", "require {dep}>={ver}", "add a {dep} extra",
              "switch the build backend to hatchling"),
    "perf": ("cache {t}", "speed up {t}", "avoid copying {t}", "stream {t} lazily"),
    "style": ("apply ruff format", "fix lint in {api}", "sort imports"),
}  # fmt: skip
BREAKING_SUBJECTS: dict[str, tuple[str, ...]] = {
    "api": ("remove deprecated {t}", "rename {t} parameters", "make {t} required",
            "drop {t} from the {api} API", "change the {t} response shape"),
    "build": ("drop Python 3.9 support", "require pydantic 2", "remove the legacy {dep} extra"),
    "chore": ("remove deprecated CLI flags", "drop the legacy config format",
              "remove the {t} compatibility shim"),
}  # fmt: skip
NONCONVENTIONAL = (
    "Update README.md",
    "WIP",
    "fix typo",
    "Fix CI",
    "Address review comments",
    "Update {file}",
    "wip: {t}",
    "Feat: {t}",
    "fix {t}",
    "Merge branch 'main' into {branch}",
    "Bump version",
)
SENTENCES = (
    "Previously {t} was handled inconsistently across providers.",
    "This aligns {t} with the OpenAI-compatible behaviour.",
    "The old code path is kept behind a flag for one release.",
    "Providers that do not support {t} now return a clear error.",
    "No change for callers that do not use {t}.",
    "Tests cover the remote and the inline providers.",
    "This was reported by several users on Discord.",
    "The default stays the same.",
    "See the discussion in the linked issue for the trade-offs.",
    "Follow-up work will move the remaining callers.",
)
SQUASH_FOLLOWUPS = (
    "fix tests",
    "address review comments",
    "lint",
    "update docs",
    "fix mypy",
    "Merge branch 'main' into {branch}",
    "rename variable",
    "add changelog entry",
)

# name, email, time zone; the first 4 are the maintainers (and release managers).
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("Maya Lindqvist", "maya.lindqvist@example.com", "+0100"),
    ("Daniel Okafor", "dokafor@example.com", "-0500"),
    ("Priya Raman", "priya.raman@example.org", "+0530"),
    ("Tomás Herrera", "tomas.herrera@example.com", "-0300"),
    ("Chen Wei", "chen.wei@example.net", "+0800"),
    ("Sofia Russo", "sofia@example.it", "+0100"),
    ("Jonas Becker", "jbecker@example.de", "+0100"),
    ("Aisha Mensah", "aisha.mensah@example.com", "+0000"),
    ("Kenji Watanabe", "kenji.w@example.jp", "+0900"),
    ("Olivia Brown", "obrown@example.com", "-0800"),
    ("Mateus Costa", "mateus.costa@example.com.br", "-0300"),
    ("Ingrid Nilsen", "ingrid@example.no", "+0100"),
    ("Rahul Mehta", "12345678+rmehta@users.noreply.github.com", "+0530"),
    ("Élodie Martin", "elodie.martin@example.fr", "+0100"),
    ("Sam Patel", "sam.patel@example.com", "-0500"),
    ("Yusuf Demir", "ydemir@example.com.tr", "+0300"),
    ("Hannah Schmidt", "hannah.schmidt@example.de", "+0100"),
    ("Lucas Nguyen", "23456789+lnguyen@users.noreply.github.com", "-0700"),
    ("Zoë Adams", "zoe.adams@example.co.uk", "+0000"),
    ("Arjun Iyer", "arjun.iyer@example.com", "+0530"),
    ("Fatima Zahra", "fzahra@example.ma", "+0100"),
    ("Mikko Virtanen", "mikko.virtanen@example.fi", "+0200"),
    ("Grace Kim", "grace.kim@example.kr", "+0900"),
    ("Pedro Álvarez", "palvarez@example.es", "+0100"),
    ("Nora Fischer", "34567890+nfischer@users.noreply.github.com", "+0100"),
    ("Ethan Clarke", "ethan@example.com", "-0400"),
    ("Leila Haddad", "leila.haddad@example.com", "+0200"),
    ("Viktor Petrov", "vpetrov@example.com", "+0300"),
    ("Amara Obi", "amara.obi@example.ng", "+0100"),
    ("Ben Carter", "ben.carter@example.com", "-0600"),
    ("Ana Sousa", "ana.sousa@example.pt", "+0000"),
    ("Dmitri Volkov", "45678901+dvolkov@users.noreply.github.com", "+0300"),
    ("Isabel García", "igarcia@example.mx", "-0600"),
    ("Kwame Asante", "kwame@example.gh", "+0000"),
    # first-time contributors who show up only near the end
    ("Lin Zhou", "56789012+linzhou@users.noreply.github.com", "+0800"),
    ("Marcus Johnson", "mjohnson@example.com", "-0500"),
    ("Chloé Dubois", "chloe.dubois@example.fr", "+0100"),
    ("Oskar Nowak", "oskar.nowak@example.pl", "+0100"),
    ("Tariq Aziz", "67890123+taziz@users.noreply.github.com", "+0500"),
    ("Emily Wright", "emily.wright@example.com", "-0800"),
)
N_MAINTAINERS = 4
N_LATE = 6


# --------------------------------------------------------------------------- small value types


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    tz: str
    weight: float
    start: float  # first active at this fraction of the history
    end: float

    @property
    def ident(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True, order=True)
class Version:
    major: int
    minor: int
    patch: int
    rc: int = 0

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}rc{self.rc}" if self.rc else base

    @property
    def tag(self) -> str:
        return f"v{self}"


@dataclass(slots=True)
class Change:
    """One file change of a commit: contents before and after (None = absent) and the new line."""

    path: str
    before: tuple[str, ...] | None
    after: tuple[str, ...] | None
    line: str


@dataclass(slots=True)
class Record:
    """What later commits (reverts, cherry-picks) need to know about an earlier commit."""

    mark: int
    header: str
    body: str
    author: Person
    date: int
    changes: list[Change]
    kind: str | None
    breaking: bool


GITHUB = Person("GitHub", "noreply@github.com", "+0000", 0.0, 0.0, 1.0)
DEPENDABOT = Person(
    "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "+0000", 0.0, 0.0, 1.0
)


@dataclass(slots=True)
class Branch:
    name: str
    files: dict[str, tuple[str, ...]]
    head: int = 0  # mark of the tip commit
    fork_mark: int = 0
    picked: set[int] = field(default_factory=set)


# --------------------------------------------------------------------------- events (the plan)


@dataclass(frozen=True, slots=True)
class TagEvent:
    version: Version
    annotated: bool
    release_commit: bool
    branch: str = "main"


@dataclass(frozen=True, slots=True)
class ForkEvent:
    branch: str
    tag: str


@dataclass(frozen=True, slots=True)
class PickEvent:
    branch: str


@dataclass(frozen=True, slots=True)
class PlainTagEvent:
    name: str  # "{year}" is replaced by the year of the tagged commit
    annotated: bool


@dataclass(frozen=True, slots=True)
class GraduationEvent:
    api: str
    level: str


Event = TagEvent | ForkEvent | PickEvent | PlainTagEvent | GraduationEvent


@dataclass(slots=True)
class Plan:
    events: dict[int, list[Event]]
    commit_ticks: set[int]
    histories: dict[str, tuple[str, str]]  # api -> (until version, earlier level)
    interval: int

    def add(self, tick: int, event: Event, emits_commit: bool) -> int:
        """Schedule an event; a commit-emitting one moves forward to a tick with no other such event."""
        if emits_commit:
            while tick in self.commit_ticks:
                tick += 1
            self.commit_ticks.add(tick)
        self.events.setdefault(tick, []).append(event)
        return tick


# --------------------------------------------------------------------------- planning


def tag_interval(n: int) -> int:
    """About every 500 commits, closer in small histories so they still get ~200 tags (min 10)."""
    return max(10, min(500, n // 200))


def plan_versions(count: int, rng: random.Random) -> list[Version]:
    """Mostly patch releases, a minor every 3-7 tags, 1.0.0 at the first minor after 85 %."""
    versions = [Version(0, 1, 0)]
    gap, since = rng.randint(3, 7), 0
    major_at = int(count * 0.85)
    for i in range(1, count):
        cur = versions[-1]
        since += 1
        if cur.major == 0 and i >= major_at and since >= 2:
            versions.append(Version(1, 0, 0))
        elif since >= gap:
            versions.append(Version(cur.major, cur.minor + 1, 0))
        else:
            versions.append(Version(cur.major, cur.minor, cur.patch + 1))
            continue
        since, gap = 0, rng.randint(3, 7)
    return versions


def plan_history(n: int, apis: Sequence[str], rng: random.Random) -> Plan:
    """Decide where tags, rc tags, release branches, cherry-picks and graduations go."""
    interval = tag_interval(n)
    limit = n - 1  # the last commit is the config commit
    plan = Plan(events={}, commit_ticks=set(), histories={}, interval=interval)
    count = max(1, int(n * 0.97) // interval - 1)
    ticks: list[int] = []
    for i in range(1, count + 1):
        tick = i * interval + rng.randint(-interval // 5, interval // 5)
        ticks.append(max(tick, (ticks[-1] + 3) if ticks else 2))
    versions = plan_versions(count, rng)
    ticks = _plan_main_tags(plan, ticks, versions, rng)
    _plan_release_branches(plan, ticks, versions, rng)
    _plan_graduations(plan, ticks, versions, apis)
    plan.add(max(1, n // 10), PlainTagEvent("legacy-api", annotated=False), emits_commit=False)
    plan.add(max(1, n * 55 // 100), PlainTagEvent("docs-{year}", annotated=True), emits_commit=False)
    plan.events = {t: evs for t, evs in plan.events.items() if 0 < t < limit}
    return plan


def _plan_main_tags(plan: Plan, ticks: list[int], versions: list[Version], rng: random.Random) -> list[int]:
    """Schedule the main-line tags (and rc tags before some minors); return the ticks actually used."""
    used: list[int] = []
    prev = 0
    for tick, version in zip(ticks, versions, strict=True):
        is_minor = version.patch == 0 and version != Version(0, 1, 0)
        n_rc = (
            2
            if version == Version(1, 0, 0)
            else (rng.choice((1, 1, 2)) if is_minor and rng.random() < 0.5 else 0)
        )
        for k in range(1, n_rc + 1):
            rc_tick = prev + (tick - prev) * k // (n_rc + 1)
            rc = Version(version.major, version.minor, version.patch, k)
            plan.add(rc_tick, TagEvent(rc, rng.random() < 0.8, rng.random() < 0.3), emits_commit=True)
        event = TagEvent(version, annotated=rng.random() < 0.85, release_commit=rng.random() < 0.6)
        prev = plan.add(tick, event, emits_commit=event.release_commit)
        used.append(prev)
    return used


def _plan_release_branches(plan: Plan, ticks: list[int], versions: list[Version], rng: random.Random) -> None:
    """release-0.A.x forks at v0.A.0; release-0.B.x forks at the last 0.B patch tag."""
    minors = [i for i, v in enumerate(versions) if v.major == 0 and v.patch == 0 and i > 0]
    if len(minors) < 4:
        return
    a = min(max(1, len(minors) * 3 // 10), len(minors) - 3)
    b = max(a + 1, min(len(minors) * 6 // 10, len(minors) - 2))
    va, vb = versions[minors[a]], versions[minors[b]]
    last_a = max(v.patch for v in versions if (v.major, v.minor) == (0, va.minor))
    last_b_index = minors[b + 1] - 1
    last_b = versions[last_b_index].patch
    name_a, name_b = f"release-0.{va.minor}.x", f"release-0.{vb.minor}.x"
    plan.add(ticks[minors[a]], ForkEvent(name_a, va.tag), emits_commit=False)
    plan.add(ticks[last_b_index], ForkEvent(name_b, versions[last_b_index].tag), emits_commit=False)
    for branch, after, patch in (
        (name_a, minors[a + 1], last_a + 1),
        (name_a, minors[a + 2], last_a + 2),
        (name_b, minors[b + 1], last_b + 1),
    ):
        minor = int(branch.split(".")[1])
        _plan_backport_release(plan, branch, ticks[after], Version(0, minor, patch), rng)


def _plan_backport_release(
    plan: Plan, branch: str, after_tick: int, version: Version, rng: random.Random
) -> None:
    step = max(2, plan.interval // 6)
    tick = after_tick + max(2, plan.interval // 3)
    for _ in range(rng.randint(2, 4)):
        tick = plan.add(tick, PickEvent(branch), emits_commit=True) + step
    release_commit = rng.random() < 0.7
    plan.add(
        tick,
        TagEvent(version, annotated=True, release_commit=release_commit, branch=branch),
        emits_commit=release_commit,
    )


def _plan_graduations(plan: Plan, ticks: list[int], versions: list[Version], apis: Sequence[str]) -> None:
    """Two APIs were promoted in a minor release; relmgr.toml records their earlier level."""
    minors = [i for i, v in enumerate(versions) if v.patch == 0 and v.rc == 0 and i > 0]
    candidates = [
        (api, old) for api, old in (("inference", "v1beta"), ("vector_io", "v1alpha")) if api in apis
    ]
    for (api, old), frac in zip(candidates, (0.4, 0.7), strict=False):
        if len(minors) < 3:
            return
        idx = minors[min(len(minors) - 1, max(1, int(len(minors) * frac)))]
        plan.histories[api] = (str(versions[idx]), old)
        plan.add(ticks[idx - 1] + 2, GraduationEvent(api, LEVELS.get(api, "v1")), emits_commit=True)


def make_people(rng: random.Random) -> list[Person]:
    people: list[Person] = []
    for i, (name, email, tz) in enumerate(PEOPLE):
        if i < N_MAINTAINERS:
            start, end, weight = 0.0, 1.0, (7.0, 5.0, 4.0, 3.0)[i]
        elif i >= len(PEOPLE) - N_LATE:
            start, end, weight = rng.uniform(0.88, 0.97), 1.0, 0.6
        else:
            start = rng.uniform(0.0, 0.7)
            end = min(1.0, start + rng.uniform(0.2, 1.0))
            weight = 4.0 / (i - N_MAINTAINERS + 2) ** 0.7
        people.append(Person(name, email, tz, weight, start, end))
    return people


def api_names(k: int) -> list[str]:
    return list(API_NAMES[:k]) + [f"api{i}" for i in range(len(API_NAMES) + 1, k + 1)]


# --------------------------------------------------------------------------- the file universe


@dataclass(slots=True)
class Universe:
    """All paths the history may touch, grouped by area; each group unlocks progressively."""

    api_src: dict[str, list[str]]
    api_tests: dict[str, list[str]]
    api_docs: dict[str, list[str]]
    shared: dict[str, list[str]]
    api_intro: dict[str, float]

    @classmethod
    def build(cls, apis: Sequence[str], rng: random.Random) -> Universe:
        src: dict[str, list[str]] = {}
        tests: dict[str, list[str]] = {}
        docs: dict[str, list[str]] = {}
        intro: dict[str, float] = {}
        for i, api in enumerate(apis):
            base = f"src/apis/{api}"
            providers = rng.sample(PROVIDERS, rng.randint(10, 16))
            core = [f"{base}/{m}.py" for m in API_MODULES]
            rest = [f"{base}/internal/{m}.py" for m in INTERNAL_MODULES]
            rest += [f"{base}/providers/{p}/{f}.py" for p in providers for f in PROVIDER_FILES]
            rng.shuffle(rest)
            src[api] = core + rest
            tests[api] = [f"tests/unit/{api}/test_{m.strip('_')}.py" for m in API_MODULES]
            tests[api] += [f"tests/unit/{api}/providers/test_{p}.py" for p in providers]
            tests[api] += [
                f"tests/integration/{api}/test_{w}.py" for w in ("basic", "streaming", "errors", "auth")
            ]
            docs[api] = [f"docs/source/apis/{api}/{p}.md" for p in DOC_PAGES]
            intro[api] = 0.0 if i < 6 else rng.uniform(0.03, 0.5)
        shared = {
            "core": [f"src/core/{m}.py" for m in CORE_MODULES],
            "cli": [f"src/cli/{m}.py" for m in CLI_MODULES],
            "docs": [f"docs/guides/{g}.md" for g in GUIDES] + list(TOP_DOCS),
            "tests": [f"tests/common/{m}.py" for m in TEST_HELPERS] + ["tests/conftest.py"],
            "scripts": [f"scripts/{name}" for name in SCRIPTS],
            "ci": [f".github/workflows/{w}.yml" for w in WORKFLOWS] + list(CI_FILES),
            "build": list(BUILD_FILES),
        }
        return cls(src, tests, docs, shared, intro)


def pick_unlocked(paths: Sequence[str], frac: float, rng: random.Random) -> str:
    """Early in the history only the first paths of a group exist; by 80 % all of them may."""
    k = max(1, min(len(paths), int(len(paths) * (0.2 + min(1.0, frac / 0.8) * 0.8)) + 1))
    return paths[int(rng.random() * k)]


# --------------------------------------------------------------------------- fast-import


class FastImport:
    """A running `git fast-import` fed through its stdin; `get-mark` answers come back on a pipe."""

    def __init__(self, repo: Path) -> None:
        read_fd, write_fd = os.pipe()
        cmd = [
            "git",
            "-C",
            str(repo),
            "-c",
            "pack.compression=1",
            "fast-import",
            "--quiet",
            "--done",
            "--depth=10",
            f"--cat-blob-fd={write_fd}",
        ]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, pass_fds=(write_fd,), bufsize=1 << 20)
        os.close(write_fd)
        self.answers = os.fdopen(read_fd, "rb")
        assert self.proc.stdin is not None
        self.stdin: BinaryIO = self.proc.stdin
        self.write(b"feature done\nfeature get-mark\n")

    def write(self, chunk: bytes) -> None:
        try:
            self.stdin.write(chunk)
        except BrokenPipeError:
            self.proc.wait()
            raise SystemExit(
                f"git fast-import stopped (exit {self.proc.returncode}); see its message above"
            ) from None

    def sha(self, mark: int) -> str:
        """The object name of a mark that fast-import has already stored."""
        self.write(b"get-mark :%d\n" % mark)
        self.stdin.flush()
        answer = self.answers.readline().decode().strip()
        if len(answer) != 40:
            raise SystemExit(f"git fast-import gave no SHA for :{mark} ({answer!r})")
        return answer

    def finish(self) -> None:
        self.write(b"done\n")
        self.stdin.close()
        self.answers.close()
        if self.proc.wait() != 0:
            raise SystemExit(f"git fast-import failed with exit code {self.proc.returncode}")


def data(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return b"data %d\n%s\n" % (len(raw), raw)


def blob_text(lines: tuple[str, ...]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# --------------------------------------------------------------------------- the generator


class Synth:
    """Walks the plan tick by tick and streams commits and tags to fast-import."""

    def __init__(self, fi: FastImport, n: int, seed: int, apis: list[str], spec_size: int = 0,
                 spec_files: int = 3) -> None:
        self.fi = fi
        self.n = n
        self.rng = random.Random(seed)
        self.apis = apis
        plan_rng = random.Random(seed * 7919 + 1)
        self.plan = plan_history(n, apis, plan_rng)
        self.people = make_people(plan_rng)
        self.universe = Universe.build(apis, plan_rng)
        self.api_weights = [1.0 / (i + 1) ** 0.6 for i in range(len(apis))]
        self.maintainers = self.people[:N_MAINTAINERS]
        self.late = self.people[-N_LATE:]
        self.type_names = [t for t, _ in TYPE_WEIGHTS]
        self.type_cum = _cumulative(w for _, w in TYPE_WEIGHTS)
        self.now = START_EPOCH
        self.step_hi = max(10, min(600, 2 * (END_EPOCH - START_EPOCH) // 60 // max(1, n) - 5))
        self.count = 0
        self.pr = 0
        self.serial = 0
        self.main = Branch("main", {})
        self.branches: dict[str, Branch] = {}
        self.recent: deque[Record] = deque(maxlen=40)
        self.reverted: set[int] = set()
        self.fix_log: deque[Record] = deque(maxlen=300)  # recent fixes on main, for cherry-picks
        self.tag_marks: dict[str, int] = {}
        self.last_final_tag = ""
        self.spec_ops: dict[str, list[str]] = {api: [] for api in apis}
        self.spec_deprecated: set[str] = set()
        self.spec_seq = 0
        self.stats = {"tags": 0, "breaking": 0, "reverts": 0, "picks": 0}
        self._active_cache: tuple[int, list[Person], list[float]] = (-1, [], [])
        # the generated split specs (--spec-size): their own random generator, so that everything else is
        # the history without them
        self.spec_files = spec_files
        self.specs = SpecHistory(seed, apis, {a: self.level_at(a, Version(0, 0, 1)) for a in apis}, spec_size,
                                 spec_files) if spec_size else None

    # ---- main loop

    def run(self) -> None:
        self.initial_commit()
        limit = self.n - 1
        while self.count < limit:
            emitted = False
            for event in self.plan.events.pop(self.count, ()):
                emitted = self.handle(event) or emitted
            if not emitted:
                self.regular_commit()
        if self.last_final_tag:
            self.fi.write(b"reset refs/tags/stable\nfrom :%d\n\n" % self.tag_marks[self.last_final_tag])
            self.stats["tags"] += 1
        self.config_commit()

    def handle(self, event: Event) -> bool:
        """Carry out one planned event; True when it emitted a commit."""
        if isinstance(event, TagEvent):
            return self.release(event)
        if isinstance(event, ForkEvent):
            self.fork(event)
            return False
        if isinstance(event, PickEvent):
            branch = self.branches.get(event.branch)
            return branch is not None and self.cherry_pick(branch)
        if isinstance(event, PlainTagEvent):
            name = event.name.replace("{year}", str(datetime.fromtimestamp(self.now, UTC).year))
            self.tag(name, self.main.head, event.annotated, self.maintainers[0], f"{name}\n")
            return False
        self.graduation(event)
        return True

    # ---- time and people

    def tick(self) -> int:
        self.now += 60 * self.rng.randint(5, self.step_hi)
        return self.now

    @property
    def frac(self) -> float:
        return self.count / self.n

    def active_people(self) -> tuple[list[Person], list[float]]:
        epoch = int(self.frac * 200)
        if self._active_cache[0] != epoch:
            frac = epoch / 200
            active = [p for p in self.people[:-N_LATE] if p.start <= frac <= p.end] or self.maintainers
            self._active_cache = (epoch, active, _cumulative(p.weight for p in active))
        return self._active_cache[1], self._active_cache[2]

    def pick_author(self) -> Person:
        if self.frac > 0.88 and self.rng.random() < 0.08:
            late = [p for p in self.late if p.start <= self.frac]
            if late:
                return self.rng.choice(late)
        people, cum = self.active_people()
        return self.rng.choices(people, cum_weights=cum)[0]

    def release_manager(self) -> Person:
        return self.maintainers[min(N_MAINTAINERS - 1, int(self.frac * 3))]

    # ---- emitting

    def emit(
        self,
        branch: Branch,
        message: str,
        author: Person,
        committer: Person | None,
        changes: list[Change],
        author_date: int | None = None,
        blobs: Sequence[tuple[str, bytes]] = (),
    ) -> int:
        """Write one commit on `branch`; `committer` None means the author committed it. `blobs`: whole
        files (the generated specs) written as they are, never kept in memory for reverts or picks."""
        now = self.tick()
        self.count += 1
        mark = branch.head = self.count
        by = committer or author
        parts = [
            b"commit refs/heads/%s\nmark :%d\nauthor %s %d %s\ncommitter %s %d %s\n"
            % (
                branch.name.encode(),
                mark,
                author.ident.encode(),
                author_date or now,
                author.tz.encode(),
                by.ident.encode(),
                now,
                by.tz.encode(),
            ),
            data(message),
        ]
        for change in changes:
            if change.after is None:
                parts.append(b"D %s\n" % change.path.encode())
            else:
                parts.append(b"M 100644 inline %s\n" % change.path.encode())
                parts.append(data(blob_text(change.after)))
        for path, text in blobs:
            parts.append(b"M 100644 inline %s\n" % path.encode())
            parts.append(data(text))
        parts.append(b"\n")
        self.fi.write(b"".join(parts))
        return mark

    def tag(self, name: str, mark: int, annotated: bool, tagger: Person, message: str) -> None:
        self.tag_marks[name] = mark
        self.stats["tags"] += 1
        if annotated:
            when = self.now + 60 * self.rng.randint(2, 90)
            self.fi.write(
                b"tag %s\nfrom :%d\ntagger %s %d %s\n%s"
                % (name.encode(), mark, tagger.ident.encode(), when, tagger.tz.encode(), data(message))
            )
        else:
            self.fi.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), mark))

    # ---- file contents

    def new_line(self, path: str) -> str:
        self.serial += 1
        n = self.serial
        if path.endswith(".py"):
            return (
                f"SETTING_{n} = {n % 97}",
                f"def handler_{n}() -> None: ...",
                f"# note {n}: keep in sync",
            )[n % 3]
        if path.endswith(".md"):
            return f"- Change {n}: see #{max(1, self.pr)}"
        if path.endswith((".yml", ".yaml")):
            return f"  # step {n}"
        return f'dep-{n} = "{n % 7}.{n % 13}.{n % 29}"'

    @staticmethod
    def header_for(path: str) -> tuple[str, ...]:
        if path == "pyproject.toml":
            return ("[project]", 'name = "synth"', 'version = "0.0.0"')
        if path.endswith(".py"):
            return (f'"""{path}."""', "", "from __future__ import annotations")
        if path.endswith(".md"):
            return (f"# {Path(path).stem.replace('_', ' ').title()}", "", "<!-- synthetic -->")
        if path.endswith((".yml", ".yaml")):
            return (f"name: {Path(path).stem}", "on: [push, pull_request]", "jobs:")
        return (f"# {path}", "", "")

    def mutate(self, files: dict[str, tuple[str, ...]], path: str) -> Change:
        before = files.get(path)
        line = self.new_line(path)
        if before is None:
            after = (*self.header_for(path), line)
        elif len(before) < MAX_LINES and (len(before) <= HEADER_LINES + 2 or self.rng.random() < 0.55):
            after = (*before, line)
        else:
            i = self.rng.randrange(HEADER_LINES, len(before))
            after = (*before[:i], line, *before[i + 1 :])
        files[path] = after
        return Change(path, before, after, line)

    def apply(self, files: dict[str, tuple[str, ...]], paths: Iterable[str]) -> list[Change]:
        return [self.mutate(files, p) for p in paths]

    # ---- the commit kinds

    def initial_commit(self) -> None:
        paths = ["README.md", "pyproject.toml", ".gitignore", "src/core/__init__.py", "LICENSE"]
        changes = self.apply(self.main.files, paths)
        blobs = self.specs.files() if self.specs else []
        self.emit(self.main, "Initial commit\n", self.maintainers[0], None, changes, blobs=blobs)

    def regular_commit(self) -> None:
        if self.recent and self.rng.random() < 0.005 and self.revert():
            return
        kind = self.type_names[_pick_cum(self.rng, self.type_cum)]
        scope_apis, scope = self.pick_scope(kind)
        topic = self.topic(scope_apis)
        author = self.pick_author()
        bot = kind in ("chore", "build") and scope == "deps" and self.rng.random() < 0.7
        if bot:
            author = DEPENDABOT
        via_pr = bot or self.rng.random() < (0.88 if kind not in (None, "chore", "ci") else 0.6)
        breaking = kind in BREAKABLE and not bot and self.rng.random() < P_BREAKING
        header, body = self.message(kind, scope, scope_apis, topic, author, breaking, bot)
        if via_pr:
            self.pr += self.rng.randint(1, 3)
            header = f"{header} (#{self.pr})"
        paths = self.pick_paths(kind, scope, scope_apis)
        changes = self.apply(self.main.files, paths)
        if kind in ("refactor", "chore") and self.rng.random() < 0.03:
            changes += self.delete_one(scope_apis)
        message = f"{header}\n\n{body}\n" if body else f"{header}\n"
        blobs = self.specs.commit(kind, scope_apis[0] if scope_apis else None, breaking, "Deprecated:" in body) \
            if self.specs else []
        mark = self.emit(self.main, message, author, GITHUB if via_pr else None, changes, blobs=blobs)
        record = Record(mark, header, body, author, self.now, changes, kind, breaking)
        self.recent.append(record)
        if kind == "fix" and not breaking and self.branches:
            self.fix_log.append(record)
        self.track_spec(kind, scope_apis, topic, breaking, body)
        if breaking:
            self.stats["breaking"] += 1

    def revert(self) -> bool:
        candidates = [
            r
            for r in list(self.recent)[-25:]
            if r.mark not in self.reverted and r.kind is not None and not r.header.startswith("Revert")
        ]
        if not candidates:
            return False
        target = self.rng.choice(candidates)
        self.reverted.add(target.mark)
        sha = self.fi.sha(target.mark)
        changes: list[Change] = []
        for change in target.changes:
            cur = self.main.files.get(change.path)
            if cur == change.after:
                after = change.before
            elif cur is not None and change.line in cur:
                after = tuple(line for line in cur if line != change.line)
            else:
                continue
            if after is None:
                self.main.files.pop(change.path, None)
            else:
                self.main.files[change.path] = after
            changes.append(Change(change.path, cur, after, change.line))
        if not changes:
            changes = self.apply(self.main.files, [target.changes[0].path])
        header = f'Revert "{target.header}"'
        via_pr = self.rng.random() < 0.8
        if via_pr:
            self.pr += self.rng.randint(1, 3)
            header = f"{header} (#{self.pr})"
        author = self.rng.choice([*self.maintainers, target.author])
        message = f"{header}\n\nThis reverts commit {sha}.\n"
        mark = self.emit(self.main, message, author, GITHUB if via_pr else None, changes)
        self.recent.append(Record(mark, header, "", author, self.now, changes, "revert", False))
        self.stats["reverts"] += 1
        return True

    def delete_one(self, scope_apis: list[str]) -> list[Change]:
        pool = [p for p in self.universe.api_src[scope_apis[0]] if "/providers/" in p] if scope_apis else []
        existing = [p for p in pool if p in self.main.files]
        if not existing:
            return []
        path = self.rng.choice(existing)
        before = self.main.files.pop(path)
        return [Change(path, before, None, "")]

    def graduation(self, event: GraduationEvent) -> None:
        api = event.api
        paths = [f"src/apis/{api}/__init__.py", f"docs/source/apis/{api}/index.md"]
        changes = self.apply(self.main.files, paths)
        self.pr += 1
        header = f"feat({api}): promote the {api} API to {event.level} (#{self.pr})"
        body = (
            f"The {api} API has been stable for several releases; it now follows the {event.level}\n"
            f"compatibility policy. Routes move to /{event.level}/{api}."
        )
        author = self.maintainers[1]
        blobs = self.specs.move(api, event.level) if self.specs else []
        mark = self.emit(self.main, f"{header}\n\n{body}\n", author, GITHUB, changes, blobs=blobs)
        self.recent.append(Record(mark, header, body, author, self.now, changes, "feat", False))

    # ---- releases

    def release(self, event: TagEvent) -> bool:
        branch = self.main if event.branch == "main" else self.branches.get(event.branch)
        if branch is None:
            return False
        manager = self.release_manager()
        if event.release_commit:
            self.release_commit(branch, event.version, manager)
        mark = branch.head
        note = f"Release {event.version}\n" if self.rng.random() < 0.5 else f"{event.version.tag}\n"
        if event.version.rc:
            note = f"{event.version.tag}: release candidate {event.version.rc} for {event.version.tag[:-3]}\n"
        self.tag(event.version.tag, mark, event.annotated, manager, note)
        if branch is self.main and not event.version.rc:
            self.last_final_tag = event.version.tag
        return event.release_commit

    def release_commit(self, branch: Branch, version: Version, manager: Person) -> None:
        files = branch.files
        before = files.get("pyproject.toml") or self.header_for("pyproject.toml")
        pyproject = (*before[:2], f'version = "{version}"', *before[3:])
        changes = [Change("pyproject.toml", files.get("pyproject.toml"), pyproject, "")]
        files["pyproject.toml"] = pyproject
        changes += self.apply(files, ["CHANGELOG.md"])
        if branch is self.main:
            changes.append(self.render_spec(version))
        style = self.rng.random()
        if self.frac < 0.15 and style < 0.5:
            header = f"Bump version to {version}"
        else:
            header = f"chore(release): {version}" if style < 0.6 else f"chore: release {version.tag}"
        via_pr = self.rng.random() < 0.5
        if via_pr:
            self.pr += self.rng.randint(1, 2)
            header = f"{header} (#{self.pr})"
        self.emit(branch, f"{header}\n", manager, GITHUB if via_pr else None, changes)

    def fork(self, event: ForkEvent) -> None:
        mark = self.tag_marks.get(event.tag)
        if mark is None:
            return
        branch = Branch(event.branch, dict(self.main.files), head=mark, fork_mark=mark)
        self.branches[event.branch] = branch
        self.fi.write(b"reset refs/heads/%s\nfrom :%d\n\n" % (event.branch.encode(), mark))

    def cherry_pick(self, branch: Branch) -> bool:
        candidates = [
            r
            for r in self.fix_log
            if r.mark > branch.fork_mark and r.mark not in branch.picked and r.mark not in self.reverted
        ]
        if not candidates:
            return False
        record = self.rng.choice(candidates[-60:])  # a recent fix, as a backport would be
        branch.picked.add(record.mark)
        sha = self.fi.sha(record.mark)
        changes: list[Change] = []
        for change in record.changes:
            cur = branch.files.get(change.path)
            if change.after is None:
                if cur is not None:
                    changes.append(Change(change.path, cur, None, ""))
                    del branch.files[change.path]
                continue
            base = cur if cur is not None else self.header_for(change.path)
            after = (*base, change.line) if len(base) < MAX_LINES else (*base[:-1], change.line)
            branch.files[change.path] = after
            changes.append(Change(change.path, cur, after, change.line))
        body = f"{record.body}\n\n" if record.body else ""
        message = f"{record.header}\n\n{body}(cherry picked from commit {sha})\n"
        self.emit(branch, message, record.author, self.release_manager(), changes, author_date=record.date)
        self.stats["picks"] += 1
        return True

    # ---- messages

    def pick_scope(self, kind: str | None) -> tuple[list[str], str | None]:
        """The APIs the change is about (for paths) and the header scope (None = no scope)."""
        rng = self.rng
        live = [a for a in self.apis if self.universe.api_intro[a] <= self.frac]
        weights = [self.api_weights[self.apis.index(a)] for a in live]
        api = rng.choices(live, weights=weights)[0]
        r = rng.random()
        if kind in ("feat", "fix", "refactor", "perf", "test"):
            if r < 0.78:
                if rng.random() < 0.015 and len(live) > 1:
                    other = rng.choice([a for a in live if a != api])
                    return [api, other], f"{api},{other}"
                return [api], self.scope_name(api)
            return ([api], None) if r < 0.9 else ([], rng.choice(OTHER_SCOPES))
        if kind == "docs":
            return (
                ([api], self.scope_name(api))
                if r < 0.5
                else ([], rng.choice(DOC_SCOPES) if r < 0.75 else None)
            )
        if kind == "chore":
            if r < 0.35:
                return [], "deps"
            return ([api], self.scope_name(api)) if r < 0.6 else ([], None if r < 0.85 else "repo")
        if kind == "ci":
            return [], None if r < 0.6 else rng.choice(("tests", "release", "docker"))
        if kind == "build":
            return [], "deps" if r < 0.5 else (None if r < 0.8 else "docker")
        if kind == "style":
            return ([api], self.scope_name(api)) if r < 0.5 else ([], None)
        return ([api] if r < 0.5 else []), None

    def scope_name(self, api: str) -> str:
        aliases = SCOPE_ALIASES.get(api)
        return self.rng.choice(aliases) if aliases and self.rng.random() < 0.15 else api

    def topic(self, scope_apis: list[str]) -> str:
        pool = TOPICS.get(scope_apis[0], GENERIC_TOPICS) if scope_apis else GENERIC_TOPICS
        return self.rng.choice(pool)

    def message(
        self,
        kind: str | None,
        scope: str | None,
        scope_apis: list[str],
        topic: str,
        author: Person,
        breaking: bool,
        bot: bool,
    ) -> tuple[str, str]:
        rng = self.rng
        api = scope_apis[0] if scope_apis else "core"
        if kind is None:
            template = rng.choice(NONCONVENTIONAL)
            return template.format(
                t=topic,
                file=rng.choice(("README.md", "pyproject.toml", "docs/index.md")),
                branch=f"{author.email.split('@')[0].split('+')[-1]}/wip",
            ), ""
        if bot:
            dep = rng.choice(DEPENDENCIES)
            a, b = rng.randint(0, 9), rng.randint(0, 30)
            subject = f"bump {dep} from {a}.{b}.0 to {a}.{b + 1}.0"
            body = (
                f"Bumps {dep} from {a}.{b}.0 to {a}.{b + 1}.0.\n\n---\nupdated-dependencies:\n"
                f"- dependency-name: {dep}\n  dependency-type: direct:production\n\n"
                f"Signed-off-by: dependabot[bot] <support@github.com>"
            )
            return f"{kind}({scope}): {subject}", body
        bang = ""
        footer_breaking = False
        if breaking and rng.random() < 0.5:
            bang = "!"
            subjects = BREAKING_SUBJECTS.get(kind, BREAKING_SUBJECTS["api"])
            subject = rng.choice(subjects).format(t=topic, api=api, dep=rng.choice(DEPENDENCIES))
        else:
            footer_breaking = breaking
            dep, ver = rng.choice(DEPENDENCIES), f"{rng.randint(1, 5)}.{rng.randint(0, 20)}"
            subject = rng.choice(SUBJECTS[kind]).format(t=topic, api=api, dep=dep, ver=ver)
        scope_part = f"({scope})" if scope else ""
        header = f"{kind}{scope_part}{bang}: {subject}"
        body = self.body(kind, scope_part, topic, author, footer_breaking, header)
        return header, body

    def body(
        self, kind: str, scope_part: str, topic: str, author: Person, footer_breaking: bool, header: str
    ) -> str:
        rng = self.rng
        r = rng.random()
        breaking_line = f"BREAKING CHANGE: {self.breaking_text(topic)}" if footer_breaking else ""
        if footer_breaking and rng.random() < 0.03:
            breaking_line = breaking_line.replace("BREAKING CHANGE", "BREAKING-CHANGE")
        if r < 0.12 or (footer_breaking and r < 0.45):
            return self.squash_body(kind, scope_part, topic, header, breaking_line)
        if r < 0.40 or footer_breaking:
            paragraphs = [self.paragraph(topic) for _ in range(rng.randint(1, 2))]
            footers = [breaking_line] if breaking_line else []
            if kind in ("feat", "refactor") and rng.random() < 0.02:
                footers.append(
                    f"Deprecated: `{topic}` in the old form is deprecated and will be removed in a later"
                    " minor; use the new parameters instead."
                )
            if rng.random() < 0.3:
                footers.append(f"Closes #{max(1, self.pr - rng.randint(0, 40))}")
            if rng.random() < 0.15:
                footers.append(f"Signed-off-by: {author.ident}")
            if footers:
                paragraphs.append("\n".join(footers))
            return "\n\n".join(paragraphs)
        return ""

    def paragraph(self, topic: str) -> str:
        sentences = [s.format(t=topic) for s in self.rng.sample(SENTENCES, self.rng.randint(1, 3))]
        return _wrap(" ".join(sentences))

    def breaking_text(self, topic: str) -> str:
        return self.rng.choice(
            (
                f"`{topic}` is now required; clients must send it explicitly.",
                f"the response field for {topic} was renamed.",
                f"{topic} no longer accepts the legacy format.",
                f"the {topic} route moved; update your client.",
            )
        )

    def squash_body(self, kind: str, scope_part: str, topic: str, header: str, breaking_line: str) -> str:
        """GitHub's squash-merge body: bullets of the PR's commits, the footer possibly in the middle."""
        rng = self.rng
        first = header.split(": ", 1)
        bullets = [f"* {first[0]}: {first[1]}"] if len(first) == 2 else [f"* {header}"]
        for _ in range(rng.randint(1, 5)):
            follow = rng.choice(SQUASH_FOLLOWUPS).format(branch="feature")
            bullets.append(f"* {follow}" if rng.random() < 0.6 else f"* {kind}{scope_part}: {follow}")
        parts = list(bullets)
        if breaking_line:
            parts.insert(rng.randint(1, len(bullets) - 1) if len(bullets) > 1 else 1, breaking_line)
        coauthors = rng.sample(self.people[:-N_LATE], rng.randint(0, 2))
        text = "\n\n".join(parts)
        if coauthors:
            text += "\n\n---------\n\n" + "\n".join(f"Co-authored-by: {p.ident}" for p in coauthors)
        return text

    # ---- paths

    def pick_paths(self, kind: str | None, scope: str | None, scope_apis: list[str]) -> list[str]:
        rng, uni, frac = self.rng, self.universe, self.frac
        n = 1 + (rng.random() < 0.45) + (rng.random() < 0.33)
        api = scope_apis[0] if scope_apis else None
        if kind is None:
            first = "README.md" if rng.random() < 0.4 else pick_unlocked(uni.shared["docs"], frac, rng)
        elif kind == "docs":
            first = pick_unlocked(uni.api_docs[api] if api else uni.shared["docs"], frac, rng)
        elif kind == "test":
            first = pick_unlocked(uni.api_tests[api] if api else uni.shared["tests"], frac, rng)
        elif kind == "ci":
            first = pick_unlocked(uni.shared["ci"], frac, rng)
        elif kind == "build" or scope == "deps":
            first = rng.choice(("pyproject.toml", "uv.lock", "uv.lock", "requirements.txt", "Dockerfile"))
        elif api is not None:
            first = pick_unlocked(uni.api_src[api], frac, rng)
        else:
            first = pick_unlocked(uni.shared["cli" if scope == "cli" else "core"], frac, rng)
        paths = [first]
        for _ in range(n - 1):
            paths.append(self.extra_path(kind, scope_apis))
        return list(dict.fromkeys(paths))

    def extra_path(self, kind: str | None, scope_apis: list[str]) -> str:
        rng, uni, frac = self.rng, self.universe, self.frac
        if len(scope_apis) > 1:
            return pick_unlocked(uni.api_src[scope_apis[1]], frac, rng)
        api = scope_apis[0] if scope_apis else None
        r = rng.random()
        if api is None:
            group = ("scripts", "core", "tests", "docs", "ci")[int(r * 5)]
            return pick_unlocked(uni.shared[group], frac, rng)
        if r < 0.45:
            return pick_unlocked(uni.api_tests[api], frac, rng)
        if r < 0.70:
            return pick_unlocked(uni.api_src[api], frac, rng)
        if r < 0.82:
            return pick_unlocked(uni.api_docs[api], frac, rng)
        if r < 0.92:
            other = rng.choice(self.apis)
            return pick_unlocked(uni.api_src[other], frac, rng)
        return pick_unlocked(uni.shared["core"], frac, rng)

    # ---- OpenAPI spec (regenerated by release commits on main)

    def level_at(self, api: str, version: Version) -> str:
        history = self.plan.histories.get(api)
        if history and (version.major, version.minor) < tuple(int(x) for x in history[0].split(".")[:2]):
            return history[1]
        return LEVELS.get(api, ("v1", "v1beta", "v1alpha")[self.apis.index(api) % 3])

    def track_spec(
        self, kind: str | None, scope_apis: list[str], topic: str, breaking: bool, body: str
    ) -> None:
        if not scope_apis or kind not in ("feat", "fix", "refactor"):
            return
        api = scope_apis[0]
        ops = self.spec_ops[api]
        slug = "-".join(topic.replace("the ", "").replace("_", "-").split()).lower()
        if breaking and ops:
            ops.pop(self.rng.randrange(len(ops)))
        elif kind == "feat" and len(ops) < SPEC_MAX_OPS:
            self.spec_seq += 1
            ops.append(f"{slug}-{self.spec_seq}")
        if "Deprecated:" in body and ops:
            self.spec_deprecated.add(f"{api}/{ops[0]}")

    def render_spec(self, version: Version) -> Change:
        lines = ["openapi: 3.1.0", "info:", "  title: Synth Stack API", f"  version: {version}", "paths:"]
        for api in self.apis:
            level = self.level_at(api, version)
            for op in self.spec_ops[api]:
                lines += [
                    f"  /{level}/{api}/{op}:",
                    "    post:",
                    f"      operationId: {api}_{op.replace('-', '_')}",
                    f"      tags: [{api}]",
                ]
                if f"{api}/{op}" in self.spec_deprecated:
                    lines.append("      deprecated: true")
                lines.append("      responses: {'200': {description: OK}}")
        path = "docs/static/openapi.yaml"
        before = self.main.files.get(path)
        after = tuple(lines)
        self.main.files[path] = after
        return Change(path, before, after, "")

    # ---- the last commit

    def config_commit(self) -> None:
        files = {
            "relmgr.toml": relmgr_toml(self.apis, self.plan.histories, self.spec_files if self.specs else 0),
            "cliff.toml": CLIFF_TOML.replace("@REPO@", REPO_URL),
            ".cz.toml": CZ_TOML,
        }
        changes = []
        for path, text in files.items():
            after = tuple(text.rstrip("\n").split("\n"))
            changes.append(Change(path, self.main.files.get(path), after, ""))
            self.main.files[path] = after
        message = (
            "chore: add relmgr config\n\nAlso add git-cliff and commitizen configs so that the tools"
            " can be compared on this repository.\n"
        )
        self.emit(self.main, message, self.maintainers[0], None, changes)


# --------------------------------------------------------------------------- helpers


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick_cum(rng: random.Random, cum: list[float]) -> int:
    return min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)


def _wrap(text: str, width: int = 72) -> str:
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return "\n".join(lines)


def relmgr_toml(apis: Sequence[str], histories: dict[str, tuple[str, str]], spec_files: int = 0) -> str:
    """The config; with `spec_files`, each API's routes and the generated specs (levels from their paths)."""
    out = [
        "# relmgr configuration for the synthetic benchmark repository (scripts/synth_repo.py).",
        "[tool.relmgr]",
        'tag-prefix = "v"',
        'default-level = "v1"',
        f'repo-url = "{REPO_URL}"',
    ]
    for i, api in enumerate(apis):
        level = LEVELS.get(api, ("v1", "v1beta", "v1alpha")[i % 3])
        scopes = ", ".join(f'"{s}"' for s in (api, *SCOPE_ALIASES.get(api, ())))
        out += [
            "",
            f"[tool.relmgr.apis.{api}]",
            f'level = "{level}"',
            f'paths = ["src/apis/{api}/**"]',
            f"scopes = [{scopes}]",
        ]
        if api in histories:
            until, old = histories[api]
            out.append(f'history = [{{ until = "{until}", level = "{old}" }}]')
        if spec_files:
            out.append(routes_toml(api))
    text = "\n".join(out) + "\n"
    return text + openapi_toml(spec_files) if spec_files else text


CLIFF_TOML = r'''# git-cliff configuration (https://git-cliff.org/docs/configuration) for comparing
# relmgr with git-cliff on the synthetic repository: `git cliff -o /dev/null`.

[changelog]
header = """
# Changelog\n
All notable changes to this project will be documented in this file.\n
"""
body = """
{% if version -%}
    ## [{{ version | trim_start_matches(pat="v") }}] - {{ timestamp | date(format="%Y-%m-%d") }}
{% else -%}
    ## [Unreleased]
{% endif -%}
{% for group, commits in commits | group_by(attribute="group") %}
    ### {{ group | striptags | trim | upper_first }}
    {% for commit in commits %}
        - {% if commit.scope %}*({{ commit.scope }})* {% endif %}\
          {% if commit.breaking %}[**breaking**] {% endif %}\
          {{ commit.message | upper_first }}\
    {% endfor %}
{% endfor %}\n
"""
footer = """
<!-- generated by git-cliff -->
"""
trim = true

[git]
conventional_commits = true
filter_unconventional = true
split_commits = false
commit_preprocessors = [
    { pattern = '\(#([0-9]+)\)', replace = "([#${1}](@REPO@/pull/${1}))" },
]
commit_parsers = [
    { message = "^feat", group = "<!-- 0 -->Features" },
    { message = "^fix", group = "<!-- 1 -->Bug Fixes" },
    { message = "^perf", group = "<!-- 2 -->Performance" },
    { message = "^refactor", group = "<!-- 3 -->Refactor" },
    { message = "^doc", group = "<!-- 4 -->Documentation" },
    { message = "^style", group = "<!-- 5 -->Styling" },
    { message = "^test", group = "<!-- 6 -->Testing" },
    { message = "^chore\\(release\\)", skip = true },
    { message = "^chore\\(deps.*\\)", skip = true },
    { message = "^chore|^ci|^build", group = "<!-- 7 -->Miscellaneous Tasks" },
    { message = "^[Rr]evert", group = "<!-- 8 -->Revert" },
    { message = ".*", group = "<!-- 9 -->Other" },
]
protect_breaking_commits = true
filter_commits = false
tag_pattern = "^v[0-9]+\\.[0-9]+\\.[0-9]+(rc[0-9]+)?$"
ignore_tags = "rc[0-9]+$"
topo_order = false
sort_commits = "oldest"
'''

CZ_TOML = """# commitizen configuration for comparing relmgr with `cz changelog --dry-run`.
[tool.commitizen]
name = "cz_conventional_commits"
tag_format = "v$version"
version_scheme = "pep440"
version_provider = "scm"
update_changelog_on_bump = true
changelog_merge_prerelease = true
ignored_tag_formats = ["stable", "docs-*", "legacy-*"]
"""


# --------------------------------------------------------------------------- CLI


def prepare_dest(dest: Path, force: bool) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        if not force:
            raise SystemExit(f"{dest} exists and is not empty; pass --force to replace it")
        if dest.is_dir() and not (dest / ".git").exists():
            raise SystemExit(f"refusing to delete {dest}: it is not a git repository")
        shutil.rmtree(dest) if dest.is_dir() else dest.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)


def build(dest: Path, commits: int, seed: int, n_apis: int, spec_size: int = 0, spec_files: int = 3) -> Synth:
    fi = FastImport(dest)
    synth = Synth(fi, commits, seed, api_names(n_apis), spec_size, spec_files)
    try:
        synth.run()
    finally:
        fi.finish()
    subprocess.run(["git", "-C", str(dest), "-c", "core.autocrlf=false", "reset", "-q", "--hard"], check=True)
    return synth


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("dest", type=Path, help="where to create the repository")
    parser.add_argument(
        "--commits", type=int, default=DEFAULT_COMMITS, help="total commits (default %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--apis", type=int, default=DEFAULT_APIS, help="number of APIs (default %(default)s)")
    parser.add_argument("--force", action="store_true", help="replace DEST if it is a git repository")
    parser.add_argument("--spec-size", metavar="SIZE", help="also commit generated split OpenAPI specs of about "
                        "SIZE each (0.5MB, 500KB), changing in ~30%% of the commits (default: no specs)")
    parser.add_argument("--spec-files", type=int, default=3, metavar="N",
                        help="how many files split the specs: 1-4 (default %(default)s: stable, experimental, "
                        "deprecated)")
    args = parser.parse_args(argv)
    try:
        args.spec_size = parse_size(args.spec_size) if args.spec_size is not None else 0
    except ValueError as exc:
        parser.error(f"--spec-size: {exc}")
    if not 1 <= args.spec_files <= 4:
        parser.error("--spec-files must be 1, 2, 3 or 4")
    if args.commits < 2:
        parser.error("--commits must be at least 2")
    if args.apis < 1:
        parser.error("--apis must be at least 1")
    return args


def summary(synth: Synth, dest: Path, elapsed: float) -> str:
    stats = synth.stats
    return (
        f"synth_repo: {synth.count} commits, {stats['tags']} tags, {1 + len(synth.branches)} branches, "
        f"{len(synth.main.files)} files, {stats['breaking']} breaking, {stats['reverts']} reverts, "
        f"{stats['picks']} cherry-picks{_spec_summary(synth)} in {elapsed:.1f}s -> {dest}"
    )


def _spec_summary(synth: Synth) -> str:
    if synth.specs is None:
        return ""
    stats = synth.specs.stats
    return (f", {synth.spec_files} spec files changed in {stats['spec_commits']} commits "
            f"({stats['moves']} route moves, {stats['deprecations']} deprecations, {stats['undeclared']} undeclared "
            "breaks)")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    prepare_dest(args.dest, args.force)
    synth = build(args.dest, args.commits, args.seed, args.apis, args.spec_size, args.spec_files)
    elapsed = time.perf_counter() - started
    print(summary(synth, args.dest, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
