"""Python package APIs: a package's public API read from files (never imported), and what changed.

Pure but for a temporary folder: file contents in (read from git by `app/pyapi.py`), griffe's model of the
package, then frozen records out. griffe is the library made for this: it reads a package's API from its
source without importing it, and `griffe.find_breaking_changes` says what breaks between two versions.

Modules: `catalog` (relmgr's check IDs for griffe's breakage kinds, with their severity), `tree` (git tree
objects → the package's files), `load` (files → griffe's model, syntax checked first), `diff` (two models →
`ApiChange` records; the public objects of one).

May import: `errors`, `spec.model` (Severity). Never git, `cli`, `app`.
"""

from __future__ import annotations

from relmgr.pyapi.catalog import RULES, PyRule
from relmgr.pyapi.diff import ApiChange, defining_files, diff_packages, package_removed, public_objects
from relmgr.pyapi.load import PackageError, load_package

__all__ = [
    "RULES",
    "ApiChange",
    "PackageError",
    "PyRule",
    "defining_files",
    "diff_packages",
    "load_package",
    "package_removed",
    "public_objects",
]
