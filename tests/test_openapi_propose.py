"""`relmgr propose` with OpenAPI specs: the surface-settled and no-deprecated-routes criteria get real values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import Repo, run_cli
from tests.openapi_repo import SPEC, dump, edit, routes

CONFIG = f"""
[tool.relmgr.openapi]
specs = ["{SPEC}"]

[tool.relmgr.apis.files]
level = "v1beta"
scopes = ["files"]
routes = ["/v1/files/**"]
history = [{{ until = "0.2.0", level = "v1alpha" }}]

[tool.relmgr.apis.batches]
level = "v1alpha"
scopes = ["batches"]
routes = ["/v1/batches"]  # no wildcard: the path and everything below it

[tool.relmgr.apis.legacy]
level = "v1alpha"
scopes = ["legacy"]
"""
MONTH = timedelta(days=30)
NEW_ROUTE = {"get": {"responses": {"200": {"description": "OK"}}}}


def criteria(repo: Repo, api: str) -> dict[str, tuple[bool | None, str]]:
    run = run_cli(["propose", api, "--json", "--today", "2024-12-01"], repo)
    assert run.exit_code == 0, run.stderr
    proposal: dict[str, Any] = run.json()["proposals"][0]
    return {c["name"]: (c["met"], c["evidence"]) for c in proposal["criteria"]}


def settled_history(repo: Repo) -> dict[str, Any]:
    """files reaches v1beta at 0.2.0; 0.2 and 0.3 change no files route (batches gets one in 0.3)."""
    repo.config(CONFIG)
    paths = routes()
    repo.commit("feat(files): the first routes", {SPEC: dump(paths)})
    repo.tag("v0.1.0")
    repo.tick(MONTH)
    repo.commit("feat(files): faster uploads", {"src/files.py": "1"})
    repo.tag("v0.2.0")
    repo.tick(MONTH)
    paths = {**paths, "/v1/batches": NEW_ROUTE}
    repo.commit("feat(batches): list batches", {SPEC: dump(paths)})
    repo.tag("v0.3.0")
    return paths


def test_surface_settled_when_no_route_moved(repo: Repo) -> None:
    settled_history(repo)
    found = criteria(repo, "files")
    assert found["surface-settled"] == (
        True, "no route added or removed in the last 2 minor releases (0.2, 0.3)")
    assert found["no-deprecated-routes"] == (True, "no deprecated route of files at HEAD")
    # batches gained a route in 0.3: its own surface moved
    assert criteria(repo, "batches")["surface-settled"] == (False, "v0.3.0 added GET /v1/batches")


def test_a_route_added_in_the_last_minor_release_unsettles_the_surface(repo: Repo) -> None:
    paths = settled_history(repo)
    repo.tick(MONTH)
    repo.commit("feat(files): file contents", {SPEC: dump({**paths, "/v1/files/{id}/content": NEW_ROUTE,
                                                            "/v1/things": NEW_ROUTE})})
    repo.tag("v0.4.0")
    assert criteria(repo, "files")["surface-settled"] == (False, "v0.4.0 added GET /v1/files/{id}/content")


def test_a_route_removed_in_a_patch_of_the_last_minor_counts(repo: Repo) -> None:
    paths = settled_history(repo)
    repo.commit("fix(files)!: drop delete", {SPEC: dump(edit(paths, drop=[("/v1/files/{id}", "delete")]))})
    repo.tag("v0.3.1")
    assert criteria(repo, "files")["surface-settled"] == (False, "v0.3.1 removed DELETE /v1/files/{id}")


def test_a_deprecated_route_at_head_fails_the_criterion(repo: Repo) -> None:
    paths = settled_history(repo)
    repo.commit("feat(files): deprecate delete", {SPEC: dump(edit(paths, deprecate=[("/v1/files/{id}", "delete")]))})
    found = criteria(repo, "files")
    assert found["no-deprecated-routes"] == (False, "1 deprecated route still served: DELETE /v1/files/{id}")
    assert found["surface-settled"][0] is True  # deprecating is no move
    # the work tree does not count: only what is committed at HEAD
    (repo.path / SPEC).write_text(dump(paths))
    assert criteria(repo, "files")["no-deprecated-routes"][0] is False


def test_without_routes_or_specs_the_criteria_stay_unknown(repo: Repo) -> None:
    settled_history(repo)
    unknown = (None, "unknown: needs [tool.relmgr.openapi] specs and the API's `routes`")
    assert criteria(repo, "legacy")["surface-settled"] == unknown
    repo.config(CONFIG.replace(f'specs = ["{SPEC}"]', "specs = []"))
    found = criteria(repo, "files")
    assert found["surface-settled"] == unknown and found["no-deprecated-routes"] == unknown
