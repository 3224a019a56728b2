"""Release notes, pure: the model of a release (`model`, and its JSON document), the Jinja2 sandbox every
template renders in, the built-in ones (`relmgr/templates/*.md.j2`, package data) and a user's
(`templates`), a changelog file's sections (`changelog`), links (`links`) and what `[tool.relmgr.notes]`
leaves out (`hygiene`: bookkeeping commits, bots); spec findings grouped per commit for people
(`grouped`).

May import: `errors`, `text`, `config.model`, `history`, `policy`. Never git, the user's disk, `cli`, `app`.
"""
