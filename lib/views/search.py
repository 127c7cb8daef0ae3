"""Search everywhere: ranked articles, quotes and events for the words of a query, with word forms.

Reads the run's search index (`lib.run.search_index`, one SQLite FTS5 file next to the tables):
the query is stemmed as the texts were (`lib.contract.searchtext`), so "unprecedented" finds
"unprecedentedly" and "sanction" finds "sanctions"; every word must occur (words in double quotes
together), and hits are ranked by BM25 (a word in an article's title counts double). The query
is never FTS5 syntax: quotes, NEAR, `*`, `^` and `column:` are plain separators.

Copies of one story (`articles.copy_of`) are one hit, the best-ranked copy standing for them.
Each article hit comes with its best sentence (the most distinct query words, then the most
matches) and the matched words in it, ready to be shown escaped (`segments`).
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lib.contract.searchtext import (
    INDEX_FILE,
    INDEX_FORMAT,
    match_expression,
    query_phrases,
    sentence_at,  # noqa: F401 - the Article page finds a linked sentence with it
    sentence_spans,
    stems,
    words,
)

KINDS = ("articles", "quotes", "events")
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0
LONGEST_EXCERPT = 320  # characters of a long sentence shown around its first match
BEFORE_MATCH = 100  # of which before the first match
ELLIPSIS = "…"

ARTICLES_SQL = f"""
WITH matched AS MATERIALIZED (
    SELECT documents.article_id, documents.story, bm25(document_terms, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score
    FROM document_terms JOIN documents ON documents.id = document_terms.rowid
    WHERE document_terms MATCH ?)
SELECT article_id, story, min(score) AS score, count(*) AS copies_matched FROM matched
GROUP BY story ORDER BY min(score), story LIMIT ? OFFSET ?"""
ARTICLE_COUNT_SQL = """
SELECT count(DISTINCT documents.story) FROM document_terms JOIN documents ON documents.id = document_terms.rowid
WHERE document_terms MATCH ?"""
QUOTES_SQL = """
SELECT quotes.article_id, quotes.start, quotes."end", quotes.speaker, quotes.kind, quotes.text,
       bm25(quote_terms) AS score
FROM quote_terms JOIN quotes ON quotes.id = quote_terms.rowid
WHERE quote_terms MATCH ? ORDER BY score, quotes.id LIMIT ? OFFSET ?"""
EVENTS_SQL = """
SELECT events.article_id, events.start, events."end", events.date, events.actors, events.summary,
       bm25(event_terms) AS score
FROM event_terms JOIN events ON events.id = event_terms.rowid
WHERE event_terms MATCH ? ORDER BY score, events.id LIMIT ? OFFSET ?"""
COUNT_SQL = {"quotes": "SELECT count(*) FROM quote_terms WHERE quote_terms MATCH ?",
             "events": "SELECT count(*) FROM event_terms WHERE event_terms MATCH ?"}
HIT_SQL = {"quotes": QUOTES_SQL, "events": EVENTS_SQL}

# DuckDB over the tables (`lib.views.warehouse`): what a page shows of the articles of its hits.
ARTICLE_INFO_SQL = """
SELECT article_id, title, source, published_label FROM articles JOIN sources USING (article_id)
JOIN published_labels USING (article_id) WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"""
STORY_OUTLETS_SQL = """
SELECT story, count(DISTINCT source) AS outlets FROM stories JOIN sources USING (article_id)
WHERE story IN (SELECT unnest(?::VARCHAR[])) GROUP BY story"""


class SearchIndex:
    """Read-only queries on the search index file of one snapshot of the tables."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"  # a snapshot's files never change
        self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()  # one statement at a time on the connection

    @classmethod
    def open(cls, folder: Path) -> SearchIndex | None:
        """The index of the tables in `folder`, or None when it has none of this format."""
        path = Path(folder) / INDEX_FILE
        if not path.is_file():
            return None
        index = cls(path)
        try:
            readable = index._rows("PRAGMA user_version")[0][0] == INDEX_FORMAT
        except sqlite3.DatabaseError:
            readable = False
        if not readable:
            index.close()
            return None
        return index

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._connection.execute(sql, params).fetchall()

    def count(self, kind: str, query: str) -> int:
        """How many stories (articles), quotes or events match every word of `query`."""
        phrases = query_phrases(query)
        if not phrases:
            return 0
        sql = ARTICLE_COUNT_SQL if kind == "articles" else COUNT_SQL[kind]
        return int(self._rows(sql, (match_expression(phrases),))[0][0])

    def hits(self, kind: str, query: str, limit: int, offset: int = 0) -> pd.DataFrame:
        """One page of the hits of `kind`, best first (see `article_hits` for articles)."""
        if kind == "articles":
            return self.article_hits(query, limit, offset)
        phrases = query_phrases(query)
        columns = (["article_id", "start", "end", "speaker", "kind", "text", "score"] if kind == "quotes"
                   else ["article_id", "start", "end", "date", "actors", "summary", "score"])
        if not phrases:
            return pd.DataFrame(columns=columns)
        found = self._rows(HIT_SQL[kind], (match_expression(phrases), limit, offset))
        return pd.DataFrame(found, columns=columns)

    def article_hits(self, query: str, limit: int, offset: int = 0) -> pd.DataFrame:
        """One page of stories matching `query`, best first: article_id (the best copy), story,
        score, copies_matched, and its best sentence: sent_start, sent_end, excerpt (`segments`:
        the sentence, or a window of a long one, with its matched words apart) and at (where a
        link should open: the first matched word)."""
        columns = ["article_id", "story", "score", "copies_matched", "sent_start", "sent_end", "excerpt", "at"]
        phrases = query_phrases(query)
        if not phrases:
            return pd.DataFrame(columns=columns)
        found = self._rows(ARTICLES_SQL, (match_expression(phrases), limit, offset))
        texts = self.texts([row[0] for row in found])
        wanted = {stem for phrase in phrases for stem in phrase}
        rows = []
        for article_id, story, score, copies_matched in found:
            text = texts.get(article_id, "")
            start, end, marks = best_sentence(text, wanted)
            rows.append((article_id, story, score, copies_matched, start, end, segments(text, start, end, marks),
                         marks[0][0] if marks else start))
        return pd.DataFrame(rows, columns=columns)

    def texts(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The text of each of `article_ids` the index holds."""
        if not article_ids:
            return {}
        marks = ", ".join("?" * len(article_ids))
        found = self._rows(f"SELECT article_id, text FROM documents WHERE article_id IN ({marks})", list(article_ids))
        return {article_id: zlib.decompress(packed).decode("utf-8") for article_id, packed in found}

    def close(self) -> None:
        self._connection.close()


def marked_words(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` whose stem is in `wanted`."""
    found = list(words(text or ""))
    return [(w.start(), w.end()) for w, s in zip(found, stems([w.group() for w in found])) if s in wanted]


def best_sentence(text: str, wanted: set[str]) -> tuple[int, int, list[tuple[int, int]]]:
    """(start, end, marks) of the sentence of `text` holding the most distinct `wanted` stems,
    then the most matches (the first of equals); the first sentence, unmarked, when none does."""
    spans = sentence_spans(text)
    if not spans:
        return 0, 0, []
    starts = [start for start, _ in spans]
    found: dict[int, list[tuple[str, int, int]]] = {}
    all_words = list(words(text))
    for word, stem in zip(all_words, stems([w.group() for w in all_words])):
        if stem in wanted:
            position = bisect.bisect_right(starts, word.start()) - 1
            if position >= 0 and word.end() <= spans[position][1]:
                found.setdefault(position, []).append((stem, word.start(), word.end()))
    if not found:
        return spans[0][0], spans[0][1], []
    best = max(found, key=lambda p: (len({stem for stem, _, _ in found[p]}), len(found[p]), -p))
    return spans[best][0], spans[best][1], [(start, end) for _, start, end in found[best]]


def segments(text: str, start: int, end: int, marks: Sequence[tuple[int, int]],
             longest: int = LONGEST_EXCERPT) -> list[tuple[str, bool]]:
    """`text[start:end]` as (piece, matched) pieces in order, the matched words apart. A span
    longer than `longest` is cut to a window around its first match, with an ellipsis where cut."""
    head, tail = start, end
    if end - start > longest:
        first = marks[0][0] if marks else start
        head = max(start, first - BEFORE_MATCH)
        head = _word_start(text, head, start)
        tail = min(end, head + longest)
        tail = _word_end(text, tail, end)
    pieces: list[tuple[str, bool]] = [(ELLIPSIS, False)] if head > start else []
    cursor = head
    for mark_start, mark_end in marks:
        if mark_start < cursor or mark_end > tail:
            continue
        if mark_start > cursor:
            pieces.append((text[cursor:mark_start], False))
        pieces.append((text[mark_start:mark_end], True))
        cursor = mark_end
    if cursor < tail:
        pieces.append((text[cursor:tail], False))
    if tail < end:
        pieces.append((ELLIPSIS, False))
    return pieces


def _word_start(text: str, at: int, low: int) -> int:
    """`at` moved forward past a word it would cut (never before `low`)."""
    if at <= low:
        return low
    space = text.find(" ", at)
    return space + 1 if 0 <= space - at < 30 else at


def _word_end(text: str, at: int, high: int) -> int:
    """`at` moved back before a word it would cut (never after `high`)."""
    if at >= high:
        return high
    space = text.rfind(" ", 0, at)
    return space if 0 <= at - space < 30 else at


def wanted_stems(query: str) -> set[str]:
    """Every stem the query asks for (for marking matched words)."""
    return {stem for phrase in query_phrases(query) for stem in phrase}


def hit_segments(text: str, query: str) -> list[tuple[str, bool]]:
    """A whole short text (a title, a quote, an event summary) as pieces, its matched words apart."""
    value = text if isinstance(text, str) else ""
    return segments(value, 0, len(value), marked_words(value, wanted_stems(query)), longest=max(len(value), 1))


TITLE_WORDS = 8  # words of a title filter used at most (the rest are ignored)
PICKER_LISTS_ALL = 2_000  # up to this many articles the Article page's picker lists them all
PICKER_MATCHES = 200  # beyond, it lists at most this many whose title matches what is typed


def title_matches(query: str | None, limit: int) -> tuple[str, ...]:
    """(SQL, parameters…) of the first `limit` articles, by id, whose title or id holds every
    word of `query` (any case, as typed: a plain substring, no wildcard); all of them without words."""
    typed = (query or "").lower().split()[:TITLE_WORDS]
    held = " AND ".join(["contains(lower(coalesce(title, '') || ' ' || article_id), ?)"] * len(typed)) or "true"
    return (f"SELECT article_id, title FROM articles WHERE {held} ORDER BY article_id LIMIT {int(limit)}", *typed)
