"""The search index a run writes next to its tables: its contents, and that it follows the tables."""

from __future__ import annotations

import sqlite3

import pandas as pd

from lib.contract.schema import from_rows
from lib.contract.searchtext import INDEX_FILE, INDEX_FORMAT
from lib.contract.tableio import read_manifest, tables_folder
from lib.run import search_index
from lib.run.preprocess import run
from lib.views.search import SearchIndex

ARTICLES = [
    {"article_id": "a1", "title": "Gas talks", "text": "Moscow and Beijing held gas talks.", "copy_of": None},
    {"article_id": "a2", "title": "Gas talks", "text": "Moscow and Beijing held gas talks.", "copy_of": "a1"},
]
QUOTES = [{"article_id": "a1", "text": "a big step", "start": 3, "end": 13, "speaker": "Li Qiang", "kind": "full"}]
EVENTS = [{"article_id": "a1", "date": "2024-05", "actors": ["China", "Russia"], "summary": "gas talks held",
           "start": 0, "end": 34}]


def tables() -> dict:
    return {"articles": from_rows(ARTICLES, "articles"), "quotes": from_rows(QUOTES, "quotes"),
            "events": from_rows(EVENTS, "events")}


def test_index_holds_every_article_quote_and_event(tmp_path):
    path = tmp_path / INDEX_FILE
    search_index.build(tables(), path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (INDEX_FORMAT,)
        assert connection.execute("SELECT article_id, story FROM documents ORDER BY id").fetchall() == [
            ("a1", "a1"), ("a2", "a1")]  # a copy belongs to the story of its first copy
        assert connection.execute("SELECT speaker, text FROM quotes").fetchall() == [("Li Qiang", "a big step")]
        assert connection.execute("SELECT actors, summary FROM events").fetchall() == [("China; Russia", "gas talks held")]
        assert connection.execute("SELECT count(*) FROM quote_terms WHERE quote_terms MATCH 'qiang'").fetchone() == (1,)
        assert connection.execute("SELECT count(*) FROM event_terms WHERE event_terms MATCH 'russia'").fetchone() == (1,)


def test_empty_tables_give_an_empty_index(tmp_path):
    path = tmp_path / INDEX_FILE
    search_index.build({"articles": from_rows(pd.DataFrame(), "articles")}, path)
    index = SearchIndex.open(tmp_path)
    assert index is not None and index.count("articles", "gas") == 0 and index.hits("quotes", "gas", 10).empty


def test_building_again_replaces_the_old_index(tmp_path):
    path = tmp_path / INDEX_FILE
    search_index.build(tables(), path)
    search_index.build({"articles": from_rows(ARTICLES[:1], "articles")}, path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def write_article(folder, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def test_a_run_writes_the_index_with_its_tables_and_an_added_article_becomes_searchable(tmp_path, monkeypatch):
    updates = []
    build = search_index.build
    monkeypatch.setattr(search_index, "build", lambda *args, **kwargs: updates.append(build(*args, **kwargs)))
    source, out = tmp_path / "src", tmp_path / "out"
    write_article(source, "first", "Pipeline talks\n\nRussia and China discussed a new gas pipeline on Monday.")
    run(source, out, progress=False)
    snapshot = tables_folder(out)
    assert (snapshot / INDEX_FILE).is_file() and (out / INDEX_FILE).is_file()
    assert SearchIndex.open(snapshot).count("articles", "sanctioned") == 0

    write_article(source, "second", "Sanctions bite\n\nNew sanctions hit Russian banks, officials said.")
    run(source, out, progress=False)
    newer = tables_folder(out)
    assert newer != snapshot and read_manifest(out)["rows"]["articles"] == 2
    index = SearchIndex.open(newer)
    assert index.count("articles", "sanctioned") == 1
    assert index.article_hits("sanctioned", 5)["article_id"].tolist() == ["second"]
    assert SearchIndex.open(snapshot).count("articles", "sanctioned") == 0  # the older snapshot is unchanged
    assert updates == [False, True]  # the second run updated the first run's index


def test_a_run_with_nothing_new_still_builds_a_missing_index(tmp_path):
    source, out = tmp_path / "src", tmp_path / "out"
    write_article(source, "first", "Trade news\n\nTrade between Russia and China is growing fast.")
    run(source, out, progress=False)
    (out / INDEX_FILE).unlink()  # tables written before the index existed
    manifest = run(source, out, progress=False)
    assert not manifest.get("up_to_date")
    assert SearchIndex.open(tables_folder(out)).count("articles", "grows") == 1


BEFORE = [
    {"article_id": "kept", "title": "Trade grows", "text": "Trade between the two grew again. Exports rose."},
    {"article_id": "changed", "title": "Gas", "text": "Gas exports were discussed."},
    {"article_id": "gone", "title": "Oil", "text": "Oil sanctions were tightened."},
    {"article_id": "copy", "title": "Oil", "text": "Oil sanctions were tightened.", "copy_of": "gone"},
]
AFTER = [
    BEFORE[0],
    {"article_id": "changed", "title": "Gas deal", "text": "A gas pipeline deal was signed, sanctions aside."},
    {"article_id": "copy", "title": "Oil", "text": "Oil sanctions were tightened."},  # its story's first copy is gone
    {"article_id": "new", "title": "Sanctioned banks", "text": "Banks were sanctioned. Exports fell."},
]
QUOTES_BEFORE = [{"article_id": "gone", "text": "sanctions will fail", "start": 0, "end": 5, "speaker": "Li", "kind": "full"},
                 {"article_id": "kept", "text": "trade is growing", "start": 0, "end": 5, "speaker": "Xi", "kind": "full"}]
QUOTES_AFTER = [QUOTES_BEFORE[1],
                {"article_id": "new", "text": "sanctions will bite", "start": 0, "end": 5, "speaker": "Wang", "kind": "full"}]
EVENTS_AFTER = [{"article_id": "changed", "date": "2024", "actors": ["Gazprom"], "summary": "deal signed", "start": 0,
                 "end": 9}]


def contents(folder) -> dict:
    with sqlite3.connect(folder / INDEX_FILE) as connection:
        return {
            "documents": sorted(connection.execute("SELECT article_id, story, title FROM documents")),
            "quotes": sorted(connection.execute("SELECT article_id, speaker, text FROM quotes")),
            "events": sorted(connection.execute("SELECT article_id, actors, summary FROM events")),
        }


QUERIES = ["sanction", "oil", "gas", "exports", "trade", "signed deal", "wang", "gazprom", "li", "fail"]


def answers(folder) -> dict:
    index = SearchIndex.open(folder)
    return {(kind, query): (index.count(kind, query), sorted(map(str, index.hits(kind, query, 50)["article_id"])))
            for query in QUERIES for kind in ("articles", "quotes", "events")}


def test_updating_the_last_index_gives_what_a_fresh_build_gives(tmp_path):
    last, updated, fresh = tmp_path / "last", tmp_path / "updated", tmp_path / "fresh"
    for folder in (last, updated, fresh):
        folder.mkdir()
    assert not search_index.build({"articles": from_rows(BEFORE, "articles"), "quotes": from_rows(QUOTES_BEFORE, "quotes")},
                                  last / INDEX_FILE)
    after = {"articles": from_rows(AFTER, "articles"), "quotes": from_rows(QUOTES_AFTER, "quotes"),
             "events": from_rows(EVENTS_AFTER, "events")}
    assert search_index.build(after, updated / INDEX_FILE, previous=last / INDEX_FILE)
    search_index.build(after, fresh / INDEX_FILE)
    assert contents(updated) == contents(fresh)
    assert ("copy", "copy", "Oil") in contents(updated)["documents"]  # the story moved with its first copy
    assert answers(updated) == answers(fresh)
    assert answers(updated)[("articles", "sanction")] == (3, ["changed", "copy", "new"])
    assert answers(updated)[("quotes", "fail")] == (0, [])


def test_an_unreadable_last_index_is_rebuilt(tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"\0" * 4096)
    assert not search_index.build({"articles": from_rows(AFTER, "articles")}, tmp_path / INDEX_FILE, previous=broken)
    assert SearchIndex.open(tmp_path).count("articles", "sanctioned") == 3


def test_an_index_of_another_stemmer_is_rebuilt(tmp_path):
    last = tmp_path / "last.sqlite"
    search_index.build({"articles": from_rows(BEFORE, "articles")}, last)
    with sqlite3.connect(last) as connection:
        connection.execute("UPDATE settings SET value = 'another stemmer' WHERE name = 'stemmer'")
    assert not search_index.build({"articles": from_rows(AFTER, "articles")}, tmp_path / INDEX_FILE, previous=last)
    assert SearchIndex.open(tmp_path).count("articles", "sanctioned") == 3
