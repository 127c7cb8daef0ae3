"""Every page serves a tables folder partitioned by publication year as it serves one file per table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib.run.preprocess import run
from tests.conftest import SEEDS, page

PAGES = ("overview", "timeline", "charts", "quotes", "compare", "article", "add")


@pytest.fixture(scope="module")
def partitioned_seeds(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("partitioned_seeds")
    run(SEEDS, out, progress=False, partition_by="year")
    return out


def _uncoloured(trace: dict) -> dict:
    """A chart trace without its colour: plotly colours series in the order rows come, and a
    partitioned table's rows come year by year."""
    return {key: value for key, value in trace.items() if key != "marker"}


def shown(at) -> dict:
    """What a reader sees of a page run: its metrics, tables (rows in a stable order), charts
    (bar their colours), texts and notices."""
    frames = []
    for element in at.dataframe:
        frame = element.value
        frames.append(sorted(json.dumps(row, sort_keys=True, default=str) for row in frame.to_dict("records")))
    charts = [[_uncoloured(trace) for trace in json.loads(chart.proto.spec)["data"]] for chart in at.get("plotly_chart")]
    return {
        "metrics": [(m.label, m.value) for m in at.metric],
        "tables": frames,
        "charts": [sorted(json.dumps(trace, sort_keys=True) for trace in data) for data in charts],
        "markdown": [m.value for m in at.markdown],
        "notices": [n.value for n in (*at.warning, *at.info, *at.error)],
    }


def test_the_tables_are_written_partitioned_by_year(partitioned_seeds):
    assert sorted(p.name for p in (partitioned_seeds / "actors").iterdir()) == ["published_year=2023",
                                                                                 "published_year=2024"]
    assert not (partitioned_seeds / "actors.parquet").exists()


@pytest.mark.parametrize("name", PAGES)
def test_a_partitioned_folder_shows_what_one_file_per_table_shows(name, seed_tables, partitioned_seeds,
                                                                  monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(seed_tables))
    plain = page(name).run()
    monkeypatch.setenv("DASHBOARD_DATA", str(partitioned_seeds))
    partitioned = page(name).run()
    assert not plain.exception and not partitioned.exception
    seen = shown(partitioned)
    assert seen["tables"] or seen["charts"] or seen["metrics"] or name == "add"
    assert seen == shown(plain)
