"""`relmgr init`'s output: the starter `[tool.relmgr]` table with a comment on every value, the list of what
to check by hand, and the append to a pyproject.toml that keeps every existing byte. Pure: text in, text out.
"""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING, Any

from relmgr.errors import ConfigError
from relmgr.init.detect import Detected, DetectedApi

if TYPE_CHECKING:
    from tomlkit.items import Array, Table

_LISTED = 8  # API names a checklist line shows before "and N more"
HEADER = (
    "relmgr's configuration, written by `relmgr init`: each value says where it came from.",
    "Check the values marked 'check', then run `relmgr apis` and `relmgr check --stream y`.",
)


def render_config(found: Detected) -> str:
    """The `[tool.relmgr]` table (with its subtables) as TOML text, a comment above every detected value."""
    import tomlkit

    doc = tomlkit.document()
    for line in HEADER:
        doc.add(tomlkit.comment(line))
    root = tomlkit.table()
    _note(root, f"from your tags: {found.tags.source}")
    if found.tags.style:
        _note(root, f"version style: {found.tags.style}")
    root.add("tag-prefix", found.tags.prefix)
    if found.tags.ignore:
        _note(root, f"check: {found.tags.ignore_source}")
        root.add("ignore-tags", list(found.tags.ignore))
    _note(root, "check: changes that touch no API are judged at this level (v1, the strictest)")
    root.add("default-level", "v1")
    if found.repo_url:
        _note(root, f"from `git remote get-url origin` ({found.remote})")
        root.add("repo-url", found.repo_url)
    else:
        why = f"origin is {found.remote}, not GitHub or GitLab" if found.remote else "no remote named origin"
        _note(root, f"check: set repo-url for links in notes and check output ({why}):")
        _note(root, 'repo-url = "https://github.com/OWNER/REPO"')
    for line in found.notes:
        _note(root, line)
    if found.apis:
        apis = tomlkit.table(is_super_table=True)
        for api in found.apis:
            apis.add(api.name, _api_table(api, found.history_source))
        root.add("apis", apis)
    else:
        for line in _NO_API:
            _note(root, line)
    if found.levels_from is not None:
        root.add("openapi", _openapi_table(found))
    if found.lint_scopes:
        lint = tomlkit.table()
        _note(lint, "from your commit history: scopes used in 2 commits or more that name no API")
        lint.add("scopes", list(found.lint_scopes))
        root.add("lint", lint)
    tool = tomlkit.table(is_super_table=True)
    tool.add("relmgr", root)
    doc.add("tool", tool)
    return tomlkit.dumps(doc)


_NO_API = (
    "check: no API found (no folder like */api/<name>/, */apis/<name>/ or *_api/<name>/, no OpenAPI spec);",
    "add one table per API, e.g.:",
    "[tool.relmgr.apis.files]",
    'level = "v1alpha"          # new APIs start at v1alpha',
    'paths = ["src/files/**"]',
    'scopes = ["files"]',
)


def _note(table: Table, text: str) -> None:
    import tomlkit

    table.add(tomlkit.comment(text))


def _api_table(api: DetectedApi, history_source: str) -> Table:
    import tomlkit

    table = tomlkit.table()
    _note(table, f"found in {', '.join(api.found_in)}")
    for line in api.notes:
        _note(table, line)
    if api.level_source is None:
        _note(table, "check: level not detected; a new API starts at v1alpha: set the level you promise its users")
    else:
        _note(table, f"check: level from {api.level_source}")
    table.add("level", str(api.level))
    if api.paths:
        _note(table, "the API's folders: add its other code (handlers, schemas) so changes there count as its own")
    else:
        _note(table, 'check: no folder found; list the API\'s code, e.g. ["src/files/**"]')
    table.add("paths", list(api.paths))
    _note(table, api.scope_source)
    table.add("scopes", list(api.scopes))
    if api.routes:
        why = f": {api.routes_source}" if api.routes_source else ""
        _note(table, f"its operations in the OpenAPI spec{why} (a path without wildcards covers the paths below it)")
        if any(route.endswith("]") for route in api.routes):
            _note(table, "a path ending in a one-character class (`benchmark[s]`) is that path only: another "
                         "API's operations lie below it")
        table.add("routes", list(api.routes))
    if api.tests:
        _note(table, f"conformance tests (evidence for `relmgr propose`): {api.tests_source}")
        table.add("tests", list(api.tests))
    if api.history:
        read = f" ({history_source})" if history_source else ""
        _note(table, f"its level at past releases, from the specs at release tags{read}: the level before `until`")
        table.add("history", _history(api))
    return table


