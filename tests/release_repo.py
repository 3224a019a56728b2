"""Helpers for `relmgr release` tests: a project with version files, a clocked run, a snapshot of the repo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Repo, Run, run_cli

CONFIG = """
[tool.relmgr]
changelog = "CHANGELOG.md"
version-files = ["pyproject.toml:project.version", "src/widgets/__init__.py:__version__"]

[tool.relmgr.apis.files]
level = "v1beta"
scopes = ["files"]
"""
PYPROJECT = """\
# widgets: the build configuration
[project]
name = "widgets"
version = "0.0.0"  # written by `relmgr release`
dependencies = [
    "httpx",  # the client
]
"""
INIT = '"""Widgets."""\n\n__version__: str = "0.0.0"\n\n\ndef version() -> str:\n    return __version__\n'
CHANGELOG = "# Changelog\n\nAll notable changes to widgets.\n"
JSON_KEYS = {"version", "tag", "previous", "stream", "files", "commit", "ok", "violations", "dry_run", "forced"}
FILES = ["CHANGELOG.md", "pyproject.toml", "src/widgets/__init__.py"]


def project(repo: Repo, config: str = CONFIG, changelog: bool = True) -> Repo:
    """A repository with the version files (and a changelog) committed and relmgr.toml on disk (untracked)."""
    repo.config(config)
    files = {"pyproject.toml": PYPROJECT, "src/widgets/__init__.py": INIT}
    if changelog:
        files["CHANGELOG.md"] = CHANGELOG
    repo.commit("build: project files", files)
    return repo


def relmgr(repo: Repo, *args: str, env: dict[str, str | None] | None = None) -> Run:
    """Run relmgr with the repository's clock (commits and tags it makes get the next fixed date) and HOME."""
    repo.tick()
    stamp = repo.now.isoformat()
    fixed = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "HOME": str(repo.path.parent),
             "GIT_CONFIG_NOSYSTEM": "1"}
    return run_cli(list(args), repo, env={**fixed, **(env or {})})


def release_json(repo: Repo, *args: str) -> dict[str, Any]:
    run = relmgr(repo, "release", "--json", *args)
    assert run.exit_code == 0, run.stderr
    document: dict[str, Any] = run.json()
    assert set(document) == JSON_KEYS
    return document


def snapshot(repo: Repo) -> dict[str, Any]:
    """What "the repository exactly as it was" means: status, HEAD, every ref, the index and every file's bytes."""
    files = {
        str(path.relative_to(repo.path)): path.read_bytes()
        for path in sorted(repo.path.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(repo.path).parts
    }
    return {
        "status": repo.git("status", "--porcelain", "--untracked-files=all"),
        "head": repo.git("rev-parse", "--symbolic-full-name", "HEAD") + " " + repo.head(),
        "refs": repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
        "index": repo.git("ls-files", "--stage"),
        "files": files,
    }


def tag_message(repo: Repo, tag: str) -> str:
    """The annotated tag's message (git's headers cut)."""
    raw = repo.git("cat-file", "tag", tag)
    return raw.split("\n\n", 1)[1]


def committed_files(repo: Repo, ref: str = "HEAD") -> list[str]:
    return sorted(repo.git("show", "--name-only", "--format=", ref).splitlines())


def read(repo: Repo, path: str) -> str:
    return Path(repo.path, path).read_text()
