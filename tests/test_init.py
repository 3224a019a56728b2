"""`relmgr init`: detection from plain data, the written config, and what it never touches."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relmgr.config.load import parse_config
from relmgr.errors import ConfigError
from relmgr.history.git import RawTag
from relmgr.history.versions import parse_version
from relmgr.init.detect import Detected, Sources, detect
from relmgr.init.remote import https_url
from relmgr.init.render import append_table, render_config
from relmgr.init.specs import spec_candidates
from relmgr.init.tags import detect_tags
from relmgr.policy.globs import compile_globs
from relmgr.policy.levels import Level
from tests.conftest import Repo, run_cli


def tags(*names: str) -> list[RawTag]:
    """Tags of commits, one day apart in the order given."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [RawTag(name, f"{i:040x}", start + timedelta(days=i), annotated=True) for i, name in enumerate(names)]


def found(files: Sequence[str] = (), specs: Mapping[str, dict[str, Any]] | None = None,
          subjects: Sequence[str] = (), tag_names: Sequence[str] = (), remote: str | None = None) -> Detected:
    return detect(Sources(tags=tags(*tag_names), files=files, subjects=subjects, specs=specs or {}, remote=remote))


def _spec(paths: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def _op(level: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"responses": {"200": {"description": "OK"}}}
    if level is not None:
        node["x-stability-level"] = level
    return node


# -- tags -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "prefix", "style"), [
    (["v0.1.0", "v0.2.0rc1", "v0.2.0", "stable"], "v", "PEP 440 versions, e.g. v0.2.0rc1"),
    (["1.0.0", "1.1.0-rc.1", "1.1.0"], "", "SemVer versions, e.g. 1.1.0-rc.1"),
    (["release-1.0", "release-1.1", "v0.1.0"], "release-", "PEP 440 versions, e.g. release-1.1"),
    (["v1.2.3", "v1.3.0"], "v", "plain X.Y.Z versions"),
    (["v1", "docs-2024", "latest"], "v", None),  # nothing version-like: the default
    ([], "v", None),
])
def test_the_tag_prefix_is_the_most_common_one(names: list[str], prefix: str, style: str | None) -> None:
    facts = detect_tags(tags(*names))
    assert facts.prefix == prefix
    if style is None:
        assert facts.style is None
        assert facts.source.startswith("no version tags yet")
    else:
        assert facts.style is not None and facts.style.startswith(style)


def test_a_tie_prefers_v() -> None:
    assert detect_tags(tags("1.0.0", "v1.1.0")).prefix == "v"


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
    apis = found([path]).apis
    assert [(a.name, a.paths) for a in apis] == [(name, (glob,))]
    api = apis[0]
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
    assert found([path]).apis == ()


def test_test_folders_become_the_apis_tests() -> None:
    files = ["src/acme/apis/files/a.py", "tests/apis/files/test_a.py", "tests/apis/ghost/test_b.py"]
    assert [(a.name, a.tests) for a in found(files).apis] == [("files", ("tests/apis/files/**",))]


# -- specs ----------------------------------------------------------------------------------------------


def test_spec_paths_with_levels_name_apis() -> None:
    spec = _spec({"/v1alpha/files": {"get": _op(), "post": _op()}, "/v1alpha/files/{id}": {"get": _op()},
                  "/v1/models": {"get": _op()}, "/v1beta/models": {"get": _op()}, "/health": {"get": _op()},
                  "/api/v1beta2/jobs:run": {"post": _op()}, "/v1/{name}": {"get": _op()}})
    detected = found(specs={"api/openapi.yaml": spec})
    assert [(a.name, str(a.level), a.routes) for a in detected.apis] == [
        ("files", "v1alpha", ("/v1alpha/files",)),
        ("jobs", "v1beta", ("/api/v1beta2/jobs:run",)),  # `jobs` alone would not hold `jobs:run`
        ("models", "v1", ("/v1/models", "/v1beta/models")),
    ]
    assert detected.apis[2].level_source == "its operations in api/openapi.yaml"
    assert detected.apis[2].routes_source == "2 operations below /v1/models, /v1beta/models"
    assert "it serves v1 and v1beta operations" in detected.apis[2].notes[0]
    assert detected.levels_from == "path"
    assert detected.specs == ("api/openapi.yaml",)


