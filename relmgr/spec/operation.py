"""Compare the parts of one operation present in both specs: parameters, request body, responses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relmgr.policy.levels import Stage
from relmgr.spec.catalog import RULES
from relmgr.spec.model import DiffOptions, SpecChange
from relmgr.spec.rules import Place, classify
from relmgr.spec.schema import SchemaDiffer
from relmgr.spec.stability import sunset_status
from relmgr.spec.view import Parameter, SpecView, is_json, is_success


@dataclass(slots=True)
class Sink:
    """Collects the changes of one operation, stamping method, path and level on each."""

    changes: list[SpecChange]
    method: str
    path: str
    level: str
    explicit: bool = False

    def add(self, rule_id: str, message: str) -> None:
        self.changes.append(
            SpecChange(rule_id, RULES[rule_id], self.method, self.path, self.level, message, self.explicit)
        )


@dataclass(slots=True)
class OperationDiff:
    """One operation present in both specs; `stage` is its revision stage (for the deprecation policy)."""

    base: SpecView
    revision: SpecView
    schemas: SchemaDiffer
    options: DiffOptions
    sink: Sink
    stage: Stage

    def run(self, paths: tuple[str, str], operations: tuple[Mapping[str, Any], Mapping[str, Any]]) -> None:
        self._parameters(paths, operations)
        self._request_body(*operations)
        self._responses(*operations)

    def _schemas(self, base: Any, revision: Any, place: Place) -> None:
        for delta in self.schemas.diff(base, revision):
            outcome = classify(delta, place)
            if outcome is not None:
                self.sink.add(*outcome)

    # parameters

    def _parameters(
        self, paths: tuple[str, str], operations: tuple[Mapping[str, Any], Mapping[str, Any]]
    ) -> None:
        before = self.base.parameters(paths[0], operations[0])
        after = self.revision.parameters(paths[1], operations[1])
        for key, parameter in before.items():
            if key not in after:
                self._parameter_removed(parameter)
        for key, parameter in after.items():
            if key not in before:
                self._parameter_added(parameter)
            else:
                self._parameter_changed(before[key], parameter)

    def _parameter_removed(self, parameter: Parameter) -> None:
        if not parameter.deprecated:
            self.sink.add("request-parameter-removed", f"removed the {parameter.describe()}")
            return
        status = sunset_status(parameter.node.get("x-sunset"), self.options.today)
        rule_id = {
            "invalid": "request-parameter-sunset-parse",
            "future": "request-parameter-removed-before-sunset",
        }.get(status, "request-parameter-removed-with-deprecation")
        self.sink.add(rule_id, f"removed the deprecated {parameter.describe()} ({_sunset_words(status)})")

    def _parameter_added(self, parameter: Parameter) -> None:
        need = "required" if parameter.required else "optional"
        if parameter.location == "path":
            rule_id = "new-request-path-parameter"
        elif parameter.from_path_item:
            rule_id = f"new-{need}-request-default-parameter-to-existing-path"
        else:
            rule_id = f"new-{need}-request-parameter"
        where = " to the path item" if parameter.from_path_item else ""
        self.sink.add(rule_id, f"added the {parameter.describe()}{where}")

    def _parameter_changed(self, before: Parameter, after: Parameter) -> None:
        subject = f"the {after.location} parameter '{after.name}'"
        if before.required != after.required:
            change = "required" if after.required else "optional"
            self.sink.add(f"request-parameter-became-{change}", f"{subject} became {change}")
        if before.deprecated != after.deprecated:
            self._parameter_deprecation(after, subject)
        place = Place(request=True, parameter=True, strongly_typed=False, subject=subject)
        self._schemas(self.base.parameter_schema(before), self.revision.parameter_schema(after), place)

    def _parameter_deprecation(self, parameter: Parameter, subject: str) -> None:
        if not parameter.deprecated:
            self.sink.add("request-parameter-reactivated", f"{subject} is no longer deprecated")
        elif "x-sunset" not in parameter.node and self.options.deprecation.days_for(self.stage) > 0:
            self.sink.add(
                "request-parameter-deprecated-sunset-missing",
                f"{subject} was deprecated without the x-sunset date the deprecation policy asks for",
            )
        else:
            self.sink.add("request-parameter-deprecated", f"{subject} was deprecated")

    # request body

    def _request_body(self, base_operation: Mapping[str, Any], revision_operation: Mapping[str, Any]) -> None:
        before = self.base.request_body(base_operation)
        after = self.revision.request_body(revision_operation)
        if before is None or after is None:
            self._body_presence(before, after)
            return
        was, now = before.get("required") is True, after.get("required") is True
        if was != now:
            change = "required" if now else "optional"
            self.sink.add(f"request-body-became-{change}", f"the request body became {change}")
        self._contents(self.base.content(before), self.revision.content(after), status=None)

    def _body_presence(self, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
        if after is not None:
            need = "required" if after.get("required") is True else "optional"
            self.sink.add(f"request-body-added-{need}", f"added a {need} request body")
        elif before is not None:
            self.sink.add("request-body-removed", "removed the request body")

    def _contents(
        self,
        before: Mapping[str, Mapping[str, Any]],
        after: Mapping[str, Mapping[str, Any]],
        status: str | None,
    ) -> None:
        side = "request" if status is None else "response"
        media_id = "request-body-media-type" if status is None else "response-media-type"
        where = "" if status is None else f" for status {status}"
        for media_type in before:
            if media_type not in after:
                self.sink.add(
                    f"{media_id}-removed", f"removed the media type {media_type} of the {side} body{where}"
                )
        for media_type in after:
            if media_type not in before:
                self.sink.add(
                    f"{media_id}-added", f"added the media type {media_type} to the {side} body{where}"
                )
        for media_type, media in before.items():
            if media_type in after:
                context = f" in {media_type}" if status is None else f" for status {status} in {media_type}"
                place = Place(
                    request=status is None,
                    parameter=False,
                    strongly_typed=is_json(media_type),
                    subject=f"the {side} body",
                    context=context,
                )
                self._schemas(media.get("schema"), after[media_type].get("schema"), place)

    # responses

    def _responses(self, base_operation: Mapping[str, Any], revision_operation: Mapping[str, Any]) -> None:
        before = self.base.responses(base_operation)
        after = self.revision.responses(revision_operation)
        for status in before:
            if status not in after:
                self._status("removed", status)
        for status in after:
            if status not in before:
                self._status("added", status)
        for status, response in before.items():
            if status in after:
                self._contents(self.base.content(response), self.revision.content(after[status]), status)
                self._headers(status, response, after[status])

    def _status(self, change: str, status: str) -> None:
        if is_success(status):
            self.sink.add(
                f"response-success-status-{change}", f"{change} the success response status {status}"
            )
        elif status.isdigit():  # oasdiff does not judge `default` or range statuses other than 2XX
            self.sink.add(f"response-non-success-status-{change}", f"{change} the response status {status}")

    def _headers(self, status: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        new_headers = self.revision.headers(after)
        for key, (name, header) in self.base.headers(before).items():
            required = header.get("required") is True
            if key not in new_headers:
                rule_id = (
                    "required-response-header-removed" if required else "optional-response-header-removed"
                )
                kind = "required" if required else "optional"
                self.sink.add(rule_id, f"removed the {kind} response header '{name}' for status {status}")
            elif required and new_headers[key][1].get("required") is not True:
                self.sink.add(
                    "response-header-became-optional",
                    f"the response header '{name}' for status {status} became optional",
                )


def _sunset_words(status: str) -> str:
    return {
        "none": "no sunset date",
        "invalid": "its x-sunset is not a date",
        "future": "before its sunset date",
        "past": "after its sunset date",
    }[status]
