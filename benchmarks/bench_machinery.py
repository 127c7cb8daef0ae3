"""What each piece of the preprocessing machinery saves: A/B runs with and without it (not a test).

    python -m benchmarks.bench_machinery parse --articles 100 --pieces tagmap wordscan [--repeat 3]
    python -m benchmarks.bench_machinery whole SRC --pieces tagmap [--n-process 2] [--repeat 3]
    python -m benchmarks.bench_machinery add SRC OUT --pieces standby snapshot filesmemo grouping [--grow] [--repeat 3]

Each run is a `python -m lib.preprocess` process of its own, as a user starts it, with
`CRTIES_SIMPLER=<piece>` (`lib.simpler`) replacing one piece with the simpler mechanism it stands
in for, or with nothing replaced (the baseline). Variants are interleaved (baseline, piece 1,
piece 2, ..., then again), so that a shared machine's load falls on all of them alike, and each
figure is the median of its repeats, in wall seconds (as the manifest counts them: model
loading included, starting Python not) and in CPU seconds (the run and its workers).

* `parse`: in this one process, synthetic articles parsed and extracted (`extract_chunk`, the
  work of a run that grows with its articles) by a pipeline built with each piece replaced, in
  CPU seconds (a shared machine's load barely moves them); no wall seconds.
* `whole`: SRC preprocessed from scratch (no cache) into a temporary folder.
* `add`: OUT holds the tables of SRC already; each round adds 10 synthetic articles to SRC
  (`benchmarks.corpus`), re-runs, then removes them and re-runs (timed with `--removal`).

A piece is kept only when it saves at least 5% of the figure it targets (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import remove_articles, write_corpus
from lib.contract.tableio import read_manifest
from lib.simpler import PIECES, VARIABLE

PROJECT = Path(__file__).resolve().parents[1]
BASELINE = "baseline"
KEYS = ("seconds", "cpu", "crossarticle")  # wall seconds, CPU seconds, wall seconds of the cross-article steps


def children_cpu() -> float:
    """CPU seconds (user and system) of every finished child process so far, their own children
    included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def preprocess(src: Path, out: Path, variant: str, extra: list[str]) -> dict:
    """One quiet `python -m lib.preprocess` run with `variant`'s piece replaced: its wall
    seconds (the manifest's), CPU seconds and what it parsed."""
    env = {**os.environ, VARIABLE: "" if variant == BASELINE else variant}
    before = children_cpu()
    command = [sys.executable, "-m", "lib.preprocess", str(src), "--out", str(out), "--quiet", *extra]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=PROJECT, env=env)
    manifest = read_manifest(out)
    stages = manifest.get("stage_seconds", {})
    return {"seconds": manifest["seconds"], "cpu": round(children_cpu() - before, 2),
            "parsed": manifest["cache"]["parsed"], "stages": stages,
            "crossarticle": round(stages.get("link_events", 0) + stages.get("align", 0), 3)}


def whole_round(src: Path, variant: str, n_process: int) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="bench-machinery-") as out:
        return {"whole": preprocess(src, Path(out), variant, ["--n-process", str(n_process), "--no-cache"])}


def add_round(src: Path, out: Path, variant: str, n_articles: int, timed_removal: bool, grow: bool
              ) -> dict[str, dict]:
    """Add 10 articles and re-run; then remove them and re-run, unless the corpus is to `grow`
    (the next round adds 10 more: half the runs, on a corpus 10 articles larger each time)."""
    added = write_corpus(src, 10, start=n_articles)
    measured = {"add_10": preprocess(src, out, variant, [])}
    if grow:
        return measured
    remove_articles(src, added)
    removal = preprocess(src, out, variant if timed_removal else BASELINE, [])
    if timed_removal:
        measured["remove_10"] = removal
    return measured


