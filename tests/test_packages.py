"""Several packages in one repository: lockstep (one version, one tag, every file) and independent releases
(each package its own tags, commits and files), with a package.json and a requirement pin."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo, run_cli

PYPROJECT = """[project]
name = "ogx"
version = "0.1.0"
dependencies = [
    "httpx>=0.27",
    "ogx-client==0.1.0",  # the Python client, released with the server
]
"""
PACKAGE_JSON = '{\n  "name": "@ogx/client",\n  "version": "0.1.0",\n  "private": false\n}\n'
CLIENT_PYPROJECT = '[project]\nname = "ogx-client"\nversion = "0.1.0"\n'

LOCKSTEP = """
[tool.relmgr]
changelog = "CHANGELOG.md"
version-files = ["pyproject.toml:project.version"]

[tool.relmgr.apis.inference]
level = "v1"
paths = ["src/ogx/inference/**"]
scopes = ["inference"]

[tool.relmgr.packages.server]
paths = ["src/**", "pyproject.toml"]
apis = ["inference"]

[tool.relmgr.packages.client]
paths = ["clients/**"]
apis = []
changelog = "clients/CHANGELOG.md"
version-files = ["clients/ts/package.json:version", "clients/python/pyproject.toml:project.version",
                 "pyproject.toml:project.dependencies[ogx-client]"]
