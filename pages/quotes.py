"""Quotes: who said what, searchable and filterable, each quote linked to its place in the article.

Every filter is bound to the URL (`?q=…&speaker=…&src=…&kind=…&from=…&to=…`), so a filtered
view can be bookmarked or shared. By default both kinds of statements are shown: full statements
and fragments (short phrases someone said, such as “dear friend”); the "Kind" filter narrows to
one, or shows terms (names and terms in quote marks, such as the “no limits” partnership, said by
nobody), or everything.
Quote text is untrusted: it is shown with plain-text elements or as HTML built by `app.markup`.

Large corpora: the quotes joined with their articles are built once per data version
(`quote_search.quote_rows`); each run asks SQL for one page of quotes and the aggregates it shows.
The Speaker and Source filters list the `quote_search.MAX_OPTIONS` most used names and the chosen
ones; any other name can be typed, and is looked up in SQL.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import exports, links, markup, sentences, store, ui
from lib.views import quote_search

# Widget keys, which are also the URL query parameter names of the bound widgets.
KEY_QUERY = "q"
KEY_FUZZY = "fuzzy"
KEY_SPEAKERS = "speaker"
KEY_SOURCES = "src"
KEY_KIND = "kind"
KEY_FROM = "from"
KEY_TO = "to"
KEY_PAGE = "page"  # the quote list's page
KEY_TABLE_PAGE = "table_page"  # the Table tab's page
KEY_SPEAKER_PAGE = "speaker_page"  # the Speakers tab's page
KEY_VIEW = "view"
NOT_FOUND = "_quotes_not_found"  # session key: per filter, the typed names the corpus lacks

PER_PAGE = 25
TABLE_PER_PAGE = 50
SPEAKERS_PER_PAGE = 50
CHART_SPEAKERS = 30  # the speaker chart draws the most quoted ones
CHART_SOURCES = 12  # sources with their own colour in the speaker chart; the others are summed
OTHER_SOURCES = "other sources"
BOTH_KINDS = "both"  # full statements and fragments
ALL_KINDS = "all"  # terms too
BOUND = "query-params"
TABS = ["Quotes", "Table", "Speakers"]


def first_page() -> None:
    """A changed filter starts every listing again at its first page."""
    for key in (KEY_PAGE, KEY_TABLE_PAGE, KEY_SPEAKER_PAGE):
        st.session_state[key] = 1


def speaker_chart(counts: pd.DataFrame, order: list[str]) -> go.Figure:
    """Stacked bars of quotes per speaker (most quoted on top), one colour per source.

    Plotly reads tags in labels; escaping keeps any markup in a name as text.
    """
    by_source = counts.groupby("source", sort=False)["quotes"].sum().sort_values(ascending=False, kind="stable")
    traces = [
        {"type": "bar", "orientation": "h", "name": markup.text(source), "legendgroup": markup.text(source),
         "x": rows["quotes"].tolist(), "y": markup.texts(rows["speaker"])}
        for source in by_source.index
        for rows in [counts[counts["source"] == source]]
    ]
    return go.Figure({"data": traces, "layout": {
        "barmode": "relative", "height": max(320, 28 * len(order)),
        "xaxis": {"title": {"text": "quotes"}},
        "yaxis": {"categoryorder": "array", "categoryarray": markup.texts(reversed(order))},
        "legend": {"title": {"text": "source"}}, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
    }})


def name_options(key: str, top_sql: str, spellings_sql: str) -> tuple[list[str], links.Param, bool]:
    """The Speaker or Source filter's options, its URL check, and whether typed names were corrected.

    The options are the MAX_OPTIONS most used names plus every chosen one (in the widget or the
    URL). Names typed into the widget are replaced by their corpus spelling (matched ignoring
    case) or dropped and kept under NOT_FOUND for a note. The URL check accepts real names, and
    the widget's own values, which the browser puts in the URL before this run sees them.
    """
    typed = list(st.session_state.get(key) or [])
    linked = st.query_params.get_all(key)
    spelling = quote_search.spellings([*typed, *linked], store.query, spellings_sql)
    chosen = list(dict.fromkeys(spelling[v] for v in typed if v in spelling))
    if chosen != typed:
        st.session_state[key] = chosen
        st.session_state.setdefault(NOT_FOUND, {})[key] = [v for v in typed if v not in spelling]
    real = [v for v in linked if spelling.get(v) == v]
    top = store.query(top_sql, quote_search.MAX_OPTIONS)["name"].tolist()
    options = quote_search.offered(top, [*chosen, *real])
    return options, links.choice(key, [*options, *typed], many=True), chosen != typed


def not_found(column, key: str, what: str) -> None:
    """A note under a filter naming the typed values that matched no name of the corpus."""
    names = st.session_state.get(NOT_FOUND, {}).pop(key, [])
    if names:
        shown = ", ".join(f"“{links.escape_markdown(n)}”" for n in names)
        column.caption(f"No {what} named {shown} in this corpus.")


def paginate(rows: int, per_page: int, key: str) -> int:
    """The offset of the page chosen with a URL-bound pagination (none when one page is enough)."""
    pages = quote_search.page_count(rows, per_page)
    links.confirm(links.number(key, 1, pages))  # a page beyond the last leaves the link too
    page = st.pagination(pages, key=key, bind=BOUND) if pages > 1 else 1
    return quote_search.offset(page, rows, per_page)


st.title("Quotes")
if not store.value("SELECT count(*) FROM articles"):
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()
store.derived(quote_search.QUOTE_ROWS, quote_search.quote_rows)
corpus = store.query(quote_search.CORPUS_SQL).iloc[0]
if not corpus["quotes"]:
    st.info("No quotations were found in this corpus.")
    st.stop()

speaker_options, speaker_param, speakers_corrected = name_options(
    KEY_SPEAKERS, quote_search.TOP_SPEAKERS_SQL, quote_search.SPEAKER_SPELLINGS_SQL)
source_options, source_param, sources_corrected = name_options(
    KEY_SOURCES, quote_search.TOP_SOURCES_SQL, quote_search.SOURCE_SPELLINGS_SQL)
kind_options = [BOTH_KINDS, *quote_search.KINDS, ALL_KINDS]
bounds = (corpus["first"].date(), corpus["last"].date()) if pd.notna(corpus["first"]) else None
links.share("quotes", [
    links.text(KEY_QUERY),
    links.flag(KEY_FUZZY),
    speaker_param,
    source_param,
    links.choice(KEY_KIND, kind_options),
    *([links.day(KEY_FROM, *bounds), links.day(KEY_TO, *bounds)] if bounds else []),
    links.number(KEY_PAGE, 1),
    links.choice(KEY_VIEW, TABS),
    links.number(KEY_TABLE_PAGE, 1),
    links.number(KEY_SPEAKER_PAGE, 1),
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
    accept_new_options=True,
    help=f"Lists the {quote_search.MAX_OPTIONS} most quoted speakers; type any other name and press Enter. "
    f"{quote_search.UNKNOWN} selects quotes whose speaker could not be determined.",
)
sources = source_col.multiselect(
    "Source",
    source_options,
    key=KEY_SOURCES,
    bind=BOUND,
    on_change=first_page,
    placeholder="All sources",
    accept_new_options=True,
    help=f"Lists the {quote_search.MAX_OPTIONS} sources with most articles; type any other name and press Enter.",
)
if speakers_corrected or sources_corrected:
    st.rerun()  # the widgets have put the corrected names in the URL: the link box shows them next run
not_found(speaker_col, KEY_SPEAKERS, "speaker")
not_found(source_col, KEY_SOURCES, "source")

kind_col, from_col, to_col = st.columns([2, 1, 1], vertical_alignment="bottom")
kind = kind_col.radio(
    "Kind",
    kind_options,
    key=KEY_KIND,
    bind=BOUND,
    on_change=first_page,
    horizontal=True,
    help="“both”: full statements and fragments (short phrases someone said); “term”: names and terms "
    "in quote marks, said by nobody; “all”: everything.",
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

chosen = quote_search.QuoteFilter(
    query=query or "",
    fuzzy=bool(fuzzy),
    speakers=tuple(speakers),
    sources=tuple(sources),
    kinds={None: quote_search.STATEMENT_KINDS, BOTH_KINDS: quote_search.STATEMENT_KINDS, ALL_KINDS: ()}.get(kind, (kind,)),
    date_from=date_from,
    date_to=date_to,
)
condition, params = quote_search.where(chosen, store.query)
matched = store.query(quote_search.match_sql(condition), *params).iloc[0]
total = int(matched["quotes"])

notes = [f"{total} of {int(corpus['quotes'])} quotes"]
if (date_from or date_to) and corpus["undated"]:
    notes.append("quotes of articles without a known date are hidden while a date range is set")
if matched["inferred"]:
    notes.append("dates marked “inferred” were read from the article text")
st.caption("; ".join(notes) + ".")

list_tab, table_tab, speaker_tab = st.tabs(TABS, key=KEY_VIEW, bind=BOUND)

with list_tab:
    start = paginate(total, PER_PAGE, KEY_PAGE)
    if not total:
        st.info("No quote matches these filters.")
    else:
        shown = store.query(quote_search.page_sql(condition), *params, PER_PAGE, start)
        for _, row in shown.iterrows():
            st.html(markup.quote_card(row, ui.article_url(row["article_id"], int(row["start"]))))
            span = (int(row["start"]), int(row["end"]))
            panel = st.expander("In context · cite", key=f"context_{row['article_id']}_{span[0]}", on_change="rerun")
            if panel.open:  # drawn when opened: 25 excerpts a page would slow every page down
                with panel:
                    sentences.in_context(row["article_id"], *span, mark=span, cite=sentences.citation(
                        row["text"], row["speaker_label"], row["source"], row["date"], row["article_id"], span[0]))

with table_tab:
    start = paginate(total, TABLE_PER_PAGE, KEY_TABLE_PAGE)
    listing = store.query(quote_search.page_sql(condition), *params, TABLE_PER_PAGE, start)
    listing = listing.rename(columns={"speaker_label": "speaker"})
    sentences.table(
        listing, ["speaker", "text", "cue", "kind", "addressee", "source", "title", "date"], "quotes_table",
        column_config={"text": st.column_config.TextColumn("quote", width="large")},
        mark=("start", "end"), quote=True,
    )
    if total > TABLE_PER_PAGE:
        st.caption(f"{TABLE_PER_PAGE} quotes a page; the CSV holds all {total}.")
    exports.download("quotes", lambda: store.warehouse().query(quote_search.export_sql(condition), params))

with speaker_tab:
    st.caption("Counts follow the filters above.")
    first = store.query(quote_search.summary_sql(condition), *params, SPEAKERS_PER_PAGE, 0)
    speaker_count = int(first["speakers"].iat[0]) if len(first) else 0
    start = paginate(speaker_count, SPEAKERS_PER_PAGE, KEY_SPEAKER_PAGE)
    summary = first if start == 0 else store.query(
        quote_search.summary_sql(condition), *params, SPEAKERS_PER_PAGE, start)
    st.dataframe(summary.drop(columns="speakers"), hide_index=True, width="stretch")
    exports.download("speakers", lambda: store.query(quote_search.summary_sql(condition), *params, speaker_count, 0)
                     .drop(columns="speakers"))
    if speaker_count:
        counts = store.query(quote_search.speaker_source_sql(condition), *params, CHART_SPEAKERS, CHART_SOURCES,
                             OTHER_SOURCES)
        order = first["speaker"].head(CHART_SPEAKERS).tolist()  # SPEAKERS_PER_PAGE >= CHART_SPEAKERS
        st.plotly_chart(speaker_chart(counts, order), width="stretch")
        notes = []
        if speaker_count > len(order):
            notes.append(f"The chart shows the {len(order)} most quoted of {speaker_count} speakers")
        if OTHER_SOURCES in set(counts["source"]):
            notes.append(f"the {CHART_SOURCES} sources quoting them most have their own colour, "
                         f"the rest are “{OTHER_SOURCES}”")
        if notes:
            st.caption("; ".join(notes) + ".")
