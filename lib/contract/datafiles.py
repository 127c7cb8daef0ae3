"""The domain data files under `lib/data/`: one reader for every module that needs them."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of `lib/data/<name>` as dicts of stripped strings (empty cells as "")."""
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
