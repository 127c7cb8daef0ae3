"""sources.csv read row by row: date forms, CSV dialects, and one problem per bad row, by line."""

from __future__ import annotations

import pytest

from lib.read.corpus import read_corpus, read_sources
from lib.read.sources import parse_sources, read_date, separator_of

BODY = "China and Russia signed a trade deal on Wednesday. Both sides praised it."


@pytest.mark.parametrize(
    ("written", "expected", "how"),
    [
        ("2023-05-24", "2023-05-24", "iso"),
        (" 2023-05-24 ", "2023-05-24", "iso"),
        ("24/05/2023", "2023-05-24", "other"),
        ("05/24/2023", "2023-05-24", "other"),
        ("24.05.2023", "2023-05-24", "other"),
        ("May 24, 2023", "2023-05-24", "other"),
        ("24 May 2023", "2023-05-24", "other"),
        ("Sep 3, 2023", "2023-09-03", "other"),
        ("Wednesday, May 24, 2023", "2023-05-24", "other"),
        ("2023/05/24", "2023-05-24", "other"),
        ("2023-05-24T10:00Z", "2023-05-24", "other"),
        ("2023-05-24T23:30:00-05:00", "2023-05-24", "other"),  # the date as written, not moved to UTC
        ("2023-05-24 10:00", "2023-05-24", "other"),
        ("04/04/2023", "2023-04-04", "other"),  # both orders give the same day
        ("03/04/2023", None, "ambiguous"),
        ("12/11/2023", None, "ambiguous"),
        ("not a date", None, "malformed"),
        ("31/02/2023", None, "malformed"),
        ("2023", None, "malformed"),
        ("", None, "empty"),
    ],
)
def test_date_forms(written, expected, how):
    assert read_date(written) == (expected, how)


HEADER = ["file", "title", "outlet", "published", "url"]
ROW = ["a.txt", "Deal, signed", "Example News", "2023-05-24", "https://example.com/a"]


def _csv(separator: str, header: list[str] = HEADER, row: list[str] = ROW) -> str:
    quoted = [f'"{cell}"' if separator in cell or "," in cell else cell for cell in row]
    return separator.join(header) + "\n" + separator.join(quoted) + "\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("comma", _csv(",")),
        ("semicolon", _csv(";")),
        ("tab", _csv("\t")),
        ("pipe", _csv("|")),
        ("windows line ends", _csv(",").replace("\n", "\r\n")),
        ("old mac line ends", _csv(";").replace("\n", "\r")),
        ("byte order mark", "\ufeff" + _csv(",")),
        ("columns in another order", "url,published,outlet,title,file\n"
                                     'https://example.com/a,2023-05-24,Example News,"Deal, signed",a.txt\n'),
        ("extra columns", "notes,file,title,outlet,published,url,rating\n"
                          'kept,a.txt,"Deal, signed",Example News,2023-05-24,https://example.com/a,5\n'),
        ("upper-case header with spaces", " File ; Title;OUTLET ;Published;URL\n"
                                          "a.txt;Deal, signed;Example News;2023-05-24;https://example.com/a\n"),
        ("blank lines", "\n" + _csv(",") + "\n\n"),
        ("a quoted title over two lines", 'file,title,outlet,published,url\na.txt,"Deal,\nsigned",Example News,'
                                          "2023-05-24,https://example.com/a\n"),
    ],
)
def test_csv_dialects_give_the_same_row(name, text):
    frame, problems = parse_sources(text)
    assert problems == [], name
    row = frame.loc["a.txt"]
    assert [row["title"], row["outlet"], row["published"], row["url"]] == ROW[1:], name


@pytest.mark.parametrize(("header", "expected"), [("file,title", ","), ("file;title;outlet", ";"),
                                                  ("file\ttitle", "\t"), ("file", ",")])
def test_separator_of_the_header(header, expected):
    assert separator_of(header) == expected


