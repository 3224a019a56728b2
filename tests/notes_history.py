"""A realistic history for release notes: several APIs at different levels, a graduation, reverts, a
backport shipped on a release branch, a squash merge with a mid-body footer, a first-time contributor."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ALICE, BOB, CAROL, Repo

CONFIG = """
[tool.relmgr]
repo-url = "https://github.com/acme/widgets"

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/apis/inference/**"]
scopes = ["inference"]

[tool.relmgr.apis.files]
level = "v1"
paths = ["src/apis/files/**"]
scopes = ["files"]
history = [{ until = "0.3.0", level = "v1beta" }]

[tool.relmgr.apis.embeddings]
level = "v1beta"
paths = ["src/apis/embeddings/**"]
scopes = ["embeddings"]

[tool.relmgr.apis.batches]
level = "v1alpha"
paths = ["src/apis/batches/**"]
scopes = ["batches"]
"""

SQUASH = """feat(files): upload sessions (#40)

* feat(files): add upload sessions

* refactor(files): split the store

BREAKING CHANGE: `POST /v1/files` no longer accepts `purpose=batch`;
use `purpose=batch-input` instead.

* fix(files): typo in the session id

Co-authored-by: Alice Example <alice@example.com>
"""

RENAME = """feat(inference)!: rename the model field (#15)

The old name was ambiguous.

BREAKING CHANGE: the `model` field of requests and responses is now `model_id`:
- requests: send `model_id`;
- responses: read `model_id`.
"""

PYTHON = """build!: require Python 3.11 (#21)

BREAKING CHANGE: Python 3.10 is no longer supported.

Upgrade the interpreter, then reinstall:

```sh
pip install --upgrade widgets
```

Refs: #19
Signed-off-by: Alice Example <alice@example.com>
"""

DEPENDABOT = """chore(deps): bump fastapi from 0.110.0 to 0.111.0 (#26)

Bumps fastapi.
<details>
<summary>Release notes</summary>
<blockquote>
BREAKING CHANGE: upstream dropped Python 3.7
</blockquote>
</details>
"""


def build(path: Path) -> tuple[Repo, dict[str, str]]:
    """Replay the history; returns the repository and the shas by name."""
    repo = Repo(path)
    repo.config(CONFIG)
    s: dict[str, str] = {}
    s["chat"] = repo.commit("feat(inference): chat endpoint (#1)", {"src/apis/inference/chat.py": "1"}, author=ALICE)
    repo.tag("v0.1.0")
    s["empty"] = repo.commit("fix(files): handle empty uploads (#4)", {"src/apis/files/store.py": "1"}, author=BOB)
    s["cosine"] = repo.commit("feat(embeddings): cosine similarity (#6)", {"src/apis/embeddings/sim.py": "1"})
    repo.tag("v0.2.0")
    repo.branch("release-0.2.x")
    # main: a fix, backported to 0.2.x and shipped in 0.2.1 before 0.3.0
    s["prompts"] = repo.commit("fix(inference): handle empty prompts (#10)", {"src/apis/inference/chat.py": "2"})
    repo.checkout("release-0.2.x")
    s["backport"] = repo.cherry_pick(s["prompts"])
    repo.tag("v0.2.1")
    repo.checkout("main")
    s["squash"] = repo.commit(SQUASH, {"src/apis/files/sessions.py": "1"}, author=BOB)
    s["rename"] = repo.commit(RENAME, {"src/apis/inference/chat.py": "3"})
    s["priority"] = repo.commit("feat(batches)!: drop the priority field (#20)", {"src/apis/batches/api.py": "1"})
    s["python"] = repo.commit(PYTHON, {"pyproject.toml": "3.11"})
    s["paging"] = repo.commit(
        "refactor(files,embeddings)!: unify pagination (#22)\n\n"
        "BREAKING CHANGE: list endpoints take `page_token` instead of `offset`.",
        {"src/apis/files/list.py": "1", "src/apis/embeddings/list.py": "1"},
    )
    s["bulk"] = repo.commit("feat(batches): bulk submit (#12)", {"src/apis/batches/submit.py": "1"})
    s["batch_embed"] = repo.commit(
        "feat(embeddings): batch embeddings (#23)\n\n"
        "Deprecated: `GET /v1beta/embeddings/{id}`; use `POST /v1beta/embeddings:batchGet`.",
        {"src/apis/embeddings/batch.py": "1"},
    )
    s["unbulk"] = repo.commit(f'Revert "feat(batches): bulk submit (#12)"\n\nThis reverts commit {s["bulk"]}.\n',
                              {"src/apis/batches/submit.py": ""})
    s["uncosine"] = repo.commit(
        f'Revert "feat(embeddings): cosine similarity (#6)" (#24)\n\nThis reverts commit {s["cosine"]}.\n',
        {"src/apis/embeddings/sim.py": ""},
    )
    s["cache"] = repo.commit("perf(inference): cache the tokenizer (#25)", {"src/apis/inference/tok.py": "1"})
    s["fastapi"] = repo.commit(DEPENDABOT, {"requirements.txt": "fastapi==0.111.0"})
    s["guide"] = repo.commit("docs: a guide to batches (#27)", {"docs/batches.md": "1"}, author=CAROL)
    s["readme"] = repo.commit("Update README.md", {"README.md": "1"})
    s["ci"] = repo.commit("ci: cache pip downloads", {".github/workflows/ci.yml": "1"})
    s["upload_fix"] = repo.commit("fix(files): retry interrupted uploads (#28)", {"src/apis/files/upload.py": "1"},
                                  author=BOB)
    repo.tag("v0.3.0")
    s["after"] = repo.commit("fix(embeddings): normalise vectors (#30)", {"src/apis/embeddings/sim.py": "2"})
    return repo, s
