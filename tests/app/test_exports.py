"""CSV downloads: every row given, formula-like cells defused, read only when asked."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from app.exports import csv_of


def rows_of(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+7 495", "'+7 495"),
    ("-20%", "'-20%"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("trade rose", "trade rose"),
])
def test_cells_a_spreadsheet_would_run_are_written_as_text(cell, written):
    assert rows_of(csv_of(pd.DataFrame({"text": [cell]}))())[0]["text"] == written


def test_every_row_is_written_and_read_only_when_asked():
    asked = []

    def every_row():
        asked.append(True)
        return pd.DataFrame({"n": range(120)})

    build = csv_of(every_row)
    assert not asked  # nothing read until the reader asks for the file
    assert [int(r["n"]) for r in rows_of(build())] == list(range(120))
