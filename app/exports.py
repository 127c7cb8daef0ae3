"""CSV downloads of exactly the rows a table's filters select, the same way on every page.

A table on a page shows one page of rows; its download holds all of them. The rows are read only
when the reader asks for the file (`rows` is a function), and text cells that a spreadsheet would
run as a formula (starting with = + - @) are defused by `quote_search.csv_bytes`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib.views.quote_search import csv_bytes

LABEL = "Download CSV"


def csv_of(rows: Callable[[], pd.DataFrame] | pd.DataFrame) -> Callable[[], bytes]:
    """The CSV of `rows` (a frame, or a function giving it), built when called."""
    return lambda: csv_bytes(rows() if callable(rows) else rows)


def download(name: str, rows: Callable[[], pd.DataFrame] | pd.DataFrame, label: str = LABEL) -> None:
    """A "Download CSV" button for table `name` (the file `name`.csv, the widget key
    `download_<name>`), holding every row of `rows`."""
    st.download_button(label, csv_of(rows), file_name=f"{name}.csv", mime="text/csv", key=f"download_{name}",
                       on_click="ignore")
