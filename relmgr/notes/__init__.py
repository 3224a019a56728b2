"""Release notes, pure: the model of a release (`model`, and its JSON document), Markdown (`markdown`),
Jinja2 templates in a sandbox (`templates`), a changelog file's sections (`changelog`) and links (`links`).

May import: `errors`, `history`, `policy`. Never git, the disk, `cli`, `app`.
"""