def _history(api: DetectedApi) -> Array:
    import tomlkit

    entries = tomlkit.array()
    for entry in api.history:
        item = tomlkit.inline_table()
        item.update({"until": entry.until, "level": str(entry.level)})
        entries.add_line(item, comment=entry.comment)
    entries.add_line(indent="")
    return entries


def _openapi_table(found: Detected) -> Table:
    import tomlkit

    table = tomlkit.table()
    _note(table, "the OpenAPI documents committed in the repository (found by their `openapi:` key):")
    for spec in found.spec_files:
        _note(table, f"  {spec.path}: {spec.operations} operations, {spec.role}")
    if found.spec_note:
        _note(table, f"check: {found.spec_note}")
    _note(table, "the files that form the surface: an operation exists if any of them has it")
    table.add("specs", list(found.specs))
    _note(table, f"where an operation's level is written: {found.levels_from_source}")
    table.add("levels-from", found.levels_from)
    return table


def checklist(found: Detected, written: str) -> list[str]:
    """What `relmgr init` cannot know: one line per thing to check by hand in `written`."""
    lines = [f"Check by hand in {written}:"]
    by_source: dict[str, list[DetectedApi]] = {}
    for api in found.apis:
        if api.level_source is None:
            lines.append(f"- {api.name}: level {api.level} is a guess (new APIs start at v1alpha): set the level "
                         "you promise its users")
        else:
            by_source.setdefault(api.level_source, []).append(api)
    for source, apis in by_source.items():
        if len(apis) == 1:
            lines.append(f"- {apis[0].name}: level {apis[0].level} comes from {source}: confirm it")
        else:
            levels = ", ".join(f"{api.name} {api.level}" for api in apis)
            lines.append(f"- levels from {source.replace('its ', 'their ', 1)}: {levels}: confirm them")
    if not found.apis:
        lines.append("- no API found: add a [tool.relmgr.apis.<name>] table per API (docs/configuration.md)")
    else:
        lines.append("- paths: add each API's other folders (handlers, schemas, clients), or changes there will not "
                     "count as the API's")
        unused = [api.name for api in found.apis if api.scope_source.startswith("the API's name")]
        if unused:
            more = len(unused) - _LISTED
            shown = ", ".join(unused[:_LISTED]) + (f" and {more} more" if more > 0 else "")
            lines.append(f"- scopes: no commit uses a scope for {shown} yet; add the scopes your team "
                         "writes (feat(<scope>): …)")
        if any(api.history for api in found.apis):
            lines.append("- history: suggested from the specs at release tags; an API that changed level "
                         "without its routes showing it needs an entry too")
        else:
            lines.append('- history: an API that changed level in the past needs history = [{ until = "X.Y.Z", '
                         'level = "v1beta" }], so that old releases are judged at their old level')
    if found.tags.ignore:
        lines.append(f"- ignore-tags: {', '.join(found.tags.ignore)} leaves out the marker tags "
                     "(`relmgr releases` lists what is skipped)")
    lines.append('- default-level = "v1": changes that touch no API are judged as v1 (the strictest); lower it if '
                 "the code outside the APIs is no public surface")
    if found.repo_url:
        lines.append(f"- repo-url: {found.repo_url} (from origin): links in notes and check output")
    else:
        lines.append("- repo-url: not detected; set it for links in notes and check output")
    lines.append("Then `relmgr apis` lists the APIs, `relmgr releases` the tags, and `relmgr check --stream y` "
                 "tries the gate on your unreleased work.")
    return lines


def append_table(existing: str, table: str, source: str) -> str:
    """`existing` (a pyproject.toml) with `table` appended; every existing byte kept, line ends followed.

    The result is read back: it must hold exactly the old document plus `[tool.relmgr]`, or nothing is written.
    """
    newline = "\r\n" if "\r\n" in existing else "\n"
    text = existing
    if text and not text.endswith("\n"):
        text += newline
    if text.strip():
        text += newline
    result = text + table.replace("\n", newline)
    before = _parse(existing, f"{source} is not valid TOML", source)
    after = _parse(result, f"appending [tool.relmgr] to {source} breaks it", source)
    added = _parse(table, "the generated table is not valid TOML", source)
    tool = dict(after.get("tool", {}))
    relmgr = tool.pop("relmgr", None)
    if tool or "tool" in before:
        after["tool"] = tool
    else:
        after.pop("tool", None)
    if relmgr != added["tool"]["relmgr"] or after != before:
        raise ConfigError(f"appending [tool.relmgr] to {source} would change other settings; "
                          "write relmgr.toml instead: `relmgr init --print > relmgr.toml`")
    return result


def _parse(text: str, problem: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{problem} ({exc}); fix {source} or write relmgr.toml with "
                          "`relmgr init --print > relmgr.toml`") from None
