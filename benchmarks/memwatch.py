"""Peak resident memory of a process and its descendants, sampled from outside it.

    python -m benchmarks.memwatch PID      (prints the peak in MiB once its stdin closes)

The benchmark measures memory from a process of its own: a sampling thread inside the measured
process would make `lib.preprocess` spawn its workers instead of forking them (`lib.spawning`).
"""

from __future__ import annotations

import os
import select
import sys

import psutil

EVERY = 0.1  # seconds between samples


def tree_rss(pid: int) -> float:
    """MiB resident in `pid` and its descendants (this watcher left out)."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        if process.pid == os.getpid():
            continue
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def main(argv: list[str] | None = None) -> int:
    pid = int((argv or sys.argv[1:])[0])
    peak = 0.0
    while True:
        try:
            peak = max(peak, tree_rss(pid))
        except psutil.Error:
            break
        readable, _, _ = select.select([sys.stdin], [], [], EVERY)
        if readable and not sys.stdin.read(1):
            break
    print(round(peak, 1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
