"""Keeping the app's memory flat under load (evals/load.py measures it).

What grew, measured with glibc's malloc_info and Python's object counts during the load test:
not Python objects (their count stayed flat) but the C heap. Every DOCX export parses
python-docx's template into lxml trees (~5 MB) that its package and parts hold in reference
cycles. Those outlive the export, reach the oldest generation, and wait for a full collection,
which Python runs rarely in a process with ~200,000 long-lived objects; meanwhile the heap grows
with each concurrent batch and is not given back (RSS stepped from ~250 to ~480 MB).

So: after start-up the long-lived objects are frozen (the collector no longer scans them), which
makes a full collection cheap (well under a millisecond instead of ~70 ms), and the app collects
after each export. A swapped-in index is frozen too, and the one it replaced is collected when
it retires.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc

M_ARENA_MAX = -8  # glibc's mallopt parameter


@functools.cache
def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Let glibc keep few malloc arenas: by default each of the app's many worker threads may get
    its own, and the freed memory scattered over them is not given back. Call before the app
    starts its threads; False where this is not glibc."""
    libc = _libc()
    try:
        return bool(libc is not None and libc.mallopt(M_ARENA_MAX, arenas))
    except AttributeError:
        return False


def freeze_long_lived() -> int:
    """Collect, then move every object alive now out of the collector's reach (index, model,
    app): call when start-up is done, and again after an index swap. Returns how many are frozen.
    Refcounting still frees them; only a cycle among them would wait for the next call."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def refreeze() -> None:
    """Freeze again (after an index swap) where start-up froze; otherwise leave the collector be."""
    if gc.get_freeze_count():
        freeze_long_lived()


def collect_garbage() -> bool:
    """A full collection, when it is cheap (the long-lived objects are frozen); False when it
    was skipped. Frees what a DOCX export leaves in cycles, and hands the freed heap back."""
    if gc.get_freeze_count() == 0:
        return False
    gc.collect()
    _trim_heap()
    return True


def _trim_heap() -> None:
    """glibc keeps freed memory for reuse; malloc_trim returns its free pages to the system."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)
