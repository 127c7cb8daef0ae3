"""Seconds the cross-article steps and the writing of tables take on pandas frames, at a scale
made by repeating the rows of a finished run (not a test).

    python -m benchmarks.bench_tables OUT [--times 10] [--repeat 3]

OUT is the output folder of a preprocessing run. Its per-article tables are repeated `times`
times under new article ids (as if the corpus were `times` as large, with no new facts), then
timed, each the best of R rounds, in CPU seconds of this process:

* reading the per-article tables from Parquet as Arrow and turning them into contract frames
  (what a re-run does with the last run's snapshot);
* linking events and aligning facts and quotes (`lib.crossarticle`);
* encoding the output tables as Parquet from the frames, and from Arrow tables of the same rows
  (what writing cost when tables stayed Arrow from the snapshot to the output).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib.contract.schema import conform
from lib.contract.tableio import arrow_frame, read_arrow, read_tables
from lib.crossarticle import alignment, linking

PER_ARTICLE = ("actors", "dates", "figures", "quotes", "events")


def repeated(tables: dict[str, pd.DataFrame], times: int) -> dict[str, pd.DataFrame]:
    """The articles and per-article tables `times` over, copy k's article ids suffixed "~k"."""
    out = {}
    for name in ("articles", *PER_ARTICLE):
        parts = [tables[name].assign(article_id=tables[name]["article_id"] + f"~{k}") for k in range(times)]
        out[name] = conform(pd.concat(parts, ignore_index=True), name)
    copies = out["articles"]["copy_of"]
    out["articles"]["copy_of"] = [None if pd.isna(c) else f"{c}~{a.rsplit('~', 1)[1]}"
                                  for c, a in zip(copies, out["articles"]["article_id"])]
    return out


def best(task: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs of `task`, in CPU seconds."""
    fastest = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        task()
        fastest = min(fastest, time.process_time() - started)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output folder of a preprocessing run")
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    tables = repeated(read_tables(options.out), options.times)
    print(f"{len(tables['articles']):,} articles, " + ", ".join(f"{len(tables[n]):,} {n}" for n in PER_ARTICLE))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in PER_ARTICLE:
            tables[name].to_parquet(folder / f"{name}.parquet", index=False)
        read = best(lambda: [arrow_frame(read_arrow(folder / f"{n}.parquet"), n) for n in PER_ARTICLE], options.repeat)
        print(f"snapshot read and turned into frames: {read:.2f} s")

        def cross_article() -> dict[str, pd.DataFrame]:
            linked = {**tables, "events": linking.link_events(tables["events"])}
            return {**linked, **alignment.align(linked)}

        output = cross_article()
        print(f"link events and align: {best(cross_article, options.repeat):.2f} s")
        names = list(output)
        frames_write = best(lambda: [conform(output[n], n).to_parquet(folder / "w.parquet", index=False)
                                     for n in names], options.repeat)
        arrow = {n: pa.Table.from_pandas(output[n], preserve_index=False) for n in names}
        arrow_write = best(lambda: [pq.write_table(arrow[n], folder / "w.parquet") for n in names], options.repeat)
        print(f"write every table: {frames_write:.2f} s from frames, {arrow_write:.2f} s from Arrow tables")


if __name__ == "__main__":
    main()
