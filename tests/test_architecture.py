"""The house rules of docs/architecture.md, read from the imports of every module (`ast`, nothing imported).

- no import cycles between relmgr's modules (lazy and type-only imports count: a cycle is a design knot);
- only `relmgr/cli/` imports typer or rich;
- only `relmgr/history/git.py` starts processes (`subprocess`, `multiprocessing`, `os.system` …);
- a command module never imports another command module;
- the core (config, history, policy, spec, notes, graduation, release, init) never imports `app` or `cli`,
  and `app` never imports `cli`.

Each rule is also shown failing on a made-up module graph, so the checker itself cannot rot into a pass.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "relmgr"
CORE = ("config", "history", "policy", "spec", "pyapi", "notes", "graduation", "release", "init", "ci", "stability")
PROCESS_MODULES = ("subprocess", "multiprocessing", "pty", "asyncio.subprocess")
PROCESS_CALLS = {("os", name) for name in ("system", "popen", "spawnl", "spawnlp", "spawnv", "spawnvp", "execv",
                                            "execvp", "fork", "forkpty", "posix_spawn", "posix_spawnp")}
PROCESS_OWNER = "relmgr.history.git"


@dataclass(frozen=True)
class Module:
    name: str  # relmgr.cli.commands.check
    imports: frozenset[str]  # every module it imports, relmgr's resolved to modules (not names in them)
    calls: frozenset[tuple[str, str]]  # (module, attribute) pairs it uses, e.g. ("os", "system")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_modules(root: Path = PACKAGE) -> dict[str, Module]:
    """Every module of the package at `root` with what it imports."""
    names = {module_name(p, root) for p in root.rglob("*.py")}
    found: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        imports: set[str] = set()
        calls: set[tuple[str, str]] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imports.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    imports.add(child if child in names else node.module)
                    if node.module == "os":
                        calls.add(("os", alias.name))
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                calls.add((node.value.id, node.attr))
        found[name] = Module(name, frozenset(imports), frozenset(calls))
    return found


def _internal(modules: Mapping[str, Module], module: Module) -> set[str]:
    """The relmgr modules `module` imports (a package import counts as its `__init__`)."""
    return {name for name in module.imports if name in modules and name != module.name}


def cycles(modules: Mapping[str, Module]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), each as a closed path `a → b → a`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for other in sorted(_internal(modules, modules[name])):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in on_stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(_path(modules, sorted(group)))

    for name in sorted(modules):
        if name not in index:
            visit(name)
    return groups


def _path(modules: Mapping[str, Module], group: list[str]) -> list[str]:
    """A closed path through a strongly connected group, for the failure message."""
    members, path = set(group), [group[0]]
    while True:
        step = sorted(_internal(modules, modules[path[-1]]) & members)
        following = next((s for s in step if s not in path), None) or step[0]
        path.append(following)
        if following in path[:-1]:
            return path[path.index(following):]


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(modules: Mapping[str, Module]) -> Iterator[str]:
    """Every broken house rule, one line each."""
    for cycle in cycles(modules):
        yield "import cycle: " + " → ".join(cycle)
    for module in modules.values():
        name = module.name
        for imported in sorted(module.imports):
            ui = _in(imported, "typer") or _in(imported, "rich") or _in(imported, "click")
            if ui and not _in(name, "relmgr.cli"):
                yield f"{name} imports {imported}: only relmgr.cli may import typer, click or rich"
            if any(_in(imported, process) for process in PROCESS_MODULES) and name != PROCESS_OWNER:
                yield f"{name} imports {imported}: only {PROCESS_OWNER} starts processes"
            if (name.startswith("relmgr.cli.commands.") and imported.startswith("relmgr.cli.commands.")
                    and imported != name):
                yield f"{name} imports {imported}: a command never imports another command"
            for core in CORE:
                if _in(name, f"relmgr.{core}") and (_in(imported, "relmgr.app") or _in(imported, "relmgr.cli")):
                    yield f"{name} imports {imported}: the core never imports relmgr.app or relmgr.cli"
            if _in(name, "relmgr.app") and _in(imported, "relmgr.cli"):
                yield f"{name} imports {imported}: relmgr.app never imports relmgr.cli"
        if name != PROCESS_OWNER:
            for call in sorted(module.calls & PROCESS_CALLS):
                yield f"{name} uses {'.'.join(call)}: only {PROCESS_OWNER} starts processes"


def test_relmgr_keeps_the_house_rules() -> None:
    modules = read_modules()
    assert "relmgr.history.git" in modules and "relmgr.cli.commands.check" in modules  # it read the tree
    assert list(violations(modules)) == []


# -- the checker fails when a rule is broken ---------------------------------------------------------


def fake(**graph: str) -> dict[str, Module]:
    """A made-up package: `a="b c"` means module relmgr.a imports relmgr.b and relmgr.c (or a bare name)."""
    modules: dict[str, Module] = {}
    for short, targets in graph.items():
        name = "relmgr." + short.replace("__", ".")
        imported = {t if t.split(".")[0] in ("typer", "rich", "subprocess", "os") else "relmgr." + t
                    for t in targets.split()}
        calls = {("os", "system")} if "os" in imported else set()
        modules[name] = Module(name, frozenset(imported), frozenset(calls))
    return modules


@pytest.mark.parametrize(("graph", "expected"), [
    ({"policy__a": "policy.b", "policy__b": "policy.c", "policy__c": "policy.a"},
     "import cycle: relmgr.policy.a → relmgr.policy.b → relmgr.policy.c → relmgr.policy.a"),
    ({"notes__model": "rich"}, "relmgr.notes.model imports rich: only relmgr.cli may import typer, click or rich"),
    ({"app__check": "typer"}, "relmgr.app.check imports typer: only relmgr.cli may import typer, click or rich"),
    ({"app__specs": "subprocess"}, "relmgr.app.specs imports subprocess: only relmgr.history.git starts processes"),
    ({"history__repository": "os"}, "relmgr.history.repository uses os.system: only relmgr.history.git starts "
     "processes"),
    ({"cli__commands__release": "cli.commands.check", "cli__commands__check": ""},
     "relmgr.cli.commands.release imports relmgr.cli.commands.check: a command never imports another command"),
    ({"policy__gate": "app.check", "app__check": ""},
     "relmgr.policy.gate imports relmgr.app.check: the core never imports relmgr.app or relmgr.cli"),
    ({"app__notes": "cli.output", "cli__output": ""},
     "relmgr.app.notes imports relmgr.cli.output: relmgr.app never imports relmgr.cli"),
])
def test_each_rule_fails_when_broken(graph: dict[str, str], expected: str) -> None:
    assert expected in list(violations(fake(**graph)))


def test_allowed_imports_pass() -> None:
    graph = fake(cli__commands__check="app.check cli.output typer", app__check="policy.gate history.repository",
                 policy__gate="policy.findings", policy__findings="", history__repository="history.git",
                 history__git="subprocess", cli__output="rich")
    assert list(violations(graph)) == []


def test_the_reader_resolves_from_imports_to_modules(tmp_path: Path) -> None:
    root = tmp_path / "relmgr"
    (root / "cli").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "cli" / "__init__.py").write_text("")
    (root / "cli" / "output.py").write_text("import rich\n")
    (root / "core.py").write_text("def f() -> None:\n    from relmgr.cli import output\n"
                                  "    import os\n    os.system('x')\n")
    modules = read_modules(root)
    assert modules["relmgr.core"].imports == {"relmgr.cli.output", "os"}
    found = list(violations(modules))
    assert "relmgr.core uses os.system: only relmgr.history.git starts processes" in found
