"""How pages name an article: its source and its publication date. One definition of each.

The warehouse builds its `sources` and `published_labels` tables with these functions, so SQL
views join the labels and Python code calls the functions: the same words either way.
"""

from __future__ import annotations

import pandas as pd

from lib.contract.outlet_groups import UNKNOWN as UNKNOWN_OUTLET  # one name for an article without outlet

TITLE_WORDS = 4  # words of the title that name an article of unknown outlet
UNDATED = "undated"  # the date part of a source label without a date
UNKNOWN_DATE = "unknown"  # the publication date label without a date
INFERRED = "(inferred)"  # marks a publication date read from the text, not given with the article


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def source_label(outlet: object, published: object, title: object, article_id: object) -> str:
    """An article's source: its outlet, else "unknown outlet · 2023-05-24 · China on Wednesday
    staged…" (publication date and the title's first words, or the id without a title), never a bare id."""
    if not _blank(outlet):
        return str(outlet).strip()
    date = UNDATED if _blank(published) else str(published).strip()
    words = ("" if _blank(title) else str(title)).split() or [str(article_id)]
    start = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return f"{UNKNOWN_OUTLET} · {date} · {start}"


def published_label(published: object, inferred: object) -> str:
    """An article's publication date, "2023-05-24 (inferred)" when read from the text, "unknown" without one."""
    if _blank(published):
        return UNKNOWN_DATE
    marked = not (inferred is None or (not isinstance(inferred, str) and pd.isna(inferred))) and bool(inferred)
    return f"{published} {INFERRED}" if marked else str(published)


def label_tables(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The warehouse's label tables of `articles` (article_id, outlet, published,
    published_inferred, title): `sources` (article_id, source) and `published_labels`
    (article_id, published_label)."""
    ids = articles["article_id"].astype(object)
    columns = {name: articles[name].tolist() for name in ("outlet", "published", "title", "article_id")}
    sources = [source_label(*row) for row in zip(*columns.values())]
    dates = [published_label(p, i) for p, i in zip(columns["published"], articles["published_inferred"].tolist())]
    return {
        "sources": pd.DataFrame({"article_id": ids, "source": pd.Series(sources, index=ids.index, dtype=object)}),
        "published_labels": pd.DataFrame({"article_id": ids,
                                          "published_label": pd.Series(dates, index=ids.index, dtype=object)}),
    }

def carriers_label(n_sources: int, n_stories: int | None) -> str:
    """"sources (3)", or "1 story carried by 3 sources" when copies of a story make the sources
    more than the stories."""
    if n_stories is None or pd.isna(n_stories) or int(n_stories) >= int(n_sources):
        return f"sources ({int(n_sources)})"
    return f"{int(n_stories)} {'story' if int(n_stories) == 1 else 'stories'} carried by {int(n_sources)} sources"


def blank_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with a missing text shown blank, not as "None" (numbers and flags keep theirs)."""
    text = [c for c in frame.columns
            if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))]
    return frame.astype({c: object for c in text}).fillna({c: "" for c in text}) if text else frame
