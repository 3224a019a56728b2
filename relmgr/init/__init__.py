"""`relmgr init`, pure: a starter config detected from a repository's files, tags, subjects and specs
(`detect`, from `tags`, `folders`, `specs`, `routes`, `stability`, `history`, `remote`) and written as
commented TOML (`render`). `app.adoption` reads what it needs from git.

May import: `errors`, `history.versions`, `history.commits`, `policy`, `spec`. Never git, `cli`, `app`.
"""
