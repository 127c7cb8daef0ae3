"""Outlet names as one name per outlet, from a written name, an alias or a url's domain."""

from __future__ import annotations

import pytest

from lib.read import outlets


@pytest.mark.parametrize(
    ("written", "url", "expected"),
    [
        ("Xinhua News Agency", None, "Xinhua"),
        ("xinhua", None, "Xinhua"),
        ("  TASS ", None, "TASS"),
        ("ITAR-TASS", None, "TASS"),
        ("the Global Times", None, "Global Times"),
        ("New York Times", None, "The New York Times"),
        ("AP", None, "Associated Press"),
        ("", "https://english.news.cn/20240821/abc/c.html", "Xinhua"),
        (None, "https://www.scmp.com/economy/article/1", "South China Morning Post"),
        (None, "https://news.bgov.com/international-trade/x", "Bloomberg"),
        ("Reuters", "https://tass.com/x", "Reuters"),  # the written name wins over the domain
        ("Harbin Evening News", None, "Harbin Evening News"),  # unknown: kept as written
        (None, "https://example.org/story", None),
        (None, "not a url at all", None),
        (None, "http://[::1", None),  # malformed: no outlet, no error
        (None, None, None),
    ],
)
def test_canonical(written, url, expected):
    assert outlets.canonical(written, url) == expected


def test_a_subdomain_counts_but_a_lookalike_does_not():
    assert outlets.from_domain("https://amp.ft.com/content/1") == "Financial Times"
    assert outlets.from_domain("https://notft.com/content/1") is None


@pytest.mark.parametrize(
    ("name", "country", "ownership"),
    [("Xinhua", "China", "state"), ("TASS", "Russia", "state"), ("Vedomosti", "Russia", "private"),
     ("BBC", "United Kingdom", "public")],
)
def test_profile(name, country, ownership):
    assert outlets.profile(name)["country"] == country
    assert outlets.profile(name)["ownership"] == ownership


def test_unknown_outlet_has_an_empty_profile():
    assert outlets.profile("Harbin Evening News") == {"country": None, "ownership": None, "kind": None}
    assert outlets.profile(None)["kind"] is None


def test_every_listed_outlet_has_a_known_ownership_and_kind():
    from lib.contract.datafiles import read_csv

    for row in read_csv(outlets.OUTLETS_FILE):
        assert row["ownership"] in {"state", "public", "private"}, row["name"]
        assert row["kind"] in {"agency", "newspaper", "broadcaster", "online"}, row["name"]
