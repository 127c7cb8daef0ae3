"""Economic figures: money, percentages, multiples and physical quantities, with what they measure.

A figure is found by its unit (a currency sign or word, "%", "bcm", "tonnes", ...) or by a word
for a multiple or a fraction ("doubled", "almost half"); bare numbers ("two countries", "12-point
blueprint", years) are not figures. Each figure then gets, from the parse of its sentence:

* `metric` — what is measured: keywords of `figures_metrics.csv` found in the noun the number
  modifies, the subject of its verb, or else the nearest keyword of the sentence. A commodity and
  a flow compose ("coal shipments" → `coal_supply`); percentage changes get a `_growth` suffix.
* `kind` — `forecast` under a forecast cue ("would", "is expected to") unless its period is past,
  `change` for growth rates and multiples, else `actual`.
* `period` — the date expression of its sentence nearest to it (not a comparison base such as
  "from the same period in 2022" or "the lowest since April", not the day a statement was made:
  a date on a reporting verb that is not the figure's own); a growth rate with no date of its
  own inherits the period of the figure it comments on.
* `trend` — for a change, which way it goes by its cue word ("fell 9%": down); the value stays
  as written (9).
* `qualifier`, `direction` ("Russia→China"; when a flow names one end only, the other is the
  country whose data are cited: "Chinese customs data showed imports from Russia") and `origin`
  (the cited source).
* `low`/`high` — a range ("between 5% and 6%", "$3 billion to $5 billion") is one figure with
  its ends and no single `value` (NaN); "rose from X to Y" stays two figures.
* `per` — a price or rate: what one amount is for ("$150 per 1,000 cubic metres": metric
  gas_price; "$5 billion a year"; "90 roubles to the dollar": exchange_rate, per USD).
* `converted_from` — an amount restated in another currency ("1.74 trillion yuan ($237
  billion)") keeps its row, linked to the start of the figure it restates.

Currencies are ISO codes: those in current use come with their codes, signs and English names
from the CLDR data Babel ships; `figures_units.csv` adds news forms ("HK$", "$A", "yuan") and
ASCII renderings ("PS" for £, "Y=" for ¥); cents are a hundredth of the currency named near them.
Counts and durations that belong to a fact ("signed 14 documents", "a 30-year contract") get
the units `count` and `years`.

Every word list lives in `lib/data/figures_*.csv`, so a user can extend it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

import pandas as pd
from spacy.tokens import Doc, Span, Token

from lib.contract.datafiles import read_csv
from lib.contract.periods import interval
from lib.contract.schema import from_rows, missing, records
from lib.extract.dates import normalise
from lib.nlp.pipeline import doc_text

#  a sign, then thousands groups ("1,200.5"), a European decimal comma ("1.234,5", "12,8"), a
#  leading point (".001") or plain digits; a comma before exactly three digits groups thousands
NUMBER = (r"[-\u2212]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![,\d])|\d{1,3}(?:\.\d{3})+,\d{1,2}(?![,\d])"
          r"|\d+,\d{1,2}(?![,\d])|\d*\.\d+|\d+)")
# How far (in tokens) a date may sit from its figure and still be its period.
MAX_DATE_DISTANCE = 25
# A date with another figure between it and this one belongs to that other figure first.
CROSSING_PENALTY = 100
SUBUNIT = "subunit"  # the unit of "cents", "sen": a hundredth of the currency named near it
DEFAULT_CURRENCY = "USD"  # the currency of a subunit with no currency near it
NO_VALUE = float("nan")  # the value of a range: it has a low and a high, not one value


@dataclass(frozen=True)
class Mention:
    """A figure found in the text, before its sentence is analysed."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None
    ratio_word: bool  # found through a word such as "doubled" or "half"
    low: float | None = None  # a range ("between 5% and 6%"): its ends; `value` is NaN
    high: float | None = None
    per: str | None = None  # a price or rate: what one amount is for ("barrel", "1,000 cubic metres")
    per_kind: str | None = None  # price (of a good), rate (per time) or exchange (per currency)
    commodity: str | None = None  # the good a price is for, by its `per` ("barrel" → oil)
    converted_from: int | None = None  # start of the figure this one restates in another currency
    metric: str | None = None  # set by the find itself (counts and durations)
    scale: float = 1.0  # the scale word's factor ("billion": 1e9), shared by a range's bare start
    factor: float = 1.0  # the unit's factor ("cents": 0.01)


# --- data files -----------------------------------------------------------------------------------


@cache
def units() -> tuple[dict[str, str], ...]:
    """Unit surfaces, longest first: surface, unit, position (prefix/suffix/both), factor, needs.

    `figures_units.csv` first, then the world's current currencies from CLDR (their ISO codes,
    signs such as "₩" or "MX$", and English names such as "Australian dollars"), so a currency
    needs no row of its own. A row with no unit masks a code that is also a word ("ALL")."""
    rows = [dict(r) for r in read_csv("figures_units.csv")]
    seen = {_unit_key(r["surface"]) for r in rows}
    for row in currency_rows():
        if _unit_key(row["surface"]) not in seen:
            seen.add(_unit_key(row["surface"]))
            rows.append(row)
    return tuple(sorted((r for r in rows if r["unit"]), key=lambda r: -len(r["surface"])))


def currency_rows() -> list[dict[str, str]]:
    """Unit rows of every currency in current use, from the CLDR data Babel ships: code, sign
    (those with a character other than a letter: "HK$", "₪") and English names."""
    from babel import Locale
    from babel.core import get_global
    from babel.numbers import get_currency_name, get_territory_currencies

    today = dt.date.today()
    codes = sorted({c for t in get_global("territory_currencies")
                    for c in get_territory_currencies(t, today, tender=True)})
    symbols = Locale("en").currency_symbols
    rows = []
    for code in codes:
        rows.append({"surface": code, "unit": code, "position": "both", "factor": "1", "needs": ""})
        sign = symbols.get(code, code)
        if re.search(r"[^\w\s]", sign):
            rows.append({"surface": sign, "unit": code, "position": "both", "factor": "1", "needs": ""})
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en").lower()
            rows.append({"surface": name, "unit": code, "position": "suffix", "factor": "1", "needs": ""})
    return rows


def _unit_key(surface: str) -> str:
    """How unit surfaces are looked up: "US $" and "US$" are one, case aside."""
    return re.sub(r"\s+", "", surface).lower()


@cache
def unit_index() -> dict[str, dict[str, str]]:
    """`_unit_key` of each surface → its row."""
    return {_unit_key(r["surface"]): r for r in reversed(units())}


@cache
def unit_contexts() -> dict[str, tuple[str, re.Pattern]]:
    """Surface key → (unit, cue pattern): a surface that means another unit when its sentence
    has a cue ("¥" is yen next to "Japan"): `figures_unit_contexts.csv`."""
    out = {}
    for row in read_csv("figures_unit_contexts.csv"):
        words = _alternation(w.strip() for w in row["cues"].split(";") if w.strip())
        out[_unit_key(row["surface"])] = (row["unit"], re.compile(rf"\b(?:{words})\b", re.I))
    return out


