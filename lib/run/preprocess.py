"""Preprocess a folder of articles into the Parquet tables of the output contract.

    python -m lib.preprocess SRC --out DIR      (or the console script `crties-preprocess`)
        [--n-process N] [--batch-size B] [--scheduler ADDRESS|local [--at-scale]] [--partition-by year]
        [--no-cache]

Reads the articles (`lib.read.corpus`), parses them with `nlp.pipe` (`lib.nlp.pipeline`), runs every extractor
on each Doc, links events across articles, aligns facts and quotes across articles
(`lib.crossarticle.alignment`), and writes `articles`, `actors`, `dates`, `figures`, `quotes`, `events`,
`fact_groups` and `quote_groups` as Parquet plus `manifest.json` (data version, counts,
problems). Tables are staged in full before any is renamed into place (`lib.contract.tableio`), so a
run that is interrupted leaves the previous tables intact.

Scale: articles are parsed in chunks inside `nlp.memory_zone()` and reduced at once to plain
rows, so no Doc outlives its chunk and memory stays flat however long the corpus. The rows of
every article are cached under `<out>/.cache/` (`lib.run.cache`): a re-run parses only new or
changed articles, then re-runs the cheap cross-article steps over all rows; on a second core,
a standby parser process loads the model meanwhile (`lib.run.standby`). `n_process > 1` parses and
extracts in worker processes, each loading the model (`lib.run.spawning`); `scheduler` does the same on a Dask cluster (`lib.run.distributed`). With
`--at-scale` the cluster's workers read, extract and write the tables' parts themselves and the
cross-article steps run there in blocks (`lib.run.cluster`); `--partition-by year` writes the
per-article tables partitioned by publication year (`lib.contract.tableio.write_tables`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from lib import PIPELINE_VERSION
from lib.contract import schema
from lib.contract.schema import TABLES, conform, empty, from_columns, from_rows
from lib.contract.searchtext import INDEX_FILE
from lib.contract.tableio import arrow_frame, read_manifest, tables_folder, write_tables
from lib.crossarticle import alignment, linking
from lib.extract.article import BATCH_SIZE, extract_chunk, extract_chunk_here, result_for_copy, shared_pipeline
from lib.read import copies
from lib.read.corpus import Problem, ReadMemo
from lib.run import assembled, search_index, standby
from lib.run.cache import CACHE_FOLDER, ArticleCache, article_key
from lib.run.fingerprint import (
    data_version,
    extraction_fingerprint,
    input_fingerprint,
    pipeline_fingerprint,
    reader_version,
)
from lib.run.sources import read_folders, recorded, source_folders
from lib.run.spawning import bare_main, worker_pool
from lib.run.standby import StandbyParser
from lib.simpler import simpler
from lib.views import derived

PER_ARTICLE_TABLES = ("actors", "dates", "figures", "quotes", "events")
CHUNK_ARTICLES = 256  # articles per memory zone / worker task / frame flush
TASKS_PER_WORKER = 16  # with n_process > 1 (each task costs a few milliseconds more)


# --- parsing, in this process, in worker processes or on a cluster ----------------------------------


def chunked(items: list, size: int) -> Iterator[list]:
    """Consecutive slices of `items` of at most `size`."""
    for begin in range(0, len(items), max(1, size)):
        yield items[begin : begin + size]


def _extract_task(task: tuple[list[dict], int]) -> list[dict]:
    return extract_chunk_here(*task)


def _task_fields(article: dict) -> dict:
    """What a worker needs of an article (not the whole row)."""
    return {k: article.get(k) for k in ("article_id", "file", "text", "published")}


def chunk_size_for(n_articles: int, workers: int) -> int:
    """Articles per task: at most CHUNK_ARTICLES, and some TASKS_PER_WORKER tasks per worker, so
    that workers finish close together (the last task is short), yet a full `nlp.pipe` batch."""
    if workers <= 1:
        return CHUNK_ARTICLES
    balanced = min(CHUNK_ARTICLES, -(-n_articles // (workers * TASKS_PER_WORKER)))
    return max(1, balanced, min(BATCH_SIZE, -(-n_articles // workers)))


def extract_all(
    articles: list[dict], *, n_process: int = 1, batch_size: int = BATCH_SIZE, scheduler: str | None = None,
    parser: StandbyParser | None = None,
) -> Iterator[tuple[list[dict], list[dict]]]:
    """(chunk, results) for consecutive chunks of `articles`, in order: parsed here
    (`n_process` 1), by `n_process` worker processes, on the Dask `scheduler`, or by a standby
    `parser` process."""
    tasks = [_task_fields(a) for a in articles]
    if not tasks:
        return  # nothing to parse: no model to load
    if parser is not None:
        for chunk in chunked(tasks, CHUNK_ARTICLES):
            yield chunk, parser.extract(chunk, batch_size)
    elif scheduler:
        from lib.run.distributed import extract_on_cluster

        chunks = list(chunked(tasks, chunk_size_for(len(tasks), 8)))
        workers = n_process if n_process > 1 else None
        yield from zip(chunks, extract_on_cluster(chunks, scheduler, batch_size=batch_size, n_workers=workers))
    elif n_process > 1 and len(tasks) > 1:
        chunks = list(chunked(tasks, chunk_size_for(len(tasks), n_process)))
        # Workers import the tasks by module name: under `python -m lib.run.preprocess` this module
        # is `__main__`, whose functions a spawned worker could not find.
        from lib.run import preprocess as tasks

        # An executor, not a Pool: a worker that dies makes it fail instead of wait forever.
        with worker_pool(min(n_process, len(chunks)), shared_pipeline) as pool:
            with bare_main():  # the workers are started by map()
                results = pool.map(tasks._extract_task, [(c, batch_size) for c in chunks])
            yield from zip(chunks, results)
    else:
        nlp = shared_pipeline()
        for chunk in chunked(tasks, CHUNK_ARTICLES):
            yield chunk, extract_chunk(nlp, chunk, batch_size)


# --- the whole corpus ------------------------------------------------------------------------------


class ProgressBar(tqdm):
    """tqdm without its monitor thread: worker processes fork only from a process without threads."""

    monitor_interval = 0


class _Results:
    """Per-article results by key: in the article cache when there is one, else in memory."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.store = ArticleCache(cache_dir) if cache_dir is not None else None
        self.memory: dict[str, dict] = {}

    def keys(self) -> set[str]:
        """The keys with a stored result."""
        return set(self.memory) if self.store is None else self.store.keys()

    def put(self, key: str, result: dict) -> None:
        if self.store is None:
            self.memory[key] = result
        else:
            self.store.put(key, result)

    def get(self, key: str) -> dict | None:
        return self.memory.get(key) if self.store is None else self.store.get(key)


