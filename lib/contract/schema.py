"""The table contract: every table, its columns and their dtypes.

`lib.preprocess` writes one Parquet file per table. Each table always holds at least the
columns below (in this order), even when it has no rows, so readers never need to guess.
Offsets (`start`, `end`, `sent_start`, `sent_end`) are Python string offsets into
`articles.text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain

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
        "copy_of": "string",  # article_id of the first copy of the same (or a lightly edited) story, else null
        "outlet_country": "string",  # the outlet's profile in lib/data/outlets.csv; null when the outlet is unknown
        "outlet_ownership": "string",  # state / public / private
        "outlet_kind": "string",  # agency / newspaper / broadcaster / online
    },
    "actors": {
        "article_id": "string",
        "actor": "string",  # canonical name
        "actor_type": "string",  # person / organization / country / bloc
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "known": "bool",  # True when the name comes from the actors data file
        "how": "string",  # gazetteer / surname / metonymy / role / institution / model
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
        "relation": "string",  # since / until / by / from / to / before / after: the date opens or closes a range; else null
        "sent_start": "int64",
        "sent_end": "int64",
    },
    "figures": {
        "article_id": "string",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "value": "float64",  # base units: 190e9 for "$190 billion", 40 for "40%"; NaN for a range
        "unit": "string",  # an ISO currency code, percent, ratio, bcm, barrels_per_day, tonnes, count, years, ...
        "low": "float64",  # a range ("between 5% and 6%"): its ends, else NaN
        "high": "float64",
        "per": "string",  # a price or rate: what one amount is for ("barrel", "1,000 cubic metres", "year"), else null
        "converted_from": "int64",  # a restatement in another currency ("($237 billion)"): the start of the figure it restates
        "metric": "string",  # snake_case: bilateral_trade, energy_supply, ...
        "period": "string",  # same notation as dates.value
        "kind": "string",  # actual / forecast / change
        "trend": "string",  # up / down for a change ("fell 9%": down, value 9), else null
        "qualifier": "string",  # more than / nearly / almost / about / null
        "direction": "string",  # e.g. "Russia→China", or null
        "origin": "string",  # cited source of the figure, or null
        "sent_start": "int64",
        "sent_end": "int64",
        "fact_id": "string",  # shared by figures of any article that state the same fact (lib.crossarticle.alignment)
        "conflict": "bool",  # another article gives this metric and period another value, or this value another period
    },
    "quotes": {
        "article_id": "string",
        "text": "string",  # without the quotation marks
        "start": "int64",
        "end": "int64",
        "speaker": "string",  # canonical actor name, or null
        "cue": "string",  # reporting verb, or null
        "kind": "string",  # full / fragment / term (a name or term in quote marks: no speaker)
        "addressee": "string",  # canonical actor name, or null
        "sent_start": "int64",
        "sent_end": "int64",
        "quote_group": "string",  # shared by wordings of the same statement in any article (lib.crossarticle.alignment)
        "similarity": "float64",  # best similarity (0-1) to another wording of its group; NaN when alone
    },
    "events": {
        "article_id": "string",
        "event_id": "string",  # shared by reports of the same event across articles
        "date": "string",  # normalised value, as in dates.value
        "precision": "string",
        "kind": "string",  # "actual", or "forecast" for a plan or prediction ("would rise in 2025")
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
        "value": "float64",  # median of the members' values (a fall counts as negative)
        "label": "string",  # e.g. "bilateral trade · 2022 · $190 bn"
        "members": "list",
        "article_ids": "list",
        "surfaces": "list",  # each member's wording, in the order of `members`
        "n_articles": "int64",
        "n_stories": "int64",  # distinct stories: an article and its copies (`articles.copy_of`) count once
        "n_outlets": "int64",  # distinct outlets carrying it (an article of unknown outlet counts as its own)
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
        "n_stories": "int64",  # distinct stories: an article and its copies count once
        "n_outlets": "int64",  # distinct outlets quoting it
        "similarity": "float64",  # weakest link between two wordings; NaN for a single wording
    },
}


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return conform(pd.DataFrame(), table)


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return `frame` with every contract column present, in contract order, with its dtype.

    Missing columns are added as nulls; extra columns are kept after the contract ones. A column
    that already has the contract's type is taken as it is (frames come back here often, some
    with hundreds of thousands of rows).
    """
    return _contract_frame({name: frame[name] for name in frame.columns}, len(frame), table)


def from_columns(columns: Mapping[str, list], table: str) -> pd.DataFrame:
    """Contract table `table` from equally long column lists (the form the article cache keeps),
    built in one step: per-article extraction makes one per article, so it must stay cheap."""
    return _contract_frame(columns, len(next(iter(columns.values()), [])), table)


def from_rows(rows: list[dict], table: str) -> pd.DataFrame:
    """Contract table `table` from row dicts (the form extractors produce)."""
    names = list(dict.fromkeys(key for row in rows for key in row))
    return _contract_frame({name: [row.get(name) for row in rows] for name in names}, len(rows), table)


