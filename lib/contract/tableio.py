"""Reading and writing a tables folder safely.

Writing is two-phase: every table is first written in full into a hidden staging folder, and
only when all of them are on disk is that folder renamed, in one step, into a snapshot
`<folder>/.tables/<stamp>/`; then each file is linked over the old one at the top of the folder
(the output contract), the manifest last. An interruption during the (long) first phase leaves
the previous tables untouched; no reader ever sees a half-written file.

A reader that must never mix two versions of the tables (the dashboard, while an article is
added) opens the snapshot the manifest names (`tables_folder`): its files never change. The
newest `KEEP_SNAPSHOTS` snapshots are kept, so a reader still on the previous one can finish.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lib.contract.schema import TABLES, conform, empty

MANIFEST = "manifest.json"
TEMP_PREFIX = ".writing-"
SNAPSHOTS = ".tables"  # <folder>/.tables/<stamp>/: one complete, unchanging set of tables each
KEEP_SNAPSHOTS = 3
WRITERS = 2  # tables encoded at once: Arrow releases the GIL while it encodes and compresses


def _fsynced(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files an interrupted run left behind."""
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def sql_string(text: object) -> str:
    """`text` (a path, mostly) as an SQL string literal: DuckDB's DDL, settings and table
    functions such as `read_parquet` take no parameters."""
    return "'" + str(text).replace("'", "''") + "'"


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """One Parquet file from a frame."""
    frame.to_parquet(path, index=False)


def read_arrow(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file as an Arrow table, read through `ParquetFile`: `pq.read_table` goes through
    the dataset layer (discovery, fragments, a scanner), which takes longer for one known file."""
    with pq.ParquetFile(path) as file:
        return file.read(columns=columns)


def arrow_frame(table: pa.Table, name: str) -> pd.DataFrame:
    """Contract table `name`, read from Parquet as Arrow, as a conformed frame. A list column
    becomes Python lists in one step (`to_pylist`), the form `conform` keeps as it is;
    `to_pandas` would give a numpy array per cell, each converted again in Python."""
    columns = {}
    for field in table.schema:
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            columns[field.name] = pd.Series(table[field.name].to_pylist(), dtype=object)
        else:
            columns[field.name] = table[field.name].to_pandas()
    return conform(pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows)), name)


ARROW_TYPES = {"string": pa.string(), "bool": pa.bool_(), "int64": pa.int64(), "float64": pa.float64(),
               "list": pa.list_(pa.string())}  # the Arrow type of each contract dtype


def column_values(frame: pd.DataFrame, column: str) -> list:
    """A column's cells as plain Python values, without boxing each in pandas (a missing number is NaN)."""
    return frame[column].to_numpy(dtype=object).tolist()


def column_array(frame: pd.DataFrame, name: str, column: str) -> pa.Array:
    """A column of contract table `name` as one Arrow array of the contract's type, for the
    array computations of the cross-article steps."""
    return pa.array(column_values(frame, column), ARROW_TYPES[TABLES[name][column]], from_pandas=True)


def with_columns(frame: pd.DataFrame, name: str, values: dict[str, list]) -> pd.DataFrame:
    """Contract table `name` with `values` (column → cells) set, conformed again."""
    frame = frame.copy()
    for column, cells in values.items():
        frame[column] = cells
    return conform(frame, name)


PARTITION_COLUMN = "published_year"  # hive-style: <table>/published_year=2023/part-0.parquet
PARTITIONED = ("articles", "actors", "dates", "figures", "quotes", "events")  # by their article's year
NO_YEAR = "__HIVE_DEFAULT_PARTITION__"  # the partition of articles without a publication date


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, manifest: dict,
                 copies: dict[str, Path] | None = None,
                 extras: dict[str, Callable[[Path], None]] | None = None, partition_by: str | None = None,
                 derive: Callable[[Path], None] | None = None) -> None:
    """Write every contract table (plus the manifest) into `folder`, all or nothing. Frames are
    conformed first; a table named in `copies` is copied from that Parquet file instead, which
    holds the very same table (written once already: encoding the largest table again takes
    longer than copying it). `extras` maps the name of another file that belongs with these
    tables (the search index) to a function writing it at the path it is given; it is staged,
    snapshotted and linked with them. The tables are staged WRITERS at a time. `derive`, given
    the staging folder once every table is in it, writes what is built from them (the pages'
    derived tables) into the same snapshot. The manifest gains `tables_folder`, the snapshot's
    path relative to `folder`.

    With `partition_by="year"`, each of PARTITIONED is a hive-style dataset by its article's
    publication year (`write_partitioned`): a partition equal to the last snapshot's is linked
    from it, not written again, so adding articles rewrites only the years they touch."""
    folder = Path(folder)
    staging = start_snapshot(folder)
    previous = read_manifest(folder).get("partitions", {}) if partition_by else {}
    last = tables_folder(folder) if partition_by else None
    years = _article_years(tables["articles"]) if partition_by else None
    digests: dict[str, dict[str, str]] = {}

    def stage(name: str) -> None:
        table, path = tables.get(name, empty(name)), staging / f"{name}.parquet"
        if partition_by and name in PARTITIONED:
            arrow = _as_arrow(table, name)
            digests[name] = write_partitioned(arrow, _row_years(arrow, years), staging / name,
                                              previous.get(name, {}), last / name if last else None)
            return
        if name in (copies or {}):
            shutil.copyfile(copies[name], path)
        else:
            write_parquet(conform(table, name), path)
        _fsynced(path)

    def stage_extra(name: str) -> None:
        extras[name](staging / name)
        _fsynced(staging / name)

    try:
        with ThreadPoolExecutor(WRITERS, thread_name_prefix="write-table") as pool:
            writes = [pool.submit(stage_extra, name) for name in extras or {}]
            writes += [pool.submit(stage, name) for name in TABLES]
        for write in writes:
            write.result()  # the first failure, once every write has stopped
        if derive is not None:
            derive(staging)
        if partition_by:
            manifest["partition_by"], manifest["partitions"] = partition_by, digests
        else:
            manifest.pop("partition_by", None)
            manifest.pop("partitions", None)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish_snapshot(staging, folder, manifest, extras=list(extras or {}))


