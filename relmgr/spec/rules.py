"""oasdiff's check IDs and default severities, and the mapping from schema deltas to them.

Severities follow oasdiff's `checker/rules.go` at the commit the conformance corpus was taken from
(4553c69d, the rules table with Direction/Area/Kind/Action columns). Where later oasdiff changed a
default, the older value is kept, with one exception noted below (request-body-enum-value-removed).

IDs are composed as `<subject>-<change>`, the subject being `request-body`, `request-property`,
`request-parameter`, `request-parameter-property`, `response-body` or `response-property`. A
composition oasdiff has no ID for (say `response-property-max-length-decreased`, which narrows a
response and breaks nobody) is not reported: RULES is the single list of what can be reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relmgr.spec.model import Severity
from relmgr.spec.schema import Delta

_E, _W, _I = Severity.ERR, Severity.WARN, Severity.INFO


def _family(prefixes: tuple[str, ...], **suffixes: Severity) -> dict[str, Severity]:
    return {
        f"{prefix}-{suffix.replace('_', '-')}": level
        for prefix in prefixes
        for suffix, level in suffixes.items()
    }


_REQ = ("request-body", "request-property")
_REQ_ALL = ("request-body", "request-property", "request-parameter")
_RESP = ("response-body", "response-property")

RULES: dict[str, Severity] = {
    # paths and operations (APIAddedCheck, APIRemovedCheck, stability policy, APIDeprecationCheck)
    "endpoint-added": _I,
    "api-path-removed-without-deprecation": _E,
    "api-path-removed-with-deprecation": _I,
    "api-path-removed-before-sunset": _E,
    "api-path-sunset-parse": _E,
    "api-removed-without-deprecation": _E,
    "api-removed-with-deprecation": _I,
    "api-removed-before-sunset": _E,
    "api-stability-decreased": _E,
    "api-stability-increased": _I,
    "api-invalid-stability-level": _E,
    "endpoint-deprecated": _I,
    "endpoint-reactivated": _I,
    "api-deprecated-sunset-missing": _E,
    "api-deprecated-sunset-parse": _E,
    "api-sunset-date-too-small": _E,
    # parameters
    "new-required-request-parameter": _E,
    "new-optional-request-parameter": _I,
    "new-request-path-parameter": _E,
    "new-required-request-default-parameter-to-existing-path": _E,
    "new-optional-request-default-parameter-to-existing-path": _I,
    "request-parameter-removed": _W,
    "request-parameter-removed-with-deprecation": _I,
    "request-parameter-removed-before-sunset": _E,
    "request-parameter-sunset-parse": _E,
    "request-parameter-became-required": _E,
    "request-parameter-became-optional": _I,
    "request-parameter-deprecated": _I,
    "request-parameter-reactivated": _I,
    "request-parameter-deprecated-sunset-missing": _E,
    "request-parameter-property-type-changed": _W,  # breaking only if the values travel as JSON
    "request-parameter-property-type-specialized": _E,
    "request-parameter-property-type-generalized": _I,
    "request-parameter-property-enum-value-removed": _E,
    "request-parameter-property-enum-value-added": _I,
    "request-parameter-property-became-nullable": _I,
    "request-parameter-property-became-not-nullable": _E,
    "request-parameter-max-items-decreased": _E,
    "request-parameter-max-items-increased": _I,
    "request-parameter-min-items-decreased": _I,
    # oasdiff of that era rated request-parameter default changes ERR (later INFO)
    **_family(
        ("request-parameter",), default_value_added=_E, default_value_removed=_E, default_value_changed=_E
    ),
    **_family(_REQ, default_value_added=_I, default_value_removed=_I, default_value_changed=_I),
    **_family(
        ("request-parameter", "request-property"),
        pattern_added=_E,
        pattern_removed=_I,
        pattern_changed=_W,
        pattern_generalized=_I,
    ),
    # request bodies
    "request-body-added-required": _E,
    "request-body-added-optional": _I,
    "request-body-removed": _E,
    "request-body-became-required": _E,
    "request-body-became-optional": _I,
    "request-body-media-type-added": _I,
    "request-body-media-type-removed": _E,
    # a request-body enum value removed was INFO in oasdiff of that era and is ERR since: a value
    # clients used to send is now rejected, the same as for request properties and parameters.
    "request-body-enum-value-removed": _E,
    "request-property-enum-value-removed": _E,
    "request-read-only-property-enum-value-removed": _I,
    "request-parameter-enum-value-removed": _E,
    **_family(
        _REQ_ALL,
        type_changed=_E,
        type_generalized=_I,
        became_enum=_E,
        enum_value_added=_I,
        became_nullable=_I,
        became_not_nullable=_E,
    ),
    **_family(
        _REQ_ALL,
        max_length_set=_W,
        max_length_decreased=_E,
        max_length_increased=_I,
        min_length_increased=_E,
        min_length_decreased=_I,
        max_set=_W,
        max_decreased=_E,
        max_increased=_I,
        min_set=_W,
        min_increased=_E,
        min_decreased=_I,
        exclusive_max_set=_W,
        exclusive_max_decreased=_E,
        exclusive_max_increased=_I,
        exclusive_min_set=_W,
        exclusive_min_increased=_E,
        exclusive_min_decreased=_I,
        min_items_set=_W,
        min_items_increased=_E,
    ),
    **_family(
        ("request-read-only-property",),
        max_length_decreased=_I,
        max_decreased=_I,
        min_increased=_I,
        exclusive_max_decreased=_I,
        exclusive_min_increased=_I,
    ),
    "request-property-became-required": _E,
    "request-property-became-required-with-default": _E,
    "request-property-became-optional": _I,
    "new-required-request-property": _E,
    "new-required-request-property-with-default": _E,
    "new-optional-request-property": _I,
    "request-property-removed": _W,
    **_family(_REQ, any_of_added=_I, any_of_removed=_E, one_of_added=_I, one_of_removed=_E),
    # responses
    "response-success-status-removed": _E,
    "response-success-status-added": _I,
    "response-non-success-status-removed": _I,
    "response-non-success-status-added": _I,
    "response-media-type-removed": _E,
    "response-media-type-added": _I,
    "required-response-header-removed": _E,
    "optional-response-header-removed": _W,
    "response-header-became-optional": _E,
    **_family(
        _RESP,
        type_changed=_E,
        type_specialized=_I,
        became_nullable=_E,
        became_not_nullable=_I,
        default_value_added=_I,
        default_value_removed=_I,
        default_value_changed=_I,
        max_length_increased=_E,
        max_length_unset=_E,
        min_length_decreased=_E,
        max_increased=_E,
        min_decreased=_E,
        exclusive_max_increased=_E,
        exclusive_min_decreased=_E,
        min_items_decreased=_E,
        min_items_unset=_E,
        one_of_added=_E,
        one_of_removed=_I,
        any_of_added=_I,
        any_of_removed=_I,
    ),
    "response-property-enum-value-added": _W,
    "response-write-only-property-enum-value-added": _I,
    "response-property-enum-value-removed": _I,
    "response-media-type-enum-value-removed": _I,
    "response-required-property-removed": _E,
    "response-required-write-only-property-removed": _I,
    "response-optional-property-removed": _W,
    "response-optional-write-only-property-removed": _I,
    "response-required-property-added": _I,
    "response-required-write-only-property-added": _I,
    "response-optional-property-added": _I,
    "response-optional-write-only-property-added": _I,
    "response-property-became-optional": _E,
    "response-write-only-property-became-optional": _I,
    "response-property-became-required": _I,
    "response-write-only-property-became-required": _I,
    "response-property-pattern-added": _I,
    "response-property-pattern-changed": _I,
    "response-property-pattern-removed": _I,
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a compared schema sits: it decides what a delta means and how the sentence reads."""

    request: bool
    parameter: bool  # a parameter's schema (else a request or response body)
    strongly_typed: bool  # JSON: 1 and "1" differ, so a number -> string change is not a widening
    subject: str  # "the request body", "the query parameter 'limit'"
    context: str = ""  # " in application/json", " for status 200 in application/json"

    def prefix(self, nested: bool) -> str:
        if self.parameter:
            return "request-parameter-property" if nested else "request-parameter"
        side = "request" if self.request else "response"
        return f"{side}-property" if nested else f"{side}-body"

    def describe(self, path: tuple[str, ...]) -> str:
        if not path:
            return self.subject
        name = "/".join(path)
        if self.parameter:
            return f"the property '{name}' of {self.subject}"
        return f"the {'request' if self.request else 'response'} property '{name}'"


