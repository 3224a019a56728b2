"""`relmgr apis` with OpenAPI specs: each API's routes at HEAD with their levels, and the unmapped ones."""

from __future__ import annotations

from tests.conftest import Repo, run_cli
from tests.openapi_repo import CONFIG, SPEC, dump, edit, routes


def route(method: str, path: str, level: str, deprecated: bool = False) -> dict[str, object]:
    return {"method": method, "path": path, "level": level, "deprecated": deprecated}


def test_routes_and_unmapped_routes_at_head(repo: Repo) -> None:
    repo.config(CONFIG.replace('default-level = "v1"', 'default-level = "v1beta"'))
    paths = edit(routes(), deprecate=[("/v1/files/{id}", "delete")], mark={("/v1/batches/{id}", "get"): "beta"})
    repo.commit("feat: routes", {SPEC: dump(paths)})
    repo.write({SPEC: dump({})})  # the work tree does not count
    run = run_cli(["apis", "--json"], repo)
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert set(result) == {"apis", "unmapped_routes"}
    apis = {a["name"]: a for a in result["apis"]}
    assert set(apis["files"]) == {"name", "level", "paths", "scopes", "history", "routes", "python", "python_paths",
                                  "providers"}
    assert apis["files"]["routes"] == [route("DELETE", "/v1/files/{id}", "v1", deprecated=True),
                                       route("GET", "/v1/files/{id}", "v1")]
    # an explicit marker wins over the API's level
    assert apis["batches"]["routes"] == [route("DELETE", "/v1/batches/{id}", "v1alpha"),
                                         route("GET", "/v1/batches/{id}", "v1beta")]
    assert result["unmapped_routes"] == [route("GET", "/health", "v1beta")]  # at default-level

    text = run_cli(["apis"], repo).stdout
    assert "Routes at HEAD" in text and "DELETE /v1/files/{id}" in text
    assert "Routes that match no API (add them to an API's `routes`)" in text
    assert "GET /health" in text


def test_no_specs_no_commits(repo: Repo) -> None:
    repo.config(CONFIG)
    result = run_cli(["apis", "--json"], repo).json()  # no commit yet: no spec at HEAD
    assert all(a["routes"] == [] for a in result["apis"]) and result["unmapped_routes"] == []
    repo.config(CONFIG.replace(f'specs = ["{SPEC}"]', "specs = []"))
    repo.commit("feat: routes", {SPEC: dump(routes())})
    result = run_cli(["apis", "--json"], repo).json()
    assert all(a["routes"] == [] for a in result["apis"]) and result["unmapped_routes"] == []
    assert "Routes" not in run_cli(["apis"], repo).stdout


def test_an_unreadable_spec_at_head_is_a_warning(repo: Repo) -> None:
    repo.config(CONFIG)
    repo.commit("feat: oops", {SPEC: "openapi: [3"})
    run = run_cli(["apis", "--json"], repo)
    assert run.exit_code == 0
    assert run.stderr.startswith(f"relmgr: warning: HEAD:{SPEC}: not valid YAML or JSON")
    assert run.json()["unmapped_routes"] == []
