"""Preprocessing throughput, incremental re-runs and memory on a synthetic corpus (not a test).

    python -m benchmarks.bench_preprocess --sizes 100 1000 10000 [--json results.json] [--workdir DIR]
        [--processes 1 2] [--no-bare] [--no-pages] [--repeat R]

For each size N it builds N articles from the seed paragraphs (`benchmarks.corpus`) and, in
this one process with the same model, measures:

* bare `nlp.pipe` of the model as installed (en_core_web_sm, all its components, none of the
  project's) over the same texts (n_process 1 and 2) against the whole pipeline
  (`lib.run.preprocess.run`: reading, spaCy, every extractor, cross-article steps, writing), in
  articles/s and words/s, and their ratio;
* the pipeline's speed-up from 1 to 2 worker processes;
* an unchanged re-run (everything from the cache), then adding 10 articles and removing them
  again, each a `lib.preprocess` process of its own (model loading included), and as the
  yardstick for adding, the same 10 articles preprocessed alone from scratch the same way;
* a whole `python -m lib.preprocess --n-process N` run from scratch (N the most processes
  compared), as a user starts it: its seconds, model loading included, and the peak memory of
  it and its workers, sampled from outside (`benchmarks.memwatch`; pages shared by forked
  workers count once). Measuring the timed runs of this process instead would count the
  harness's own memory too (the corpus it wrote, the preloaded models);
* the dashboard on the tables written: the first data load and each page's warm script time
  (`benchmarks.bench_pages`, with Streamlit's AppTest).

`--repeat R` times bare and pipeline R times each, alternately, and keeps the best of each
(on a shared machine, noise otherwise decides small runs); so too adding 10, the ten alone and
removing them. `--no-bare` leaves out the bare `nlp.pipe` runs (for the largest corpora, where
they would double the time); the ratio is then measured on the smaller sizes of the same run.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import remove_articles, write_corpus
from lib.contract.tableio import read_manifest
from lib.extract.article import shared_pipeline
from lib.nlp.pipeline import load_model
from lib.read.corpus import read_corpus
from lib.run import preprocess

PROJECT = Path(__file__).resolve().parents[1]

try:
    import psutil
except ImportError:  # pragma: no cover - optional
    psutil = None


def whole_run(src: Path, out: Path, n_process: int, batch_size: int) -> dict:
    """A `python -m lib.preprocess` run of `src` from scratch with `n_process` processes: its
    seconds (as the manifest counts them: model loading included, starting Python not) and the
    peak memory (MiB) of it and its workers, watched from a process of its own; without psutil,
    the peak resident size of its largest process (getrusage)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [*preprocess_command(src, out, batch_size), "--n-process", str(n_process)]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=PROJECT)
    watcher = None
    if psutil is not None:
        watcher = subprocess.Popen([sys.executable, "-m", "benchmarks.memwatch", str(run.pid)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=PROJECT)
    if run.wait():
        raise subprocess.CalledProcessError(run.returncode, command)
    if watcher is not None:
        peak = float(watcher.communicate("")[0])  # closing its stdin ends the watch
    else:
        peak = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return {"n_process": n_process, "seconds": read_manifest(out)["seconds"], "peak_mib": peak}


def preprocess_command(src: Path, out: Path, batch_size: int) -> list[str]:
    """The command line of a quiet `python -m lib.preprocess` run, as a user starts one."""
    return [sys.executable, "-m", "lib.preprocess", str(src), "--out", str(out), "--quiet",
            "--batch-size", str(batch_size)]


def run_alone(src: Path, out: Path, batch_size: int) -> tuple[float, dict]:
    """A `python -m lib.preprocess` run in a process of its own, as a user re-runs it: its
    seconds as timed inside `lib.run.preprocess.run` (loading the model included, starting Python
    not) and its manifest."""
    command = preprocess_command(src, out, batch_size)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=PROJECT)
    manifest = read_manifest(out)
    return manifest["seconds"], manifest


