"""The sample repository of `relmgr demo`: a small API project's history written as data, and its replay.

Acme Widgets serves three APIs: `inference` (v1beta, graduated to v1 at 0.2.0), `files` (v1beta) and
`batches` (v1alpha). The history has an rc, a release branch with a cherry-pick, a revert, a squash merge
with a `BREAKING CHANGE:` footer in the middle of its body, a deprecation, and one patch release (v0.2.2)
that breaks the v1 API `inference`: declared (`fix(inference)!:`) and undeclared (a route removed from
`openapi.yaml` by a refactor, which the spec diff finds). Every date is fixed, and git runs with the global
and system config shut out, so the same script gives the same commits and shas every time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from relmgr.history.git import GitRepo

TODAY = "2025-05-01"  # `propose --today`: after the last tag, so the demo's output never changes


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str


ALICE = Person("Alice Example", "alice@example.com")
BOB = Person("Bob Builder", "bob@example.com")
CAROL = Person("Carol Newcomer", "carol@example.com")
DANA = Person("Dana Okafor", "dana@example.com")
GITHUB = Person("GitHub", "noreply@github.com")  # commits squash merges made in GitHub's web UI


@dataclass(frozen=True, slots=True)
class Commit:
    message: str
    files: tuple[tuple[str, str | None], ...]  # (path, content); None deletes the file
    by: Person
    at: str  # ISO 8601 with offset
    key: str | None = None  # how later steps name this commit (cherry-pick, revert)
    committer: Person | None = None  # default: the author


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    at: str
    annotated: bool = True


@dataclass(frozen=True, slots=True)
class Branch:
    name: str
    start: str  # a tag or branch


@dataclass(frozen=True, slots=True)
class Checkout:
    name: str


@dataclass(frozen=True, slots=True)
class CherryPick:
    key: str
    by: Person  # the committer; git keeps the original author
    at: str


@dataclass(frozen=True, slots=True)
class Revert:
    key: str
    by: Person
    at: str


Step = Commit | Tag | Branch | Checkout | CherryPick | Revert


# -- the OpenAPI spec, rewritten by the commits that change routes -------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    stability: str  # x-stability-level: alpha | beta | stable
    summary: str
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Spec:
    routes: tuple[Route, ...] = field(default_factory=tuple)

    def text(self) -> str:
        """openapi.yaml: one operation per route, its level in `x-stability-level`."""
        lines = ["openapi: 3.0.3", "info:", "  title: Acme Widgets API", "  version: '0'", "paths:"]
        for path in sorted({r.path for r in self.routes}):
            lines.append(f"  {path}:")
            for r in sorted((r for r in self.routes if r.path == path), key=lambda r: r.method):
                lines += [f"    {r.method.lower()}:", f"      summary: {r.summary}",
                          f"      x-stability-level: {r.stability}"]
                if r.deprecated:
                    lines.append("      deprecated: true")
                lines += ["      responses:", "        '200':", "          description: OK"]
        return "\n".join(lines) + "\n"


def _inference(stability: str, *, deprecated_completions: bool = False) -> tuple[Route, ...]:
    return (
        Route("POST", "/v1/chat/completions", stability, "Create a chat completion"),
        Route("POST", "/v1/completions", stability, "Create a completion (legacy)", deprecated_completions),
        Route("GET", "/v1/models", stability, "List the models"),
        Route("GET", "/v1/models/{model}", stability, "Get one model"),
    )


_FILES = (
    Route("GET", "/v1beta/files", "beta", "List files"),
    Route("POST", "/v1beta/files", "beta", "Upload a file"),
    Route("GET", "/v1beta/files/{file_id}", "beta", "Get a file"),
)
_SESSIONS = (
    Route("GET", "/v1beta/files", "beta", "List files"),
    Route("POST", "/v1beta/uploads", "beta", "Start an upload session"),
    Route("POST", "/v1beta/uploads/{upload_id}/complete", "beta", "Finish an upload session"),
    Route("GET", "/v1beta/files/{file_id}", "beta", "Get a file"),
)
_BATCHES = (
    Route("POST", "/v1alpha/batches", "alpha", "Submit a batch"),
    Route("GET", "/v1alpha/batches/{batch_id}", "alpha", "Get a batch"),
)
_CANCEL = (Route("POST", "/v1alpha/batches/{batch_id}/cancel", "alpha", "Cancel a batch"),)

SPEC_010 = Spec(_inference("beta") + _FILES)
SPEC_020RC = Spec(_inference("beta") + _SESSIONS + _BATCHES)
SPEC_020 = Spec(_inference("stable") + _SESSIONS + _BATCHES)
SPEC_030 = Spec(_inference("stable", deprecated_completions=True) + _SESSIONS + _BATCHES)
SPEC_NEXT = Spec(SPEC_030.routes + _CANCEL)
# the bad patch: the declared break removes /v1/completions, the refactor quietly removes /v1/models/{model}
SPEC_022A = Spec(tuple(r for r in SPEC_020.routes if r.path != "/v1/completions"))
SPEC_022B = Spec(tuple(r for r in SPEC_022A.routes if r.path != "/v1/models/{model}"))


# -- the config --------------------------------------------------------------------------------------

_CONFIG = """\
# relmgr's settings for Acme Widgets (relmgr reads relmgr.toml, else [tool.relmgr] in pyproject.toml)
[tool.relmgr]
tag-prefix = "v"
default-level = "v1"        # changes that touch no API are judged as v1

