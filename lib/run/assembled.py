"""The last run's per-article tables, kept whole next to the article cache.

Assembling a large corpus from its article cache means reading one JSON file per article and
converting millions of values. Instead, every run also keeps the per-article tables it
assembled (before the cross-article steps) under `<out>/.cache/assembled/`, with an index of
the cache key, publication fields and problems of each article in them. The next run takes the
rows of every article whose key is unchanged from these tables and reads only the new or
changed articles from the cache.

The folder is replaced as a whole (written aside, then renamed), so a reader finds the old
snapshot, the new one or none, never a mixture; anything unreadable is simply ignored.

`files.arrow` beside it keeps each article file as read (`lib.read.corpus.ReadMemo`): text, title
and warnings by file name, size and modification time, so unchanged files are not read again.
It is an Arrow IPC file compressed with zstd, not Parquet: it holds every article's text, which
Arrow IPC reads back many times faster (docs/performance.md).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from lib.contract.tableio import read_arrow, write_parquet

FOLDER = "assembled"
INDEX = "index.json"
FILES = "files.arrow"
FORMER_FILES = ("files.parquet",)  # the memo as earlier versions kept it: removed on save
FILE_COLUMNS = ("file", "size", "mtime_ns", "article_id", "text", "title", "words", "content_hash", "warnings", "front",
                "signature", "reader")
# Arrow types of the columns between "file" and "reader"
FILE_TYPES = (pa.int64(), pa.int64(), pa.large_string(), pa.large_string(), pa.large_string(), pa.int64(),
              pa.large_string(), pa.list_(pa.large_string()), pa.large_string(), pa.list_(pa.int64()))


def load(cache_dir: Path, tables: tuple[str, ...]) -> tuple[dict[str, dict], dict[str, pa.Table]]:
    """(index, tables) of the last snapshot, the tables as Arrow: index maps a cache key to
    {"article_id", "article", "problems"}. Both are empty when there is no usable snapshot."""
    folder = _folder(cache_dir)
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        frames = {name: read_arrow(table_file(cache_dir, name)) for name in tables}
    except (OSError, ValueError):
        return {}, {}
    return index, frames


def table_file(cache_dir: Path, name: str) -> Path:
    """Where the snapshot keeps table `name`."""
    return _folder(cache_dir) / f"{name}.parquet"


def exists(cache_dir: Path) -> bool:
    """Whether there is a snapshot (usable or not: `load` decides)."""
    return (_folder(cache_dir) / INDEX).is_file()


def _folder(cache_dir: Path) -> Path:
    return Path(cache_dir) / FOLDER


def save(cache_dir: Path, index: dict[str, dict], tables: dict[str, pd.DataFrame]) -> None:
    """Replace the snapshot with `index` and `tables`, all or nothing."""
    folder = _folder(cache_dir)
    staging = folder.with_name(f".{FOLDER}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name, frame in tables.items():
            write_parquet(frame, staging / f"{name}.parquet")
        (staging / INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        retired = folder.with_name(f".{FOLDER}.{os.getpid()}.old.tmp")  # pruned if a run dies here
        if folder.exists():
            os.replace(folder, retired)
        os.replace(staging, folder)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def save_in_background(cache_dir: Path, index: dict[str, dict], tables: dict[str, pd.DataFrame]) -> Future:
    """`save` in a thread of its own, so the cross-article steps run while Arrow encodes and
    writes (the caller waits on the Future before it finishes, and must not change `tables`)."""
    return in_background(save, cache_dir, index, tables)


def in_background(task: Callable[..., object], *args: object) -> Future:
    """`task(*args)` in a thread of its own; the Future ends with it (and raises its error)."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="save-cache")
    try:
        return pool.submit(task, *args)
    finally:
        pool.shutdown(wait=False)  # the thread ends when the task does


def load_files(cache_dir: Path, reader: str) -> dict[str, dict]:
    """The files as last read (`lib.read.corpus.ReadMemo` entries by file name) by the same `reader`
    (a hash of the reading code: any change to it reads every file again); {} when unusable.
    Read as Arrow columns: a large corpus has one entry per file, text included."""
    try:
        table = feather.read_table(Path(cache_dir) / FILES, columns=list(FILE_COLUMNS), memory_map=True)
    except (OSError, ValueError, pa.ArrowInvalid):
        return {}
    columns = {name: table[name].to_pylist() for name in FILE_COLUMNS}
    entries = {}
    for row in zip(*columns.values()):
        entry = dict(zip(FILE_COLUMNS, row))
        if entry.pop("reader") != reader:
            continue
        title = entry["title"]
        entry["title"] = title if isinstance(title, str) else None
        entry["warnings"] = [str(w) for w in entry["warnings"] or ()]
        entries[entry.pop("file")] = entry
    return entries


def save_files(cache_dir: Path, entries: dict[str, dict], reader: str) -> None:
    """Replace the files memo with `entries`, read by `reader` (written aside, then renamed)."""
    final = Path(cache_dir) / FILES
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{FILES}.{os.getpid()}.tmp")
    names = list(entries)
    columns = {"file": pa.array(names, pa.large_string())}
    for column, kind in zip(FILE_COLUMNS[1:-1], FILE_TYPES):
        columns[column] = pa.array([entries[name][column] for name in names], kind)
    columns["reader"] = pa.array([reader] * len(names), pa.large_string())
    try:
        feather.write_feather(pa.table(columns), temporary, compression="zstd")
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    for former in FORMER_FILES:
        (final.parent / former).unlink(missing_ok=True)
