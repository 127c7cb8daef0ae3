"""The last run's per-article tables, kept whole next to the article cache.

Assembling a large corpus from its article cache means reading one JSON file per article and
converting millions of values. Instead, every run also keeps the per-article tables it
assembled (before the cross-article steps) under `<out>/.cache/assembled/`, with an index of
the cache key, publication fields and problems of each article in them. The next run takes the
rows of every article whose key is unchanged from these tables and reads only the new or
changed articles from the cache.

The folder is replaced as a whole (written aside, then renamed), so a reader finds the old
snapshot, the new one or none, never a mixture; anything unreadable is simply ignored.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

FOLDER = "assembled"
INDEX = "index.json"


def load(cache_dir: Path, tables: tuple[str, ...]) -> tuple[dict[str, dict], dict[str, pd.DataFrame]]:
    """(index, tables) of the last snapshot: index maps a cache key to {"article_id", "article",
    "problems"}. Both are empty when there is no usable snapshot."""
    folder = Path(cache_dir) / FOLDER
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in tables}
    except (OSError, ValueError):
        return {}, {}
    return index, frames


def save(cache_dir: Path, index: dict[str, dict], tables: dict[str, pd.DataFrame]) -> None:
    """Replace the snapshot with `index` and `tables`, all or nothing."""
    folder = Path(cache_dir) / FOLDER
    staging = folder.with_name(f".{FOLDER}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name, frame in tables.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        retired = folder.with_name(f".{FOLDER}.{os.getpid()}.old")
        if folder.exists():
            os.replace(folder, retired)
        os.replace(staging, folder)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
