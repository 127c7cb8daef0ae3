"""Adding articles: the checks of lib.run.ingest, merging into the tables, and the "Add articles" page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from lib.contract.tableio import read_manifest, read_tables
from lib.run import ingest
from lib.run.preprocess import run
from tests.conftest import SEEDS, page

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


def test_added_articles_are_merged_replaced_and_survive_a_rebuild(data):
    before = read_manifest(data)
    folder = ingest.added_folder(data)
    path = ingest.save_pasted(folder, ARTICLE, title="Summit", outlet="Example News", published="2024-05-16")
    steps = []
    manifest = ingest.add_articles(data, [path], progress=lambda done, total, what: steps.append((done, total)))
    assert steps[-1] == (1, 1)
    assert manifest["data_version"] != before["data_version"]
    tables = read_tables(data)
    row = tables["articles"].set_index("article_id").loc["summit"]
    assert (row["title"], row["outlet"], row["published"]) == ("Summit", "Example News", "2024-05-16")
    assert len(tables["articles"]) == before["rows"]["articles"] + 1
    assert "Vladimir Putin" in set(tables["quotes"].loc[tables["quotes"]["article_id"] == "summit", "speaker"])
    assert {"Vladimir Putin", "Xi Jinping"} <= set(tables["actors"].loc[tables["actors"]["article_id"] == "summit", "actor"])
    assert tables["figures"]["fact_id"].notna().all()
    assert not (SEEDS / "summit.txt").exists() and (data / "added" / "summit.txt").exists()

    path.write_text(ARTICLE.replace("Thursday", "Friday"), encoding="utf-8")
    ingest.add_articles(data, [path])
    again = read_tables(data)
    assert (again["articles"]["article_id"] == "summit").sum() == 1
    assert again["articles"].set_index("article_id").loc["summit", "text"].count("Friday") == 1
    assert len(again["quotes"]) == len(tables["quotes"])

    rebuilt = run(SEEDS, data, progress=False)
    assert "summit" in set(read_tables(data)["articles"]["article_id"])
    assert rebuilt["rows"]["articles"] == before["rows"]["articles"] + 1


def test_the_same_text_twice_is_not_added_again(data):
    seed = next(SEEDS.glob("*.txt"))
    saved, _ = ingest.save_uploads(ingest.added_folder(data), [(seed.name, seed.read_bytes())],
                                   existing_ids=articles_of(data).index)
    manifest = ingest.add_articles(data, saved)
    assert "same text as article" in manifest["added_problems"][0]
    assert len(articles_of(data)) == read_manifest(data)["rows"]["articles"] == 5
    assert not saved[0].exists()


# --- the page ------------------------------------------------------------------------------------


def paste(at, text: str, title: str = "", outlet: str = "", published: str = ""):
    at.text_input(key="add_title").input(title)
    at.text_input(key="add_outlet").input(outlet)
    at.text_input(key="add_date").input(published)
    at.text_area(key="add_text").input(text)
    at.button(key="add_text_submit").click()
    return at.run()


def test_pasted_article_appears_in_the_articles_table(data):
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
def test_bad_input_is_refused_with_a_message(data, text, published, message):
    before = articles_of(data)
    at = paste(page("add").run(), text, title="Bad", published=published)
    assert not at.exception
    assert at.error and message in at.error[0].value.replace("\\", "")
    assert len(articles_of(data)) == len(before)
    assert not any(ingest.added_folder(data).glob("*.txt"))