# A handler returns the ID suffix (composed with the place's prefix) or a whole ID after "=",
# and the verb phrase of the sentence; None when the delta means nothing in this place.
_Outcome = tuple[str, str] | None
_Handler = Callable[[Delta, Place], _Outcome]
_FORMAT_WIDENINGS = {
    ("float", "double"),
    ("int32", "int64"),
    ("int32", "bigint"),
    ("int64", "bigint"),
    ("date", "date-time"),
    ("time", "date-time"),
}
_ANY_STRING = {".*", "^.*$", "^(?:.*)$", "(.*)", "^(.*)$"}
_BOUNDS = {
    "max-length": ("max-length", "maxLength"),
    "min-length": ("min-length", "minLength"),
    "maximum": ("max", "maximum"),
    "minimum": ("min", "minimum"),
    "exclusive-maximum": ("exclusive-max", "exclusiveMaximum"),
    "exclusive-minimum": ("exclusive-min", "exclusiveMinimum"),
    "max-items": ("max-items", "maxItems"),
    "min-items": ("min-items", "minItems"),
}


def classify(delta: Delta, place: Place) -> tuple[str, str] | None:
    """The `(check ID, sentence)` a delta amounts to at `place`, or None when oasdiff reports nothing."""
    handler = _HANDLERS.get(delta.aspect) or _bound
    outcome = handler(delta, place)
    if outcome is None:
        return None
    suffix, phrase = outcome
    rule_id = suffix[1:] if suffix.startswith("=") else f"{place.prefix(bool(delta.path))}-{suffix}"
    if rule_id not in RULES:
        return None
    also = f" (and {delta.also} other place{'s' if delta.also > 1 else ''})" if delta.also else ""
    return rule_id, f"{place.describe(delta.path)} {phrase}{place.context}{also}"


