"""The cross-article steps and the pages at a million articles, on rows made without parsing (not a test).

    python -m benchmarks.bench_scale --articles 1000000 [--workdir DIR] [--workers 2] [--json out.json]

The seeds are preprocessed once; their extracted rows are then replicated into N articles as the
shards of a cluster run write them (`lib.run.cluster`): copy k of seed article s is article
"s~k", published 7·(k // 5 mod 417) days later (some eight years), in one of 50 outlets, every date
in its rows (event dates, date values, figure periods, statement dates) shifted alike. It measures

* linking and aligning in blocks (`lib.run.cluster`'s block tasks on a local cluster of
  `--workers` single-threaded worker processes): seconds, the peak memory of the whole process tree
  (client and workers, sampled every 0.2 s) and of the client alone;
* writing the tables partitioned by year (`lib.run.tables`), then the pages' derived tables
  (`lib.views.derived`): seconds and this process's peak memory;
* each page's warm script time on the partitioned tables (`benchmarks.bench_pages`, in a process
  of its own).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.bench_pages import PAGES
from benchmarks.corpus import SEEDS
from lib.contract.periods import interval
from lib.contract.tableio import publish_snapshot, start_snapshot

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = 50
WEEKS = 417  # about eight years of weekly shifts
CHUNK = 25_000  # articles per part
DATE_COLUMNS = {"articles": ["published"], "events": ["date"], "dates": ["value"], "figures": ["period"],
                "quotes": ["_said"]}


def shifted(value: object, days: int) -> object:
    """A date in the project notation moved by `days` (a month, quarter or year moves with its first day)."""
    if not isinstance(value, str) or not value:
        return value
    if "/" in value:
        return "/".join(shifted(part, days) for part in value.split("/", 1))
    span = interval(value)
    if span is None:
        return value
    day = span[0] + dt.timedelta(days=days)
    if len(value) == 10:
        return day.isoformat()
    if "-Q" in value:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if len(value) == 7:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def seed_parts(folder: Path) -> dict[str, pa.Table]:
    """The seeds' rows as the shards of a cluster run write them (hidden columns included)."""
    import distributed

    from lib.run.cluster import run_at_scale

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client:
        os.environ["CRTIES_KEEP_PARTS"] = "1"
        try:
            run_at_scale(str(SEEDS), folder, client)
        finally:
            os.environ.pop("CRTIES_KEEP_PARTS")
    read = next(folder.glob(".cluster-parts-*")) / "read"
    return {name: pa.concat_tables([pq.read_table(p) for p in sorted((read / name).glob("*.parquet"))],
                                   promote_options="permissive")
            for name in ("articles", "actors", "dates", "figures", "quotes", "events")}


def replicate(seeds: dict[str, pa.Table], n: int, parts: Path) -> dict[str, int]:
    """Write N articles' rows made from `seeds` under `parts` (one part per CHUNK articles)."""
    articles = seeds["articles"].sort_by("_article")
    seed_ids = articles["article_id"].to_pylist()
    count = len(seed_ids)
    rows_of = {}  # table → per seed article, its row positions
    for name, table in seeds.items():
        owners = table["article_id"].to_pylist()
        rows_of[name] = [np.array([i for i, a in enumerate(owners) if a == s], dtype=np.int64) for s in seed_ids]
    totals = dict.fromkeys(seeds, 0)
    cache: dict[tuple[object, int], object] = {}
    for number, begin in enumerate(range(0, n, CHUNK)):
        ks = np.arange(begin, min(n, begin + CHUNK))
        seed_of, copy = ks % count, ks // count
        days = 7 * (copy % WEEKS)
        ids = pa.array([f"{seed_ids[s]}~{c:07d}" for s, c in zip(seed_of.tolist(), copy.tolist())], pa.string())
        for name, table in seeds.items():
            pieces = [rows_of[name][s] for s in seed_of.tolist()]
            sizes = np.array([len(p) for p in pieces], dtype=np.int64)
            taken = table.take(pa.array(np.concatenate(pieces) if pieces else np.array([], np.int64)))
            owner = np.repeat(np.arange(len(ks)), sizes)
            taken = taken.set_column(taken.schema.get_field_index("article_id"), "article_id", ids.take(pa.array(owner)))
            taken = taken.set_column(taken.schema.get_field_index("_article"), "_article", pa.array(ks[owner]))
            if "_row" in taken.column_names:
                taken = taken.set_column(taken.schema.get_field_index("_row"), "_row", pa.array(np.arange(len(owner))))
            row_days = days[owner].tolist()
            for column in DATE_COLUMNS.get(name, []):
                values = taken[column].to_pylist()
                moved = [cache[(v, d)] if (v, d) in cache else cache.setdefault((v, d), shifted(v, d))
                         for v, d in zip(values, row_days)]
                taken = taken.set_column(taken.schema.get_field_index(column), column, pa.array(moved, pa.string()))
            if name == "articles":
                outlets = pa.array([f"outlet {k % OUTLETS}" for k in ks.tolist()], pa.string())
                taken = taken.set_column(taken.schema.get_field_index("outlet"), "outlet", outlets)
            folder = parts / name
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(taken, folder / f"part-{number:06d}.parquet")
            totals[name] += taken.num_rows
    return totals


