"""What the Actor page shows about one canonical actor (`actors.actor`), as SQL over a `Warehouse`.

Every query takes the actor's name as a `?` parameter. The definitions a reader relies on:

* the page's actors are the canonical actors and the quote speakers;
* a *mention* is one row of `actors`; mentions over time count them by their article's
  publication date (weekly when the dated articles span at most `WEEKLY_UP_TO_DAYS`, else
  monthly) and by source (`warehouse.source_label`);
* their *quotations* are the quotes whose `speaker` is the actor, shown with their sentence;
* their *events* are the events whose `actors` list holds the actor;
* the *figures they are cited for* are the figures in a sentence that mentions the actor, and
  the figures whose `origin` (the cited source) is the actor;
* the actors they *appear with* are the other actors mentioned in the same sentence, counted
  once per sentence;
* their *names* are the distinct `surface` values of their mentions, with how each was recognised.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.contract.periods import interval

WEEKLY_UP_TO_DAYS = 183  # dated articles spanning at most this many days are counted per week
MOST_SOURCES = 12  # sources drawn with their own colour in the mentions chart
OTHER_SOURCES = "other sources"
EXCERPT_CHARS = 300  # a longer sentence is shortened around the quote in the excerpt

# Every canonical actor, and every quote speaker (a speaker such as "communique" may never be
# mentioned as an actor), most mentioned first.
NAMES_SQL = """
SELECT name, sum(mentions) AS mentions FROM (
    SELECT actor AS name, count(*) AS mentions FROM actors WHERE actor IS NOT NULL GROUP BY actor
    UNION ALL
    SELECT DISTINCT speaker AS name, 0 AS mentions FROM quotes WHERE speaker IS NOT NULL
) GROUP BY name ORDER BY mentions DESC, name
"""

SUMMARY_SQL = """
SELECT count(*) AS mentions, count(DISTINCT article_id) AS articles,
       mode(actor_type) AS actor_type
FROM actors WHERE actor = ?
"""

# The publication day of each article, when it is a valid ISO date.
_DAY = "TRY_CAST(TRY_STRPTIME(articles.published, '%Y-%m-%d') AS DATE)"

SPAN_SQL = f"""
SELECT min({_DAY}) AS first_day, max({_DAY}) AS last_day
FROM actors JOIN articles USING (article_id) WHERE actor = ?
"""

# Mentions per period and source; the sources beyond the `?` most mentioning are summed under
# one label (the second `?`), so a corpus of many outlets still draws a readable chart.
MENTIONS_SQL = f"""
WITH counted AS (
    SELECT CAST(date_trunc(?, {_DAY}) AS DATE) AS period, sources.source,
           count(*) AS mentions, count(DISTINCT actors.article_id) AS articles
    FROM actors JOIN articles USING (article_id) JOIN sources USING (article_id)
    WHERE actor = ? AND {_DAY} IS NOT NULL
    GROUP BY ALL
), ranked AS (
    SELECT source, row_number() OVER (ORDER BY sum(mentions) DESC, source) AS rank
    FROM counted GROUP BY source
)
SELECT period, CASE WHEN rank <= ? THEN source ELSE ? END AS source,
       sum(mentions)::BIGINT AS mentions, sum(articles)::BIGINT AS articles,
       (SELECT count(*) FROM ranked) AS sources
FROM counted JOIN ranked USING (source)
GROUP BY ALL ORDER BY period, mentions DESC, source
"""

UNDATED_SQL = f"""
SELECT count(*) FROM actors JOIN articles USING (article_id) WHERE actor = ? AND {_DAY} IS NULL
"""

# The sentence of a row (`sent_start`, `sent_end`: Python offsets, DuckDB counts from 1).
_SENTENCE = "substring(articles.text, {row}.sent_start + 1, {row}.sent_end - {row}.sent_start)"

QUOTES_SQL = f"""
SELECT quotes.article_id, quotes.text, quotes.kind, quotes.cue, quotes.start, quotes.end,
       quotes.sent_start, {_SENTENCE.format(row="quotes")} AS sentence,
       sources.source, articles.title, articles.published, count(*) OVER () AS total
FROM quotes JOIN articles USING (article_id) JOIN sources USING (article_id)
WHERE quotes.speaker = ?
ORDER BY articles.published NULLS LAST, quotes.article_id, quotes.start
LIMIT ?
"""

EVENTS_SQL = """
SELECT events.article_id, events.event_id, events.date, events.kind, events.summary, events.actors,
       events.start, sources.source, count(*) OVER () AS total
FROM events JOIN sources USING (article_id)
WHERE list_contains(events.actors, ?)
ORDER BY events.date NULLS LAST, events.article_id, events.start
LIMIT ?
"""

FIGURES_SQL = f"""
WITH said AS (
    SELECT DISTINCT article_id, sent_start FROM actors WHERE actor = ?
)
SELECT figures.article_id, figures.surface, figures.value, figures.unit, figures.metric,
       figures.period, figures.kind, figures.origin, figures.start,
       CASE WHEN figures.origin = ? THEN 'cited as source' ELSE 'named in the sentence' END AS cited,
       {_SENTENCE.format(row="figures")} AS sentence, sources.source,
       count(*) OVER () AS total
FROM figures JOIN articles USING (article_id) JOIN sources USING (article_id)
WHERE figures.origin = ?
   OR EXISTS (SELECT 1 FROM said WHERE said.article_id = figures.article_id
              AND said.sent_start = figures.sent_start)
ORDER BY figures.metric, figures.period NULLS LAST, figures.article_id, figures.start
LIMIT ?
"""

COMPANIONS_SQL = """
WITH sentences AS (
    SELECT DISTINCT article_id, sent_start FROM actors WHERE actor = ?
)
SELECT others.actor, count(DISTINCT (others.article_id, others.sent_start)) AS sentences,
       count(DISTINCT others.article_id) AS articles
FROM actors AS others JOIN sentences USING (article_id, sent_start)
WHERE others.actor <> ? AND others.actor IS NOT NULL
GROUP BY others.actor ORDER BY sentences DESC, articles DESC, others.actor
LIMIT ?
"""

SURFACES_SQL = """
SELECT surface AS name, how, count(*) AS mentions, count(DISTINCT article_id) AS articles
FROM actors WHERE actor = ?
GROUP BY surface, how ORDER BY mentions DESC, name, how
"""


def step(first_day: dt.date | None, last_day: dt.date | None) -> str:
    """"week" when the dated articles span at most WEEKLY_UP_TO_DAYS, else "month"."""
    if first_day is None or last_day is None or pd.isna(first_day) or pd.isna(last_day):
        return "month"
    return "week" if (last_day - first_day).days <= WEEKLY_UP_TO_DAYS else "month"


def excerpt(sentence: str, text: str, most: int = EXCERPT_CHARS) -> str:
    """The sentence holding a quote, shortened to about `most` characters around the quote."""
    sentence = " ".join(str(sentence).split())
    if len(sentence) <= most:
        return sentence
    at = sentence.find(" ".join(str(text).split())[:40])
    start = max(0, min(at if at > 0 else 0, len(sentence) - most) - 40)
    end = min(len(sentence), start + most)
    return ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")


def event_spans(events: pd.DataFrame) -> pd.DataFrame:
    """The events whose date can be placed, with `first_day` and `last_day` (the whole span of a
    month, a year or a range), for a timeline."""
    spans = [interval(value) for value in events["date"]]
    placed = events.assign(first_day=[s[0] if s else None for s in spans],
                           last_day=[s[1] if s else None for s in spans])
    return placed[placed["first_day"].notna()].reset_index(drop=True)
