"""The table contract: every table, its columns and their dtypes.

`lib.preprocess` writes one Parquet file per table. Each table always holds at least the
columns below (in this order), even when it has no rows, so readers never need to guess.
Offsets (`start`, `end`, `sent_start`, `sent_end`) are Python string offsets into
`articles.text`.
"""

from __future__ import annotations

import numpy as np
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
        "fact_id": "string",  # shared by figures of any article that state the same fact (lib.compare)
        "conflict": "bool",  # another article gives this metric and period another value, or this value another period
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
        "quote_group": "string",  # shared by wordings of the same statement in any article (lib.compare)
        "similarity": "float64",  # best similarity (0-1) to another wording of its group; NaN when alone
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
    "fact_groups": {  # one row per fact: figures that state it, as "article_id:start" members
        "fact_id": "string",
        "metric": "string",
        "unit": "string",
        "period": "string",
        "kind": "string",
        "value": "float64",  # median of the members' values
        "label": "string",  # e.g. "bilateral trade · 2022 · $190 billion"
        "members": "list",
        "article_ids": "list",
        "surfaces": "list",  # each member's wording, in the order of `members`
        "n_articles": "int64",
        "conflict": "bool",
        "conflicts_with": "list",  # fact_ids of the facts it disagrees with
    },
    "quote_groups": {  # one row per statement: its wordings across articles
        "quote_group": "string",
        "speaker": "string",
        "text": "string",  # the longest wording
        "date": "string",  # when it was said (event date of its sentence, else publication date)
        "members": "list",
        "article_ids": "list",
        "wordings": "list",  # in the order of `members`
        "n_articles": "int64",
        "similarity": "float64",  # weakest link between two wordings; NaN for a single wording
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
            out[column] = out[column].map(_as_list)
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


def _as_list(value: object) -> list:
    """A list cell as a Python list; Parquet reads lists back as numpy arrays."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [v.item() if isinstance(v, np.generic) else v for v in value]
    return []


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
