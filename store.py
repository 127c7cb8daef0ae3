"""The dashboard's one data module: tables loaded once per data version, the model once.

Pages read frames from here and never extract anything themselves. The tables come from the
folder named by the environment variable DASHBOARD_DATA (default `data/`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.schema import TABLES, conform, empty

DEFAULT_DATA = "data"


def data_dir() -> Path:
    """The folder of Parquet tables this dashboard serves."""
    return Path(os.environ.get("DASHBOARD_DATA", DEFAULT_DATA))


def manifest() -> dict:
    """The preprocessing manifest of the data folder ({} when there is none)."""
    path = data_dir() / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def data_version() -> str:
    """Short hash of the corpus and pipeline that built the tables ("" when unknown)."""
    return str(manifest().get("data_version", ""))


@st.cache_data(show_spinner="Loading tables…", max_entries=4)
def _load(folder: str, version: str) -> dict[str, pd.DataFrame]:
    """Every table of `folder`; `version` is part of the cache key so new data reloads."""
    frames = {}
    for name in TABLES:
        path = Path(folder) / f"{name}.parquet"
        frames[name] = conform(pd.read_parquet(path), name) if path.exists() else empty(name)
    return frames


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
