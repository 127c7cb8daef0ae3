"""SQL over a folder of tables with DuckDB (embedded, no server), so pages read only what they show.

A `Warehouse` opens one in-memory DuckDB database whose views read the folder's Parquet files
in place (`read_parquet`): a query scans just the columns and row groups it needs and returns a
small pandas frame. Besides the contract tables it offers

* `sources` (article_id, source): each article's source as `source_label` names it: its outlet,
  else a readable "unknown outlet · date · first words of the title" (never a bare article id);
* `stories` (article_id, story): the article id of the first copy of each article's story
  (`articles.copy_of`, `lib.read.copies`), so that a count of stories counts a copied story once:
  `count(DISTINCT story)`. Views join it as `LEFT JOIN stories USING (article_id)` and count
  `STORY_OF`, the one rule for which story a row belongs to;
* a table written partitioned by publication year (`--partition-by year`) is read in place as one
  view over its dataset, with the extra column `published_year` (`parquet_scan`);
* derived tables a page builds once per warehouse (`derive`), such as the grouped timeline
  events, which later runs then filter and aggregate in SQL.

Queries take `?` parameters; values never go into the SQL text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from lib.contract.schema import TABLES, empty

UNKNOWN_OUTLET = "unknown outlet"
TITLE_WORDS = 4  # words of the title that name an article of unknown outlet
STORY_SQL = "coalesce(copy_of, article_id)"  # the first copy of the article's story
# a row's story once joined with `stories` (a row of an article missing from `articles` is its own story)
STORY_OF = "coalesce(stories.story, article_id)"


def _literal(path: Path) -> str:
    """`path` as an SQL string literal (DDL takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


PARTITION_COLUMN = "published_year"  # of a table written partitioned (`tableio.write_partitioned`)


def parquet_scan(folder: Path, name: str) -> str | None:
    """The SELECT that reads table `name` of `folder` in place: its one file, or its dataset
    partitioned by year (`<name>/published_year=2023/*.parquet`), whose partition column
    `published_year` stays available for pruning (DuckDB reads only the years a filter on it
    keeps); None when the folder has neither."""
    dataset, path = Path(folder) / name, Path(folder) / f"{name}.parquet"
    if dataset.is_dir():
        files = _literal(dataset / "**" / "*.parquet")
        return f"SELECT * FROM read_parquet({files}, hive_partitioning = true, union_by_name = true)"
    if path.exists():
        return f"SELECT * FROM read_parquet({_literal(path)})"
    return None


def source_label(outlet: object, published: object, title: object, article_id: object) -> str:
    """How pages name an article's source: its outlet, else "unknown outlet · 2023-05-24 · China
    on Wednesday staged…" (publication date and the title's first words, or the id without a title)."""
    name = "" if pd.isna(outlet) else str(outlet).strip()
    if name:
        return name
    date = "undated" if pd.isna(published) or not str(published).strip() else str(published).strip()
    words = ("" if pd.isna(title) else str(title)).split() or [str(article_id)]
    start = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return f"{UNKNOWN_OUTLET} · {date} · {start}"


def source_table(articles: pd.DataFrame) -> pd.DataFrame:
    """(article_id, source) of `articles` (article_id, outlet, published, title)."""
    columns = (articles[name].tolist() for name in ("outlet", "published", "title", "article_id"))
    return pd.DataFrame({"article_id": articles["article_id"].astype(object),
                         "source": pd.Series([source_label(*row) for row in zip(*columns)], dtype=object)})


class Warehouse:
    """Read-only SQL over the Parquet tables of `folder` (an empty table for a missing file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._connection = duckdb.connect(":memory:")
        self._lock = threading.Lock()  # one statement at a time on the connection
        self._building = threading.Lock()  # one derived table built at a time
        self._frames: dict[str, pd.DataFrame] = {}  # registered frames stay referenced here
        for name in TABLES:
            scan = parquet_scan(self.folder, name)
            if scan is not None:
                self._connection.execute(f"CREATE VIEW {name} AS {scan}")
            else:
                self.register(name, empty(name))
        self._name_sources()
        story = STORY_SQL if "copy_of" in self._columns("articles") else "article_id"  # tables of older runs lack it
        self._connection.execute(f"CREATE VIEW stories AS SELECT article_id, {story} AS story FROM articles")

    def _columns(self, table: str) -> set[str]:
        """The column names of a table or view."""
        return set(self._connection.execute(f"SELECT * FROM {table} LIMIT 0").df().columns)

    def query(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """The result of one SELECT as a pandas frame."""
        with self._lock:
            return self._connection.execute(sql, list(params)).df()

    def value(self, sql: str, params: Sequence[object] = ()) -> object:
        """The first column of the first row of one SELECT (None when there are no rows)."""
        with self._lock:
            rows = self._connection.execute(sql, list(params)).fetchall()  # leaves no pending result
        return rows[0][0] if rows else None

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """Make `frame` queryable as table `name` (replacing an earlier one of that name)."""
        with self._lock:
            self._frames[name] = frame
            self._connection.register(name, frame)
        if name == "articles":  # the sources follow the articles
            self._name_sources()

    def _name_sources(self) -> None:
        """(Re)build the `sources` table from the articles."""
        self.register("sources", source_table(self.query("SELECT article_id, outlet, published, title FROM articles")))

    def derive(self, name: str, build: Callable[[Warehouse], pd.DataFrame]) -> str:
        """Register `build(self)` as table `name` unless already there (built once, whichever
        session asks first); returns `name`."""
        with self._building:
            if name not in self._frames:
                self.register(name, build(self))
        return name

    def has(self, name: str) -> bool:
        """Whether a table or view called `name` exists."""
        return name in self._frames or self.value(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]) > 0

    def close(self) -> None:
        self._connection.close()
