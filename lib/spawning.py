"""Starting worker processes from any caller.

"spawn" starts a worker by running the parent's main script again in it: a Streamlit page, a
notebook or a test runner's module, none of which a worker needs, and some of which fail
outside their own runtime. Worker pools are started inside `bare_main`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bare_main() -> Iterator[None]:
    """Hide the caller's `__main__` while worker processes start."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
