"""Pure helpers of the Quotes page: the quote rows table, search, SQL filters, summaries, CSV.

The page registers `quote_rows` (quotes joined with their article's title, source and date, the
speaker labelled, the text normalised for search, newest first) once per data version, then asks
SQL for what it shows: one page of quotes, counts, per-speaker summaries. Nothing here imports
streamlit; functions that run SQL take a `Run` (`run(sql, *params) -> DataFrame`), so the page
passes its cached query and the tests a plain `Warehouse`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lib.views.warehouse import STORY_OF

UNKNOWN = "(unknown)"  # label of quotes whose speaker the extractor could not tell
KINDS = ("full", "fragment", "term")  # `term`: a name or term in quote marks ("no limits"), said by nobody
STATEMENT_KINDS = ("full", "fragment")  # what someone said: the Quotes page's default
FUZZY_THRESHOLD = 85  # rapidfuzz partial_ratio a term needs in fuzzy mode (typos, inflections)
FUZZY_MIN_CHARS = 4  # shorter terms ("no", "US") always need an exact word match
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as formulas
QUOTE_ROWS = "quote_rows"  # the derived table the page registers with `quote_rows`
MAX_OPTIONS = 200  # names the Speaker and Source filters list; any other can be typed
NOT_WORD = r"[^\pL\pN_]"  # RE2 (DuckDB) spelling of Python's \W

_TERM = re.compile(r'"([^"]+)"|(\S+)')
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

Run = Callable[..., pd.DataFrame]

QUOTES_SQL = 'SELECT article_id, text, start, "end", speaker, cue, kind, addressee FROM quotes'
ARTICLES_SQL = """
SELECT article_id, title, source, published, published_inferred, published_label AS date
FROM articles JOIN sources USING (article_id) JOIN published_labels USING (article_id)
"""  # `date` as labels.published_label writes it
SHOWN_COLUMNS = 'article_id, text, start, "end", speaker_label, cue, kind, addressee, title, source, date'


@dataclass(frozen=True)
class QuoteFilter:
    """What the reader asked for; empty values let every quote pass."""

    query: str = ""
    fuzzy: bool = False
    speakers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None


# --- the quote rows table -------------------------------------------------------------------------


def quote_rows(warehouse) -> pd.DataFrame:
    """Every quote with its article fields, speaker label, `norm` text, `day` and `row` order.

    Built once per data version (the page registers it as QUOTE_ROWS); `row` numbers the quotes
    newest first, so a page of the listing is `ORDER BY row LIMIT … OFFSET …`.
    """
    out = with_articles(warehouse.query(QUOTES_SQL), warehouse.query(ARTICLES_SQL))
    return out.assign(
        norm=[_normalise(t) for t in out["text"].fillna("")],
        day=out["published"].fillna("").astype(str).str[:10],
        row=np.arange(len(out), dtype="int64"),
    )


def with_articles(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Quotes with their article's `title`, `source`, `published` and `date` label, newest first.

    `articles` carries `article_id`, `title`, `published` and the `source` and `date` label
    (which marks inferred dates). Speakers missing from the extraction get the label UNKNOWN in
    `speaker_label`, so filters and counts can name them.
    """
    meta = articles[["article_id", "title", "source", "published", "published_inferred", "date"]]
    out = quotes.merge(meta, on="article_id", how="left")
    out["speaker_label"] = speaker_labels(out["speaker"])
    out = out.sort_values(
        ["published", "article_id", "start"], ascending=[False, True, True], na_position="last", kind="stable"
    )
    return out.reset_index(drop=True)


def speaker_labels(speakers: pd.Series) -> pd.Series:
    """Speaker names with missing ones labelled UNKNOWN."""
    return pd.Series(
        [UNKNOWN if _blank(v) else str(v) for v in speakers], index=speakers.index, dtype="object"
    )


CORPUS_SQL = f"""
SELECT count(*) AS quotes, coalesce(bool_or(published IS NULL), false) AS undated,
       min(try_cast(published AS DATE)) AS first, max(try_cast(published AS DATE)) AS last
FROM {QUOTE_ROWS}
"""  # all quotes, whether some have no date, and the span of the known dates


# --- the options of the Speaker and Source filters ------------------------------------------------

TOP_SPEAKERS_SQL = f"""
SELECT name FROM (SELECT speaker_label AS name, count(*) AS quotes FROM {QUOTE_ROWS}
                  GROUP BY 1 ORDER BY quotes DESC, name LIMIT ?)
ORDER BY name = '{UNKNOWN}', quotes DESC, name
"""  # the most quoted speakers (parameter: how many): most quoted first, then by name; UNKNOWN last
TOP_SOURCES_SQL = """
SELECT name FROM (SELECT source AS name, count(*) AS articles FROM sources WHERE source IS NOT NULL
                  GROUP BY 1 ORDER BY articles DESC, name LIMIT ?)
ORDER BY name
"""  # the sources with most articles (parameter: how many), by name


