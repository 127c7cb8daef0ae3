"""Temporal expressions: recognition in text and normalisation against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.extract.dates import covered, date_rows, extract_dates, infer_published, interval, normalise, to_quarter

WEDNESDAY = dt.date(2023, 5, 24)  # a Wednesday


@pytest.mark.parametrize(
    ("surface", "value", "precision"),
    [
        ("Wednesday", "2023-05-24", "day"),
        ("Tuesday", "2023-05-23", "day"),
        ("Friday", "2023-05-19", "day"),
        ("late Wednesday", "2023-05-24", "day"),
        ("Today", "2023-05-24", "day"),
        ("yesterday", "2023-05-23", "day"),
        ("last Friday", "2023-05-19", "day"),
        ("next Monday", "2023-05-29", "day"),
        ("last week", "2023-05-15/2023-05-21", "week"),
        ("this week", "2023-05-22/2023-05-28", "week"),
        ("last weekend", "2023-05-20/2023-05-21", "week"),
        ("this month", "2023-05", "month"),
        ("last month", "2023-04", "month"),
        ("March", "2023-03", "month"),
        ("September", "2022-09", "month"),
        ("February 2022", "2022-02", "month"),
        ("June 1", "2023-06-01", "day"),
        ("1 June 2023", "2023-06-01", "day"),
        ("May 3, 2021", "2021-05-03", "day"),
        ("2023", "2023", "year"),
        ("this year", "2023", "year"),
        ("last year", "2022", "year"),
        ("The year before", "2022", "year"),
        ("its second year", "2023", "year"),
        ("163 years ago", "1860", "year"),
        ("so far this year", "2023-01-01/2023-05-24", "range"),
        ("since 2020", "2020", "year"),  # the date itself; "since" goes to the relation column
        ("since February", "2023-02", "month"),
        ("the first three months of 2023", "2023-01-01/2023-03-31", "quarter"),
        ("first three months of year 2023", "2023-01-01/2023-03-31", "quarter"),
        ("in the first three months", "2023-01-01/2023-03-31", "quarter"),
        ("the first half of the year", "2023-01-01/2023-06-30", "range"),
        ("the first quarter", "2023-Q1", "quarter"),
        ("the first quarter of 2022", "2022-Q1", "quarter"),
        ("Q3 2021", "2021-Q3", "quarter"),
        ("the first half of 2022", "2022-01-01/2022-06-30", "range"),
        ("the 1990s", "1990/1999", "range"),
        ("mid-2024", "2024", "year"),
        ("on Wednesday", "2023-05-24", "day"),
        ("January-April", "2023-01-01/2023-04-30", "range"),
        ("the January–November period", "2022-01-01/2022-11-30", "range"),  # November is past: last year's
        ("Jan-Mar 2022", "2022-01-01/2022-03-31", "quarter"),
        ("November-February", "2022-11-01/2023-02-28", "range"),  # across the new year
        ("the 11 months to November", "2022-01-01/2022-11-30", "range"),
        ("the first four months to April 2023", "2023-01-01/2023-04-30", "range"),
        ("the 12 months to March", "2022-04-01/2023-03-31", "range"),
        ("between January and April", "2023-01-01/2023-04-30", "range"),  # one stretch, not two months
        ("from January to March 2022", "2022-01-01/2022-03-31", "quarter"),
        ("third-quarter", "2022-Q3", "quarter"),  # the last third quarter before publication
        ("fiscal 2022", "2022", "year"),
        ("the full year", "2023", "year"),
        ("the current quarter", "2023-Q2", "quarter"),
        ("the latest quarter", "2023-Q1", "quarter"),  # the last one ended
        ("the 2022 third quarter", "2022-Q3", "quarter"),
        ("next year's first quarter", "2024-Q1", "quarter"),
        ("the last half of 2022", "2022-07-01/2022-12-31", "range"),
        ("the first two quarters of 2024", "2024-01-01/2024-06-30", "range"),
        ("this September", "2023-09", "month"),
        ("last Oct. 23", "2022-10-23", "day"),
        ("Monday, May 29", "2023-05-29", "day"),  # the weekday agrees
        ("9 a.m. Tuesday", "2023-05-23", "day"),  # a time is pinned to its day
        ("noon Saturday", "2023-05-20", "day"),
        ("18:00 GMT", "2023-05-24", "day"),
        ("nineteen ninety-six", "1996", "year"),
        ("the year two thousand", "2000", "year"),
        ("the nineties", "1990/1999", "range"),
        ("the '80s", "1980/1989", "range"),
        ("the mid-1990s", "1990/1999", "range"),
        ("the 20th century", "1900/1999", "range"),
        ("Victory Day", "2023-05-09", "day"),
        ("year-end", "2023", "year"),
    ],
)
def test_normalise_forms(surface, value, precision):
    assert normalise(surface, WEDNESDAY) == (value, precision)


@pytest.mark.parametrize(
    ("surface", "value"),
    [("Friday", "2023-05-26"), ("Wednesday", "2023-05-24"), ("March", "2024-03"), ("June", "2023-06")],
)
def test_future_reading_points_forward(surface, value):
    assert normalise(surface, WEDNESDAY, future=True)[0] == value


@pytest.mark.parametrize(
    ("surface", "previous", "value"),
    [
        ("the year-ago quarter", "2023-Q1", "2022-Q1"),
        ("a year earlier", "2023-Q1", "2022-Q1"),
        ("the quarter", "2022-Q4", "2022-Q4"),
        ("the following year", "2014", "2015"),
        ("that year", "2014-03", "2014"),
        ("the next day", "2023-03-20", "2023-03-21"),
    ],
)
def test_anaphoric_forms_follow_the_date_before(surface, previous, value):
    assert normalise(surface, WEDNESDAY, previous=previous)[0] == value


def test_same_period_follows_previous_range():
    assert normalise("same period in 2022", WEDNESDAY, previous="2023-01-01/2023-03-31") == \
        ("2022-01-01/2022-03-31", "quarter")


@pytest.mark.parametrize("surface", ["two countries", "three hours", "two years", "annual", "the Qing dynasty",
                                     "recent years", "two thousand", "a quarter"])
def test_not_pinnable(surface):
    assert normalise(surface, WEDNESDAY) == (None, None)


def dates_of(nlp, text: str, published: dt.date = WEDNESDAY) -> list[tuple[str, str | None]]:
    frame = extract_dates(nlp(text), "a", published)
    return list(zip(frame["surface"], frame["value"].astype(object).where(frame["value"].notna(), None)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin met Xi on Wednesday in Moscow.", [("Wednesday", "2023-05-24")]),
        ("Li Hui is set to travel to Russia on Friday.", [("Friday", "2023-05-26")]),
        ("Putin will visit Beijing on Friday.", [("Friday", "2023-05-26")]),
        ("On Friday, the envoy met officials in Kyiv.", [("Friday", "2023-05-19")]),
        ("Trade reached $70 billion so far this year.", [("so far this year", "2023-01-01/2023-05-24")]),
        ("Coal shipments have doubled since 2020.", [("since 2020", "2020")]),
        ("Trade rose in the first three months of 2023, up 40% from the same period in 2022.",
         [("the first three months of 2023", "2023-01-01/2023-03-31"),
          ("the same period in 2022", "2022-01-01/2022-03-31")]),
        ("The statement came late Wednesday.", [("late Wednesday", "2023-05-24")]),
        ("Ties have grown in recent years.", [("recent years", None)]),
        ("Xi visited Moscow in March.", [("March", "2023-03")]),
        ("Trade rose to $190 billion in 2022.", [("2022", "2022")]),
        ("In 2022 trade rose by a third.", [("2022", "2022")]),
        ("Trade rose 5% in January-April.", [("January-April", "2023-01-01/2023-04-30")]),
        ("Exports in the 11 months to November fell.", [("the 11 months to November", "2022-01-01/2022-11-30")]),
        ("Between January and April, trade fell 1.2%.", [("Between January and April", "2023-01-01/2023-04-30")]),
        ("Exports grew in January and April.", [("January", "2023-01"), ("April", "2023-04")]),
        ("Coal imports rose 12 percent on the month.", []),  # a comparison, not a date
        # A yearless day after publication: the coming one, unless the sentence tells of the past.
        ("Putin will visit Beijing on June 1.", [("June 1", "2023-06-01")]),
        ("The summit, scheduled for June 1, will focus on energy.", [("June 1", "2023-06-01")]),
        ("Lavrov met Wang Yi in Vientiane on June 1.", [("June 1", "2022-06-01")]),
        ("The two sides had signed the deal on June 1.", [("June 1", "2022-06-01")]),
        # a day range within one month
        ("Leaders attended the May 22-24 summit in Kazan.", [("May 22-24", "2023-05-22/2023-05-24")]),
        ("Li visited Moscow 20-22 Aug 2022 and met Putin.", [("20-22 Aug 2022", "2022-08-20/2022-08-22")]),
        ("Talks were held on 3-4 March.", [("3-4 March", "2023-03-03/2023-03-04")]),
        ("The forum runs from June 5 to 8.", [("June 5 to 8", "2023-06-05/2023-06-08")]),
        # "earlier" counts back from the sentence's own date; "ago" from the publication
        ("Bonds worth $16bn were sold in 2020, up from $7bn a year earlier.",
         [("2020", "2020"), ("a year earlier", "2019")]),
        ("Exports averaged 2.2 million barrels a day in the first quarter, up from 1.9 million a year earlier.",
         [("the first quarter", "2023-Q1"), ("a year earlier", "2022-Q1")]),
        ("Russia shipped more crude in March, up 12% from two years earlier.",
         [("March", "2023-03"), ("two years earlier", "2021-03")]),
        ("Trade grew 12% from a year earlier.", [("a year earlier", "2022")]),
        ("In 2020, trade was lower than it had been two years ago.", [("2020", "2020"), ("two years ago", "2021")]),
        # a yearless day: a modal, a deadline or a due payment points ahead even in a reported clause
        ("Lavrov said the deal must be signed by June 10.", [("June 10", "2023-06-10")]),
        ("Gazprom said it would resume deliveries on July 3.", [("July 3", "2023-07-03")]),
        ("Rosneft declared a dividend payable July 1.", [("July 1", "2023-07-01")]),
        ("Xi invited Putin to visit Beijing during their summit in March.", [("March", "2023-03")]),
        ("The talks will take place in April.", [("April", "2024-04")]),
        ("Putin met Xi on Monday, May 22, in Moscow.", [("Monday, May 22", "2023-05-22")]),
        ("The pipeline opened at 10:35 a.m. Friday.", [("10:35 a.m. Friday", "2023-05-19")]),
        ("Third-quarter trade with Russia rose 20% from a year earlier.",
         [("Third-quarter", "2022-Q3"), ("a year earlier", "2021-Q3")]),
        ("Trade rose in the second quarter. Exports grew 8% from the year-ago quarter.",
         [("the second quarter", "2023-Q2"), ("the year-ago quarter", "2022-Q2")]),
        ("Moscow and Beijing signed the pact in 2001, and the following year they met in Shanghai.",
         [("2001", "2001"), ("the following year", "2002")]),
        ("Beijing criticised its 2014 annexation of Crimea.", [("2014", "2014")]),  # a year before one noun
        ("The decision, announced Monday, angered Kyiv.", [("Monday", "2023-05-22")]),
        ("The deal is expected in December.", [("December", "2023-12")]),
        ("Gazprom has to repay the loan by February.", [("February", "2024-02")]),
        ("In 2015 talks stalled; the day before, Xi had called Putin.", [("2015", "2015"), ("the day before", "2023-05-23")]),
    ],
)
def test_extract_dates_in_sentences(nlp, text, expected):
    assert dates_of(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The two countries talked for three hours.",
        "The talks lasted two years and involved 2000 troops.",
        "They may march to the border.",
        "Exports grew 40% year-on-year at the annual meeting.",
    ],
)
def test_no_dates_in_sentences(nlp, text):
    assert dates_of(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "surface", "value", "relation"),
    [
        ("Coal shipments have doubled since 2020.", "since 2020", "2020", "since"),
        ("The sanctions stay in force until March 2024.", "March 2024", "2024-03", "until"),
        ("Gazprom must pay by June 2024.", "June 2024", "2024-06", "by"),
        ("Putin visited Beijing in March 2023.", "March 2023", "2023-03", None),
    ],
)
def test_relation_column(nlp, text, surface, value, relation):
    row = extract_dates(nlp(text), "a", WEDNESDAY).iloc[0]
    assert (row["surface"], row["value"]) == (surface, value)
    assert (row["relation"] if isinstance(row["relation"], str) else None) == relation


def test_since_rows_cover_up_to_publication_for_consumers(nlp):
    rows = date_rows(nlp("Coal shipments have doubled since 2020."), "a", WEDNESDAY)
    assert [r["value"] for r in covered(rows, WEDNESDAY)] == ["2020-01-01/2023-05-24"]


def test_a_date_never_spans_two_sentences(nlp):
    assert [s for s, _ in dates_of(nlp, "Talks ended in January. 2022 was a hard year.")] == ["January", "2022"]


def test_rows_carry_sentence_offsets_and_anchor(nlp):
    text = "Nothing here. Xi visited Moscow in February 2022."
    frame = extract_dates(nlp(text), "a", WEDNESDAY)
    row = frame.iloc[0]
    assert text[row["start"]:row["end"]] == "February 2022"
    assert (row["sent_start"], row["anchor"]) == (14, "absolute")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks were held on May 22, 2023. On Wednesday, the two sides signed a deal.", dt.date(2023, 5, 24)),
        ("The visit of 3 March 2022 was recalled.", dt.date(2022, 3, 3)),
        ("Xi met Putin on Wednesday.", None),
        ("Nothing dated is said here.", None),
    ],
)
def test_infer_published(nlp, text, expected):
    assert infer_published(nlp(text)) == expected


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [("2023-Q1", "2023-01-01", "2023-03-31"), ("2023-02", "2023-02-01", "2023-02-28"),
     ("2020/2023-05-24", "2020-01-01", "2023-05-24")],
)
def test_interval(value, first, last):
    assert interval(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023-01-01/2023-03-31", "2023-Q1"), ("2023-01-01/2023-05-24", "2023-01-01/2023-05-24"), ("2023", "2023")],
)
def test_to_quarter(value, expected):
    assert to_quarter(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MOSCOW, Oct. 2, 2024 (Reuters) - Envoys met on Oct. 8, 2024 to plan talks.", dt.date(2024, 10, 2)),
        ("BEIJING, 5 March 2023 \u2014 Talks held on March 9, 2023 were recalled.", dt.date(2023, 3, 5)),
        ("HONG KONG, Jan. 14 (AFP) - Talks were held on January 10, 2021.", dt.date(2021, 1, 10)),
        ("Envoys met on Oct. 8, 2024. MOSCOW, Oct. 2, 2024 was a date.", dt.date(2024, 10, 8)),
    ],
)
def test_a_dateline_gives_the_publication_date(nlp, text, expected):
    assert infer_published(nlp(text)) == expected
