"""One outlet as the Outlet page shows it: who it is, what it published, what it covers most, and
the facts it states that others contradict or that only its story carries (SQL over the tables).

Functions take `run`, a `(sql, *params) -> DataFrame` callable such as the dashboard's cached
query, over a `lib.views.warehouse.Warehouse` (which offers `sources`, `profiles` and `stories`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lib.contract.values import conflict_note, format_value, metric_label
from lib.views.warehouse import STORY_OF

Query = Callable[..., pd.DataFrame]

OUTLETS_SQL = """
    SELECT trim(outlet) AS outlet, count(*) AS articles FROM articles
    WHERE outlet IS NOT NULL AND trim(outlet) <> '' GROUP BY ALL ORDER BY articles DESC, outlet
"""

# the articles of one outlet (trimmed name), as one CTE other queries start from
_MINE = "mine AS (SELECT article_id FROM articles WHERE trim(outlet) = ?)"

_PROFILE_SQL = f"""
    WITH {_MINE}
    SELECT count(*) AS articles, count(DISTINCT {STORY_OF}) AS stories,
           count(*) FILTER (WHERE a.copy_of IS NOT NULL) AS copies,
           min(a.published) AS first, max(a.published) AS last,
           any_value(p.outlet_country) AS country, any_value(p.outlet_ownership) AS ownership,
           any_value(p.outlet_kind) AS kind, any_value(p.outlet_group) AS "group"
    FROM mine JOIN articles a USING (article_id) JOIN profiles p USING (article_id)
         LEFT JOIN stories USING (article_id)
"""

_ARTICLES_SQL = f"""
    WITH {_MINE}
    SELECT a.article_id, a.title, a.published, a.published_inferred, a.url, a.copy_of,
           first_copy.title AS copy_title, s.source AS copy_source
    FROM mine JOIN articles a USING (article_id)
         LEFT JOIN articles first_copy ON first_copy.article_id = a.copy_of
         LEFT JOIN sources s ON s.article_id = a.copy_of
    ORDER BY a.published DESC NULLS LAST, a.article_id
"""

_ACTORS_SQL = f"""
    WITH {_MINE}
    SELECT actor, any_value(actor_type) AS type, count(DISTINCT article_id) AS articles, count(*) AS mentions
    FROM mine JOIN actors USING (article_id) WHERE actor IS NOT NULL
    GROUP BY actor ORDER BY articles DESC, mentions DESC, actor LIMIT ?
"""

_METRICS_SQL = f"""
    WITH {_MINE}
    SELECT metric, count(DISTINCT article_id) AS articles, count(*) AS figures
    FROM mine JOIN figures USING (article_id) WHERE metric IS NOT NULL
    GROUP BY metric ORDER BY articles DESC, figures DESC, metric LIMIT ?
"""

_CONTESTED_SQL = f"""
    WITH {_MINE},
    said AS (  -- each conflicting fact the outlet states, where it first states it
        SELECT f.fact_id, first(f.article_id ORDER BY f.article_id, f.start) AS article_id,
               first(f.start ORDER BY f.article_id, f.start) AS start,
               first(f.surface ORDER BY f.article_id, f.start) AS surface
        FROM mine JOIN figures f USING (article_id) WHERE f.conflict AND f.fact_id IS NOT NULL
        GROUP BY f.fact_id
    ),
    others AS (
        SELECT g.fact_id, unnest(g.conflicts_with) AS other FROM fact_groups g JOIN said USING (fact_id)
    ),
    outlets AS (
        SELECT fact_id, string_agg(DISTINCT source, ', ' ORDER BY source) AS sources
        FROM (SELECT fact_id, unnest(article_ids) AS article_id FROM fact_groups) JOIN sources USING (article_id)
        GROUP BY fact_id
    )
    SELECT said.fact_id, g.label, g.metric, g.period, g.unit, g.value, said.surface, said.article_id, said.start,
           other.value AS other_value, coalesce(o.sources, '') AS other_sources
    FROM said JOIN fact_groups g USING (fact_id) LEFT JOIN others USING (fact_id)
         LEFT JOIN fact_groups other ON other.fact_id = others.other LEFT JOIN outlets o ON o.fact_id = others.other
    ORDER BY g.label, said.fact_id, other.value
