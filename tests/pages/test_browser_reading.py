# ruff: noqa: F811 - the fixtures imported below are the tests' arguments
"""The served dashboard in headless Chromium: links agree with the page, a sentence is reached in
the same tab and read in context, quotations are cited, and a download holds the filtered rows.
Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.pages.test_browser import address, context, link_box, open_view, screenshot, server, settle, tab  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

IN_VIEW = """(selector) => { const r = document.querySelector(selector)?.getBoundingClientRect();
                             return !!r && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""


def left_out(tab) -> list[str]:
    """The warnings that name values the link lost."""
    return [text for text in tab.locator('[data-testid="stAlert"]').all_inner_texts() if "left out" in text]


def caption_with(tab, pattern: str) -> str:
    """The first caption matching the regular expression `pattern`."""
    found = tab.locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile(pattern)).first
    found.wait_for()
    return found.inner_text()


def click_first_row(tab, key: str) -> None:
    """Select the first row of the table keyed `key` (its selection box, left of the first column)."""
    grid = tab.locator(f".st-key-{key}")
    grid.scroll_into_view_if_needed()
    grid.locator("canvas").first.wait_for()
    box = grid.bounding_box()
    tab.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # below the 35 px header, in the middle of the row


def download(tab, button) -> list[dict]:
    """The rows of the CSV file a click on `button` downloads."""
    with tab.expect_download() as started:
        button.click()
    return list(csv.DictReader(io.StringIO(Path(started.value.path()).read_text(encoding="utf-8"))))


@pytest.mark.parametrize("path, name, default, counted", [
    ("/quotes?page=999", "page", "/quotes", r"of \d+ quotes"),
    ("/timeline?dates=1850-01-01&dates=2030-12-31", "dates", "/timeline", r"of \d+ events"),
])
def test_a_value_the_page_cannot_use_leaves_the_link_box_too(tab, server, path, name, default, counted):
    open_view(tab, server, path)
    warnings = left_out(tab)
    assert len(warnings) == 1 and name in warnings[0]
    assert f"{name}=" not in link_box(tab) and name not in address(tab)
    shown = caption_with(tab, counted)
    screenshot(tab, f"link-left-out-{name}")
    open_view(tab, server, default)
    assert caption_with(tab, counted) == shown  # the page shows its default view


def test_a_typed_search_the_page_refuses_is_neither_applied_nor_kept(tab, server):
    open_view(tab, server, "/quotes")
    everything = caption_with(tab, r"of \d+ quotes")
    search = tab.get_by_role("textbox", name="Search the quotes")
    search.fill("<b>sanctions")
    search.press("Enter")
    tab.locator('[data-testid="stAlert"]', has_text="left out").wait_for()
    settle(tab)
    assert len(left_out(tab)) == 1
    assert search.input_value() == ""
    assert "q=" not in link_box(tab) and "q" not in address(tab)
    assert caption_with(tab, r"of \d+ quotes") == everything


def test_a_selected_row_opens_its_sentence_in_the_same_tab(tab, server):
    open_view(tab, server, "/timeline", ready=".st-key-events_table")
    click_first_row(tab, "events_table")
    excerpt = tab.locator(".st-key-context_events_table")
    excerpt.wait_for()
    sentence = excerpt.locator("mark, span").filter(has_text=re.compile(r"\w{4}")).first.inner_text()
    screenshot(tab, "timeline-row-in-context")
    tabs_before = len(tab.context.pages)
    excerpt.get_by_role("link", name="Open the sentence in the article").click()
    tab.wait_for_url(re.compile(r"/article\?article=[\w-]+&at=\d+"))
    tab.wait_for_selector(".article-focus")
    tab.wait_for_function(IN_VIEW, arg=".article-focus")
    assert len(tab.context.pages) == tabs_before  # the same tab, no new one
    highlighted = " ".join(tab.locator(".article-focus").all_inner_texts())
    assert sentence.split()[1] in highlighted
    screenshot(tab, "article-reached-in-the-same-tab")


def test_a_quote_reads_in_context_with_its_citation(tab, server):
    open_view(tab, server, "/quotes", ready='[data-testid="stExpander"]')
    first = tab.locator('[data-testid="stExpander"]').first
    first.locator("summary").click()
    citation = first.locator('[data-testid="stCode"] code')
    citation.wait_for()
    quote = tab.locator("div[style*='white-space:pre-wrap']").first.inner_text().strip("“” \n")
    text = first.inner_text()
    assert quote[:40] in text  # the quote, inside its paragraph
    assert len(text) > len(quote) + 60  # with the sentences around it
    cited = citation.inner_text().replace("\n", "")
    assert cited.startswith("“" + quote[:40]) and re.search(r"\d{4}-\d{2}-\d{2}", cited)
    assert first.get_by_role("link", name="Open the sentence in the article").get_attribute("target") in (None, "", "_self")  # the same tab
    screenshot(tab, "quote-in-context")


def test_a_downloaded_csv_holds_exactly_the_filtered_rows(tab, server):
    open_view(tab, server, "/quotes?q=Russia&kind=all&view=Table", ready=".st-key-download_quotes")
    matched = int(re.match(r"(\d+) of", caption_with(tab, r"of \d+ quotes")).group(1))
    rows = download(tab, tab.locator(".st-key-download_quotes button"))
    assert 1 < len(rows) == matched
    assert all(re.search(r"\brussia", row["text"], re.IGNORECASE) for row in rows)

    open_view(tab, server, "/timeline?actor=China", ready=".st-key-download_events")
    listed, events = map(int, re.search(r"The (\d+) sentences reporting the (\d+) events",
                                         caption_with(tab, r"sentences reporting")).groups())
    rows = download(tab, tab.locator(".st-key-download_events button"))
    assert len(rows) == listed and len({row["event_id"] for row in rows}) == events  # the filtered events only
    open_view(tab, server, "/timeline", ready=".st-key-download_events")
    everything = int(re.search(r"reporting the (\d+) events", caption_with(tab, r"sentences reporting")).group(1))
    assert events < everything