def ten_alone(workdir: Path, n: int, batch_size: int) -> dict:
    """The yardstick of "adding 10 articles costs about 10 articles' work": the same 10 articles
    that were added to the corpus of `n`, preprocessed as a corpus of their own from scratch,
    in a process of their own (model loading included)."""
    src, out = workdir / f"ten_{n}", workdir / f"ten_{n}_out"
    for folder in (src, out):
        shutil.rmtree(folder, ignore_errors=True)
    write_corpus(src, 10, start=n)  # seeded by `start`: the very articles `add_10` added
    seconds, manifest = run_alone(src, out, batch_size)
    return {"seconds": round(seconds, 2), **manifest["cache"], "stage_seconds": manifest["stage_seconds"]}


def incremental(src: Path, out: Path, workdir: Path, n: int, batch_size: int, repeat: int) -> dict:
    """Adding 10 articles to the corpus of `n` in `src`, the same ten alone, and removing them
    again, `repeat` times alternately, best of each (each a process of its own); also the
    ratio of adding to the ten alone, and the rows of the corpus as it was."""
    runs: dict[str, list[dict]] = {"add_10": [], "ten_alone": [], "remove_10": []}
    for _ in range(repeat):
        added = write_corpus(src, 10, start=n)
        seconds, manifest = run_alone(src, out, batch_size)
        runs["add_10"].append({"seconds": round(seconds, 2), **manifest["cache"],
                               "stage_seconds": manifest["stage_seconds"]})
        runs["ten_alone"].append(ten_alone(workdir, n, batch_size))
        remove_articles(src, added)
        seconds, manifest = run_alone(src, out, batch_size)
        runs["remove_10"].append({"seconds": round(seconds, 2), **manifest["cache"]})
    result = {key: min(measured, key=lambda m: m["seconds"]) for key, measured in runs.items()}
    result["add_to_alone"] = round(result["add_10"]["seconds"] / result["ten_alone"]["seconds"], 2)
    result["rows"] = manifest["rows"]
    return result


def timed(function, *args, **kwargs) -> tuple[float, object]:
    began = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - began, result


@functools.cache
def stock_model():
    """The model exactly as installed: every component of en_core_web_sm, none of the project's."""
    return load_model()


def bare_pipe(texts: list[str], n_process: int, batch_size: int) -> float:
    """Seconds for plain `nlp.pipe` over `texts` (Docs discarded as they come)."""
    nlp = stock_model()
    began = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return time.perf_counter() - began


def rates(seconds: float, articles: int, words: int) -> dict:
    return {"seconds": round(seconds, 2), "articles_per_s": round(articles / seconds, 2),
            "words_per_s": round(words / seconds, 1)}


