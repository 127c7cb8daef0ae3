"""The dashboard's one data module: tables opened once per data version, the model once.

Pages read frames from here and never extract anything themselves. The tables come from the
folder named by the environment variable DASHBOARD_DATA (default `data/`).

Large corpora: pages ask `query` for just the rows and aggregates they show. It runs SQL on a
DuckDB `Warehouse` over the Parquet files (one per data version, shared by all sessions) and
caches each small result per data version and parameters. Frames a page derives from whole
tables (grouped events, ...) are built once with `derived` and kept in the warehouse, so later
runs filter them in SQL too. No page loads a whole table.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.contract.tableio import read_manifest, tables_folder
from lib.views.search import SearchIndex
from lib.views.warehouse import Warehouse

DEFAULT_DATA = "data"


def data_dir() -> Path:
    """The folder of Parquet tables this dashboard serves."""
    return Path(os.environ.get("DASHBOARD_DATA", DEFAULT_DATA))


def manifest() -> dict:
    """The preprocessing manifest of the data folder ({} when there is none)."""
    return read_manifest(data_dir())


def data_version() -> str:
    """Short hash of the corpus and pipeline that built the tables ("" when unknown)."""
    return str(manifest().get("data_version", ""))


def _current() -> tuple[str, str]:
    """(folder, data version) of the tables now served, from one reading of the manifest: the
    unchanging snapshot it names (`tableio.tables_folder`), so that an addition rewriting the
    tables meanwhile never mixes two versions in one warehouse."""
    folder = data_dir()
    described = read_manifest(folder)
    return str(tables_folder(folder, described)), str(described.get("data_version", ""))


@st.cache_resource(show_spinner="Opening the tables…", max_entries=4)
def _warehouse(folder: str, version: str) -> Warehouse:
    return Warehouse(Path(folder))


def warehouse() -> Warehouse:
    """The SQL view of the current data version's tables (shared; read-only)."""
    return _warehouse(*_current())


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(folder: str, version: str, sql: str, params: tuple) -> pd.DataFrame:
    return _warehouse(folder, version).query(sql, params)


def query(sql: str, *params: object) -> pd.DataFrame:
    """The result of one SELECT over the current tables, cached per data version and parameters.
    Meant for what a page shows: filtered rows, a page of a listing, aggregates."""
    return _query(*_current(), sql, params)


def value(sql: str, *params: object) -> object:
    """The single value a SELECT returns (None when it returns no row)."""
    result = query(sql, *params)
    return result.iat[0, 0] if len(result) else None


def derived(name: str, build: Callable[[Warehouse], pd.DataFrame]) -> str:
    """Make table `name` = `build(warehouse)` queryable, built once per data version (it lives
    in the version's warehouse); returns its name."""
    tables_of = warehouse()
    if tables_of.has(name):
        return name
    with st.spinner("Preparing the data…"):
        return tables_of.derive(name, build)


@st.cache_resource(show_spinner=False, max_entries=4)
def _search_index(folder: str, version: str) -> SearchIndex | None:
    return SearchIndex.open(Path(folder))


def search_index() -> SearchIndex | None:
    """The search index of the current tables (None when the run that wrote them made none)."""
    return _search_index(*_current())


@st.cache_data(show_spinner=False, max_entries=256)
def _search(folder: str, version: str, kind: str, words: str, limit: int, offset: int) -> tuple[int, pd.DataFrame]:
    index = _search_index(folder, version)
    if index is None:
        return 0, pd.DataFrame()
    hits = index.hits(kind, words, limit, offset) if limit else pd.DataFrame()  # limit 0: the count alone
    return index.count(kind, words), hits


def search(kind: str, words: str, limit: int, offset: int = 0) -> tuple[int, pd.DataFrame]:
    """(how many match, one page of hits) of `kind` (articles, quotes, events) for the query
    `words`, cached per data version and arguments (`lib.views.search`)."""
    return _search(*_current(), kind, words, limit, offset)
