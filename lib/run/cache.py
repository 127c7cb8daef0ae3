"""The per-article cache that makes preprocessing incremental.

Parsing is by far the costliest step, so the rows extracted from each article are kept under
`<out>/.cache/`, one JSON file per article. An entry's key hashes everything that can change
those rows: the pipeline fingerprint (code, data files, model), the article's id and file name,
the hash of its text and its publication date from `sources.csv`. An unchanged article is then
read back instead of parsed; any change to it, or to the pipeline, misses the cache. Entries
not used by a run (removed or changed articles, older pipelines) are pruned after it.

JSON rather than pickle: the folder may be shared, and reading it must never run code.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from pathlib import Path

CACHE_FOLDER = ".cache"
SUFFIX = ".json"
KEY_FIELDS = ("article_id", "file", "content_hash", "published")


def article_key(article: dict, fingerprint: str) -> str:
    """The cache key of one article as read (before any NLP) under one pipeline fingerprint."""
    parts = [fingerprint] + ["" if article.get(f) is None else str(article.get(f)) for f in KEY_FIELDS]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _plain(value: object) -> object:
    """JSON fallback for the few non-JSON values rows hold (numpy scalars, pandas' NA)."""
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot cache a {type(value).__name__}")


class ArticleCache:
    """One JSON file of extracted rows per article, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def get(self, key: str) -> dict | None:
        """The cached result for `key`, or None when missing or unreadable."""
        try:
            return json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, result: dict) -> None:
        """Store one result atomically (a reader never sees half a file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.path(key)
        temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(result, default=_plain, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, final)

    def keys(self) -> set[str]:
        """Keys of every stored entry (one listing of the folder, not a look-up per key)."""
        if not self.folder.is_dir():
            return set()
        with os.scandir(self.folder) as entries:
            names = [entry.name for entry in entries]
        return {name[: -len(SUFFIX)] for name in names if name.endswith(SUFFIX) and not name.startswith(".")}

    def prune(self, keep: set[str]) -> int:
        """Delete entries (and stray temporaries) not in `keep`; returns how many entries went.
        Temporaries of this process are kept: a file of the cache may be being written in the
        background meanwhile (they are named ".<name>.<pid>....tmp")."""
        if not self.folder.is_dir():
            return 0
        removed, mine = 0, f".{os.getpid()}."
        with os.scandir(self.folder) as listing:
            entries = list(listing)
        for entry in entries:
            name = entry.name
            if name.startswith(".") and name.endswith(".tmp"):  # left by a run that died
                if mine in name:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry.path, ignore_errors=True)  # a snapshot folder being written
                else:
                    Path(entry.path).unlink(missing_ok=True)
            elif name.endswith(SUFFIX) and name[: -len(SUFFIX)] not in keep:
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        return removed