def _contract_frame(lists: Mapping[str, object], size: int, table: str) -> pd.DataFrame:
    """The contract frame of `table` from `lists` (column name → list or Series of `size` cells)."""
    spec = TABLES[table]
    columns: dict[str, object] = {}
    for column, dtype in spec.items():
        values = lists.get(column)
        if isinstance(values, pd.Series):
            ready = _ready_column(values, dtype)
            if ready is not None:
                columns[column] = ready
                continue
            values = values.tolist()
        columns[column] = _column([None] * size if values is None else values, dtype)
    for column, values in lists.items():
        if column not in spec:
            columns[column] = values.to_numpy() if isinstance(values, pd.Series) else values
    return pd.DataFrame(columns, index=pd.RangeIndex(size))


def records(table: pd.DataFrame | list[dict] | None) -> list[dict]:
    """Rows of a table given as a frame or already as row dicts (extractors take either)."""
    if table is None:
        return []
    if not isinstance(table, pd.DataFrame):
        return table
    if not len(table.columns):
        return [{} for _ in range(len(table))]
    names = list(table.columns)  # as to_dict("records"), without its per-cell boxing
    return [dict(zip(names, values)) for values in zip(*(_python_values(table[n]) for n in table.columns))]


def _python_values(series: pd.Series) -> list:
    """A column's cells as Python values, as `to_dict` gives them (NaN stays NaN)."""
    if series.dtype == object:
        return series.to_numpy().tolist()  # the objects themselves
    return series.astype(object).tolist() if isinstance(series.dtype, pd.api.extensions.ExtensionDtype) else series.tolist()


def rows_of(columns: dict[str, list]) -> list[dict]:
    """Row dicts of a dict of column lists (`column_lists`)."""
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def _ready_column(series: pd.Series, dtype: str) -> object | None:
    """A column that already has the contract's type, without a pass in Python (frames that
    `conform` made once come back to it, some with hundreds of thousands of rows); None when
    the values must be converted one by one."""
    if dtype in ("int64", "bool", "float64") and str(series.dtype) == dtype:
        return series.to_numpy()
    if dtype == "list":
        values = series.to_numpy(dtype=object)
        plain = all(type(cell) is list for cell in values) and set(map(type, chain.from_iterable(values))) <= _PLAIN
        return pd.Series(values, dtype="object") if plain else None
    if dtype == "string" and pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        values = series.to_numpy(dtype=object)
        empty_cells = pd.isna(values)
        if empty_cells.any():
            values = values.copy()
            values[empty_cells] = None
        return pd.Series(values, dtype="object")
    return None


def column_lists(rows: list[dict], table: str) -> dict[str, list]:
    """The plain-Python twin of `conform` for a list of row dicts: contract columns in order,
    each a list of values of its type (None for a missing text or integer, NaN for a missing
    float), then any extra columns. What per-article extraction hands on (and the cache
    stores) without paying for a DataFrame per article; `conform` of it gives the frame."""
    spec = TABLES[table]
    names = list(dict.fromkeys(key for row in rows for key in row))
    lists = {name: [row.get(name) for row in rows] for name in names}
    columns = {column: _values(lists.get(column, [None] * len(rows)), dtype) for column, dtype in spec.items()}
    columns.update((name, values) for name, values in lists.items() if name not in spec)
    return columns


def _values(values: list, dtype: str) -> list:
    """A contract column's values as Python values of its type."""
    if dtype == "list":
        return [_as_list(v) for v in values]
    if dtype == "bool":
        return [False if missing(v) else bool(v) for v in values]
    if dtype == "int64":
        return [None if missing(v) else int(v) for v in values]
    if dtype == "string":
        return [v if type(v) is str else None if missing(v) else str(v) for v in values]
    return [float("nan") if missing(v) else float(v) for v in values]  # float64


def _column(values: list, dtype: str) -> object:
    """One contract column from a list of Python values."""
    converted = _values(values, dtype)
    if dtype == "int64" and any(v is None for v in converted):
        return pd.array(converted, dtype="Int64")
    return pd.Series(converted, dtype="object" if dtype in ("list", "string") else dtype)


_PLAIN = frozenset((str, int, float, bool))  # cell types a list column holds once conformed


def _as_list(value: object) -> list:
    """A list cell as a Python list; Parquet reads lists back as numpy arrays."""
    if isinstance(value, np.ndarray):
        return value.tolist()  # numpy scalars become Python values
    if isinstance(value, (list, tuple)):
        return [v.item() if isinstance(v, np.generic) else v for v in value]
    return []


def signed(value: object, trend: object) -> object:
    """A figure's value with the sign of its change: "fell 1.9%" (value 1.9, trend down) is -1.9."""
    return -float(value) if trend == "down" and not missing(value) else value


def missing(value: object) -> bool:
    """None, NaN, NaT or pd.NA (text columns hold Python str or None, never pandas' NA, so
    that readers on any pandas version never see "<NA>")."""
    kind = type(value)
    if value is None or kind is float:
        return value is None or value != value
    if kind is str or kind is int or kind is bool:
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
