"""relmgr's commands, one module per group; each has `register(app)`. A command never imports another."""
