"""The contract's tables from the Parquet parts of a cluster run (`lib.run.cluster`), by DuckDB.

DuckDB streams the parts into each table's file (or, partitioned, into one file per publication
year), in article order, without the hidden columns of the parts, spilling to disk what exceeds
its memory limit (DuckDB's default: 80% of the machine's memory). It runs as a worker's task
(`cluster.write_tables`): the client only stages and publishes the snapshot
(`tableio.start_snapshot`, `publish_snapshot`), as a single-machine run publishes it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from lib.contract.schema import TABLES, empty
from lib.contract.tableio import NO_YEAR, PARTITION_COLUMN, PARTITIONED, sql_string
from lib.run.fingerprint import version_of_rows

HIDDEN = ("_article", "_row", "_said")
READ_ONLY = ("actors", "dates")  # tables the cross-article steps leave as the shards wrote them
GROUPS = {"fact_groups": "fact_id", "quote_groups": "quote_group"}
BATCH = 10_000  # articles hashed at a time for the data version


def parts_scan(folder: Path) -> str:
    """The table expression that reads every Parquet part of `folder` as one table."""
    return f"read_parquet({sql_string(Path(folder) / '*.parquet')}, union_by_name = true)"


class DatasetParts:
    """The parts of one cluster run: `read` (what the shards wrote), `linked` (what the block
    tasks wrote) and `copies`, the folder of each article's `copy_of`; DuckDB spills to `spill`."""

    def __init__(self, read: str, linked: str, copies: Path, spill: Path) -> None:
        self.read, self.linked, self.copies, self.spill = Path(read), Path(linked), Path(copies), Path(spill)

    def _folder(self, name: str) -> Path:
        return self.read / name if name in ("articles", *READ_ONLY) else self.linked / name

    def _scan(self, name: str) -> str | None:
        folder = self._folder(name)
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            return None
        return parts_scan(folder)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        self.spill.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(":memory:")
        connection.execute(f"SET temp_directory = {sql_string(self.spill)}")
        connection.execute(f"CREATE VIEW links AS SELECT article_id, copy_of FROM {parts_scan(self.copies)}")
        return connection

    def data_version(self) -> str:
        """`fingerprint.data_version` of the articles, read in batches (the text's hash, not the text)."""
        with self._connection() as connection:
            found = connection.execute(f"SELECT article_id, title, outlet, published, url, content_hash "
                                       f"FROM {self._scan('articles')} ORDER BY article_id")
            return version_of_rows(row for batch in iter(lambda: found.fetchmany(BATCH), []) for row in batch)

    def _select(self, connection, name: str, partitioned: bool) -> str | None:
        """The SELECT of table `name` in its final columns and order (None without any part)."""
        scan = self._scan(name)
        if scan is None:
            return None
        columns = [c for c in connection.sql(f"SELECT * FROM {scan} LIMIT 0").to_arrow_table().column_names
                   if c not in HIDDEN and not (name == "articles" and c == "copy_of")]
        ordered = [c for c in TABLES[name] if c in columns or (name == "articles" and c == "copy_of")]
        ordered += [c for c in columns if c not in TABLES[name]]
        shown = ", ".join(f't."{c}"' if not (name == "articles" and c == "copy_of") else "links.copy_of"
                          for c in ordered)
        source = f"{scan} t"
        if name == "articles":
            source += " LEFT JOIN links USING (article_id)"
        if partitioned:
            years = f"(SELECT article_id, published FROM {self._scan('articles')})"
            source += f" LEFT JOIN {years} y ON y.article_id = t.article_id" if name != "articles" else ""
            published = "t.published" if name == "articles" else "y.published"
            shown += (f", coalesce(CASE WHEN regexp_full_match(substr({published}, 1, 4), '[0-9]{{4}}') "
                      f"THEN substr({published}, 1, 4) END, '{NO_YEAR}') AS {PARTITION_COLUMN}")
        order = f'ORDER BY "{GROUPS[name]}"' if name in GROUPS else "ORDER BY t._article, t._row" \
            if name != "articles" else "ORDER BY t._article"
        return f"SELECT {shown} FROM {source} {order}"

    def write(self, staging: Path, partition_by: str | None = None) -> dict[str, int]:
        """Write every table into the snapshot folder `staging`; returns their row counts."""
        rows: dict[str, int] = {}
        with self._connection() as connection:
            for name in TABLES:
                partitioned = bool(partition_by) and name in PARTITIONED
                select = self._select(connection, name, partitioned)
                target = staging / (name if partitioned else f"{name}.parquet")
                if select is None:
                    rows[name] = 0
                    frame = pa.Table.from_pandas(empty(name), preserve_index=False)
                    if partitioned:
                        (target / f"{PARTITION_COLUMN}={NO_YEAR}").mkdir(parents=True)
                        pq.write_table(frame, target / f"{PARTITION_COLUMN}={NO_YEAR}" / "part-0.parquet")
                    else:
                        pq.write_table(frame, target)
                    continue
                options = f"FORMAT parquet, PARTITION_BY ({PARTITION_COLUMN})" if partitioned else "FORMAT parquet"
                rows[name] = connection.execute(f"COPY ({select}) TO {sql_string(target)} ({options})").fetchone()[0]
        return rows
