"""The full-text search index of a run's tables: one SQLite file with FTS5 tables, built offline.

Every run writes `search.sqlite` (`searchtext.INDEX_FILE`) next to its Parquet tables, staged
and snapshotted with them (`tableio.write_tables`), so a reader finds the index of exactly the
tables it reads, never a half-built one, and an added article is searchable as soon as the
tables that hold it are served. It holds

* `documents` (id, article_id, story, title, text) and `document_terms` (title, body): one row
  per article, `story` the first copy of its story (`articles.copy_of`), so that hits on copies
  can be shown as one story; `text` is the article text compressed (`zlib`, UTF-8): the page of
  hits shown reads its sentences from it, and uncompressed it would be half the index;
* `quotes` (id, article_id, start, end, speaker, kind, text) and `quote_terms` (text, speaker);
* `events` (id, article_id, start, end, date, actors, summary) and `event_terms` (summary, actors);
* `signatures` (article_id, signature): a hash of everything indexed of each article;
* `settings`: the stemmer that made the stems (`searchtext.STEMMER`).

The `*_terms` tables are contentless FTS5 tables over the stems of each text
(`lib.contract.searchtext`), rowid for rowid with their plain table: BM25 ranks in SQLite, the
original text stays in the plain tables for display. Only Python's own `sqlite3` is needed.

A run that adds or removes a few articles updates a copy of the last run's index (`previous`)
instead of stemming the whole corpus again: the articles whose signature changed or that are
gone are deleted (a contentless FTS5 row is deleted by giving its stems again, worked out from
the stored text by the same code, which is why the last index is used only when the same
pipeline and stemmer wrote it), the new and changed ones added, and stories that moved updated.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from lib.contract.searchtext import INDEX_FORMAT, STEMMER, stemmed
from lib.contract.tableio import column_values

TOKENIZER = "unicode61 remove_diacritics 2"  # splits the stored stems on spaces; no stemming of its own
SCHEMA = f"""
CREATE TABLE documents (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, story TEXT NOT NULL, title TEXT NOT NULL,
                        text BLOB NOT NULL);
CREATE INDEX documents_of ON documents (article_id);
CREATE VIRTUAL TABLE document_terms USING fts5(title, body, content='', tokenize='{TOKENIZER}');
CREATE TABLE quotes (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER,
                     speaker TEXT, kind TEXT, text TEXT NOT NULL);
CREATE INDEX quotes_of ON quotes (article_id);
CREATE VIRTUAL TABLE quote_terms USING fts5(text, speaker, content='', tokenize='{TOKENIZER}');
CREATE TABLE events (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER,
                     date TEXT, actors TEXT, summary TEXT NOT NULL);
CREATE INDEX events_of ON events (article_id);
CREATE VIRTUAL TABLE event_terms USING fts5(summary, actors, content='', tokenize='{TOKENIZER}');
CREATE TABLE signatures (article_id TEXT PRIMARY KEY, signature TEXT NOT NULL);
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
ACTOR_SEPARATOR = "; "
FTS_TABLES = ("document_terms", "quote_terms", "event_terms")


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


def _columns(table: pd.DataFrame | None, names: Iterable[str]) -> list[list]:
    """The cells of each named column (Nones for a column the table lacks; none for no table)."""
    if table is None:
        return [[] for _ in names]
    return [column_values(table, name) if name in table.columns else [None] * len(table) for name in names]


class Rows(NamedTuple):
    """What the index holds, as plain rows: documents (article_id, story, title, text), quotes
    (article_id, start, end, speaker, kind, text), events (article_id, start, end, date, actors,
    summary)."""

    documents: list[tuple]
    quotes: list[tuple]
    events: list[tuple]


def rows_of(tables: dict[str, pd.DataFrame]) -> Rows:
    """The index's rows of contract tables `articles`, `quotes` and `events`."""
    ids, titles, texts, copies = _columns(tables.get("articles"), ("article_id", "title", "text", "copy_of"))
    documents = [(str(a), _text(c) or str(a), _text(t), _text(x)) for a, t, x, c in zip(ids, titles, texts, copies)]
    quotes = [(str(a), _number(s), _number(e), _text(p) or None, _text(k) or None, _text(t)) for a, s, e, p, k, t in
              zip(*_columns(tables.get("quotes"), ("article_id", "start", "end", "speaker", "kind", "text")))]
    events = [(str(a), _number(s), _number(e), _text(d) or None, _names(n), _text(m)) for a, s, e, d, n, m in
              zip(*_columns(tables.get("events"), ("article_id", "start", "end", "date", "actors", "summary")))]
    return Rows(documents, quotes, events)


def signatures(rows: Rows) -> dict[str, str]:
    """Per article, a hash of its title and text and of its quotes' and events' indexed fields
    (not of its story, which is updated in place)."""
    digests = {document[0]: hashlib.blake2b(repr(document[2:]).encode(), digest_size=16) for document in rows.documents}
    for table in (rows.quotes, rows.events):
        for row in table:
            digest = digests.get(row[0])
            if digest is not None:
                digest.update(repr(row[1:]).encode())
    return {article_id: digest.hexdigest() for article_id, digest in digests.items()}


