"""Load benchmark of the public catalogue (``python bench/run.py``); not part of the app."""
