"""What a schema delta means at a place (request or response, body or parameter), as an oasdiff ID.

The IDs and severities live in `catalog.py`; a delta whose composed ID is not there is not reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relmgr.spec.catalog import RULES
from relmgr.spec.schema import Delta


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