def test_stability_markers_name_levels_and_win_over_paths() -> None:
    spec = _spec({"/things": {"get": _op("beta"), "parameters": []}, "/v1/other": {"get": _op("alpha")},
                  "/status": {"get": _op()}})
    detected = found(["src/apis/things/t.py"], {"openapi.json": spec})
    assert [(a.name, str(a.level), a.paths, a.routes) for a in detected.apis] == [
        ("other", "v1alpha", (), ("/v1/other",)),
        ("things", "v1beta", ("src/apis/things/**",), ("/things",)),
    ]
    assert detected.levels_from == "x-stability-level"
    assert detected.apis[1].found_in == ("folder src/apis/things/", "openapi.json")


@pytest.mark.parametrize(("path", "candidate"), [
    ("openapi.yaml", True), ("docs/openapi.yml", True), ("api/public-openapi.json", True),
    ("spec/billing-api-spec.yaml", True), ("swagger.json", True), ("OpenAPI.YAML", True),
    ("docs/static/ogx-spec.yaml", True), ("api.yaml", True),  # any YAML/JSON: content decides
    ("tests/fixtures/openapi.yaml", False), ("node_modules/x/openapi.json", False), ("openapi.py", False),
    ("package.json", False), (".github/workflows/ci.yml", False), ("pnpm-lock.yaml", False),
    (".pre-commit-config.yaml", False), ("ui/tsconfig.json", False),
])
def test_spec_candidates(path: str, candidate: bool) -> None:
    assert (spec_candidates([path]).read == (path,)) is candidate


# -- scopes and the remote ------------------------------------------------------------------------------


def test_scopes_match_api_names_case_insensitively() -> None:
    subjects = ["feat(Files): a", "fix(files): b", "fix(file): c", "chore(deps): d", "chore(deps): e",
                "ci(ci): once", "feat(files,Batch_Jobs): f", "fix(files,batch_jobs): g", "docs: h",
                "Merge branch 'x'"]
    files = ["src/apis/files/a.py", "src/apis/batch-jobs/b.py", "src/apis/models/c.py"]
    detected = found(files, subjects=subjects)
    scopes = {a.name: a.scopes for a in detected.apis}
    assert scopes == {"batch-jobs": ("batch-jobs",), "files": ("files", "file"), "models": ("models",)}
    by_name = {a.name: a for a in detected.apis}
    assert by_name["files"].scope_source == "scopes in your commit history: files 4×, file 1×"
    assert by_name["models"].scope_source.startswith("the API's name")
    assert detected.lint_scopes == ("deps",)


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
    detected = found(["src/apis/files/a.py", "src/apis/models/m.py"], {"openapi.yaml": spec},
                     ["chore(deps): a"] * 2, ["v0.1.0"], "git@github.com:acme/widgets.git")
    text = render_config(detected)
    config = _config(text)
    assert config.repo_url == "https://github.com/acme/widgets"
    assert [(a.name, str(a.level), a.routes) for a in config.apis] == [
        ("files", "v1alpha", ("/v1alpha/files",)), ("models", "v1alpha", ())]
    assert config.openapi.specs == ("openapi.yaml",)
    assert config.lint.scopes == ("deps",)
    assert "# check: level not detected; a new API starts at v1alpha" in text
    assert "# check: level from its operations in openapi.yaml" in text
    for line in text.splitlines():  # every value line follows a comment that says where it came from
        if "=" in line and not line.startswith("#"):
            previous = text.splitlines()[text.splitlines().index(line) - 1]
            assert previous.startswith("#"), line


