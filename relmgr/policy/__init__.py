"""The policy, pure: levels, path globs, APIs (which commits touch which API at which level), the level ×
stream rules (`streams`), the gate over commit messages (`gate`), its records and phrases (`findings`),
findings grouped per commit, API and check (`grouping`), waivers applied to a verdict (`waivers`), the next
version (`bump`) and commit-message lint (`lint`).

May import: `errors`, `config.model`, `history.versions`, `history.commits`. Never git, the disk, `cli`, `app`.
"""
