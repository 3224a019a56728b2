"""No input makes relmgr hang: YAML alias bombs, catastrophic user regexes (issue 16, item 4).

Commands run as their own processes with a timeout, so that a hang fails the test instead of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from relmgr.config.patterns import compile_user_regex
from relmgr.errors import ConfigError, SpecError
from relmgr.spec.load import check_size, load_spec
from tests.conftest import Repo, run_cli


def relmgr(repo: Repo, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "relmgr", "--repo", str(repo.path), *args], capture_output=True,
                          text=True, timeout=timeout, check=False, env={**os.environ, "NO_COLOR": "1"})


def bomb(levels: int = 8, width: int = 8) -> str:
    """`levels` levels of `width` aliases each: a few hundred bytes, width**levels nodes expanded."""
    lines = ["  a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines)


def bomb_spec(levels: int = 8) -> str:
    return f"""openapi: 3.0.0
info: {{title: t, version: "1"}}
paths:
  /v1/files:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                x-bomb:
{bomb(levels).replace("  a", "                  a")}
"""


def test_an_alias_bomb_is_refused_at_load(repo: Repo) -> None:
    repo.config('[openapi]\nspecs = ["openapi.yaml"]\n[apis.files]\nlevel = "v1"\nroutes = ["/v1/files"]\n')
    repo.commit("feat: spec", {"openapi.yaml": bomb_spec(2)})
    repo.tag("v0.1.0")
    repo.commit("fix(files): grow the schema", {"openapi.yaml": bomb_spec(8)})
    run = relmgr(repo, "check", "--stream", "z")
    assert run.returncode == 5, run.stderr
    assert run.stderr.count("\n") == 1
    assert "openapi.yaml: the document has more than 1,000,000 nodes once its YAML aliases are expanded" in run.stderr
    spec_diff = relmgr(repo, "spec-diff", "v0.1.0:openapi.yaml", "HEAD:openapi.yaml")
    assert spec_diff.returncode == 5 and "1,000,000 nodes" in spec_diff.stderr


def test_aliases_count_at_each_use_and_cost_one_visit() -> None:
    document = load_spec(bomb_spec(4), "small.yaml")  # 8**4 = 4,096 leaves: well inside the budget
    assert check_size(document, "small.yaml") > 8**4
    with pytest.raises(SpecError, match="more than 4,000 nodes"):
        check_size(document, "small.yaml", budget=4000)
    looped = load_spec("openapi: 3.0.0\npaths: {}\nx-loop: &a [*a, *a]\n", "loop.yaml")  # a cycle counts once
    assert check_size(looped, "loop.yaml") == 6


def test_an_invalid_sunset_date_is_a_finding_not_a_crash(tmp_path: os.PathLike[str]) -> None:
    from pathlib import Path

    folder = Path(tmp_path)
    op = "    get:\n      deprecated: true\n      x-sunset: {sunset}\n      responses: {{'200': {{description: ok}}}}\n"
    (folder / "a.yaml").write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n"
                                   + op.format(sunset="2025-13-45") + "  /v1/b:\n" + op.format(sunset="2025-02-30"))
    (folder / "b.yaml").write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    run = run_cli(["spec-diff", str(folder / "a.yaml"), str(folder / "b.yaml"), "--json"])
    assert run.exit_code == 0, run.stderr
    ids = {change["id"] for change in run.json()["changes"]}
    assert "api-path-sunset-parse" in ids  # the rule for a sunset that is not a date


def test_a_catastrophic_ignore_tags_regex_is_a_config_error_not_a_hang(repo: Repo) -> None:
    repo.config('ignore-tags = ["(a+)+$"]\n')
    sha = repo.commit("feat: one")
    repo.tag("v1.0.0")
    long_tag = "v1.0.0-" + "a" * 1000 + "!"  # too long for a loose ref file: packed, as a fetch would
    with (repo.path / ".git" / "packed-refs").open("a") as packed:
        packed.write(f"{sha} refs/tags/{long_tag}\n")
    run = relmgr(repo, "releases", timeout=30)
    assert run.returncode == 3, run.stderr
    assert run.stderr.count("\n") == 1
    assert "ignore-tags: '(a+)+$' took more than 0.25 s on 'v1.0.0-aaaa" in run.stderr


def test_user_regexes_compile_with_the_key_named() -> None:
    with pytest.raises(ConfigError, match=r"relmgr.toml: ignore-tags: '\(' is not a valid regex"):
        compile_user_regex("(", "relmgr.toml: ignore-tags")
    pattern = compile_user_regex(r"-dev(\.\d+)?$", "ignore-tags")
    assert pattern.search("v0.5.0-dev.3") and not pattern.search("v0.5.0")
