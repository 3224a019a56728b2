"""Two versions of a package's API → what changed, as records named by relmgr's check IDs (`catalog`).

griffe's `find_breaking_changes` finds the breaks; it already leaves out what is not public: names with a
leading underscore, what a module's `__all__` leaves out, and names a module merely imports. Added public
objects (INFO) come from comparing `public_objects` of both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from relmgr.pyapi.catalog import ADDED, RULES, rule_of
from relmgr.spec.model import Severity

if TYPE_CHECKING:
    import griffe


@dataclass(frozen=True, slots=True)
class ApiChange:
    """One change of a package's public API."""

    id: str  # relmgr's check ID: python-object-removed …
    severity: Severity
    object: str  # the dotted path of the object it is about: `ogx_api.provider.Provider.start`
    message: str  # one sentence, naming the parameter or value when there is one

    def sort_key(self) -> tuple[int, str, str, str]:
        return (-self.severity.rank, self.object, self.id, self.message)


def diff_packages(old: griffe.Object, new: griffe.Object) -> list[ApiChange]:
    """Every change from `old` to `new`: griffe's breakages and the public objects added; most severe first."""
    import griffe

    before, after = _Surface.of(old), _Surface.of(new)
    names = {**after.names(), **before.names()}
    found = _one_per_object(_public(_change(b), names) for b in griffe.find_breaking_changes(old, new))
    found |= {ApiChange(ADDED.id, ADDED.severity, path, f"public {kind} `{path.rpartition('.')[2]}` was added")
              for path, kind in after.kinds.items() if path not in before.kinds}
    return sorted(found, key=ApiChange.sort_key)


@dataclass(frozen=True, slots=True)
class _Surface:
    """One walk of a package's public objects: their kinds, and the canonical path each re-export names."""

    kinds: dict[str, str]
    targets: dict[str, str]  # public path of an alias → the canonical path of what it names

    @classmethod
    def of(cls, package: griffe.Object) -> _Surface:
        kinds: dict[str, str] = {}
        targets: dict[str, str] = {}
        _walk(package, kinds, set(), targets)
        return cls(kinds, targets)

    def names(self) -> dict[str, str]:
        """Canonical path → the shortest public path that re-exports it (`p._impl.start` → `p.start`)."""
        found: dict[str, str] = {}
        for path, canonical in self.targets.items():
            if canonical not in found or (len(path), path) < (len(found[canonical]), found[canonical]):
                found[canonical] = path
        return found


def package_removed(name: str) -> ApiChange:
    """The whole package gone (or moved where the config does not look): every import of it breaks."""
    rule = RULES["OBJECT_REMOVED"]
    return ApiChange(rule.id, rule.severity, name, f"the package `{name}` was removed")


def defining_files(package: griffe.Object, path: str) -> set[str] | None:
    """The files (below the python path: `ogx_api/provider/api.py`) whose edits can change the object at
    `path`: each module's from the package down to it, the object's own, an alias's target's (with their
    `.py`/`.pyi` twins). None when `path` is not in `package` at all."""
    if path != package.path and not path.startswith(package.path + "."):
        return None
    found: set[str] = set()
    node: Any = package
    _add_file(found, node)
    for part in path[len(package.path) + 1:].split(".") if path != package.path else []:
        member = node.all_members.get(part)
        if member is None:
            return found or None
        if member.is_alias:
            _add_file(found, member.parent)
            member = _target(member)
            if member is None:
                return found
        _add_file(found, member)
        node = member
    return found


def _add_file(found: set[str], obj: Any) -> None:
    try:
        relative = obj.relative_package_filepath
    except Exception:  # a namespace package (several folders) or an object without a file
        return
    text = str(relative).replace("\\", "/")
    found.add(text)
    found.add(text[:-1] if text.endswith(".pyi") else text + "i" if text.endswith(".py") else text)


def public_objects(package: griffe.Object) -> dict[str, str]:
    """The public API: dotted path → kind (module, class, function, attribute), public modules and classes
    walked into; an object re-exported under several names is listed under each."""
    found: dict[str, str] = {}
    _walk(package, found, set())
    return found


def _walk(obj: Any, found: dict[str, str], seen: set[int], targets: dict[str, str] | None = None) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for name, member in obj.all_members.items():
        if not member.is_public:
            continue
        path = f"{obj.path}.{name}"
        target = _target(member)
        found[path] = _kind(target) if target is not None else "object"
        if targets is not None and member.is_alias and target is not None:
            targets[path] = str(target.path)
        if target is not None and not member.is_alias and (target.is_module or target.is_class):
            _walk(target, found, seen, targets)