def start_snapshot(folder: Path) -> Path:
    """A new, empty staging folder for the next snapshot of `folder`'s tables (stale ones removed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    snapshots = folder / SNAPSHOTS
    snapshots.mkdir(exist_ok=True)
    remove_stale_temporaries(snapshots)
    staging = snapshots / f"{TEMP_PREFIX}{time.time_ns()}-{os.getpid()}"
    staging.mkdir()
    return staging


def publish_snapshot(staging: Path, folder: Path, manifest: dict, extras: Iterable[str] = ()) -> None:
    """Make the complete tables in `staging` (from `start_snapshot`) the current ones: the manifest
    is written into it, it is renamed into a snapshot in one step, then each table (a file, or a
    partitioned dataset's folder, by a symbolic link) is put at the top of `folder`, then the
    `extras` files staged with them (the search index), the manifest last. Readers that follow the manifest's `tables_folder` never see a mix."""
    folder, snapshots = Path(folder), Path(staging).parent
    stamp = Path(staging).name[len(TEMP_PREFIX):]
    manifest["tables_folder"] = f"{SNAPSHOTS}/{stamp}"
    snapshot = snapshots / stamp
    try:
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        _fsynced(staging / MANIFEST)
        os.rename(staging, snapshot)  # the complete snapshot appears at once
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for name in TABLES:
        if (snapshot / name).is_dir():
            _link_folder(snapshot / name, folder / name)
            (folder / f"{name}.parquet").unlink(missing_ok=True)
        else:
            _replace_with(snapshot / f"{name}.parquet", folder / f"{name}.parquet")
            if (folder / name).is_symlink():
                (folder / name).unlink()
    for name in [*extras, MANIFEST]:
        _replace_with(snapshot / name, folder / name)
    _prune_snapshots(snapshots, keep=snapshot)


def _link_folder(source: Path, target: Path) -> None:
    """Point `target` at the folder `source` with one rename of a relative symbolic link."""
    temporary = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{target.name}")
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(source, target.parent), temporary)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    os.replace(temporary, target)


def _as_arrow(table: pd.DataFrame | pa.Table, name: str) -> pa.Table:
    return table if isinstance(table, pa.Table) else pa.Table.from_pandas(conform(table, name), preserve_index=False)


