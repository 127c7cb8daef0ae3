"""The views' `run(sql, *params)` over the outlet test corpus (tests/fixtures/outlet_corpus)."""

from __future__ import annotations

from pathlib import Path

from lib.contract.tableio import read_manifest, tables_folder
from lib.views.warehouse import Warehouse


def open_run(tables: Path):
    """(run, warehouse) over the tables a run wrote into `tables`."""
    warehouse = Warehouse(tables_folder(tables, read_manifest(tables)))
    return (lambda sql, *params: warehouse.query(sql, params)), warehouse