"""
INDEPENDENT = LOCKSTEP.replace("[tool.relmgr.packages.client]\n",
                               '[tool.relmgr.packages.client]\ntag-prefix = "client-v"\n')


def start(repo: Repo, config: str) -> None:
    repo.config(config)
    repo.commit("feat: the server and its clients", {
        "pyproject.toml": PYPROJECT, "src/ogx/inference/api.py": "def chat(): ...\n",
        "clients/ts/package.json": PACKAGE_JSON, "clients/python/pyproject.toml": CLIENT_PYPROJECT,
        "README.md": "ogx\n",
    })
    repo.tag("v0.1.0")


def cli(repo: Repo, *args: str, code: int = 0) -> Any:
    run = run_cli(list(args), repo)
    assert run.exit_code == code, run.stdout + run.stderr
    return run


def files_at(repo: Repo, ref: str = "HEAD") -> list[str]:
    return repo.git("show", "--name-only", "--format=", ref).splitlines()


# -- lockstep ----------------------------------------------------------------------------------------------


def test_lockstep_is_one_version_one_tag_and_every_version_file_in_one_commit(repo: Repo) -> None:
    start(repo, LOCKSTEP)
    repo.commit("feat(inference): streaming", {"src/ogx/inference/api.py": "def chat(stream=False): ...\n"})
    repo.commit("fix: the TS client's retries", {"clients/ts/index.ts": "export const retries = 3\n"})
    assert cli(repo, "next-version").stdout == "0.2.0\n"
    done = cli(repo, "release", "--json").json()
    assert (done["tag"], done["version"], done["ok"]) == ("v0.2.0", "0.2.0", True)
    assert done["files"] == ["CHANGELOG.md", "clients/CHANGELOG.md", "pyproject.toml", "clients/ts/package.json",
                             "clients/python/pyproject.toml"]
    assert sorted(files_at(repo)) == sorted(done["files"])
    assert repo.git("log", "-1", "--format=%s") == "chore(release): 0.2.0"
    assert repo.git("tag", "--points-at", "HEAD") == "v0.2.0"
    pyproject = (repo.path / "pyproject.toml").read_text()
    assert pyproject == PYPROJECT.replace('version = "0.1.0"', 'version = "0.2.0"').replace(
        "ogx-client==0.1.0", "ogx-client==0.2.0")
    assert (repo.path / "clients/ts/package.json").read_text() == PACKAGE_JSON.replace("0.1.0", "0.2.0")
    assert tomllib.loads((repo.path / "clients/python/pyproject.toml").read_text())["project"]["version"] == "0.2.0"
    both = (repo.path / "CHANGELOG.md").read_text()
    assert "streaming" in both and "retries" in both
    client = (repo.path / "clients/CHANGELOG.md").read_text()
    assert "retries" in client and "streaming" not in client  # a package's changelog: its own commits


def test_lockstep_notes_of_one_package_and_refusals(repo: Repo) -> None:
    start(repo, LOCKSTEP)
    repo.commit("feat(inference): streaming", {"src/ogx/inference/api.py": "def chat(stream=False): ...\n"})
    repo.commit("fix: the TS client's retries", {"clients/ts/index.ts": "export const retries = 3\n"})
    notes = cli(repo, "notes", "--package", "client").stdout
    assert notes.startswith("## 0.2.0") and "retries" in notes and "streaming" not in notes
    refused = cli(repo, "next-version", "--package", "client", code=2)
    assert "release in lockstep, one version and one tag for all" in refused.stderr
    assert "no such package" in cli(repo, "notes", "--package", "clients", code=2).stderr
    assert "did you mean 'client'" in cli(repo, "notes", "--package", "clients", code=2).stderr


def test_a_package_tagged_with_the_repositorys_prefix_is_still_lockstep(repo: Repo) -> None:
    start(repo, LOCKSTEP.replace("[tool.relmgr.packages.client]\n",
                                 '[tool.relmgr.packages.client]\ntag-prefix = "v"\n'))
    repo.commit("fix: the TS client's retries", {"clients/ts/index.ts": "export const retries = 3\n"})
    assert cli(repo, "next-version").stdout == "0.1.1\n"  # no --package needed: one version for all


def test_without_packages_the_options_are_usage_errors(repo: Repo) -> None:
    start(repo, "[tool.relmgr]\n")
    run = cli(repo, "releases", "--package", "client", code=2)
    assert "need [tool.relmgr.packages.<name>] tables" in run.stderr


# -- independent -------------------------------------------------------------------------------------------


def independent(repo: Repo) -> None:
    start(repo, INDEPENDENT)
    repo.tag("client-v0.1.0")
    repo.commit("feat(inference): streaming", {"src/ogx/inference/api.py": "def chat(stream=False): ...\n"})
    repo.commit("fix: the TS client's retries", {"clients/ts/index.ts": "export const retries = 3\n"})


def test_independent_packages_each_have_their_own_version(repo: Repo) -> None:
    independent(repo)
    assert "pass --package NAME or --all-packages" in cli(repo, "next-version", code=2).stderr
    assert cli(repo, "next-version", "--package", "server").stdout == "0.2.0\n"
    assert cli(repo, "next-version", "--package", "client", "--tag").stdout == "client-v0.1.1\n"
    assert cli(repo, "next-version", "--all-packages").stdout == "client 0.1.1\nserver 0.2.0\n"
    document = cli(repo, "next-version", "--all-packages", "--json").json()
    assert [(d["package"], d["current"], d["next"]) for d in document["packages"]] == [
        ("client", "0.1.0", "0.1.1"), ("server", "0.1.0", "0.2.0")]
    releases = cli(repo, "releases", "--package", "client", "--json").json()
    assert [r["tag"] for r in releases["releases"]] == ["client-v0.1.0"] and releases["skipped"] == []
    assert releases["package"] == "client"


def test_an_independent_release_writes_only_its_files_and_its_tag(repo: Repo) -> None:
    independent(repo)
    done = cli(repo, "release", "--package", "client", "--json").json()
    assert (done["tag"], done["previous"], done["stream"], done["package"]) == ("client-v0.1.1", "client-v0.1.0",
                                                                                 "z", "client")
    assert sorted(files_at(repo)) == sorted(["clients/CHANGELOG.md", "clients/ts/package.json",
                                             "clients/python/pyproject.toml", "pyproject.toml"])
    assert repo.git("log", "-1", "--format=%s") == "chore(release): client@0.1.1"
    assert json.loads((repo.path / "clients/ts/package.json").read_text())["version"] == "0.1.1"
    pyproject = tomllib.loads((repo.path / "pyproject.toml").read_text())["project"]
    assert pyproject["version"] == "0.1.0"  # the server's own version is the server's
    assert "ogx-client==0.1.1" in pyproject["dependencies"]  # the pin follows the client
    changelog = (repo.path / "clients/CHANGELOG.md").read_text()
    assert changelog.splitlines()[0].startswith("## 0.1.1") or "## 0.1.1" in changelog
    assert "retries" in changelog and "streaming" not in changelog
    # the server then releases from its own last release: its feature, not the client's release commit
    server = cli(repo, "release", "--package", "server", "--json").json()
    assert (server["tag"], server["previous"], server["stream"]) == ("v0.2.0", "v0.1.0", "y")
    assert repo.git("log", "-1", "--format=%s") == "chore(release): server@0.2.0"
    assert tomllib.loads((repo.path / "pyproject.toml").read_text())["project"]["version"] == "0.2.0"
    notes = cli(repo, "notes", "v0.2.0", "--package", "server").stdout
    assert "streaming" in notes and "retries" not in notes and "chore(release)" not in notes
    listed = cli(repo, "releases", "--all-packages", "--json").json()["packages"]
    assert {d["package"]: [r["tag"] for r in d["releases"]] for d in listed} == {
        "client": ["client-v0.1.0", "client-v0.1.1"], "server": ["v0.1.0", "v0.2.0"]}


def test_release_all_packages_gates_every_package_before_writing_any(repo: Repo) -> None:
    start(repo, INDEPENDENT + '\n[tool.relmgr.policy]\nrequire-approval = ["v1"]\n')
    repo.tag("client-v0.1.0")
    repo.commit("feat(inference): streaming", {"src/ogx/inference/api.py": "def chat(stream=False): ...\n"})
    repo.commit("fix!: the TS client drops retries (#7)", {"clients/ts/index.ts": "export {}\n"})
    blocked = cli(repo, "release", "--all-packages", code=1)
    assert "client-v0.2.0 not released: 1 policy violation" in blocked.stderr
    assert repo.git("tag", "--list") == "client-v0.1.0\nv0.1.0"  # the server was not released either
    assert repo.git("log", "-1", "--format=%s") == "fix!: the TS client drops retries (#7)"
    done = cli(repo, "release", "--all-packages", "--approved", "7", "--json").json()
    assert done["ok"] is True
    assert [(d["package"], d["tag"], d["previous"]) for d in done["packages"]] == [
        ("client", "client-v0.2.0", "client-v0.1.0"), ("server", "v0.2.0", "v0.1.0")]
    assert set(repo.git("tag", "--list").splitlines()) == {"client-v0.1.0", "client-v0.2.0", "v0.1.0", "v0.2.0"}
    subjects = repo.git("log", "-2", "--format=%s").splitlines()
    assert subjects == ["chore(release): server@0.2.0", "chore(release): client@0.2.0"]
    pyproject = tomllib.loads((repo.path / "pyproject.toml").read_text())["project"]
    # both edits of the one file landed: the server's version and the client's pin
    assert pyproject["version"] == "0.2.0" and "ogx-client==0.2.0" in pyproject["dependencies"]


def test_a_package_is_checked_against_its_own_previous_release(repo: Repo) -> None:
    independent(repo)
    cli(repo, "release", "--package", "client")
    sha = repo.commit("fix(inference)!: chat takes a model\n\nBREAKING CHANGE: pass model=.",
                      {"src/ogx/inference/api.py": "def chat(model, stream=False): ...\n"})
    server = cli(repo, "check", "--package", "server", "--stream", "z", "--json", code=1).json()
    assert server["package"] == "server" and server["release"]["previous"] == "v0.1.0"
    assert [(v["sha"], v["api"], v["rule"]) for v in server["violations"]] == [
        (sha, "inference", "break-in-forbidden-stream")]
    client = cli(repo, "check", "--package", "client", "--stream", "z", "--json").json()
    assert client["release"]["previous"] == "client-v0.1.1" and client["violations"] == []
    every = cli(repo, "check", "--all-packages", "--stream", "z", "--json", code=1).json()
    assert every["ok"] is False and [d["package"] for d in every["packages"]] == ["client", "server"]
    text = cli(repo, "check", "--all-packages", "--stream", "z", code=1).stdout
    assert "relmgr check --package client --stream z" in text and "relmgr check --package server --stream z" in text


def test_a_commit_belongs_to_the_packages_whose_paths_it_touches(repo: Repo) -> None:
    independent(repo)
    repo.commit("feat: both at once", {"src/ogx/util.py": "x = 1\n", "clients/ts/util.ts": "export const x = 1\n"})
    repo.commit("docs: the readme", {"README.md": "ogx, the stack\n"})  # neither package's
    server = cli(repo, "notes", "--package", "server").stdout
    client = cli(repo, "notes", "--package", "client").stdout
    assert "both at once" in server and "both at once" in client
    assert "the readme" not in server and "the readme" not in client
    assert cli(repo, "next-version", "--package", "client").stdout == "0.2.0\n"


def test_all_packages_notes_go_through_the_template(repo: Repo, tmp_path: Path) -> None:
    independent(repo)
    template = tmp_path / "short.md.j2"
    template.write_text("## {{ version }}: {{ sections | map(attribute='entries') | map('length') | sum }} entries\n")
    assert cli(repo, "notes", "--all-packages", "--template", str(template)).stdout == (
        "## 0.1.1: 1 entries\n\n## 0.2.0: 1 entries\n")
    built_in = cli(repo, "notes", "--all-packages").stdout
    assert built_in.startswith("## 0.1.1 - ") and "\n\n## 0.2.0 - " in built_in


@pytest.mark.parametrize(("config", "problem"), [
    (INDEPENDENT.replace("[tool.relmgr.packages.server]\n", '[tool.relmgr.packages.server]\ntag-prefix = "client-v"\n'),
     "server.tag-prefix: 'client-v' is also client's tag prefix"),
    (LOCKSTEP.replace('apis = []', 'apis = ["inferense"]'), "no API named 'inferense'; did you mean 'inference'?"),
    (LOCKSTEP.replace('changelog = "clients/CHANGELOG.md"', 'changelg = "x"'),
     "unknown key; did you mean 'changelog'?"),
    (LOCKSTEP.replace('"clients/ts/package.json:version"', '"clients/ts/package.json"'), "must be FILE:KEY"),
])
def test_package_config_errors(repo: Repo, config: str, problem: str) -> None:
    start(repo, config)
    run = cli(repo, "releases", code=3)
    assert "tool.relmgr.packages." in run.stderr and problem in run.stderr
