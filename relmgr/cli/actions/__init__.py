"""What a command does once its options are parsed, without typer: `body(state, …) -> exit code`.

The typer commands (`cli/commands/`) declare the options, help and checks of each command and call these;
the fast path (`cli/fast.py`) calls them straight from `sys.argv` for the commands it knows, so that a
piped `releases`, `check --tag` or `notes TAG` never imports typer, click or rich.
"""
