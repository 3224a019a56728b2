"""Without yaml-rs (a platform with no wheel, a distribution that leaves it out) relmgr reads every spec with
PyYAML's C loader and gives the same answers: the fast parser is a speed-up, never a requirement."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from relmgr.spec import fastyaml
from relmgr.spec.load import load_spec
from tests.conftest import Repo, run_cli
from tests.openapi_repo import CONFIG, SPEC, dump, edit, routes


@pytest.fixture
def without_yaml_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastyaml, "yaml_rs", None)  # what the guarded import leaves when the wheel is missing


def _history(repo: Repo) -> None:
    repo.config(CONFIG)
    repo.commit("feat(files): spec", {SPEC: dump(routes())})
    repo.tag("v1.0.0")
    repo.commit("feat(files): require a mode", {SPEC: dump(edit(routes(), require=[("/v1/files/{id}", "get")]))})
    repo.tag("v1.1.0")


def test_without_it_the_c_loader_reads_every_document(without_yaml_rs: None) -> None:
    text = dump(routes())
    assert not fastyaml.available() and fastyaml.load(text) is None
    assert load_spec(text, "x") == yaml.safe_load(text)
    # what yaml-rs would refuse still gets PyYAML's error, naming the file
    with pytest.raises(Exception, match="x: not valid YAML or JSON"):
        load_spec("openapi: 3.0.0\npaths: [unclosed\n", "x")


def _check(repo: Repo) -> tuple[int, Any]:
    run = run_cli(["check", "--tag", "v1.1.0", "--json"], repo, env={"RELMGR_NO_CACHE": "1"})
    return run.exit_code, run.json()


def test_check_gives_the_same_answer_with_and_without_it(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    _history(repo)
    if fastyaml.available():
        assert fastyaml.load(dump(routes())) is not None  # so the first run did read with yaml-rs
    fast = _check(repo)
    assert fast[1]["warnings"]  # the required parameter: an undeclared break of a v1 API
    monkeypatch.setattr(fastyaml, "yaml_rs", None)
    assert _check(repo) == fast