@cache
def scales() -> dict[str, float]:
    """Scale word → factor ("billion" → 1e9, "bn" → 1e9)."""
    return {r["word"].lower(): float(r["factor"]) for r in read_csv("figures_scales.csv")}


@cache
def number_words() -> dict[str, float]:
    """Spelled-out numbers ("forty" → 40)."""
    return {r["word"].lower(): float(r["value"]) for r in read_csv("figures_numbers.csv")}


@cache
def per_units() -> dict[str, tuple[str, str]]:
    """What a price or rate is for → (commodity, kind): "barrel" → (oil, price), "year" →
    ("", rate): `figures_per_units.csv`."""
    return {r["word"].lower(): (r["commodity"], r["kind"]) for r in read_csv("figures_per_units.csv")}


@cache
def counted_nouns() -> dict[tuple[str, str], str]:
    """(noun, unit) → metric of counts ("14 documents") and durations ("a 30-year contract"):
    `figures_counts.csv`."""
    return {(r["noun"].lower(), r["unit"]): r["metric"] for r in read_csv("figures_counts.csv")}


MULTIPLE = "×"  # the change cue of a multiple ("doubled", "twofold")
NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})  # entities that are names


@cache
def cues() -> dict[str, frozenset[str]]:
    """Cue type → words: qualifier, change, forecast, reporting, baseline, superlative, source_noun."""
    out: dict[str, set[str]] = {}
    for row in read_csv("figures_cues.csv"):
        out.setdefault(row["type"], set()).add(row["cue"].lower())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def trends() -> dict[str, str]:
    """Change cue → the way it moves a figure: "up" (rise, increase...) or "down" (fall, cut...)."""
    return {row["cue"].lower(): row["trend"] for row in read_csv("figures_cues.csv") if row.get("trend")}


@cache
def metric_keywords() -> tuple[tuple[str, str, str], ...]:
    """(keyword, role, name), longest keyword first; role is metric, commodity or flow."""
    rows = read_csv("figures_metrics.csv")
    return tuple(sorted(((r["keyword"].lower(), r["role"], r["name"]) for r in rows), key=lambda r: -len(r[0])))


@cache
def demonyms() -> dict[str, str]:
    """Nationality adjective or short form → country ("Russian" → "Russia")."""
    return {r["word"]: r["country"] for r in read_csv("figures_demonyms.csv")}


@cache
def period_patterns() -> tuple[re.Pattern, ...]:
    """Period phrases the dates table may miss ("in the first three months")."""
    return tuple(re.compile(r["pattern"], re.I) for r in read_csv("figures_periods.csv"))


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _unit_alternation(surfaces) -> str:
    """Unit surfaces as one regex: a code or abbreviation in capitals ("USD", "PS", "Y=") only
    in capitals, so that "all" is no lek; a space may stand before a dollar sign ("HK $5")."""
    parts = []
    for surface in sorted(surfaces, key=len, reverse=True):
        pattern = re.escape(surface)
        if re.fullmatch(r"[A-Za-z]+\$", surface):
            pattern = re.escape(surface[:-1]) + r"\s?\$"
        if re.search(r"[A-Z]", surface) and not re.search(r"[a-z]", surface) and len(surface) <= 4:
            pattern = f"(?-i:{pattern})"
        parts.append(pattern)
    return "|".join(parts)


def _number_alternation() -> str:
    """A number in digits, a spelled-out one ("forty"), or "a" before a scale ("a million")."""
    scale = _alternation(scales())
    return f"{NUMBER}|(?:{_alternation(number_words())})(?![\\w-])|an?(?=\\s(?:{scale})\\b)"


@cache
def figure_pattern() -> re.Pattern:
    """One regex for every unit-bearing figure: prefix-unit form, or number (+ scale) + unit word.
    A hyphen may stand before it only between digits (the "-7%" of "5-7%" is no minus)."""
    prefixes = [u["surface"] for u in units() if u["position"] in ("prefix", "both")]
    suffixes = [u["surface"] for u in units() if u["position"] in ("suffix", "both")]
    scale = f"(?:{_alternation(scales())})(?![A-Za-z])"
    qualifier = f"(?:(?P<qual>{_alternation(cues()['qualifier'])})\\s+)?"
    prefixed = (
        f"(?P<sign>[-\u2212])?(?P<pre>{_unit_alternation(prefixes)})\\s?(?P<num1>{NUMBER})"
        f"(?:[\\s-]?(?P<scale1>{scale}))?"
        f"(?:\\s?(?P<unit1>{_unit_alternation(suffixes)})(?![A-Za-z]))?"
    )
    suffixed = (
        f"(?P<num2>{_number_alternation()})(?:[\\s-]?(?P<scale2>{scale}))?[\\s-]?"
        f"(?P<unit2>{_unit_alternation(suffixes)})(?![A-Za-z])"
    )
    return re.compile(f"(?<![\\w$€£¥.,])(?<!\\D[-\u2212]){qualifier}(?:{prefixed}|{suffixed})", re.I)


@cache
def ratio_pattern() -> re.Pattern:
    """Multiples and fractions: "doubled", "twofold", "almost half", "N times more"."""
    rows = read_csv("figures_ratio_words.csv")
    words = "|".join(f"(?P<r{i}>{r['pattern']})" for i, r in enumerate(rows))
    qualifier = f"(?:(?P<qual>{_alternation(cues()['qualifier'])})\\s+)?"
    times = f"(?P<times>{NUMBER}|{_alternation(number_words())})\\s+times(?=\\s+(?:as|more|higher|larger|bigger|greater|the|that))"
    return re.compile(f"\\b{qualifier}(?:{times}|(?:{words}))\\b", re.I)


@cache
def _ratio_hint() -> re.Pattern:
    """A word every multiple or fraction holds ("times" or a ratio word): a sentence without one
    is spared `ratio_pattern`'s costlier scan, which tries every qualifier at every word."""
    words = "|".join(f"(?:{r['pattern']})" for r in ratio_rows())
    return re.compile(f"\\b(?:times|{words})\\b", re.I)


@cache
def ratio_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_csv("figures_ratio_words.csv"))


