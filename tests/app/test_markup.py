"""app.markup: every HTML-building function keeps hostile text as text.

Each function gets a hostile string in every untrusted place. The HTML it returns is parsed: only
the markup's own tags and attributes may appear, no event handler, no `javascript:` link, and the
hostile string comes back whole as text a reader sees.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pandas as pd
import pytest

from app import markup

HOSTILE = [
    "<script>alert(1)</script>",
    '" onerror="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "</div><a href='javascript:alert(1)'>x</a> & &amp;",
]
OWN_TAGS = {"div", "span", "b", "br", "mark", "a"}
OWN_ATTRIBUTES = {"style", "title", "href", "target", "id", "class"}


class Parsed(HTMLParser):
    """The tags, attributes and text of an HTML fragment, as a browser would read them."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.pieces: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.pieces.append(data)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def assert_inert(fragment: str, hostile: str, shown: str | None = None) -> Parsed:
    """`fragment` holds only the markup's own tags and attributes, and shows `shown` (default:
    `hostile`) as text."""
    parsed = Parsed(fragment)
    for tag, attrs in parsed.tags:
        assert tag in OWN_TAGS, f"unexpected <{tag}> in {fragment!r}"
        assert set(attrs) <= OWN_ATTRIBUTES, f"unexpected attribute {set(attrs) - OWN_ATTRIBUTES} in {fragment!r}"
        assert not str(attrs.get("href") or "").strip().lower().startswith("javascript:")
        assert "javascript:" not in str(attrs.get("style") or "")
    assert (shown if shown is not None else hostile) in parsed.text.replace("\n", " ")
    return parsed


@pytest.mark.parametrize("hostile", HOSTILE)
def test_text_leaves_no_tag(hostile):
    escaped = markup.text(hostile)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped and "'" not in escaped
    assert Parsed(escaped).text == hostile
    assert markup.texts([hostile, None]) == [escaped, ""]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_wrapped_breaks_lines_and_escapes(hostile):
    long = f"{hostile} " + "word " * 30
    parsed = Parsed(markup.wrapped(long, width=40))
    assert {tag for tag, _ in parsed.tags} <= {"br"}
    assert len(parsed.tags) >= 3  # the lines are broken
    assert hostile.replace(" ", "") in parsed.text.replace(" ", "")


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("focus", [None, (0, 12)])
def test_highlight_marks_mentions_and_keeps_text_as_text(hostile, focus):
    article = f"Putin said {hostile} to Xi."
    inside = article.index(hostile)
    mentions = pd.DataFrame([
        {"start": 0, "end": 5, "actor": hostile, "actor_type": hostile},
        {"start": inside, "end": inside + len(hostile), "actor": "Quoted", "actor_type": "person"},  # marked text
        {"start": len(article) - 3, "end": len(article) - 1, "actor": "Xi Jinping", "actor_type": "person"},
    ])
    body = markup.highlight(article, mentions, focus)
    parsed = assert_inert(body, hostile)
    marks = [attrs for tag, attrs in parsed.tags if tag == "mark"]
    assert len(marks) == 3 and marks[0]["title"] == hostile  # the attribute holds the name, not markup
    assert ("article-focus" in body) == (focus is not None)


def test_highlight_skips_overlapping_and_out_of_range_mentions():
    mentions = pd.DataFrame([
        {"start": 0, "end": 5, "actor": "Vladimir Putin", "actor_type": "person"},
        {"start": 3, "end": 8, "actor": "Other", "actor_type": "person"},
        {"start": 50, "end": 60, "actor": "Far", "actor_type": "country"},
    ])
    body = markup.highlight("Putin met Xi.", mentions)
    assert body.count("<mark") == 1 and "Vladimir Putin" in body


def quote(**changes) -> dict:
    return {"text": "We are partners", "speaker_label": "Wang Yi", "cue": "said", "addressee": "Sergei Lavrov",
            "kind": "full", "title": "Talks in Beijing", "article_id": "a1", "source": "Xinhua",
            "date": "2024-03-01 (inferred)"} | changes


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("field", ["text", "speaker_label", "cue", "addressee", "kind", "title", "source", "date"])
def test_quote_card_escapes_every_field(hostile, field):
    card = markup.quote_card(quote(**{field: hostile}), "article?article=a1&at=3")
    parsed = assert_inert(card, hostile)
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs[-1] == "article?article=a1&at=3"
    assert all(h.startswith("actor?name=") for h in hrefs[:-1])  # the speaker's page, when named


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JavaScript:alert(1)", "//evil.example/x",
                                  "https://evil.example/", '" onclick="alert(1)'])
def test_quote_card_links_only_to_dashboard_pages(link):
    parsed = assert_inert(markup.quote_card(quote(), link), "We are partners")
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a" and not attrs["href"].startswith("actor?")]
    assert hrefs in (["#"], ['" onclick="alert(1)'])  # a relative link stays one attribute value


