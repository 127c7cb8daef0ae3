"""SQL over a folder of tables with DuckDB (embedded, no server), so pages read only what they show.

A `Warehouse` opens one in-memory DuckDB database whose views read the folder's Parquet files
in place (`read_parquet`): a query scans just the columns and row groups it needs and returns a
small pandas frame. Besides the contract tables it offers

* `sources` (article_id, source): each article's source as `labels.source_label` names it: its
  outlet, else a readable "unknown outlet · date · first words of the title" (never a bare article id);
* `published_labels` (article_id, published_label): each article's date as
  `labels.published_label` writes it ("2023-05-24 (inferred)", "unknown");
* `profiles` (article_id, outlet_country, outlet_ownership, outlet_kind, outlet_group): each
  article's outlet as `lib/data/outlets.csv` describes it and its group
  (`lib.contract.outlet_groups`); nulls and "unknown outlet" for an outlet the file lacks, and for
  tables written before the profile columns existed;
* `stories` (article_id, story): the article id of the first copy of each article's story
  (`articles.copy_of`, `lib.read.copies`), so that a count of stories counts a copied story once:
  `count(DISTINCT story)`. Views join it as `LEFT JOIN stories USING (article_id)` and count
  `STORY_OF`, the one rule for which story a row belongs to;
* a table written partitioned by publication year (`--partition-by year`) is read in place as one
  view over its dataset, with the extra column `published_year` (`parquet_scan`);
* derived tables a page builds once per warehouse (`derive`), such as the grouped timeline
  events, which later runs then filter and aggregate in SQL. A run writes them with the tables
  (`lib.views.derived`, under `DERIVED_FOLDER`), and they are then read in place.

Queries take `?` parameters; values never go into the SQL text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from lib.contract.outlet_groups import outlet_group
from lib.contract.schema import TABLES, empty
from lib.contract.tableio import sql_string
from lib.views.labels import label_tables, source_label  # noqa: F401 - the label the `sources` table holds

STORY_SQL = "coalesce(copy_of, article_id)"  # the first copy of the article's story
# a row's story once joined with `stories` (a row of an article missing from `articles` is its own story)
STORY_OF = "coalesce(stories.story, article_id)"
# a row's source once joined with `sources AS s` (a row of an article missing from `articles`, which
# the table contract rules out, shows its article id)
SOURCE_OF = "coalesce(s.source, article_id)"


def _identifier(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


PROFILE_COLUMNS = ("outlet_country", "outlet_ownership", "outlet_kind")
PARTITION_COLUMN = "published_year"  # of a table written partitioned (`tableio.write_partitioned`)
DERIVED_FOLDER = "derived"  # <tables>/derived/<name>.parquet: derived tables a run wrote (`lib.views.derived`)


def parquet_scan(folder: Path, name: str) -> str | None:
    """The SELECT that reads table `name` of `folder` in place: its one file, or its dataset
    partitioned by year (`<name>/published_year=2023/*.parquet`), whose partition column
    `published_year` stays available for pruning (DuckDB reads only the years a filter on it
    keeps); None when the folder has neither."""
    dataset, path = Path(folder) / name, Path(folder) / f"{name}.parquet"
    if dataset.is_dir():
        files = sql_string(dataset / "**" / "*.parquet")
        return f"SELECT * FROM read_parquet({files}, hive_partitioning = true, union_by_name = true)"
    if path.exists():
        return f"SELECT * FROM read_parquet({sql_string(path)})"
    return None


def profile_table(articles: pd.DataFrame) -> pd.DataFrame:
    """(article_id, profile columns, outlet_group) of `articles`; a profile column it lacks is null."""
    columns = {name: (articles[name] if name in articles else pd.Series([None] * len(articles), dtype=object))
               .astype(object).where(lambda s: s.notna(), None).tolist() for name in PROFILE_COLUMNS}
    groups = [outlet_group(c, o) for c, o in zip(columns["outlet_country"], columns["outlet_ownership"])]
    return pd.DataFrame({"article_id": articles["article_id"].astype(object),
                         **{name: pd.Series(values, dtype=object) for name, values in columns.items()},
                         "outlet_group": pd.Series(groups, dtype=object)})


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
        self._label_articles()
        story = STORY_SQL if "copy_of" in self._columns("articles") else "article_id"  # tables of older runs lack it
        self._connection.execute(f"CREATE VIEW stories AS SELECT article_id, {story} AS story FROM articles")
        for path in sorted((self.folder / DERIVED_FOLDER).glob("*.parquet")):
            self._connection.execute(f"CREATE VIEW {_identifier(path.stem)} AS SELECT * FROM read_parquet({sql_string(path)})")

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
        if name == "articles":  # the labels follow the articles
            self._label_articles()

    def _label_articles(self) -> None:
        """(Re)build the `sources`, `published_labels` and `profiles` tables from the articles."""
        articles = self.query("SELECT article_id, outlet, published, published_inferred, title FROM articles")
        for table, frame in label_tables(articles).items():
            self.register(table, frame)
        known = [c for c in PROFILE_COLUMNS if c in self._columns("articles")]
        self.register("profiles", profile_table(self.query(f"SELECT {', '.join(['article_id', *known])} FROM articles")))

    def derive(self, name: str, build: Callable[[Warehouse], pd.DataFrame]) -> str:
        """Register `build(self)` as table `name` unless already there (built once, whichever
        session asks first); returns `name`."""
        with self._building:
            if not self.has(name):
                self.register(name, build(self))
        return name

    def has(self, name: str) -> bool:
        """Whether a table or view called `name` exists."""
        return name in self._frames or self.value(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]) > 0

    def close(self) -> None:
        self._connection.close()