def _store_copies(twins: dict[int, int], records: list[dict], keys: list[str], stored: set[str],
                  results: _Results) -> None:
    """Store the result of each copy not stored yet as its twin's (`extraction_twins`) under the
    copy's own id: a later run finds it by the copy's own key, as any other article's. A copy
    whose twin has no result (its cache entry vanished) is parsed when assembled."""
    for position, twin in twins.items():
        if keys[position] in stored:
            continue
        result = results.get(keys[twin])
        if result is not None:
            results.put(keys[position], result_for_copy(result, records[position]))


ASSEMBLY_BLOCK = 1000  # articles whose rows are turned into frames at once


def assemble(records: list[dict], keys: list[str], results: _Results, problems: list[Problem],
             snapshot: Future | None = None) -> tuple[dict[str, pd.DataFrame], Future | None]:
    """The per-article tables of every article as conformed frames, in article order, with each
    article's problems appended to `problems`.

    Articles already in the last run's assembled tables (`lib.run.assembled`, same cache key) are
    taken from them (from `snapshot`, its `assembled.load` started earlier, when given); the
    others are read from the article cache. The result is saved as the next run's snapshot, in
    the background: the Future (None without a cache) ends with the save, and the tables must
    not be changed in place before it has."""
    ids = [record["article_id"] for record in records]
    usable = results.store is not None and len(set(ids)) == len(ids) and not simpler("snapshot")
    if not usable:
        previous, old_tables = {}, {}
    else:
        previous, old_tables = snapshot.result() if snapshot else assembled.load(results.store.folder, PER_ARTICLE_TABLES)
    index: dict[str, dict] = {}  # the next snapshot's index
    found: list[list] = [[] for _ in records]  # each article's problems, in article order
    fresh, kept = [], set()  # positions to read from the cache; ids whose rows the snapshot has
    for position, (record, key) in enumerate(zip(records, keys)):
        entry = previous.get(key)
        if entry is not None and entry["article_id"] == record["article_id"]:
            record.update(entry["article"])
            found[position], index[key] = entry["problems"], entry
            kept.add(record["article_id"])
        else:
            fresh.append(position)
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in PER_ARTICLE_TABLES}
    for begin in range(0, len(fresh), ASSEMBLY_BLOCK):
        block = fresh[begin : begin + ASSEMBLY_BLOCK]
        for table, frame in _from_cache(records, keys, block, results, index, found).items():
            parts[table].append(frame)
    for article_problems in found:
        problems.extend(Problem(file, reason) for file, reason in article_problems)
    tables: dict[str, pd.DataFrame] = {"articles": from_rows(records, "articles")}
    order = pa.array(ids, pa.string())  # an article id's position in it is the article's position
    # Kept rows come first, then the fresh ones: a sort is needed only when a fresh article comes
    # before a kept one (kept articles keep their relative order: both runs list files by name).
    interleaved = bool(fresh) and fresh[0] < len(records) - len(fresh)
    whole = kept.issuperset(entry["article_id"] for entry in previous.values())  # no old article left out
    snapshot: dict[str, pd.DataFrame] = {}  # the per-article tables as saved for the next run
    for table in PER_ARTICLE_TABLES:
        old = _kept_rows(old_tables[table], kept, whole) if kept and table in old_tables else None
        new = [frame for frame in parts[table] if len(frame)]
        if old is not None:
            snapshot[table] = tables[table] = _joined(table, old, new, order, reorder=interleaved)
        else:
            frame = pd.concat(new, ignore_index=True) if new else empty(table)  # parts are conformed
            snapshot[table] = tables[table] = frame
    saving = assembled.save_in_background(results.store.folder, index, snapshot) if usable else None
    return tables, saving