def test_without_anything_to_detect_the_config_still_loads() -> None:
    text = render_config(found())
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
    table = render_config(found(["src/apis/files/a.py"]))
    result = append_table(existing, table, "pyproject.toml")
    assert result.startswith(existing)
    if "\r\n" in existing:
        assert "\n" not in result.replace("\r\n", "")
    document = tomllib.loads(result)
    assert [a.name for a in parse_config(document["tool"]["relmgr"]).apis] == ["files"]


def test_appending_refuses_a_pyproject_it_would_change() -> None:
    table = render_config(found())
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
    acme.commit("docs: a broken spec", {"docs/openapi.yaml": "openapi: 3.0.3\npaths: [unclosed\n",
                                        "docs/notes.json": "{not json"})
    result = run_cli(["init", "--print"], acme)
    assert result.exit_code == 0
    assert "relmgr: warning: skipped docs/openapi.yaml: not valid YAML or JSON" in result.stderr
    assert "notes.json" not in result.stderr + result.stdout  # no `openapi:` key: not a spec, nothing to say
    assert "#   docs/openapi.yaml: 0 operations, skipped: not valid YAML or JSON" in result.stdout
    assert _config(result.stdout).openapi.specs == ("openapi.yaml",)


# -- specs by content, surfaces and copies --------------------------------------------------------------


@pytest.mark.parametrize(("text", "spec"), [
    (b"openapi: 3.1.0\ninfo: {}\n", True),
    (b"# generated\n'swagger': '2.0'\n", True),
    (b'\xef\xbb\xbf{\n  "openapi": "3.0.0", "paths": {}}', True),
    (b"name: ci\njobs:\n  openapi: {runs-on: x}\n", False),  # a nested key is no top-level one
    (b'{"name": "ogx-ui"}', False),
    (b"", False),
])
def test_a_spec_is_known_by_its_openapi_key(text: bytes, spec: bool) -> None:
    from relmgr.init.specs import looks_like_openapi

    assert looks_like_openapi(text) is spec


@pytest.mark.parametrize(("path", "stem"), [
    ("docs/static/ogx-spec.yaml", ("docs/static", "ogx-spec")),
    ("docs/static/experimental-ogx-spec.yaml", ("docs/static", "ogx-spec")),
    ("docs/static/deprecated-ogx-spec.yaml", ("docs/static", "ogx-spec")),
    ("api/openapi-v1alpha.json", ("api", "openapi")),
    ("api/stable_openapi.v1.yaml", ("api", "openapi")),
    ("docs/static/stainless-ogx-spec.yaml", ("docs/static", "stainless-ogx-spec")),  # no lifecycle word
    ("beta.yaml", ("", "beta")),  # nothing left to strip to: the name stays
])
def test_a_surface_is_one_stem_in_one_folder(path: str, stem: tuple[str, str]) -> None:
    from relmgr.init.specs import surface_stem

    assert surface_stem(path) == stem


def _doc(*paths: str) -> dict[str, Any]:
    return _spec({path: {"get": _op()} for path in paths})


def test_the_source_of_truth_wins_over_copies() -> None:
    from relmgr.init.specs import Candidates, choose_specs

    stable, experimental = _doc("/v1/a", "/v1/b"), _doc("/v1alpha/c")
    documents = {"docs/static/x-spec.yaml": stable, "docs/static/experimental-x-spec.yaml": experimental,
                 "docs/static/combined-x.yaml": _doc("/v1/a", "/v1/b", "/v1alpha/c"),
                 "clients/python/openapi.json": _doc("/v1/a"),
                 "docs/old.yaml": _doc("/v1/zzz")}
    choice = choose_specs(documents, {"docs/broken.yaml": "not valid YAML"}, Candidates(tuple(documents), 9))
    assert choice.chosen == ("docs/old.yaml", "docs/static/experimental-x-spec.yaml", "docs/static/x-spec.yaml")
    roles = {f.path: f.role for f in choice.files}
    assert roles["docs/static/combined-x.yaml"].startswith("copy of docs/static/experimental-x-spec.yaml, "
                                                          "docs/static/x-spec.yaml")
    assert roles["clients/python/openapi.json"] == ("copy of docs/static/x-spec.yaml (below clients/, an SDK or "
                                                    "generated folder)")
    assert roles["docs/static/x-spec.yaml"] == "source, one surface with experimental-x-spec.yaml"
    assert roles["docs/old.yaml"] == "source"
    assert roles["docs/broken.yaml"] == "skipped: not valid YAML"
    assert choice.capped is not None and choice.capped.startswith("read 5 of 9 YAML/JSON files")


