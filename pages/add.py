"""Add articles: upload .txt/.md/.html files or paste a text; they are stored and the tables rebuilt.

Only when the operator has turned adding on (`app.adding`): otherwise the page explains how, and
writes nothing. The work is done by `lib.run.ingest` (checks and limits, storage under
`<data folder>/added/`, the log, and the same run as the command line); this page only collects
the input and shows results. Everything the user sends is untrusted: it is shown with
plain-text elements (dataframes, `st.text`) or with Markdown escaped, never as markup.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app import adding, links, sentences, store, ui
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
KEY_TOKEN = "add_token_input"
KEY_TOKEN_SUBMIT = "add_token_submit"
KEY_REMOVE = "add_remove"
KEY_REMOVE_SUBMIT = "add_remove_submit"
KEY_REMOVED = "add_removed"  # session state: how many were removed, shown after the rerun
MAX_MB = ingest.MAX_FILE_BYTES // (1024 * 1024)


def show_problems(problems: list) -> None:
    """Refused inputs, as a plain table (names and reasons may contain anything)."""
    if problems:
        st.warning(f"{len(problems)} input(s) could not be added:")
        st.dataframe(
            pd.DataFrame({"input": [p.file for p in problems], "reason": [p.reason for p in problems]}),
            hide_index=True,
            width="stretch",
        )


def run_pipeline(action, *args) -> dict | None:
    """Run an addition or removal (the tables are rebuilt); None, with the reason shown, if refused."""
    try:
        with st.spinner("Rebuilding the tables…"):
            return action(store.data_dir(), *args, adding.remote_address())
    except ingest.RejectedInput as error:
        st.error(f"Nothing was changed: {ui.literal(error)}")
        return None


def process(saved: list[Path]) -> None:
    """Run the pipeline over the stored files and list the added articles."""
    if not saved:
        return
    manifest = run_pipeline(ingest.add_articles, saved)
    if manifest is None:
        return
    added_ids = {path.stem for path in saved}
    problems = ingest.added_problems(manifest, [p.name for p in saved])
    added = store.query("SELECT article_id, title, outlet, published, words FROM articles "
                        "WHERE list_contains(?, article_id)", sorted(added_ids))
    if len(added):
        st.success(f"Added {len(added)} article(s); every page now includes them.")
        sentences.article_table(added, ["title", "outlet", "published", "words"], "added_articles")
    if problems:
        st.warning(f"{len(problems)} problem(s) with the added files:")
        st.text("\n".join(problems))


def ask_token() -> None:
    """The token form of `token` mode; stops the page until the right token is entered."""
    if adding.secret_token() is None:
        st.info("Adding is meant to need a token, but none is kept in Streamlit's secrets. " + adding.HOW_TO_ENABLE)
        st.stop()
    with st.form("token"):
        entered = st.text_input("Token", type="password", key=KEY_TOKEN, max_chars=200)
        submitted = st.form_submit_button("Unlock adding", key=KEY_TOKEN_SUBMIT)
    if submitted and adding.grant(entered):
        st.rerun()
    if submitted:
        st.error("That is not the token.")
    st.caption("Adding articles changes what every reader sees, so it needs the operator's token.")
    st.stop()


def show_added() -> None:
    """The added articles, and a form to remove some (the tables are rebuilt without them)."""
    listing = ingest.added_articles(store.data_dir())
    st.subheader("Added articles")
    if KEY_REMOVED in st.session_state:
        st.success(f"Removed {st.session_state.pop(KEY_REMOVED)} article(s); the tables were rebuilt without them.")
    if listing.empty:
        st.caption("No article has been added yet.")
        return
    st.dataframe(listing, hide_index=True, width="stretch")
    with st.form("remove"):
        chosen = st.multiselect("Remove", listing["file"].tolist(), key=KEY_REMOVE)
        submitted = st.form_submit_button("Remove and rebuild", key=KEY_REMOVE_SUBMIT)
    if submitted and chosen:
        outcome = run_pipeline(ingest.remove_articles, chosen)
        if outcome is not None:
            st.session_state[KEY_REMOVED] = len(outcome[0])
            st.rerun()


links.share("add", [])
st.title("Add articles")
if adding.mode() == "off":
    st.info(adding.HOW_TO_ENABLE)
    st.stop()
if not adding.allowed():
    ask_token()
st.caption(
    f"Files (.txt, .md, .html; at most {ingest.MAX_FILES} per addition, {MAX_MB} MB each) or pasted "
    f"text (at most {MAX_MB} MB) are added to every page: they are stored next to the tables, in their own "
    "folder, and the tables are rebuilt by the same run as the command line. The seed corpus is not "
    "changed. Each addition is logged with its time, files, size and the address it came from."
)
existing = store.query("SELECT article_id FROM articles")["article_id"].tolist()
upload_tab, paste_tab = st.tabs(["Upload files", "Paste text"])

with upload_tab, st.form("upload", clear_on_submit=True):
    files = st.file_uploader(
        "Article files", type=[s.lstrip(".") for s in ingest.UPLOAD_SUFFIXES], accept_multiple_files=True,
        key=KEY_UPLOADS, max_upload_size=MAX_MB,
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

show_added()