[tool.relmgr.apis.inference]
level = "{level}"
paths = ["src/acme/apis/inference/**"]
scopes = ["inference"]
routes = ["/v1/chat", "/v1/completions", "/v1/models"]
{history}
[tool.relmgr.apis.files]
level = "v1beta"
paths = ["src/acme/apis/files/**"]
scopes = ["files"]
routes = ["/v1beta/files", "/v1beta/uploads"]
tests = ["tests/apis/files/**"]

[tool.relmgr.apis.batches]
level = "v1alpha"
paths = ["src/acme/apis/batches/**"]
scopes = ["batches"]
routes = ["/v1alpha/batches"]

[tool.relmgr.openapi]
specs = ["openapi.yaml"]
levels-from = "x-stability-level"

[tool.relmgr.lint]
scopes = ["deps", "ci", "release"]
"""
CONFIG_BETA = _CONFIG.format(level="v1beta", history="")
CONFIG_V1 = _CONFIG.format(level="v1", history='history = [{ until = "0.2.0", level = "v1beta" }]\n')

_README = "# Acme Widgets\n\nAn inference server: chat completions, files and batches over HTTP.\n"


def _code(api: str, text: str) -> tuple[str, str]:
    return f"src/acme/apis/{api}/routes.py", f'"""The {api} API."""\n\n{text}\n'


def _spec(spec: Spec) -> tuple[str, str]:
    return "openapi.yaml", spec.text()


SQUASH = """feat(inference): tool calling (#15)

* feat(inference): accept a `tools` list

* fix(inference): validate tool names

BREAKING CHANGE: the `functions` field of `POST /v1/chat/completions` is gone;
send the same definitions in `tools`, each as `{"type": "function", "function": {...}}`.

* docs: tool calling guide

Co-authored-by: Alice Example <alice@example.com>
"""

DEPRECATE = """feat(inference): deprecate the legacy completions endpoint (#16)

Deprecated: `POST /v1/completions`; use `POST /v1/chat/completions`. It goes away in 1.0.
"""

SCRIPT: tuple[Step, ...] = (
    Commit("feat(inference): chat completions, completions and models (#1)",
           (("README.md", _README), ("relmgr.toml", CONFIG_BETA), ("src/acme/__init__.py", ""),
            _code("inference", "def chat(request): ..."), _spec(SPEC_010)), ALICE, "2025-01-06T10:00:00+01:00"),
    Commit("feat(files): upload, list and fetch files (#3)",
           (_code("files", "def upload(file): ..."), ("tests/apis/files/test_files.py", "def test_upload(): ...\n"),
            _spec(SPEC_010)), BOB, "2025-01-08T15:30:00+00:00"),
    Tag("v0.1.0", "2025-01-10T12:00:00+01:00"),
    Commit("fix(inference): send the final chunk of a stream (#5)",
           (_code("inference", "def chat(request, stream=False): ..."),), ALICE, "2025-01-14T09:00:00+01:00"),
    Commit("feat(batches): submit and poll batch jobs (#7)",
           (_code("batches", "def submit(batch): ..."), _spec(SPEC_020RC)), CAROL, "2025-01-20T11:00:00-05:00"),
    Commit("feat(files)!: uploads go through upload sessions (#9)\n\n"
           "BREAKING CHANGE: `POST /v1beta/files` is gone; start a session with `POST /v1beta/uploads`\n"
           "and finish it with `POST /v1beta/uploads/{upload_id}/complete`.\n",
           (_code("files", "def start_upload(): ...\ndef complete_upload(upload_id): ..."),), BOB,
           "2025-01-27T16:00:00+00:00"),
    Tag("v0.2.0rc1", "2025-02-03T12:00:00+01:00"),
    Commit("chore(inference): graduate inference to v1 at 0.2.0 (#11)",
           (("relmgr.toml", CONFIG_V1), _spec(SPEC_020)), ALICE, "2025-02-05T10:00:00+01:00"),
    Tag("v0.2.0", "2025-02-10T12:00:00+01:00"),
    Branch("release-0.2.x", "v0.2.0"),
    Commit("feat(batches)!: rename batch states to queued, running and done (#13)",
           (_code("batches", "STATES = ('queued', 'running', 'done')"),), CAROL, "2025-02-12T14:00:00-05:00"),
    Commit("fix(files): reject empty uploads (#14)",
           (_code("files", "def start_upload(size): assert size > 0"),), DANA, "2025-02-14T09:30:00+01:00",
           key="empty-uploads"),
    Commit(SQUASH, (_code("inference", "def chat(request, tools=()): ..."), ("docs/tools.md", "# Tools\n")),
           BOB, "2025-02-18T17:00:00+00:00", committer=GITHUB),
    Commit(DEPRECATE, (_spec(SPEC_030),), ALICE, "2025-02-20T10:00:00+01:00"),
    Checkout("release-0.2.x"),
    CherryPick("empty-uploads", ALICE, "2025-02-24T10:00:00+01:00"),
    Tag("v0.2.1", "2025-02-24T10:05:00+01:00", annotated=False),
    Commit("fix(inference)!: drop the legacy completions endpoint (#17)", (_spec(SPEC_022A),), BOB,
           "2025-03-03T11:00:00+00:00"),
    Commit("refactor(inference): serve model details from the model list (#18)",
           (_code("inference", "def models(): ..."), _spec(SPEC_022B)), BOB, "2025-03-03T15:00:00+00:00"),
    Tag("v0.2.2", "2025-03-04T12:00:00+01:00"),
    Checkout("main"),
    Commit("feat(batches): priority queue (#19)", (_code("batches", "def submit(batch, priority=0): ..."),), CAROL,
           "2025-03-06T10:00:00-05:00", key="priority"),
    Revert("priority", ALICE, "2025-03-10T09:00:00+01:00"),
    Commit("docs: a tool calling guide (#20)", (("docs/tools.md", "# Tools\n\nSend `tools`.\n"),), DANA,
           "2025-03-12T13:00:00+01:00"),
    Tag("v0.3.0", "2025-03-17T12:00:00+01:00"),
    Commit("feat(batches): cancel a running batch (#22)",
           (_code("batches", "def cancel(batch_id): ..."), _spec(SPEC_NEXT)), CAROL, "2025-03-24T10:00:00-04:00"),
    Commit("fix(files): keep the original file name on download (#23)",
           (_code("files", "def download(file_id): ..."),), DANA, "2025-04-02T09:00:00+02:00"),
    Commit("feat(files)!: paginate the file list (#24)\n\n"
           "BREAKING CHANGE: `GET /v1beta/files` returns one page (`data`, `next_page`), not every file.\n",
           (_code("files", "def list_files(page=None): ..."),), BOB, "2025-04-07T16:00:00+01:00"),
)


# -- replaying ---------------------------------------------------------------------------------------


def build(folder: Path, script: Sequence[Step] = SCRIPT) -> dict[str, str]:
    """Replay `script` into a new repository in `folder` (empty or missing); the commit shas by key."""
    folder.mkdir(parents=True, exist_ok=True)
    repo = GitRepo(folder)
    repo.run("init", "-q", "-b", "main", env=_env(ALICE, _EPOCH))
    shas: dict[str, str] = {}
    for step in script:
        _replay(repo, step, shas)
        if isinstance(step, Commit) and step.key:
            shas[step.key] = repo.run_text("rev-parse", "HEAD").strip()
    return shas


_EPOCH = "2025-01-01T00:00:00+00:00"  # the date of steps that write no object (branch, checkout)


def _replay(repo: GitRepo, step: Step, shas: dict[str, str]) -> None:
    if isinstance(step, Commit):
        _write(repo.root, step.files)
        repo.run("add", "--all", env=_env(step.by, step.at))
        repo.run("commit", "-q", "--no-verify", "--cleanup=whitespace", "-F", "-", stdin=step.message.encode(),
                 env=_env(step.by, step.at, step.committer))
    elif isinstance(step, Tag):
        args = ("tag", "-a", step.name, "-m", f"Acme Widgets {step.name}") if step.annotated else ("tag", step.name)
        repo.run(*args, env=_env(ALICE, step.at))
    elif isinstance(step, Branch):
        repo.run("branch", step.name, step.start, env=_env(ALICE, _EPOCH))
    elif isinstance(step, Checkout):
        repo.run("checkout", "-q", step.name, env=_env(ALICE, _EPOCH))
    elif isinstance(step, CherryPick):
        repo.run("cherry-pick", "-x", shas[step.key], env=_env(step.by, step.at))
    else:
        repo.run("revert", "--no-edit", shas[step.key], env=_env(step.by, step.at))


def _write(root: Path, files: Sequence[tuple[str, str | None]]) -> None:
    for name, content in files:
        target = root / name
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode())


def _env(author: Person, at: str, committer: Person | None = None) -> dict[str, str]:
    """Fixed identities and dates; the user's global and system git config cannot change a sha or sign."""
    who = committer or author
    return {
        "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email, "GIT_AUTHOR_DATE": at,
        "GIT_COMMITTER_NAME": who.name, "GIT_COMMITTER_EMAIL": who.email, "GIT_COMMITTER_DATE": at,
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }
