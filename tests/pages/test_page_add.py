"""Adding articles: the checks of lib.run.ingest, merging into the tables, and the "Add articles" page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lib.contract.tableio import read_manifest, read_tables
from lib.run import ingest, preprocess
from lib.run.preprocess import run
from tests.conftest import SEEDS, page
from tests.run.test_preprocess import assert_same_tables

ARTICLE = (
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing on Thursday. "
    "\u201cOur ties are at their best in history,\u201d Putin said. "
    "Bilateral trade reached $240 billion in 2023, officials said."
)


@pytest.fixture
def data(seed_tables, tmp_path, monkeypatch) -> Path:
    """A writable copy of the preprocessed seeds, served by the dashboard."""
    folder = tmp_path / "data"
    shutil.copytree(seed_tables, folder)
    monkeypatch.setenv("DASHBOARD_DATA", str(folder))
    return folder


def articles_of(folder: Path) -> pd.DataFrame:
    return read_tables(folder)["articles"].set_index("article_id")


# --- lib.run.ingest ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\x\\news.HTML", "news.html"),
        (".hidden.md", "hidden.md"),
        ("Xi’s visit 2024 (final).md", "Xi_s_visit_2024_final.md"),
        ("a\x00b\n.txt", "ab.txt"),
    ],
)
def test_uploaded_names_are_reduced_to_a_safe_base_name(name, expected):
    assert ingest.safe_name(name) == expected


@pytest.mark.parametrize(("name", "reason"), [("run.exe", "not a"), ("notes", "not a"), ("....txt", "not a"), ("_ .txt", "no usable")])
def test_unusable_names_are_refused(name, reason):
    with pytest.raises(ingest.RejectedInput, match=reason):
        ingest.safe_name(name)


def test_names_already_used_get_a_number():
    assert ingest.unique_name("a.txt", {"a", "A-2", "b"}) == "a-3.txt"
    assert ingest.unique_name("c.md", {"a"}) == "c.md"


@pytest.mark.parametrize(("value", "expected"), [("", None), (" 2024-05-16 ", "2024-05-16")])
def test_valid_dates(value, expected):
    assert ingest.valid_date(value) == expected


@pytest.mark.parametrize(("value", "reason"), [("16/05/2024", "YYYY-MM-DD"), ("2024-02-30", "does not exist"),
                                                ("2024-5-6", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD")])
def test_malformed_dates_are_refused(value, reason):
    with pytest.raises(ingest.RejectedInput, match=reason):
        ingest.valid_date(value)


def test_uploads_are_checked_one_by_one(tmp_path):
    folder = tmp_path / "added"
    files = [
        ("../evil.txt", ARTICLE.encode()),
        ("seed.txt", ARTICLE.encode() + b" More."),
        ("big.txt", b"a" * (ingest.MAX_FILE_BYTES + 1)),
        ("bin.txt", b"\x00\x01\x02" * 100),
        ("empty.md", b"  \n"),
        ("tool.exe", b"MZ"),
    ]
    saved, problems = ingest.save_uploads(folder, files, existing_ids=["seed"], outlet="Example\nNews")
    assert [p.name for p in saved] == ["evil.txt", "seed-2.txt"]
    reasons = {p.file: p.reason for p in problems}
    assert "too large" in reasons["big.txt"] and "binary" in reasons["bin.txt"]
    assert "empty" in reasons["empty.md"] and "not a" in reasons["tool.exe"]
    assert sorted(p.name for p in folder.iterdir()) == ["evil.txt", "seed-2.txt", "sources.csv"]
    sources = pd.read_csv(folder / "sources.csv", dtype=str, keep_default_na=False)
    assert sources["outlet"].tolist() == ["Example News", "Example News"]


def test_too_many_files_are_refused_together(tmp_path):
    files = [(f"a{i}.txt", ARTICLE.encode()) for i in range(ingest.MAX_FILES + 1)]
    saved, problems = ingest.save_uploads(tmp_path / "added", files)
    assert saved == [] and f"at most {ingest.MAX_FILES}" in problems[0].reason
    assert not (tmp_path / "added").exists()


def test_adding_runs_the_command_line_pipeline_and_survives_a_rebuild(data):
    before = read_manifest(data)
    folder = ingest.added_folder(data)
    path = ingest.save_pasted(folder, ARTICLE, title="Summit", outlet="Example News", published="2024-05-16")
    manifest = ingest.add_articles(data, [path], address="203.0.113.9")
    assert manifest["data_version"] != before["data_version"]
    assert manifest["sources"] == [str(SEEDS.resolve()), str(folder.resolve())]  # the folders of the run
    assert manifest["cache"]["parsed"] == 1 and manifest["cache"]["reused"] == 5  # the article cache
    tables = read_tables(data)
    row = tables["articles"].set_index("article_id").loc["summit"]
    assert (row["title"], row["outlet"], row["published"]) == ("Summit", "Example News", "2024-05-16")
    assert len(tables["articles"]) == before["rows"]["articles"] + 1
    assert "Vladimir Putin" in set(tables["quotes"].loc[tables["quotes"]["article_id"] == "summit", "speaker"])
    assert tables["figures"]["fact_id"].notna().all()
    assert not (SEEDS / "summit.txt").exists() and (data / "added" / "summit.txt").exists()
    [entry] = ingest.log_entries(data)
    assert (entry["action"], entry["files"], entry["address"]) == ("add", ["summit.txt"], "203.0.113.9")
    assert entry["bytes"] == path.stat().st_size

    # the same tables as the command line builds from the same folders
    assert_same_tables(read_tables(data), preprocess.process([SEEDS, folder], progress=False)[0])
    rebuilt = run(SEEDS, data, progress=False)
    assert "summit" in set(read_tables(data)["articles"]["article_id"])
    assert rebuilt["rows"]["articles"] == before["rows"]["articles"] + 1


def test_removed_articles_leave_the_tables(data):
    path = ingest.save_pasted(ingest.added_folder(data), ARTICLE, title="Summit")
    ingest.add_articles(data, [path])
    removed, manifest = ingest.remove_articles(data, ["summit.txt", "../manifest.json", "unknown.txt"])
    assert removed == ["summit.txt"] and not path.exists()
    assert "summit" not in set(read_tables(data)["articles"]["article_id"])
    assert manifest["rows"]["articles"] == 5 and ingest.added_articles(data).empty
    assert [e["action"] for e in ingest.log_entries(data)] == ["add", "remove"]
    assert (data / "manifest.json").exists()


def test_the_same_text_twice_is_a_copy(data):
    seed = next(SEEDS.glob("*.txt"))
    saved, _ = ingest.save_uploads(ingest.added_folder(data), [(seed.name, seed.read_bytes())],
                                   existing_ids=articles_of(data).index)
    ingest.add_articles(data, saved)
    articles = articles_of(data)
    assert len(articles) == 6 and articles.loc[saved[0].stem, "copy_of"] == seed.stem


def test_tables_without_recorded_folders_are_not_rebuilt(data):
    manifest = read_manifest(data)
    del manifest["sources"]
    (data / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ingest.RejectedInput, match="which folders"):
        ingest.add_articles(data, [])


# --- the page ------------------------------------------------------------------------------------


def paste(at, text: str, title: str = "", outlet: str = "", published: str = ""):
    at.text_input(key="add_title").input(title)
    at.text_input(key="add_outlet").input(outlet)
    at.text_input(key="add_date").input(published)
    at.text_area(key="add_text").input(text)
    at.button(key="add_text_submit").click()
    return at.run()


@pytest.fixture
def open_adding(monkeypatch):
    monkeypatch.setenv("ADD_ARTICLES", "open")


def test_without_the_right_nothing_is_written(data, monkeypatch):
    monkeypatch.delenv("ADD_ARTICLES", raising=False)
    at = page("add").run()
    assert not at.exception
    assert "turned off" in at.info[0].value and not at.text_area
    monkeypatch.setenv("ADD_ARTICLES", "token")  # no token in the secrets: still nothing to write with
    at = page("add").run()
    assert not at.exception and not at.text_area and "none is kept" in at.info[0].value
    assert not ingest.added_folder(data).exists() and not (data / ingest.LOG_FILE).exists()


def test_token_unlocks_adding(data, monkeypatch):
    monkeypatch.setenv("ADD_ARTICLES", "token")
    at = page("add")
    at.secrets["add_token"] = "s3cret"
    at.run()
    assert not at.text_area
    at.text_input(key="add_token_input").input("wrong")
    at.button(key="add_token_submit").click()
    at.run()
    assert at.error and not at.text_area
    at.text_input(key="add_token_input").input("s3cret")
    at.button(key="add_token_submit").click()
    at.run()
    assert not at.exception and at.text_area
    at = paste(at, ARTICLE, title="Summit in Beijing")
    assert at.success and "summit_in_beijing" in set(articles_of(data).index)


def test_added_article_is_listed_and_removable_from_the_page(data, open_adding):
    at = paste(page("add").run(), ARTICLE, title="Summit in Beijing")
    assert "summit_in_beijing.txt" in at.dataframe[-1].value["file"].tolist()
    at.multiselect(key="add_remove").select("summit_in_beijing.txt")
    at.button(key="add_remove_submit").click()
    at.run()
    assert not at.exception and "Removed 1 article" in at.success[0].value
    assert "summit_in_beijing" not in set(articles_of(data).index)
    assert [e["action"] for e in ingest.log_entries(data)] == ["add", "remove"]


def test_pasted_article_appears_in_the_articles_table(data, open_adding):
    at = page("add").run()
    assert not at.exception
    at = paste(at, ARTICLE, title="Summit in Beijing", outlet="Example News", published="2024-05-16")
    assert not at.exception
    assert at.success and "Added 1 article" in at.success[0].value
    row = articles_of(data).loc["summit_in_beijing"]
    assert (row["title"], row["outlet"], row["published"]) == ("Summit in Beijing", "Example News", "2024-05-16")
    assert (data / "added" / "summit_in_beijing.txt").exists() and not (SEEDS / "summit_in_beijing.txt").exists()


@pytest.mark.parametrize(
    ("text", "published", "message"),
    [
        (ARTICLE, "16.05.2024", "YYYY-MM-DD"),
        (ARTICLE, "2024-02-30", "does not exist"),
        ("   \n ", "", "empty"),
        ("Putin and Xi met. " * 300_000, "", "too large"),
    ],
)
def test_bad_input_is_refused_with_a_message(data, text, published, message, open_adding):
    before = articles_of(data)
    at = paste(page("add").run(), text, title="Bad", published=published)
    assert not at.exception
    assert at.error and message in at.error[0].value.replace("\\", "")
    assert len(articles_of(data)) == len(before)
    assert not any(ingest.added_folder(data).glob("*.txt"))
