"""Add articles: upload .txt/.md/.html files or paste a text; they are preprocessed and merged.

The work is done by `lib.run.ingest` (checks, storage under `<data folder>/added/`, extraction,
merging, two-phase writing); this page only collects the input and shows progress and results.
Everything the user sends is untrusted: it is shown with plain-text elements (dataframes,
`st.text`) or with Markdown escaped, never as markup.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app import links, store, ui
from lib.run import ingest

KEY_UPLOADS = "add_files"
KEY_UPLOAD_OUTLET = "add_files_outlet"
KEY_UPLOAD_DATE = "add_files_date"
KEY_UPLOAD_SUBMIT = "add_files_submit"
KEY_TITLE = "add_title"
KEY_OUTLET = "add_outlet"
KEY_DATE = "add_date"
KEY_TEXT = "add_text"
KEY_PASTE_SUBMIT = "add_text_submit"


def show_problems(problems: list) -> None:
    """Refused inputs, as a plain table (names and reasons may contain anything)."""
    if problems:
        st.warning(f"{len(problems)} input(s) could not be added:")
        st.dataframe(
            pd.DataFrame({"input": [p.file for p in problems], "reason": [p.reason for p in problems]}),
            hide_index=True,
            width="stretch",
        )


def process(saved: list[Path]) -> None:
    """Preprocess the stored files with a progress bar, merge them, and list the added articles."""
    if not saved:
        return
    bar = st.progress(0.0, text="Loading the language model…")
    nlp = store.nlp()

    def advance(done: int, total: int, what: str) -> None:
        bar.progress(done / max(total, 1), text=ui.literal(what))

    manifest = ingest.add_articles(store.data_dir(), saved, progress=advance, nlp=nlp)
    bar.empty()
    added_ids = {path.stem for path in saved}
    problems = manifest.get("added_problems", [])
    added = store.query("SELECT article_id, title, outlet, published, words FROM articles "
                        "WHERE list_contains(?, article_id)", sorted(added_ids))
    if len(added):
        st.success(f"Added {len(added)} article(s); every page now includes them.")
        st.dataframe(
            added.assign(open=[ui.article_url(a) for a in added["article_id"]])[
                ["open", "title", "outlet", "published", "words"]
            ],
            hide_index=True,
            width="stretch",
            column_config={"open": st.column_config.LinkColumn("article", display_text="open")},
        )
    if problems:
        st.warning(f"{len(problems)} file(s) could not be used:")
        st.text("\n".join(problems))


links.share("add", [])
st.title("Add articles")
st.caption(
    f"Files (.txt, .md, .html; at most {ingest.MAX_FILES} per upload, "
    f"{ingest.MAX_FILE_BYTES // (1024 * 1024)} MB each) or pasted text are preprocessed and added to "
    "every page. They are stored next to the tables, in their own folder; the seed corpus is not changed."
)
existing = store.query("SELECT article_id FROM articles")["article_id"].tolist()
upload_tab, paste_tab = st.tabs(["Upload files", "Paste text"])

with upload_tab, st.form("upload", clear_on_submit=True):
    files = st.file_uploader(
        "Article files", type=[s.lstrip(".") for s in ingest.UPLOAD_SUFFIXES], accept_multiple_files=True,
        key=KEY_UPLOADS,
    )
    outlet_col, date_col = st.columns(2)
    upload_outlet = outlet_col.text_input("Outlet (optional, for all files)", key=KEY_UPLOAD_OUTLET, max_chars=300)
    upload_date = date_col.text_input(
        "Published (optional, YYYY-MM-DD)", key=KEY_UPLOAD_DATE, max_chars=10,
        help="Left empty, the date is inferred from each text.",
    )
    upload_submitted = st.form_submit_button("Add files", key=KEY_UPLOAD_SUBMIT, type="primary")

with paste_tab, st.form("paste"):
    title = st.text_input("Title (optional)", key=KEY_TITLE, max_chars=300)
    outlet_col, date_col = st.columns(2)
    outlet = outlet_col.text_input("Outlet (optional)", key=KEY_OUTLET, max_chars=300)
    published = date_col.text_input(
        "Published (optional, YYYY-MM-DD)", key=KEY_DATE, max_chars=10,
        help="Left empty, the date is inferred from the text.",
    )
    text = st.text_area("Article text", key=KEY_TEXT, height=260)
    paste_submitted = st.form_submit_button("Add article", key=KEY_PASTE_SUBMIT, type="primary")

if upload_submitted:
    if not files:
        st.error("Choose at least one file to add.")
    else:
        try:
            saved, problems = ingest.save_uploads(
                ingest.added_folder(store.data_dir()), files, existing, outlet=upload_outlet, published=upload_date
            )
        except ingest.RejectedInput as error:
            st.error(f"Nothing was added: {ui.literal(error)}")
        else:
            show_problems(problems)
            process(saved)

if paste_submitted:
    try:
        path = ingest.save_pasted(
            ingest.added_folder(store.data_dir()), text, title=title, outlet=outlet, published=published,
            existing_ids=existing,
        )
    except ingest.RejectedInput as error:
        st.error(f"Not added: {ui.literal(error)}")
    else:
        process([path])