@pytest.mark.parametrize("hostile", HOSTILE)
def test_marked_wording_highlights_flagged_words_as_text(hostile):
    body = markup.marked_wording([(hostile, True), ("and", False), (hostile, False)])
    parsed = assert_inert(body, hostile)
    assert sum(tag == "span" for tag, _ in parsed.tags) == 1


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("slot", ["unit", "metric", "period", "kind", "sources", "sentence"])
def test_figure_hover_escapes_every_piece(hostile, slot):
    pieces = {"value": 190e9, "unit": "USD", "metric": "bilateral trade", "period": "2023-Q1", "kind": "actual",
              "n_sources": 2, "sources": "Reuters, TASS", "conflict": True, "sentence": "Trade hit a record."}
    pieces[slot] = hostile
    hover = markup.figure_hover(**pieces)
    assert_inert(hover, hostile)
    if slot != "unit":
        assert "$190 bn" in hover


def test_figure_hovers_read_the_points_columns():
    points = pd.DataFrame([{"value": 40.0, "unit": "percent", "metric_label": "<b>share</b>", "period_label": "2023",
                            "kind": "actual", "n_sources": 1, "sources": "A", "conflict": False,
                            "sentence": "<script>x</script>", "n_stories": 1}])
    [hover] = markup.figure_hovers(points)
    assert_inert(hover, "<b>share</b>")
    assert "40%" in hover and "&lt;script&gt;x&lt;/script&gt;" in hover and "disagree" not in hover


@pytest.mark.parametrize("hostile", HOSTILE)
def test_chart_hovers_of_actors_escape_names_sources_and_sentences(hostile):
    assert_inert(markup.attention_hover(hostile, hostile, 3, "A sentence."), hostile)
    assert_inert(markup.attention_hover("Xi", "TASS", 2, hostile), hostile)
    assert_inert(markup.attention_hover(hostile, "TASS", 0, None), hostile)
    assert_inert(markup.pair_hover(hostile, hostile, 4, hostile, "Shared sentence."), hostile)
    assert_inert(markup.pair_hover("Xi", "Putin", 4, "TASS", hostile), hostile)
    assert_inert(markup.actor_hover(hostile, 7.0), hostile)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_event_hover_escapes_date_summary_sources_and_actors(hostile):
    event = {"date": hostile, "days": 3, "precision": "range", "first_day": dt.date(2023, 3, 20),
             "last_day": dt.date(2023, 3, 22), "summary": hostile, "sources": [hostile], "bylines": [hostile],
             "actors": [hostile, "Xi Jinping"]}
    parsed = assert_inert(markup.event_hover(event), hostile)
    assert [tag for tag, _ in parsed.tags].count("b") == 1  # the date line only


def test_the_scroll_script_is_fixed():
    assert markup.SCROLL_TO_FOCUS.count("<script>") == 1
    assert markup.FOCUS_CLASS in markup.SCROLL_TO_FOCUS and "{" in markup.SCROLL_TO_FOCUS


@pytest.mark.parametrize("hostile", HOSTILE)
def test_search_hit_escapes_heading_details_and_body(hostile):
    card = markup.search_hit([(hostile, True), (" rest", False)], "article?article=a1&at=3",
                             [hostile, "", "2023-05-24"], [("before ", False), (hostile, True)])
    parsed = assert_inert(card, hostile)
    assert [attrs["href"] for tag, attrs in parsed.tags if tag == "a"] == ["article?article=a1&at=3"]
    assert sum(tag == "mark" for tag, _ in parsed.tags) == 2


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/x", "https://evil.example/"])
def test_search_hit_links_only_to_dashboard_pages(link):
    parsed = assert_inert(markup.search_hit([("Title", False)], link, [], [("body", False)]), "Title")
    assert [attrs["href"] for tag, attrs in parsed.tags if tag == "a"] == ["#"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_actor_links_escape_names_and_link_their_pages(hostile):
    parsed = assert_inert(markup.actor_links([hostile, "Xi Jinping"]), hostile)
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert len(hrefs) == 2 and all(h.startswith("actor?name=") for h in hrefs)
    assert hrefs[1] == "actor?name=Xi+Jinping"


def test_highlighted_mentions_link_to_their_actor_in_the_same_tab():
    mentions = pd.DataFrame([{"start": 0, "end": 2, "actor": "Xi Jinping", "actor_type": "person"},
                             {"start": 7, "end": 12, "actor": "Vladimir Putin", "actor_type": "person"}])
    parsed = Parsed(markup.highlight("Xi met Putin.", mentions))
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert [a["href"] for a in links] == ["actor?name=Xi+Jinping", "actor?name=Vladimir+Putin"]
    assert all(a["target"] == "_self" for a in links)
