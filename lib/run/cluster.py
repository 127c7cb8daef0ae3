"""A run on a Dask cluster that never gathers the corpus (`--scheduler ADDRESS --at-scale`).

The client lists the article files of the source (a folder, or any fsspec URL such as `s3://`
when its backend is installed) and reads `sources.csv` (metadata, no text), then hands out names;
every step that reads rows is a task on the workers, so the client's memory does not grow with
the corpus:

1. **Shards** (`read_shard`): each task reads its own files from the source, applies the reading
   rules (`lib.read.corpus`: decoding, front matter, sources.csv fields, outlets), parses and
   extracts with the worker's pipeline (loaded once per worker), and writes its rows as Parquet
   parts under the run's staging folder, with each article's MinHash signature.
2. **Copies** (`find_copies`): `lib.run.copies_at_scale` over the signature parts, written as a
   parts file of (article_id, copy_of) that the blocks read with each article's outlet, so that
   copies of one story count once.
3. **Blocks** (`plan_blocks`, then `link_block`, `align_figure_block`, `align_quote_block`): the
   cross-article steps over `lib.crossarticle.blocking` blocks, each task reading its rows from
   the parts with DuckDB and writing them back with their ids. The plan sends the client the
   year and metric-family keys of the event and figure tasks (a few dozen) and the number of
   quote tasks, whose (speaker, date) keys it writes as a parts file.
4. **Tables** (`write_tables`): DuckDB copies the parts into the contract's tables, one file each
   or partitioned by year, and the pages' derived tables are built from them, in a snapshot the
   client then publishes (`lib.contract.tableio`).

The output folder must be reachable by every worker (a shared file system).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib import PIPELINE_VERSION
from lib.contract.schema import TABLES, from_columns, from_rows
from lib.contract.tableio import ARROW_TYPES, publish_snapshot, start_snapshot
from lib.crossarticle import alignment, blocking, linking
from lib.read import copies
from lib.read.corpus import (
    ARTICLE_SUFFIXES,
    SOURCES_FILE,
    Problem,
    _article_row,
    content_hash,
    decode,
    parse_sources,
    read_article,
    warnings_for,
)
from lib.run import tables as table_files
from lib.run.copies_at_scale import copy_links
from lib.run.fingerprint import pipeline_fingerprint
from lib.views import derived

PER_ARTICLE_TABLES = ("actors", "dates", "figures", "quotes", "events")
PARTS_PREFIX = ".cluster-parts-"  # <out>/.cluster-parts-<stamp>/: the parts of a run under way
SHARD_ARTICLES = 64  # articles per read-and-extract task
BLOCK_ROWS = 200_000  # rows per cross-article task (small blocks share one)
COPIES = "copies"  # the parts folder of (article_id, copy_of), read by the block tasks and the tables
QUOTE_KEYS = "quote-keys"  # the parts folder of (speaker, said, task): the keys of each quote task
SPILL = "spill"  # the folder where DuckDB spills what exceeds its memory limit
ORDER = ("_article", "_row")  # hidden columns of the parts: the article's file position, the row's
SAID = "_said"  # hidden column of quote parts: the statement date (`alignment.statement_dates`)
PARSING = threading.Lock()  # one parse at a time per worker process (its pipeline's memory zones)


# --- the source ------------------------------------------------------------------------------------


def list_source(src: str) -> tuple[list[str], dict[str, dict], list[Problem]]:
    """The article file names of `src` (a path or an fsspec URL), in name order, with the
    sources.csv row of each file named there and the problems of sources.csv."""
    fs, root = fsspec.core.url_to_fs(str(src))
    if not fs.isdir(root):
        raise FileNotFoundError(f"{src} is not a folder")
    names = sorted(os.path.basename(p.rstrip("/")) for p in fs.ls(root, detail=False))
    articles = [n for n in names if os.path.splitext(n)[1].lower() in ARTICLE_SUFFIXES
                and fs.isfile(f"{root.rstrip('/')}/{n}")]
    problems: list[Problem] = []
    metadata: dict[str, dict] = {}
    if SOURCES_FILE in names:
        try:
            sources, problems = parse_sources(decode(fs.cat_file(f"{root.rstrip('/')}/{SOURCES_FILE}")))
        except (OSError, ValueError) as error:
            sources, problems = parse_sources("")[0], [Problem(SOURCES_FILE, f"unreadable, ignored ({error})")]
        columns = [str(c) for c in sources.columns]
        metadata = {file: dict(zip(columns, row)) for file, row in zip(sources.index.tolist(),
                                                                        zip(*(sources[c].tolist() for c in columns)))}
        present = set(articles)
        problems.extend(Problem(SOURCES_FILE, f"{name}: no such article file", metadata[name]["line"])
                        for name in metadata if name not in present)
    return articles, metadata, problems


def _read_one(fs, root: str, name: str, scratch: Path):
    """`read_article` + `warnings_for` of one file of the source: a local file in place, a remote
    one through a scratch copy (the readers go by the file's name and suffix)."""
    if fs.protocol in ("file", ("file", "local")) or "file" in fs.protocol:
        return warnings_for(read_article(Path(root) / name))
    local = scratch / name
    fs.get_file(f"{root.rstrip('/')}/{name}", str(local))
    try:
        return warnings_for(read_article(local))
    finally:
        local.unlink(missing_ok=True)


# --- step 1: shards, on the workers ------------------------------------------------------------------


def arrow_table(frame: pd.DataFrame, name: str) -> pa.Table:
    """A conformed frame as Arrow with the contract's types (other columns inferred)."""
    spec = TABLES[name]
    arrays, fields = [], []
    for column in frame.columns:
        kind = ARROW_TYPES[spec[column]] if column in spec else None
        values = frame[column].tolist()
        array = pa.array(values, kind, from_pandas=True) if kind is not None else pa.array(values, from_pandas=True)
        arrays.append(array)
        fields.append(pa.field(column, array.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _write_part(table: pa.Table, folder: Path, name: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.parquet"
    pq.write_table(table, path)
    return str(path)


def read_shard(src: str, names: list[str], metadata: dict[str, dict], first: int, parts: str,
               shard: int, batch_size: int) -> dict:
    """Read, parse and extract the files `names` of `src` (the `first`-th file onward) and
    write their rows under `parts`; returns the problems met and the number of articles read."""
    from lib.extract.article import extract_chunk, shared_pipeline

    fs, root = fsspec.core.url_to_fs(str(src))
    problems: list[list] = []
    records, signatures = [], []
    with tempfile.TemporaryDirectory(prefix="crties-shard-") as scratch:
        for offset, name in enumerate(names):
            try:
                article, warnings = _read_one(fs, root, name, Path(scratch))
            except (OSError, ValueError) as error:
                problems.append([name, f"skipped: {error}", None])
                continue
            problems.extend([p.file, p.reason, p.line] for p in warnings)
            record = _article_row(article, metadata.get(name), content_hash(article.text))
            record["_article"] = first + offset
            records.append(record)
            signatures.append(copies.signature(article.text))
    if not records:
        return {"problems": problems, "articles": 0}
    tasks = [{k: r.get(k) for k in ("article_id", "file", "text", "published")} for r in records]
    with PARSING:  # one pipeline per worker process, whose memory zones threads must not share
        results = extract_chunk(shared_pipeline(), tasks, batch_size)
    columns: dict[str, dict[str, list]] = {t: {} for t in PER_ARTICLE_TABLES}
    for record, result in zip(records, results):
        record.update(result["article"])
        problems.extend([file, reason, None] for file, reason in result["problems"])
        for table, values in result["columns"].items():
            count = len(next(iter(values.values())))
            for column, cells in values.items():
                columns[table].setdefault(column, []).extend(cells)
            columns[table].setdefault("_article", []).extend([record["_article"]] * count)
    root_folder, tag = Path(parts), f"part-{shard:06d}"
    articles = from_rows(records, "articles")
    _write_part(arrow_table(articles, "articles"), root_folder / "articles", tag)
    _write_part(pa.table({"article_id": articles["article_id"].tolist(), "_article": articles["_article"].tolist(),
                          "content_hash": articles["content_hash"].tolist(),
                          "signature": pa.array(signatures, pa.list_(pa.int64()))}), root_folder / "signatures", tag)
    frames = {}
    for table in PER_ARTICLE_TABLES:
        frame = from_columns(columns[table], table)
        if "_article" not in frame.columns:
            frame["_article"] = pd.Series([], dtype="int64")
        frame["_row"] = range(len(frame))
        frames[table] = frame
    if len(frames["quotes"]):
        frames["quotes"][SAID] = alignment.statement_dates(frames["quotes"], frames["events"], articles)
    else:
        frames["quotes"][SAID] = pd.Series([], dtype=object)
    for table, frame in frames.items():
        _write_part(arrow_table(frame, table), root_folder / table, tag)
    return {"problems": problems, "articles": len(records)}


# --- step 3: blocks, on the workers ------------------------------------------------------------------


def _scan(parts: str, table: str) -> str:
    return table_files.parts_scan(Path(parts) / table)


def _block_table(connection, name: str, keys: list[object]) -> None:
    connection.register(name, pd.DataFrame({"key": pd.Series(keys, dtype=object)}))


def link_block(parts: str, keys: list[str], out: str, tag: str) -> int:
    """`link_events` over the events of the year blocks `keys` (`blocking.event_block`)."""
    with duckdb.connect(":memory:") as connection:
        connection.create_function("event_block", blocking.event_block, ["VARCHAR"], "VARCHAR", null_handling="special")
        _block_table(connection, "wanted", keys)
        rows = connection.sql(f"SELECT * FROM {_scan(parts, 'events')} "
                                  "WHERE event_block(date) IN (SELECT key FROM wanted)").df()
    linked = linking.link_events(rows)
    _write_part(arrow_table(linked, "events"), Path(out) / "events", tag)
    return len(linked)


def _published(parts: str, connection, rows: pd.DataFrame) -> pd.DataFrame:
    """(article_id, published, outlet, copy_of) of the articles of `rows`: what the alignment
    reads of an article (copies of one story count once, `find_copies`)."""
    connection.register("block_rows", pd.DataFrame({"article_id": rows["article_id"].astype(object)}))
    return connection.execute(f"SELECT a.article_id, a.published, a.outlet, c.copy_of FROM {_scan(parts, 'articles')} a "
                              f"LEFT JOIN {_scan(parts, COPIES)} c USING (article_id) "
                              "WHERE a.article_id IN (SELECT article_id FROM block_rows)").df()


def align_figure_block(parts: str, keys: list[str], out: str, tag: str) -> int:
    """`align_figures` over the figures of the metric families `keys` (`blocking.figure_block`)."""
    with duckdb.connect(":memory:") as connection:
        connection.create_function("figure_block", blocking.figure_block, ["VARCHAR"], "VARCHAR",
                                   null_handling="special")
        _block_table(connection, "wanted", keys)
        rows = connection.sql(f"SELECT * FROM {_scan(parts, 'figures')} "
                                  "WHERE figure_block(metric) IN (SELECT key FROM wanted)").df()
        articles = _published(parts, connection, rows)
    figures, facts = alignment.align_figures(rows, articles)
    _write_part(arrow_table(figures, "figures"), Path(out) / "figures", tag)
    _write_part(arrow_table(facts, "fact_groups"), Path(out) / "fact_groups", tag)
    return len(figures)


def align_quote_block(parts: str, task: int, out: str, tag: str) -> int:
    """`align_quotes` over the quotes whose (speaker, statement date) `plan_blocks` gave quote task
    number `task`, with the publication dates of their articles and the statement dates the
    shards computed (`SAID`)."""
    with duckdb.connect(":memory:") as connection:
        connection.execute(f"CREATE TEMP TABLE wanted AS SELECT speaker, said FROM {_scan(parts, QUOTE_KEYS)} "
                           "WHERE task = ?", [task])
        rows = connection.sql(
            f"SELECT q.* FROM {_scan(parts, 'quotes')} q SEMI JOIN wanted w "
            f"ON q.speaker IS NOT DISTINCT FROM w.speaker AND q.{SAID} IS NOT DISTINCT FROM w.said").df()
        articles = _published(parts, connection, rows)
    said = [None if pd.isna(date) else date for date in rows[SAID].tolist()]
    quotes, groups = alignment.align_quotes(rows, None, articles, said=said)
    _write_part(arrow_table(quotes, "quotes"), Path(out) / "quotes", tag)
    _write_part(arrow_table(groups, "quote_groups"), Path(out) / "quote_groups", tag)
    return len(quotes)


# --- steps 2 to 4: the tasks after the shards ---------------------------------------------------------


def find_copies(parts: str) -> int:
    """Write each article's `copy_of` as the COPIES parts (`copies_at_scale`); returns the number of copies."""
    folder = Path(parts) / COPIES
    folder.mkdir(parents=True, exist_ok=True)
    return copy_links(_scan(parts, "signatures"), folder / "part-000000.parquet", Path(parts) / SPILL)


def plan_blocks(parts: str) -> dict:
    """The block tasks of the three cross-article steps: the keys of each event task and of each
    figure task, and the number of quote tasks, whose keys are written as the QUOTE_KEYS parts."""
    with duckdb.connect(":memory:") as connection:
        connection.create_function("event_block", blocking.event_block, ["VARCHAR"], "VARCHAR", null_handling="special")
        connection.create_function("figure_block", blocking.figure_block, ["VARCHAR"], "VARCHAR",
                                   null_handling="special")
        years = dict(connection.execute(f"SELECT event_block(date), count(*) FROM {_scan(parts, 'events')} "
                                        "GROUP BY ALL").fetchall())
        families = dict(connection.execute(f"SELECT figure_block(metric), count(*) FROM {_scan(parts, 'figures')} "
                                           "GROUP BY ALL").fetchall())
        said = connection.execute(f"SELECT speaker, {SAID} AS said, count(*) AS n FROM {_scan(parts, 'quotes')} "
                                  "GROUP BY ALL").df()
    pairs = list(zip(said["speaker"].tolist(), said["said"].tolist()))
    said["block"] = blocking.quote_blocks([(None if pd.isna(s) else s, None if pd.isna(d) else d) for s, d in pairs],
                                          int(alignment.setting("statement_days")))
    sizes = said.groupby("block")["n"].sum().to_dict()
    task_of = {block: task for task, blocks in enumerate(blocking.packed(sizes, BLOCK_ROWS)) for block in blocks}
    said["task"] = said["block"].map(task_of).astype("int64")
    keys = said[["speaker", "said", "task"]]
    _write_part(pa.Table.from_pandas(keys, preserve_index=False), Path(parts) / QUOTE_KEYS, "part-000000")
    return {"events": blocking.packed(years, BLOCK_ROWS), "figures": blocking.packed(families, BLOCK_ROWS),
            "quotes": len(set(task_of.values()))}


def _block_tasks(client, parts: str, linked: str) -> list:
    """The futures of every block task of the three cross-article steps (`plan_blocks`)."""
    plan = client.submit(plan_blocks, parts, pure=False).result()
    futures = [client.submit(link_block, parts, keys, linked, f"part-{number:06d}", pure=False)
               for number, keys in enumerate(plan["events"])]
    futures += [client.submit(align_figure_block, parts, keys, linked, f"part-{number:06d}", pure=False)
                for number, keys in enumerate(plan["figures"])]
    futures += [client.submit(align_quote_block, parts, task, linked, f"part-{task:06d}", pure=False)
                for task in range(plan["quotes"])]
    return futures


def write_tables(parts: str, linked: str, staging: str, partition_by: str | None) -> dict:
    """Write the contract's tables from the parts into the snapshot folder `staging`, then the
    pages' derived tables (`lib.views.derived`); returns the row counts and the corpus's
    `data_version`."""
    tables = table_files.DatasetParts(parts, linked, Path(parts) / COPIES, Path(parts) / SPILL)
    rows = tables.write(Path(staging), partition_by)
    derived.write(Path(staging))
    return {"rows": rows, "data_version": tables.data_version()}


# --- the client ----------------------------------------------------------------------------------------


def run_at_scale(src: str, out: Path, client, *, batch_size: int = 32, partition_by: str | None = None,
                 shard_articles: int = SHARD_ARTICLES) -> dict:
    """Preprocess `src` (a path or an fsspec URL) into `out` on the workers of Dask `client`;
    returns the manifest. See the module's docstring for who does what."""
    began = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names, metadata, problems = list_source(src)
    stamp = f"{time.time_ns()}-{os.getpid()}"
    for stale in out.glob(f"{PARTS_PREFIX}*"):  # left by an interrupted run
        shutil.rmtree(stale, ignore_errors=True)
    work = out / f"{PARTS_PREFIX}{stamp}"  # removed once the tables are published
    parts, linked = str(work / "read"), str(work / "linked")
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    try:
        shards = [names[begin:begin + shard_articles] for begin in range(0, len(names), shard_articles)]
        futures = [client.submit(read_shard, str(src), shard, {n: metadata[n] for n in shard if n in metadata},
                                 number * shard_articles, parts, number, batch_size, pure=False)
                   for number, shard in enumerate(shards)]
        read = 0
        for future in futures:  # in shard order: problems come out in file order
            done = future.result()
            read += done["articles"]
            problems.extend(Problem(file, reason, line) for file, reason, line in done["problems"])
            future.release()
        seconds["read_extract"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        if not read:
            return {"rows": {"articles": 0}, "problems": [str(p) for p in problems], "data_version": "",
                    "cache": {"parsed": 0, "reused": 0, "pruned": 0}, "seconds": round(time.perf_counter() - began, 2)}
        copied = client.submit(find_copies, parts, pure=False).result()
        seconds["copies"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        for future in _block_tasks(client, parts, linked):
            future.result()
            future.release()
        seconds["link_align"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        manifest = {
            "inputs": None,
            "pipeline_version": PIPELINE_VERSION,
            "pipeline_fingerprint": pipeline_fingerprint(),
            "source": os.path.basename(str(src).rstrip("/")),
            "sources": [str(src)],
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "problems": [str(p) for p in problems],
            "cache": {"parsed": read, "reused": 0, "pruned": 0},
            "copies": copied,
        }
        staging = start_snapshot(out)
        written = client.submit(write_tables, parts, linked, str(staging), partition_by, pure=False).result()
        manifest["data_version"], manifest["rows"] = written["data_version"], written["rows"]
        if partition_by:
            manifest["partition_by"] = partition_by
        publish_snapshot(staging, out, manifest)
        seconds["write"] = round(time.perf_counter() - clock, 3)
        manifest["stage_seconds"] = seconds
        manifest["seconds"] = round(time.perf_counter() - began, 2)
        return manifest
    finally:
        if not os.environ.get("CRTIES_KEEP_PARTS"):
            shutil.rmtree(work, ignore_errors=True)