class TreeMemory:
    """Peak resident memory (MiB) of this process and its descendants, and of this process alone."""

    def __enter__(self) -> TreeMemory:
        self.root = psutil.Process(os.getpid())
        self.tree = self.alone = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while True:
            alone = self.root.memory_info().rss
            tree = alone
            for child in self.root.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    tree += child.memory_info().rss
            self.tree, self.alone = max(self.tree, tree), max(self.alone, alone)
            if self._stop.wait(0.2):
                return

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def measure(n: int, workdir: Path, workers: int, page_runs: int) -> dict:
    import distributed

    from lib.run import cluster
    from lib.run.tables import DatasetParts
    from lib.views import derived

    seeds = seed_parts(workdir / "seeds")
    parts, linked, out = workdir / "read", workdir / "linked", workdir / "tables"
    for folder in (parts, linked, out):
        shutil.rmtree(folder, ignore_errors=True)
    began = time.perf_counter()
    rows = replicate(seeds, n, parts)
    result: dict = {"articles": n, "rows": rows, "make_rows_s": round(time.perf_counter() - began, 1)}
    copies = parts / cluster.COPIES  # replicated rows are no copies of one another
    copies.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"article_id": pa.array([], pa.string()), "copy_of": pa.array([], pa.string())}),
                   copies / "part-000000.parquet")
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", memory_limit=0) as local, distributed.Client(local) as client:
        with TreeMemory() as memory:
            began = time.perf_counter()
            for future in cluster._block_tasks(client, str(parts), str(linked)):
                future.result()
                future.release()
            result["link_align_s"] = round(time.perf_counter() - began, 1)
        result["link_align_peak_mib"] = {"client_and_workers": round(memory.tree / 2**20),
                                         "client": round(memory.alone / 2**20)}
    print(json.dumps(result), flush=True)  # each stage as it ends: the page runs come last
    with TreeMemory() as memory:
        began = time.perf_counter()
        staging = start_snapshot(out)
        rows = DatasetParts(str(parts), str(linked), copies, workdir / "spill").write(staging, partition_by="year")
        result["write_partitioned_s"] = round(time.perf_counter() - began, 1)
    result["write_peak_mib"] = round(memory.alone / 2**20)
    with TreeMemory() as memory:
        began = time.perf_counter()
        derived.write(staging)
        result["derived_s"] = round(time.perf_counter() - began, 1)
    result["derived_peak_mib"] = round(memory.alone / 2**20)
    publish_snapshot(staging, out, {"source": "bench_scale", "rows": rows, "partition_by": "year",
                                    "data_version": f"bench-scale-{n}"})
    print(json.dumps({k: result[k] for k in ("write_partitioned_s", "write_peak_mib", "derived_s",
                                             "derived_peak_mib")}), flush=True)
    pages_json = workdir / "pages.json"
    unindexed = [page for page in PAGES if page != "search"]  # no search index: its build is not a cross-article step
    subprocess.run([sys.executable, "-m", "benchmarks.bench_pages", str(out), "--runs", str(page_runs),
                    "--json", str(pages_json), "--pages", *unindexed], check=True, cwd=ROOT)
    result["pages"] = json.loads(pages_json.read_text(encoding="utf-8"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    result = measure(args.articles, workdir, args.workers, args.page_runs)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
