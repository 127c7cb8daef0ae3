"""Economic figures: values and units, what they measure, when, and how they were stated."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.contract.schema import TABLES, conform
from lib.extract.figures import canonical_period, extract_figures, find_mentions

PUBLISHED = dt.date(2023, 5, 24)


def dates_frame(doc, values: dict[str, str]) -> pd.DataFrame:
    """A hand-made dates table: each surface (first occurrence) with its normalised value."""
    rows = []
    for surface, value in values.items():
        start = doc.text.index(surface)
        sent = doc.char_span(start, start + len(surface), alignment_mode="expand").sent
        rows.append({"article_id": "t", "surface": surface, "start": start, "end": start + len(surface),
                     "value": value, "sent_start": sent.start_char, "sent_end": sent.end_char})
    return conform(pd.DataFrame(rows), "dates")


def figures_of(nlp, text: str, dates: dict[str, str] | None = None) -> pd.DataFrame:
    doc = nlp(text)
    return extract_figures(doc, "t", PUBLISHED, dates_frame(doc, dates or {}))


def only(frame: pd.DataFrame, surface: str) -> pd.Series:
    rows = frame[frame["surface"] == surface]
    assert len(rows) == 1, f"expected one figure {surface!r}, got {frame['surface'].tolist()}"
    return rows.iloc[0]


def null(value) -> bool:
    return value is None or pd.isna(value)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Trade reached a record $190 billion.", "$190 billion", 190e9, "USD"),
        ("Trade reached 190 billion dollars.", "190 billion dollars", 190e9, "USD"),
        ("Output was worth US$1.2 trillion.", "US$1.2 trillion", 1.2e12, "USD"),
        ("Trade hit 1.3 trillion yuan.", "1.3 trillion yuan", 1.3e12, "CNY"),
        ("Trade hit $70bn.", "$70bn", 70e9, "USD"),
        ("The deal is worth €5 billion.", "€5 billion", 5e9, "EUR"),
        ("Revenue rose to 2,500 billion rubles.", "2,500 billion rubles", 2.5e12, "RUB"),
        ("Exports grew 40%.", "40%", 40, "percent"),
        ("Exports grew 40 percent.", "40 percent", 40, "percent"),
        ("Exports grew 40 per cent.", "40 per cent", 40, "percent"),
        ("Exports grew by more than 40%.", "more than 40%", 40, "percent"),
        ("Imports fell 9.5%.", "9.5%", 9.5, "percent"),
        ("Coal shipments are more than doubling.", "more than doubling", 2, "ratio"),
        ("Exports to China tripled.", "tripled", 3, "ratio"),
        ("Investment saw a twofold rise.", "twofold", 2, "ratio"),
        ("The route could cut shipping time by almost half.", "almost half", 0.5, "ratio"),
        ("China buys about a third of Russia's oil exports.", "about a third", 1 / 3, "ratio"),
        ("Russia supplied 22 bcm of gas.", "22 bcm", 22, "bcm"),
        ("Russia supplied 38 billion cubic meters of gas.", "38 billion cubic meters", 38, "bcm"),
        ("Russia shipped 2.1 million barrels per day of crude.", "2.1 million barrels per day", 2.1e6,
         "barrels_per_day"),
        ("China bought 100 million tonnes of coal.", "100 million tonnes", 100e6, "tonnes"),
        ("Bonds worth Rbs 600bn were sold.", "Rbs 600bn", 600e9, "RUB"),
        ("Russia sold 3.1 billion kWh of power to China.", "3.1 billion kWh", 3.1e9, "kWh"),
        ("Exports may reach 1.5 billion kilowatt-hours.", "1.5 billion kilowatt-hours", 1.5e9, "kWh"),
        ("Russia sold about 4 TWh to China.", "about 4 TWh", 4e9, "kWh"),
        # other dollars and currencies, by sign, code or name
        ("Hong Kong investors put HK$5.4m into the venture.", "HK$5.4m", 5.4e6, "HKD"),
        ("The Moscow bank raised HK $216,900 in the sale.", "HK $216,900", 216_900, "HKD"),
        ("The loan from Beijing was C$300 million.", "C$300 million", 300e6, "CAD"),
        ("Sydney-listed miners sold A$2 billion of coal to China.", "A$2 billion", 2e9, "AUD"),
        ("Russian wheat fetched $A310 a tonne in Asia.", "$A310 a tonne", 310, "AUD"),
        ("The port deal was worth $US1.5 billion.", "$US1.5 billion", 1.5e9, "USD"),
        ("The Singapore fund holds S$800 million of Chinese bonds.", "S$800 million", 800e6, "SGD"),
        ("Taiwan's chip exports to Russia were NT$12 billion.", "NT$12 billion", 12e9, "TWD"),
        ("Gazprom's London unit paid £45 million.", "£45 million", 45e6, "GBP"),
        ("Rosneft's German assets are worth 1,200€ per share.", "1,200€ per share", 1200, "EUR"),
        ("Japan lent ¥50 billion to the project, a Tokyo official said.", "¥50 billion", 50e9, "JPY"),
        ("China's bank lent ¥50 billion to Russian firms.", "¥50 billion", 50e9, "CNY"),
        ("Mitsui paid 333 million yen for its stake in the Russian gas plant.", "333 million yen", 333e6, "JPY"),
        ("India bought Russian oil worth 2.1 trillion rupees.", "2.1 trillion rupees", 2.1e12, "INR"),
        ("Kazakhstan paid 40 billion tenge for Chinese trains.", "40 billion tenge", 40e9, "KZT"),
        ("Russia repaid 5 billion Swiss francs of debt.", "5 billion Swiss francs", 5e9, "CHF"),
        ("The contract is worth 2.5 billion Australian dollars.", "2.5 billion Australian dollars", 2.5e9, "AUD"),
        ("The Turkish buyer paid KRW 40 billion for Russian coal.", "KRW 40 billion", 40e9, "KRW"),
        ("Russian importers paid PS2.7m for Chinese machinery.", "PS2.7m", 2.7e6, "GBP"),
        ("Toyota's Russian unit lost Y=59 billion.", "Y=59 billion", 59e9, "JPY"),
        ("Malaysian palm oil sold to China rose to RM23.50 a tonne.", "RM23.50 a tonne", 23.5, "MYR"),
        ("A Russian loaf costs 40 kopecks more in Siberia.", "40 kopecks", 0.4, "RUB"),
        ("Oil for China rose 19 cents to $80.10 a barrel.", "19 cents", 0.19, "USD"),
        ("Urals crude rose 19 cents to 80.10 euros a barrel.", "19 cents", 0.19, "EUR"),
        ("Chinese growth reached 5.2pc last year.", "5.2pc", 5.2, "percent"),
        ("The yield on Russian bonds fell to .5 per cent.", ".5 per cent", 0.5, "percent"),
        ("Russia's central bank added 50 basis points.", "50 basis points", 0.5, "percentage_points"),
        ("It is a million dollar pipeline deal.", "a million dollar", 1e6, "USD"),
        # decimal commas where the text uses them; a comma before three digits groups thousands
        ("Trade with Russia reached $190,27 billion.", "$190,27 billion", 190.27e9, "USD"),
        ("Chinese exports to Russia grew 12,8%.", "12,8%", 12.8, "percent"),
        ("China bought 1,200 tonnes of Russian honey.", "1,200 tonnes", 1200, "tonnes"),
        ("The Russian trade surplus was €1.234,5 million.", "€1.234,5 million", 1234.5e6, "EUR"),
        # a sign written before the number stays
        ("Russia's balance with China went to $-50.8bn.", "$-50.8bn", -50.8e9, "USD"),
        ("Russian GDP growth was -1.3% in the quarter.", "-1.3%", -1.3, "percent"),
    ],
)
def test_value_and_unit(nlp, text, surface, value, unit):
    figure = only(figures_of(nlp, text), surface)
    assert figure["value"] == pytest.approx(value, rel=1e-3)
    assert figure["unit"] == unit
    assert figure["start"] == text.index(surface) and figure["end"] == text.index(surface) + len(surface)


@pytest.mark.parametrize(
    "text",
    [
        "The two countries signed a 12-point blueprint.",
        "The land was given up 163 years ago, in 1860.",
        "He made his first visit on June 1, the second in three years.",
        "Moscow sent thousands of troops; 1.4 billion people live in China.",
        "The second half of 2023 was calm.",
        "The West applies double standards, and Lavrov doubled down on his claims.",
        "He waited half an hour at the G7 summit.",
        "Sony sold more PS5 consoles in Russia than PS4 ones.",
        "Putin and Xi have met 40 times; in 2019 agreements on gas were signed.",
    ],
)
def test_non_figures(nlp, text):
    assert figures_of(nlp, text).empty


@pytest.mark.parametrize(
    ("text", "dates", "surface", "metric", "period", "kind"),
    [
        ("China is Russia's biggest trading partner, with trade between them reaching a record "
         "$190 billion last year, according to data from China Customs.",
         {"last year": "2022"}, "$190 billion", "bilateral_trade", "2022", "actual"),
        ("Li said bilateral trade has already reached $70 billion so far this year.",
         {"so far this year": "2023-01-01/2023-05-24"}, "$70 billion", "bilateral_trade",
         "2023-01-01/2023-05-24", "actual"),
        ("Energy shipments from Russia to China are projected to increase by 40% this year.",
         {"this year": "2023"}, "40%", "energy_supply", "2023", "forecast"),
        ("Novak said on Tuesday that Russian energy supplies to China would increase by 40% in 2023.",
         {"Tuesday": "2023-05-23", "2023": "2023"}, "40%", "energy_supply", "2023", "forecast"),
        ("Russian oil exports to China fell 9% in April.",
         {"April": "2023-04"}, "9%", "oil_exports_growth", "2023-04", "change"),
        # the day a figure was announced is not its period; the day it was reported for is
        ("Bilateral trade fell 1.2% to $73.2 billion in April, the customs administration said on Thursday.",
         {"April": "2023-04", "Thursday": "2023-05-18"}, "$73.2 billion", "bilateral_trade", "2023-04", "actual"),
        ("Bilateral trade reached $20 billion, customs said on Thursday.",
         {"Thursday": "2023-05-18"}, "$20 billion", "bilateral_trade", None, "actual"),
        ("Customs reported $73 billion in trade on Thursday.",
         {"Thursday": "2023-05-18"}, "$73 billion", "bilateral_trade", "2023-05-18", "actual"),
        # "the lowest since April" compares; it is not the period the figure covers
        ("China's exports to Russia fell to $9.05 billion in August, the lowest since April 2022.",
         {"August": "2022-08", "since April 2022": "2022-04-01/2023-05-24"}, "$9.05 billion", "exports",
         "2022-08", "actual"),
        ("Exports have reached $50 billion since April 2022.",
         {"since April 2022": "2022-04-01/2023-05-24"}, "$50 billion", "exports", "2022-04-01/2023-05-24", "actual"),
        ("China is the largest importer of fossil fuels from Russia, with coal shipments more than "
         "doubling since 2020.", {"since 2020": "2020-01-01/2023-05-24"}, "more than doubling",
         "coal_supply", "2020-01-01/2023-05-24", "change"),
        ("The Arctic route could cut its shipping time to Asia by almost half.",
         {}, "almost half", "shipping_time", None, "change"),
        ("Chinese investment in Russia reached $2 billion in 2022.",
         {"2022": "2022"}, "$2 billion", "investment", "2022", "actual"),
        ("Russia supplied 22 bcm of gas via the Power of Siberia pipeline last year.",
         {"last year": "2022"}, "22 bcm", "gas_supply", "2022", "actual"),
        ("Trade is expected to reach $250 billion by 2025.",
         {"2025": "2025"}, "$250 billion", "bilateral_trade", "2025", "forecast"),
        ("Gas deliveries via Power of Siberia reached 38 bcm in 2025.",  # "power" is part of a name
         {"2025": "2025"}, "38 bcm", "gas_supply", "2025", "actual"),
        ("China's coal imports more than doubled in 2022, while purchases of wheat tripled, according to "
         "customs figures released on Saturday.",  # the day of the release is not the period
         {"2022": "2022", "Saturday": "2023-05-20"}, "tripled", "grain_imports", "2022", "change"),
        ("Russia accounted for about a quarter of China's coal imports, up from 14% in 2021.",  # 2021 is the base's
         {"2021": "2021"}, "about a quarter", "coal_imports", None, "actual"),
        ("Russia accounted for about a quarter of China's coal imports, up from 14% in 2021.",
         {"2021": "2021"}, "14%", "coal_imports", "2021", "actual"),
        ("Pipeline gas deliveries are set to reach 38 bcm in 2025.",  # a period to come, not told as done
         {"2025": "2025"}, "38 bcm", "gas_supply", "2025", "forecast"),
        ("Deliveries reach 38 bcm in 2024 under the contract.",
         {"2024": "2024"}, "38 bcm", "gas_supply", "2024", "forecast"),
        ("Russia's exports of LNG to China rose to 8 million tonnes in 2022.",  # LNG is a name of its own
         {"2022": "2022"}, "8 million tonnes", "lng_exports", "2022", "actual"),
    ],
)
def test_metric_period_kind(nlp, text, dates, surface, metric, period, kind):
    figure = only(figures_of(nlp, text, dates), surface)
    assert figure["metric"] == metric
    assert (null(figure["period"]) if period is None else figure["period"] == period)
    assert figure["kind"] == kind


@pytest.mark.parametrize(
    ("text", "surface", "metric"),
    [
        ("Russia supplied 107 million tonnes of crude to China, or about 2.14 million barrels per day.",
         "about 2.14 million barrels per day", "oil_supply"),
        ("The company expects flows to reach 38 bcm a year.", "38 bcm", "gas_supply"),
        ("Russia exported 2.2 million barrels a day to China.", "2.2 million barrels a day", "oil_exports"),
        ("Imports reached 1.5 million barrels a day.", "1.5 million barrels a day", "oil_imports"),
        ("Gazprom shipped 22 billion cubic metres of LNG.", "22 billion cubic metres", "lng_supply"),
        ("Russian exports of liquefied natural gas to China rose to 6.5 million tonnes.", "6.5 million tonnes",
         "lng_exports"),
        ("Inter RAO expects to ship 1.5 billion kilowatt-hours.", "1.5 billion kilowatt-hours", "power_supply"),
        ("Trade reached 240 billion dollars.", "240 billion dollars", "bilateral_trade"),
        ("Shipments reached 107 million tonnes.", "107 million tonnes", "supply"),
    ],
)
def test_a_unit_of_one_commodity_names_the_commodity(nlp, text, surface, metric):
    """Barrels are oil and bcm gas; tonnes or dollars say nothing of what was measured."""
    assert only(figures_of(nlp, text), surface)["metric"] == metric


def test_each_figure_takes_its_own_date_and_a_past_forecast_is_actual(nlp):
    text = "Mishustin predicted on Tuesday that bilateral trade would increase from $190 billion in 2022 " \
           "to $200 billion this year."
    found = figures_of(nlp, text, {"Tuesday": "2023-05-23", "2022": "2022", "this year": "2023"})
    start, target = only(found, "$190 billion"), only(found, "$200 billion")
    assert (start["period"], start["kind"]) == ("2022", "actual")
    assert (target["period"], target["kind"]) == ("2023", "forecast")


def test_comparison_base_is_not_the_period_and_quarters_are_named(nlp):
    text = "Trade between the two nations reached $53.8 billion in first three months of year 2023, " \
           "up nearly 40% from same period in 2022."
    found = figures_of(nlp, text, {"first three months of year 2023": "2023-01-01/2023-03-31",
                                   "same period in 2022": "2022-01-01/2022-03-31"})
    level, growth = only(found, "$53.8 billion"), only(found, "nearly 40%")
    assert (level["period"], level["kind"], level["metric"]) == ("2023-Q1", "actual", "bilateral_trade")
    assert (growth["period"], growth["kind"], growth["metric"]) == ("2023-Q1", "change", "trade_growth")
    assert growth["qualifier"] == "nearly"


def test_growth_rate_without_date_inherits_the_previous_figure(nlp):
    text = "Li said bilateral trade has already reached $70 billion so far this year. " \
           "\u201cThis is an annual increase of more than 40%,\u201d he said."
    found = figures_of(nlp, text, {"so far this year": "2023-01-01/2023-05-24"})
    growth = only(found, "more than 40%")
    assert growth["period"] == "2023-01-01/2023-05-24"
    assert growth["metric"] == "trade_growth"
    assert (growth["kind"], growth["qualifier"]) == ("change", "more than")


def test_period_phrase_missing_from_dates_table(nlp):
    growth = only(figures_of(nlp, "Trade rose 20% in the first three months."), "20%")
    assert growth["period"] == "2023-Q1"


@pytest.mark.parametrize(
    ("text", "surface", "direction"),
    [
        ("Energy shipments from Russia to China are projected to increase by 40%.", "40%", "Russia→China"),
        ("Russian oil exports to China fell 9%.", "9%", "Russia→China"),
        ("China's exports to Russia tripled.", "tripled", "China→Russia"),
        ("Russian imports from China jumped 50%.", "50%", "China→Russia"),
        ("Bilateral trade rose 30%.", "30%", None),
        ("China bought 107 million tonnes of Russian crude oil last year.", "107 million tonnes", "Russia→China"),
        ("China's imports of Russian coal rose 20%.", "20%", "Russia→China"),
        # a country's customs count its own trade: the flow's unnamed end
        ("Chinese customs data showed imports from Russia rose 12.7%.", "12.7%", "Russia→China"),
        ("Russian customs data showed exports to China rose 5%.", "5%", "Russia→China"),
        ("Imports from Russia rose 12.7%.", "12.7%", None),
        ("Russia supplied China with 5 million tonnes of LNG.", "5 million tonnes", "Russia→China"),
    ],
)
def test_direction(nlp, text, surface, direction):
    found = only(figures_of(nlp, text), surface)["direction"]
    assert (null(found) if direction is None else found == direction)


@pytest.mark.parametrize(
    ("text", "surface", "trend"),
    [
        ("Russian oil exports to China fell 9% in April.", "9%", "down"),
        ("Bilateral trade fell 1.9% year on year.", "1.9%", "down"),
        ("Trade between the two countries rose 26% last year.", "26%", "up"),
        ("Coal imports were down 12% from a year earlier.", "12%", "down"),
        ("Trade grew by a record 30%.", "30%", "up"),
        ("Energy supplies will increase by 40% this year.", "40%", "up"),
        ("China's exports to Russia tripled.", "tripled", "up"),
        ("Trade reached $190 billion last year.", "$190 billion", None),
    ],
)
def test_trend(nlp, text, surface, trend):
    figure = only(figures_of(nlp, text), surface)
    assert (null(figure["trend"]) if trend is None else figure["trend"] == trend)
    assert figure["value"] > 0  # the value stays as written


@pytest.mark.parametrize(
    ("text", "surface", "origin"),
    [
        ("Trade reached $190 billion, according to data from China Customs.", "$190 billion", "China Customs"),
        ("Energy shipments will grow 40%, the Interfax news agency reported.", "40%", "Interfax news agency"),
        ("Trade reached $190 billion, he said.", "$190 billion", None),
    ],
)
def test_origin(nlp, text, surface, origin):
    found = only(figures_of(nlp, text), surface)["origin"]
    assert (null(found) if origin is None else found == origin)


def test_table_follows_the_contract(nlp):
    text = "Trade rose 40% to $190 billion."
    found = figures_of(nlp, text)
    assert list(found.columns[: len(TABLES["figures"])]) == list(TABLES["figures"])
    assert (found["sent_start"] == 0).all() and (found["sent_end"] == len(text)).all()
    assert figures_of(nlp, "No numbers here.").empty


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-01-01/2023-03-31", "2023-Q1"),
        ("2023-01-01/2023-12-31", "2023"),
        ("2023-04-01/2023-04-30", "2023-04"),
        ("2023-01-01/2023-05-24", "2023-01-01/2023-05-24"),
        ("2022", "2022"),
        (None, None),
    ],
)
def test_canonical_period(value, expected):
    assert canonical_period(value) == expected


def test_mentions_do_not_overlap():
    mentions = find_mentions("Exports rose more than 40% to $5 billion and doubled.")
    assert [(m.value, m.unit, m.qualifier) for m in mentions] == [
        (40, "percent", "more than"), (5e9, "USD", None), (2, "ratio", None)]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Chinese exports to Russia fell 1.9% in May.", "1.9%"),
        ("Russian coal shipments shrank 4.3% year on year.", "4.3%"),
        ("Bilateral trade was down 2.7% from a year earlier.", "2.7%"),
        ("Trade with Russia posted a 4.2 percent drop in January.", "4.2 percent"),
        ("Russian oil exports to China lost 1.1% in April.", "1.1%"),
        ("Russian gas sales to China slipped 3% in March.", "3%"),
    ],
)
def test_a_fall_is_a_change_down(nlp, text, surface):
    """A fall keeps its value as written, with trend down: every view signs it (`schema.signed`)."""
    from lib.contract.schema import signed

    figure = only(figures_of(nlp, text), surface)
    assert (figure["kind"], figure["trend"]) == ("change", "down")
    assert signed(figure["value"], figure["trend"]) < 0


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "unit"),
    [
        ("Russian grain prices in China are expected to rise between 5% and 6%.", "between 5% and 6%", 5, 6, "percent"),
        ("Tariffs on Russian timber range from 2 per cent to 3.5 per cent.", "from 2 per cent to 3.5 per cent",
         2, 3.5, "percent"),
        ("The Power of Siberia 2 pipeline may cost $40 billion to $55 billion.", "$40 billion to $55 billion",
         40e9, 55e9, "USD"),
        ("China's stake could be worth $71 to $76 billion.", "$71 to $76 billion", 71e9, 76e9, "USD"),
        ("Russian output could grow 4 to 6 per cent.", "4 to 6 per cent", 4, 6, "percent"),
        ("Chinese car sales in Russia could grow 20-25% this year.", "20-25%", 20, 25, "percent"),
        ("Russian coal sold between $57 and $64 per tonne.", "between $57 and $64 per tonne", 57, 64, "USD"),
    ],
)
def test_a_range_is_one_figure_with_its_ends(nlp, text, surface, low, high, unit):
    found = figures_of(nlp, text)
    figure = only(found, surface)
    assert len(found) == 1
    assert (figure["low"], figure["high"], figure["unit"]) == (pytest.approx(low), pytest.approx(high), unit)
    assert null(figure["value"])


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Trade would increase from $190 billion to $200 billion.", [190e9, 200e9]),
        ("Russia's central bank cut its key rate from 7.5 to 7 percent.", [7.5, 7]),
        ("Bilateral trade increased by $37.2 billion to $245.3 billion.", [37.2e9, 245.3e9]),
    ],
)
def test_a_movement_from_one_value_to_another_is_two_figures(nlp, text, values):
    found = figures_of(nlp, text)
    assert found["value"].tolist() == pytest.approx(values)
    assert found["low"].isna().all()


def test_a_part_of_a_figure_shares_its_unit(nlp):
    found = figures_of(nlp, "Beijing has paid 350 million of the 2.4 billion yuan it owes Moscow.")
    assert found["value"].tolist() == pytest.approx([350e6, 2.4e9])
    assert found["unit"].tolist() == ["CNY", "CNY"]


@pytest.mark.parametrize(
    ("text", "first", "converted"),
    [
        ("Bilateral trade hit 1.74 trillion yuan ($237 billion) last year.", "1.74 trillion yuan", "$237 billion"),
        ("Russia will lend 10.5 billion roubles, or about $115 million, to the project.", "10.5 billion roubles",
         "about $115 million"),
    ],
)
def test_a_conversion_is_linked_to_the_figure_it_restates(nlp, text, first, converted):
    found = figures_of(nlp, text)
    primary, copy = only(found, first), only(found, converted)
    assert null(primary["converted_from"])
    assert copy["converted_from"] == primary["start"]
    assert copy["metric"] == primary["metric"]


@pytest.mark.parametrize(
    ("text", "surface", "value", "per", "metric"),
    [
        ("China paid $150 per 1,000 cubic metres of Russian gas.", "$150 per 1,000 cubic metres", 150,
         "1,000 cubic metres", "gas_price"),
        ("Russian Urals crude sold to India at $58.24 per barrel.", "$58.24 per barrel", 58.24, "barrel", "oil_price"),
        ("Russian coal for China cost $120 a tonne.", "$120 a tonne", 120, "tonne", "coal_price"),
        ("Gold bought by Russia's central bank was at $1,950 an ounce.", "$1,950 an ounce", 1950, "ounce",
         "gold_price"),
        ("The rouble weakened to 13 roubles to the yuan.", "13 roubles to the yuan", 13, "CNY", "exchange_rate"),
    ],
)
def test_a_price_per_unit_is_a_price_not_a_volume(nlp, text, surface, value, per, metric):
    found = figures_of(nlp, text)
    figure = only(found, surface)
    assert len(found) == 1
    assert (figure["value"], figure["per"], figure["metric"]) == (pytest.approx(value), per, metric)
    assert figure["unit"] in ("USD", "RUB")


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "metric"),
    [
        ("Gazprom and CNPC signed a 30-year contract.", "30-year contract", 30, "years", "contract_term"),
        ("Putin and Xi signed 14 documents in Moscow.", "14 documents", 14, "count", "documents"),
        ("The leaders signed 12 cooperation agreements.", "12 cooperation agreements", 12, "count", "agreements"),
        ("The two sides signed a 25-year gas supply deal.", "25-year gas supply deal", 25, "years", "deal_term"),
    ],
)
def test_counts_and_durations_have_their_own_unit(nlp, text, surface, value, unit, metric):
    figure = only(figures_of(nlp, text), surface)
    assert (figure["value"], figure["unit"], figure["metric"]) == (value, unit, metric)
