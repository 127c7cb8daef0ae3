"""Date intervals in the project notation (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYY-Qn` and
`START/END` ranges): pure helpers shared by the extractors, the cross-article steps and the views.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache


def month_end(year: int, month: int) -> dt.date:
    """The last day of `month` in `year`."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=1 << 16)
def interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a value in the project notation (None if unparsable).
    Cached: the cross-article steps ask for the same few values many times."""
    if not value or not isinstance(value, str):
        return None
    if "/" in value:
        left, right = (interval(part) for part in value.split("/", 1))
        return (left[0], right[1]) if left and right else None
    try:
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            year, q = int(m[1]), int(m[2])
            return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            return dt.date(int(m[1]), int(m[2]), 1), month_end(int(m[1]), int(m[2]))
        day = dt.date.fromisoformat(value)
        return day, day
    except ValueError:
        return None


def to_quarter(value: str | None) -> str | None:
    """`YYYY-Qn` when the value covers exactly one calendar quarter, else the value unchanged.

    Useful for figure periods: "the first three months of 2023" -> "2023-Q1".
    """
    span = interval(value)
    if span and span[0].day == 1 and span[0].month % 3 == 1 and span[0].year == span[1].year \
            and span[1] == month_end(span[0].year, span[0].month + 2):
        return f"{span[0].year}-Q{(span[0].month - 1) // 3 + 1}"
    return value
