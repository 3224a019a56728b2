"""Links into the hosting site from `repo-url` (GitHub/GitLab/Gitea all use these paths)."""

from __future__ import annotations


def commit_url(repo_url: str | None, sha: str) -> str | None:
    base = commit_base(repo_url)
    return f"{base}{sha}" if base else None


def pr_url(repo_url: str | None, pr: int | None) -> str | None:
    base = pr_base(repo_url)
    return f"{base}{pr}" if base and pr is not None else None


def commit_base(repo_url: str | None) -> str | None:
    """What a commit's URL starts with (its sha follows); None without `repo-url`."""
    return f"{repo_url}/commit/" if repo_url else None


def pr_base(repo_url: str | None) -> str | None:
    """What a PR's URL starts with (its number follows); None without `repo-url`."""
    if not repo_url:
        return None
    # GitLab calls them merge requests; its URLs say so.
    return f"{repo_url}/{'-/merge_requests' if 'gitlab' in repo_url else 'pull'}/"


def compare_url(repo_url: str | None, base: str | None, head: str) -> str | None:
    if not repo_url or base is None:
        return None
    middle = "-/compare" if "gitlab" in repo_url else "compare"
    return f"{repo_url}/{middle}/{base}...{head}"