def test_of_two_equal_specs_the_deeper_one_is_the_copy_and_a_lone_sdk_copy_stays() -> None:
    from relmgr.init.specs import Candidates, choose_specs

    equal = {"openapi.yaml": _doc("/v1/a"), "docs/api/openapi.yaml": _doc("/v1/a")}
    assert choose_specs(equal, {}, Candidates(tuple(equal), 2)).chosen == ("openapi.yaml",)
    alone = {"sdk/openapi.yml": _doc("/v1/a")}
    choice = choose_specs(alone, {}, Candidates(tuple(alone), 1))
    assert choice.chosen == ("sdk/openapi.yml",)
    assert choice.files[0].role == ("check: copy (below sdk/, an SDK or generated folder), kept: no other spec is "
                                    "committed")


# -- APIs from code folders, not URL segments ------------------------------------------------------------


def _tagged(path: str, tag: str | None = None, operation_id: str | None = None) -> dict[str, Any]:
    node = _op()
    if tag:
        node["tags"] = [tag]
    if operation_id:
        node["operationId"] = operation_id
    return {"post": node}


def test_a_folder_claims_its_operations_by_tag_then_operation_id_then_path() -> None:
    spec = _spec({
        "/v1/chat/completions": _tagged("/v1/chat/completions", "Inference"),
        "/v1/embeddings": _tagged("/v1/embeddings", "Inference"),
        "/v1alpha/inference/rerank": _tagged("/v1alpha/inference/rerank", "Inference"),
        "/v1/vector_stores": _tagged("/v1/vector_stores", "VectorIO"),
        "/v1/uploads": _tagged("/v1/uploads", None, "files.upload"),
        "/v1/models": _tagged("/v1/models"),
        "/v1/chat/sessions": _tagged("/v1/chat/sessions"),  # no tag, no folder: a URL-segment API
    })
    files = ["src/ogx_api/inference/api.py", "src/ogx_api/vector_io/api.py", "src/ogx_api/files/api.py",
             "src/ogx_api/models/api.py"]
    apis = {a.name: a for a in found(files, {"docs/static/ogx-spec.yaml": spec}).apis}
    assert sorted(apis) == ["chat", "files", "inference", "models", "vector_io"]
    assert apis["inference"].routes == ("/v1/chat/completions", "/v1/embeddings", "/v1alpha/inference")
    assert str(apis["inference"].level) == "v1"
    assert apis["inference"].routes_source == "3 operations tagged Inference"
    assert apis["vector_io"].routes == ("/v1/vector_stores",)
    assert apis["files"].routes_source == "1 operation whose operationId starts with files"
    assert apis["models"].routes_source == "1 operation whose path names models"
    assert apis["chat"].paths == () and apis["chat"].routes == ("/v1/chat/sessions",)


def test_an_exact_name_beats_a_plural_and_snake_case_ids_name_nothing() -> None:
    spec = _spec({"/v1/providers": _tagged("/v1/providers", "Providers", "list_providers_v1_providers_get")})
    apis = {a.name: a for a in found(["a_api/provider/x.py", "a_api/providers/x.py"], {"o.yaml": spec}).apis}
    assert apis["providers"].routes == ("/v1/providers",)
    assert apis["provider"].routes == ()


