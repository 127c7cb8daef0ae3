"""lib.run.fingerprint: the packages that make the tables are hashed by folder; the article cache
follows only what decides one article's rows."""

from __future__ import annotations

import shutil

import pytest

from lib.run import fingerprint


@pytest.fixture
def lib_copy(tmp_path, monkeypatch):
    """A copy of lib/ that the fingerprints read instead of the real one."""
    copy = tmp_path / "lib"
    shutil.copytree(fingerprint.LIB, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "LIB", copy)
    monkeypatch.setattr(fingerprint, "DATA_FILES", copy / "data")
    return copy


def test_a_new_extractor_module_changes_the_pipeline_and_extraction_fingerprints(lib_copy):
    before = fingerprint.pipeline_fingerprint(), fingerprint.extraction_fingerprint()
    (lib_copy / "extract" / "treaties.py").write_text("TREATIES = ()\n", encoding="utf-8")
    after = fingerprint.pipeline_fingerprint(), fingerprint.extraction_fingerprint()
    assert before[0] != after[0] and before[1] != after[1]


def test_a_cross_article_change_changes_the_pipeline_but_not_the_article_cache(lib_copy):
    before = fingerprint.pipeline_fingerprint(), fingerprint.extraction_fingerprint()
    with open(lib_copy / "crossarticle" / "linking.py", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    after = fingerprint.pipeline_fingerprint(), fingerprint.extraction_fingerprint()
    assert before[0] != after[0] and before[1] == after[1]


def test_a_views_change_rebuilds_the_derived_tables_but_keeps_the_article_cache(lib_copy):
    before = fingerprint.pipeline_fingerprint(), fingerprint.extraction_fingerprint(), fingerprint.reader_version()
    with open(lib_copy / "views" / "figure_series.py", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    after = fingerprint.pipeline_fingerprint(), fingerprint.extraction_fingerprint(), fingerprint.reader_version()
    assert after[0] != before[0] and after[1:] == before[1:]


def test_the_reader_version_follows_lib_read(lib_copy):
    before = fingerprint.reader_version()
    with open(lib_copy / "read" / "corpus.py", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert fingerprint.reader_version() != before
