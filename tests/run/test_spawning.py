"""Worker pools fork only from a process that runs no other thread."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lib.run import spawning
from tests.conftest import ROOT

from .test_standby import ended


def test_a_process_with_another_thread_spawns_its_workers():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert spawning.start_method() == "spawn"
    finally:
        stop.set()
        other.join()


def test_a_process_without_other_threads_forks_its_workers(monkeypatch):
    monkeypatch.setattr(spawning.threading, "active_count", lambda: 1)
    assert spawning.start_method() == "fork"


PREPARED = []  # what `prepare` did in this process


def prepare() -> None:
    PREPARED.append(os.getpid())


def prepared_in() -> list[int]:
    return list(PREPARED)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_each_worker_prepares_itself_and_the_caller_prepares_nothing(monkeypatch, method):
    monkeypatch.setattr(spawning, "start_method", lambda: method)
    with spawning.worker_pool(1, prepare) as pool, spawning.bare_main():
        in_worker = pool.submit(prepared_in).result()
    assert PREPARED == []
    assert len(in_worker) == 1 and in_worker[0] != os.getpid()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_workers_end_when_their_parent_is_killed():
    """A run killed outright (SIGKILL) cannot stop its workers: they notice and end themselves."""
    code = ("import os, time\nfrom lib.run import spawning\n"
            "def pid():\n    time.sleep(0.5)\n    return os.getpid()\n"
            "pool = spawning.worker_pool(2, lambda: None)\n"
            "print(*{f.result() for f in [pool.submit(pid) for _ in range(4)]}, flush=True)\ntime.sleep(120)\n")
    run = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    workers = [int(pid) for pid in run.stdout.readline().split()]
    assert workers
    run.kill()
    run.wait()
    deadline = time.monotonic() + 30
    while not all(map(ended, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(map(ended, workers))
