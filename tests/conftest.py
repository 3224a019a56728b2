"""Throw-away git repositories with fixed dates, and a way to run the CLI against them."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from relmgr.cli.app import app

START = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
ALICE = ("Alice Example", "alice@example.com")
BOB = ("Bob Builder", "bob@example.com")
CAROL = ("Carol Newcomer", "carol@example.com")


class Repo:
    """A repository in a temp folder. Every commit and tag advances a fixed clock by `step`."""

    def __init__(self, path: Path, start: datetime = START, step: timedelta = timedelta(hours=1)) -> None:
        self.path = path
        self.now = start
        self.step = step
        self._counter = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", ALICE[0])
        self.git("config", "user.email", ALICE[1])
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")

    def env(self, when: datetime | None = None, author: tuple[str, str] | None = None) -> dict[str, str]:
        stamp = (when or self.now).isoformat()
        env = {
            **os.environ,
            "HOME": str(self.path.parent),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "LC_ALL": "C",
        }
        if author:
            env.update(GIT_AUTHOR_NAME=author[0], GIT_AUTHOR_EMAIL=author[1],
                       GIT_COMMITTER_NAME=author[0], GIT_COMMITTER_EMAIL=author[1])
        return env

    def git(self, *args: str, author: tuple[str, str] | None = None, input: bytes | None = None) -> str:
        proc = subprocess.run(["git", *args], cwd=self.path, env=self.env(author=author), input=input,
                              capture_output=True, check=False)
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.decode()}")
        return proc.stdout.decode().strip()

    def tick(self, step: timedelta | None = None) -> None:
        self.now += step or self.step

    def write(self, files: Mapping[str, str]) -> None:
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)

    def commit(self, message: str, files: Mapping[str, str] | Sequence[str] | None = None,
               author: tuple[str, str] | None = None, remove: Sequence[str] = ()) -> str:
        """Commit `message`; `files` maps paths to contents (a list of paths gets fresh contents)."""
        self.tick()
        self._counter += 1
        if files is None:
            files = {"notes.txt": f"change {self._counter}\n"}
        elif not isinstance(files, Mapping):
            files = {name: f"{name} change {self._counter}\n" for name in files}
        self.write(files)
        for name in remove:
            self.git("rm", "-q", name)
        if files:
            self.git("add", "--", *files)
        self.git("commit", "-q", "--allow-empty", "-F", "-", author=author, input=message.encode())
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, ref: str = "HEAD", annotated: bool = True, message: str | None = None) -> None:
        self.tick()
        if annotated:
            self.git("tag", "-a", name, ref, "-m", message or f"release {name}")
        else:
            self.git("tag", name, ref)

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("branch", name, start)

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)

    def merge(self, name: str, message: str | None = None) -> str:
        self.tick()
        self.git("merge", "-q", "--no-ff", "-m", message or f"Merge branch '{name}'", name)
        return self.head()

    def cherry_pick(self, sha: str) -> str:
        self.tick()
        self.git("cherry-pick", "-x", sha)
        return self.head()

    def config(self, text: str, name: str = "relmgr.toml") -> Path:
        """Write a config file into the work tree (not committed: relmgr reads it from disk)."""
        target = self.path / name
        target.write_text(text)
        return target


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(args: Sequence[str], repo: Repo | Path | None = None,
            env: Mapping[str, str | None] | None = None) -> Run:
    """Run relmgr in-process against `repo`, stdout and stderr kept apart."""
    where = repo.path if isinstance(repo, Repo) else repo
    full = ["--repo", str(where), *args] if where is not None else list(args)
    result = CliRunner().invoke(app, full, env={"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    yield Repo(tmp_path / "repo")


@pytest.fixture
def make_repo(tmp_path: Path) -> Iterator[Any]:
    made = 0

    def make(**kwargs: Any) -> Repo:
        nonlocal made
        made += 1
        return Repo(tmp_path / f"repo{made}", **kwargs)

    yield make
