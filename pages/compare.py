"""Compare sources: the same facts, quotes, actors and events across outlets, side by side.

The chosen sources are bound to the URL (`?src=…&src=…`); none given means the sources with most
articles (all of them when there are few). The lens `by=outlet+group` compares outlet groups instead
(`?group=…`: "Chinese state media", "Russian state media", ...; all of them by default). Only the open tab is computed, and each of its tables
one page at a time (the pages are bound to the URL too). Every cell of the matrices links to the
sentence in its article. Article text is untrusted: wordings are shown in data frames or as HTML
built by `app.markup`, which escapes every piece.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import exports, links, markup, sentences, store, ui
from lib.views import source_comparison

KEY_SOURCES = "src"  # widget key and URL parameter name
KEY_LENS = "by"  # compare outlets, or outlet groups ("Chinese state media", ...): bound to the URL
KEY_GROUPS = "group"  # the groups compared in the lens by group
LENSES = ("outlet", "outlet group")
KEY_VIEW = "view"  # the open tab, also bound to the URL
TABS = ["Facts", "Quotes", "Actors and events", "Only one source"]
# the page of each table, bound to the URL
KEY_FACTS_PAGE = "facts_page"
KEY_STATEMENTS_PAGE = "statements_page"
KEY_QUOTATIONS_PAGE = "quotations_page"
KEY_ACTORS_PAGE = "actors_page"
KEY_EVENTS_PAGE = "events_page"
KEY_ALONE_PAGE = "alone_page"
PAGE_KEYS = (KEY_FACTS_PAGE, KEY_STATEMENTS_PAGE, KEY_QUOTATIONS_PAGE, KEY_ACTORS_PAGE, KEY_EVENTS_PAGE,
             KEY_ALONE_PAGE)
PER_PAGE = 50  # rows of a table
STATEMENTS_PER_PAGE = 10  # statements shown with their wordings side by side
WORDINGS_PER_ROW = 4
TOP_SOURCES = 8  # sources compared when the reader chose none
CELL_HINT = "Select a cell to read that source's sentence in context here."
COPIES_HELP = "Copies of one story (wire copy) carried by several of these sources: one report, not several."
STORIES_HELP = "Distinct stories among these sources: copies of one story (wire copy) count once."
CONFLICT = "#fecaca"


def cell(article_id: str, start: int, shown: str) -> str:
    """What a cell shows: the source's wording (its sentence opens when the cell is selected)."""
    return shown


def source_columns(sources: list[str], width: str | None = None) -> dict:
    """One column per source (narrow ones when `width` is "small", so that many sources fit)."""
    return {s: st.column_config.TextColumn(s, width=width) for s in sources}


def selectable(frame, key: str, column_config: dict) -> list[tuple[int, str]]:
    """A matrix whose cells can be selected; the selected (row, column)."""
    state = st.dataframe(frame, hide_index=True, width="stretch", placeholder="", column_config=column_config,
                         key=key, on_select="rerun", selection_mode="single-cell")
    return [(int(row), str(column)) for row, column in state.selection.cells]


def cell_context(picked: list[tuple[int, str]], items: list, rows: pd.DataFrame, key: str) -> None:
    """Under a matrix: the sentence behind the selected cell in context, with a same-tab link."""
    found = pd.DataFrame()
    if picked and picked[0][0] < len(items):
        row, column = picked[0]
        found = rows[(rows["item"] == items[row]) & (rows["source"] == column)]
    if found.empty:
        st.caption(CELL_HINT)
        return
    first = found.iloc[0]
    with st.container(key=f"context_{key}", border=True):
        st.caption(ui.literal(first["source"]))
        sentences.in_context(first["article_id"], int(first["start"]), int(first["start"]) + 1)


