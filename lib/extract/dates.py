"""Temporal expressions: find them in a parsed article and pin them to calendar time.

Values use the project notation `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYY-Qn` or `START/END`.
Relative expressions ("last week", "Wednesday", "so far this year") are anchored to the
article's publication date; absolute ones ("February 2022", "1 June 2023") are parsed with
dateparser. A yearless day is read by the tense of its sentence: the coming one for the future
("will visit on June 1"), the last one for the past ("met on June 1"), else the nearer one when
it is at most three months ahead; a yearless month is the last one unless the sentence speaks
of the future. The phrase rules and word lists live in `lib/data/dates_rules.json`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
from spacy.tokens import Doc, Span, Token

from lib.contract.periods import interval, month_end, to_quarter
from lib.contract.schema import from_rows
from lib.nlp.pipeline import doc_text
from lib.nlp.wordscan import WordPatterns
from lib.read.datelines import dateline_date

DATA = Path(__file__).resolve().parents[1] / "data" / "dates_rules.json"
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "range": 4, "year": 5}
FUTURE_MONTH_DAY_WINDOW = 92  # days: a yearless "June 1" this close ahead is read as the coming one
ENTITY_LABELS = ("DATE", "TIME")
# The last value and the last quarter told before the expression being resolved, in its article.
ARTICLE_CONTEXT: ContextVar[tuple[str | None, str | None]] = ContextVar("article_context", default=(None, None))
TEMPORAL_PREPS = {"in", "since", "by", "of", "from", "until", "till", "before", "after", "during", "through",
                  "to", "and", "between", "early", "late", "mid"}


@dataclass(frozen=True)
class Resolution:
    """A recognised temporal expression: value/precision are None when it cannot be pinned."""

    value: str | None
    precision: str | None
    anchor: str  # "absolute" or "published"
    relation: str | None = None  # "since", "until", "by", ...: the date opens or closes a range


@dataclass(frozen=True)
class Rule:
    name: str
    full: re.Pattern
    search: re.Pattern | None
    params: dict


# ---------------------------------------------------------------- data


@cache
def lexicon() -> dict:
    """The dates data file (word lists and rules)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _placeholders() -> dict[str, str]:
    lex = lexicon()
    return {
        "WEEKDAY": f"(?:{_alternation(lex['weekdays'])})",
        "MONTH": f"(?:{_alternation(lex['months'])})",
        "NUM": f"(?:\\d+|{_alternation(lex['numbers'])})",
        "ORD": f"(?:{_alternation(lex['ordinals'])})",
        "UNIT": f"(?:{_alternation(lex['units'])})",
        "YEAR": "(?:1[6-9]|20)\\d\\d",
        "DAY": "(?:3[01]|[12]\\d|0?[1-9])",
        "TIME": "(?:(?:[01]?\\d|2[0-3])(?:[:.][0-5]\\d)? ?(?:a\\.m\\.?|p\\.m\\.?|am|pm)|noon|midnight|midday)",
        "ZONE": "(?:gmt|utc|[ecmp][sd]t|bst|cet|cest|msk|local time|beijing time|moscow time)",
        "SPOKEN_YEAR": _spoken_year_pattern(),
        "DECADE_WORD": f"(?:{_alternation(lex['decade_words'])})",
        "HOLIDAY": f"(?:{_alternation(k for k in lex['holidays'] if not k.startswith('_'))})",
    }


def _spoken_year_pattern() -> str:
    """ "nineteen ninety-six", "twenty ten", "the year two thousand (and) one"."""
    words = lexicon()["spoken_numbers"]
    century, teens = _alternation(words["centuries"]), _alternation(words["teens"])
    tens, units = _alternation(words["tens"]), _alternation(words["units"])
    return (f"(?:(?:{century})[ -](?:(?:{tens})(?:[ -](?:{units}))?|{teens}|hundred|oh[ -](?:{units}))"
            f"|two thousand(?:(?: and)? (?:{teens}|{units}))?)")


def _expand(pattern: str) -> str:
    for key, value in _placeholders().items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


@cache
def rules() -> tuple[Rule, ...]:
    """The ordered rules of the data file, compiled for whole-surface and in-text matching."""
    out = []
    in_text = iter(_in_text_patterns().patterns)
    for spec in lexicon()["rules"]:
        pattern = _expand(spec["pattern"])
        params = {k: v for k, v in spec.items() if k not in ("pattern", "rule", "search")}
        search = next(in_text) if spec.get("search", True) else None
        out.append(Rule(spec["rule"], re.compile(pattern, re.IGNORECASE), search, params))
    return tuple(out)


@cache
def _in_text_patterns() -> WordPatterns:
    """The patterns of the rules matched in running text (all but `"search": false`), as whole
    words, to match in one scan."""
    return WordPatterns([_expand(spec["pattern"]) for spec in lexicon()["rules"] if spec.get("search", True)])


@cache
def _date_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"RETURN_TIME_AS_PERIOD": True,
                                                      "PREFER_DAY_OF_MONTH": "first"})


# ---------------------------------------------------------------- value notation helpers


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _range(start: dt.date, end: dt.date, anchor: str) -> Resolution:
    value = f"{_iso(start)}/{_iso(end)}"
    precision = "quarter" if to_quarter(value) != value else "range"
    if (end - start).days <= 6 and _monday(start) == _monday(end):
        precision = "week"
    return Resolution(value, precision, anchor)