@cache
def per_pattern() -> re.Pattern:
    """What follows an amount to make it a price or rate: "per 1,000 cubic metres", "a barrel",
    "/tonne", or an exchange rate's other currency ("110 yen to 1 USD"). After "per" or "/" any
    word will do; after "a" only the words of `figures_per_units.csv`."""
    listed = _alternation(per_units())
    currencies = _unit_alternation(u["surface"] for u in units() if _is_currency(u["unit"]))
    return re.compile(
        rf"\s*(?:(?:(?:to|for|against)\s+(?:1|one|a|the|each)|per(?:\s+(?:1|one|a|the|each))?)\s+"
        rf"(?P<currency>{currencies})"
        rf"|(?:per|/)\s*(?:(?P<count>{NUMBER})\s+)?(?P<any>{listed}|[a-z][a-z-]+)"
        rf"|(?:an?|each)\s+(?P<listed>{listed}))(?![A-Za-z])", re.I)


@cache
def count_pattern() -> re.Pattern:
    """Counts and durations: "14 documents", "a 30-year contract" (nouns of `figures_counts.csv`,
    plural for a count, with up to two lower-case words before them: "14 cooperation documents")."""
    counted = {noun for noun, unit in counted_nouns() if unit == "count"}
    lasting = {noun for noun, unit in counted_nouns() if unit == "years"}
    number = f"\\d+|{_alternation(number_words())}"
    between = r"(?-i:(?!(?:of|the|an?|and|or|to|in|for|with|which|that)\b)[a-z][a-z-]*\s+)"
    return re.compile(
        rf"\b(?:(?P<count>{number})\s+{between}{{0,2}}?(?P<counted>{_alternation(counted)})"
        rf"|(?P<years>{number})[-\s]year[-\s]{between}{{0,2}}?(?P<lasting>{_alternation(lasting)}))\b", re.I)


@cache
def _count_nouns() -> re.Pattern:
    """Any noun of `figures_counts.csv`: whether a sentence may hold a count or duration."""
    return re.compile(_alternation({noun for noun, _ in counted_nouns()}), re.I)


def _is_currency(unit: str) -> bool:
    """An ISO currency code (or a subunit still to be given its currency)."""
    return unit == SUBUNIT or bool(re.fullmatch(r"[A-Z]{3}", unit))


# --- finding figures in text ----------------------------------------------------------------------


def parse_number(text: str) -> float | None:
    """A number written with digits (thousands commas, or a decimal comma where no three digits
    follow it: "12,8"), or spelled out ("forty"); "a" of "a million" is one."""
    text = text.strip().lower().replace("\u2212", "-")
    if text in number_words():
        return number_words()[text]
    if text in ("a", "an"):
        return 1.0
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+,\d{1,2}|-?\d+,\d{1,2}", text):
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _unit_row(surface: str | None) -> dict[str, str] | None:
    return unit_index().get(_unit_key(surface)) if surface else None


def _is_amount(number_text: str, scale: str | None) -> bool:
    """Written as an amount of money, not a model name ("PS5"): with a scale, a decimal point,
    thousands groups, or at least 10."""
    return bool(scale) or bool(re.search(r"[.,]", number_text)) or (parse_number(number_text) or 0) >= 10


def find_unit_figures(text: str, offset: int = 0) -> list[Mention]:
    """Figures carrying a unit: "$190 billion", "1.3 trillion yuan", "40%", "38 bcm", with what a
    price is for ("$80 a barrel")."""
    found = []
    for m in figure_pattern().finditer(text):
        prefix = _unit_row(m.group("pre"))
        suffix = _unit_row(m.group("unit1") or m.group("unit2"))
        unit_row = suffix if prefix is None or (suffix and _is_currency(suffix["unit"])) else prefix
        number_text = m.group("num1") or m.group("num2")
        number = parse_number(number_text)
        scale_word = m.group("scale1") or m.group("scale2")
        if unit_row is None or number is None:
            continue
        if unit_row["needs"] == "amount" and not _is_amount(number_text, scale_word):
            continue
        if m.group("sign"):
            number = -number
        scale = scales().get((scale_word or "").lower(), 1.0)
        factor = float(unit_row["factor"]) if unit_row is suffix else 1.0
        qualifier = m.group("qual").lower() if m.group("qual") else None
        surface = m.group("pre") if unit_row is prefix else m.group("unit1") or m.group("unit2")
        unit = context_unit(surface, unit_row["unit"], text)
        mention = Mention(m.start() + offset, m.end() + offset, number * scale * factor, unit, qualifier, False,
                          scale=scale, factor=factor)
        found.append(with_per(mention, text, offset) if _is_currency(unit) else mention)
    return resolve_subunits(found)


def context_unit(surface: str, unit: str, text: str) -> str:
    """The unit a surface stands for in this sentence: "¥" is the yen's where the sentence
    speaks of Japan (`figures_unit_contexts.csv`)."""
    context = unit_contexts().get(_unit_key(surface))
    return context[0] if context and context[1].search(text) else unit


def resolve_subunits(mentions: list[Mention]) -> list[Mention]:
    """A subunit ("19 cents") is a hundredth of the currency nearest to it in the sentence, of
    the dollar where none is named."""
    currencies = [m for m in mentions if m.unit != SUBUNIT and _is_currency(m.unit)]
    out = []
    for m in mentions:
        if m.unit == SUBUNIT:
            near = min(currencies, key=lambda c: abs(c.start - m.start), default=None)
            m = _replace(m, unit=near.unit if near else DEFAULT_CURRENCY)
        out.append(m)
    return out


def _replace(mention: Mention, **changes) -> Mention:
    return replace(mention, **changes)


def with_per(mention: Mention, text: str, offset: int) -> Mention:
    """An amount followed by what it is for ("$58 per barrel", "$150 per 1,000 cubic metres",
    "110 yen to 1 USD") is a price, rate or exchange rate; its span takes the "per" phrase in."""
    m = per_pattern().match(text, mention.end - offset)
    if m is None:
        return mention
    if m.group("currency"):
        row = _unit_row(m.group("currency"))
        return _replace(mention, end=m.end() + offset, per=row["unit"], per_kind="exchange")
    word = (m.group("any") or m.group("listed")).lower()
    commodity, kind = per_units().get(word, ("", "price"))
    per = f"{m.group('count')} {word}" if m.group("count") else word
    return _replace(mention, end=m.end() + offset, per=per, per_kind=kind, commodity=commodity or None)


def find_ratio_figures(text: str, offset: int = 0) -> list[Mention]:
    """Multiples and fractions, skipping idioms and time expressions ("second half of 2023")."""
    found = []
    if not _ratio_hint().search(text):
        return found
    for m in ratio_pattern().finditer(text):
        if m.group("times"):
            value = parse_number(m.group("times"))
            needs = ""
        else:
            index = next(i for i, r in enumerate(ratio_rows()) if m.group(f"r{i}"))
            value, needs = float(ratio_rows()[index]["value"]), ratio_rows()[index]["needs"]
        qualifier = m.group("qual").lower() if m.group("qual") else None
        if value is None or not _ratio_context_ok(text, m, needs, qualifier):
            continue
        found.append(Mention(m.start() + offset, m.end() + offset, value, "ratio", qualifier, True))
    return found


