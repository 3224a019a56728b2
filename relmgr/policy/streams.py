"""The level × stream rules: in which release streams an API at a given level may break.

Default preset (the leveling policy): alpha may break in any stream; beta in X and Y, never in a Z-stream;
v1 in X and Y (Y with a migration note), never in a Z-stream. The `semver` preset lets v1 break only in X
(below 1.0.0, X and Y, since 0.x minors are SemVer's majors). Per-level overrides in
`[tool.relmgr.policy]` replace a preset's cell: an exact level (`v2beta`) first, then its stage (`v1beta`).
"""

from __future__ import annotations

from relmgr.config.model import PolicyConfig
from relmgr.history.versions import Stream, Version
from relmgr.policy.levels import Level, Stage

ALL = frozenset({Stream.X, Stream.Y, Stream.Z})
_XY = frozenset({Stream.X, Stream.Y})
_DEFAULT = {Stage.ALPHA: ALL, Stage.BETA: _XY, Stage.STABLE: _XY}
ORDER = (Stream.Z, Stream.Y, Stream.X)  # smallest release first


def allowed_streams(level: Level, policy: PolicyConfig, version: Version | None = None) -> frozenset[Stream]:
    """The streams in which an API at `level` may break, for a release of `version`."""
    for key in (str(level), level.stage_name):
        if key in policy.overrides:
            return policy.overrides[key]
    if policy.preset == "semver" and level.stage == Stage.STABLE:
        below_one = version is not None and version.release[0] == 0
        return frozenset({Stream.X, Stream.Y}) if below_one else frozenset({Stream.X})
    return _DEFAULT[level.stage]


def lowest_stream(level: Level, policy: PolicyConfig, version: Version | None = None) -> Stream:
    """The smallest release that may carry a break at `level` (X when no stream may)."""
    allowed = allowed_streams(level, policy, version)
    return next((s for s in ORDER if s in allowed), Stream.X)


def stream_rank(stream: Stream) -> int:
    """Z < Y < X."""
    return ORDER.index(stream)


def level_listed(level: Level, names: tuple[str, ...]) -> bool:
    """Whether a level appears in a list of level names (`require-note = ["v1"]`): exactly or by stage."""
    return str(level) in names or level.stage_name in names