# ---------------------------------------------------------------- resolvers (one per rule name)


def _number(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else lexicon()["numbers"][text]


def _ordinal(text: str) -> int:
    return lexicon()["ordinals"][text.lower()]


def _group(m: re.Match, *names: str) -> str | None:
    for name in names:
        if name in m.re.groupindex and m.group(name):
            return m.group(name)
    return None


def _offset(m, params, published, future, previous):
    unit = params.get("unit") or _group(m, "unit", "unit2", "unit3")
    unit = lexicon()["units"].get(unit.lower(), unit) if unit else "year"
    k = params.get("offset", 0)
    if params.get("context") and _within_one(previous, unit):  # "the following year": after the date just told
        return _shifted(interval(previous)[0], unit, k)
    if unit == "day":
        return Resolution(_iso(published + dt.timedelta(days=k)), "day", "published")
    if unit == "week":
        monday = _monday(published) + dt.timedelta(weeks=k)
        return _range(monday, monday + dt.timedelta(days=6), "published")
    if unit == "month":
        return Resolution(_month_value(*_add_months(published.year, published.month, k)), "month", "published")
    if unit == "quarter":
        year, month = _add_months(published.year, published.month, 3 * k)
        return Resolution(f"{year}-Q{(month - 1) // 3 + 1}", "quarter", "published")
    return Resolution(str(published.year + k), "year", "published")


def _shifted(day: dt.date, unit: str, k: int) -> Resolution:
    """The `unit` (day, week, month, year) `k` units from the one holding `day`."""
    if unit == "day":
        return Resolution(_iso(day + dt.timedelta(days=k)), "day", "absolute")
    if unit == "week":
        monday = _monday(day) + dt.timedelta(weeks=k)
        return _range(monday, monday + dt.timedelta(days=6), "absolute")
    if unit in ("month", "quarter"):
        year, month = _add_months(day.year, day.month, k * (3 if unit == "quarter" else 1))
        if unit == "quarter":
            return Resolution(f"{year}-Q{(month - 1) // 3 + 1}", "quarter", "absolute")
        return Resolution(_month_value(year, month), "month", "absolute")
    return Resolution(str(day.year + k), "year", "absolute")


def _same_unit(m, params, published, future, previous):
    """"that year", "the same day": the unit holding the date just told (else the publication's)."""
    unit = lexicon()["units"][m["unit"].lower()]
    if not _within_one(previous, unit):
        return _offset(m, {"unit": unit}, published, future, None)
    return _shifted(interval(previous)[0], unit, 0)


def _within_one(value: str | None, unit: str) -> bool:
    """The value lies within one day, week, month or year (so "the day after" it has a meaning)."""
    span = interval(value)
    if span is None:
        return False
    first, last = span
    return {"day": first == last, "week": _monday(first) == _monday(last),
            "month": (first.year, first.month) == (last.year, last.month)}.get(unit, first.year == last.year)


def _weekend(m, params, published, future, previous):
    k = params.get("offset")
    if k is None:  # "the weekend": the current one on a weekend, else the last (or coming) one
        k = 0 if published.weekday() >= 5 or future else -1
    saturday = _monday(published) + dt.timedelta(weeks=k, days=5)
    return _range(saturday, saturday + dt.timedelta(days=1), "published")


def _ago(m, params, published, future, previous):
    n, unit = _number(m["num"]), lexicon()["units"][m["unit"].lower()]
    quarter = _as_quarter(previous)
    if unit == "year" and n == 1 and quarter:  # "profit rose from a year ago" in a report on a quarter
        return Resolution(f"{quarter[0] - n}-Q{quarter[1]}", "quarter", "absolute")
    if unit == "year":
        return Resolution(str(published.year - n), "year", "published")
    if unit in ("month", "quarter"):
        months = n * (3 if unit == "quarter" else 1)
        return Resolution(_month_value(*_add_months(published.year, published.month, -months)), "month",
                          "published")
    if unit == "week":
        monday = _monday(published - dt.timedelta(weeks=n))
        return _range(monday, monday + dt.timedelta(days=6), "published")
    return Resolution(_iso(published - dt.timedelta(days=n)), "day", "published")


def _earlier(m, params, published, future, previous):
    """"up from 1.9 million a year earlier": years before the sentence's previous date, at its
    precision ("in the first quarter" → the first quarter a year before); without one (or
    for other units, or a day), as "a year ago"."""
    n, unit = _number(m["num"]), lexicon()["units"][m["unit"].lower()]
    shape = re.fullmatch(r"(?P<year>\d{4})(?P<rest>-Q[1-4]|-\d{2})?", to_quarter(previous) or "")
    if unit != "year" or shape is None:
        return _ago(m, params, published, future, previous)
    rest = shape["rest"] or ""
    precision = "year" if not rest else "quarter" if "Q" in rest else "month"
    return Resolution(f"{int(shape['year']) - n}{rest}", precision, "absolute")


def _as_quarter(value: str | None) -> tuple[int, int] | None:
    """(year, quarter) when the value is one calendar quarter."""
    m = re.fullmatch(r"(\d{4})-Q([1-4])", to_quarter(value) or "")
    return (int(m[1]), int(m[2])) if m else None


def _latest_quarter(published: dt.date) -> tuple[int, int]:
    """The last quarter that has ended by the publication."""
    q = (published.month - 1) // 3
    return (published.year, q) if q else (published.year - 1, 4)


def _year_back(m, params, published, future, previous):
    """"the year-ago quarter", "the same period a year earlier": the period just told (or the
    quarter named), a year back; without one, last year."""
    ordinal = _group(m, "ord", "ord2")
    quarter = _as_quarter(previous)
    if ordinal:
        year = quarter[0] if quarter else _latest_quarter(published)[0]
        return Resolution(f"{year - 1}-Q{_ordinal(ordinal)}", "quarter", "absolute")
    if quarter:
        return Resolution(f"{quarter[0] - 1}-Q{quarter[1]}", "quarter", "absolute")
    span = interval(previous)
    if span and span[0].year == span[1].year and previous and not re.fullmatch(r"\d{4}", previous):
        return _range(_shift_years(span[0], -1), _shift_years(span[1], -1), "absolute")
    year = int(previous) - 1 if previous and re.fullmatch(r"\d{4}", previous) else published.year - 1
    return Resolution(str(year), "year", "absolute")


def _the_quarter(m, params, published, future, previous):
    """"the quarter", "the latest quarter": the quarter just told, else the last one ended."""
    year, q = _as_quarter(previous) or _latest_quarter(published)
    return Resolution(f"{year}-Q{q}", "quarter", "absolute" if previous else "published")


def _year_quarter(m, params, published, future, previous):
    """"the 2021 third quarter", "the 2022 period", "next year's first quarter"."""
    shift = {"next": 1, "last": -1}.get((_group(m, "dir") or "").lower(), 0)
    year = int(m["year"]) if _group(m, "year") else published.year + shift
    if _group(m, "ord"):
        q = _ordinal(m["ord"])
    elif _as_quarter(previous):
        q = _as_quarter(previous)[1]
    else:
        return Resolution(str(year), "year", "absolute")
    return Resolution(f"{year}-Q{q}", "quarter", "absolute") if 1 <= q <= 4 else None


def _trailing(m, params, published, future, previous):
    n, unit = _number(m["num"]), lexicon()["units"][m["unit"].lower()]
    if unit in ("year", "month", "quarter"):
        months = n * {"year": 12, "month": 1, "quarter": 3}[unit]
        year, month = _add_months(published.year, published.month, -months)
        start = dt.date(year, month, min(published.day, calendar.monthrange(year, month)[1]))
    else:
        start = published - dt.timedelta(days=n * (7 if unit == "week" else 1))
    return Resolution(f"{_iso(start)}/{_iso(published)}", "range", "published")


def _vague(m, params, published, future, previous):
    return Resolution(None, None, "published")


def _nth_year(m, params, published, future, previous):
    """"(the war) in its second year": the running year of the publication."""
    return Resolution(str(published.year), "year", "published")


def _year_of(m, published, *names) -> tuple[int, str]:
    year = _group(m, *names)
    return (int(year), "absolute") if year else (published.year, "published")


def _months_of_year(m, params, published, future, previous):
    year, anchor = _year_of(m, published, "year")
    n = _number(m["num"]) * params.get("months_per", 1)
    if not 1 <= n <= 12:
        return None
    if m["edge"].lower() == "first":
        return _range(dt.date(year, 1, 1), month_end(year, n), anchor)
    return _range(dt.date(year, 13 - n, 1), dt.date(year, 12, 31), anchor)


def _quarter(m, params, published, future, previous):
    q = int(_group(m, "q", "q2") or _ordinal(m["ord"]))
    if not 1 <= q <= 4:
        return None
    year, anchor = _year_of(m, published, "year", "year2")
    if anchor == "published" and not future and 3 * q - 2 > published.month:
        year -= 1
    return Resolution(f"{year}-Q{q}", "quarter", anchor)


def _half(m, params, published, future, previous):
    h = int(_group(m, "h") or (2 if m["ord"].lower() in ("last", "latter") else _ordinal(m["ord"])))
    year, anchor = _year_of(m, published, "year")
    return _range(dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), anchor)


