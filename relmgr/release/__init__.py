"""Cutting a release, pure: the version asked for, the branch it is made from, the new text of every file it
writes and the tag's message (`plan`). `app.release` reads and writes around it.

May import: `errors`, `config.model`, `history.versions`, `history.commits`, `policy`, `notes`. Never git, `cli`.
"""
