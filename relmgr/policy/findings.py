"""What the gate reports, as data: the rule IDs, the Finding and Verdict records, and the phrases every
finding is written with (the commit-message gate in `gate.py` and the OpenAPI gate in `spec/policy.py`
share them, so a rule reads the same wherever it is found).
"""

from __future__ import annotations

from dataclasses import dataclass

from relmgr.config.model import Waiver
from relmgr.history.versions import Stream
from relmgr.policy.levels import Level
from relmgr.policy.streams import ORDER, stream_rank

# Stable rule ids (JSON `rule`, GitHub annotations); never rename one, add new ones instead.
FORBIDDEN_STREAM = "break-in-forbidden-stream"
MISSING_NOTE = "missing-migration-note"
MISSING_APPROVAL = "missing-approval"
NEAR_MISS = "near-miss-token"
# found in the OpenAPI specs (relmgr.spec.policy)
UNDECLARED_BREAK = "undeclared-breaking-change"
SPEC_FORBIDDEN_STREAM = "spec-break-in-forbidden-stream"
SPEC_WARNING = "spec-warning"
REMOVED_WITHOUT_DEPRECATION = "removed-without-deprecation"
REMOVED_BEFORE_PERIOD = "removed-before-deprecation-period"
LEVEL_CHANGED = "operation-level-changed"  # a route moved to another level's prefix (spec.moves)
# found in the APIs' Python packages (relmgr.app.pyapi, judged by relmgr.spec.policy.judge_surface)
PY_FORBIDDEN_STREAM = "python-break-in-forbidden-stream"
PY_WARNING = "python-warning"
# a pull request judged as what it lands (relmgr.ci.pr), and its API's providers (relmgr.policy.providers)
SQUASH_DROPS_BREAK = "squash-drops-break"  # a commit declares a break the PR title (the squash) does not
PROVIDER_BREAK_IN_PATCH = "provider-break-in-patch"  # a stable provider breaks in a Z-stream release

DECLARE = "declare it (`!` after the type, or a `BREAKING CHANGE:` footer)"
_KIND = {Stream.X: "major", Stream.Y: "minor", Stream.Z: "patch"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule a breaking change (judged per API) broke: a violation or a warning, as data."""

    sha: str
    subject: str
    pr: int | None
    api: str | None  # None: the change maps to no configured API (judged at default-level)
    level: Level
    stream: Stream | None
    rule: str
    message: str  # one sentence: the commit, the API, the level, the rule and what to do
    advice: str  # just the "what to do" part, for tables
    object: str | None = None  # what the surfaces' findings are about: a route, or a Python object's path
    check: str | None = None  # the surface's check ID behind it (oasdiff's `response-property-became-nullable`)
    # what tells it apart from its neighbours: (name, value) pairs of the change (parameter, property, old/new)
    details: tuple[tuple[str, str], ...] = ()
    change: str | None = None  # the surface's own sentence for the change (its message without the policy's)


@dataclass(frozen=True, slots=True)
class Waived:
    """A finding left out of the verdict, and the waiver that left it out."""

    finding: Finding
    severity: str  # "violation" or "warning": where it would have counted
    waiver: Waiver


@dataclass(frozen=True, slots=True)
class Verdict:
    stream: Stream | None
    judged: int  # (breaking change × API) pairs judged
    violations: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    spec_judged: int | None = None  # OpenAPI breaking changes (× API) judged; None: no specs configured
    python_judged: int | None = None  # Python package breaking changes (× API) judged; None: no packages
    waived: tuple[Waived, ...] = ()  # findings a waiver left out of the verdict (relmgr.policy.waivers)

    @property
    def ok(self) -> bool:
        return not self.violations


def release_phrase(stream: Stream | None, release: str | None) -> str:
    """`a Z-stream release (v0.4.1)`, as findings name the release judged."""
    return (f"a {stream.value.upper()}-stream release" if stream else "a first release") + (
        f" ({release})" if release else ""
    )


def carrier(stream: Stream, allowed: frozenset[Stream]) -> str:
    """`minor`: the next bigger release that may carry a break (or, with odd overrides, the smallest that may)."""
    bigger = [s for s in ORDER if s in allowed and stream_rank(s) > stream_rank(stream)]
    return _KIND[(bigger or [s for s in ORDER if s in allowed])[0]]


def streams_phrase(streams: frozenset[Stream]) -> str:
    """`X or Y streams`."""
    names = [s.value.upper() for s in reversed(ORDER) if s in streams]
    return " or ".join(names) + " streams"


def why_forbidden(level: Level, allowed: frozenset[Stream]) -> str:
    """`v1 may break only in X or Y streams` (or `v1 may never break`)."""
    return f"{level} may break only in {streams_phrase(allowed)}" if allowed else f"{level} may never break"