def _decade(m, params, published, future, previous):
    """"the 1990s"; "the '80s", "the nineties" (the last such decade before publication)."""
    if _group(m, "decade"):
        start = int(m["decade"])
    else:
        tens = int(m["yy"]) if _group(m, "yy") else lexicon()["decade_words"][m["word"].lower()]
        start = published.year // 100 * 100 + tens
        if start > published.year:
            start -= 100
    return Resolution(f"{start}/{start + 9}", "range", "absolute")


def _century(m, params, published, future, previous):
    """"the 20th century": 1900/1999."""
    n = int(m["century"])
    if not 1 <= n <= 21:
        return None
    return Resolution(f"{(n - 1) * 100:04d}/{(n - 1) * 100 + 99:04d}", "range", "absolute")


def _spoken_number(words: str) -> int:
    """A year said in words as a number ("nineteen ninety-six": 1996)."""
    lex = lexicon()["spoken_numbers"]
    parts = re.split(r"[ -]+", words.lower().replace(" and ", " "))
    if parts[:2] == ["two", "thousand"]:
        rest = parts[2:]
        return 2000 + (lex["teens"].get(rest[0]) or lex["units"][rest[0]] if rest else 0)
    century, rest = lex["centuries"][parts[0]] * 100, parts[1:]
    if rest[0] == "hundred":
        return century
    if rest[0] == "oh":
        return century + lex["units"][rest[1]]
    if rest[0] in lex["teens"]:
        return century + lex["teens"][rest[0]]
    return century + lex["tens"][rest[0]] + (lex["units"][rest[1]] if len(rest) > 1 else 0)


