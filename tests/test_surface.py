"""The pure parts of OpenAPI-aware releases: explicit levels, routes → APIs, attribution, route moves."""

from __future__ import annotations

from relmgr.config.load import parse_config
from relmgr.history.versions import parse_version
from relmgr.policy.apis import Registry
from relmgr.policy.levels import Level, Stage
from relmgr.spec import Operation, Severity, SpecChange, diff_specs, operations
from relmgr.spec.policy import Culprit, attribute
from relmgr.spec.surface import deprecated_routes, placements, route_changes, routes_by_api
from tests.spec_builders import doc, op, param

CONFIG = parse_config({
    "apis": {
        "inference": {"level": "v1", "routes": ["/v1/chat/**", "/v1/completions"],
                      "history": [{"until": "0.3.0", "level": "v1beta"}]},
        "files": {"level": "v1alpha", "routes": ["v1/files/*"]},  # a pattern without its leading `/`
        "everything": {"level": "v1beta", "routes": ["/v1/files/**"]},
    }
})
REGISTRY = Registry(CONFIG.apis)
V1, BETA, ALPHA = Level.parse("v1"), Level.parse("v1beta"), Level.parse("v1alpha")


def test_explicit_levels_are_marked() -> None:
    spec = doc({"/a": {"get": op(**{"x-stability-level": "beta"}), "put": op(),
                       "post": op(**{"x-stability-level": 3})},
                "/v1alpha/b": {"get": op()}, "/c": {"get": op()}})
    found = {(o.method, o.path): (o.level, o.explicit) for o in operations(spec)}
    assert found[("GET", "/a")] == ("v1beta", True)
    assert found[("PUT", "/a")] == ("v1", False)
    assert found[("POST", "/a")] == ("v1", False)  # an unreadable marker: the default, not the spec's word
    by_path = {(o.method, o.path): (o.level, o.explicit) for o in operations(spec, levels_from="path")}
    assert by_path[("GET", "/v1alpha/b")] == ("v1alpha", True)
    assert by_path[("GET", "/c")] == ("v1", False)
    revision = doc({"/a": {"get": op(**{"x-stability-level": "beta"}, params=[param("q", required=True)]),
                           "put": op(params=[param("q", required=True)])}})
    changes = {c.method: c.explicit for c in diff_specs(spec, revision, min_stage=Stage.ALPHA)
               if c.path == "/a" and c.id == "new-required-request-parameter"}
    assert changes == {"GET": True, "PUT": False}


def test_routes_match_by_glob_on_the_path() -> None:
    assert REGISTRY.by_route("/v1/chat/completions") == ("inference",)
    assert REGISTRY.by_route("/v1/completions") == ("inference",)
    assert REGISTRY.by_route("/v1/completions/{id}") == ("inference",)  # no wildcard: the subtree
    assert REGISTRY.by_route("/v1/chat") == ()  # `**` below chat, not chat itself
    assert REGISTRY.by_route("/v1/files/{id}") == ("everything", "files")  # every API that claims it, by name
    assert REGISTRY.by_route("/v1/files/{id}/content") == ("everything",)
    assert REGISTRY.by_route("/health") == ()


def test_placements_level_precedence() -> None:
    at_0_2 = parse_version("0.2.0")
    # an explicit marker wins
    assert placements("/v1/chat/x", "v1alpha", True, REGISTRY, at_0_2, V1) == [("inference", ALPHA)]
    # else the API's level at the version
    assert placements("/v1/chat/x", "v1", False, REGISTRY, at_0_2, V1) == [("inference", BETA)]
    assert placements("/v1/chat/x", "v1", False, REGISTRY, None, V1) == [("inference", V1)]
    # else default-level
    assert placements("/health", "v1", False, REGISTRY, None, BETA) == [(None, BETA)]
    assert placements("/health", "v1alpha", True, REGISTRY, None, BETA) == [(None, ALPHA)]


def ops(*specs: tuple[str, str, bool]) -> list[Operation]:
    return [Operation(method, path, "v1", deprecated, None) for method, path, deprecated in specs]


def test_route_changes_ignore_renamed_parameters_and_other_apis() -> None:
    before = ops(("GET", "/v1/chat/{id}", False), ("POST", "/v1/chat/old", False), ("GET", "/health", False))
    after = ops(("GET", "/v1/chat/{chatId}", False), ("GET", "/v1/chat/new", False), ("GET", "/other", False))
    moved = route_changes("v0.3.0", before, after, "inference", REGISTRY)
    assert (moved.tag, moved.added, moved.removed) == ("v0.3.0", ("GET /v1/chat/new",), ("POST /v1/chat/old",))


def test_deprecated_routes_and_listing() -> None:
    found = ops(("GET", "/v1/chat/a", True), ("GET", "/v1/chat/b", False), ("GET", "/health", True))
    assert deprecated_routes(found, "inference", REGISTRY) == ("GET /v1/chat/a",)
    mapped, unmapped = routes_by_api(found, REGISTRY, BETA)
    assert [r.name for r in mapped["inference"]] == ["GET /v1/chat/a", "GET /v1/chat/b"]
    assert mapped["files"] == [] and mapped["everything"] == []
    assert [(r.name, r.level, r.deprecated) for r in unmapped] == [("GET /health", BETA, True)]


def change(rule: str, method: str = "GET", path: str = "/a", message: str = "m") -> SpecChange:
    return SpecChange(rule, Severity.ERR, method, path, "v1", message)


def test_attribution_prefers_the_closest_match() -> None:
    one, two, three = (Culprit(sha, sha, None, declared=False) for sha in ("1" * 40, "2" * 40, "3" * 40))
    release = [
        change("request-property-type-changed", message="x"),
        change("request-property-type-changed", message="other wording"),
        change("api-path-removed-without-deprecation", path="/pets/{id}"),
        change("response-success-status-removed"),
    ]
    commits = [
        (one, [change("request-property-type-changed", message="x")]),
        (two, [change("request-property-type-changed", message="y"),
               change("api-removed-with-deprecation", path="/pets/{petId}")]),
        (three, [change("endpoint-added")]),
    ]
    assert attribute(release, commits) == [(one,), (one, two), (two,), ()]


def test_diff_limited_to_some_paths() -> None:
    base = doc({"/a/{id}": {"get": op()}, "/b": {"get": op()}, "/c": {"get": op()}})
    revision = doc({"/a/{key}": {"get": op(params=[param("q", required=True)])}, "/b": {"get": op(deprecated=True)}})
    every = diff_specs(base, revision)
    assert {c.path for c in every} == {"/a/{id}", "/b", "/c"}
    some = diff_specs(base, revision, only_paths=["/a/{x}", "/c"])  # parameter names aside
    assert [(c.id, c.path) for c in some] == [("new-required-request-parameter", "/a/{id}"),
                                              ("api-path-removed-without-deprecation", "/c")]