def _ratio_context_ok(text: str, m: re.Match, needs: str, qualifier: str | None) -> bool:
    """A fraction word counts only as a share or a cut ("half of", "by a third", "almost half")."""
    before, after = text[: m.start()].lower(), text[m.end():].lower()
    if re.match(r"\s*(?:-|down\b|standards?\b|digits?\b|agents?\b)", after):
        return False  # "double-digit", "doubled down", "double standards"
    if needs != "context":
        return True
    if re.search(r"\b(?:first|second|third|fourth|last|latter|former|this|next|each|every|per)\s*$", before):
        return False  # "the second half of 2023", "first quarter"
    if re.match(r"\s*(?:an?\s+)?(?:hour|day|week|month|year|decade|century|dozen|mile)s?\b", after):
        return False
    return bool(qualifier or re.search(r"\bby\s*$", before) or re.match(r"\s*(?:of|the|its|their)\b", after))


def find_count_figures(text: str, offset: int = 0) -> list[Mention]:
    """Counts and durations that belong to a fact: "signed 14 documents" (unit count), "a
    30-year contract" (unit years); a year ("in 2019 deals") is no count."""
    found = []
    if not _count_nouns().search(text):
        return found  # most sentences name none: skip the costlier scan
    for m in count_pattern().finditer(text):
        number_text = m.group("count") or m.group("years")
        value = parse_number(number_text)
        if value is None or (m.group("count") and re.fullmatch(r"1[89]\d\d|2[01]\d\d", number_text)):
            continue
        noun = (m.group("counted") or m.group("lasting")).lower()
        unit = "count" if m.group("count") else "years"
        metric = counted_nouns().get((noun, unit))
        found.append(Mention(m.start() + offset, m.end() + offset, value, unit, None, False, metric=metric))
    return found


