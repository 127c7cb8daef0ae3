"""Browser tests of search on the seed corpus: the sidebar box of any page reaches the Search page,
a word form finds its sentence, and the hit opens the article with that sentence highlighted; a
shared search link restores the same view. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.pages.test_browser import (  # noqa: F401 - fixtures
    TIMEOUT_MS,
    address,
    context,
    link_box,
    open_view,
    screenshot,
    server,
    settle,
    tab,
    wait_for_link,
)

pytestmark = pytest.mark.browser
BOX = "Articles, quotes, events…"  # the placeholder of the sidebar search box


def hit_marking(tab, word: str):  # noqa: F811 - a tab, as the fixture gives
    """The hit whose sentence marks exactly `word`."""
    return tab.locator(".search-hit", has=tab.locator("mark", has_text=re.compile(f"^{word}$"))).first


def test_a_word_form_reaches_its_sentence(tab, server):  # noqa: F811 - the imported fixture
    open_view(tab, server, "/timeline")
    box = tab.get_by_placeholder(BOX)
    box.fill("unprecedentedly")
    box.press("Enter")
    tab.wait_for_url(re.compile(r"/search\?"))
    wait_for_link(tab, "q=unprecedentedly")
    tab.wait_for_selector(".search-hit mark")
    settle(tab)
    assert address(tab)["q"] == ["unprecedentedly"]
    # the base form is found too, and every matched word is marked
    marked = set(tab.locator(".search-hit mark").all_inner_texts())
    assert {"unprecedented", "unprecedentedly"} <= marked
    screenshot(tab, "search_word_form")

    hit = hit_marking(tab, "unprecedented")
    sentence = hit.locator("div").last.inner_text()
    hit.locator("a").first.click()
    tab.wait_for_url(re.compile(r"/article\?"))
    tab.wait_for_selector(".article-focus")
    settle(tab)
    pieces = [p.strip() for p in tab.locator(".article-focus").all_inner_texts() if p.strip()]
    assert any("unprecedented" in p for p in pieces)
    # the highlighted sentence is the hit's sentence: its pieces between actor names are all in it
    assert all(p in sentence for p in pieces), (pieces, sentence)
    assert tab.locator(".article-focus").first.is_visible()  # scrolled to it
    screenshot(tab, "search_hit_opened")


def test_a_shared_search_link_restores_the_view(tab, server):  # noqa: F811 - the imported fixture
    open_view(tab, server, "/search?q=sanction&in=Quotes")
    assert tab.get_by_role("textbox", name="Search articles, quotes and events").input_value() == "sanction"
    selected = tab.locator('[role="tab"][aria-selected="true"]').inner_text()
    assert selected == "Quotes"
    quotes = tab.locator(".search-hit").count()
    assert quotes > 0 and tab.locator(".search-hit mark").first.inner_text().lower().startswith("sanction")
    shared = link_box(tab)
    assert "q=sanction" in shared and "in=Quotes" in shared

    tab.goto(shared.replace(tab.url.split("/search")[0], server), wait_until="domcontentloaded")
    tab.wait_for_selector(".search-hit")
    settle(tab)
    assert tab.locator('[role="tab"][aria-selected="true"]').inner_text() == "Quotes"
    assert tab.locator(".search-hit").count() == quotes


def test_markup_typed_in_the_box_never_runs(tab, server):  # noqa: F811 - the imported fixture
    open_view(tab, server, "/search")
    messages = []
    tab.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    field = tab.get_by_role("textbox", name="Search articles, quotes and events")
    field.fill('<img src=x onerror=alert(1)> "no limits"')
    field.press("Enter")
    settle(tab)
    tab.wait_for_timeout(500)
    assert not messages
    assert tab.locator(".search-hit img").count() == 0
