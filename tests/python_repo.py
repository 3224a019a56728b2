"""A repository whose APIs ship Python packages: a stable `provider` and an alpha `agents`, below `src/`."""

from __future__ import annotations

from tests.conftest import Repo

CONFIG = """
[tool.relmgr]
tag-prefix = "v"

[tool.relmgr.apis.provider]
level = "v1"
paths = ["src/ogx_api/provider/**"]
scopes = ["provider"]
python = ["ogx_api.provider"]
python-paths = ["src"]

[tool.relmgr.apis.agents]
level = "v1alpha"
paths = ["src/ogx_api/agents/**"]
scopes = ["agents"]
python = ["ogx_api.agents"]
"""

PROVIDER_INIT = "src/ogx_api/provider/__init__.py"
PROVIDER_API = "src/ogx_api/provider/api.py"
AGENTS = "src/ogx_api/agents/__init__.py"

PROVIDER_INIT_TEXT = '''"""The provider API: v1, stable."""
from ogx_api.provider.api import Provider, start, stop

__all__ = ["Provider", "start", "stop"]


def local() -> None: ...  # not in __all__: not API
'''
PROVIDER_API_TEXT = '''"""What providers implement."""


class Provider:
    def open(self, name: str, *, timeout: float = 10.0) -> None: ...

    def _reset(self) -> None: ...


def start(provider: Provider, retries: int = 3) -> bool: ...


def stop(provider: Provider) -> None: ...


def _helper() -> None: ...
'''
AGENTS_TEXT = '''"""Agents: v1alpha."""

__all__ = ["run", "Agent"]


class Agent: ...


def run(agent: Agent, prompt: str) -> str: ...


def internal() -> None: ...
'''


def start(repo: Repo, config: str = CONFIG, tag: str = "v0.1.0") -> None:
    repo.config(config)
    repo.commit("feat: the provider and agents packages", {
        "src/ogx_api/__init__.py": "",
        PROVIDER_INIT: PROVIDER_INIT_TEXT,
        PROVIDER_API: PROVIDER_API_TEXT,
        AGENTS: AGENTS_TEXT,
        "README.md": "ogx\n",
    })
    repo.tag(tag)


def without(text: str, *names: str) -> str:
    """`text` with the top-level functions `names` (and their lines) removed."""
    kept = [line for line in text.splitlines(keepends=True)
            if not any(line.startswith(f"def {name}(") for name in names)]
    return "".join(kept)
