"""`relmgr init`, pure: a starter config detected from a repository's files, tags, subjects and specs
(`detect`) and written as commented TOML (`render`).

May import: `errors`, `history.versions`, `history.commits`, `policy`, `spec`. Never git, `cli`.
"""
