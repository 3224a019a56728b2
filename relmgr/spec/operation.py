"""Compare the parts of one operation present in both specs: parameters, request body, responses,
response headers, security, operationId and tags."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relmgr.spec.checks import bodies, classify, endpoints, headers, parameters, security
from relmgr.spec.place import Kind, Lifecycle, Place
from relmgr.spec.schema import SchemaDiffer
from relmgr.spec.sink import Rendered, Sink, render
from relmgr.spec.view import Parameter, SpecView, is_json, is_success

Nodes = tuple[Mapping[str, Any], Mapping[str, Any]]


@dataclass(slots=True)
class OperationDiff:
    """One operation present in both specs, judged with its revision's deprecation days (`lifecycle`)."""

    base: SpecView
    revision: SpecView
    schemas: SchemaDiffer
    lifecycle: Lifecycle
    sink: Sink
    rendered: dict[tuple[object, Place], list[Rendered]]  # a $ref'd schema pair's findings per place, shared

    def run(self, paths: tuple[str, str], operations: Nodes) -> None:
        self._parameters(paths, operations)
        self._request_body(*operations)
        self._responses(*operations)
        before, after = (security.requirements(node.get("security")) for node in operations)
        self.sink.found(security.compare(before, after, security.OPERATION))
        self.sink.found(endpoints.operation_id(operations) + endpoints.tags(operations))

    def _schemas(self, base: Any, revision: Any, place: Place) -> None:
        """The findings of a schema pair at `place`; the same `$ref` pair at the same place is judged once."""
        key = self.schemas.key(base, revision)
        found = self.rendered.get((key, place)) if key is not None else None
        if found is None:
            context = place.context()
            found = []
            for delta in self.schemas.diff(base, revision):
                also = f" (and {delta.also} other place{'s' if delta.also > 1 else ''})" if delta.also else ""
                found += [render(f.rule_id, f.details, context + also) for f in classify(delta, place)]
            if key is not None:
                self.rendered[key, place] = found
        self.sink.add_rendered(found)

    # parameters

    def _parameters(self, paths: tuple[str, str], operations: Nodes) -> None:
        before = self.base.parameters(paths[0], operations[0])
        after = self.revision.parameters(paths[1], operations[1])
        for key, parameter in before.items():
            if key not in after:
                self.sink.found([parameters.removed(parameter, self.lifecycle.today)])
        for key, parameter in after.items():
            if key not in before:
                self.sink.found([parameters.added(parameter)])
            else:
                self._parameter_changed(before[key], parameter)

    def _parameter_changed(self, before: Parameter, after: Parameter) -> None:
        days, today = self.lifecycle.deprecation_days, self.lifecycle.today
        self.sink.found(parameters.changed(before, after, days if self.lifecycle.judged else None, today))
        place = Place(request=True, kind=Kind.PARAMETER, strongly_typed=False, location=after.location,
                      name=after.name, lifecycle=self.lifecycle)
        self._schemas(self.base.parameter_schema(before), self.revision.parameter_schema(after), place)

    # request body

    def _request_body(self, base_operation: Mapping[str, Any], revision_operation: Mapping[str, Any]) -> None:
        before = self.base.request_body(base_operation)
        after = self.revision.request_body(revision_operation)
        if after is not None and before is None:
            self.sink.add(bodies.BODY_ADDED[after.get("required") is True])
        elif before is not None and after is None:
            self.sink.add(bodies.BODY_REMOVED)
        if before is None or after is None:
            return
        was, now = before.get("required") is True, after.get("required") is True
        if was != now:
            self.sink.add(bodies.BODY_BECAME[now])
        self._contents(self.base.content(before), self.revision.content(after), status=None)

    def _contents(self, before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]],
                  status: str | None) -> None:
        """Media types removed, added, renamed; the schemas of the ones on both sides."""
        pairs, removed, added = bodies.pair_media_types(list(before), list(after))
        words = {"status": status or ""}
        for name in removed:
            gone = bodies.MEDIA_REMOVED if status is None else bodies.RESPONSE_MEDIA_REMOVED
            self.sink.add(gone, {**words, "media_type": name})
        for name in added:
            new = bodies.MEDIA_ADDED if status is None else bodies.RESPONSE_MEDIA_ADDED
            self.sink.add(new, {**words, "media_type": name})
        for old, new_name in pairs:
            if status is not None and old != new_name:
                self.sink.add(bodies.renamed(old, new_name), {**words, "before": old, "after": new_name})
            self._media(before[old].get("schema"), after[new_name].get("schema"), new_name, status)

    def _media(self, base: Any, revision: Any, media_type: str, status: str | None) -> None:
        """One media type's schema: appeared, disappeared (no schema deltas then, as oasdiff), or compared."""
        words = {"status": status or "", "media_type": media_type}
        if base is None and revision is not None:
            self.sink.add(bodies.SCHEMA_ADDED if status is None else bodies.RESPONSE_SCHEMA_ADDED, words)
        elif base is not None and revision is None:
            self.sink.add(bodies.SCHEMA_REMOVED if status is None else bodies.RESPONSE_SCHEMA_REMOVED, words)
        elif base is not None:
            place = Place(request=status is None, kind=Kind.BODY, strongly_typed=is_json(media_type),
                          media_type=media_type, status=status or "", lifecycle=self.lifecycle)
            self._schemas(base, revision, place)

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
            self.sink.add(bodies.STATUS["success", change], {"status": status})
        elif status.isdigit():  # oasdiff does not judge `default` or range statuses other than 2XX
            self.sink.add(bodies.STATUS["failure", change], {"status": status})

    def _headers(self, status: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        old_headers, new_headers = self.base.headers(before), self.revision.headers(after)
        for key, (name, header) in old_headers.items():
            words = {"header": name, "status": status}
            required = header.get("required") is True
            if key not in new_headers:
                self.sink.add(headers.REMOVED[required], words)
                continue
            if required and new_headers[key][1].get("required") is not True:
                self.sink.add(headers.BECAME_OPTIONAL, words)
            place = Place(request=False, kind=Kind.HEADER, strongly_typed=False, status=status, name=name,
                          lifecycle=self.lifecycle)
            self._schemas(self.base.header_schema(header), self.revision.header_schema(new_headers[key][1]), place)
        for key, (name, _) in new_headers.items():
            if key not in old_headers:
                self.sink.add(headers.ADDED, {"header": name, "status": status})
