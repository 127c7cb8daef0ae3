"""Reading and writing a tables folder safely.

Writing is two-phase: every table is first written in full to a hidden temporary file in the
target folder, and only when all of them are on disk are they renamed over the old ones, the
manifest last. An interruption during the (long) first phase leaves the previous tables
untouched; renames are atomic, so no reader ever sees a half-written file.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib.contract.schema import TABLES, conform, empty

MANIFEST = "manifest.json"
TEMP_PREFIX = ".writing-"
WRITERS = 2  # tables encoded at once: Arrow releases the GIL while it encodes and compresses


def _fsynced(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files an interrupted run left behind."""
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        path.unlink(missing_ok=True)


def write_parquet(table: pd.DataFrame | pa.Table, path: Path) -> None:
    """One Parquet file from a frame or an Arrow table."""
    if isinstance(table, pa.Table):
        pq.write_table(table, path)
    else:
        table.to_parquet(path, index=False)


def read_arrow(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file as an Arrow table, read through `ParquetFile`: `pq.read_table` goes through
    the dataset layer (discovery, fragments, a scanner), which takes about twice as long for one
    known file (0.05 against 0.1 s for 640,000 actor rows); a re-run reads six such files."""
    with pq.ParquetFile(path) as file:
        return file.read(columns=columns)


def frames(tables: dict[str, pd.DataFrame | pa.Table]) -> dict[str, pd.DataFrame]:
    """The tables as contract frames (Arrow tables converted)."""
    return {name: arrow_frame(t, name) if isinstance(t, pa.Table) else t for name, t in tables.items()}


def arrow_frame(table: pa.Table, name: str) -> pd.DataFrame:
    """Contract table `name` as a conformed frame from an Arrow table. A list column becomes
    Python lists in one step (`to_pylist`), the form `conform` keeps as it is; `to_pandas`
    would give a numpy array per cell, each converted again in Python."""
    columns = {}
    for field in table.schema:
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            columns[field.name] = pd.Series(table[field.name].to_pylist(), dtype=object)
        else:
            columns[field.name] = table[field.name].to_pandas()
    return conform(pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows)), name)


Table = pd.DataFrame | pa.Table  # a contract table, as a conformed frame or as Arrow built from one
ARROW_TYPES = {"string": pa.string(), "bool": pa.bool_(), "int64": pa.int64(), "float64": pa.float64(),
               "list": pa.list_(pa.string())}  # the Arrow type of each contract dtype


def conformed(table: Table, name: str) -> Table:
    """Contract table `name` as it comes (an Arrow table is built from a conformed frame), or a
    frame conformed."""
    return table if isinstance(table, pa.Table) else conform(table, name)


def column_values(table: Table, column: str) -> list:
    """A column's cells as plain Python values, without boxing each in pandas (a missing number
    is None from Arrow, NaN from a frame)."""
    if isinstance(table, pa.Table):
        return table[column].to_pylist()
    return table[column].to_numpy(dtype=object).tolist()


def column_array(table: Table, name: str, column: str) -> pa.Array:
    """A column of contract table `name` as one Arrow array of the contract's type."""
    if isinstance(table, pa.Table):
        return table[column].combine_chunks().cast(ARROW_TYPES[TABLES[name][column]])
    return pa.array(column_values(table, column), ARROW_TYPES[TABLES[name][column]], from_pandas=True)


def with_columns(table: Table, name: str, values: dict[str, list]) -> Table:
    """Contract table `name` with `values` (column → cells) set, of the same kind as `table`: an
    Arrow table gets Arrow columns of the contract's types (its other columns are not touched,
    nor converted), a frame is conformed again."""
    if not isinstance(table, pa.Table):
        frame = table.copy()
        for column, cells in values.items():
            frame[column] = cells
        return conform(frame, name)
    for column, cells in values.items():
        field = pa.field(column, ARROW_TYPES[TABLES[name][column]])
        array = pa.array(cells, field.type, from_pandas=True)  # NaN is null, as from a frame
        position = table.schema.get_field_index(column)
        table = table.set_column(position, field, array) if position >= 0 else table.append_column(field, array)
    return table


def write_tables(tables: dict[str, pd.DataFrame | pa.Table], folder: Path, manifest: dict,
                 copies: dict[str, Path] | None = None) -> None:
    """Write every contract table (plus the manifest) into `folder`, all or nothing. Frames are
    conformed first; Arrow tables (built from conformed frames) are written as they are; a table
    named in `copies` is copied from that Parquet file instead, which holds the very same table
    (written once already: encoding the largest table again takes longer than copying it). The
    tables are staged WRITERS at a time."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    staged = [(folder / f"{TEMP_PREFIX}{os.getpid()}-{name}.parquet", folder / f"{name}.parquet") for name in TABLES]
    staged.append((folder / f"{TEMP_PREFIX}{os.getpid()}-{MANIFEST}", folder / MANIFEST))

    def stage(name: str, temporary: Path) -> None:
        table = tables.get(name, empty(name))
        if name in (copies or {}):
            shutil.copyfile(copies[name], temporary)
        else:
            write_parquet(table if isinstance(table, pa.Table) else conform(table, name), temporary)
        _fsynced(temporary)

    try:
        with ThreadPoolExecutor(WRITERS, thread_name_prefix="write-table") as pool:
            writes = [pool.submit(stage, name, temporary) for name, (temporary, _) in zip(TABLES, staged)]
        for write in writes:
            write.result()  # the first failure, once every write has stopped
        temporary = staged[-1][0]
        temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        _fsynced(temporary)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, final in staged:
        os.replace(temporary, final)


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every contract table of `folder` (an empty frame for a missing one)."""
    frames = {}
    for name in TABLES:
        path = Path(folder) / f"{name}.parquet"
        frames[name] = conform(pd.read_parquet(path), name) if path.exists() else empty(name)
    return frames


def read_manifest(folder: Path) -> dict:
    """The manifest of `folder`, or {} when there is none or it is unreadable."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
