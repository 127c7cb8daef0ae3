"""Worker pools fork only from a process that runs no other thread."""

from __future__ import annotations

import threading

import pytest

from lib import spawning


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


@pytest.mark.parametrize(("method", "prepared_here"), [("fork", 1), ("spawn", 0)])
def test_forked_workers_inherit_what_was_prepared_here_spawned_ones_prepare_it_themselves(
        monkeypatch, method, prepared_here):
    monkeypatch.setattr(spawning, "start_method", lambda: method)
    calls = []
    pool = spawning.worker_pool(2, lambda: calls.append(1))
    pool.shutdown()
    assert len(calls) == prepared_here
