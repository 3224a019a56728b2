"""The use cases: each reads through `history.repository.Project`, calls the pure core and returns data —
`plan` (the next version), `check` (a target's verdict), `notes` (a release's notes, the changelog),
`specs` (the OpenAPI specs of a range, as one surface), `lifecycle` (deprecations and levels across
releases), `evidence` (graduation evidence), `release` (cut a release),
`demo` (the sample repository), `adoption` (what `relmgr init` reads from a repository).

Nothing here prints: warnings go to `Project.warnings`, the CLI shows them. May import everything but `cli`.
"""
