"""Bodies and responses: the request body, media types (added, removed, renamed, given or stripped of a
schema) and response statuses.

Media types pair as oasdiff pairs them: by name, then a remaining name with a related one
(`application/json` and `application/problem+json`, or `application/json; charset=utf-8`). A response
renamed to a more specific type narrows what clients get (INFO); to a more general one, widens it (ERR).

Emits: request-body-added-*, request-body-removed, request-body-became-*, request-body-media-type-*,
*-body-media-type-schema-added/-removed, response-*success-status-*, response-media-type-*,
response-media-type-name-*.
"""

from __future__ import annotations

from dataclasses import dataclass

from relmgr.spec.checks.base import rule_tables
from relmgr.spec.model import Severity
from relmgr.spec.registry import Area, Direction, RuleTable

E, W, INF = Severity.ERR, Severity.WARN, Severity.INFO
_REQ, _RESP = Direction.REQUEST, Direction.RESPONSE
_added = RuleTable("AddedRequestBodyCheck", _REQ, Area.REQUEST_BODY)
_removed = RuleTable("RequestBodyRemovedCheck", _REQ, Area.SCHEMA)
_required = RuleTable("RequestBodyRequiredUpdatedCheck", _REQ, Area.REQUEST_BODY)
_media = RuleTable("RequestBodyMediaTypeChangedCheck", _REQ, Area.REQUEST_BODY)
_schema = RuleTable("MediaTypeSchemaExistenceCheck", _REQ, Area.REQUEST_BODY)
_schema_resp = RuleTable("MediaTypeSchemaExistenceCheck", _RESP, Area.RESPONSES)
_success = RuleTable("ResponseSuccessStatusUpdatedCheck", _RESP, Area.RESPONSES)
_failure = RuleTable("ResponseNonSuccessStatusUpdatedCheck", _RESP, Area.RESPONSES)
_resp_media = RuleTable("ResponseMediaTypeUpdatedCheck", _RESP, Area.RESPONSES)
_name = RuleTable("ResponseMediaTypeNameUpdatedCheck", _RESP, Area.RESPONSES)

BODY_ADDED = {
    True: _added.add("request-body-added-required", E, "added a required request body"),
    False: _added.add("request-body-added-optional", INF, "added an optional request body"),
}
BODY_REMOVED = _removed.add("request-body-removed", E, "removed the request body")
BODY_BECAME = {
    True: _required.add("request-body-became-required", E, "the request body became required"),
    False: _required.add("request-body-became-optional", INF, "the request body became optional"),
}
MEDIA_ADDED = _media.add("request-body-media-type-added", INF, "added the media type {media_type} to the request body")
MEDIA_REMOVED = _media.add("request-body-media-type-removed", E,
                           "removed the media type {media_type} of the request body")
SCHEMA_ADDED = _schema.add("request-body-media-type-schema-added", E,
                           "the request body's media type {media_type} got a schema: requests must now match it")
SCHEMA_REMOVED = _schema.add("request-body-media-type-schema-removed", INF,
                             "the request body's media type {media_type} lost its schema: any content is accepted")
RESPONSE_SCHEMA_ADDED = _schema_resp.add("response-body-media-type-schema-added", INF,
                                         "the response media type {media_type} for status {status} got a schema")
RESPONSE_SCHEMA_REMOVED = _schema_resp.add("response-body-media-type-schema-removed", W,
                                           "the response media type {media_type} for status {status} lost its "
                                           "schema: clients get no typed content any more")
STATUS = {
    ("success", "removed"): _success.add("response-success-status-removed", E,
                                         "removed the success response status {status}"),
    ("success", "added"): _success.add("response-success-status-added", INF,
                                       "added the success response status {status}"),
    ("failure", "removed"): _failure.add("response-non-success-status-removed", INF,
                                         "removed the response status {status}"),
    ("failure", "added"): _failure.add("response-non-success-status-added", INF, "added the response status {status}"),
}
RESPONSE_MEDIA_REMOVED = _resp_media.add("response-media-type-removed", E,
                                         "removed the media type {media_type} of the response for status {status}")
RESPONSE_MEDIA_ADDED = _resp_media.add("response-media-type-added", INF,
                                       "added the media type {media_type} to the response for status {status}")
NAME_CHANGED = _name.add("response-media-type-name-changed", INF,
                         "the response media type {before} for status {status} became {after} (its parameters "
                         "changed)")
NAME_GENERALIZED = _name.add("response-media-type-name-generalized", E,
                             "the response media type {before} for status {status} became the more general {after}")
NAME_SPECIALIZED = _name.add("response-media-type-name-specialized", INF,
                             "the response media type {before} for status {status} became the more specific {after}")


@dataclass(frozen=True, slots=True)
class MediaName:
    """A media type name read as oasdiff reads it: type, subtype, `+suffixes`, parameters."""

    type: str
    subtype: str
    suffixes: tuple[str, ...]
    parameters: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str) -> MediaName | None:
        head, *params = (part.strip() for part in text.split(";"))
        kind, slash, sub = head.lower().partition("/")
        if not slash or not kind or not sub:
            return None
        base, *suffixes = sub.split("+")
        pairs = tuple(sorted((k.strip().lower(), v.strip()) for k, _, v in (p.partition("=") for p in params) if k))
        return cls(kind, base, tuple(suffixes), pairs)


def contained(general: str, specific: str) -> bool:
    """Can `specific` stand where `general` was expected (`application/json` -> `application/problem+json`)?"""
    old, new = MediaName.parse(general), MediaName.parse(specific)
    if old is None or new is None or old.type != new.type:
        return False
    if not old.suffixes and new.suffixes and new.suffixes[-1] == old.subtype:
        return True
    return old.subtype == new.subtype and new.suffixes[: len(old.suffixes)] == old.suffixes


def pair_media_types(before: list[str], after: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(pairs, removed, added): equal names first, then each added name with a related removed one."""
    pairs = [(name, name) for name in before if name in after]
    removed = [name for name in before if name not in after]
    added: list[str] = []
    for name in (name for name in after if name not in before):
        partner = next((old for old in removed if contained(old, name) or contained(name, old)), None)
        if partner is None:
            added.append(name)
        else:
            removed.remove(partner)
            pairs.append((partner, name))
    return pairs, removed, added


def renamed(before: str, after: str) -> str:
    """The ID of a response media type renamed into a related one."""
    old, new = MediaName.parse(before), MediaName.parse(after)
    if old is not None and new is not None and old.parameters != new.parameters:
        return NAME_CHANGED
    return NAME_SPECIALIZED if contained(before, after) else NAME_GENERALIZED


TABLES = rule_tables(_added, _removed, _required, _media, _schema, _schema_resp, _success, _failure, _resp_media,
                     _name)