def widened(
    before: tuple[tuple[str, ...], Any], after: tuple[tuple[str, ...], Any], strongly_typed: bool
) -> bool:
    """Does every value valid for `before` (types, format) stay valid for `after`?"""
    (old_types, old_format), (new_types, new_format) = before, after
    if old_types != new_types:
        if not new_types:
            return True  # no type at all: any value
        if not old_types:
            return False
        if not strongly_typed and new_types == ("string",):
            return True  # in a query string or form, every value is also a string
        return all(t in new_types or (t == "integer" and "number" in new_types) for t in old_types)
    return new_format is None or (old_format, new_format) in _FORMAT_WIDENINGS


def _nested_skip(delta: Delta, place: Place) -> bool:
    """oasdiff ignores read-only properties in requests and write-only ones in responses here."""
    return bool(delta.path) and (delta.read_only if place.request else delta.write_only)


def _type(delta: Delta, place: Place) -> _Outcome:
    if _nested_skip(delta, place):
        return None
    phrase = f"changed type from {_type_text(delta.before)} to {_type_text(delta.after)}"
    if place.parameter and delta.path:
        # an object in a parameter may travel as JSON (strongly typed) or not: WARN when that decides
        strict, loose = (not widened(delta.before, delta.after, flag) for flag in (True, False))
        suffix = "type-changed" if strict != loose else "type-specialized" if strict else "type-generalized"
        return suffix, phrase
    if place.request:
        safe = widened(delta.before, delta.after, place.strongly_typed)
        return ("type-generalized" if safe else "type-changed"), phrase
    safe = widened(delta.after, delta.before, place.strongly_typed)
    return ("type-specialized" if safe else "type-changed"), phrase


def _type_text(value: tuple[tuple[str, ...], Any]) -> str:
    types, fmt = value
    text = "|".join(types) or "any"
    return f"{text}/{fmt}" if fmt else text


def _nullable(delta: Delta, place: Place) -> _Outcome:
    return (
        ("became-nullable", "became nullable")
        if delta.after
        else ("became-not-nullable", "became not nullable")
    )


def _became_enum(delta: Delta, place: Place) -> _Outcome:
    if not place.request or _nested_skip(delta, place):
        return None
    return "became-enum", f"became an enum of {len(delta.after)} value(s)"


def _enum_removed(delta: Delta, place: Place) -> _Outcome:
    phrase = f"no longer allows the enum value {delta.before!r}"
    if place.request and delta.path and delta.read_only:
        return "=request-read-only-property-enum-value-removed", phrase
    if not place.request and not delta.path and not place.parameter:
        return "=response-media-type-enum-value-removed", phrase
    return "enum-value-removed", phrase


