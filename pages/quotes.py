"""Quotes: who said what, searchable and filterable, each quote linked to its place in the article.

Every filter is bound to the URL (`?q=…&speaker=…&src=…&kind=…&from=…&to=…`), so a filtered
view can be bookmarked or shared. By default both kinds of quotes are shown: full statements
and fragments (short quoted phrases such as “no limits”); the "Kind" filter narrows to one.
Quote text is untrusted: it is shown with plain-text elements or escaped with `html.escape`.
"""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import plotly.express as px
import streamlit as st

import links
import store
import ui
from lib import quote_view

# Widget keys, which are also the URL query parameter names of the bound widgets.
KEY_QUERY = "q"
KEY_FUZZY = "fuzzy"
KEY_SPEAKERS = "speaker"
KEY_SOURCES = "src"
KEY_KIND = "kind"
KEY_FROM = "from"
KEY_TO = "to"
KEY_PAGE = "page"
KEY_VIEW = "view"

PER_PAGE = 25
BOTH_KINDS = "both"
BOUND = "query-params"


def first_page() -> None:
    """A changed filter starts the list again at its first page."""
    st.session_state[KEY_PAGE] = 1


def quote_card(row: pd.Series) -> str:
    """HTML of one quote with its speaker, cue, addressee, article, date; every piece escaped."""
    said = f"<b>{html.escape(str(row['speaker_label']))}</b>"
    if isinstance(row["cue"], str) and row["cue"]:
        said += f" <span style='opacity:.7'>({html.escape(row['cue'])})</span>"
    if isinstance(row["addressee"], str) and row["addressee"]:
        said += f" to {html.escape(row['addressee'])}"
    link = html.escape(ui.article_url(row["article_id"], int(row["start"])), quote=True)
    title = html.escape(str(row["title"] if isinstance(row["title"], str) else row["article_id"]))
    details = [
        said,
        html.escape(str(row["kind"])),
        f'<a href="{link}" target="_self">{title}</a>',
        html.escape(str(row["source"])),
        html.escape(str(row["date"])),
    ]
    return (
        '<div style="border-left:3px solid #93c5fd; padding:.3em .9em; margin:.7em 0">'
        f'<div style="font-size:1.05rem; white-space:pre-wrap">“{html.escape(str(row["text"]))}”</div>'
        f'<div style="font-size:.85rem; opacity:.85; margin-top:.2em">— {"  ·  ".join(details)}</div>'
        "</div>"
    )


def date_bounds(quotes: pd.DataFrame) -> tuple[date, date] | None:
    """First and last known publication date of the quoted articles (None when none is known)."""
    known = pd.to_datetime(quotes["published"], errors="coerce").dropna()
    return (known.min().date(), known.max().date()) if len(known) else None


st.title("Quotes")
articles = store.table("articles")
if articles.empty:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()
quotes = store.table("quotes")
if quotes.empty:
    st.info("No quotations were found in this corpus.")
    st.stop()

meta = articles.assign(
    source=ui.source_of(articles).values,
    date=articles.apply(ui.published_label, axis=1).values,
)
every = quote_view.with_articles(quotes, meta)
speaker_options = quote_view.speaker_options(every)
source_options = sorted(meta["source"].unique())
kind_options = [BOTH_KINDS, *quote_view.KINDS]
bounds = date_bounds(every)
TABS = ["Quotes", "Table", "Speakers"]
links.share("quotes", [
    links.text(KEY_QUERY),
    links.flag(KEY_FUZZY),
    links.choice(KEY_SPEAKERS, speaker_options, many=True),
    links.choice(KEY_SOURCES, source_options, many=True),
    links.choice(KEY_KIND, kind_options),
    *([links.day(KEY_FROM, *bounds), links.day(KEY_TO, *bounds)] if bounds else []),
    links.number(KEY_PAGE, 1),
    links.choice(KEY_VIEW, TABS),
])

search_col, fuzzy_col = st.columns([4, 1], vertical_alignment="bottom")
query = search_col.text_input(
    "Search the quotes",
    key=KEY_QUERY,
    bind=BOUND,
    on_change=first_page,
    placeholder='e.g. sanctions  or  "no limits"',
    help='Case-insensitive, whole words; every word must occur. "Quoted phrase" for a phrase, '
    "a trailing * for a prefix (sanction*).",
)
fuzzy = fuzzy_col.toggle(
    "Fuzzy", key=KEY_FUZZY, bind=BOUND, on_change=first_page, help="Also match misspelled or inflected words."
)

