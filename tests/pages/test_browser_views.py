"""Browser tests of the Charts and Compare pages on two articles that disagree (Xinhua: $190
billion of 2022 trade, TASS: $185 billion): a clicked point shows its sentence, Compare shows both
facts. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import pytest

from tests.pages.test_browser import context, open_view, screenshot, tab  # noqa: F401 - fixtures
from tests.serving import dashboard

pytestmark = pytest.mark.browser

MARKER_AT = """(key) => {
  const plot = document.querySelector('.st-key-' + key + ' .js-plotly-plot')
      || [...document.querySelectorAll('.js-plotly-plot')][0];
  const layout = plot._fullLayout;
  const trace = plot._fullData.find(t => t.mode === 'markers' && t.customdata);
  const xa = layout.xaxis, ya = layout.yaxis;
  const box = plot.getBoundingClientRect();
  return [box.left + xa._offset + xa.d2p(trace.x[0]), box.top + ya._offset + ya.d2p(trace.y[0]),
          trace.y[0]];
}"""


@pytest.fixture(scope="module")
def conflict_server(conflict_tables):
    with dashboard(conflict_tables) as served:
        yield served.url


def test_clicking_a_chart_point_shows_its_sentence(tab, conflict_server):  # noqa: F811 - the imported fixture
    open_view(tab, conflict_server, "/charts", ready=".js-plotly-plot")
    tab.wait_for_function("() => document.querySelector('.js-plotly-plot')?._fullData?.length > 0")
    x, y, value = tab.evaluate(MARKER_AT, "chart_money_figures")
    tab.mouse.click(x, y)
    clicked = tab.locator(".st-key-clicked_money_figures")
    clicked.wait_for()
    text = clicked.inner_text()
    assert f"${value:g} bn" in text and "Trade between China and Russia reached" in text
    assert "article?article=" in clicked.get_by_role("link", name="Open the sentence in the article").get_attribute("href")
    screenshot(tab, "charts_clicked_point")


def test_compare_shows_the_two_values_side_by_side(tab, conflict_server):  # noqa: F811 - the imported fixture
    open_view(tab, conflict_server, "/compare", ready='[data-testid="stDataFrame"]')
    screenshot(tab, "compare_conflict")
    assert tab.get_by_text("Facts in conflict").count() == 1