def _kept_rows(table: pa.Table, kept: set[str], whole: bool = False) -> pa.Table:
    """The rows of the articles in `kept` (all of them when `whole`: every article is kept)."""
    if whole:
        return table
    return table.filter(pc.is_in(table["article_id"], value_set=pa.array(sorted(kept), pa.string())))


def _joined(table: str, old: pa.Table, new: list[pd.DataFrame], order: pa.Array, reorder: bool) -> pd.DataFrame:
    """`old` (the last run's rows of `table`, as read) and the conformed frames `new` as one frame
    in article order."""
    joined = arrow_frame(old, table)
    if new:
        joined = conform(pd.concat([joined, *new], ignore_index=True), table)
    return _in_article_order(joined, order) if reorder else joined


def _from_cache(records: list[dict], keys: list[str], positions: list[int], results: _Results,
                index: dict[str, dict], found: list[list]) -> dict[str, pd.DataFrame]:
    """One frame per table of the articles at `positions`, from their cached column lists
    (parsed again if an entry vanished); notes each article's index entry and problems."""
    columns: dict[str, dict[str, list]] = {t: {} for t in PER_ARTICLE_TABLES}
    for position in positions:
        record, key = records[position], keys[position]
        result = results.get(key)
        if result is None:  # the cache entry vanished under us: parse it again
            result = extract_chunk_here([_task_fields(record)])[0]
        record.update(result["article"])
        found[position] = result["problems"]
        index[key] = {"article_id": record["article_id"], "article": result["article"], "problems": result["problems"]}
        for table, values in result["columns"].items():
            for column, cells in values.items():
                columns[table].setdefault(column, []).extend(cells)
    return {table: from_columns(values, table) for table, values in columns.items() if values}


