"""origin's URL as the `https://` link notes and check output use. Pure."""

from __future__ import annotations

import re

_REMOTE_RE = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?|[^@/]+@)(?P<host>(?:www\.)?(?:github\.com|gitlab\.com))[:/]"
    r"(?P<path>[^?#]+?)(?:\.git)?/?$"
)


def https_url(remote: str) -> str | None:
    """`git@github.com:acme/widgets.git` → `https://github.com/acme/widgets` (GitHub and GitLab only)."""
    match = _REMOTE_RE.match(remote.strip())
    if match is None:
        return None
    return f"https://{match.group('host').removeprefix('www.')}/{match.group('path').strip('/')}"