speaker_col, source_col = st.columns(2)
speakers = speaker_col.multiselect(
    "Speaker",
    speaker_options,
    key=KEY_SPEAKERS,
    bind=BOUND,
    on_change=first_page,
    placeholder="All speakers",
    help=f"{quote_view.UNKNOWN} selects quotes whose speaker could not be determined.",
)
sources = source_col.multiselect(
    "Source",
    source_options,
    key=KEY_SOURCES,
    bind=BOUND,
    on_change=first_page,
    placeholder="All sources",
)

kind_col, from_col, to_col = st.columns([2, 1, 1], vertical_alignment="bottom")
kind = kind_col.radio(
    "Kind",
    kind_options,
    key=KEY_KIND,
    bind=BOUND,
    on_change=first_page,
    horizontal=True,
    help="Full statements, or fragments (short quoted phrases).",
)
date_from = date_to = None
if bounds:
    low, high = bounds
    chosen_from = from_col.date_input(
        "Published from",
        value=low,
        min_value=low,
        max_value=high,
        key=KEY_FROM,
        bind=BOUND,
        on_change=first_page,
    )
    chosen_to = to_col.date_input(
        "Published to",
        value=high,
        min_value=low,
        max_value=high,
        key=KEY_TO,
        bind=BOUND,
        on_change=first_page,
    )
    # Only a narrowed range filters, so articles without a known date stay listed by default.
    date_from = chosen_from if chosen_from and chosen_from > low else None
    date_to = chosen_to if chosen_to and chosen_to < high else None

if date_from and date_to and date_from > date_to:
    st.warning("The “from” date is after the “to” date, so no quote can match.")

shown = quote_view.filter_quotes(
    every,
    query=query or "",
    speakers=speakers,
    sources=sources,
    kinds=[] if kind in (None, BOTH_KINDS) else [kind],
    date_from=date_from,
    date_to=date_to,
    fuzzy=bool(fuzzy),
)

notes = [f"{len(shown)} of {len(every)} quotes"]
if (date_from or date_to) and every["published"].isna().any():
    notes.append("quotes of articles without a known date are hidden while a date range is set")
if shown["date"].fillna("").str.endswith("(inferred)").any():
    notes.append("dates marked “inferred” were read from the article text")
st.caption("; ".join(notes) + ".")

list_tab, table_tab, speaker_tab = st.tabs(TABS, key=KEY_VIEW, bind=BOUND)

with list_tab:
    if shown.empty:
        st.info("No quote matches these filters.")
    else:
        pages = quote_view.page_count(len(shown), PER_PAGE)
        page = st.pagination(pages, key=KEY_PAGE, bind=BOUND) if pages > 1 else 1
        st.html("".join(quote_card(row) for _, row in quote_view.page_of(shown, page, PER_PAGE).iterrows()))

with table_tab:
    listing = shown.drop(columns="speaker").rename(columns={"speaker_label": "speaker"})
    listing["open"] = [ui.article_url(a, int(s)) for a, s in zip(listing["article_id"], listing["start"])]
    st.dataframe(
        listing[["open", "speaker", "text", "cue", "kind", "addressee", "source", "title", "date"]],
        hide_index=True,
        width="stretch",
        column_config={
            "open": st.column_config.LinkColumn("article", display_text="open"),
            "text": st.column_config.TextColumn("quote", width="large"),
        },
    )
    export = listing[
        ["speaker", "text", "cue", "kind", "addressee", "source", "title", "date", "article_id", "start"]
    ]
    st.download_button(
        "Download CSV",
        quote_view.csv_bytes(export),
        file_name="quotes.csv",
        mime="text/csv",
        on_click="ignore",
    )

with speaker_tab:
    summary = quote_view.speaker_summary(shown)
    st.caption("Counts follow the filters above.")
    st.dataframe(summary, hide_index=True, width="stretch")
    if not summary.empty:
        counts = quote_view.speaker_source_counts(shown)
        # Plotly reads tags in labels; escaping keeps any markup in a name as text.
        counts = counts.assign(
            speaker=counts["speaker"].map(html.escape), source=counts["source"].map(html.escape)
        )
        figure = px.bar(
            counts,
            x="quotes",
            y="speaker",
            color="source",
            orientation="h",
            category_orders={"speaker": [html.escape(s) for s in summary["speaker"]]},
            labels={"speaker": "", "quotes": "quotes"},
            height=max(320, 28 * len(summary)),
        )
        figure.update_layout(legend_title_text="source", margin={"l": 0, "r": 0, "t": 10, "b": 0})
        st.plotly_chart(figure, width="stretch")
