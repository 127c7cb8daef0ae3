"""The corpus reader: formats, encodings, sources.csv, and problems reported by file name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib.read import corpus
from lib.read.corpus import ReadMemo, derive_title, read_corpus, read_sources
from tests.conftest import SEEDS

corpus_read = corpus.read_article

BODY = "China and Russia signed a trade deal on Wednesday. Both sides praised it."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_seeds_are_read_unchanged_with_their_dates():
    articles, problems = read_corpus(SEEDS)
    assert problems == []
    assert len(articles) == 5
    for row in articles.itertuples():
        assert (SEEDS / row.file).read_text(encoding="utf-8").strip() == row.text
        assert row.published and not row.published_inferred
        assert row.title


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.txt", BODY),
        ("a.md", f"# Deal signed\n\n{BODY} See [the report](http://example.com).\n"),
        ("a.html", f"<html><head><title>Deal signed</title><script>alert(1)</script></head>"
                   f"<body><article><p>{BODY}</p></article></body></html>"),
        ("a.txt", BODY.encode("cp1252")),
        ("a.txt", ("\ufeff" + BODY).encode("utf-8")),
        ("a.txt", BODY.encode("utf-16")),
    ],
)
def test_formats_and_encodings_give_the_plain_text(tmp_path, name, content):
    write(tmp_path, name, content)
    articles, problems = read_corpus(tmp_path)
    assert problems == []
    text = articles.loc[0, "text"]
    assert "China and Russia signed a trade deal on Wednesday." in text
    assert "<" not in text and "alert" not in text and "http" not in text


def test_title_from_html_and_markdown(tmp_path):
    write(tmp_path, "a.html", f"<html><head><title>Deal signed</title></head><body><p>{BODY}</p></body></html>")
    write(tmp_path, "b.md", f"# Leaders meet\n\n{BODY.replace('trade', 'gas')}\n")
    articles, _ = read_corpus(tmp_path)
    assert articles.set_index("article_id")["title"].to_dict() == {"a": "Deal signed", "b": "Leaders meet"}


def test_latin1_text_is_decoded(tmp_path):
    write(tmp_path, "a.txt", "The café owner said that the président of the club was in Moscow.".encode("latin-1"))
    articles, problems = read_corpus(tmp_path)
    assert problems == [] and "président" in articles.loc[0, "text"]


def test_non_english_text_is_processed_and_flagged(tmp_path):
    write(tmp_path, "a.txt", "Председатель КНР Си Цзиньпин встретился с президентом России Владимиром Путиным.")
    articles, problems = read_corpus(tmp_path)
    assert len(articles) == 1
    assert "does not look like English" in problems[0].reason


def test_overlong_text_is_cut_at_a_paragraph_and_reported(tmp_path):
    paragraph = "China and Russia agreed to expand trade in energy and farm goods this year.\n"
    write(tmp_path, "long.txt", paragraph * 4000)
    articles, problems = read_corpus(tmp_path)
    text = articles.loc[0, "text"]
    assert len(text) <= 200_000 and text.endswith("this year.")
    assert "only the first" in problems[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [("", "empty"), ("   \n\t ", "empty"), (b"\x00\x01\x02\xff" * 50, "binary")],
)
def test_broken_file_is_reported_by_name_and_others_still_read(tmp_path, content, reason):
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "bad.txt", content)
    articles, problems = read_corpus(tmp_path)
    assert articles["article_id"].tolist() == ["good"]
    assert len(problems) == 1 and problems[0].file == "bad.txt" and reason in problems[0].reason


def test_a_copy_is_an_article_of_its_own_linked_to_the_first(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", BODY)
    write(tmp_path, "sources.csv", "file,title,outlet,published,url\n"
                                   "a.txt,Deal,Wire,2023-05-24,https://wire.example/deal\n"
                                   "b.txt,Deal signed,Daily,2023-05-25,https://daily.example/deal\n")
    articles, problems = read_corpus(tmp_path)
    rows = articles.set_index("article_id")
    assert problems == []
    assert rows["copy_of"].to_dict() == {"a": None, "b": "a"}
    assert rows.loc["b", ["title", "outlet", "published", "url"]].tolist() == [
        "Deal signed", "Daily", "2023-05-25", "https://daily.example/deal"]


def test_sources_csv_metadata_and_its_problems(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", BODY + " More.")
    write(tmp_path, "c.txt", "Xi Jinping will visit Moscow next week, the Kremlin said.")
    write(
        tmp_path,
        "sources.csv",
        "file,title,outlet,published\n"
        "a.txt,Deal,Example News,2023-05-24\n"
        "b.txt,,Other Daily,24/05/2023\n"
        "a.txt,Again,,2023-01-01\n"
        "c.txt,,,sometime\n"
        "ghost.txt,,,2023-01-01\n",
    )
    articles, problems = read_corpus(tmp_path)
    rows = articles.set_index("article_id")
    assert rows.loc["a", "title"] == "Deal" and rows.loc["a", "outlet"] == "Example News"
    assert rows.loc["a", "published"] == "2023-05-24"
    assert rows.loc["b", "published"] == "2023-05-24" and pd.isna(rows.loc["c", "published"])
    reasons = " | ".join(p.reason for p in problems)
    assert "no 'url' column" in reasons
    assert "b.txt: date '24/05/2023' read as 2023-05-24" in reasons
    assert "c.txt: malformed date" in reasons
    assert "listed twice" in reasons
    assert "ghost.txt: no such article file" in reasons


def test_unreadable_sources_csv_is_ignored_with_a_message(tmp_path):
    write(tmp_path, "sources.csv", "title;outlet\nx;y\n")
    frame, problems = read_sources(tmp_path)
    assert frame.empty and "no 'file' column" in problems[0].reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short lead. Second sentence.", "Short lead"),
        ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.",
         "One two three four five six seven eight nine ten eleven twelve thirteen fourteen…"),
    ],
)
def test_derive_title(text, expected):
    assert derive_title(text) == expected


def test_missing_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "nope")


def test_read_memo_gives_the_same_articles_and_problems_and_skips_unchanged_files(tmp_path, monkeypatch):
    write(tmp_path, "a.html", f"<html><head><title>Deal signed</title></head><body><p>{BODY}</p></body></html>")
    write(tmp_path, "b.txt", "Председатель КНР Си Цзиньпин встретился с президентом России Владимиром Путиным.")
    write(tmp_path, "c.txt", "")
    plain = read_corpus(tmp_path)
    memo = ReadMemo()
    first = read_corpus(tmp_path, memo)
    assert memo.changed and set(memo.used) == {"a.html", "b.txt"}
    read = []
    monkeypatch.setattr(corpus, "read_article", lambda path: read.append(path.name) or corpus_read(path))
    again = ReadMemo(memo.used)
    second = read_corpus(tmp_path, again)
    assert read == ["c.txt"] and not again.changed  # the broken file is tried again, nothing else
    for result in (first, second):
        pd.testing.assert_frame_equal(result[0], plain[0])
        assert result[1] == plain[1]


def test_read_memo_reads_a_changed_file_again_and_forgets_a_removed_one(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", BODY.replace("trade", "gas"))
    memo = ReadMemo()
    read_corpus(tmp_path, memo)
    write(tmp_path, "a.txt", BODY + " Putin also met Li Qiang.")
    (tmp_path / "b.txt").unlink()
    again = ReadMemo(memo.used)
    articles, _ = read_corpus(tmp_path, again)
    assert again.changed and set(again.used) == {"a.txt"}
    assert articles.loc[0, "text"].endswith("Putin also met Li Qiang.")


FRONT = """---
title: "Putin and Xi meet in Astana"
date: 2024-07-03
source: Example Wire
url: https://example.com/putin-xi-astana
---

