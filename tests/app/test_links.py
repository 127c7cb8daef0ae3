"""Shareable links: URL parameters checked per page, notices for what a link loses, the link box."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest

from app import links
from lib.contract.tableio import read_manifest
from tests.conftest import page

SCRIPT = "<script>window.__x=1</script>"
IMG = "<img src=x onerror=alert(1)>"
ARTICLE = "003_8d543dddf1d6987b"


# --- the pure checks ------------------------------------------------------------------------------

PARAMS = [
    links.choice("actor", ["Xi Jinping", "Vladimir Putin"], many=True),
    links.day("dates", dt.date(2020, 1, 1), dt.date(2024, 12, 31), most=2),
    links.number("top", 5, 40),
    links.number("period", 2020, 2024, values=2),
    links.flag("hide"),
    links.text("q"),
]


@pytest.mark.parametrize(
    "given, dropped",
    [
        ({"actor": ["Xi Jinping", "Vladimir Putin"], "q": ["no limits"]}, {}),
        ({"actor": ["Xi Jinping", SCRIPT]}, {"actor": [SCRIPT]}),
        ({"dates": ["2023-05-01", "2023-13-45"]}, {"dates": ["2023-05-01", "2023-13-45"]}),  # half a range: none
        ({"dates": ["1850-01-01", "2023-05-01"]}, {"dates": ["1850-01-01", "2023-05-01"]}),
        ({"dates": ["2023-05-01"]}, {}),  # a range being picked: its start alone
        ({"dates": ["1700-01-01"]}, {"dates": ["1700-01-01"]}),
        ({"dates": ["2021-01-01", "2022-01-01", "2023-01-01"]}, {"dates": ["2021-01-01", "2022-01-01", "2023-01-01"]}),
        ({"top": ["12"]}, {}),
        ({"top": ["4"]}, {"top": ["4"]}),
        ({"top": ["ten"]}, {"top": ["ten"]}),
        ({"period": ["2021"]}, {"period": ["2021"]}),  # a range needs both ends
        ({"period": ["2021", "2023"]}, {}),
        ({"hide": ["maybe"]}, {"hide": ["maybe"]}),
        ({"q": [SCRIPT]}, {"q": [SCRIPT]}),
        ({"q": ["x" * 500]}, {"q": ["x" * 500]}),
        ({"foo": ["bar"], "v": ["abc"], "embed": ["true"]}, {"foo": ["bar"]}),
    ],
)
def test_invalid_values_are_found(given, dropped):
    assert links.invalid_values(PARAMS, given) == dropped


def test_link_query_has_a_stable_order_and_the_version_last():
    given = {"q": ["trade"], "v": ["old"], "actor": ["Xi Jinping", "Vladimir Putin"], "top": ["7"]}
    query = links.link_query(PARAMS, given, "abc123")
    assert parse_qsl(query) == [
        ("actor", "Xi Jinping"), ("actor", "Vladimir Putin"), ("top", "7"), ("q", "trade"), ("v", "abc123")
    ]
    reordered = dict(reversed(list(given.items())))
    assert links.link_query(PARAMS, reordered, "abc123") == query


@pytest.mark.parametrize("value", [SCRIPT, IMG, "[click](javascript:alert(1))", "**bold** :smile: $x$"])
def test_escaped_values_carry_no_markup(value):
    shown = links.escape_markdown(value)
    for special in "<>[]()*$:":
        assert special not in shown.replace("\\" + special, "")


# --- every page -----------------------------------------------------------------------------------

# page, valid parameters, and how the page shows them
VALID = {
    "overview": ({"top": "6"}, lambda at: at.slider(key="top").value == 6),
    "article": ({"article": ARTICLE, "at": "200", "view": "Quotes"},
                lambda at: at.selectbox(key="article").value == ARTICLE and "id=\"focus\"" in at.get("html")[0].proto.body),
    "timeline": ({"actor": "Xi Jinping", "color": "actor"},
                 lambda at: at.multiselect(key="actor").value == ["Xi Jinping"] and at.radio(key="color").value == "actor"),
    "charts": ({"metric": "energy_supply", "top": "5", "view": "Actor attention"},
               lambda at: at.multiselect(key="metric").value == ["energy_supply"] and at.slider(key="top").value == 5),
    "quotes": ({"q": "unprecedented", "kind": "full"},
               lambda at: set(at.dataframe[0].value["speaker"]) == {"Mikhail Mishustin"}),
    "compare": ({"src": ["AFP", "Bloomberg"], "view": "Quotes"},
                lambda at: at.multiselect(key="src").value == ["AFP", "Bloomberg"]),
}

# page, an invalid value for one of its parameters (besides the unknown-name and markup cases)
INVALID = {
    "overview": {"top": "400"},
    "article": {"article": SCRIPT, "at": "-5"},
    "timeline": {"dates": "2023-02-30", "actor": IMG},
    "charts": {"metric": IMG, "period": ["1999", "2099"]},
    "quotes": {"q": SCRIPT, "speaker": IMG, "from": "yesterday"},
    "compare": {"src": SCRIPT, "view": "Everything"},
}


def link_box(at) -> str:
    return next(c.value for c in at.code if "v=" in c.value or c.value.startswith("/"))


def run_with(name: str, params: dict):
    at = page(name)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("name", list(VALID))
def test_valid_parameters_set_the_view_and_the_link_box(app_data, name):
    params, shows = VALID[name]
    at = run_with(name, params)
    assert not at.exception
    assert not at.warning
    assert shows(at)
    box = urlsplit(link_box(at))
    assert box.path.endswith(name)
    given = parse_qsl(box.query)
    assert given[-1] == ("v", read_manifest(app_data)["data_version"])
    assert set(given[:-1]) == {(k, v) for k, values in params.items() for v in ([values] if isinstance(values, str) else values)}


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_parameters_are_dropped_with_one_notice(app_data, name):
    bad = {**INVALID[name], "foo": "bar"}
    at = run_with(name, bad)
    assert not at.exception
    assert len(at.warning) == 1
    notice = at.warning[0].value
    assert "left out" in notice and "**foo**" in notice
    for key in INVALID[name]:
        assert f"**{key}**" in notice
    unescaped = notice.replace("\\<", "")
    assert "<script" not in unescaped and "<img" not in unescaped  # shown escaped, never as markup
    assert not set(bad) & set(at.query_params)  # and gone from the URL


@pytest.mark.parametrize("name", list(VALID))
def test_a_link_made_on_other_data_says_so(app_data, name):
    at = run_with(name, {"v": "0123456789"})
    assert not at.exception
    assert "another version of the data" in at.info[0].value
    assert at.query_params["v"] == read_manifest(app_data)["data_version"]


def test_default_values_stay_out_of_the_link(app_data):
    at = run_with("article", {"article": "000_f8826f36ca02cb74"})  # the first article is the default
    assert not at.exception
    assert "article" not in at.query_params
    assert parse_qsl(urlsplit(link_box(at)).query)[0][0] == "v"


def test_choosing_another_article_drops_the_old_offset(app_data):
    at = run_with("article", {"article": ARTICLE, "at": "200"})
    at.selectbox(key="article").set_value("001_c082953bc7ab4014").run()
    assert not at.exception
    assert at.query_params["article"] == "001_c082953bc7ab4014" and "at" not in at.query_params
