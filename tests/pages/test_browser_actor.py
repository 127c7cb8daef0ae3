"""The Actor page in headless Chromium: reached by clicking a speaker on the Quotes page (same tab),
restored from its link, and its companion links leading on. Screenshots land in test-artifacts/."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import pytest

from tests.pages.test_browser import (  # noqa: F401 - the fixtures
    address,
    context,
    link_box,
    open_view,
    screenshot,
    server,
    settle,
    tab,
)

pytestmark = pytest.mark.browser

SPEAKER = "Mikhail Mishustin"


def quotes_of(seed_tables, speaker: str) -> pd.DataFrame:
    quotes = pd.read_parquet(seed_tables / "quotes.parquet")
    return quotes[quotes["speaker"] == speaker]


def test_clicking_a_speaker_on_the_quotes_page_opens_their_page_in_the_same_tab(tab, server, seed_tables):  # noqa: F811
    own = quotes_of(seed_tables, SPEAKER)
    assert len(own)
    open_view(tab, server, "/quotes?speaker=" + quote(SPEAKER), ready="text=" + SPEAKER)
    pages_before = len(tab.context.pages)
    tab.get_by_role("link", name=SPEAKER).first.click()
    tab.wait_for_url("**/actor?name=Mikhail+Mishustin*")
    tab.wait_for_selector("h2")
    settle(tab)
    assert len(tab.context.pages) == pages_before  # the same tab, no new one
    assert tab.locator("h2").first.inner_text() == SPEAKER
    assert address(tab)["name"] == [SPEAKER]
    assert "name=Mikhail+Mishustin" in link_box(tab)
    listed = tab.locator(".st-key-actor_quotes").inner_text()
    assert f"{len(own)} quotation(s)" in tab.get_by_text("quotation(s) attributed").first.inner_text()
    for words in own["text"]:
        assert " ".join(words.split()[:4]) in " ".join(listed.split())
    screenshot(tab, "actor-from-quotes")


def test_a_shared_link_restores_the_page_and_a_companion_link_leads_on(tab, server):  # noqa: F811
    open_view(tab, server, "/actor?name=Vladimir+Putin", ready="h2")
    assert tab.locator("h2").first.inner_text() == "Vladimir Putin"
    assert tab.get_by_role("combobox", name="Actor").input_value() == "Vladimir Putin"  # the picker
    tab.reload(wait_until="domcontentloaded")
    tab.wait_for_selector("h2")
    settle(tab)
    assert tab.locator("h2").first.inner_text() == "Vladimir Putin"
    companion = tab.locator(".st-key-actor_companions a").first
    name = companion.inner_text()
    companion.click()
    tab.wait_for_url("**/actor?name=*")
    tab.wait_for_function("name => document.querySelector('h2')?.innerText === name", arg=name)
    settle(tab)
    assert address(tab)["name"] == [name]
    screenshot(tab, "actor-companion")


def test_markup_in_the_name_is_dropped_with_a_notice_and_never_runs(tab, server):  # noqa: F811
    open_view(tab, server, "/actor?name=" + quote("<img src=x onerror=window.__x=1>"),
              ready='[data-testid="stSelectbox"]')
    notice = tab.locator('[data-testid="stAlert"]', has_text="left out")
    assert notice.count() == 1 and "window.__x=1" in notice.inner_text()
    assert tab.evaluate("() => typeof window.__x") == "undefined"
    assert tab.locator("img[src='x']").count() == 0
    assert "name" not in address(tab)
