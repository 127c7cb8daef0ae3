"""The table contract: every table, its columns and their dtypes.

`lib.preprocess` writes one Parquet file per table. Each table always holds at least the
columns below (in this order), even when it has no rows, so readers never need to guess.
Offsets (`start`, `end`, `sent_start`, `sent_end`) are Python string offsets into
`articles.text`.
"""

from __future__ import annotations

import pandas as pd

# "string" columns hold Python str or None; "list" columns hold Python lists of strings.
TABLES: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": "string",
        "title": "string",
        "outlet": "string",
        "published": "string",  # ISO date YYYY-MM-DD
        "published_inferred": "bool",
        "url": "string",
        "file": "string",
        "words": "int64",
        "text": "string",
    },
    "actors": {
        "article_id": "string",
        "actor": "string",  # canonical name
        "actor_type": "string",  # person / organization / country / bloc
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "known": "bool",  # True when the name comes from the actors data file
        "how": "string",  # gazetteer / surname / metonymy / role / model
        "sent_start": "int64",
        "sent_end": "int64",
    },
    "dates": {
        "article_id": "string",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "value": "string",  # YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn or START/END; null if unknown
        "precision": "string",  # day / week / month / quarter / year / range
        "anchor": "string",  # absolute / published
        "sent_start": "int64",
        "sent_end": "int64",
    },
    "figures": {
        "article_id": "string",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "value": "float64",  # base units: 190e9 for "$190 billion", 40 for "40%"
        "unit": "string",  # USD, CNY, percent, ratio, bcm, barrels_per_day, tonnes, ...
        "metric": "string",  # snake_case: bilateral_trade, energy_supply, ...
        "period": "string",  # same notation as dates.value
        "kind": "string",  # actual / forecast / change
        "qualifier": "string",  # more than / nearly / almost / about / null
        "direction": "string",  # e.g. "Russia→China", or null
        "origin": "string",  # cited source of the figure, or null
        "sent_start": "int64",
        "sent_end": "int64",
    },
    "quotes": {
        "article_id": "string",
        "text": "string",  # without the quotation marks
        "start": "int64",
        "end": "int64",
        "speaker": "string",  # canonical actor name, or null
        "cue": "string",  # reporting verb, or null
        "kind": "string",  # full / fragment
        "addressee": "string",  # canonical actor name, or null
        "sent_start": "int64",
        "sent_end": "int64",
    },
    "events": {
        "article_id": "string",
        "event_id": "string",  # shared by reports of the same event across articles
        "date": "string",  # normalised value, as in dates.value
        "precision": "string",
        "actors": "list",  # canonical names
        "summary": "string",
        "start": "int64",  # sentence offsets
        "end": "int64",
    },
}


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return conform(pd.DataFrame(), table)


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return `frame` with every contract column present, in contract order, with its dtype.

    Missing columns are added as nulls; extra columns are kept after the contract ones.
    """
    spec = TABLES[table]
    out = frame.copy()
    for column, dtype in spec.items():
        if column not in out.columns:
            out[column] = pd.Series([None] * len(out), index=out.index, dtype="object")
        if dtype == "list":
            out[column] = out[column].map(lambda v: list(v) if isinstance(v, (list, tuple)) else [])
        elif dtype == "bool":
            out[column] = out[column].fillna(False).astype(bool)
        elif dtype == "int64":
            out[column] = pd.to_numeric(out[column]).astype("Int64") if out[column].isna().any() else out[column].astype("int64")
        elif dtype == "string":
            out[column] = _text_or_none(out[column])
        else:
            out[column] = out[column].astype(dtype)
    extra = [c for c in out.columns if c not in spec]
    return out[list(spec) + extra].reset_index(drop=True)


def _text_or_none(values: pd.Series) -> pd.Series:
    """Text as Python strings and missing values as None (object dtype).

    Plain objects rather than pandas' nullable string dtype: readers on any pandas version then
    see missing text as None/NaN, never as a `pd.NA` that stringifies to "<NA>".
    """
    return pd.Series(
        [None if _missing(v) else str(v) for v in values], index=values.index, dtype="object"
    )


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
