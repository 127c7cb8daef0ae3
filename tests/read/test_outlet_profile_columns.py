"""The `articles` table carries each article's outlet profile (country, ownership, kind) from the
outlets data file, and nulls for an outlet the file does not know."""

from __future__ import annotations

import pytest

from lib.read.corpus import read_corpus

TEXT = "Trade between the two countries grew again this spring, officials in both capitals said on Monday.\n"
SOURCES = """file,title,outlet,published,url
tass.txt,One,ITAR-TASS,2024-01-02,
xinhua.txt,Two,,2024-01-03,https://english.news.cn/2024/abc.html
reuters.txt,Three,Reuters,2024-01-04,
local.txt,Four,Harbin Evening News,2024-01-05,
none.txt,Five,,2024-01-06,
"""


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profiles")
    for name in ("tass", "xinhua", "reuters", "local", "none"):
        (folder / f"{name}.txt").write_text(f"{name.title()} reports. {TEXT}", encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    frame, problems = read_corpus(folder)
    assert not problems
    return frame.set_index("article_id")


@pytest.mark.parametrize(
    ("article", "outlet", "profile"),
    [
        ("tass", "TASS", ("Russia", "state", "agency")),  # an alias
        ("xinhua", "Xinhua", ("China", "state", "agency")),  # known from the url's domain
        ("reuters", "Reuters", ("United Kingdom", "private", "agency")),
        ("local", "Harbin Evening News", (None, None, None)),  # not in the file: kept, no profile
        ("none", None, (None, None, None)),
    ],
)
def test_each_article_carries_its_outlet_profile(articles, article, outlet, profile):
    row = articles.loc[article]
    assert row["outlet"] == outlet
    assert (row["outlet_country"], row["outlet_ownership"], row["outlet_kind"]) == profile
