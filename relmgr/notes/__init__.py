"""Release notes, pure: the model of a release (`model`, and its JSON document), Markdown (`markdown`),
Jinja2 templates in a sandbox (`templates`), a changelog file's sections (`changelog`), links (`links`) and
what `[tool.relmgr.notes]` leaves out (`hygiene`: bookkeeping commits, bots).

May import: `errors`, `config.model`, `history`, `policy`. Never git, the disk, `cli`, `app`.
"""