# A heading

Putin met Xi in Astana on Wednesday.
"""


@pytest.mark.parametrize("name", ["a.md", "a.txt"])
def test_front_matter_gives_the_metadata_and_leaves_the_text(tmp_path, name):
    (tmp_path / name).write_text(FRONT, encoding="utf-8")
    row = read_corpus(tmp_path)[0].iloc[0]
    assert (row["title"], row["published"], row["outlet"], row["url"]) == (
        "Putin and Xi meet in Astana", "2024-07-03", "Example Wire", "https://example.com/putin-xi-astana")
    assert "---" not in row["text"] and "date:" not in row["text"] and "Putin met Xi in Astana" in row["text"]


def test_sources_csv_comes_before_front_matter_and_the_memo_keeps_it(tmp_path):
    (tmp_path / "a.md").write_text(FRONT, encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,title,outlet,published,url\na.md,,Listed Outlet,,\n", encoding="utf-8")
    memo = ReadMemo()
    first = read_corpus(tmp_path, memo)[0].iloc[0]
    again = read_corpus(tmp_path, ReadMemo(memo.used))[0].iloc[0]
    for row in (first, again):
        assert (row["outlet"], row["published"], row["title"]) == ("Listed Outlet", "2024-07-03",
                                                                   "Putin and Xi meet in Astana")


@pytest.mark.parametrize(
    "text",
    ["---\njust: [unclosed\n---\nPutin met Xi.", "---\n- a list\n---\nPutin met Xi.", "--- a rule\nPutin met Xi.",
     "Putin met Xi.\n---\ntitle: later\n---\n"],
)
def test_what_is_not_front_matter_stays_in_the_text(text):
    front, rest = corpus.split_front_matter(text)
    assert front == {} and rest == text


WIRE = (Path(__file__).parents[1] / "fixtures" / "bad_corpus" / "wire_story.txt").read_text(encoding="utf-8")


def test_a_near_copy_is_linked_and_keeps_its_own_text_and_metadata(tmp_path):
    write(tmp_path, "a_wire.txt", WIRE)
    write(tmp_path, "b_daily.txt", WIRE.replace("Russia and China sign gas supply deal", "Pipeline pact sealed")
          + "\nAnalysts said the deal would help Russia make up for gas sales lost in Europe.\n")
    write(tmp_path, "c_other.txt", BODY)
    write(tmp_path, "sources.csv", "file,outlet,published\nb_daily.txt,Daily,2024-05-17\n")
    memo = ReadMemo()
    for articles in (read_corpus(tmp_path, memo)[0], read_corpus(tmp_path, ReadMemo(memo.used))[0]):
        rows = articles.set_index("article_id")
        assert rows["copy_of"].to_dict() == {"a_wire": None, "b_daily": "a_wire", "c_other": None}
        assert rows.loc["b_daily", "text"].startswith("Pipeline pact sealed")
        assert (rows.loc["b_daily", "outlet"], rows.loc["b_daily", "published"]) == ("Daily", "2024-05-17")


PAGE = ("<!DOCTYPE html><html><head><title>Lavrov in Beijing</title><script>var t = \"tracking\";</script></head>"
        "<body><p>Lavrov met Wang Yi in Beijing on Monday.</p><p>\"We are partners,\" Lavrov said.</p></body></html>")
FRAGMENT = ("Lavrov met Wang Yi in Beijing on Monday, <a href=\"https://example.com/x\" title=\"the source\">the "
            "ministry said</a>.\n<script>document.write(\"injected\")</script>\n\"We are partners,\" Lavrov said. "
            "<img src=x onerror=\"alert('pwned')\">\n")


@pytest.mark.parametrize(("name", "content"), [("page.txt", PAGE), ("fragment.txt", FRAGMENT),
                                               ("crlf.txt", FRAGMENT.replace("\n", "\r\n"))])
def test_markup_pasted_into_a_text_file_is_read_as_html(tmp_path, name, content):
    write(tmp_path, name, content)
    articles, problems = read_corpus(tmp_path)
    text = articles.loc[0, "text"]
    assert problems == []
    assert "Lavrov met Wang Yi in Beijing on Monday" in text and '"We are partners," Lavrov said.' in text
    for leftover in ("<", "href", "https", "the source", "alert", "pwned", "injected", "tracking", "onerror"):
        assert leftover not in text, leftover
    assert len(text.split("\n")) >= 2  # the fragment's lines stay paragraphs


@pytest.mark.parametrize("text", ["Trade rose when a < b and c > d.", "He wrote <Russia> in brackets.",
                                  "Prices: <10% and >5%."])
def test_angle_brackets_in_plain_text_are_not_markup(tmp_path, text):
    write(tmp_path, "a.txt", BODY + "\n" + text)
    assert read_corpus(tmp_path)[0].loc[0, "text"].endswith(text)


def test_outlets_are_named_one_way_from_sources_csv_or_the_url(tmp_path):
    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.txt").write_text(f"Story {name} about Moscow and Beijing trade talks.\n", encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        "file,title,outlet,published,url\n"
        "a.txt,,Xinhua News Agency,2024-05-16,\n"
        "b.txt,,xinhua,2024-05-16,\n"
        "c.txt,,,2024-05-16,https://english.news.cn/20240516/x.html\n"
        "d.txt,,Harbin Evening News,2024-05-16,\n",
        encoding="utf-8",
    )
    articles, _ = read_corpus(tmp_path)
    assert dict(zip(articles["article_id"], articles["outlet"])) == {
        "a": "Xinhua", "b": "Xinhua", "c": "Xinhua", "d": "Harbin Evening News"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MOSCOW, Sept. 3, 2024 (Reuters) - Envoys met. More follows.", "Envoys met"),
        ("Talks in the U.S. capital ended. Later, more.", "Talks in the U.S. capital ended"),
        ("Gen. Ivanov arrived in Oct. for talks. He left.", "Gen. Ivanov arrived in Oct. for talks"),
        ("BEIJING (AP) \u2014 The two sides signed a deal. Then they left.", "The two sides signed a deal"),
        ("Trade rose. Exports fell.", "Trade rose"),
    ],
)
def test_derived_title_never_cuts_at_an_abbreviation(text, expected):
    assert derive_title(text) == expected
