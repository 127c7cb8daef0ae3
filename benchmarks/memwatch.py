"""Peak resident memory of a process and its descendants, sampled from outside it.

    python -m benchmarks.memwatch PID      (prints the peak in MiB once its stdin closes)

Each process counts its proportional set size where the system reports it (Linux): forked
workers share the parent's pages (the model) until they write to them, and summing resident
sizes would count those pages once per process. Elsewhere, the resident size.

The benchmark measures memory from a process of its own: a sampling thread inside the measured
process would make `lib.preprocess` spawn its workers instead of forking them (`lib.run.spawning`).
"""

from __future__ import annotations

import os
import select
import sys

import psutil

EVERY = 0.1  # seconds between samples


def resident(process: psutil.Process) -> int:
    """Bytes of memory that `process` holds: its share of each page it shares (PSS), or RSS."""
    try:
        return process.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):
        return process.memory_info().rss


def tree_memory(pid: int) -> float:
    """MiB that `pid` and its descendants hold (`resident`; this watcher left out)."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        if process.pid == os.getpid():
            continue
        try:
            total += resident(process)
        except psutil.Error:
            continue
    return total / 2**20


def main(argv: list[str] | None = None) -> int:
    pid = int((argv or sys.argv[1:])[0])
    peak = 0.0
    while True:
        try:
            peak = max(peak, tree_memory(pid))
        except psutil.Error:
            break
        readable, _, _ = select.select([sys.stdin], [], [], EVERY)
        if readable and not sys.stdin.read(1):
            break
    print(round(peak, 1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
