"""The command line: the typer `app`, the shared `context` (State, `guarded`) and `options`, `output` (rich
tables, progress, JSON and GitHub renderers) and one module per command group in `commands/`.

Only `cli` imports typer or rich. A command imports `app`, the core and `cli` helpers, never another command.
"""