@pytest.mark.parametrize("path", [
    "src/ogx_ui/app/api/v1/[...path]/route.ts",  # a Next.js proxy of the API
    "src/ogx_ui/app/api/auth/[...nextauth]/route.ts",
    "web/src/api/users/client.ts",
    "frontend/api/files/x.ts",
    "app/api/files/route.ts",  # Next.js' app router, at the root
    "pages/api/files.ts",
    "src/api/[files]/x.py", "src/api/(group)/x.py", "src/api/$id/x.ts",
])
def test_web_apps_and_bracketed_folders_are_no_apis(path: str) -> None:
    assert found([path]).apis == ()


def test_a_module_file_is_an_api_when_routes_name_it() -> None:
    files = ["src/acme_api/files.py", "src/acme_api/files/store.py", "src/acme_api/jobs.py", "src/acme_api/utils.py",
             "src/acme_api/router_utils.py", "src/acme_api/version.py", "src/acme_api/inspect_api.py"]
    spec = _spec({"/v1/jobs": _tagged("/v1/jobs", "Jobs"), "/v1/files": _tagged("/v1/files", "Files"),
                  "/v1/version": _tagged("/v1/version"), "/v1/inspect": _tagged("/v1/inspect", "Inspect")})
    apis = {a.name: a for a in found(files, {"openapi.yaml": spec}).apis}
    assert sorted(apis) == ["files", "inspect", "jobs", "version"]
    assert apis["version"].paths == ()  # a URL-segment API: version.py is plumbing, not its code
    assert apis["inspect"].paths == ("src/acme_api/inspect_api.py",)
    assert apis["files"].paths == ("src/acme_api/files/**", "src/acme_api/files.py")
    assert apis["jobs"].paths == ("src/acme_api/jobs.py",)
    assert apis["jobs"].found_in == ("module src/acme_api/jobs.py", "openapi.yaml")
    assert [a.name for a in found(files).apis] == ["files"]  # without routes a lone module is no API


def test_ui_folders_are_named_in_a_comment() -> None:
    detected = found(["src/ogx_ui/app/api/v1/[...path]/route.ts", "src/ogx_ui/app/api/auth/[...x]/route.ts"])
    assert detected.notes == ("src/ogx_ui/app/api/: below ogx_ui/, a web app, not an API",)


def test_shared_datatypes_are_apis_only_when_routes_name_them() -> None:
    files = ["src/acme_api/types/a.py", "src/acme_api/schemas/b.py", "src/acme_api/models/c.py"]
    spec = _spec({"/v1/schemas": _tagged("/v1/schemas"), "/v1/models": _tagged("/v1/models")})
    detected = found(files, {"openapi.yaml": spec})
    assert [a.name for a in detected.apis] == ["models", "schemas"]
    assert detected.notes == ("src/acme_api/types/: shared datatypes (no spec route is named after it), not an API",)
    assert [a.name for a in found(files).apis] == ["models"]  # no spec: no route names types or schemas


def test_generated_globs_are_escaped() -> None:
    api = found(["src/[legacy]/acme_api/files/a.py"]).apis[0]
    assert api.paths == ("src/[[]legacy]/acme_api/files/**",)
    rx = compile_globs(api.paths)
    assert rx is not None and rx.match("src/[legacy]/acme_api/files/a.py") and not rx.match("src/l/acme_api/files/a")


