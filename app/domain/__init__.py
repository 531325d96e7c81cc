"""Pure domain rules: no web framework, no database, no I/O."""
