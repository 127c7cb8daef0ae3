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
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
from spacy.tokens import Doc, Span, Token

from lib.nlp import doc_text
from lib.schema import conform
from lib.wordscan import WordPatterns

DATA = Path(__file__).resolve().parent / "data" / "dates_rules.json"
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "range": 4, "year": 5}
FUTURE_MONTH_DAY_WINDOW = 92  # days: a yearless "June 1" this close ahead is read as the coming one
ENTITY_LABELS = ("DATE", "TIME")
TEMPORAL_PREPS = {"in", "since", "by", "of", "from", "until", "till", "before", "after", "during", "through",
                  "to", "and", "between", "early", "late", "mid"}


@dataclass(frozen=True)
class Resolution:
    """A recognised temporal expression: value/precision are None when it cannot be pinned."""

    value: str | None
    precision: str | None
    anchor: str  # "absolute" or "published"


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
    }


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


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@lru_cache(maxsize=1 << 16)
def interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a value in the project notation (None if unparsable).
    Cached: the cross-article steps ask for the same few values many times."""
    if not value or not isinstance(value, str):
        return None
    if "/" in value:
        left, right = (interval(part) for part in value.split("/", 1))
        return (left[0], right[1]) if left and right else None
    try:
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            year, q = int(m[1]), int(m[2])
            return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            return dt.date(int(m[1]), int(m[2]), 1), _month_end(int(m[1]), int(m[2]))
        day = dt.date.fromisoformat(value)
        return day, day
    except ValueError:
        return None


def to_quarter(value: str | None) -> str | None:
    """`YYYY-Qn` when the value covers exactly one calendar quarter, else the value unchanged.

    Useful for figure periods: "the first three months of 2023" -> "2023-Q1".
    """
    span = interval(value)
    if span and span[0].day == 1 and span[0].month % 3 == 1 and span[0].year == span[1].year \
            and span[1] == _month_end(span[0].year, span[0].month + 2):
        return f"{span[0].year}-Q{(span[0].month - 1) // 3 + 1}"
    return value


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
    unit = params.get("unit") or _group(m, "unit", "unit2")
    unit = lexicon()["units"].get(unit.lower(), unit) if unit else "year"
    k = params.get("offset", 0)
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


def _weekend(m, params, published, future, previous):
    k = params.get("offset")
    if k is None:  # "the weekend": the current one on a weekend, else the last (or coming) one
        k = 0 if published.weekday() >= 5 or future else -1
    saturday = _monday(published) + dt.timedelta(weeks=k, days=5)
    return _range(saturday, saturday + dt.timedelta(days=1), "published")


def _ago(m, params, published, future, previous):
    n, unit = _number(m["num"]), lexicon()["units"][m["unit"].lower()]
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
    shape = re.fullmatch(r"(?P<year>\d{4})(?P<rest>-Q[1-4]|-\d{2})?", previous or "")
    if unit != "year" or shape is None:
        return _ago(m, params, published, future, previous)
    rest = shape["rest"] or ""
    precision = "year" if not rest else "quarter" if "Q" in rest else "month"
    return Resolution(f"{int(shape['year']) - n}{rest}", precision, "absolute")


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
    n = _number(m["num"])
    if not 1 <= n <= 12:
        return None
    if m["edge"].lower() == "first":
        return _range(dt.date(year, 1, 1), _month_end(year, n), anchor)
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
    h = int(_group(m, "h") or _ordinal(m["ord"]))
    year, anchor = _year_of(m, published, "year")
    return _range(dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), anchor)


def _decade(m, params, published, future, previous):
    start = int(m["decade"])
    return Resolution(f"{start}/{start + 9}", "range", "absolute")


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
    return _range(dt.date(first[0], first[1], 1), _month_end(*last), anchor)


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
    ahead = m["dir"].lower() not in ("last", "this past", "past")
    rest = m["rest"]
    if rest.lower() in lexicon()["weekdays"]:
        day = _weekday_date(rest, published - dt.timedelta(days=1) if not ahead else published, ahead)
        return Resolution(_iso(day), "day", "published")
    return _month(re.fullmatch(r"(?P<month>.+)", rest), params, published, ahead, previous)


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


def _absolute(m, params, published, future, previous):
    data = _date_parser().get_date_data(m.group(0))
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "month":
        return Resolution(_month_value(day.year, day.month), "month", "absolute")
    if data.period == "year":
        return Resolution(str(day.year), "year", "absolute")
    return Resolution(_iso(day), "day", "absolute")


def _year(m, params, published, future, previous):
    return Resolution(m["year"], "year", "absolute")


def _since(m, params, published, future, previous):
    inner = resolve(m["rest"], published, False, previous)
    span = interval(inner.value) if inner else None
    if span is None or span[0] > published:
        return None
    return Resolution(f"{_iso(span[0])}/{_iso(published)}", "range", "published")


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
    "month_range": _month_range, "months_to": _months_to,
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
    in 2022").
    """
    whole = _clean(surface)
    # A leading preposition is usually noise ("in 2023"), but in "between January and April" it
    # is what makes two months one stretch: the whole surface is tried when the rest fits no rule.
    for candidate in dict.fromkeys((_trim_leading(whole), whole)):
        for rule in rules():
            m = rule.full.fullmatch(candidate)
            if m:
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
    return doc_text(doc)[end:end + 1] != "%" and not counts


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
    node, via_complement = span.root, False
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in cues["aux"] for c in node.children):
                return True
            if node.lemma_.lower() in cues["governors"] and (via_complement or _has_to_complement(node)):
                return True
            if node.tag_ == "VBD" or _perfect(node):
                return False
            via_complement = node.dep_ in ("xcomp", "ccomp")
        if node.head is node:
            break
        node = node.head
    return None


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


def _candidates(doc: Doc, published: dt.date) -> list[Candidate]:
    found = []
    for start, end in {(s, _trim_final_period(doc, s, e)) for s, e in _raw_spans(doc)}:
        future = _tense(doc, start, end)
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
    """Re-resolve each expression with the previous value of its sentence ("same period in 2022")."""
    out, previous, sent_of_previous = [], None, None
    for cand in chosen:
        sent = _sentence_bounds(doc, cand.start)
        prior = previous if sent == sent_of_previous else None
        res = resolve(doc_text(doc)[cand.start:cand.end], published, _tense(doc, cand.start, cand.end), prior) \
            if prior else cand.resolution
        out.append(Candidate(cand.start, cand.end, res or cand.resolution))
        if out[-1].resolution.value:
            previous, sent_of_previous = out[-1].resolution.value, sent
    return out


def _sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    token = _token_at(doc, char)
    if token is None:
        return 0, len(doc_text(doc))
    return token.sent.start_char, token.sent.end_char


def extract_dates(doc: Doc, article_id: str, published: dt.date) -> pd.DataFrame:
    """One row per temporal expression in `doc`, normalised against `published` (schema "dates")."""
    return conform(date_rows(doc, article_id, published), "dates")


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
                "sent_start": sent_start, "sent_end": sent_end,
            })
    return rows


# ---------------------------------------------------------------- publication date inference


def infer_published(doc: Doc) -> dt.date | None:
    """Guess a publication date from the text: the latest absolute day or month mentioned outside
    future-tense clauses, a named day is moved forward (up to six days) to the weekdays the article mentions.

    None when the text names no absolute day or month.
    """
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


def _mentioned_weekdays(doc: Doc) -> set[int]:
    names = lexicon()["weekdays"]
    return {names.index(w.lower()) for w in re.findall(r"\b[A-Z][a-z]+day\b", doc_text(doc)) if w.lower() in names}
