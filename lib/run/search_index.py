"""The full-text search index of a run's tables: one SQLite file with FTS5 tables, built offline.

Every run writes `search.sqlite` (`searchtext.INDEX_FILE`) next to its Parquet tables, staged
and snapshotted with them (`tableio.write_tables`), so a reader finds the index of exactly the
tables it reads, never a half-built one, and an added article is searchable as soon as the
tables that hold it are served. It holds

* `documents` (id, article_id, story, text) and `document_terms` (title, body): one row per
  article, `story` the first copy of its story (`articles.copy_of`), so that hits on copies can
  be shown as one story; `text` is the article text compressed (`zlib`, UTF-8): the page of hits
  shown reads its sentences from it, and uncompressed it would be half the index;
* `quotes` (id, article_id, start, end, speaker, kind, text) and `quote_terms` (text, speaker);
* `events` (id, article_id, start, end, date, actors, summary) and `event_terms` (summary, actors).

The `*_terms` tables are contentless FTS5 tables over the stems of each text
(`lib.contract.searchtext`), rowid for rowid with their plain table: BM25 ranks in SQLite, the
original text stays in the plain tables for display. Only Python's own `sqlite3` is needed.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from lib.contract.searchtext import INDEX_FORMAT, stemmed
from lib.contract.tableio import Table, column_values

TOKENIZER = "unicode61 remove_diacritics 2"  # splits the stored stems on spaces; no stemming of its own
SCHEMA = f"""
CREATE TABLE documents (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, story TEXT NOT NULL, text BLOB NOT NULL);
CREATE VIRTUAL TABLE document_terms USING fts5(title, body, content='', tokenize='{TOKENIZER}');
CREATE TABLE quotes (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER,
                     speaker TEXT, kind TEXT, text TEXT NOT NULL);
CREATE VIRTUAL TABLE quote_terms USING fts5(text, speaker, content='', tokenize='{TOKENIZER}');
CREATE TABLE events (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER,
                     date TEXT, actors TEXT, summary TEXT NOT NULL);
CREATE VIRTUAL TABLE event_terms USING fts5(summary, actors, content='', tokenize='{TOKENIZER}');
"""
ACTOR_SEPARATOR = "; "


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    try:
        return None if value is None or value != value else int(value)  # NaN is missing
    except (TypeError, ValueError):
        return None


def _names(value: object) -> str:
    """A list cell (actors) as one string; a missing cell as ""."""
    if value is None or isinstance(value, float):
        return ""
    return ACTOR_SEPARATOR.join(str(v) for v in value if isinstance(v, str))


def _columns(table: Table | None, names: Iterable[str]) -> list[list]:
    """The cells of each named column (Nones for a column the table lacks; none for no table)."""
    if table is None:
        return [[] for _ in names]
    arrow = isinstance(table, pa.Table)
    present, size = (set(table.schema.names), table.num_rows) if arrow else (set(table.columns), len(table))
    return [column_values(table, name) if name in present else [None] * size for name in names]


def build(tables: dict[str, Table], path: Path) -> None:
    """Write the search index of `tables` (contract tables: articles, quotes, events) at `path`."""
    path = Path(path)
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        with connection:
            _add_documents(connection, tables.get("articles"))
            _add_quotes(connection, tables.get("quotes"))
            _add_events(connection, tables.get("events"))
        for name in ("document_terms", "quote_terms", "event_terms"):
            connection.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
        connection.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
        connection.commit()
    finally:
        connection.close()


def _add_documents(connection: sqlite3.Connection, articles: Table | None) -> None:
    ids, titles, texts, copies = _columns(articles, ("article_id", "title", "text", "copy_of"))
    rows = [(k, str(a), _text(c) or str(a), zlib.compress(_text(t).encode("utf-8")))
            for k, (a, c, t) in enumerate(zip(ids, copies, texts), 1)]
    connection.executemany("INSERT INTO documents VALUES (?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO document_terms(rowid, title, body) VALUES (?, ?, ?)",
                           ((k, stemmed(_text(title)), stemmed(_text(text)))
                            for k, (title, text) in enumerate(zip(titles, texts), 1)))


def _add_quotes(connection: sqlite3.Connection, quotes: Table | None) -> None:
    columns = _columns(quotes, ("article_id", "start", "end", "speaker", "kind", "text"))
    rows = [(k, str(a), _number(s), _number(e), _text(p) or None, _text(kind) or None, _text(t))
            for k, (a, s, e, p, kind, t) in enumerate(zip(*columns), 1)]
    connection.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO quote_terms(rowid, text, speaker) VALUES (?, ?, ?)",
                           ((row[0], stemmed(row[6]), stemmed(row[4] or "")) for row in rows))


def _add_events(connection: sqlite3.Connection, events: Table | None) -> None:
    columns = _columns(events, ("article_id", "start", "end", "date", "actors", "summary"))
    rows = [(k, str(a), _number(s), _number(e), _text(d) or None, _names(actors), _text(summary))
            for k, (a, s, e, d, actors, summary) in enumerate(zip(*columns), 1)]
    connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO event_terms(rowid, summary, actors) VALUES (?, ?, ?)",
                           ((row[0], stemmed(row[6]), stemmed(row[5])) for row in rows))
