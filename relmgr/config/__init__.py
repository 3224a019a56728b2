"""Configuration: `[tool.relmgr]` read, validated (`load`) into frozen records (`model`), and edited in place
(`edit`, for `relmgr graduate`).

May import: `errors`, `history.versions`, `policy.levels`, `policy.globs` (value types). Never `cli`, `app`.
"""
