"""Sparing the garbage collector the objects a preprocessing run keeps.

CPython's cyclic collector scans every tracked object of its oldest generation at each full
collection. A run holds millions of long-lived objects (the model, the records and cache index
of every article), and the full collections that building the tables triggers scanned them all
again, finding nothing: about half a second of adding 10 articles to 10,000.

Inside `long_lived()`, `keep()` moves every object that exists into the permanent generation
(`gc.freeze`), which collections skip. Frozen objects are still freed by reference counting;
only reference cycles among them wait until the context ends and returns them to the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from lib.simpler import simpler

_depth = 0  # open `long_lived` contexts


@contextmanager
def long_lived() -> Iterator[None]:
    """A stretch of work whose objects `keep()` may freeze; all are unfrozen when it ends."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth:
            gc.unfreeze()


def keep() -> None:
    """Spare the objects that exist now from the collector's scans until `long_lived` ends (no
    effect outside one, so that a caller's objects are never frozen for good)."""
    if _depth and not simpler("heap"):
        gc.freeze()