def _in_article_order(frame: pd.DataFrame, order: pa.Array) -> pd.DataFrame:
    """Rows sorted by their article's position in `order`, keeping each article's own row order."""
    if frame.empty:
        return frame
    positions = pc.index_in(pa.array(frame["article_id"].tolist(), pa.string()), value_set=order)
    return frame.take(pc.sort_indices(positions).to_numpy()).reset_index(drop=True)


def _standby_parser(cache_dir: Path | None, n_process: int, scheduler: str | None
                    ) -> AbstractContextManager[StandbyParser | None]:
    """A `StandbyParser` for a re-run in this process that has the last run's tables to read
    (the wait it hides) and a second core (`standby.available`); else no parser."""
    rerun = cache_dir is not None and (Path(cache_dir).is_dir() if simpler("snapshot") else assembled.exists(cache_dir))
    if rerun and n_process == 1 and not scheduler and standby.available() and not simpler("standby"):
        return StandbyParser()
    return nullcontext(None)


def process_corpus(
    src: Path | Sequence[Path],
    progress: bool = True,
    *,
    cache_dir: Path | None = None,
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    scheduler: str | None = None,
    standby: StandbyParser | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Problem], dict]:
    """`process` plus a report of the run: articles parsed, reused from the cache and pruned
    from it, whether a standby parser process parsed them (`lib.run.standby`; the caller's
    `standby`, started earlier, else one of its own when it pays; closed once the new articles
    are parsed), the seconds each stage took, and ("saved") the tables left as the snapshot saved
    them, with its file of each."""
    clock = time.perf_counter()
    stats: dict = {"articles": 0, "parsed": 0, "reused": 0, "pruned": 0, "standby": False, "seconds": {}}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stats["seconds"][stage] = round(now - clock, 3)
        clock = now

    snapshot = None  # the last run's tables, loading in the background while the model does
    started = nullcontext(standby) if standby is not None else _standby_parser(cache_dir, n_process, scheduler)
    with started as parser:  # loads the model while this process reads
        if parser is not None and not simpler("snapshot"):  # forked already: a thread started now holds no lock in it
            snapshot = assembled.in_background(assembled.load, cache_dir, PER_ARTICLE_TABLES)
        reader = reader_version()
        memo = ReadMemo(assembled.load_files(cache_dir, reader)) if cache_dir is not None and not simpler("filesmemo") else None
        folders = [Path(src)] if isinstance(src, str | Path) else list(src)
        articles, problems = read_folders(folders, memo)
        memo_changed = memo is not None and memo.changed
        records = schema.records(articles)
        stats["articles"] = len(records)
        lap("read")
        if not records:
            if memo_changed:
                assembled.save_files(cache_dir, memo.used, reader)
            return ({t: empty(t) for t in ("articles", *PER_ARTICLE_TABLES, "fact_groups", "quote_groups")},
                    problems, stats)
        fingerprint = extraction_fingerprint()
        keys = [article_key(r, fingerprint) for r in records]
        results = _Results(cache_dir)
        stored = results.keys()
        ready = {i for i, key in enumerate(keys) if key in stored}
        twins = copies.extraction_twins(records, ready)  # copies whose rows are another article's: not parsed
        todo = [i for i, key in enumerate(keys) if key not in stored and i not in twins]
        stats["reused"] = len(records) - len(todo)
        stats["standby"] = parser is not None and bool(todo)
        if results.store is not None:
            stats["pruned"] = results.store.prune(set(keys))  # entries no article of this run uses

        def save_memo() -> list[Future]:
            return [assembled.in_background(assembled.save_files, cache_dir, memo.used, reader)] if memo_changed else []

        # Cache files are written in a background thread, waited for before the run ends: the
        # files memo at once unless worker processes are still to be forked, as they are only
        # from a process without threads (`lib.run.spawning`; a standby parser is forked already).
        forked = parser is not None or (n_process == 1 and not scheduler)
        saves = save_memo() if forked else []
        pending = iter(todo)
        with ProgressBar(total=len(records), initial=stats["reused"], unit="article", disable=not progress) as bar:
            batches = extract_all([records[i] for i in todo], n_process=n_process, batch_size=batch_size,
                                  scheduler=scheduler, parser=parser)
            for chunk, chunk_results in batches:
                for result in chunk_results:
                    results.put(keys[next(pending)], result)
                stats["parsed"] += len(chunk)
                bar.update(len(chunk))
        if parser is not None:
            parser.close()  # done (or never needed, and maybe still loading the model): its core is free again
    _store_copies(twins, records, keys, stored, results)
    lap("parse_extract")
    if not forked:
        saves += save_memo()
    tables, saving = assemble(records, keys, results, problems, snapshot)
    assembled_tables = {name: tables[name] for name in PER_ARTICLE_TABLES}  # as the snapshot saves them
    lap("assemble")
    tables["events"] = linking.link_events(tables["events"])
    lap("link_events")
    tables.update(alignment.align(tables))
    lap("align")
    if saving is not None:
        saves.append(saving)
    if saves:
        for save in saves:
            save.result()  # the files memo and the snapshot are on disk (or an error is raised here)
        lap("save_snapshot")
    if saving is not None:  # per-article tables the cross-article steps left alone: saved already
        stats["saved"] = {name: (table, assembled.table_file(cache_dir, name))
                          for name, table in assembled_tables.items() if tables[name] is table}
    return tables, problems, stats