def test_routes_are_the_shortest_prefixes_no_other_api_shares() -> None:
    from relmgr.init.routes import route_globs

    every = ["/v1/chat/completions", "/v1/chat/completions/{id}", "/v1/chat/sessions", "/v1/files", "/v1/x[y]"]
    assert route_globs(["/v1/chat/completions", "/v1/chat/completions/{id}"], every) == ("/v1/chat/completions",)
    assert route_globs(["/v1/files"], every) == ("/v1/files",)
    assert route_globs(["/v1/x[y]"], every) == ("/v1/x[[]y]/",)
    assert route_globs(["/v1/chat/sessions"], ["/v1/chat/sessions"]) == ("/v1/chat",)
    # another API lives below: that path only, its last character in a class, and its own paths below kept
    nested = ["/v1/b", "/v1/b/{id}", "/v1/b/{id}/jobs", "/v1/b/{id}/runs"]
    assert route_globs(["/v1/b", "/v1/b/{id}"], nested) == ("/v1/[b]", "/v1/b/{id[}]")
    rx = compile_globs(route_globs(["/v1/b", "/v1/b/{id}"], nested))
    assert rx is not None and [bool(rx.match(p.lstrip("/"))) for p in nested] == [True, True, False, False]


# -- levels and scopes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "text", "level"), [
    ("__init__.py", '"""Files.\n\nThis API is stable: it breaks only in a minor release."""\n', "v1"),
    ("__init__.py", '"""Provider API (v1-stable)."""\n', "v1"),
    ("__init__.py", '__stability__ = "beta"\n', "v1beta"),
    ("__init__.py", 'STABILITY: Final = "v1alpha"\n', "v1alpha"),
    ("README.md", "# Jobs\n\n**Stability**: experimental\n", "v1alpha"),
    ("pyproject.toml", 'classifiers = ["Development Status :: 5 - Production/Stable"]\n', "v1"),
    ("doc.go", "// Package jobs serves jobs.\n//\n// Stability: beta\npackage jobs\n", "v1beta"),
    ("__init__.py", '"""The sort order is stable."""\n', None),  # not about the API
    ("__init__.py", '"""This API is not stable yet."""\n', None),
    ("__init__.py", '"""An unstable API."""\n', None),
    ("__init__.py", '"""The API is stable. The module is experimental."""\n', None),  # they disagree
    ("__init__.py", 'x = "stable"\n', None),
])
def test_a_package_may_state_its_level(path: str, text: str, level: str | None) -> None:
    from relmgr.init.stability import marked_level

    marked = marked_level([(f"src/acme/api/jobs/{path}", text)])
    assert (str(marked.level) if marked else None) == level


def test_project_documents_may_state_a_packages_level() -> None:
    from relmgr.init.stability import documented_level

    doc = ("| Provider SDK | `acme_api.provider` | a single level for the whole surface | `v1` |\n"
           "| datatypes | `acme_api.types` | per type | mixed |\n"
           "`acme_api.providers` serves /v1/providers/{id} and is experimental\n"
           "`from acme_api.jobs.models import X` is v1alpha\n"  # a sub-module, not the package
           "src/acme_api/files is v1beta, no, v1\n")
    docs = [("docs/api_leveling.md", doc)]
    level = {name: documented_level(docs, f"src/acme_api/{name}") for name in
             ("provider", "types", "providers", "jobs", "files", "models")}
    assert {name: str(m.level) if m else None for name, m in level.items()} == {
        "provider": "v1", "types": None, "providers": "v1alpha", "jobs": None, "files": None, "models": None}
    assert documented_level([*docs, ("docs/b.md", "acme_api.provider: v1beta\n")], "src/acme_api/provider") is None


def test_doc_files_are_the_ones_about_levels() -> None:
    from relmgr.init.folders import doc_files

    files = ["README.md", "docs/concepts/apis/api_leveling.mdx", "docs/guides/quickstart.md", "docs/policy.rst",
             "node_modules/x/STABILITY.md", "tests/compat.md", "CHANGELOG.md", "docs/deprecation.md"]
    assert doc_files(files) == ["docs/deprecation.md", "docs/policy.rst", "docs/concepts/apis/api_leveling.mdx",
                                "README.md"]


