"""Reaching a sentence without leaving the tab: rows read in context, links that open in place.

A table of rows drawn from sentences (quotes, events, figures) lets the reader select a row: the
sentence then shows under the table between its neighbours, the quote or figure in bold on a
highlighted sentence, with a link that opens it in the Article page in this same tab (a link
column would open a new tab and start a new session). Quotations come with a citation to copy.
Article text is untrusted: it is shown as literal Markdown (`ui.literal`), never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from app import store, ui
from lib.views import excerpt, labels

ARTICLE_PAGE = st.Page(Path(__file__).resolve().parents[1] / "pages" / "article.py", url_path="article")
OPEN_LABEL = "Open the sentence in the article"
HINT = "Select a row (the box on its left) to read its sentence in context here."
ARTICLE_HINT = "Select an article (the box on the left of its row) to open it here."


def article(article_id: str) -> pd.Series | None:
    """The text, url, title and outlet of one article (None when it is gone)."""
    found = store.query(excerpt.ARTICLES_SQL, [str(article_id)])
    return found.iloc[0] if len(found) else None


def citation(quote: str, speaker: object, source: object, date: object, article_id: str, start: int) -> str:
    """The quotation ready to cite, with the article's own URL (else this dashboard's link to it)."""
    found = article(article_id)
    url = found["url"] if found is not None and isinstance(found["url"], str) and found["url"] else None
    if url is None:
        base = (st.context.url or "").rsplit("/", 1)[0]
        url = f"{base}/{ui.article_url(article_id, start)}" if base else None
    return excerpt.citation(quote, None if speaker == "(unknown)" else speaker, source, date, url)


def in_context(article_id: str, start: int, end: int, mark: tuple[int, int] | None = None,
               cite: str | None = None) -> None:
    """The sentence [`start`, `end`) with its neighbours, `mark` in bold, a same-tab link to it and,
    for a quotation, its citation in a box with a copy button."""
    found = article(article_id)
    if found is None or not isinstance(found["text"], str):
        st.caption("This article is no longer in the data.")
        return
    piece = excerpt.excerpt(found["text"], int(start), int(end), mark)
    sentence = ui.literal(piece.lead) + _bold(piece.mark) + ui.literal(piece.tail)
    st.markdown(f"{ui.literal(piece.before)} :orange-background[{sentence.strip()}] {ui.literal(piece.after)}")
    st.page_link(ARTICLE_PAGE, label=OPEN_LABEL, icon=":material/article:",
                 query_params=ui.article_link_params(article_id, int(start)))
    if cite:
        st.caption("Citation (copy it with the button on the right)")
        st.code(cite, language=None, wrap_lines=True)


def table(frame: pd.DataFrame, columns: Sequence[str], key: str, column_config: dict | None = None,
          mark: tuple[str, str] | None = None, sentence: tuple[str, str] = ("start", "end"),
          quote: bool = False) -> None:
    """`frame[columns]` as a table whose selected row shows its sentence in context below it.

    `frame` has `article_id` and the sentence's offsets (`sentence` names their columns); `mark`
    names the columns of the part to highlight. With `quote`, the row is a quotation (`text`,
    `speaker`, `source`, `date`) and gets a citation.
    """
    row = _selected(frame, columns, key, column_config, HINT)
    if row is None:
        return
    start, end = (int(row[c]) for c in sentence)
    marked = (int(row[mark[0]]), int(row[mark[1]])) if mark else None
    cite = citation(row["text"], row.get("speaker"), row.get("source"), row.get("date"), row["article_id"],
                    int(row[mark[0]] if mark else start)) if quote else None
    with st.container(key=f"context_{key}", border=True):
        in_context(row["article_id"], start, end, marked, cite)


def article_table(frame: pd.DataFrame, columns: Sequence[str], key: str, column_config: dict | None = None) -> None:
    """`frame[columns]` as a table of articles (`frame` has `article_id` and `title`) whose
    selected row gives a same-tab link to that article."""
    row = _selected(frame, columns, key, column_config, ARTICLE_HINT)
    if row is None:
        return
    title = row["title"] if isinstance(row["title"], str) and row["title"].strip() else row["article_id"]
    st.page_link(ARTICLE_PAGE, label=f"Open “{ui.literal(title)}”", icon=":material/article:",
                 query_params=ui.article_link_params(row["article_id"]))


def _selected(frame: pd.DataFrame, columns: Sequence[str], key: str, column_config: dict | None,
              hint: str) -> pd.Series | None:
    """`frame[columns]` as a table with one selectable row (missing texts blank); the selected
    row of `frame`, or None after `hint` when none is selected."""
    state = st.dataframe(labels.blank_texts(frame[list(columns)]), hide_index=True, width="stretch",
                         column_config=column_config, key=key, on_select="rerun", selection_mode="single-row")
    picked = [k for k in state.selection.rows if k < len(frame)]
    if not picked:
        st.caption(hint)
        return None
    return frame.iloc[picked[0]]


def around(frame: pd.DataFrame, at: str = "start") -> pd.DataFrame:
    """`frame` with `_at` and `_after`: the one-character span at `at`, whose sentence `table`
    shows (for rows that keep only where their words start)."""
    return frame.assign(_at=frame[at], _after=frame[at] + 1)


def _bold(text: str) -> str:
    """Literal `text` in bold, its outer spaces left outside (Markdown needs them there)."""
    core = text.strip()
    if not core:
        return ui.literal(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}**{ui.literal(core)}**{trail}"
