"""Pure helpers of the Quotes page: joining quotes to their articles, search, filters, summaries.

The page passes frames in and gets frames back; nothing here imports streamlit, so every rule
(what a search matches, what "(unknown)" means, how speakers are counted) is unit-tested on
small constructed frames.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

import pandas as pd
from rapidfuzz import fuzz

UNKNOWN = "(unknown)"  # label of quotes whose speaker the extractor could not tell
KINDS = ("full", "fragment")
FUZZY_THRESHOLD = 85  # rapidfuzz partial_ratio a term needs in fuzzy mode (typos, inflections)
FUZZY_MIN_CHARS = 4  # shorter terms ("no", "US") always need an exact word match
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as formulas

_TERM = re.compile(r'"([^"]+)"|(\S+)')
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def with_articles(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Quotes with their article's `title`, `source`, `published` and `date` label, newest first.

    `articles` carries `article_id`, `title`, `published` and the page-made `source` and `date`
    columns (the date label marks inferred dates). Speakers missing from the extraction get
    the label UNKNOWN in `speaker_label`, so filters and counts can name them.
    """
    meta = articles[["article_id", "title", "source", "published", "date"]]
    out = quotes.merge(meta, on="article_id", how="left")
    out["speaker_label"] = speaker_labels(out["speaker"])
    out = out.sort_values(
        ["published", "article_id", "start"], ascending=[False, True, True], na_position="last"
    )
    return out.reset_index(drop=True)


def speaker_labels(speakers: pd.Series) -> pd.Series:
    """Speaker names with missing ones labelled UNKNOWN."""
    return pd.Series(
        [UNKNOWN if _blank(v) else str(v) for v in speakers], index=speakers.index, dtype="object"
    )


def speaker_options(quotes: pd.DataFrame) -> list[str]:
    """Speaker labels for a filter: most quoted first, then by name; UNKNOWN last when present."""
    counts = quotes["speaker_label"].value_counts()
    named = sorted((s for s in counts.index if s != UNKNOWN), key=lambda s: (-counts[s], s))
    return named + ([UNKNOWN] if UNKNOWN in counts.index else [])


def search_terms(query: str) -> list[str]:
    """The terms of a query: words, or "double-quoted phrases", normalised for matching."""
    terms = []
    for phrase, word in _TERM.findall(_normalise(query)):
        term = (phrase or word).strip()
        if term.strip("*"):
            terms.append(term)
    return terms


def matches(texts: pd.Series, query: str, fuzzy: bool = False) -> pd.Series:
    """Boolean mask: which texts contain every term of `query` (case-insensitive).

    A term matches whole words ("sanction" does not match "sanctions"); a trailing `*` makes
    it a prefix ("sanction*"). With `fuzzy`, terms of at least FUZZY_MIN_CHARS characters may
    also match approximately (typos, inflections). An empty query matches everything.
    """
    terms = search_terms(query)
    normalised = [_normalise(t) for t in texts.fillna("").astype(str)]
    mask = [all(_term_matches(term, text, fuzzy) for term in terms) for text in normalised]
    return pd.Series(mask, index=texts.index, dtype=bool)


def filter_quotes(
    quotes: pd.DataFrame,
    query: str = "",
    speakers: Iterable[str] = (),
    sources: Iterable[str] = (),
    kinds: Iterable[str] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    fuzzy: bool = False,
) -> pd.DataFrame:
    """The quotes (from `with_articles`) passing every filter; an empty filter lets all pass.

    Speakers are labels (UNKNOWN selects quotes without speaker). A date bound keeps only
    quotes of articles whose publication date is known and within the bound (inclusive).
    """
    keep = matches(quotes["text"], query, fuzzy)
    if speakers := list(speakers):
        keep &= quotes["speaker_label"].isin(speakers)
    if sources := list(sources):
        keep &= quotes["source"].isin(sources)
    if kinds := list(kinds):
        keep &= quotes["kind"].isin(kinds)
    published = quotes["published"].fillna("").astype(str).str[:10]
    if date_from is not None:
        keep &= (published != "") & (published >= date_from.isoformat())
    if date_to is not None:
        keep &= (published != "") & (published <= date_to.isoformat())
    return quotes[keep].reset_index(drop=True)


def speaker_summary(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per speaker: number of quotes (full / fragment), of sources and articles, and the sources.

    Most quoted speakers first. Columns: speaker, quotes, full, fragments, sources, articles,
    in_sources (the source names, comma-separated, most quoting source first).
    """
    columns = ["speaker", "quotes", "full", "fragments", "sources", "articles", "in_sources"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for speaker, group in quotes.groupby("speaker_label", sort=False):
        by_source = group["source"].fillna(UNKNOWN).value_counts()
        ordered = sorted(by_source.index, key=lambda s: (-by_source[s], s))
        rows.append(
            {
                "speaker": speaker,
                "quotes": len(group),
                "full": int((group["kind"] == "full").sum()),
                "fragments": int((group["kind"] == "fragment").sum()),
                "sources": len(by_source),
                "articles": group["article_id"].nunique(),
                "in_sources": ", ".join(ordered),
            }
        )
    summary = pd.DataFrame(rows, columns=columns)
    summary["_unknown"] = summary["speaker"] == UNKNOWN
    summary = summary.sort_values(["_unknown", "quotes", "speaker"], ascending=[True, False, True])
    return summary.drop(columns="_unknown").reset_index(drop=True)


def speaker_source_counts(quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes per (speaker, source) pair, for a stacked bar chart: speaker, source, quotes."""
    if quotes.empty:
        return pd.DataFrame(columns=["speaker", "source", "quotes"])
    counts = (
        quotes.assign(source=quotes["source"].fillna(UNKNOWN))
        .groupby(["speaker_label", "source"], as_index=False)
        .size()
        .rename(columns={"speaker_label": "speaker", "size": "quotes"})
    )
    return counts.sort_values(["speaker", "quotes"], ascending=[True, False]).reset_index(drop=True)


def page_count(rows: int, per_page: int) -> int:
    """Number of pages to show `rows` rows, at least one."""
    return max(1, math.ceil(rows / per_page))


def page_of(frame: pd.DataFrame, page: int, per_page: int) -> pd.DataFrame:
    """Rows of the 1-based `page`; a page past the end gives the last page."""
    page = min(max(1, int(page)), page_count(len(frame), per_page))
    return frame.iloc[(page - 1) * per_page : page * per_page]


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


def _term_matches(term: str, text: str, fuzzy: bool) -> bool:
    prefix = term.endswith("*")
    word = term.rstrip("*")
    pattern = r"(?<!\w)" + re.escape(word) + ("" if prefix else r"(?!\w)")
    if re.search(pattern, text):
        return True
    return fuzzy and len(word) >= FUZZY_MIN_CHARS and fuzz.partial_ratio(word, text) >= FUZZY_THRESHOLD


def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        return False
    return not str(value).strip()
