"""Shared fixtures: one parsed pipeline per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: the same examples on every CI run (CI=true), new random ones locally and in
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz draws many more).
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", max_examples=100)
settings.register_profile("fuzz", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"))

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from lib.extract.parser import build_pipeline

    return build_pipeline()


@pytest.fixture
def foreign_main(tmp_path, monkeypatch):
    """A caller's `__main__` (a Streamlit page, a notebook) whose script fails if a worker runs it."""
    import sys
    import types

    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('the main script ran in a worker')\n", encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    return main


@pytest.fixture(scope="session")
def seed_tables(tmp_path_factory) -> Path:
    """The seed corpus preprocessed once into a temporary folder."""
    from lib.run.preprocess import run

    out = tmp_path_factory.mktemp("seed_tables")
    run(SEEDS, out, progress=False)
    return out


@pytest.fixture(scope="session")
def conflict_tables(tmp_path_factory) -> Path:
    """Two small articles written for the tests, Xinhua's and TASS's, that disagree on the 2022
    trade figure ($190 billion against $185 billion), preprocessed once."""
    from lib.run.preprocess import run

    out = tmp_path_factory.mktemp("conflict_tables")
    run(ROOT / "tests" / "fixtures" / "conflict_corpus", out, progress=False)
    return out


@pytest.fixture(scope="session")
def outlet_tables(tmp_path_factory) -> Path:
    """Six small articles written for the tests, preprocessed once: Xinhua's, TASS's and Reuters'
    (TASS gives 2022 trade as $185 billion where Xinhua and Reuters give $190 billion), and a copy of
    a TASS story carried by an outlet the outlets file does not know."""
    from lib.run.preprocess import run

    out = tmp_path_factory.mktemp("outlet_tables")
    run(ROOT / "tests" / "fixtures" / "outlet_corpus", out, progress=False)
    return out


@pytest.fixture
def outlet_data(outlet_tables, monkeypatch) -> Path:
    """Point the dashboard at the outlet test corpus."""
    monkeypatch.setenv("DASHBOARD_DATA", str(outlet_tables))
    return outlet_tables


@pytest.fixture
def app_data(seed_tables, monkeypatch) -> Path:
    """Point the dashboard at the preprocessed seeds."""
    monkeypatch.setenv("DASHBOARD_DATA", str(seed_tables))
    return seed_tables


def serve_tables(folder: Path, monkeypatch, **tables: list[dict]) -> Path:
    """Write the given tables (lists of row dicts, conformed to the contract) into `folder` and
    point the dashboard at it."""
    import pandas as pd

    from lib.contract.schema import conform

    for name, rows in tables.items():
        conform(pd.DataFrame(rows), name).to_parquet(folder / f"{name}.parquet")
    monkeypatch.setenv("DASHBOARD_DATA", str(folder))
    return folder


def page(name: str):
    """An AppTest of one page file, with a generous timeout for the first model/data load."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium driven by Playwright, one per session (skipped locally when missing)."""
    from .serving import CHROMIUM_ARGS, chromium_executable, unavailable

    executable = chromium_executable()
    if executable is None:
        unavailable("Chromium is not installed (make browser-deps)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
