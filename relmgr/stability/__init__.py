"""The stability page `relmgr docs` writes, pure: the records (`page`), its JSON and Markdown (`page`), and
the SVG timeline of each API's level across releases (`timeline`), written as plain XML text.

May import: `text`, `config.model`, `history.versions`, `policy.levels`. Never git, the disk or the clock:
`app/stability.py` gathers the records, `cli/` writes the files.
"""