def _target(member: Any) -> Any:
    """The object an alias names when it resolves (inside the package), else None; objects are themselves."""
    if not member.is_alias:
        return member
    try:
        return member.final_target
    except Exception:  # griffe's AliasResolutionError, CyclicAliasError: a name from outside the package
        return None


def _kind(obj: Any) -> str:
    return str(obj.kind.value)


def _change(breakage: griffe.Breakage) -> tuple[ApiChange, str]:
    """The change, and the canonical path of the object it is about (an alias's target, when it resolves)."""
    rule = rule_of(breakage.kind.name)
    obj = breakage.obj
    canonical = str(getattr(obj, "target_path", None) or obj.path) if obj.is_alias else str(obj.path)
    return ApiChange(rule.id, rule.severity, str(obj.path), _message(breakage)), canonical


def _public(found: tuple[ApiChange, str], names: dict[str, str]) -> tuple[ApiChange, str]:
    """A change about an object of a private module or class (`p._impl.start`), named by the public path
    that exports it (`p.start`): the name callers use."""
    change, canonical = found
    parts = change.object.split(".")
    if not any(part.startswith("_") and not part.startswith("__") for part in parts[1:]):
        return found
    for cut in range(len(parts), 1, -1):
        public = names.get(".".join(parts[:cut]))
        if public is not None:
            return replace(change, object=".".join([public, *parts[cut:]])), canonical
    return found


def _one_per_object(found: Iterable[tuple[ApiChange, str]]) -> set[ApiChange]:
    """One change per object and kind: a function re-exported by its package (`from .api import *`) and
    removed is reported once, under its shortest public path (the one users import), not once per name."""
    best: dict[tuple[str, str, str], ApiChange] = {}
    for change, canonical in found:
        key = (change.id, canonical, change.message)
        kept = best.get(key)
        if kept is None or (len(change.object), change.object) < (len(kept.object), kept.object):
            best[key] = change
    return set(best.values())


def _message(b: griffe.Breakage) -> str:
    kind, old, new = b.kind.name, b.old_value, b.new_value
    name = str(b.obj.path).rpartition(".")[2]
    if kind == "OBJECT_REMOVED":
        target = _target(old)
        what = _kind(target) if target is not None else "object"
        return f"public {what} `{name}` was removed"
    if kind == "OBJECT_CHANGED_KIND":
        return f"`{name}` was {_a(_value(old))} and is now {_a(_value(new))}"
    if kind == "PARAMETER_REMOVED":
        return f"parameter `{old.name}` of `{name}` was removed"
    if kind == "PARAMETER_MOVED":
        return f"positional parameter `{old.name}` of `{name}` moved {b.details.replace('position: ', '')}"
    if kind == "PARAMETER_CHANGED_KIND":
        return f"parameter `{old.name}` of `{name}` was {_value(old.kind)} and is now {_value(new.kind)}"
    if kind == "PARAMETER_CHANGED_DEFAULT":
        return f"the default of parameter `{old.name}` of `{name}` changed from `{old.default}` to `{new.default}`"
    if kind == "PARAMETER_CHANGED_REQUIRED":
        return f"parameter `{old.name}` of `{name}` is now required"
    if kind == "PARAMETER_ADDED_REQUIRED":
        return f"required parameter `{new.name}` was added to `{name}`"
    if kind == "RETURN_CHANGED_TYPE":
        return f"the return annotation of `{name}` changed from `{old}` to `{new}`"
    if kind == "CLASS_REMOVED_BASE":
        gone = sorted(_names(old) - _names(new))
        return f"`{name}` no longer derives from {', '.join(f'`{base}`' for base in gone) or 'a base class'}"
    if kind in ("ATTRIBUTE_CHANGED_TYPE", "ATTRIBUTE_CHANGED_VALUE"):
        what = "annotation" if kind == "ATTRIBUTE_CHANGED_TYPE" else "value"
        return f"the {what} of `{name}` changed from `{old}` to `{new}`"
    return f"`{name}`: {b.kind.value.lower()}"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _value(value: Any) -> str:
    return str(getattr(value, "value", value))


def _names(bases: Iterable[Any]) -> set[str]:
    return {str(base) for base in bases}
