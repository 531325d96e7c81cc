"""How a worker process gives memory back to the system (glibc's allocator, on Linux).

Python's threads (the database's reader threads, the thread pool of blocking work) each get a
malloc arena of their own; with a large catalogue snapshot built and rebuilt, every arena keeps
its high-water mark. A worker asks for at most ``MOTCUA_MALLOC_ARENAS`` arenas
(``Settings.malloc_arenas``: 2; glibc's own default is 8 per core) and trims the heap once a
snapshot has been built. Elsewhere (musl, macOS) both are no-ops."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

M_ARENA_MAX = -8  # glibc's malloc.h


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def limit_arenas(wanted: int | None) -> bool:
    """Set the arena limit for this process (before its threads start); True when it was set."""
    libc = _libc()
    if wanted is None or libc is None:
        return False
    return bool(libc.mallopt(M_ARENA_MAX, wanted))


def trim() -> bool:
    """Give the free pages at the top and inside the heap back to the system."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
