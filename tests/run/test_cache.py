"""The per-article cache: keys that change with what changes the rows, safe storage, pruning."""

from __future__ import annotations

import math
import os

import pytest

from lib.run.assembled import FILES
from lib.run.cache import ArticleCache, article_key

ARTICLE = {"article_id": "a", "file": "a.txt", "content_hash": "0123", "published": "2024-05-16", "text": "…"}


@pytest.mark.parametrize(
    "change",
    [{"content_hash": "4567"}, {"published": "2024-05-17"}, {"published": None}, {"article_id": "b"},
     {"file": "a.md"}],
)
def test_key_changes_with_what_changes_the_rows(change):
    assert article_key({**ARTICLE, **change}, "fp1") != article_key(ARTICLE, "fp1")


def test_key_changes_with_the_pipeline_fingerprint():
    assert article_key(ARTICLE, "fp1") != article_key(ARTICLE, "fp2")


@pytest.mark.parametrize("change", [{"title": "Another title"}, {"outlet": "Another outlet"}, {"url": "http://x"}])
def test_key_ignores_metadata_the_extractors_do_not_use(change):
    assert article_key({**ARTICLE, **change}, "fp1") == article_key(ARTICLE, "fp1")


def test_results_round_trip_with_plain_values(tmp_path):
    import numpy as np
    import pandas as pd

    cache = ArticleCache(tmp_path / "cache")
    result = {"article": {"published": None, "published_inferred": False},
              "rows": {"figures": [{"value": np.float64(1.5e9), "start": np.int64(3), "missing": pd.NA,
                                    "nan": float("nan"), "names": ["China", "Russia"]}]},
              "problems": [["a.txt", "figures extraction failed"]]}
    cache.put("k1", result)
    back = cache.get("k1")
    row = back["rows"]["figures"][0]
    assert row["value"] == 1.5e9 and row["start"] == 3 and row["missing"] is None
    assert math.isnan(row["nan"]) and row["names"] == ["China", "Russia"]
    assert back["problems"] == [["a.txt", "figures extraction failed"]]


def test_missing_or_corrupt_entries_read_as_none(tmp_path):
    cache = ArticleCache(tmp_path)
    assert cache.get("nothing") is None
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert cache.get("broken") is None


def test_prune_keeps_only_the_given_keys(tmp_path):
    cache = ArticleCache(tmp_path)
    for key in ("k1", "k2", "k3"):
        cache.put(key, {"rows": {}})
    (tmp_path / ".k4.json.123.tmp").write_text("half", encoding="utf-8")
    assert cache.prune({"k2"}) == 2
    assert cache.keys() == {"k2"}
    assert [p.name for p in tmp_path.iterdir()] == ["k2.json"]


def test_prune_leaves_a_temporary_this_process_is_still_writing(tmp_path):
    """The files memo is saved in the background while the run prunes the cache."""
    cache = ArticleCache(tmp_path)
    writing = tmp_path / f".{FILES}.{os.getpid()}.tmp"
    writing.write_text("being written", encoding="utf-8")
    cache.prune(set())
    assert writing.exists()


def test_prune_of_a_missing_folder_does_nothing(tmp_path):
    assert ArticleCache(tmp_path / "none").prune(set()) == 0
