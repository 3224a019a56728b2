"""CI, offline: the event a pipeline runs for (GitHub's payload file, GitLab's merge-request variables) read
into one frozen record (`events`), and what a pull request will land (`pr`: the stream its base branch
implies, its approvals from labels, its title as the squash commit).

Pure: a payload (a mapping) and an environment (a mapping) in, records out. No network, no git, no disk:
the CLI reads the file `GITHUB_EVENT_PATH` names. May import: `errors`, `config.model`, `history.versions`,
`history.commits`, `policy`.
"""