def process(src: Path, progress: bool = True, **options) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read, parse and extract a whole source folder into the contract tables (in memory).

    Options (keyword only): `cache_dir` (reuse and store per-article rows there), `n_process`,
    `batch_size`, `scheduler` (a Dask scheduler address, or "local")."""
    tables, problems, _ = process_corpus(src, progress, **options)
    return tables, problems


def run(
    src: Path | Sequence[Path],
    out: Path,
    progress: bool = True,
    *,
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    scheduler: str | None = None,
    cache: bool = True,
    partition_by: str | None = None,
) -> dict:
    """Preprocess `src` (a folder, or several) into `out`; returns the manifest (also written as
    manifest.json). The articles added from the browser (`out/added/`) are read too, as one
    more source folder (`lib.run.sources`); the manifest records every folder (`sources`).

    Per-article rows are cached in `out/.cache` (unless `cache` is False), so a re-run only
    parses new or changed articles. When nothing that goes into the tables changed since the
    last run (`input_fingerprint`) and its tables are all there, nothing is redone.
    `partition_by="year"` writes each per-article table as a dataset partitioned by publication
    year (`tableio.write_tables`)."""
    folders, out = source_folders(src, Path(out)), Path(out)
    began = time.perf_counter()
    cache_dir = Path(out) / CACHE_FOLDER if cache else None
    # a re-run's parser starts loading the model before the inputs are even checked (unused if nothing changed)
    with _standby_parser(cache_dir, n_process, scheduler) as parser:
        inputs = input_fingerprint(folders)
        previous = read_manifest(Path(out))
        if cache and previous.get("inputs") == inputs and _tables_there(Path(out), previous, partition_by):
            articles = previous["rows"]["articles"]
            return {**previous, "up_to_date": True, "cache": {"parsed": 0, "reused": articles, "pruned": 0},
                    "seconds": round(time.perf_counter() - began, 2)}
        tables, problems, stats = process_corpus(folders, progress, cache_dir=cache_dir, n_process=n_process,
                                                 batch_size=batch_size, scheduler=scheduler, standby=parser)
    manifest = {
        "data_version": data_version(tables["articles"]),
        "inputs": inputs,
        "pipeline_version": PIPELINE_VERSION,
        "pipeline_fingerprint": pipeline_fingerprint(),
        "source": folders[0].name,
        "sources": recorded(folders),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": {table: len(frame) for table, frame in tables.items()},
        "problems": [str(p) for p in problems],
        "cache": {k: stats[k] for k in ("parsed", "reused", "pruned")},
        "stage_seconds": stats["seconds"],
        "seconds": round(time.perf_counter() - began, 2),
    }
    if len(tables["articles"]):  # a table still as the snapshot saved it is copied from there
        saved = {name: path for name, (table, path) in stats.get("saved", {}).items() if tables[name] is table}
        last_index = _last_index(Path(out), previous)
        write_tables(tables, Path(out), manifest, copies=saved, partition_by=partition_by, derive=derived.write,
                     extras={INDEX_FILE: lambda path: search_index.build(tables, path, previous=last_index)})
    return manifest


def _tables_there(out: Path, manifest: dict, partition_by: str | None) -> bool:
    """Whether the last run's tables and search index are all in `out`, in the layout asked for."""
    if manifest.get("partition_by") != partition_by or not (out / INDEX_FILE).exists():
        return False
    return all((out / f"{name}.parquet").exists() or (out / name).is_dir() for name in TABLES)