def _article_years(articles: pd.DataFrame) -> dict[str, str]:
    """article_id → the year partition of the article (NO_YEAR without a publication date)."""
    ids, published = column_values(articles, "article_id"), column_values(articles, "published")
    return {a: (p[:4] if isinstance(p, str) and p[:4].isdigit() else NO_YEAR) for a, p in zip(ids, published)}


def _row_years(table: pa.Table, years: dict[str, str]) -> pa.Array:
    """The year partition of each row of `table` (by its article)."""
    ids = table["article_id"].combine_chunks()
    distinct = pc.unique(ids)
    values = pa.array([years.get(a, NO_YEAR) for a in distinct.to_pylist()], pa.string())
    return values.take(pc.index_in(ids, value_set=distinct))


def write_partitioned(table: pa.Table, years: pa.Array, target: Path, previous: dict[str, str],
                      last: Path | None) -> dict[str, str]:
    """`table` as `target/published_year=<year>/part-0.parquet`, one file per year of `years`
    (rows keep their order); a year whose rows hash as in `previous` (year → digest) is linked
    from the `last` dataset instead of written. Returns each year's digest."""
    digests = {}
    for year in sorted(pc.unique(years).to_pylist()) if len(table) else []:
        rows = table.filter(pc.equal(years, year))
        digest = _digest(rows)
        folder = target / f"{PARTITION_COLUMN}={year}"
        folder.mkdir(parents=True, exist_ok=True)
        path, old = folder / "part-0.parquet", (last / folder.name / "part-0.parquet") if last else None
        digests[year] = digest
        if old is not None and previous.get(year) == digest and old.is_file():
            try:
                os.link(old, path)
                continue
            except OSError:
                pass
        pq.write_table(rows, path)
        _fsynced(path)
    if not digests:  # an empty table still has its columns
        folder = target / f"{PARTITION_COLUMN}={NO_YEAR}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-0.parquet")
    return digests


def _digest(table: pa.Table) -> str:
    """A hash of a table's schema and rows (its Arrow IPC stream)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue()).hexdigest()[:20]


def _replace_with(source: Path, target: Path) -> None:
    """Put `source` at `target` in one rename: a hard link of it (a copy where links fail)."""
    temporary = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{target.name}")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _prune_snapshots(snapshots: Path, keep: Path) -> None:
    """Remove all but the newest KEEP_SNAPSHOTS snapshots (never `keep`)."""
    done = sorted((p for p in snapshots.iterdir() if p.is_dir() and p.name.split("-")[0].isdigit()),
                  key=lambda p: int(p.name.split("-")[0]))
    for old in done[:-KEEP_SNAPSHOTS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def tables_folder(folder: Path, manifest: dict | None = None) -> Path:
    """The folder holding one complete version of the tables of `folder`: the snapshot its
    manifest (`manifest`, read when not given) names when that is there, else `folder` itself
    (tables written before snapshots)."""
    named = (read_manifest(folder) if manifest is None else manifest).get("tables_folder")
    if isinstance(named, str) and named.startswith(f"{SNAPSHOTS}/") and "/" not in named[len(SNAPSHOTS) + 1:]:
        snapshot = Path(folder) / named
        if snapshot.is_dir():
            return snapshot
    return Path(folder)


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every contract table of `folder` (an empty frame for a missing one)."""
    frames = {}
    for name in TABLES:
        path, dataset = Path(folder) / f"{name}.parquet", Path(folder) / name
        if dataset.is_dir():  # partitioned by year: the partition column is not the table's
            frames[name] = conform(read_dataset(dataset).to_pandas(), name)
        else:
            frames[name] = conform(pd.read_parquet(path), name) if path.exists() else empty(name)
    return frames


def read_dataset(folder: Path) -> pa.Table:
    """A table written partitioned (`write_partitioned`, or DuckDB's `PARTITION_BY`), without
    its partition column."""
    files = sorted(Path(folder).rglob("*.parquet"))
    table = pa.concat_tables([read_arrow(f) for f in files], promote_options="permissive")
    return table.drop_columns([c for c in (PARTITION_COLUMN,) if c in table.column_names])


def read_manifest(folder: Path) -> dict:
    """The manifest of `folder`, or {} when there is none or it is unreadable."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