def _spoken_year(m, params, published, future, previous):
    """"nineteen ninety-six", "January nineteen ninety-seven", "the year two thousand"."""
    said = m["spoken"]
    if said.lower().startswith("two thousand") and not re.match(r"(?:\w+\.? (?:\d+,? )?)?the year", m.group(0), re.I) \
            and not _group(m, "month"):
        return None  # "two thousand troops"
    year = _spoken_number(said)
    if _group(m, "month"):
        day = f" {m['day']}," if _group(m, "day") else ""
        return resolve(f"{m['month']}{day} {year}", published, future, previous)
    return Resolution(str(year), "year", "absolute")


def _holiday(m, params, published, future, previous):
    """"Victory Day", "last Thanksgiving": a named day (`holidays` of the data file)."""
    spec = lexicon()["holidays"][m["name"].lower()]
    if _group(m, "dir"):
        future = m["dir"].lower() == "next" or (future if m["dir"].lower() == "this" else False)
    years = [int(m["year"])] if _group(m, "year") else [published.year - 1, published.year, published.year + 1]
    days = [_holiday_date(spec, y) for y in years]
    if len(days) == 1:
        return Resolution(_iso(days[0]), "day", "absolute")
    past = [d for d in days if d <= published]
    ahead = [d for d in days if d > published]
    chosen = ahead[0] if future and ahead else past[-1]
    return Resolution(_iso(chosen), "day", "published")


def _holiday_date(spec: dict, year: int) -> dt.date:
    if "day" in spec:
        return dt.date(year, spec["month"], spec["day"])
    first = dt.date(year, spec["month"], 1)
    wanted = lexicon()["weekdays"].index(spec["weekday"])
    return first + dt.timedelta(days=(wanted - first.weekday()) % 7 + 7 * (spec["nth"] - 1))


def _weekday_date(name: str, published: dt.date, future: bool) -> dt.date:
    wanted = lexicon()["weekdays"].index(name.lower())
    if future:
        return published + dt.timedelta(days=(wanted - published.weekday()) % 7)
    return published - dt.timedelta(days=(published.weekday() - wanted) % 7)


def _weekday(m, params, published, future, previous):
    return Resolution(_iso(_weekday_date(m["weekday"], published, future)), "day", "published")


def _month_number(name: str) -> int:
    return lexicon()["months"][name.lower().rstrip(".")]


def _month(m, params, published, future, previous):
    month = _month_number(m["month"])
    year, _ = _month_year(month, m, published, future)
    return Resolution(_month_value(year, month), "month", "published")


def _month_year(month: int, m: re.Match, published: dt.date, future: bool) -> tuple[int, str]:
    """The year of a month named with or without one: a yearless month is the latest one before
    publication (the coming one when `future`)."""
    year, anchor = _year_of(m, published, "year")
    if anchor == "published" and future and month < published.month:
        year += 1
    elif anchor == "published" and not future and month > published.month:
        year -= 1
    return year, anchor


def _span_of_months(first: tuple[int, int], last: tuple[int, int], anchor: str) -> Resolution:
    return _range(dt.date(first[0], first[1], 1), month_end(*last), anchor)


def _month_range(m, params, published, future, previous):
    """ "January-February" (the months of one stretch, the last one dating it)."""
    first, last = _month_number(m["m1"]), _month_number(m["m2"])
    year, anchor = _month_year(last, m, published, future)
    return _span_of_months((year - (first > last), first), (year, last), anchor)


def _months_to(m, params, published, future, previous):
    """ "the 11 months to November": the months that end with the one named."""
    n, last = _number(m["num"]), _month_number(m["month"])
    if not 1 <= n <= 24:
        return None
    year, anchor = _month_year(last, m, published, future)
    return _span_of_months(_add_months(year, last, 1 - n), (year, last), anchor)


def _directed(m, params, published, future, previous):
    """"next Friday", "last May", "this September" (the one of the publication's year), "last Oct. 23"."""
    direction = m["dir"].lower()
    ahead = direction not in ("last", "this past", "past")
    rest = m["rest"]
    if rest.lower() in lexicon()["weekdays"]:
        day = _weekday_date(rest, published - dt.timedelta(days=1) if not ahead else published, ahead)
        return Resolution(_iso(day), "day", "published")
    if " " in rest:  # a day of a month
        return resolve(rest, published, ahead if direction != "this" else future, previous)
    if direction == "this":
        return Resolution(_month_value(published.year, _month_number(rest)), "month", "published")
    return _month(re.fullmatch(r"(?P<month>.+)", rest), params, published, ahead, previous)


def _weekday_with_date(m, params, published, future, previous):
    """"Monday, Oct. 26": the day and month, in the year (next to publication) that makes it that weekday."""
    if _group(m, "year"):
        return resolve(f"{m['rest']} {m['year']}", published, future, previous)
    found = resolve(m["rest"], published, future, previous)
    if found is None or found.precision != "day":
        return found
    day, wanted = dt.date.fromisoformat(found.value), lexicon()["weekdays"].index(m["weekday"].lower())
    fitting = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            fitting.append(day.replace(year=year))
        except ValueError:
            continue
    fitting = [d for d in fitting if d.weekday() == wanted]
    if not fitting:
        return found
    return Resolution(_iso(min(fitting, key=lambda d: abs((d - published).days))), "day", "published")


