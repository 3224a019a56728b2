"""Exit codes and the errors relmgr reports to people (one line, with the fix)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes: docs/exit-codes.md and `relmgr --help` list exactly these (tests/test_docs.py)."""

    OK = 0
    POLICY = 1  # a policy violation or lint failure
    USAGE = 2  # bad command-line usage
    CONFIG = 3  # bad configuration
    GIT = 4  # the repository cannot answer (not a repo, unknown ref, shallow clone …)
    SPEC = 5  # an OpenAPI spec cannot be read


class EndCode(IntEnum):
    """How relmgr ends when it cannot give a verdict (docs/exit-codes.md, "When relmgr cannot finish")."""

    INTERNAL = 70  # relmgr could not finish: out of memory, or a bug (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    PIPE_GONE = 141  # stdout's reader went away (128 + SIGPIPE, as git and coreutils)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)


class RelmgrError(Exception):
    """A user error: printed as one line, never as a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(RelmgrError):
    exit_code = ExitCode.USAGE


class PolicyError(RelmgrError):
    """A refusal that is a policy verdict (for example `release` refusing a dirty tree)."""

    exit_code = ExitCode.POLICY


class ConfigError(RelmgrError):
    exit_code = ExitCode.CONFIG


class GitError(RelmgrError):
    exit_code = ExitCode.GIT


class SpecError(RelmgrError):
    exit_code = ExitCode.SPEC