def test_one_malformed_row_is_reported_with_its_line_and_the_others_are_used():
    text = ("file,title,outlet,published,url\n"
            "a.txt,Deal,Wire,2023-05-24,\n"
            'b.txt,"An unclosed title,Daily,2023-05-25,\n'
            "c.txt,Talks,Post,2023-05-26,\n"
            "d.txt,Too,many,2023-05-27,,cells\n"
            "e.txt,Last,Herald,2023-05-28,\n")
    frame, problems = parse_sources(text)
    assert sorted(frame.index) == ["a.txt", "c.txt", "e.txt"]
    assert frame.loc["e.txt", "outlet"] == "Herald" and frame.loc["c.txt", "line"] == 4
    assert [(p.line, p.file) for p in problems] == [(3, "sources.csv"), (5, "sources.csv")]
    assert "unbalanced quote" in problems[0].reason and "An unclosed title" in problems[0].reason
    assert "6 cells where the header has 5" in problems[1].reason and "d.txt,Too" in problems[1].reason
    assert str(problems[0]).startswith("sources.csv line 3: malformed row")


def test_a_stray_quote_closing_late_costs_only_its_own_row():
    text = ('file,title,outlet,published\na.txt,"Open,Wire,2023-05-24\nb.txt,"Quoted, title",Daily,2023-05-25\n'
            "c.txt,Talks,Post,2023-05-26\n")
    frame, problems = parse_sources(text)
    assert sorted(frame.index) == ["b.txt", "c.txt"] and frame.loc["b.txt", "title"] == "Quoted, title"
    assert [p.line for p in problems if p.line] == [2]


def test_date_warnings_and_repeated_rows_name_their_line():
    text = ("file,published\na.txt,24/05/2023\nb.txt,03/04/2023\nc.txt,someday\na.txt,2023-01-01\n")
    frame, problems = parse_sources(text)
    assert frame["published"].to_dict() == {"a.txt": "2023-05-24", "b.txt": "", "c.txt": ""}
    reasons = {p.line: p.reason for p in problems if p.line}
    assert "a.txt: date '24/05/2023' read as 2023-05-24" in reasons[2]
    assert "b.txt: ambiguous date '03/04/2023' (2023-03-04 or 2023-04-03?)" in reasons[3]
    assert "c.txt: malformed date 'someday'" in reasons[4]
    assert "a.txt: listed twice, the first row (line 2) is used" in reasons[5]


@pytest.mark.parametrize(("text", "reason"), [("", "is empty"), ("title;outlet\nx;y\n", "no 'file' column"),
                                              ('"file,title\na.txt,x\n', "header row cannot be read")])
def test_a_file_without_usable_header_is_ignored_with_one_message(text, reason):
    frame, problems = parse_sources(text)
    assert frame.empty and len(problems) == 1 and reason in problems[0].reason


def test_a_listed_file_that_does_not_exist_is_reported_with_its_line_even_after_a_broken_row(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sources.csv").write_bytes(
        "\ufefffile;outlet;published\r\nghost.txt;Nobody;2023-01-01\r\n\"a.txt;Wire;2023-05-24\r\n"
        "a.txt;Wire;24 May 2023\r\n".encode())
    articles, problems = read_corpus(tmp_path)
    assert articles.loc[0, "outlet"] == "Wire" and articles.loc[0, "published"] == "2023-05-24"
    shown = [str(p) for p in problems]
    assert shown.count("sources.csv line 2: ghost.txt: no such article file") == 1
    assert sum("line 3: malformed row" in s for s in shown) == 1
    assert sum("line 4: a.txt: date '24 May 2023' read as 2023-05-24" in s for s in shown) == 1


def test_sources_in_another_encoding_are_decoded(tmp_path):
    (tmp_path / "sources.csv").write_bytes("file,title,outlet,published,url\na.txt,Café diplomacy,,,\n".encode("cp1252"))
    frame, problems = read_sources(tmp_path)
    assert problems == [] and frame.loc["a.txt", "title"] == "Café diplomacy"