def _enum_added(delta: Delta, place: Place) -> _Outcome:
    phrase = f"gained the enum value {delta.after!r}"
    if not place.request and delta.write_only:
        return "=response-write-only-property-enum-value-added", phrase
    return "enum-value-added", phrase


def _bound(delta: Delta, place: Place) -> _Outcome:
    name, keyword = _BOUNDS[delta.aspect]
    before, after = delta.before, delta.after
    if delta.aspect == "min-length":
        before, after = before or 0, after or 0  # minLength defaults to 0
    if before is None:
        suffix, phrase = f"{name}-set", f"got {keyword} {after}"
    elif after is None:
        suffix, phrase = f"{name}-unset", f"lost {keyword} {before}"
    else:
        change = "increased" if after > before else "decreased"
        suffix, phrase = f"{name}-{change}", f"{keyword} {change} from {before} to {after}"
    if place.request and delta.path and delta.read_only and not place.parameter:
        return f"=request-read-only-property-{suffix}", phrase
    return suffix, phrase


def _pattern(delta: Delta, place: Place) -> _Outcome:
    before, after = delta.before, delta.after
    if after is None:
        return "pattern-removed", f"lost the pattern {before!r}"
    if before is None:
        return "pattern-added", f"got the pattern {after!r}"
    phrase = f"pattern changed from {before!r} to {after!r}"
    if place.request and after in _ANY_STRING:
        return "pattern-generalized", phrase
    return "pattern-changed", phrase


def _default(delta: Delta, place: Place) -> _Outcome:
    if delta.before is None:
        return "default-value-added", f"got the default {delta.after!r}"
    if delta.after is None:
        return "default-value-removed", f"lost the default {delta.before!r}"
    return "default-value-changed", f"default changed from {delta.before!r} to {delta.after!r}"


def _response_existence(delta: Delta, verb: str) -> str:
    kind = "required" if delta.required else "optional"
    write_only = "-write-only" if delta.write_only else ""
    return f"=response-{kind}{write_only}-property-{verb}"


def _property_added(delta: Delta, place: Place) -> _Outcome:
    phrase = f"was added as {'required' if delta.required else 'optional'}"
    if place.parameter:
        return None
    if not place.request:
        return _response_existence(delta, "added"), phrase
    if delta.read_only:
        return None
    if not delta.required:
        return "=new-optional-request-property", phrase
    return (
        "=new-required-request-property-with-default"
        if delta.has_default
        else "=new-required-request-property"
    ), phrase


def _property_removed(delta: Delta, place: Place) -> _Outcome:
    phrase = f"was removed (it was {'required' if delta.required else 'optional'})"
    if place.parameter:
        return None
    if not place.request:
        return _response_existence(delta, "removed"), phrase
    return None if delta.read_only else ("=request-property-removed", phrase)


def _became_required(delta: Delta, place: Place) -> _Outcome:
    if place.parameter or _nested_skip(delta, place):
        return None
    if not place.request:
        return (
            "=response-write-only-property-became-required" if delta.write_only else "became-required"
        ), "became required"
    if delta.has_default:
        return "became-required-with-default", "became required (it has a default)"
    return "became-required", "became required"


def _became_optional(delta: Delta, place: Place) -> _Outcome:
    if place.parameter:
        return None
    if not place.request and delta.write_only:
        return "=response-write-only-property-became-optional", "became optional"
    return "became-optional", "became optional"


def _member(keyword: str, verb: str) -> _Handler:
    def handler(delta: Delta, place: Place) -> _Outcome:
        label = delta.before if verb == "removed" else delta.after
        verb_text = "lost" if verb == "removed" else "gained"
        return f"{keyword}-{verb}", f"{verb_text} the {keyword.replace('-o', 'O')} member '{label}'"

    return handler


_HANDLERS: dict[str, _Handler] = {
    "type": _type,
    "nullable": _nullable,
    "became-enum": _became_enum,
    "enum-value-removed": _enum_removed,
    "enum-value-added": _enum_added,
    "pattern": _pattern,
    "default": _default,
    "property-added": _property_added,
    "property-removed": _property_removed,
    "became-required": _became_required,
    "became-optional": _became_optional,
    "any-of-added": _member("any-of", "added"),
    "any-of-removed": _member("any-of", "removed"),
    "one-of-added": _member("one-of", "added"),
    "one-of-removed": _member("one-of", "removed"),
}
