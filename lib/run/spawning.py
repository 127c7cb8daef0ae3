"""Starting worker processes safely from any caller.

Workers are forked when the caller runs no other thread; otherwise they are spawned: a forked
copy of a process with threads can wait forever on a lock that one of those threads held. Either
way each worker prepares itself (loads the model) as it starts: preparing it once in the caller
for forked workers to inherit saved too little to keep (docs/performance.md).

"spawn" starts a worker by running the parent's main script again in it: a Streamlit page, a
notebook or a test runner's module, none of which a worker needs, and some of which fail
outside their own runtime. Worker pools are started inside `bare_main`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def start_method() -> str:
    """"fork" when forking this process is safe (the platform forks and no other thread runs),
    else "spawn"."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def worker_pool(workers: int, prepare: Callable[[], object]) -> ProcessPoolExecutor:
    """A pool of `workers` processes, each prepared by `prepare` (loading what its tasks use) as
    it starts. Each worker ends itself when this process is gone (`_start_worker`)."""
    context = multiprocessing.get_context(start_method())
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), prepare))


PARENT_CHECK_SECONDS = 1.0


def _start_worker(parent: int, prepare: Callable[[], object]) -> None:
    """In a new worker: `prepare` it, and watch its parent from a daemon thread, ending the
    worker once the parent is gone. A parent killed outright (SIGKILL) cannot stop its workers,
    and they would otherwise wait for tasks forever, holding a model each."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
    prepare()


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
