"""Graduation, pure: whether an API is ready for its next level (`criteria`: evidence in, a proposal out)
and the proposal as Markdown and JSON (`document`).

May import: `config.model`, `history.versions`, `policy.levels`, `notes.links`. Never git, `cli`, `app`.
"""
