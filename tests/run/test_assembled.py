"""The files memo kept beside the article cache: what is saved is what comes back, and anything
unusable (another reader, a damaged file, the former format) reads as an empty memo."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lib.run import assembled

ENTRIES = {
    "a.txt": {"size": 120, "mtime_ns": 1_700_000_000_123_456_789, "article_id": "a", "text": "Xi met Putin — «да».",
              "title": "Xi met Putin", "words": 4, "content_hash": "0123", "warnings": [],
              "front": '{"title": "Xi met Putin", "published": "2024-05-16"}', "signature": [4_294_967_295, 0, 17]},
    "b.html": {"size": 7, "mtime_ns": 5, "article_id": "b", "text": "", "title": None, "words": 0,
               "content_hash": "4567", "warnings": ["no text", "no title"], "front": None, "signature": [2**32] * 3},
}


def test_the_memo_comes_back_as_it_was_saved(tmp_path):
    assembled.save_files(tmp_path, ENTRIES, "reader-1")
    assert assembled.load_files(tmp_path, "reader-1") == ENTRIES
    assert [p.name for p in tmp_path.iterdir()] == [assembled.FILES]  # no temporary left


def test_a_memo_of_another_reader_is_not_used(tmp_path):
    assembled.save_files(tmp_path, ENTRIES, "reader-1")
    assert assembled.load_files(tmp_path, "reader-2") == {}


@pytest.mark.parametrize("content", [b"", b"not an arrow file", b"ARROW1\x00\x00" + b"\x00" * 40])
def test_a_damaged_memo_reads_as_empty(tmp_path, content):
    (tmp_path / assembled.FILES).write_bytes(content)
    assert assembled.load_files(tmp_path, "reader-1") == {}


def test_no_memo_reads_as_empty(tmp_path):
    assert assembled.load_files(tmp_path / "none", "reader-1") == {}


def test_saving_replaces_the_memo_of_the_former_format(tmp_path):
    for former in assembled.FORMER_FILES:
        pq.write_table(pa.table({"file": ["a.txt"]}), tmp_path / former)
    assembled.save_files(tmp_path, ENTRIES, "reader-1")
    assert sorted(p.name for p in tmp_path.iterdir()) == [assembled.FILES]
