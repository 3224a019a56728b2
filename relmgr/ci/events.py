"""The CI event a pipeline runs for, as one record: GitHub's event payload or GitLab's merge-request variables.

Pure: `github_event(payload, env)` and `gitlab_event(env)` take mappings and return a `CiEvent`, or raise
`UsageError` (one line, exit 2) when the payload is not the shape GitHub documents. What is read, per kind:

- `pull_request` / `pull_request_target`: `pull_request.{number,title,body,labels[].name,base,head}`;
- `merge_group`: the PR number and base from the queue branch `gh-readonly-queue/<base>/pr-<N>-<sha>`
  (the payload has no labels and no title: the queue's commits already are what lands);
- `push` of a tag: the tag (`refs/tags/<tag>`); a push of a branch is read too, and `pr.plan` refuses it;
- GitLab: `CI_MERGE_REQUEST_{IID,TITLE,DESCRIPTION,LABELS,TARGET_BRANCH_NAME,SOURCE_BRANCH_NAME,
  DIFF_BASE_SHA}`, `CI_COMMIT_SHA`, and `CI_COMMIT_TAG` for a tag pipeline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from relmgr.errors import UsageError

Kind = Literal["pull_request", "pull_request_target", "merge_group", "push", "merge_request"]
PR_KINDS = ("pull_request", "pull_request_target", "merge_request")
# GitHub's merge queue branch: `gh-readonly-queue/main/pr-123-<sha of the base>` (the base may hold `/`)
_QUEUE_RE = re.compile(r"^gh-readonly-queue/(?P<base>.+)/pr-(?P<number>\d{1,18})-(?P<sha>[0-9a-f]{7,64})$")
_SHA_RE = re.compile(r"^[0-9a-fA-F]{7,64}$")


@dataclass(frozen=True, slots=True)
class CiEvent:
    """What relmgr needs of a CI event. Branches are bare names (`main`, not `refs/heads/main`)."""

    provider: Literal["github", "gitlab"]
    kind: Kind
    number: int | None  # the pull (merge) request; None for a push
    title: str | None  # the PR's title: the subject of the squash commit it lands as (None in a merge queue)
    body: str | None  # the PR's description
    labels: tuple[str, ...]
    base: str | None  # the branch it targets
    head: str | None  # the branch it comes from
    base_sha: str | None
    head_sha: str | None
    tag: str | None = None  # a push of a tag: the tag

    @property
    def is_pr(self) -> bool:
        return self.kind in PR_KINDS

    def describe(self) -> str:
        """`pull_request #123 (feat-x → main)`, `push of tag v0.4.1`, as messages name the event."""
        if self.tag is not None:
            return f"push of tag {self.tag}"
        if self.number is None:
            return f"{self.kind} of {self.head or 'an unknown ref'}"
        return f"{self.kind} #{self.number} ({self.head or '?'} → {self.base or '?'})"


def parse_payload(text: str, where: str) -> dict[str, Any]:
    """The JSON object of an event payload file; `where` names it in the one-line error."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{where}: not a JSON event payload ({exc}); point --event at the file GitHub "
                         "writes (GITHUB_EVENT_PATH)") from None
    if not isinstance(data, dict):
        raise UsageError(f"{where}: an event payload is a JSON object, got {type(data).__name__}")
    return data


def github_event(payload: Mapping[str, Any], env: Mapping[str, str], where: str = "event payload") -> CiEvent:
    """The event in `payload`; its kind from `GITHUB_EVENT_NAME` when set, else from the payload's keys."""
    kind = env.get("GITHUB_EVENT_NAME") or _guess_kind(payload)
    reader = _Reader(payload, where)
    if kind in ("pull_request", "pull_request_target"):
        return _pull_request(reader, "pull_request" if kind == "pull_request" else "pull_request_target")
    if kind == "merge_group":
        return _merge_group(reader)
    if kind == "push":
        return _push(reader)
    raise UsageError(f"{where}: relmgr reads pull_request, pull_request_target, merge_group and push events, "
                     f"not {kind!r}; run the job on one of them")


