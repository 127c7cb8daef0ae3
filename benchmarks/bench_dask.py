"""A run on a local Dask cluster, 1 worker against 2, and the client's memory (not a test).

    python -m benchmarks.bench_dask --sizes 1000 [--repeat 2] [--workers 1 2] [--json results.json] [--workdir DIR]

For each size N it writes N synthetic articles (`benchmarks.corpus`), starts two `LocalCluster`s of
worker processes with one thread each (1 worker and 2 workers), loads the model on every worker
first (each worker loads it once; that start-up is not throughput), then preprocesses the corpus
with `lib.run.cluster.run_at_scale` on each cluster in turn, `--repeat` times, alternating, and
keeps the best seconds of each. It prints articles/s, the 2-against-1 throughput ratio, the
seconds of each stage, and the client's peak resident memory during a run (this process only,
sampled every 50 ms: the workers are processes of their own), above what it held before the run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks.corpus import write_corpus

SAMPLE_EVERY = 0.05


class PeakMemory:
    """The peak resident memory of this process while the block runs, in MiB."""

    def __enter__(self) -> PeakMemory:
        self.process = psutil.Process(os.getpid())
        self.before = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def mib(self) -> float:
        return round(self.peak / 2**20, 1)

    @property
    def added_mib(self) -> float:
        return round((self.peak - self.before) / 2**20, 1)


def _warm(client) -> None:
    from lib.extract.article import shared_pipeline

    client.run(lambda: shared_pipeline() and None)


def measure(size: int, workdir: Path, repeat: int, workers: tuple[int, ...] = (1, 2)) -> dict:
    import distributed

    from lib.run.cluster import run_at_scale

    src = workdir / f"corpus-{size}"
    if not src.exists():
        write_corpus(src, size)
    clusters = {n: distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                            dashboard_address=":0") for n in workers}
    clients = {n: distributed.Client(cluster) for n, cluster in clusters.items()}
    best: dict[int, dict] = {}
    try:
        for client in clients.values():
            _warm(client)
        for _ in range(repeat):
            for n, client in clients.items():  # alternated: the machine's load falls on both alike
                out = workdir / f"out-{size}-{n}"
                shutil.rmtree(out, ignore_errors=True)
                with PeakMemory() as memory:
                    began = time.perf_counter()
                    manifest = run_at_scale(str(src), out, client)
                    seconds = time.perf_counter() - began
                if n not in best or seconds < best[n]["seconds"]:
                    best[n] = {"seconds": round(seconds, 2), "articles_per_s": round(size / seconds, 2),
                               "stages": manifest["stage_seconds"], "client_peak_mib": memory.mib,
                               "client_added_mib": memory.added_mib}
    finally:
        for client in clients.values():
            client.close()
        for cluster in clusters.values():
            cluster.close()
    return {"articles": size, "workers": best,
            "ratio": round(best[1]["seconds"] / best[2]["seconds"], 2) if {1, 2} <= set(best) else None,
            "load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}


def report(result: dict) -> str:
    lines = [f"{result['articles']} articles (load average {result['load_average']}, {result['cpus']} cpus):"]
    for n, found in result["workers"].items():
        lines.append(f"  {n} worker(s): {found['seconds']} s, {found['articles_per_s']} articles/s, "
                     f"stages {found['stages']}, client peak {found['client_peak_mib']} MiB "
                     f"(+{found['client_added_mib']} MiB during the run)")
    if result["ratio"] is not None:
        lines.append(f"  throughput ratio 2 workers / 1 worker: {result['ratio']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cluster sizes to run")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-dask-"))
    results = []
    for size in args.sizes:
        results.append(measure(size, workdir, args.repeat, tuple(args.workers)))
        print(report(results[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