def _timed(m, params, published, future, previous):
    """"9 a.m. Tuesday", "noon Saturday", "Friday at 18:00 GMT": the day the time is on."""
    return resolve(_group(m, "rest", "rest2"), published, future, previous)


def _clock(m, params, published, future, previous):
    """"at 10:35 a.m.": the day just told in the sentence, else the day of publication."""
    span = interval(previous)
    if span and span[0] == span[1]:
        return Resolution(previous, "day", "absolute")
    return Resolution(_iso(published), "day", "published")


def _month_day(m, params, published, future, previous):
    month, day = _month_number(_group(m, "month", "month2")), int(_group(m, "day", "day2"))
    chosen = _yearless_day(month, day, published, future)
    return Resolution(_iso(chosen), "day", "published") if chosen else None


def _day_range(m, params, published, future, previous):
    """"Oct. 22-24", "20-22 August 2024": the days of one month, the year as for its first day."""
    month = _month_number(_group(m, "month", "month2"))
    first, last = int(_group(m, "d1", "d1b")), int(_group(m, "d2", "d2b"))
    year = _group(m, "year", "year2")
    try:
        start = dt.date(int(year), month, first) if year else _yearless_day(month, first, published, future)
        end = dt.date(start.year, month, last) if start else None
    except ValueError:  # no such day in that month
        return None
    if start is None or first >= last:
        return None
    return _range(start, end, "absolute" if year else "published")


