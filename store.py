"""The dashboard's one data module: tables loaded once per data version, the model once.

Pages read frames from here and never extract anything themselves. The tables come from the
folder named by the environment variable DASHBOARD_DATA (default `data/`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.tableio import read_manifest, read_tables

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


@st.cache_data(show_spinner="Loading tables…", max_entries=4)
def _load(folder: str, version: str) -> dict[str, pd.DataFrame]:
    """Every table of `folder`; `version` is part of the cache key so new data reloads."""
    return read_tables(Path(folder))


def tables() -> dict[str, pd.DataFrame]:
    """All tables of the current data version."""
    return _load(str(data_dir()), data_version())


def table(name: str) -> pd.DataFrame:
    """One table of the current data version (shared, do not modify in place)."""
    return tables()[name]


@st.cache_resource(show_spinner="Loading the language model…")
def nlp():
    """The spaCy pipeline, built once per server process."""
    from lib.nlp import build_pipeline

    return build_pipeline()