def build(tables: dict[str, pd.DataFrame], path: Path, previous: Path | None = None) -> bool:
    """Write the search index of `tables` (contract tables: articles, quotes, events) at `path`,
    by updating a copy of the index `previous` when it is given and readable, else from scratch.
    Returns whether `previous` was used."""
    path = Path(path)
    path.unlink(missing_ok=True)
    rows = rows_of(tables)
    unique = len({d[0] for d in rows.documents}) == len(rows.documents)
    if previous is not None and unique and _reusable(Path(previous)):
        shutil.copyfile(previous, path)
        try:
            _finish(path, lambda connection: _update(connection, rows), optimize=False)
            return True
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)
    _finish(path, lambda connection: _fill(connection, rows), optimize=True)
    return False


def _reusable(path: Path) -> bool:
    """Whether `path` is an index of this format whose stems this stemmer made."""
    if not path.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            made_by = connection.execute("SELECT value FROM settings WHERE name = 'stemmer'").fetchone()
            return connection.execute("PRAGMA user_version").fetchone()[0] == INDEX_FORMAT and made_by == (STEMMER,)
    except sqlite3.DatabaseError:
        return False


def _finish(path: Path, write: Callable[[sqlite3.Connection], None], optimize: bool) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            write(connection)
        if optimize:
            for name in FTS_TABLES:
                connection.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
        connection.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
        connection.commit()
    finally:
        connection.close()


def _fill(connection: sqlite3.Connection, rows: Rows) -> None:
    connection.executescript(SCHEMA)
    connection.execute("INSERT INTO settings VALUES ('stemmer', ?)", (STEMMER,))
    _insert(connection, rows, signatures(rows))


def _update(connection: sqlite3.Connection, rows: Rows) -> None:
    """Bring the copied index to `rows`: out with the articles gone or changed, in with the new
    and changed, and each kept article's story as it is now."""
    new = signatures(rows)
    old = dict(connection.execute("SELECT article_id, signature FROM signatures"))
    stale = [a for a, signature in old.items() if new.get(a) != signature]
    fresh = {a for a, signature in new.items() if old.get(a) != signature}
    _delete(connection, stale)
    _insert(connection, Rows(*([row for row in table if row[0] in fresh] for table in rows)),
            {a: new[a] for a in fresh})
    stories = {d[0]: d[1] for d in rows.documents if d[0] not in fresh}
    moved = [(stories[a], a) for a, story in connection.execute("SELECT article_id, story FROM documents")
             if a in stories and stories[a] != story]
    connection.executemany("UPDATE documents SET story = ? WHERE article_id = ?", moved)


def _delete(connection: sqlite3.Connection, article_ids: list[str]) -> None:
    """Remove every row of `article_ids`, its FTS5 entries given the same stems as when added."""
    for article_id in article_ids:
        for key, title, packed in connection.execute(
                "SELECT id, title, text FROM documents WHERE article_id = ?", (article_id,)).fetchall():
            connection.execute("INSERT INTO document_terms(document_terms, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                               (key, stemmed(title), stemmed(zlib.decompress(packed).decode("utf-8"))))
        for key, text, speaker in connection.execute(
                "SELECT id, text, speaker FROM quotes WHERE article_id = ?", (article_id,)).fetchall():
            connection.execute("INSERT INTO quote_terms(quote_terms, rowid, text, speaker) VALUES ('delete', ?, ?, ?)",
                               (key, stemmed(text), stemmed(speaker or "")))
        for key, summary, actors in connection.execute(
                "SELECT id, summary, actors FROM events WHERE article_id = ?", (article_id,)).fetchall():
            connection.execute("INSERT INTO event_terms(event_terms, rowid, summary, actors) VALUES ('delete', ?, ?, ?)",
                               (key, stemmed(summary), stemmed(actors or "")))
        for table in ("documents", "quotes", "events", "signatures"):
            connection.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def _next_id(connection: sqlite3.Connection, table: str) -> int:
    return connection.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def _insert(connection: sqlite3.Connection, rows: Rows, signed: dict[str, str]) -> None:
    first = _next_id(connection, "documents")
    documents = [(k, a, story, title, zlib.compress(text.encode("utf-8")))
                 for k, (a, story, title, text) in enumerate(rows.documents, first)]
    connection.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)", documents)
    connection.executemany("INSERT INTO document_terms(rowid, title, body) VALUES (?, ?, ?)",
                           ((k, stemmed(title), stemmed(text)) for k, (_, _, title, text) in enumerate(rows.documents, first)))
    quotes = [(k, *row) for k, row in enumerate(rows.quotes, _next_id(connection, "quotes"))]
    connection.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?)", quotes)
    connection.executemany("INSERT INTO quote_terms(rowid, text, speaker) VALUES (?, ?, ?)",
                           ((row[0], stemmed(row[6]), stemmed(row[4] or "")) for row in quotes))
    events = [(k, *row) for k, row in enumerate(rows.events, _next_id(connection, "events"))]
    connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", events)
    connection.executemany("INSERT INTO event_terms(rowid, summary, actors) VALUES (?, ?, ?)",
                           ((row[0], stemmed(row[6]), stemmed(row[5])) for row in events))
    connection.executemany("INSERT INTO signatures VALUES (?, ?)", signed.items())