def _yearless_day(month: int, day: int, published: dt.date, future: bool | None) -> dt.date | None:
    """The date of a day and month without a year: the coming one when told in the future, the
    last one when told in the past, else the nearer (a near coming one only within a window)."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    past = [c for c in candidates if c <= published]
    ahead = [c for c in candidates if c > published]
    if future and ahead:
        chosen = ahead[0]
    elif future is False and past:  # told in the past tense ("met on July 25"): the last one
        chosen = past[-1]
    elif ahead and (ahead[0] - published).days <= FUTURE_MONTH_DAY_WINDOW:
        chosen = ahead[0] if not past or (ahead[0] - published) < (published - past[-1]) else past[-1]
    else:
        chosen = past[-1] if past else ahead[0]
    return chosen


@lru_cache(maxsize=4096)
def _parsed_absolute(text: str) -> tuple[dt.date, str] | None:
    """A full date written out ("February 2022", "May 24, 2023") as dateparser reads it, and its
    period; cached: a corpus repeats the same few, and a parse costs more than all the other rules."""
    data = _date_parser().get_date_data(text)
    return None if data.date_obj is None else (data.date_obj.date(), data.period)


def _absolute(m, params, published, future, previous):
    parsed = _parsed_absolute(m.group(0))
    if parsed is None:
        return None
    day, period = parsed
    if period == "month":
        return Resolution(_month_value(day.year, day.month), "month", "absolute")
    if period == "year":
        return Resolution(str(day.year), "year", "absolute")
    return Resolution(_iso(day), "day", "absolute")


def _year(m, params, published, future, previous):
    return Resolution(m["year"], "year", "absolute")


def _since(m, params, published, future, previous):
    """"since 2004": the date itself, the open range kept as the relation (`covered` widens it)."""
    inner = resolve(m["rest"], published, False, previous)
    span = interval(inner.value) if inner else None
    if span is None or span[0] > published:
        return None
    return Resolution(inner.value, inner.precision, inner.anchor, "since")


def _modifier(m, params, published, future, previous):
    return resolve(m["rest"], published, future, previous)


def _same_period(m, params, published, future, previous):
    year = int(m["year"])
    span = interval(previous)
    if span is None or span[0].year != span[1].year:
        return Resolution(str(year), "year", "absolute")
    if re.fullmatch(r"\d{4}-Q[1-4]", previous or ""):
        return Resolution(f"{year}{previous[4:]}", "quarter", "absolute")
    shift = year - span[0].year
    return _range(_shift_years(span[0], shift), _shift_years(span[1], shift), "absolute")


def _year_to_date(m, params, published, future, previous):
    return Resolution(f"{published.year}-01-01/{_iso(published)}", "range", "published")


RESOLVERS = {
    "offset": _offset, "weekend": _weekend, "ago": _ago, "earlier": _earlier, "trailing": _trailing,
    "vague": _vague,
    "nth_year": _nth_year, "months_of_year": _months_of_year, "quarter": _quarter, "half": _half,
    "decade": _decade, "weekday": _weekday, "month": _month, "directed": _directed,
    "month_day": _month_day, "absolute": _absolute, "year": _year, "since": _since,
    "modifier": _modifier, "same_period": _same_period, "day_range": _day_range, "year_to_date": _year_to_date,
    "month_range": _month_range, "months_to": _months_to, "same_unit": _same_unit, "year_back": _year_back,
    "the_quarter": _the_quarter, "year_quarter": _year_quarter, "century": _century, "spoken_year": _spoken_year,
    "holiday": _holiday, "weekday_date": _weekday_with_date, "timed": _timed, "clock": _clock,
}


# ---------------------------------------------------------------- public normalisation


def _clean(surface: str) -> str:
    """A surface with plain quotes and dashes, single spaces, no edge punctuation."""
    text = surface.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text).strip(" .,;:!?\"'()")


def _trim_leading(text: str) -> str:
    pattern = _leading_words()
    while (stripped := pattern.sub("", text)) != text:
        text = stripped
    return text


@cache
def _leading_words() -> re.Pattern:
    return re.compile(rf"^(?:{_alternation(lexicon()['leading_words_to_trim'])})\s+", re.IGNORECASE)


def resolve(surface: str, published: dt.date, future: bool | None = None,
            previous: str | None = None) -> Resolution | None:
    """The Resolution of a temporal surface, or None when it is not a calendar expression.

    `future` is the tense of the sentence: True for the future, False for the past, None when
    unknown. `previous` is the value of the preceding expression in the sentence ("same period
    in 2022"). Rules with a `context` read, when the sentence has none, the last value or the
    last quarter told earlier in the article (`ARTICLE_CONTEXT`: "the year-ago quarter").
    """
    whole = _clean(surface)
    # A leading preposition is usually noise ("in 2023"), but in "between January and April" it
    # is what makes two months one stretch: the whole surface is tried when the rest fits no rule.
    for candidate in dict.fromkeys((_trim_leading(whole), whole)):
        for rule in rules():
            m = rule.full.fullmatch(candidate)
            if m:
                context = rule.params.get("context")
                if previous is None and context:
                    last_value, last_quarter = ARTICLE_CONTEXT.get()
                    previous = last_value if context == "document" else last_quarter
                return RESOLVERS[rule.name](m, rule.params, published, future, previous)
    return None


def normalise(surface: str, published: dt.date, future: bool | None = None,
              previous: str | None = None) -> tuple[str | None, str | None]:
    """(value, precision) of a temporal phrase anchored on `published`; (None, None) if unpinnable.

    `future=True` reads weekdays and months as the coming ones ("is set to travel on Friday").
    """
    found = resolve(surface, published, future, previous)
    return (found.value, found.precision) if found else (None, None)


# ---------------------------------------------------------------- finding expressions in a Doc


@dataclass
class Candidate:
    start: int
    end: int
    resolution: Resolution


def _capitalised_names_ok(text: str) -> bool:
    """Month and weekday names must be capitalised in running text ("march" is a verb)."""
    names = _calendar_names()
    return all(w[0].isupper() for w in re.findall(r"[A-Za-z]+", text) if w.lower() in names)


@cache
def _calendar_names() -> frozenset[str]:
    return frozenset(lexicon()["weekdays"]) | frozenset(lexicon()["months"])


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _plausible(doc: Doc, start: int, end: int, rule: Rule) -> bool:
    """Filters for in-text matches: capitalised names, modal "May", bare numbers that are not years."""
    text = doc_text(doc)[start:end]
    if not _capitalised_names_ok(text):
        return False
    token = _token_at(doc, start)
    if token is None:
        return False
    if rule.name == "month" and text.lower().rstrip(".") in lexicon()["ambiguous_months"]:
        return token.tag_ not in ("MD", "VB", "VBP", "VBZ") and token.ent_type_ in ("", "DATE", "EVENT")
    if rule.name == "year" and re.fullmatch(r"\d{4}", text):
        previous = doc[token.i - 1].lower_ if token.i > 0 else ""
        return _bare_year_ok(doc, token, end) and (token.ent_type_ == "DATE" or previous in TEMPORAL_PREPS)
    return True


def _bare_year_ok(doc: Doc, token: Token, end: int) -> bool:
    """A bare four-digit number is no year when it counts something ("2000 troops", "2023%")."""
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    after_preposition = token.i > 0 and doc[token.i - 1].lower_ in TEMPORAL_PREPS
    counts = not after_preposition and following is not None and following.pos_ in ("NOUN", "PROPN") and following.tag_ in ("NNS", "NN")
    return doc_text(doc)[end:end + 1] != "%" and (not counts or _names_an_event_year(doc, token, following))


def _names_an_event_year(doc: Doc, token: Token, following: Token) -> bool:
    """"its 1990 invasion", "a 1996 law": after a determiner or possessive and before one
    singular noun, a year dates the thing named (a count would take a plural)."""
    before = doc[token.i - 1] if token.i > 0 else None
    return following.tag_ == "NN" and before is not None and before.tag_ in ("DT", "PRP$", "POS", "JJ") \
        and before.lower_ not in ("every", "each", "another")


def _extend_left(doc: Doc, start: int) -> list[int]:
    """Possible earlier starts that add a prefix such as "since", "so far", "late", "mid-"."""
    before = doc_text(doc)[max(0, start - 40):start]
    starts = []
    for pattern in _prefix_patterns():
        m = pattern.search(before)
        if m:
            starts.append(start - (len(before) - m.start()))
    return sorted(set(starts))


@cache
def _prefix_patterns() -> tuple[re.Pattern, ...]:
    """One pattern per prefix of `_extend_left`, each ending where the expression begins."""
    patterns = []
    for prefix in sorted(lexicon()["prefixes_to_extend"], key=len, reverse=True):
        sep = "" if prefix.endswith("-") else r"\s+"
        patterns.append(re.compile(rf"(?<![\w-]){re.escape(prefix)}{sep}$", re.IGNORECASE))
    return tuple(patterns)


def _trimmed_entity(doc: Doc, ent: Span) -> tuple[int, int]:
    """Entity offsets without leading prepositions and trailing punctuation/possessive."""
    text = ent.text
    trimmed = _trim_leading(text)
    start = ent.start_char + (len(text) - len(trimmed))
    core = re.sub(r"(?:'s|\u2019s|[\s.,;:!?\"'\u201d)])+$", "", trimmed)
    return start, start + len(core)


def _raw_spans(doc: Doc) -> list[tuple[int, int]]:
    spans = []
    searched = [rule for rule in rules() if rule.search is not None]
    for rule, matches in zip(searched, _in_text_patterns().finditer(doc_text(doc))):
        for m in matches:
            if _plausible(doc, m.start(), m.end(), rule):
                spans.append((m.start(), m.end()))
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS and not _comparison_idiom(doc, ent):
            start, end = _trimmed_entity(doc, ent)
            bare_number = re.fullmatch(r"\d{4}", doc_text(doc)[start:end])
            if end > start and not (bare_number and not _bare_year_ok(doc, _token_at(doc, start), end)):
                spans.append((start, end))
    return spans


def _comparison_idiom(doc: Doc, ent: Span) -> bool:
    """"up 12% on the month": a comparison, not a date (`comparison_idioms` of the data file)."""
    return _comparison_idioms().search(doc_text(doc)[max(0, ent.start_char - 12):ent.end_char]) is not None


@cache
def _comparison_idioms() -> re.Pattern:
    return re.compile(rf"(?<![\w-])(?:{_alternation(lexicon()['comparison_idioms'])})$", re.IGNORECASE)


def _is_future(doc: Doc, start: int, end: int) -> bool:
    """True when the verb governing the expression speaks of the future ("will", "is set to")."""
    return _tense(doc, start, end) is True


def _tense(doc: Doc, start: int, end: int) -> bool | None:
    """Whether the verb governing the expression speaks of the future ("will", "is set to": True)
    or of the past ("met": False); None when neither shows. The `future` of `resolve`."""
    cues = lexicon()["future_cues"]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    if span.start > 0 and doc[span.start - 1].lower_ in cues["words"]:
        return True
    node, via_complement, unreal = span.root, False, False
    for _ in range(8):
        if node.lower_ in cues["heads"] and node not in span:  # "payable Dec. 1", "the Jan. 14 deadline"
            return True
        if node.pos_ in ("VERB", "AUX"):
            if node.tag_ == "VBN" and node.dep_ in ("acl", "amod") and node.lemma_.lower() not in cues["governors"] \
                    and not any(c.lower_ in ("to", "until", "through") for c in node.children):
                return False  # "the decision, announced Friday"; not "a summit set for April", "extended to May 2"
            if node.lemma_.lower() in cues["governors"] and node.tag_ == "VBN" and _present_aux(node):
                return True  # "is expected in December", "are scheduled for June 1"
            modal = _modal(node, cues["aux"])
            if modal is not None:
                return modal
            if node.lemma_.lower() in cues["governors"] and (via_complement or _has_to_complement(node)):
                return None if node.tag_ == "VBD" else True  # "invited him to visit": ahead of then, not of now
            if node.tag_ == "VBD" or _perfect(node):
                return None if unreal else False
            if node.tag_ in ("VBZ", "VBP") or _present_aux(node):
                return None  # told in the present: its own clause says no more
            via_complement = node.dep_ in ("xcomp", "ccomp")
            unreal = unreal or node.tag_ == "VB"  # "ordered him to leave by Friday": not (yet) done
        if node.head is node:
            break
        node = node.head
    return None


def _present_aux(verb: Token) -> bool:
    return any(c.tag_ in ("VBZ", "VBP") and c.dep_ in ("aux", "auxpass") for c in verb.children)


def _modal(verb: Token, future_aux: list[str]) -> bool | None:
    """True for "will/would/must ... <verb>", False for "would have <verb>", None without a modal."""
    children = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not any(c.lower_ in future_aux for c in children):
        return None
    return not (verb.tag_ == "VBN" and any(c.lemma_.lower() == "have" for c in children))


def _perfect(verb: Token) -> bool:
    """"has met", "had signed": a past participle with "have" for auxiliary."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _has_to_complement(verb: Token) -> bool:
    """"set/due/expected to <verb>": an xcomp child introduced by "to"."""
    return any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children)


