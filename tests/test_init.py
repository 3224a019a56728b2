"""`relmgr init`: detection from plain data, the written config, and what it never touches."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from relmgr.config.load import parse_config
from relmgr.errors import ConfigError
from relmgr.init.detect import detect, detect_tags, https_url, spec_candidates
from relmgr.init.render import append_table, render_config
from relmgr.policy.levels import Level
from tests.conftest import Repo, run_cli


def _spec(paths: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def _op(level: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"responses": {"200": {"description": "OK"}}}
    if level is not None:
        node["x-stability-level"] = level
    return node


# -- tags -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tags", "prefix", "style"), [
    (["v0.1.0", "v0.2.0rc1", "v0.2.0", "stable"], "v", "PEP 440 versions, e.g. v0.2.0rc1"),
    (["1.0.0", "1.1.0-rc.1", "1.1.0"], "", "SemVer versions, e.g. 1.1.0-rc.1"),
    (["release-1.0", "release-1.1", "v0.1.0"], "release-", "PEP 440 versions, e.g. release-1.1"),
    (["v1.2.3", "v1.3.0"], "v", "plain X.Y.Z versions"),
    (["v1", "docs-2024", "latest"], "v", None),  # nothing version-like: the default
    ([], "v", None),
])
def test_the_tag_prefix_is_the_most_common_one(tags: list[str], prefix: str, style: str | None) -> None:
    found = detect_tags(tags)
    assert found.prefix == prefix
    if style is None:
        assert found.style is None
        assert found.source.startswith("no version tags yet")
    else:
        assert found.style is not None and found.style.startswith(style)


def test_a_tie_prefers_v() -> None:
    assert detect_tags(["1.0.0", "v1.1.0"]).prefix == "v"


# -- folders --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "name", "glob", "level"), [
    ("src/acme/apis/files/routes.py", "files", "src/acme/apis/files/**", None),
    ("pkg/api/models/model.go", "models", "pkg/api/models/**", None),
    ("billing_api/invoices/views.py", "invoices", "billing_api/invoices/**", None),
    ("api/users/handler.ts", "users", "api/users/**", None),
    ("pkg/api/v1alpha/widgets/w.go", "widgets", "pkg/api/v1alpha/widgets/**", "v1alpha"),
    ("src/api/v2beta1/jobs/j.py", "jobs", "src/api/v2beta1/jobs/**", "v2beta"),
])
def test_folders_named_like_apis_are_apis(path: str, name: str, glob: str, level: str | None) -> None:
    found = detect([], [path], [], {}, None)
    assert [(a.name, a.paths) for a in found.apis] == [(name, (glob,))]
    api = found.apis[0]
    if level is None:
        assert api.level == Level.parse("v1alpha")
        assert api.level_source is None
    else:
        assert api.level == Level.parse(level)
        assert api.level_source == f"folder {glob[:-2]}"


@pytest.mark.parametrize("path", [
    "src/api/__pycache__/x.pyc", "src/apis/_internal/x.py", "src/api/common/x.py", "docs/api/files/index.md",
    "src/api/files.py", "src/apis/v1/x.py", "node_modules/x/api/files/a.js", "_api/files/x.py",
])
def test_other_folders_are_not_apis(path: str) -> None:
    assert detect([], [path], [], {}, None).apis == ()


def test_test_folders_become_the_apis_tests() -> None:
    files = ["src/acme/apis/files/a.py", "tests/apis/files/test_a.py", "tests/apis/ghost/test_b.py"]
    found = detect([], files, [], {}, None)
    assert [(a.name, a.tests) for a in found.apis] == [("files", ("tests/apis/files/**",))]


# -- specs ----------------------------------------------------------------------------------------------


def test_spec_paths_with_levels_name_apis() -> None:
    spec = _spec({"/v1alpha/files": {"get": _op(), "post": _op()}, "/v1alpha/files/{id}": {"get": _op()},
                  "/v1/models": {"get": _op()}, "/v1beta/models": {"get": _op()}, "/health": {"get": _op()},
                  "/api/v1beta2/jobs:run": {"post": _op()}, "/v1/{name}": {"get": _op()}})
    found = detect([], [], [], {"api/openapi.yaml": spec}, None)
    assert [(a.name, str(a.level), a.routes) for a in found.apis] == [
        ("files", "v1alpha", ("/v1alpha/files",)),
        ("jobs", "v1beta", ("/api/v1beta2/jobs",)),
        ("models", "v1", ("/v1/models", "/v1beta/models")),
    ]
    assert found.apis[2].level_source == "api/openapi.yaml (also served at v1beta)"
    assert found.levels_from == "path"
    assert found.specs == ("api/openapi.yaml",)


def test_stability_markers_name_levels_and_win_over_paths() -> None:
    spec = _spec({"/things": {"get": _op("beta"), "parameters": []}, "/v1/other": {"get": _op("alpha")},
                  "/status": {"get": _op()}})
    found = detect([], ["src/apis/things/t.py"], [], {"openapi.json": spec}, None)
    assert [(a.name, str(a.level), a.paths, a.routes) for a in found.apis] == [
        ("other", "v1alpha", (), ("/v1/other",)),
        ("things", "v1beta", ("src/apis/things/**",), ("/things",)),
    ]
    assert found.levels_from == "x-stability-level"
    assert found.apis[1].found_in == ("folder src/apis/things/", "openapi.json")


@pytest.mark.parametrize(("path", "candidate"), [
    ("openapi.yaml", True), ("docs/openapi.yml", True), ("api/public-openapi.json", True),
    ("spec/billing-api-spec.yaml", True), ("swagger.json", True), ("OpenAPI.YAML", True),
    ("tests/fixtures/openapi.yaml", False), ("node_modules/x/openapi.json", False), ("openapi.py", False),
    ("api.yaml", False),
])
def test_spec_candidates(path: str, candidate: bool) -> None:
    assert (spec_candidates([path]) == [path]) is candidate


# -- scopes and the remote ------------------------------------------------------------------------------


def test_scopes_match_api_names_case_insensitively() -> None:
    subjects = ["feat(Files): a", "fix(files): b", "fix(file): c", "chore(deps): d", "chore(deps): e",
                "ci(ci): once", "feat(files,Batch_Jobs): f", "fix(files,batch_jobs): g", "docs: h",
                "Merge branch 'x'"]
    files = ["src/apis/files/a.py", "src/apis/batch-jobs/b.py", "src/apis/models/c.py"]
    found = detect([], files, subjects, {}, None)
    scopes = {a.name: a.scopes for a in found.apis}
    assert scopes == {"batch-jobs": ("batch-jobs",), "files": ("files", "file"), "models": ("models",)}
    by_name = {a.name: a for a in found.apis}
    assert by_name["files"].scope_source == "scopes in your commit history: files 4×, file 1×"
    assert by_name["models"].scope_source.startswith("the API's name")
    assert found.lint_scopes == ("deps",)


@pytest.mark.parametrize(("remote", "url"), [
    ("git@github.com:acme/widgets.git", "https://github.com/acme/widgets"),
    ("https://github.com/acme/widgets.git", "https://github.com/acme/widgets"),
    ("https://token@github.com/acme/widgets", "https://github.com/acme/widgets"),
    ("ssh://git@gitlab.com/group/sub/project.git", "https://gitlab.com/group/sub/project"),
    ("https://gitlab.com/group/project/", "https://gitlab.com/group/project"),
    ("git@bitbucket.org:acme/widgets.git", None),
    ("/srv/git/widgets.git", None),
])
def test_remote_urls_become_https_links(remote: str, url: str | None) -> None:
    assert https_url(remote) == url


# -- rendering ------------------------------------------------------------------------------------------


def _config(text: str) -> Any:
    return parse_config(tomllib.loads(text)["tool"]["relmgr"])


def test_the_rendered_config_is_valid_and_commented() -> None:
    spec = _spec({"/v1alpha/files": {"get": _op("alpha")}})
    found = detect(["v0.1.0"], ["src/apis/files/a.py", "src/apis/models/m.py"], ["chore(deps): a"] * 2,
                   {"openapi.yaml": spec}, "git@github.com:acme/widgets.git")
    text = render_config(found)
    config = _config(text)
    assert config.repo_url == "https://github.com/acme/widgets"
    assert [(a.name, str(a.level), a.routes) for a in config.apis] == [
        ("files", "v1alpha", ("/v1alpha/files",)), ("models", "v1alpha", ())]
    assert config.openapi.specs == ("openapi.yaml",)
    assert config.lint.scopes == ("deps",)
    assert "# check: level not detected; a new API starts at v1alpha" in text
    assert "# check: level from openapi.yaml" in text
    for line in text.splitlines():  # every value line follows a comment that says where it came from
        if "=" in line and not line.startswith("#"):
            previous = text.splitlines()[text.splitlines().index(line) - 1]
            assert previous.startswith("#"), line


def test_without_anything_to_detect_the_config_still_loads() -> None:
    text = render_config(detect([], [], [], {}, None))
    config = _config(text)
    assert config.apis == () and config.tag_prefix == "v" and config.repo_url is None
    assert "# check: no API found" in text
    assert '# repo-url = "https://github.com/OWNER/REPO"' in text


@pytest.mark.parametrize("existing", [
    '[project]\nname = "x"  # keep me\n\n[tool.ruff]\nline-length = 100\n',
    '[project]\r\nname = "x"\r\n',
    '[project]\nname = "x"',  # no final newline
    "",
])
def test_appending_keeps_every_existing_byte(existing: str) -> None:
    table = render_config(detect([], ["src/apis/files/a.py"], [], {}, None))
    result = append_table(existing, table, "pyproject.toml")
    assert result.startswith(existing)
    if "\r\n" in existing:
        assert "\n" not in result.replace("\r\n", "")
    document = tomllib.loads(result)
    assert [a.name for a in parse_config(document["tool"]["relmgr"]).apis] == ["files"]


def test_appending_refuses_a_pyproject_it_would_change() -> None:
    table = render_config(detect([], [], [], {}, None))
    with pytest.raises(ConfigError, match="not valid TOML"):
        append_table("[project\n", table, "pyproject.toml")
    with pytest.raises(ConfigError, match="breaks it"):
        append_table("tool = { ruff = {} }\n", table, "pyproject.toml")


# -- the command ----------------------------------------------------------------------------------------

SPEC = """openapi: 3.0.3
info: {title: Acme, version: '1'}
paths:
  /v1alpha/files:
    post: {responses: {'200': {description: OK}}}
  /v1alpha/files/{file_id}:
    get: {responses: {'200': {description: OK}}}
  /v1beta/batches:
    post: {responses: {'200': {description: OK}}}
