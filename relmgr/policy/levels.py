"""API stability levels: v1alpha < v1beta < v1 (and v2alpha, v2beta, v2 …)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

_LEVEL_RE = re.compile(r"^v([1-9][0-9]*)(alpha|beta)?$")


class Stage(IntEnum):
    """How stable a level is; the policy is written per stage (v2beta behaves like v1beta)."""

    ALPHA = 0
    BETA = 1
    STABLE = 2


@dataclass(frozen=True, slots=True, order=True)
class Level:
    """A parsed level. Orders by stability first, then by major (v1alpha < v2alpha < v1beta < v1)."""

    stage: Stage
    major: int

    @classmethod
    def parse(cls, text: str) -> Level:
        """Parse `v1alpha`, `v1beta`, `v1`, `v2alpha` …; raise ValueError otherwise."""
        match = _LEVEL_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a level (v1alpha, v1beta, v1, v2alpha …)")
        suffix = match.group(2)
        stage = Stage.ALPHA if suffix == "alpha" else Stage.BETA if suffix == "beta" else Stage.STABLE
        return cls(stage=stage, major=int(match.group(1)))

    @staticmethod
    def is_valid(text: str) -> bool:
        return bool(_LEVEL_RE.match(text.strip()))

    @property
    def stage_name(self) -> str:
        """The policy key of this level's stage: `v1alpha`, `v1beta` or `v1`."""
        return ("v1alpha", "v1beta", "v1")[self.stage]

    def __str__(self) -> str:
        suffix = ("alpha", "beta", "")[self.stage]
        return f"v{self.major}{suffix}"