def spellings_sql(names: str) -> str:
    """Per typed value (parameter: a list), the name of `names` (a SELECT of `name`, one row per
    use) equal to it ignoring case: itself when exact, else the most used. Columns: typed, name."""
    return f"""
    WITH used AS (SELECT name, count(*) AS uses FROM ({names}) WHERE name IS NOT NULL GROUP BY name)
    SELECT typed, first(name ORDER BY name = typed DESC, uses DESC, name) AS name
    FROM (SELECT DISTINCT unnest(?) AS typed) JOIN used ON lower(name) = lower(typed)
    GROUP BY typed
    """


SPEAKER_SPELLINGS_SQL = spellings_sql(f"SELECT speaker_label AS name FROM {QUOTE_ROWS}")
SOURCE_SPELLINGS_SQL = spellings_sql("SELECT source AS name FROM sources")


def spellings(values: Iterable[str], run: Run, sql: str) -> dict[str, str]:
    """The corpus spelling of each of `values` the corpus has, by value (see `spellings_sql`)."""
    typed = sorted(set(values))  # sorted: one cached query per set of values
    if not typed:
        return {}
    found = run(sql, typed)
    return dict(zip(found["typed"], found["name"]))


def offered(top: list[str], chosen: Iterable[str]) -> list[str]:
    """A filter's options: the `top` names, then the chosen ones not among them; UNKNOWN last."""
    return sorted(dict.fromkeys([*top, *chosen]), key=lambda name: name == UNKNOWN)


# --- search ---------------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    """The terms of a query: words, or "double-quoted phrases", normalised for matching."""
    terms = []
    for phrase, word in _TERM.findall(_normalise(query)):
        term = (phrase or word).strip()
        if term.strip("*"):
            terms.append(term)
    return terms


def term_pattern(term: str) -> str:
    """RE2 pattern (for DuckDB's `regexp_matches` on `norm`) of one normalised search term.

    Same rule as Python's search: whole words, or a prefix with a trailing `*`. Every character
    but ASCII letters and digits is written as `\\x{…}`, so nothing in a query is regex syntax.
    """
    prefix = term.endswith("*")
    word = "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}" for c in term.rstrip("*"))
    return f"(^|{NOT_WORD}){word}" + ("" if prefix else f"({NOT_WORD}|$)")


# --- filters as SQL -------------------------------------------------------------------------------


def where(chosen: QuoteFilter, run: Run) -> tuple[str, list]:
    """SQL condition on QUOTE_ROWS and its parameters for the quotes passing every filter.

    Search terms match whole words, or a prefix with a trailing `*` (see `search_terms`); every
    term must match. Speakers are labels (UNKNOWN selects quotes without speaker). A date bound
    keeps only quotes of articles whose publication date is known and within the bound
    (inclusive). Exact search runs in SQL. Fuzzy search (`fuzzy_rows`) scores the candidates'
    texts in Python, the slower path, and gives their row numbers.
    """
    clauses, params = [], []
    for column, values in (("speaker_label", chosen.speakers), ("source", chosen.sources), ("kind", chosen.kinds)):
        if values:
            clauses.append(f"list_contains(?, {column})")
            params.append(list(values))
    if chosen.date_from is not None:
        clauses.append("day <> '' AND day >= ?")
        params.append(chosen.date_from.isoformat())
    if chosen.date_to is not None:
        clauses.append("day <> '' AND day <= ?")
        params.append(chosen.date_to.isoformat())
    terms = search_terms(chosen.query)
    patterns = [term_pattern(term) for term in terms]
    if terms and chosen.fuzzy:
        exact = ", ".join(f"regexp_matches(norm, ?) AS exact_{i}" for i in range(len(terms)))
        candidates = run(f"SELECT row, norm, {exact} FROM {QUOTE_ROWS} WHERE {' AND '.join(clauses) or 'TRUE'}",
                         *patterns, *params)
        return "row IN (SELECT unnest(?))", [fuzzy_rows(candidates, terms)]
    clauses += ["regexp_matches(norm, ?)"] * len(terms)
    return " AND ".join(clauses) or "TRUE", params + patterns


def fuzzy_rows(candidates: pd.DataFrame, terms: list[str]) -> np.ndarray:
    """Row numbers of the candidates (`row`, `norm`, `exact_<i>` per term) matching every term
    exactly or, for terms of FUZZY_MIN_CHARS or more, approximately (typos, inflections).

    Only texts not yet decided are scored, each distinct text once, in one batch per term.
    """
    keep = np.ones(len(candidates), dtype=bool)
    texts = candidates["norm"].to_numpy(dtype=object)
    for i, term in enumerate(terms):
        hit = candidates[f"exact_{i}"].to_numpy(dtype=bool, copy=True)
        word = term.rstrip("*")
        todo = np.flatnonzero(keep & ~hit)
        if len(word) >= FUZZY_MIN_CHARS and len(todo):
            codes, distinct = pd.factorize(texts[todo])
            scores = process.cdist([word], list(distinct), scorer=fuzz.partial_ratio, score_cutoff=FUZZY_THRESHOLD,
                                   workers=-1)[0]
            hit[todo] = scores[codes] >= FUZZY_THRESHOLD
        keep &= hit
    return candidates["row"].to_numpy(dtype="int64")[keep]