def find_mentions(text: str, offset: int = 0, doc: Doc | None = None) -> list[Mention]:
    """Every figure of `text`, in order, without overlaps (the longer one wins), with ranges
    joined into one figure and restatements in another currency marked (`join_ranges`,
    `mark_conversions`). With the parsed `doc`, "rose from X to Y" is told from a range."""
    mentions = sorted(find_unit_figures(text, offset) + find_ratio_figures(text, offset)
                      + find_count_figures(text, offset), key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return mark_conversions(join_ranges(with_parts(kept, text, offset), text, offset, doc), text, offset)


def with_parts(mentions: list[Mention], text: str, offset: int) -> list[Mention]:
    """"raised 350 million of the 2.4 billion roubles": a number with a scale word and no unit,
    told as a part of a figure, is in that figure's unit."""
    out: list[Mention] = []
    for mention in mentions:
        base = out[-1].end if out else offset  # `before` starts here
        part = _part_of().search(text[base - offset: mention.start - offset])
        number = parse_number(part.group("num")) if part else None
        if number is not None and not mention.ratio_word:
            value = number * scales()[part.group("scale").lower()] * mention.factor
            out.append(Mention(part.start("num") + base, part.end("scale") + base, value, mention.unit, None, False))
        out.append(mention)
    return out


@cache
def _part_of() -> re.Pattern:
    return re.compile(rf"(?<![\w.,$€£¥-])(?P<num>{NUMBER})\s?(?P<scale>{_alternation(scales())})\s+of\s+"
                      rf"(?:the|its|their)\s+$", re.I)


RANGE_LINK = re.compile(r"\s*(?:to|and|-|\u2013|\u2014)\s*$", re.I)


def join_ranges(mentions: list[Mention], text: str, offset: int, doc: Doc | None) -> list[Mention]:
    """"between 5% and 6%", "4 to 6 per cent", "$3 billion to $5 billion", "5-7%" become one
    figure with a low and a high (its `value` NaN); "from X to Y" too, unless a change word
    governs the "from" ("rose from $190 billion to $200 billion": two figures, a bare start
    then given the unit it shares: "cut from 7.5 to 7 percent")."""
    out: list[Mention] = []
    for mention in mentions:
        previous = out[-1] if out else None
        low = _range_low(mention, previous, text, offset, doc)
        if low is None:
            out.append(mention)
            continue
        if low.intro == "from" and _is_movement(doc, low.start + len("from"), text, offset):
            if not low.is_previous:  # the bare start of a movement is a figure of the same unit
                out.append(Mention(low.number_start, low.number_end, low.value, mention.unit, None, False))
            out.append(mention)
            continue
        if low.is_previous:
            out.pop()
        qualifier = mention.qualifier or (previous.qualifier if low.is_previous else None)
        out.append(_replace(mention, start=low.start, value=NO_VALUE, low=low.value, high=mention.value,
                            qualifier=qualifier))
    return out


@dataclass(frozen=True)
class RangeStart:
    """Where a range (or a movement "from X to Y") begins."""

    start: int  # of the whole range, its "between" or "from" included
    value: float
    intro: str  # "between", "from" or ""
    is_previous: bool  # the start is the figure before (else a bare number)
    number_start: int = 0  # the bare number's span
    number_end: int = 0


def _range_low(mention: Mention, previous: Mention | None, text: str, offset: int,
               doc: Doc | None = None) -> RangeStart | None:
    """The start of a range that ends in `mention`: the figure just before it, of the same unit,
    or a bare number ("4 to 6 per cent"), joined by "to", "-" or "and" (after "between")."""
    if mention.ratio_word or mention.unit in ("count", "years") or mention.low is not None:
        return None
    before = text[: mention.start - offset]
    link = RANGE_LINK.search(before)
    if link is None:
        return None
    word = link.group(0).strip().lower()
    if previous is not None and previous.end - offset == link.start():
        if previous.unit != mention.unit or previous.factor != mention.factor or previous.low is not None \
                or previous.per not in (None, mention.per) or previous.converted_from is not None:
            # ends of a range are written alike: "added 12 kopecks to 95.40 roubles" is a change and a level
            return None
        intro = re.search(r"\b(between|from)\s+$", text[: previous.start - offset], re.I)
        if word == "and" and not intro:
            return None
        value = previous.value
        if previous.scale == 1 and mention.scale > 1 and abs(value) <= abs(mention.value / mention.scale) * 10:
            value *= mention.scale  # "$71 to $76 billion"
        if not intro and _is_by_amount(text[: previous.start - offset], doc, previous.start):
            return None  # "grew by $43 billion to $419 billion", "rose 19 cents to $80.10"
        start = intro.start() + offset if intro else previous.start
        return RangeStart(start, value, intro.group(1).lower() if intro else "", True)
    bare = re.search(rf"(?:\b(?P<intro>between|from)\s+)?(?<![\w.,$€£¥-])(?P<num>{NUMBER})"
                     rf"(?:\s?(?P<scale>{_alternation(scales())})(?![A-Za-z]))?$", before[: link.start()], re.I)
    if bare is None or (previous is not None and previous.end - offset > bare.start("num")):
        return None
    if (word == "and" and not bare.group("intro")) or re.fullmatch(r"1[89]\d\d|2[01]\d\d", bare.group("num")):
        return None  # "and" without "between"; a year ("in 2021 to 5%")
    if not bare.group("intro") and _is_by_amount(before[: bare.start()]):
        return None  # "grew by 5 to 7 percent" is a range only without "by"
    number = parse_number(bare.group("num"))
    if number is None:
        return None
    if bare.group("scale"):
        scale = scales()[bare.group("scale").lower()]
    else:  # "5 to 7 billion": a start without a scale shares the end's when they are of one size
        shares = abs(number) <= abs(mention.value / (mention.scale * mention.factor)) * 10
        scale = mention.scale if shares else 1.0
    start = (bare.start("intro") if bare.group("intro") else bare.start("num")) + offset
    return RangeStart(start, number * scale * mention.factor, (bare.group("intro") or "").lower(), False,
                      bare.start("num") + offset, bare.end() + offset)


def _is_by_amount(before: str, doc: Doc | None = None, start: int | None = None) -> bool:
    """"grew by $43 billion to $419 billion", "rose 19 cents to $80.10": the first is the
    change (after "by", or, given the parse, right after a change word), the second the level."""
    if re.search(r"\bby\s+(?:(?:" + _alternation(cues()["qualifier"]) + r")\s+)?$", before, re.I):
        return True
    if doc is None or start is None:
        return False
    token = doc.char_span(start, start + 1, alignment_mode="expand")
    previous = doc[token.start - 1] if token is not None and token.start > 0 else None
    return previous is not None and (previous.lemma_.lower() in cues()["change"] or previous.lower_ in cues()["change"])


def _is_movement(doc: Doc | None, from_end: int, text: str, offset: int) -> bool:
    """"from" hangs on a change word ("rose from", "a drop from"): the figures are where the
    change started and ended, not the ends of a range."""
    change = cues()["change"]
    if doc is None:  # without a parse: one of the two words before it is a change word
        before = text[: from_end - offset - 4].lower().split()[-2:]
        return any({w, w.removesuffix("s"), w.removesuffix("d"), w.removesuffix("ed")} & change for w in before)
    token = doc.char_span(from_end - 4, from_end, alignment_mode="expand")
    if token is None:
        return False
    head = token.root.head
    return head.lemma_.lower() in change or head.lower_ in change


CONVERSION_OPEN = re.compile(r"\s*(?:\(|,\s*or\s+|\s*or\s+)\s*$")


def mark_conversions(mentions: list[Mention], text: str, offset: int) -> list[Mention]:
    """An amount restated in another currency right after it, in brackets or after "or"
    ("1.74 trillion yuan ($237 billion)"), is the same figure: it keeps its row, with
    `converted_from` the start of the first, so that views count the fact once."""
    out: list[Mention] = []
    for mention in mentions:
        first = out[-1] if out else None
        if first is not None and _is_currency(mention.unit) and _is_currency(first.unit) \
                and first.unit != mention.unit and first.converted_from is None:
            between = text[first.end - offset: mention.start - offset]
            if CONVERSION_OPEN.fullmatch(between):
                mention = _replace(mention, converted_from=first.start)
        out.append(mention)
    return out


# --- analysing a figure in its sentence -----------------------------------------------------------


def anchor_token(doc: Doc, start: int, end: int) -> Token:
    """The syntactic head of the figure's tokens."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root


def change_cue(token: Token, mention: Mention, sent: Span) -> str | None:
    """The word that makes a figure a growth rate or multiple ("up 40%", "increase by 40%",
    "a 40% rise", "fell 9%": up, increase, rise, fall), MULTIPLE for "doubled" or "twofold", ""
    for a cue of no direction ("year on year"); None when the figure is no change."""
    if mention.ratio_word and mention.value >= 1:
        return MULTIPLE
    change = cues()["change"]
    skip = cues()["qualifier"] | {"by", "of", "a", "an", "than", "more", "less", "just", "some", "over"}
    doc = sent.doc
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    i = span.start - 1
    while i >= sent.start and doc[i].lower_ in skip:
        i -= 1
    if i >= sent.start and (doc[i].lemma_.lower() in change or doc[i].lower_ in change):
        return doc[i].lower_ if doc[i].lower_ in change else doc[i].lemma_.lower()
    following = doc_text(doc)[mention.end: mention.end + 30].lower()
    if any(re.match(rf"\s*{re.escape(w)}\b", following) for w in change if " " in w or "-" in w):
        return ""
    if span.end < sent.end and doc[span.end].lemma_.lower() in change and doc[span.end].pos_ == "NOUN":
        return doc[span.end].lemma_.lower()
    for ancestor in _governors(token):
        if ancestor.lemma_.lower() in cues()["baseline"] or ancestor.lower_ in ("to", "at", "from"):
            return None
        if ancestor.lower_ == "by" and ancestor.head.lemma_.lower() in change:
            return ancestor.head.lemma_.lower()
        if ancestor.pos_ in ("VERB", "NOUN"):
            changes = ancestor.lemma_.lower() in change and token.dep_ in ("dobj", "npadvmod")
            return ancestor.lemma_.lower() if changes else None
    return None


def change_trend(cue: str | None) -> str | None:
    """"up" or "down" for a change by its cue word ("fell" → down), "up" for a multiple."""
    return "up" if cue == MULTIPLE else trends().get(cue) if cue else None


def _governors(token: Token, limit: int = 4) -> list[Token]:
    """The first few heads above a token."""
    out = []
    while token.head is not token and len(out) < limit:
        token = token.head
        out.append(token)
    return out


def is_forecast(token: Token) -> bool:
    """Under a forecast cue: an ancestor such as "expected"/"projected", or one with "will"/"would"."""
    forecast = cues()["forecast"]
    for ancestor in [token, *token.ancestors]:
        if ancestor.lemma_.lower() in forecast and ancestor.pos_ in ("VERB", "NOUN", "AUX"):
            return True
        if any(c.dep_ == "aux" and c.lower_ in forecast for c in ancestor.children):
            return True
    return False


# --- metric -----------------------------------------------------------------------------------


def keyword_hits(tokens: list[Token]) -> list[tuple[int, str, str, str]]:
    """(token index, keyword, role, name) for every metric keyword among consecutive `tokens`;
    words inside a longer name ("Power of Siberia", "the Trade Ministry") are not keywords."""
    if not tokens:
        return []
    hits, taken = [], set()
    words = [t.lower_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    starts: dict[str, set[int]] = {}  # first word or lemma → where it occurs
    for i, (word, lemma) in enumerate(zip(words, lemmas)):
        starts.setdefault(word, set()).add(i)
        starts.setdefault(lemma, set()).add(i)
    for keyword, role, name in metric_keywords():
        parts = keyword.split()
        for i in sorted(starts.get(parts[0], ())):
            if i > len(tokens) - len(parts):
                break
            window = range(i, i + len(parts))
            if taken & set(window) or _inside_name(tokens[i], tokens[i + len(parts) - 1]):
                continue
            if words[i: i + len(parts)] == parts or lemmas[i: i + len(parts)] == parts:
                hits.append((tokens[i + len(parts) - 1].i, keyword, role, name))
                taken |= set(window)
    return hits


def _inside_name(first: Token, last: Token) -> bool:
    """The words first..last are part of a longer name ("power" in "Power of Siberia"; not
    "LNG", a name of its own)."""
    if first.ent_type_ not in NAME_LABELS:
        return False
    doc = first.doc
    return first.ent_iob_ == "I" or (last.i + 1 < len(doc) and doc[last.i + 1].ent_iob_ == "I")


def compose_metric(hits: list[tuple[int, str, str, str]]) -> str | None:
    """A metric name from keyword hits: a metric keyword, or commodity + flow ("oil_exports")."""
    metrics = [h for h in hits if h[2] == "metric"]
    commodities = [h for h in hits if h[2] == "commodity"]
    flows = [h for h in hits if h[2] == "flow"]
    if commodities:
        flow = flows[0][3] if flows else "supply"
        return f"{commodities[0][3]}_{flow}"
    if metrics:
        return metrics[0][3]
    if flows:
        return flows[0][3]
    return None


def metric_phrases(token: Token) -> list[list[Token]]:
    """Token groups that name what a figure measures, most direct first.

    The figure's own complement ("22 bcm of gas"), the noun it modifies ("a $10 billion
    investment") or completes ("exports of $5 billion"), then the verb it depends on with that
    verb's subject ("trade reached ...", "Russia shipped ... of crude").
    """
    phrases = [_of_complement(token)]
    for head in [token, *list(token.ancestors)[:6]]:
        if head is not token and head.pos_ in ("NOUN", "PROPN") and head.dep_ != "pobj":
            phrases.append(_noun_phrase(head))
        if head.pos_ in ("VERB", "AUX"):
            phrases.append([head])
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            phrases.extend(list(child.subtree) for child in subjects)
            if head.dep_ in ("pcomp", "advcl", "acl", "relcl", "xcomp") and head.head.pos_ in ("NOUN", "PROPN"):
                phrases.append(_noun_phrase(head.head))
            if subjects or head.dep_ not in ("xcomp", "conj", "pcomp", "prep"):
                break  # a verb with its own subject closes the figure's clause
    return [p for p in phrases if p]


def _of_complement(token: Token) -> list[Token]:
    """What a quantity is of: "22 bcm of gas" → "gas"."""
    for prep in token.subtree:
        if prep.dep_ == "prep" and prep.lower_ == "of" and token.i <= prep.head.i <= token.i + 3:
            return sorted(prep.subtree, key=lambda t: t.i)
    return []


def _noun_phrase(noun: Token) -> list[Token]:
    """A noun with its modifiers and attached prepositional phrases."""
    return sorted(noun.subtree, key=lambda t: t.i)


def figure_metric(token: Token, sent: Span, skip: set[int]) -> str | None:
    """What the figure measures: keywords of its own phrases, else the nearest keyword in the sentence."""
    hits = [h for phrase in metric_phrases(token) for h in keyword_hits([t for t in phrase if t.i not in skip])]
    name = compose_metric(hits)
    if name:
        return name
    hits = keyword_hits([t for t in sent if t.i not in skip])
    if not hits:
        return None
    nearest = min(hits, key=lambda h: abs(h[0] - token.i))
    near = [h for h in hits if abs(h[0] - nearest[0]) <= 2]
    return compose_metric(near)


@cache
def unit_commodities() -> dict[str, str]:
    """Unit → the one commodity it measures ("bcm" → gas): `figures_unit_commodities.csv`."""
    return {r["unit"]: r["commodity"] for r in read_csv("figures_unit_commodities.csv")}


def with_unit_commodity(metric: str | None, unit: str | None) -> str | None:
    """`metric` completed by the commodity its unit names: a figure in barrels a day is oil, one
    in bcm gas, so a flow alone ("supply") becomes "oil_supply" and no metric at all the
    commodity's supply, as `compose_metric` names a commodity without a flow."""
    commodity = unit_commodities().get(unit) if isinstance(unit, str) else None
    if commodity is None:
        return metric
    if metric is None:
        return f"{commodity}_supply"
    return f"{commodity}_{metric}" if metric in flow_names() else metric


@cache
def flow_names() -> frozenset[str]:
    """The metric names of flows alone ("supply", "exports"), from `figures_metrics.csv`."""
    return frozenset(name for _, role, name in metric_keywords() if role == "flow")


def growth_name(metric: str | None) -> str | None:
    """The name of a metric's percentage change: bilateral_trade → trade_growth."""
    if metric is None:
        return None
    base = metric.removeprefix("bilateral_")
    return base if base.endswith("_growth") else f"{base}_growth"


# --- period ---------------------------------------------------------------------------------------


def canonical_period(value: str | None) -> str | None:
    """A range that covers a whole year, quarter or month, written as that unit ("2023-Q1")."""
    if not value or "/" not in value:
        return value
    first, last = value.split("/", 1)
    try:
        a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        return value
    month_end = (b + dt.timedelta(days=1)).day == 1
    if a.day != 1 or not month_end or a.year != b.year:
        return value
    if a.month == 1 and b.month == 12:
        return f"{a.year}"
    if a.month == b.month:
        return f"{a.year}-{a.month:02d}"
    if (a.month - 1) % 3 == 0 and b.month == a.month + 2:
        return f"{a.year}-Q{(a.month - 1) // 3 + 1}"
    return value


def period_end(value: str | None) -> dt.date | None:
    """The last day a period value covers ("2022" → 2022-12-31)."""
    if not value:
        return None
    last = value.split("/")[-1]
    try:
        if re.fullmatch(r"\d{4}", last):
            return dt.date(int(last), 12, 31)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", last):
            month = int(m.group(2)) * 3
            return _month_end(int(m.group(1)), month)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", last):
            return _month_end(int(m.group(1)), int(m.group(2)))
        return dt.date.fromisoformat(last)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def known_dates(dates: pd.DataFrame | list[dict] | None) -> list[tuple[int, int, str]]:
    """(start, end, value) of each row of the dates table that has a value, in text order."""
    rows = [r for r in records(dates) if not (missing(r["start"]) or missing(r["end"]) or missing(r["value"]))]
    return sorted((int(r["start"]), int(r["end"]), r["value"]) for r in rows)


def sentence_dates(dates: list[tuple[int, int, str]], sent: Span) -> list[tuple[int, int, str]]:
    """The known dates (`known_dates`) inside the sentence."""
    return [d for d in dates if d[0] >= sent.start_char and d[1] <= sent.end_char]


def is_baseline(doc: Doc, start: int, sent: Span) -> bool:
    """A comparison base: "from the same period in 2022", "than last year", "the lowest since
    April 2023"."""
    before = doc_text(doc)[max(sent.start_char, start - 30): start].lower()
    if _ends_with_cue("baseline", the=True).search(before):
        return True
    since = doc_text(doc)[start:start + 6].lower().startswith("since")
    return since and _ends_with_cue("superlative").search(before) is not None


@cache
def _ends_with_cue(kind: str, the: bool = False) -> re.Pattern:
    """A text (lower case) that ends with a cue of `kind` (and "the" after it, with `the`)."""
    article = r"(?:the\s+)?" if the else ""
    return re.compile(rf"\b(?:{_alternation(cues()[kind])})\s+{article}$")


def _dates_a_base_between(doc: Doc, start: int, mention: Mention, others: list[Mention]) -> bool:
    """The date follows a comparison base given after the figure, so it is the base's ("about a
    quarter of imports, up from 14% in 2021": 2021 is the 14%'s, not the quarter's)."""
    text, base = doc_text(doc), _ends_with_cue("baseline")
    return any(mention.end <= o.start and o.end <= start and base.search(text[max(0, o.start - 20):o.start].lower())
               for o in others if o is not mention)


def is_statement_date(doc: Doc, start: int, end: int, token: Token) -> bool:
    """The day something was said ("predicted on Tuesday", "..., customs said on Thursday"), not
    what the figure covers: the date hangs on a reporting verb that is not the figure's own verb
    ("customs reported $73 billion for March" keeps March)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    verb = _verb_of(span.root)
    if verb is None or verb.lemma_.lower() not in cues()["reporting"]:
        return False
    return verb != _verb_of(token)


def _verb_of(token: Token) -> Token | None:
    """The nearest verb above `token`."""
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def pick_period(doc: Doc, mention: Mention, token: Token, sent: Span, dates: list[tuple[int, int, str]],
                others: list[Mention]) -> str | None:
    """The period of the nearest fitting date expression (of `known_dates`) in the figure's sentence."""
    best, best_score = None, None
    for start, end, value in sentence_dates(dates, sent):
        if is_baseline(doc, start, sent) or is_statement_date(doc, start, end, token) or \
                _dates_a_base_between(doc, start, mention, others):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        distance = min(abs(span.start - token.i), abs(span.end - 1 - token.i))
        if distance > MAX_DATE_DISTANCE:
            continue
        low, high = sorted((start, mention.start))
        crossing = any(low <= o.start < high and o is not mention for o in others)
        score = distance + CROSSING_PENALTY * crossing
        if best_score is None or score < best_score:
            best, best_score = value, score
    return canonical_period(best)


def phrase_period(doc: Doc, sent: Span, published: dt.date | None) -> str | None:
    """A period phrase the dates table missed, normalised by `lib.extract.dates.normalise` when available."""
    text = doc_text(doc)[sent.start_char: sent.end_char]
    for pattern in period_patterns():
        m = pattern.search(text)
        if m:
            return canonical_period(_normalise(m.group(0), published))
    return None


def _normalise(surface: str, published: dt.date | None) -> str | None:
    """`lib.extract.dates.normalise`, or a small fallback for "the first N months/quarter/half"."""
    if published is not None:
        try:
            value = normalise(surface, published)[0]
        except Exception:  # noqa: BLE001 - the other module's failure must not lose the figure
            value = None
        if value:
            return value
    return _first_part_of_year(surface, published)


def _first_part_of_year(surface: str, published: dt.date | None) -> str | None:
    """"the first three months (of 2023)" → 2023-01-01/2023-03-31; year defaults to publication."""
    text = surface.lower()
    year_match = re.search(r"\b(\d{4})\b", text)
    if year_match:
        year = int(year_match.group(1))
    elif published is None:
        return None
    else:
        year = published.year - 1 if "last year" in text else published.year
    if "so far" in text or "to date" in text:
        return f"{year}-01-01/{published.isoformat()}" if published else None
    m = re.search(r"first (\w+) months", text)
    months = parse_number(m.group(1)) if m else {"quarter": 3, "half": 6}.get(
        (re.search(r"first (quarter|half)", text) or [None, None])[1])
    if not months or not 1 <= months <= 12:
        return None
    return f"{year}-01-01/{_month_end(year, int(months)).isoformat()}"


# --- direction and origin ---------------------------------------------------------------------


def _country(token: Token) -> str | None:
    """The country a token names: a place entity or a nationality adjective."""
    if token.text in demonyms():
        return demonyms()[token.text]
    if token.ent_type_ in ("GPE", "NORP") or token.pos_ == "PROPN":
        return _entity_text(token)
    return None


def _entity_text(token: Token) -> str:
    doc = token.doc
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text.removeprefix("the ").removesuffix("'s").removesuffix("\u2019s")
    return token.text


def figure_direction(token: Token, sent: Span, skip: set[int], reporter: str | None = None) -> str | None:
    """"Russia→China" from "from Russia to China", "Russian exports to China", "China's imports from Russia".

    `reporter` is the country whose figures are cited ("Chinese customs data showed imports from
    Russia..."): a country's trade statistics count its own imports and exports, so it is the
    end a flow leaves unnamed."""
    for phrase in metric_phrases(token):
        flows = [h for h in keyword_hits([t for t in phrase if t.i not in skip]) if h[2] in ("flow", "commodity")]
        if not flows:
            continue
        noun = sent.doc[flows[0][0]]
        inbound = any(h[3] == "imports" for h in flows)
        source, target = _flow_ends(noun, inbound)
        if inbound:
            target = target or (reporter if source else None)
        else:
            source = source or (reporter if target else None)
        if source and target and source != target:
            return f"{source}\u2192{target}"
    return None


def origin_country(origin: str | None) -> str | None:
    """The country of a cited origin: "Chinese customs data" → China, "China Customs" → China."""
    countries = set(demonyms().values())
    for word in re.findall(r"[A-Z][\w.]*", origin or ""):
        country = demonyms().get(word) or (word if word in countries else None)
        if country:
            return country
    return None


def _flow_ends(word: Token, inbound: bool) -> tuple[str | None, str | None]:
    """Where a flow comes from and goes to: its owner ("Russian exports", the subject of "Russia
    shipped") is the source, or the destination for imports; "from X" and "to X" say it outright."""
    owner = source = target = None
    if word.pos_ == "VERB":
        owners = [c for c in word.children if c.dep_ == "nsubj"]
        scope = list(word.children)
    else:
        phrase = word.head if word.dep_ == "compound" else word
        owners = [c for c in phrase.children if c.dep_ in ("amod", "poss", "compound", "nmod")]
        scope = list(phrase.subtree)
    for child in owners:
        owner = owner or _country(child)
    for t in scope:
        preposition = t if t.dep_ == "prep" else None
        for obj in (c for c in (preposition.children if preposition else ()) if c.dep_ == "pobj"):
            if preposition.lower_ == "from":
                source = _country(obj) or source
            elif preposition.lower_ in ("to", "into"):
                target = _country(obj) or target
    if word.pos_ == "VERB" and not inbound:
        target = target or _supplied_party(word)
    if inbound:
        target = target or owner
        goods = [t for c in word.children if c.dep_ == "dobj" for t in c.subtree] if word.pos_ == "VERB" else scope
        source = source or _goods_origin(goods, target)
    else:
        source = source or owner
    return source, target


def _supplied_party(verb: Token) -> str | None:
    """The receiving country of "supplied China with 5 million tonnes" (an object, then "with")."""
    for child in verb.children:
        if child.dep_ == "dobj" and any(c.dep_ == "prep" and c.lower_ == "with" for c in (*child.children, *verb.children)):
            return _country(child)
    return None


def _goods_origin(tokens: list[Token], buyer: str | None) -> str | None:
    """Where imported goods come from by their adjective: "bought ... Russian crude" → Russia."""
    for t in tokens:
        if t.dep_ == "amod" and (t.text in demonyms() or t.ent_type_ == "NORP"):
            country = _country(t)
            if country and country != buyer:
                return country
    return None


def figure_origin(token: Token, sent: Span) -> str | None:
    """The cited origin: "according to data from China Customs", "the Interfax news agency reported"."""
    for t in sent:
        if t.lower_ == "according":
            for prep in t.children:
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if objects:
                    return _source_name(objects[0])
    for verb in [*token.ancestors, sent.root]:
        if verb.lemma_.lower() in cues()["reporting"] and verb.pos_ == "VERB":
            subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
            if subjects:
                return _source_name(subjects[0])
    return None


def _source_name(noun: Token) -> str:
    """A source phrase without its article; "data from X" is X."""
    if noun.lemma_.lower() in cues()["source_noun"] or noun.lower_ in cues()["source_noun"]:
        for prep in noun.children:
            if prep.lower_ in ("from", "by", "of"):
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if objects:
                    noun = objects[0]
    tokens = sorted(noun.subtree, key=lambda t: t.i)
    text = noun.doc[tokens[0].i: tokens[-1].i + 1].text
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I).strip(" ,.\u201d\"")


