"""Links into the hosting site from `repo-url` (GitHub/GitLab/Gitea all use these paths)."""

from __future__ import annotations


def commit_url(repo_url: str | None, sha: str) -> str | None:
    return f"{repo_url}/commit/{sha}" if repo_url else None


def pr_url(repo_url: str | None, pr: int | None) -> str | None:
    if not repo_url or pr is None:
        return None
    # GitLab calls them merge requests; its URLs say so.
    kind = "-/merge_requests" if "gitlab" in repo_url else "pull"
    return f"{repo_url}/{kind}/{pr}"


def compare_url(repo_url: str | None, base: str | None, head: str) -> str | None:
    if not repo_url or base is None:
        return None
    middle = "-/compare" if "gitlab" in repo_url else "compare"
    return f"{repo_url}/{middle}/{base}...{head}"