def match_sql(condition: str) -> str:
    """How many quotes match, and whether any of them has an inferred date."""
    return (f"SELECT count(*) AS quotes, coalesce(bool_or(published_inferred), false) AS inferred "
            f"FROM {QUOTE_ROWS} WHERE {condition}")


def page_sql(condition: str) -> str:
    """One page of the matching quotes, newest first (parameters: …, limit, offset)."""
    return f"SELECT {SHOWN_COLUMNS} FROM {QUOTE_ROWS} WHERE {condition} ORDER BY row LIMIT ? OFFSET ?"


def summary_sql(condition: str) -> str:
    """Per speaker: quotes (full / fragments), sources, articles, stories (a story carried by
    several outlets once), the sources by use; most quoted first.

    Columns: speaker, quotes, full, fragments, sources, articles, stories, in_sources, and `speakers`
    (how many speakers match in all). Parameters: …, limit, offset.
    """
    return f"""
    WITH shown AS (SELECT speaker_label, coalesce(source, '{UNKNOWN}') AS source, kind, article_id,
                          {STORY_OF} AS story
                   FROM {QUOTE_ROWS} LEFT JOIN stories USING (article_id) WHERE {condition}),
    per_source AS (SELECT speaker_label, source, count(*) AS n FROM shown GROUP BY ALL),
    named AS (SELECT speaker_label, count(*) AS sources,
                     string_agg(source, ', ' ORDER BY n DESC, source) AS in_sources
              FROM per_source GROUP BY ALL)
    SELECT speaker_label AS speaker, count(*) AS quotes, count(*) FILTER (kind = 'full') AS full,
           count(*) FILTER (kind = 'fragment') AS fragments, any_value(named.sources) AS sources,
           count(DISTINCT article_id) AS articles, count(DISTINCT story) AS stories, any_value(named.in_sources) AS in_sources,
           count(*) OVER () AS speakers
    FROM shown JOIN named USING (speaker_label)
    GROUP BY speaker_label ORDER BY speaker_label = '{UNKNOWN}', quotes DESC, speaker_label
    LIMIT ? OFFSET ?
    """


def speaker_source_sql(condition: str) -> str:
    """Quotes per (speaker, source) of the most quoted speakers, for a stacked bar chart.

    Speakers are ordered as in `summary_sql`; the sources quoting them most keep their name, the
    others are summed under one label. Columns: speaker, source, quotes. Parameters: …, number
    of speakers, number of sources named, the label of the others.
    """
    return f"""
    WITH shown AS (SELECT speaker_label AS speaker, coalesce(source, '{UNKNOWN}') AS source
                   FROM {QUOTE_ROWS} WHERE {condition}),
    top AS (SELECT speaker, count(*) AS total FROM shown GROUP BY speaker
            ORDER BY speaker = '{UNKNOWN}', total DESC, speaker LIMIT ?),
    counts AS (SELECT speaker, source, count(*) AS quotes FROM shown JOIN top USING (speaker) GROUP BY ALL),
    big AS (SELECT source FROM counts GROUP BY source ORDER BY sum(quotes) DESC, source LIMIT ?)
    SELECT c.speaker, CASE WHEN b.source IS NULL THEN ? ELSE c.source END AS source, sum(c.quotes) AS quotes
    FROM counts c LEFT JOIN big b ON c.source = b.source
    GROUP BY ALL ORDER BY c.speaker, quotes DESC, source
    """


def export_sql(condition: str) -> str:
    """Every matching quote with the CSV's columns, newest first."""
    return (f"SELECT speaker_label AS speaker, text, cue, kind, addressee, source, title, date, article_id, start "
            f"FROM {QUOTE_ROWS} WHERE {condition} ORDER BY row")


def export_csv(warehouse, condition: str, params: list) -> bytes:
    """The CSV of every matching quote, read when the reader asks for the download."""
    return csv_bytes(warehouse.query(export_sql(condition), params))


# --- pages and CSV --------------------------------------------------------------------------------


def page_count(rows: int, per_page: int) -> int:
    """Number of pages to show `rows` rows, at least one."""
    return max(1, math.ceil(rows / per_page))


def offset(page: int | None, rows: int, per_page: int) -> int:
    """First row of the 1-based `page`; a page past the end gives the last page."""
    page = min(max(1, int(page or 1)), page_count(rows, per_page))
    return (page - 1) * per_page


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of `frame`, with text cells that a spreadsheet would run as formulas defused.

    Quote text is untrusted: a cell starting with "=", "+", "-" or "@" gets a leading
    apostrophe so spreadsheet programs show it as text.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [_defuse(v) for v in safe[column]]
    return safe.to_csv(index=False).encode("utf-8")


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def _normalise(text: str) -> str:
    """Lower-cased text with curly apostrophes and quotes made straight."""
    return str(text).translate(_APOSTROPHES).casefold()


def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        return False
    return not str(value).strip()