# --- the extractor ----------------------------------------------------------------------------


def extract_figures(doc: Doc, article_id: str, published: dt.date | None, dates: pd.DataFrame) -> pd.DataFrame:
    """One row per economic figure of the article (schema "figures"); `dates` is the article's
    dates table (a frame or row dicts)."""
    return from_rows(figure_rows(doc, article_id, published, dates), "figures")


def figure_rows(doc: Doc, article_id: str, published: dt.date | None, dates: pd.DataFrame | list[dict]) -> list[dict]:
    """`extract_figures` as row dicts."""
    rows: list[dict] = []
    previous: dict | None = None
    dates = known_dates(dates)
    text = doc_text(doc)
    for number, sent in enumerate(doc.sents):
        mentions = find_mentions(text[sent.start_char: sent.end_char], sent.start_char, doc)  # = sent.text, cheaper
        figure_tokens = {t.i for m in mentions for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
        if previous is not None and previous["sentence"] < number - 1:
            previous = None  # only the figure just before can be commented on
        for mention in mentions:
            row = analyse(doc, sent, mention, mentions, figure_tokens, published, dates, previous)
            rows.append({"article_id": article_id, **row})
            previous = {**row, "sentence": number}
    return rows


def analyse(doc: Doc, sent: Span, mention: Mention, mentions: list[Mention], skip: set[int],
            published: dt.date | None, dates: list[tuple[int, int, str]], previous: dict | None) -> dict:
    """All attributes of one figure, read from its sentence (and the previous figure when anaphoric)."""
    token = anchor_token(doc, mention.start, mention.end)
    cue = change_cue(token, mention, sent)
    change = cue is not None
    metric = figure_metric(token, sent, skip)
    period = pick_period(doc, mention, token, sent, dates, mentions) or phrase_period(doc, sent, published)
    follows = previous is not None
    if change and follows and period is None:
        period = previous["period"]
    if change and metric is None and follows:
        metric = previous["metric"]
    metric = with_unit_commodity(metric, mention.unit)
    metric = mention.metric or priced_metric(mention, metric)
    kind = "change" if change else "actual"
    origin = figure_origin(token, sent)
    if is_forecast(token) and not _is_past(period, published):
        kind = "forecast"
    elif _is_future(period, published) and not _told_as_past(token):
        kind = "forecast"  # a period not begun when the article appeared, not told as done
    if kind == "change" and mention.unit == "percent":
        metric = growth_name(metric)
    return {
        "surface": doc_text(doc)[mention.start: mention.end],
        "start": mention.start,
        "end": mention.end,
        "value": mention.value,
        "unit": mention.unit,
        "low": mention.low,
        "high": mention.high,
        "per": mention.per,
        "converted_from": mention.converted_from,
        "metric": metric,
        "period": period,
        "kind": kind,
        "trend": change_trend(cue),
        "qualifier": mention.qualifier,
        "direction": figure_direction(token, sent, skip, origin_country(origin)),
        "origin": origin,
        "sent_start": sent.start_char,
        "sent_end": sent.end_char,
    }


def priced_metric(mention: Mention, metric: str | None) -> str | None:
    """The metric of a price ("$80 a barrel": oil_price, by its `per` or the commodity its
    sentence names) or an exchange rate; a rate per time ("$5 billion a year") keeps the metric
    of what flows."""
    if mention.per_kind == "exchange":
        return "exchange_rate"
    if mention.per_kind != "price":
        return metric
    commodity = mention.commodity or _commodity_of(metric)
    return f"{commodity}_price" if commodity else "price"


def _commodity_of(metric: str | None) -> str | None:
    """The commodity a composed metric starts with ("coal_supply" → coal)."""
    commodities = {name for _, role, name in metric_keywords() if role == "commodity"}
    head = (metric or "").split("_")[0]
    return head if head in commodities else None


def _is_past(period: str | None, published: dt.date | None) -> bool:
    end = period_end(period)
    return end is not None and published is not None and end < published


def _told_as_past(token: Token) -> bool:
    """Whether the verb the figure depends on is in a past tense ("reached", "has reached")."""
    verb = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    perfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    return verb.tag_ == "VBD" or perfect


def _is_future(period: str | None, published: dt.date | None) -> bool:
    """The period begins after the publication: what is said of it can only be expected
    ("deliveries are set to reach 38 bcm in 2025", written in 2024)."""
    span = interval(period) if period else None
    return span is not None and published is not None and span[0] > published
