"""relmgr's check IDs for the changes of a Python package's public API, with their severity.

One ID per kind of griffe breakage (`griffe.BreakageKind`), plus `python-object-added` (INFO, for `api-diff`
and graduation evidence). Severities use oasdiff's words: ERR breaks callers, WARN may break them, INFO
does not. IDs are stable (JSON, messages, docs): never rename one, add new ones instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from relmgr.spec.model import Severity


@dataclass(frozen=True, slots=True)
class PyRule:
    id: str
    severity: Severity
    description: str  # what the check means, for the docs page and `--help`


_RULES = (
    # kind name in griffe          relmgr ID                                severity
    ("OBJECT_REMOVED", PyRule("python-object-removed", Severity.ERR,
                              "a public module, class, function or attribute was removed")),
    ("OBJECT_CHANGED_KIND", PyRule("python-object-changed-kind", Severity.ERR,
                                   "a public name now names another kind of object (a function became a class …)")),
    ("PARAMETER_REMOVED", PyRule("python-parameter-removed", Severity.ERR,
                                 "a parameter was removed (and no `*args`/`**kwargs` takes it)")),
    ("PARAMETER_MOVED", PyRule("python-parameter-moved", Severity.ERR,
                               "a positional parameter moved: positional calls now pass another argument")),
    ("PARAMETER_CHANGED_KIND", PyRule("python-parameter-changed-kind", Severity.ERR,
                                      "a parameter became positional-only or keyword-only")),
    ("PARAMETER_CHANGED_REQUIRED", PyRule("python-parameter-became-required", Severity.ERR,
                                          "an optional parameter lost its default")),
    ("PARAMETER_ADDED_REQUIRED", PyRule("python-required-parameter-added", Severity.ERR,
                                        "a parameter without a default was added")),
    ("CLASS_REMOVED_BASE", PyRule("python-class-base-removed", Severity.ERR,
                                  "a base class was removed: `isinstance` checks and inherited members go")),
    ("PARAMETER_CHANGED_DEFAULT", PyRule("python-parameter-default-changed", Severity.WARN,
                                         "a parameter's default value changed: callers relying on it see "
                                         "other behaviour")),
    ("RETURN_CHANGED_TYPE", PyRule("python-return-type-changed", Severity.WARN,
                                   "the return annotation changed incompatibly")),
    ("ATTRIBUTE_CHANGED_TYPE", PyRule("python-attribute-type-changed", Severity.WARN,
                                      "an attribute's annotation changed incompatibly")),
    ("ATTRIBUTE_CHANGED_VALUE", PyRule("python-attribute-value-changed", Severity.INFO,
                                       "a module or class attribute's value changed")),
)
RULES: dict[str, PyRule] = dict(_RULES)  # griffe's BreakageKind name → relmgr's rule
ADDED = PyRule("python-object-added", Severity.INFO, "a public module, class, function or attribute was added")
UNKNOWN = PyRule("python-api-changed", Severity.WARN, "a change griffe reports that this relmgr does not know")
ALL_RULES = (*RULES.values(), ADDED, UNKNOWN)


def rule_of(kind_name: str) -> PyRule:
    """The rule of a griffe breakage kind; a kind newer than this table is a WARN, never dropped."""
    return RULES.get(kind_name, UNKNOWN)
