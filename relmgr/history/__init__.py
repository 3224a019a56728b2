"""The history: git (`git`, the only module that starts processes), tags as versions and releases
(`versions`), commits as Conventional Commits (`commits`), the commit graph (`ancestry`, `timeline`), the
renames between releases (`renames`) and `repository.Project`, which asks git once per kind of question
and hands plain records to the core.

May import: `errors`, `progress`, `config`, `policy.apis`/`levels`/`globs` (to map commits to APIs). Never `cli`,
`app`.
"""