def gitlab_event(env: Mapping[str, str]) -> CiEvent | None:
    """A GitLab pipeline's event from its predefined variables; None outside a merge-request or tag pipeline."""
    tag = env.get("CI_COMMIT_TAG")
    iid = env.get("CI_MERGE_REQUEST_IID")
    if iid is None:
        if not tag:
            return None
        return CiEvent("gitlab", "push", None, None, None, (), None, None, None, env.get("CI_COMMIT_SHA"), tag)
    if not iid.isdecimal() or len(iid) > 18:
        raise UsageError(f"CI_MERGE_REQUEST_IID: {iid!r} is not a merge request number")
    labels = tuple(label.strip() for label in env.get("CI_MERGE_REQUEST_LABELS", "").split(",") if label.strip())
    head_sha = env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") or env.get("CI_COMMIT_SHA")
    base_sha = _sha_or_none(env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"))
    return CiEvent("gitlab", "merge_request", int(iid), env.get("CI_MERGE_REQUEST_TITLE"),
                   env.get("CI_MERGE_REQUEST_DESCRIPTION"), labels, env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
                   env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"), base_sha, _sha_or_none(head_sha))


def queue_branch(ref: str) -> tuple[str, int] | None:
    """(base, PR number) of a merge-queue branch (`refs/heads/gh-readonly-queue/main/pr-123-<sha>`)."""
    match = _QUEUE_RE.match(_branch(ref))
    return (match.group("base"), int(match.group("number"))) if match else None


def _guess_kind(payload: Mapping[str, Any]) -> str:
    if "merge_group" in payload:
        return "merge_group"
    if "pull_request" in payload:
        return "pull_request"
    if isinstance(payload.get("ref"), str) and "after" in payload:
        return "push"
    return "unknown (set GITHUB_EVENT_NAME)"


def _pull_request(reader: _Reader, kind: Kind) -> CiEvent:
    pr = reader.table("pull_request")
    number = reader.number(pr, "pull_request.number")
    title = reader.text(pr, "pull_request.title")
    labels = reader.labels(pr)
    base, head = reader.table("pull_request.base"), reader.table("pull_request.head")
    body = pr.get("body")
    return CiEvent("github", kind, number, title, body if isinstance(body, str) else None, labels,
                   reader.text(base, "pull_request.base.ref"), reader.text(head, "pull_request.head.ref"),
                   reader.sha(base, "pull_request.base.sha"), reader.sha(head, "pull_request.head.sha"))


def _merge_group(reader: _Reader) -> CiEvent:
    group = reader.table("merge_group")
    head_ref = reader.text(group, "merge_group.head_ref")
    found = queue_branch(head_ref)
    if found is None:
        raise UsageError(f"{reader.where}: merge_group.head_ref {head_ref!r} is not a merge-queue branch "
                         "(gh-readonly-queue/<base>/pr-<number>-<sha>)")
    base, number = found
    base_ref = group.get("base_ref")
    if isinstance(base_ref, str) and base_ref:
        base = _branch(base_ref)
    return CiEvent("github", "merge_group", number, None, None, (), base, _branch(head_ref),
                   reader.sha(group, "merge_group.base_sha"), reader.sha(group, "merge_group.head_sha"))


def _push(reader: _Reader) -> CiEvent:
    ref = reader.text(reader.payload, "ref")
    after = reader.payload.get("after")
    sha = after if isinstance(after, str) and _SHA_RE.match(after) else None
    if ref.startswith("refs/tags/"):
        return CiEvent("github", "push", None, None, None, (), None, None, None, sha, ref.removeprefix("refs/tags/"))
    return CiEvent("github", "push", None, None, None, (), None, _branch(ref), None, sha)


def _branch(ref: str) -> str:
    return ref.removeprefix("refs/heads/")


def _sha_or_none(text: str | None) -> str | None:
    return text if text and _SHA_RE.match(text) else None


class _Reader:
    """Typed reads of a payload whose every failure is one line naming the field (exit 2)."""

    def __init__(self, payload: Mapping[str, Any], where: str) -> None:
        self.payload, self.where = payload, where

    def fail(self, field: str, problem: str) -> UsageError:
        return UsageError(f"{self.where}: {field} {problem}; is it the payload of the event the job runs for?")

    def table(self, dotted: str) -> Mapping[str, Any]:
        node: Any = self.payload
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if not isinstance(node, Mapping):
            raise self.fail(dotted, "is missing (expected an object)")
        return node

    def text(self, table: Mapping[str, Any], field: str) -> str:
        value = table.get(field.rpartition(".")[2])
        if not isinstance(value, str):
            raise self.fail(field, "is missing (expected a string)" if value is None else f"is not a string: {value!r}")
        return value

    def number(self, table: Mapping[str, Any], field: str) -> int:
        value = table.get(field.rpartition(".")[2])
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**18:
            raise self.fail(field, f"is not a pull request number: {value!r}")
        return value

    def sha(self, table: Mapping[str, Any], field: str) -> str:
        value = self.text(table, field)
        if not _SHA_RE.match(value):
            raise self.fail(field, f"is not a commit sha: {value!r}")
        return value

    def labels(self, pr: Mapping[str, Any]) -> tuple[str, ...]:
        raw = pr.get("labels", [])
        if not isinstance(raw, list):
            raise self.fail("pull_request.labels", "is not a list")
        names = [item.get("name") if isinstance(item, Mapping) else None for item in raw]
        if not all(isinstance(name, str) for name in names):
            raise self.fail("pull_request.labels", "has a label without a name")
        return tuple(str(name) for name in names)