"""

PYPROJECT = """[build-system]
requires = ["setuptools>=68"]   # keep this comment

[project]
name   = "acme"
version = "0.2.0"

[tool.ruff]
line-length = 100
"""


@pytest.fixture
def acme(repo: Repo) -> Repo:
    repo.commit("feat(files): upload files (#1)", {"src/acme/apis/files/upload.py": "x", "openapi.yaml": SPEC,
                                                     "src/acme/apis/batches/submit.py": "y"})
    repo.tag("v0.1.0")
    repo.commit("feat(Files)!: upload sessions (#2)", {"src/acme/apis/files/upload.py": "z"})
    repo.commit("chore(deps): bump (#3)", {"requirements.txt": "a"})
    repo.commit("chore(deps): bump again (#4)", {"requirements.txt": "b"})
    return repo


def test_init_appends_to_pyproject_and_check_accepts_it(acme: Repo) -> None:
    pyproject = acme.path / "pyproject.toml"
    pyproject.write_text(PYPROJECT)
    result = run_cli(["init"], acme)
    assert result.exit_code == 0, result.stderr
    assert "relmgr: appended [tool.relmgr] to pyproject.toml (batches v1beta, files v1alpha)" in result.stdout
    assert "Check by hand in pyproject.toml:" in result.stdout
    text = pyproject.read_text()
    assert text.startswith(PYPROJECT + "\n# relmgr's configuration")
    assert not (acme.path / "relmgr.toml").exists()
    apis = run_cli(["apis", "--json"], acme)
    assert apis.exit_code == 0, apis.stderr
    assert [(a["name"], a["level"], a["paths"], a["scopes"]) for a in apis.json()["apis"]] == [
        ("batches", "v1beta", ["src/acme/apis/batches/**"], ["batches"]),
        ("files", "v1alpha", ["src/acme/apis/files/**"], ["files"]),
    ]
    check = run_cli(["check", "--stream", "z", "--json"], acme)
    assert check.exit_code == 0, check.stdout + check.stderr
    assert check.json()["ok"] is True
    assert run_cli(["lint", "--range", "v0.1.0..HEAD"], acme).exit_code == 0


def test_init_writes_relmgr_toml_without_a_pyproject(acme: Repo) -> None:
    result = run_cli(["init"], acme)
    assert result.exit_code == 0, result.stderr
    text = (acme.path / "relmgr.toml").read_text()
    assert text.startswith("# relmgr's configuration, written by `relmgr init`")
    assert run_cli(["apis", "--json"], acme).exit_code == 0
    assert run_cli(["check", "--stream", "y"], acme).exit_code == 0


def test_print_writes_nothing(acme: Repo) -> None:
    result = run_cli(["init", "--print"], acme)
    assert result.exit_code == 0
    assert [a.name for a in _config(result.stdout).apis] == ["batches", "files"]
    assert "Check by hand in the printed config:" in result.stderr
    assert sorted(p.name for p in acme.path.iterdir()) == [".git", "openapi.yaml", "requirements.txt", "src"]


@pytest.mark.parametrize(("name", "text", "reason"), [
    ("relmgr.toml", "tag-prefix = 'v'\n", "relmgr.toml already exists"),
    ("pyproject.toml", "[project]\nname = 'x'\n\n[tool.relmgr]\ntag-prefix = 'v'\n",
     "pyproject.toml already has a [tool.relmgr] table"),
])
def test_an_existing_config_is_never_overwritten(acme: Repo, name: str, text: str, reason: str) -> None:
    (acme.path / name).write_text(text)
    result = run_cli(["init"], acme)
    assert result.exit_code == 2
    assert reason in result.stderr and "never overwrites" in result.stderr
    assert (acme.path / name).read_text() == text
    printed = run_cli(["init", "--print"], acme)
    assert printed.exit_code == 0
    assert f"{reason}: printing what init would write" in printed.stderr
    assert (acme.path / name).read_text() == text


def test_a_broken_pyproject_is_a_config_error(acme: Repo) -> None:
    (acme.path / "pyproject.toml").write_text("[project\n")
    result = run_cli(["init"], acme)
    assert result.exit_code == 3
    assert "pyproject.toml is not valid TOML" in result.stderr


def test_init_reads_the_remote_and_an_empty_repository(repo: Repo) -> None:
    repo.git("remote", "add", "origin", "git@github.com:acme/widgets.git")
    result = run_cli(["init", "--print"], repo)
    assert result.exit_code == 0
    assert _config(result.stdout).repo_url == "https://github.com/acme/widgets"
    assert "# check: no API found" in result.stdout


def test_init_takes_no_config_option(acme: Repo) -> None:
    result = run_cli(["--config", str(acme.path / "x.toml"), "init"], acme)
    assert result.exit_code == 2
    assert "drop --config" in result.stderr
    assert not (acme.path / "x.toml").exists()


def test_a_spec_that_does_not_load_is_skipped_with_a_warning(acme: Repo) -> None:
    acme.commit("docs: a broken spec", {"docs/openapi.json": "{not json"})
    result = run_cli(["init", "--print"], acme)
    assert result.exit_code == 0
    assert "relmgr: warning: skipped docs/openapi.json: not valid YAML or JSON" in result.stderr
    assert _config(result.stdout).openapi.specs == ("openapi.yaml",)