def _trim_final_period(doc: Doc, start: int, end: int) -> int:
    """Drop a sentence-final period unless it closes a month abbreviation ("Sept.")."""
    text = doc_text(doc)[start:end]
    if text.endswith("."):
        last_word = re.findall(r"[A-Za-z]+", text)[-1:] or [""]
        if last_word[0].lower() not in lexicon()["months"] or len(last_word[0]) > 4:
            return end - 1
    return end


def _one_sentence(doc: Doc, start: int, end: int) -> bool:
    """A date never runs across a sentence end ("January. 2022" is two)."""
    first, last = _token_at(doc, start), _token_at(doc, end - 1)
    return first is None or last is None or first.sent.start == last.sent.start


def _candidates(doc: Doc, published: dt.date) -> list[Candidate]:
    found = []
    for start, end in {(s, _trim_final_period(doc, s, e)) for s, e in _raw_spans(doc)}:
        if end <= start or not _one_sentence(doc, start, end):
            continue
        future = _tense(doc, start, end)
        if future is None and _relation(doc, start, 0) in ("by", "until"):
            future = True  # "by February", "through January": a deadline, ahead unless told as past
        for s in [*_extend_left(doc, start), start]:
            res = resolve(doc_text(doc)[s:end], published, future)
            if res is not None:
                found.append(Candidate(s, end, res))
                break
    return found