"""

_ALONE_SQL = f"""
    WITH {_MINE},
    members AS (
        SELECT f.fact_id, f.article_id, f.start, f.surface, {STORY_OF} AS story, s.source
        FROM figures f LEFT JOIN stories USING (article_id) JOIN sources s USING (article_id)
        WHERE f.fact_id IS NOT NULL
    ),
    single AS (  -- facts that one story states (its copies count once)
        SELECT fact_id FROM members GROUP BY fact_id HAVING count(DISTINCT story) = 1
    )
    SELECT m.fact_id, g.label, first(m.article_id ORDER BY m.article_id, m.start) AS article_id,
           first(m.start ORDER BY m.article_id, m.start) AS start,
           first(m.surface ORDER BY m.article_id, m.start) AS surface,
           any_value(g.conflict) AS conflict,
           (SELECT string_agg(DISTINCT x.source, ', ' ORDER BY x.source) FROM members x
            WHERE x.fact_id = m.fact_id AND x.article_id NOT IN (SELECT article_id FROM mine)) AS copies_in
    FROM members m JOIN single USING (fact_id) JOIN fact_groups g USING (fact_id)
    WHERE m.article_id IN (SELECT article_id FROM mine)
    GROUP BY m.fact_id, g.label ORDER BY g.label, m.fact_id
"""


def outlets(run: Query) -> pd.DataFrame:
    """The outlets of the corpus (outlet, articles), most articles first."""
    return run(OUTLETS_SQL)


def profile(run: Query, outlet: str) -> dict:
    """Who the outlet is and how much it published: articles, stories (a copied story once),
    copies, first and last publication, and its country, ownership, kind and group."""
    return run(_PROFILE_SQL, outlet).iloc[0].to_dict()


def articles(run: Query, outlet: str) -> pd.DataFrame:
    """The outlet's articles, newest first: id, title, publication, url, and for a copy of an
    earlier story (`copy_of`) that story's title and source."""
    return run(_ARTICLES_SQL, outlet)


def copy_note(copy_of: object, title: object, source: object) -> str:
    """"copy of “Title” (Source)" for a copy of an earlier story, else ""."""
    if pd.isna(copy_of) or not str(copy_of):
        return ""
    named = str(title) if not pd.isna(title) and str(title) else str(copy_of)
    return f"copy of “{named}”" + (f" ({source})" if not pd.isna(source) and str(source) else "")


def top_actors(run: Query, outlet: str, limit: int = 15) -> pd.DataFrame:
    """The actors the outlet covers most: in how many of its articles, with how many mentions."""
    return run(_ACTORS_SQL, outlet, limit)


def top_metrics(run: Query, outlet: str, limit: int = 15) -> pd.DataFrame:
    """The economic measures the outlet reports most, with readable names ("bilateral trade")."""
    found = run(_METRICS_SQL, outlet, limit)
    return found.assign(metric=[metric_label(m) for m in found["metric"]])


def contested_facts(run: Query, outlet: str) -> pd.DataFrame:
    """The facts the outlet states that another fact contradicts, one row per (fact, other value):
    fact label, what the outlet says, what others say with their outlets, the difference, and where
    the outlet says it (article_id, start)."""
    rows = run(_CONTESTED_SQL, outlet)
    return pd.DataFrame({
        "fact": rows["label"],
        "says": rows["surface"],
        "others say": [("" if pd.isna(v) else format_value(v, u)) + (f" ({s})" if s else "")
                       for v, u, s in zip(rows["other_value"], rows["unit"], rows["other_sources"])],
        "difference": [conflict_note(v, o, u) if not pd.isna(o) else ""
                       for v, o, u in zip(rows["value"], rows["other_value"], rows["unit"])],
        "article_id": rows["article_id"],
        "start": rows["start"],
    })


def alone_facts(run: Query, outlet: str) -> pd.DataFrame:
    """The facts no other story states, among the outlet's: label, its wording, whether another
    fact contradicts it, the other outlets carrying copies of the same story, and where it says it."""
    rows = run(_ALONE_SQL, outlet)
    return pd.DataFrame({
        "fact": rows["label"],
        "says": rows["surface"],
        "conflict": rows["conflict"].fillna(False).astype(bool),
        "copies in": rows["copies_in"].fillna(""),
        "article_id": rows["article_id"],
        "start": rows["start"],
    })
