"""oasdiff's check IDs and their default severities: the single list of what diff_specs can report.

Severities follow oasdiff's `checker/rules.go` at the commit the conformance corpus was taken from
(4553c69d, the rules table with Direction/Area/Kind/Action columns). Where later oasdiff changed a
default, the older value is kept, with one exception noted below (request-body-enum-value-removed).

Schema IDs are composed as `<subject>-<change>`, the subject being `request-body`,
`request-property`, `request-parameter`, `request-parameter-property`, `response-body` or
`response-property`; a composition oasdiff has no ID for (say `response-property-max-length-
decreased`, which narrows a response and breaks nobody) is not in this list and is not reported.
"""

from __future__ import annotations

from relmgr.spec.model import Severity

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