def _non_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first, then earliest; pinned values beat unpinned ones of equal length."""
    chosen: list[Candidate] = []
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), c.resolution.value is None, c.start))
    for cand in ranked:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _with_context(doc: Doc, chosen: list[Candidate], published: dt.date) -> list[Candidate]:
    """Re-resolve each expression with the previous value of its sentence ("same period in 2022")
    and of its article ("the year-ago quarter", "the following year")."""
    out, previous, sent_of_previous, last_quarter = [], None, None, None
    for cand in chosen:
        sent = _sentence_bounds(doc, cand.start)
        prior = previous if sent == sent_of_previous else None
        res = cand.resolution
        if previous:
            token = ARTICLE_CONTEXT.set((previous, last_quarter))
            try:
                res = resolve(doc_text(doc)[cand.start:cand.end], published, _tense(doc, cand.start, cand.end),
                              prior) or res
            finally:
                ARTICLE_CONTEXT.reset(token)
        out.append(Candidate(cand.start, cand.end, res))
        if res.value:
            previous, sent_of_previous = res.value, sent
            if _as_quarter(res.value) and res.value == cand.resolution.value:  # told, not inferred
                last_quarter = res.value
    return out


def _sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    token = _token_at(doc, char)
    if token is None:
        return 0, len(doc_text(doc))
    return token.sent.start_char, token.sent.end_char


def extract_dates(doc: Doc, article_id: str, published: dt.date) -> pd.DataFrame:
    """One row per temporal expression in `doc`, normalised against `published` (schema "dates")."""
    return from_rows(date_rows(doc, article_id, published), "dates")


def date_rows(doc: Doc, article_id: str, published: dt.date) -> list[dict]:
    """`extract_dates` as row dicts."""
    rows = []
    if published is not None:
        chosen = _with_context(doc, _non_overlapping(_candidates(doc, published)), published)
        for cand in chosen:
            sent_start, sent_end = _sentence_bounds(doc, cand.start)
            rows.append({
                "article_id": article_id, "surface": doc_text(doc)[cand.start:cand.end],
                "start": cand.start, "end": cand.end, "value": cand.resolution.value,
                "precision": cand.resolution.precision, "anchor": cand.resolution.anchor,
                "relation": cand.resolution.relation or _relation(doc, cand.start, sent_start),
                "sent_start": sent_start, "sent_end": sent_end,
            })
    return rows


def _relation(doc: Doc, start: int, sent_start: int) -> str | None:
    """The relation a word just before the date sets ("until March": until; `relations` of the data file)."""
    before = re.search(r"(\w+)\s+$", doc_text(doc)[max(sent_start, start - 12):start])
    return lexicon()["relations"].get(before[1].lower()) if before else None


def covered(rows: list[dict], published: dt.date | None) -> list[dict]:
    """The rows with each "since" value widened to the stretch it opens: "since 2020" covers 2020
    up to the publication. For consumers that want what a figure or an event spans rather than
    the date named."""
    out = []
    for row in rows:
        span, relation = interval(row.get("value")), row.get("relation")
        if span and published and relation == "since" and span[0] <= published:
            row = {**row, "value": f"{_iso(span[0])}/{_iso(max(published, span[0]))}", "precision": "range"}
        out.append(row)
    return out


# ---------------------------------------------------------------- publication date inference


def infer_published(doc: Doc) -> dt.date | None:
    """Guess a publication date from the text: the day of its dateline ("MOSCOW, Oct. 2, 2024
    (Reuters) -"), else the latest absolute day or month mentioned outside future-tense clauses,
    a named day moved forward (up to six days) to the weekdays the article mentions.

    None when the text names no absolute day or month.
    """
    stated = dateline_day(doc_text(doc))
    if stated is not None:
        return stated
    latest: dt.date | None = None
    latest_precision = None
    reference = dt.date(2000, 1, 1)  # absolute forms do not depend on it
    for start, end in set(_raw_spans(doc)):
        if _is_future(doc, start, end):
            continue
        res = resolve(doc_text(doc)[start:end], reference)
        if res is None or res.anchor != "absolute" or res.precision not in ("day", "month"):
            continue
        span = interval(res.value)
        last = span[0] if res.precision == "day" else span[1]
        if latest is None or last > latest:
            latest, latest_precision = last, res.precision
    if latest is None:
        return None
    if latest_precision != "day":
        return latest
    # a mentioned weekday is on or before publication: take the latest first occurrence of one
    return max((latest + dt.timedelta(days=(w - latest.weekday()) % 7) for w in _mentioned_weekdays(doc)),
               default=latest)


def dateline_day(text: str) -> dt.date | None:
    """The day a dateline gives, when it names a day with its year ("MOSCOW, Oct. 2, 2024 -")."""
    written = dateline_date(text)
    res = resolve(written, dt.date(2000, 1, 1)) if written else None
    if res is None or res.anchor != "absolute" or res.precision != "day":
        return None
    return interval(res.value)[0]


def _mentioned_weekdays(doc: Doc) -> set[int]:
    names = lexicon()["weekdays"]
    return {names.index(w.lower()) for w in re.findall(r"\b[A-Z][a-z]+day\b", doc_text(doc)) if w.lower() in names}