def _last_index(out: Path, previous: dict) -> Path | None:
    """The search index of the last run, to be updated rather than built anew, when the same
    pipeline wrote it (its stems are then the ones this run would compute); else None."""
    if previous.get("pipeline_fingerprint") != pipeline_fingerprint():
        return None
    path = tables_folder(out, previous) / INDEX_FILE
    return path if path.is_file() else None


def summary(manifest: dict) -> str:
    """The end-of-run report for the terminal."""
    lines = [f"articles read: {manifest['rows']['articles']}"]
    skipped = manifest["problems"]
    lines.append(f"problems: {len(skipped)}")
    lines.extend(f"  - {p}" for p in skipped)
    lines.append("rows: " + ", ".join(f"{t} {n}" for t, n in manifest["rows"].items()))
    if manifest.get("up_to_date"):
        lines.append("nothing changed since the last run: the tables were left as they are")
    elif "cache" in manifest:
        cached = manifest["cache"]
        lines.append(f"parsed: {cached['parsed']}, reused from cache: {cached['reused']}, "
                     f"stale cache entries removed: {cached['pruned']}")
    lines.append(f"seconds: {manifest['seconds']}")
    lines.append(f"data version: {manifest['data_version']}")
    return "\n".join(lines)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crties-preprocess", description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=str, help="folder of .txt/.md/.html articles (+ optional sources.csv)")
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder for the Parquet tables")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--n-process", type=_positive, default=1,
                        help="worker processes that parse and extract (default 1: this process)")
    parser.add_argument("--batch-size", type=_positive, default=BATCH_SIZE, help="texts per nlp.pipe batch")
    parser.add_argument("--scheduler", nargs="?", const="local", default=None, metavar="ADDRESS",
                        help="parse on a Dask cluster at ADDRESS; alone: start a local cluster (needs the [dask] extra)")
    parser.add_argument("--at-scale", action="store_true",
                        help="with --scheduler: the workers read SRC (a path or fsspec URL they can reach) and write "
                             "the tables' parts into OUT, which they must reach too (no cache)")
    parser.add_argument("--partition-by", choices=["year"], default=None,
                        help="write each per-article table as a dataset partitioned by publication year")
    parser.add_argument("--no-cache", action="store_true",
                        help="parse every article again (ignore and do not update OUT/.cache)")
    args = parser.parse_args(argv)
    if args.at_scale and not args.scheduler:
        parser.error("--at-scale needs --scheduler")
    try:
        if args.at_scale:
            from lib.run.cluster import run_at_scale
            from lib.run.distributed import connect

            with connect(args.scheduler, args.n_process if args.n_process > 1 else None) as client:
                manifest = run_at_scale(str(args.src), args.out, client, batch_size=args.batch_size,
                                        partition_by=args.partition_by)
        else:
            manifest = run(args.src, args.out, progress=not args.quiet, n_process=args.n_process,
                           batch_size=args.batch_size, scheduler=args.scheduler, cache=not args.no_cache,
                           partition_by=args.partition_by)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted; the tables in {args.out} are unchanged", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the user gets one clear line, not a traceback
        print(f"error: preprocessing failed ({type(error).__name__}: {error}); {args.out} is unchanged", file=sys.stderr)
        return 1
    print(summary(manifest))
    if not manifest["rows"]["articles"]:
        print(f"error: no article in {args.src} could be processed; {args.out} left unchanged", file=sys.stderr)
        return 1
    print(f"tables {'up to date' if manifest.get('up_to_date') else 'written'} in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
