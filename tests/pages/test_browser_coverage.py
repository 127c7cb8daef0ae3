"""Browser test of the Overview's coverage chart on the outlet test corpus: one click on a bar
lists the articles behind it, puts the bar in the link, and a reload restores the list.
Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.pages.test_browser import context, link_box, open_view, screenshot, tab  # noqa: F401 - fixtures
from tests.serving import dashboard

pytestmark = pytest.mark.browser

# The middle of the bar of one series (the first bar of its trace), in page coordinates.
BAR_AT = """(series) => {
  const plot = document.querySelector('.st-key-coverage_chart .js-plotly-plot');
  const layout = plot._fullLayout;
  const trace = plot._fullData.find(t => t.name === series);
  const xa = layout.xaxis, ya = layout.yaxis;
  const box = plot.getBoundingClientRect();
  return [box.left + xa._offset + xa.d2p(trace.x[0]), box.top + ya._offset + ya.d2p(trace.y[0] / 2)];
}"""


@pytest.fixture(scope="module")
def outlet_server(outlet_tables):
    with dashboard(outlet_tables) as served:
        yield served.url


def test_clicking_a_bar_lists_the_articles_behind_it(tab, outlet_server):  # noqa: F811 - the imported fixture
    open_view(tab, outlet_server, "/", ready=".st-key-coverage_chart .js-plotly-plot")
    tab.wait_for_function(
        "() => document.querySelector('.st-key-coverage_chart .js-plotly-plot')?._fullData?.length > 0")
    assert tab.locator(".st-key-coverage_articles").count() == 0
    tab.locator(".st-key-coverage_chart").scroll_into_view_if_needed()
    x, y = tab.evaluate(BAR_AT, "Reuters")
    tab.mouse.click(x, y)
    listing = tab.locator(".st-key-coverage_articles")
    listing.wait_for()
    tab.wait_for_function("() => location.search.includes('series=Reuters')")
    query = parse_qs(urlsplit(tab.url).query)
    assert query["bucket"] == ["2023-04-10"] and query["series"] == ["Reuters"]
    assert "bucket=2023-04-10&series=Reuters" in link_box(tab)
    assert tab.get_by_text("1 article(s) · week of 2023-04-10 · Reuters").count() == 1
    screenshot(tab, "overview_coverage_clicked_bar")
    tab.reload(wait_until="domcontentloaded")  # the link restores the list
    tab.locator(".st-key-coverage_articles").wait_for()
    assert tab.get_by_text("1 article(s) · week of 2023-04-10 · Reuters").count() == 1
