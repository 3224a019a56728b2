"""A package's files → griffe's model of its API, without importing anything.

The files are written to a temporary folder (griffe reads packages from folders), each is parsed first so
that a syntax error is an error naming the file and line (griffe itself skips such a module quietly, which
would read as every object in it being removed), then griffe loads the package statically: no inspection,
so no code of the package ever runs.
"""

from __future__ import annotations

import ast
import logging
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from relmgr.errors import SpecError

if TYPE_CHECKING:
    import griffe


class PackageError(SpecError):
    """A package's source cannot be read (a syntax error, a bad encoding): exit 5, as an unreadable spec."""


def check_syntax(path: str, data: bytes) -> str | None:
    """Why `data` is not Python this interpreter can parse (file and line), or None when it is."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like are not our business
            ast.parse(data, filename=path)
    except SyntaxError as exc:
        line = f" line {exc.lineno}" if exc.lineno else ""
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        return f"{path}{line}: {exc.msg} (as Python {version} reads it)"
    except ValueError as exc:  # null bytes, an unknown coding
        return f"{path}: {exc}"
    return None


def load_package(name: str, files: Mapping[str, bytes], where: str) -> griffe.Object:
    """griffe's model of package (or module) `name` from `files` (paths below the python-path folder:
    `ogx_api/provider/__init__.py`); `where` names the ref and folder in errors. Parent packages are not
    written (griffe reads them as namespace packages), so that only the package's own files are its API,
    and a namespace package (a folder without `__init__.py`) reads as one."""
    import griffe

    with tempfile.TemporaryDirectory(prefix="relmgr-pyapi-") as folder:
        root = Path(folder)
        for relative, data in files.items():
            target = root / PurePosixPath(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        reexports = _reexports()
        with _quiet():
            try:
                loaded = griffe.load(name, search_paths=[root], allow_inspection=False, store_source=False,
                                     try_relative_path=False, find_stubs_package=False, resolve_aliases=False,
                                     extensions=griffe.load_extensions(reexports))
            except (ImportError, griffe.LoadingError) as exc:
                raise PackageError(f"{name} at {where}: griffe cannot read it ({exc})") from None
        if not isinstance(loaded, griffe.Object):  # a name that is an alias at the top: not a package
            raise PackageError(f"{name} at {where}: not a module or package")
        reexports.mark(loaded)
        return loaded


def _reexports() -> Any:
    """A griffe extension for the typing spec's re-export forms, which griffe leaves to extensions:
    `from x import y as y` (a redundant alias) and `from x import *` make the names public in a module
    without `__all__`. Built on first use: griffe is imported only when a package is read."""
    import griffe

    class Reexports(griffe.Extension):
        def __init__(self) -> None:
            super().__init__()
            self.wildcards: dict[str, set[str]] = {}  # module path → the modules it imports * from

        def on_alias_instance(self, *, node: Any, alias: Any, **kwargs: Any) -> None:
            if isinstance(node, ast.ImportFrom) and any(n.name == "*" for n in node.names) and alias.wildcard:
                self.wildcards.setdefault(alias.parent.path, set()).add(alias.wildcard)
            elif isinstance(node, ast.Import | ast.ImportFrom) and any(
                    n.asname is not None and n.asname == n.name.rpartition(".")[2] == alias.name for n in node.names):
                alias.public = True

        def mark(self, package: Any) -> None:
            """After the load (wildcards expanded): the names a module imported with `*` are public there."""
            for path, sources in self.wildcards.items():
                module = package if path == package.path else _member(package, path)
                if module is None or module.exports:
                    continue
                for member in module.members.values():
                    if member.is_alias and not member.name.startswith("_") and member.public is None and (
                            member.target_path.rpartition(".")[0] in sources):
                        member.public = True

    return Reexports()


def _member(package: Any, path: str) -> Any:
    try:
        return package[path[len(package.path) + 1:]]
    except (KeyError, ValueError, AttributeError):
        return None


@contextmanager
def _quiet() -> Iterator[None]:
    """griffe logs what it cannot resolve; outside the package, that is expected, and not for people."""
    logger = logging.getLogger("griffe")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before