def test_a_stated_level_is_read_from_the_api_folder() -> None:
    detected = detect(Sources(files=["src/acme_api/jobs/__init__.py", "src/acme_api/jobs/api.py"],
                              texts={"src/acme_api/jobs/__init__.py": '"""This API is stable."""\n'}))
    assert [(a.name, str(a.level)) for a in detected.apis] == [("jobs", "v1")]
    assert detected.apis[0].level_source == "'API is stable' in src/acme_api/jobs/__init__.py"


def test_a_scope_that_names_two_apis_goes_to_the_exact_one() -> None:
    detected = found(["a_api/provider/x.py", "a_api/providers/y.py"],
                     subjects=["fix(provider): a", "fix(provider): b", "feat(file): c"])
    apis = {a.name: a for a in detected.apis}
    assert apis["provider"].scopes == ("provider",)
    assert apis["providers"].scopes == ("providers",)
    assert apis["providers"].notes == ("scope 'provider' (2×) also looks like this API's; it goes to provider, "
                                       "which it names exactly (one API per scope)",)


# -- tests and history -----------------------------------------------------------------------------------


def test_tests_come_from_folders_and_files_named_after_the_api() -> None:
    from relmgr.init.folders import find_tests

    files = ["tests/integration/inference/test_a.py", "tests/integration/inference/deep/test_b.py",
             "tests/unit/providers/inference/test_c.py", "tests/unit/test_inference_store.py",
             "tests/unit/test_scoring.py", "tests/unit/test_scoring_functions.py", "src/inference/test_x.py"]
    tests = find_tests(files, ["inference", "scoring", "scoring_functions", "providers"])
    assert tests["inference"].globs == ("tests/integration/inference/**", "tests/unit/test_inference*.py")
    assert tests["scoring"].globs == ("tests/unit/test_scoring.py",)  # test_scoring*.py would take the other's
    assert tests["scoring_functions"].globs == ("tests/unit/test_scoring_functions*.py",)
    assert tests["providers"].globs == ("tests/unit/providers/**",)
    assert tests["inference"].source == "tests/integration/inference/ and 1 test_inference*.py file"


def _past(tag: str, *paths: str) -> Any:
    from relmgr.init.history import PastSurface
    from relmgr.init.routes import spec_ops

    version = parse_version(tag[1:])
    assert version is not None
    return PastSurface(tag, version, tuple(spec_ops(_doc(*paths))) if paths else None)


def test_history_follows_the_levels_at_release_tags() -> None:
    past = [_past("v0.1.0", "/v1alpha/jobs"), _past("v0.1.1", "/v1alpha/jobs"), _past("v0.2.0", "/v1beta/jobs"),
            _past("v0.3.0"), _past("v0.4.0", "/v1/jobs")]
    detected = detect(Sources(files=["src/acme_api/jobs/x.py"], specs={"openapi.yaml": _doc("/v1/jobs")},
                              tags=tags("v0.1.0", "v0.1.1", "v0.2.0", "v0.3.0", "v0.4.0"), past=past))
    jobs = detected.apis[0]
    assert [(h.until, str(h.level), h.comment) for h in jobs.history] == [
        ("0.2.0", "v1alpha", "v0.1.1 serves it at v1alpha, v0.2.0 at v1beta"),
        ("0.4.0", "v1beta", "v0.2.0 serves it at v1beta, v0.4.0 at v1"),  # v0.3.0 had no spec: no evidence
    ]
    assert jobs.routes == ("/v1/jobs", "/v1alpha/jobs", "/v1beta/jobs")
    config = _config(render_config(detected))
    assert [(str(h.until), str(h.level)) for h in config.apis[0].history] == [("0.2.0", "v1alpha"),
                                                                            ("0.4.0", "v1beta")]


def test_a_move_at_head_runs_until_the_next_release() -> None:
    past = [_past("v0.1.0", "/v1alpha/jobs")]
    detected = detect(Sources(files=["src/acme_api/jobs/x.py"], specs={"openapi.yaml": _doc("/v1beta/jobs")},
                              tags=tags("v0.1.0"), past=past))
    (entry,) = detected.apis[0].history
    assert (entry.until, str(entry.level), entry.check) == ("0.1.1", "v1alpha", True)
    assert entry.comment.startswith("check: v0.1.0 serves it at v1alpha, HEAD at v1beta")


