"""Graduation, pure: whether an API is ready for its next level (`criteria`: evidence in, a proposal out)
and the proposal as JSON and as Markdown (`document`: the built-in template `proposal.md.j2`).

May import: `config.model`, `history.versions`, `policy.levels`, `text`, `notes.templates` (the sandbox).
Never git, `cli`, `app`.
"""