def parse_rounds(n_articles: int, pieces: list[str], repeat: int) -> dict[str, list[dict[str, dict]]]:
    """`extract_chunk` of `n_articles` synthetic articles by each variant's pipeline, `repeat`
    times interleaved: CPU seconds per round (wall seconds are not comparable in one process)."""
    from benchmarks.corpus import synthetic_articles
    from lib.extract.article import extract_chunk
    from lib.extract.parser import build_pipeline

    tasks = [{"article_id": f"a{i}", "file": f"a{i}.txt", "text": text, "published": published}
             for i, (text, published) in enumerate(synthetic_articles(n_articles, seed=7))]
    variants = [BASELINE, *pieces]
    pipelines = {}
    for variant in variants:
        os.environ[VARIABLE] = "" if variant == BASELINE else variant
        pipelines[variant] = build_pipeline()
    runs: dict[str, list] = {v: [] for v in variants}
    extract_chunk(pipelines[BASELINE], tasks[:10])  # lazy tables and caches of the extractors, once
    for round_ in range(repeat):
        for variant in variants:
            os.environ[VARIABLE] = "" if variant == BASELINE else variant
            began = time.process_time()
            for begin in range(0, len(tasks), 256):
                extract_chunk(pipelines[variant], tasks[begin:begin + 256])
            cpu = round(time.process_time() - began, 3)
            runs[variant].append({"parse": {"seconds": cpu, "cpu": cpu}})
            print(f"round {round_ + 1} {variant}: {cpu} CPU s", flush=True)
    os.environ.pop(VARIABLE, None)
    return runs


def summarise(runs: dict[str, list[dict[str, dict]]]) -> dict[str, dict[str, dict]]:
    """Median seconds and CPU seconds of each variant and measure, and each piece's saving
    against the baseline (what replacing it costs, as a share of the run with it)."""
    medians: dict[str, dict[str, dict]] = {}
    for variant, rounds in runs.items():
        for measure in rounds[0]:
            values = [r[measure] for r in rounds]
            medians.setdefault(variant, {})[measure] = {
                key: round(statistics.median(v[key] for v in values), 3) for key in KEYS if key in values[0]}
    base = medians[BASELINE]
    for figures in medians.values():
        for measure, figure in figures.items():
            for key in [k for k in KEYS if k in figure]:
                figure[f"saved_{key}_%"] = round(100 * (figure[key] - base[measure][key]) / max(base[measure][key], 1e-9), 1)
    return medians


def report(medians: dict[str, dict[str, dict]]) -> str:
    lines = ["variant      measure     wall s (saved %)   CPU s (saved %)"]
    for variant, figures in medians.items():
        for measure, f in figures.items():
            line = (f"{variant:<12} {measure:<10} {f['seconds']:>8.2f} ({f['saved_seconds_%']:>5.1f})"
                    f"   {f['cpu']:>8.2f} ({f['saved_cpu_%']:>5.1f})")
            if "crossarticle" in f:
                line += f"   cross-article {f['crossarticle']:.3f} s ({f['saved_crossarticle_%']:.1f})"
            lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["parse", "whole", "add"])
    parser.add_argument("src", type=Path, nargs="?", help="whole, add: a corpus folder (benchmarks.corpus)")
    parser.add_argument("out", type=Path, nargs="?", help="add: the tables folder of SRC, built already")
    parser.add_argument("--pieces", nargs="+", choices=sorted(PIECES), required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-process", type=int, default=1, help="whole: worker processes")
    parser.add_argument("--removal", action="store_true", help="add: time the re-run after removing the ten too")
    parser.add_argument("--grow", action="store_true", help="add: keep the ten added; the next round adds ten more")
    parser.add_argument("--articles", type=int, default=200, help="parse: synthetic articles")
    parser.add_argument("--json", type=Path, help="also write every run and the medians here")
    args = parser.parse_args(argv)
    if args.mode == "add" and args.out is None:
        parser.error("add needs OUT, the tables folder of SRC")
    if args.mode != "parse" and args.src is None:
        parser.error(f"{args.mode} needs SRC, a corpus folder")
    variants = [BASELINE, *args.pieces]
    runs: dict[str, list] = {v: [] for v in variants}
    if args.mode == "parse":
        runs = parse_rounds(args.articles, args.pieces, args.repeat)
    n_articles = len(list(args.src.glob("syn_*.txt"))) if args.src else 0
    for round_ in range(args.repeat if args.mode != "parse" else 0):
        for variant in variants:
            if args.mode == "whole":
                measured = whole_round(args.src, variant, args.n_process)
            else:
                measured = add_round(args.src, args.out, variant, n_articles, args.removal, args.grow)
                if args.grow:
                    n_articles += 10
            runs[variant].append(measured)
            print(f"round {round_ + 1} {variant}: {json.dumps(measured)}", flush=True)
    medians = summarise(runs)
    print(report(medians))
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": medians}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