# -- marker tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "ignore", "style"), [
    (["v0.8.0rc1", "v0.8.0", "v0.8.1-dev", "v0.9.0rc1", "v0.9.0", "v0.10.0-dev"], (r"-dev(?:\.\d+)?$",),
     "PEP 440 versions, e.g. v0.9.0rc1"),
    (["v1.0.0", "v1.1.0.dev0"], (r"\.dev\d*$",), "plain X.Y.Z versions (the dev markers left out)"),
    (["v1.0.0", "v1.1.0-dev.1", "v1.1.0-rc.1"], (r"-dev(?:\.\d+)?$",), "SemVer versions, e.g. v1.1.0-rc.1"),
    (["v1.0.0.dev1", "v1.0.0.dev2", "v1.0.0"], (), "PEP 440 versions, e.g. v1.0.0.dev2"),  # dev builds, no markers
    (["v1.0.0", "v1.1.0.dev1", "v1.1.0.dev2"], (), "PEP 440 versions, e.g. v1.1.0.dev2"),  # nightlies of 1.1.0
    (["v1.0.0", "v1.3.0-dev"], (), "SemVer versions, e.g. v1.3.0-dev"),  # not the next release of 1.0.0
])
def test_dev_markers_after_a_final_are_ignored(names: list[str], ignore: tuple[str, ...], style: str) -> None:
    facts = detect_tags(tags(*names))
    assert facts.ignore == ignore
    assert facts.style is not None and facts.style.startswith(style)


def test_a_marker_may_be_older_than_its_final() -> None:
    # a lightweight tag on main's head dates from that commit, maybe before the release branch's tag
    listed = tags("v0.8.1-dev", "v0.8.0")
    facts = detect_tags(listed)
    assert facts.ignore == (r"-dev(?:\.\d+)?$",)
    assert [tag for tag, _ in facts.finals] == ["v0.8.0"]


# -- the parsers never raise, whatever a repository holds ------------------------------------------------


@given(st.text(alphabet=st.sampled_from("abx-_.v1"), min_size=1, max_size=20))
def test_a_surface_stem_is_stable(name: str) -> None:
    from relmgr.init.specs import surface_stem

    folder, stem = surface_stem(f"docs/{name}.yaml")
    assert folder == "docs" and stem
    assert surface_stem(f"docs/{stem}.yaml") == ("docs", stem)


@given(st.text(max_size=200), st.sampled_from(["__init__.py", "README.md", "pyproject.toml", "doc.go"]))
def test_stated_levels_never_raise(text: str, name: str) -> None:
    from relmgr.init.stability import marked_level

    marked_level([(f"src/a_api/x/{name}", text)])


@given(st.binary(max_size=300))
def test_sniffing_never_raises(data: bytes) -> None:
    from relmgr.init.specs import looks_like_openapi

    assert looks_like_openapi(data) in (True, False)


def test_past_candidates_are_todays_specs_then_spec_like_files() -> None:
    from relmgr.init.specs import past_candidates

    added = ["docs/static/ogx-spec.yaml", "docs/_static/llama-stack-spec.yaml", "docs/static/notes.yaml",
             "deploy/values.yaml", "tests/recordings/openapi.json", "src/app/config.yaml", "api/openapi.json"]
    assert past_candidates(added, ["docs/static/ogx-spec.yaml"]) == [
        "docs/static/ogx-spec.yaml", "api/openapi.json", "docs/_static/llama-stack-spec.yaml",
        "docs/static/notes.yaml"]
    assert past_candidates(added, ["docs/static/ogx-spec.yaml"], limit=2) == ["docs/static/ogx-spec.yaml",
                                                                               "api/openapi.json"]