def every_row(kind: str, chosen: list[str], total: int, least: int = 1) -> pd.DataFrame:
    """Every (item, source) row of a matrix, for its download."""
    rows = source_comparison.matrix_rows(store.query, kind, chosen, least, max(total, 1), 0, cells=cells)
    wanted = ["label", "sources", "source", "shown", "mentions", "article_id", "start"]
    return rows[[c for c in wanted if c in rows]]


def first_pages() -> None:
    """Other sources start every table again at its first page."""
    for key in PAGE_KEYS:
        st.session_state[key] = 1


def page_offset(key: str, total: int, per_page: int = PER_PAGE) -> int:
    """The pagination of a table of `total` rows (shown when there is more than one page) and the
    offset of the page chosen."""
    pages = max(1, -(-total // per_page))
    links.confirm(links.number(key, 1, pages))
    page = st.pagination(pages, key=key, bind="query-params") if pages > 1 else 1
    return (min(int(page or 1), pages) - 1) * per_page


def rows_caption(shown: int, offset: int, total: int, what: str) -> None:
    """Which rows of how many the table shows."""
    if total > shown:
        st.caption(f"{offset + 1:,}–{offset + shown:,} of {total:,} {what}.")


def facts_table(chosen: list[str], total: int) -> None:
    """Facts × sources, one page, conflicting rows in red with the facts they disagree with."""
    offset = page_offset(KEY_FACTS_PAGE, total)
    rows = source_comparison.matrix_rows(store.query, "fact", chosen, 1, PER_PAGE, offset, cells=cells)
    matrix = source_comparison.matrix(rows, chosen, cell)
    if matrix.empty:
        st.info("None of these sources gives an economic figure.")
        return
    conflicts = source_comparison.fact_conflicts(store.query, matrix["item"].tolist())
    shown = pd.DataFrame({
        "label": matrix["label"],
        "conflict": matrix["item"].map(conflicts["conflict"]).fillna(False).astype(bool),
        "disagrees with": matrix["item"].map(conflicts["disagrees"]).fillna(""),
        **{column: matrix[column] for column in ["stories", "sources", "copies", *chosen]},
    })
    styled = shown.style.apply(
        lambda row: [f"background-color: {CONFLICT}" if row["conflict"] else "" for _ in row], axis=1
    ).format(na_rep="")  # a source that omits the fact: a blank cell
    picked = selectable(
        styled, "facts_matrix",
        column_config={
            "label": st.column_config.TextColumn("fact", width="medium"),
            "conflict": st.column_config.CheckboxColumn("conflict", width="small"),
            "disagrees with": st.column_config.TextColumn("disagrees with", width="medium"),
            "stories": st.column_config.NumberColumn("stories", width="small", help=STORIES_HELP),
            "sources": st.column_config.NumberColumn("sources", width="small"),
            "copies": st.column_config.TextColumn("copies", width="medium", help=COPIES_HELP),
            **source_columns(chosen, width=None if by_group and len(chosen) <= 3 else "small"),  # fit the page
        },
    )
    cell_context(picked, matrix["item"].tolist(), rows, "facts_matrix")
    rows_caption(len(matrix), offset, total, "facts, most widely reported first")
    exports.download("facts", lambda: every_row("fact", chosen, total))


def statements(chosen: list[str], total: int) -> None:
    """One page of statements several chosen sources quote: each source's wording side by side,
    the words the others lack highlighted."""
    if not total:
        st.info("No statement is quoted by two of these sources.")
        return
    offset = page_offset(KEY_STATEMENTS_PAGE, total, STATEMENTS_PER_PAGE)
    rows = source_comparison.matrix_rows(store.query, "quote", chosen, 2, STATEMENTS_PER_PAGE, offset, cells=cells)
    groups = source_comparison.quote_groups(store.query, rows["item"].unique().tolist())
    copies = source_comparison.outlets_per_story(rows)
    for item, members in rows.groupby("item", sort=False):
        group = groups.loc[item] if item in groups.index else pd.Series(index=["speaker", "date", "similarity"])
        similarity = "" if pd.isna(group["similarity"]) else f" · similarity {group['similarity']:.2f}"
        with st.container(border=True):
            speaker = "Unknown speaker" if pd.isna(group["speaker"]) or not group["speaker"] else ui.literal(
                group["speaker"])
            date = "date unknown" if pd.isna(group["date"]) or not group["date"] else ui.literal(group["date"])
            carried = source_comparison.carried_note(copies.get(item))
            st.markdown(f"**{speaker}** · {date}{similarity}" + (f" · {carried}" if carried else ""))
            marked = source_comparison.group_diff(["" if pd.isna(w) else str(w) for w in members["shown"]])
            wordings = list(zip(members.itertuples(), marked))
            width = min(WORDINGS_PER_ROW, len(wordings))  # columns per row, the same in every row
            for first in range(0, len(wordings), width):
                for column, (member, words) in zip(st.columns(width), wordings[first:first + width]):
                    with column:
                        articles = f" · {member.stories} stories" if member.stories > 1 else ""
                        st.caption(ui.literal(member.source) + articles)
                        st.html(markup.marked_wording(words))
                        st.page_link(sentences.ARTICLE_PAGE, label="Open the sentence",
                                     query_params=ui.article_link_params(member.article_id, int(member.start)))
                        with st.popover("Cite"):
                            st.code(sentences.citation("" if pd.isna(member.shown) else str(member.shown), group["speaker"], member.source,
                                                       group["date"], member.article_id, int(member.start)),
                                    language=None, wrap_lines=True)
    rows_caption(rows["item"].nunique(), offset, total, "statements, most widely quoted first")


def matrix_table(kind: str, chosen: list[str], total: int, page_key: str, heading: str, noun: str,
                 least: int = 1, value: str = "shown") -> pd.DataFrame:
    """Items of `kind` carried by at least `least` chosen sources × those sources, one page; a
    cell links to the source's sentence and shows its wording (or `value`, e.g. mentions)."""
    offset = page_offset(page_key, total)
    rows = source_comparison.matrix_rows(store.query, kind, chosen, least, PER_PAGE, offset, cells=cells)
    matrix = source_comparison.matrix(rows, chosen, cell, value=value)
    picked = selectable(
        matrix.drop(columns="item"), f"{kind}_matrix",
        column_config={"label": st.column_config.TextColumn(heading, width="large"),
                       "copies": st.column_config.TextColumn("copies", help=COPIES_HELP), **source_columns(chosen)},
    )
    cell_context(picked, matrix["item"].tolist(), rows, f"{kind}_matrix")
    rows_caption(len(matrix), offset, total, noun)
    exports.download(noun, lambda: every_row(kind, chosen, total, least))
    return matrix


def alone_table(chosen: list[str], total: int) -> None:
    """The items only one chosen source reports, one page, each linked to its sentence."""
    offset = page_offset(KEY_ALONE_PAGE, total)
    alone = source_comparison.only_in_one_source(store.query, chosen, PER_PAGE, offset, cells=cells)
    listing = alone.rename(columns={"label": "what"}).assign(after=alone["start"] + 1)
    sentences.table(listing, ["source", "kind", "what"], "alone_table", sentence=("start", "after"),
                    column_config={"what": st.column_config.TextColumn("what", width="large")})
    rows_caption(len(listing), offset, total, "items only one source reports")
    exports.download("only_one_source", lambda: source_comparison.only_in_one_source(
        store.query, chosen, max(total, 1), 0, cells=cells))


st.title("Compare sources")
source_counts = store.query(source_comparison.SOURCES_SQL)
if source_counts.empty:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()

all_sources = source_counts["source"].tolist()
group_counts = source_comparison.group_counts(store.query)
all_groups = group_counts["source"].tolist()
links.share("compare", [
    links.choice(KEY_LENS, LENSES),
    links.choice(KEY_SOURCES, all_sources, many=True),
    links.choice(KEY_GROUPS, all_groups, many=True),
    links.choice(KEY_VIEW, TABS),
    *(links.number(key, 1) for key in PAGE_KEYS),
])
by_group = st.radio("Compare by", LENSES, key=KEY_LENS, horizontal=True, bind="query-params", on_change=first_pages,
                    help="Outlet groups gather outlets by country and ownership (the outlets data file).") != LENSES[0]
if by_group:
    cells, all_sources, default = source_comparison.GROUP_CELLS, all_groups, all_groups
    chosen = st.multiselect("Outlet groups", all_groups, default=default, key=KEY_GROUPS, bind="query-params",
                            on_change=first_pages, help="Outlets grouped by country and ownership.")
else:
    cells, default = source_comparison.CELLS, source_comparison.top_sources(source_counts, TOP_SOURCES)
    chosen = st.multiselect(
        "Sources", all_sources, default=default, key=KEY_SOURCES, bind="query-params", on_change=first_pages,
        help="An outlet, or the article itself when its outlet is unknown.",
    )
if len(all_sources) > len(chosen):
    which = "the ones with most articles" if sorted(chosen) == sorted(default) else "as chosen"
    st.caption(f"Comparing {len(chosen):,} of {len(all_sources):,} sources ({which}); add others above.")
if len(chosen) < 2:
    st.info("Choose at least two sources to compare them.")
    st.stop()
picked = set(chosen)
chosen = [s for s in all_sources if s in picked]  # in the order of the options

store.derived(cells, source_comparison.group_cells if by_group else source_comparison.coverage_cells)
store.derived(source_comparison.LABELS, source_comparison.coverage_labels)
counts = source_comparison.kind_counts(store.query, chosen, cells)

c1, c2, c3, c4 = st.columns(4)
c1.metric("Facts in several sources", int(counts.at["fact", "shared"]))
c2.metric("Facts in conflict", int(counts.at["fact", "conflicting"]))
c3.metric("Statements quoted by several", int(counts.at["quote", "shared"]))
c4.metric("Events reported by several", int(counts.at["event", "shared"]))

facts_tab, quotes_tab, actors_tab, only_tab = st.tabs(TABS, key=KEY_VIEW, bind="query-params")

if facts_tab.open:
    with facts_tab:
        st.caption("Each figure as each source states it; a shared row is the same fact. Red rows disagree with "
                   "another fact: same metric and period with another value (both rows are shown, with the "
                   "difference), or the same value for another period.")
        facts_table(chosen, int(counts.at["fact", "carried"]))

if quotes_tab.open:
    with quotes_tab:
        st.caption("Statements quoted by several sources, each source's wording side by side (its first article's); "
                   "highlighted words differ.")
        statements(chosen, int(counts.at["quote", "shared"]))
        with st.expander("Every quotation by source"):
            matrix_table("quote", chosen, int(counts.at["quote", "carried"]), KEY_QUOTATIONS_PAGE, "statement",
                         "quotations")

if actors_tab.open:
    with actors_tab:
        st.caption("Mentions of each actor per source; an empty cell is an actor that source omits.")
        actors = matrix_table("actor", chosen, int(counts.at["actor", "carried"]), KEY_ACTORS_PAGE, "actor",
                              "actors", value="mentions")
        if len(actors):
            st.html(markup.actor_links(actors["item"].tolist()))  # each actor's page
        st.subheader("Events reported by several sources")
        if counts.at["event", "shared"]:
            matrix_table("event", chosen, int(counts.at["event", "shared"]), KEY_EVENTS_PAGE, "event", "events",
                         least=2)
        else:
            st.info("No event is reported by two of these sources.")

if only_tab.open:
    with only_tab:
        st.caption("What each source carries and omits, and the items only one source reports.")
        summary = source_comparison.source_summary(store.query, chosen, cells)
        st.dataframe(summary, hide_index=True, width="stretch")
        exports.download("sources_summary", summary)
        alone_table(chosen, int(counts["alone"].sum()))