def bench_size(n: int, workdir: Path, batch_size: int, processes: list[int], bare: bool = True,
               pages: bool = True, repeat: int = 1) -> dict:
    src, out = workdir / f"corpus_{n}", workdir / f"out_{n}"
    shutil.rmtree(src, ignore_errors=True)
    write_corpus(src, n)
    articles, _ = read_corpus(src)
    texts = list(articles["text"]) if bare else []  # the harness keeps no more than it needs
    words = int(articles["words"].sum())
    del articles
    result: dict = {"articles": n, "words": words, "batch_size": batch_size, "cpu_count": os.cpu_count(),
                    "repeat": repeat}
    # Model loading is not part of any measurement here (worker processes load their own).
    if bare:
        stock_model()
    if 1 in processes:
        shared_pipeline()
    for workers in processes:
        target = out if workers == processes[0] else workdir / f"out_{n}_p{workers}"
        bare_seconds, seconds = None, float("inf")
        for _ in range(repeat):  # alternated, best of each: a shared machine's noise hits both alike
            if bare:
                bare_seconds = min(bare_seconds or float("inf"), bare_pipe(texts, workers, batch_size))
            shutil.rmtree(target, ignore_errors=True)
            gc.collect()
            took, manifest = timed(preprocess.run, src, target, progress=False, n_process=workers,
                                   batch_size=batch_size)
            seconds = min(seconds, took)
        result[f"n_process_{workers}"] = {
            "bare_nlp_pipe": rates(bare_seconds, n, words) if bare else None,
            "pipeline": rates(seconds, n, words),
            "ratio_pipeline_to_bare": round(bare_seconds / seconds, 3) if bare else None,
            "stage_seconds": manifest["stage_seconds"],
        }
    if len(processes) > 1:
        one, two = result[f"n_process_{processes[0]}"], result[f"n_process_{processes[1]}"]
        result["speedup_pipeline"] = round(one["pipeline"]["seconds"] / two["pipeline"]["seconds"], 2)
        if bare:
            result["speedup_bare"] = round(one["bare_nlp_pipe"]["seconds"] / two["bare_nlp_pipe"]["seconds"], 2)
    result["whole_run"] = whole_run(src, workdir / f"out_{n}_alone", max(processes), batch_size)
    seconds, manifest = timed(preprocess.run, src, out, progress=False)
    result["rerun_unchanged"] = {"seconds": round(seconds, 2), **manifest["cache"],
                                 "stage_seconds": manifest["stage_seconds"]}
    result.update(incremental(src, out, workdir, n, batch_size, repeat))
    if pages:
        from benchmarks import bench_pages  # Streamlit is not imported while memory is measured

        result["pages"] = bench_pages.page_times(out)
    return result


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        best = f", best of {r['repeat']}" if r.get("repeat", 1) > 1 else ""
        lines.append(f"== {r['articles']} articles, {r['words']:,} words (batch {r['batch_size']}, "
                     f"{r['cpu_count']} CPUs{best})")
        for key in [k for k in r if k.startswith("n_process_")]:
            m = r[key]
            line = (f"  {key}: pipeline {m['pipeline']['articles_per_s']} art/s "
                    f"({m['pipeline']['words_per_s']:,} w/s), ")
            if m["bare_nlp_pipe"]:
                line += (f"bare nlp.pipe {m['bare_nlp_pipe']['articles_per_s']} art/s "
                         f"({m['bare_nlp_pipe']['words_per_s']:,} w/s), ratio {m['ratio_pipeline_to_bare']}, ")
            lines.append(line.removesuffix(", "))
            lines.append(f"    stages (s): {m['stage_seconds']}")
        if "speedup_pipeline" in r:
            bare = f", bare nlp.pipe ×{r['speedup_bare']}" if "speedup_bare" in r else ""
            lines.append(f"  1→2 processes: pipeline ×{r['speedup_pipeline']}{bare}")
        whole = r["whole_run"]
        lines.append(f"  whole run from scratch (python -m lib.preprocess --n-process {whole['n_process']}): "
                     f"{whole['seconds']} s, peak memory {whole['peak_mib']} MiB")
        for key in ("rerun_unchanged", "add_10", "ten_alone", "remove_10"):
            m = r[key]
            lines.append(f"  {key}: {m['seconds']} s (parsed {m['parsed']}, reused {m['reused']}, "
                         f"pruned {m['pruned']})")
        if "add_to_alone" in r:
            lines.append(f"  adding 10 / the ten alone: ×{r['add_to_alone']}")
        if "pages" in r:
            from benchmarks import bench_pages

            lines.append("  dashboard:\n" + bench_pages.report(r["pages"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--batch-size", type=int, default=preprocess.BATCH_SIZE)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="n_process values to compare")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora and outputs go (default: temporary)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare nlp.pipe runs")
    parser.add_argument("--no-pages", action="store_true", help="skip the dashboard timings")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time bare and pipeline, and adding 10 and the ten alone, this many times each, "
                             "alternately, and keep the best")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench_preprocess_"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        results.append(bench_size(n, workdir, args.batch_size, args.processes, bare=not args.no_bare,
                                  pages=not args.no_pages, repeat=args.repeat))
        print(report(results[-1:]), flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
