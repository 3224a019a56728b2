"""The real project's split specs (OGX, formerly llama-stack): `../shared/realworld/ogx/<commit>/`, else the copy
in `tests/fixtures/ogx/` (CI has no `/work/shared`). Parsed once per test run."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from relmgr.spec import load_spec
from relmgr.spec.compose import Part, Surface, compose

_REPO = Path(__file__).resolve().parents[1]
FILES = ("llama-stack-spec.yaml", "experimental-llama-stack-spec.yaml", "deprecated-llama-stack-spec.yaml")
DEPRECATE_BEFORE, DEPRECATE_AFTER = "618c03405", "89807dc11"  # feat(api)!: deprecate toolgroup and tool_runtime
PROMOTE_BEFORE, PROMOTE_AFTER = "1a4abface", "e63d2a052"  # feat: promote connector API from v1alpha to v1beta


def fixtures() -> Path:
    """The shared folder when this checkout sits beside it (also from a worktree one level deeper), else the copy."""
    for parent in _REPO.parents[:2]:
        shared = parent / "shared/realworld/ogx"
        if (shared / DEPRECATE_BEFORE / FILES[0]).exists():
            return shared
    return _REPO / "tests/fixtures/ogx"


def path(commit: str, name: str) -> Path:
    return fixtures() / commit / name


@cache
def document(commit: str, name: str) -> Any:
    return load_spec(path(commit, name).read_bytes(), f"{commit}:{name}")


def surface(commit: str) -> Surface:
    """The three files of one commit read as one surface."""
    return compose([Part(name, f"{commit}:{name}", document(commit, name)) for name in FILES])
