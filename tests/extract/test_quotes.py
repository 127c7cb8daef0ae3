"""Quotations: spans, speakers, cues, kinds and addressees on short constructed articles."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.contract.schema import TABLES
from lib.extract.actors import extract_actors
from lib.extract.quotes import extract_quotes, find_quote_spans


def quotes_of(nlp, text: str) -> pd.DataFrame:
    doc = nlp(text)
    return extract_quotes(doc, "t", extract_actors(doc, "t"))


def only(frame: pd.DataFrame, starting: str) -> pd.Series:
    rows = frame[frame["text"].str.startswith(starting)]
    assert len(rows) == 1, f"expected one quote starting {starting!r}, got {list(frame['text'])}"
    return rows.iloc[0]


def value(row: pd.Series, column: str):
    return None if pd.isna(row[column]) else row[column]


# --- who said it ------------------------------------------------------------------------------------

SPEAKERS = [
    # (form, article text, quote start, speaker, cue)
    ("X said", "Li Qiang said: “Trade is growing fast this year.”", "Trade", "Li Qiang", "say"),
    ("said X", "“Trade is growing fast this year,” said Li Qiang.", "Trade", "Li Qiang", "say"),
    ("X told Y", "“Trade is growing fast this year,” Li Qiang told Mikhail Mishustin.", "Trade", "Li Qiang", "tell"),
    (
        "X stressed to Y",
        "“Trade is growing fast,” Li Qiang stressed to Mikhail Mishustin.",
        "Trade",
        "Li Qiang",
        "stress",
    ),
    (
        "according to X, before",
        "According to Wang Yi, “trade is growing fast this year.”",
        "trade",
        "Wang Yi",
        "according to",
    ),
    (
        "according to X, after",
        "Trade is “growing faster than ever before,” according to Wang Yi.",
        "growing",
        "Wang Yi",
        "according to",
    ),
    ("X's statement", "Li Qiang’s statement said “trade is growing fast this year.”", "trade", "Li Qiang", "say"),
    (
        "X said, according to a document",
        "Wang Yi said “Beijing firmly supports Moscow’s efforts to defend its interests,” according to a readout.",
        "Beijing",
        "Wang Yi",
        "say",
    ),
    (
        "X, role of Y, told Z",
        "Dmitry Peskov, a spokesman for the Kremlin, told Reuters: “Moscow will not change course.”",
        "Moscow",
        "Dmitry Peskov",
        "tell",
    ),
    ("role phrase", "“We will deepen energy cooperation,” said the Chinese president.", "We", "Xi Jinping", "say"),
    (
        "institution",
        "The Kremlin said in a statement that “the two sides are ready to deepen cooperation.”",
        "the two",
        "Kremlin",
        "say",
    ),
    (
        "document as place",
        "In the joint communique, both sides said “they oppose any interference in internal affairs.”",
        "they",
        "joint communique",
        "say",
    ),
    (
        "surname of the latest full name",
        "Li Hui arrived in Kyiv on Monday. “We are ready to help,” Li said.",
        "We",
        "Li Hui",
        "say",
    ),
    (
        "surname, other person",
        "Li Qiang arrived in Moscow on Monday. “We are ready to help,” Li said.",
        "We",
        "Li Qiang",
        "say",
    ),
    (
        "pronoun prefers the subject",
        "Li Qiang met Mikhail Mishustin on Monday. “Trade is growing fast,” he said.",
        "Trade",
        "Li Qiang",
        "say",
    ),
    (
        "participle borrows the subject",
        "Mishustin met Li Qiang on Monday, saying “relations are at a high level.”",
        "relations",
        "Mikhail Mishustin",
        "say",
    ),
    (
        "speaker in the sentence before",
        "Li Qiang arrived in Moscow. Li said the talks went well. “We are ready to help.”",
        "We",
        "Li Qiang",
        "say",
    ),
    (
        "question split off by the parser",
        "“Why not join us in Moscow?” Putin asked Xi Jinping.",
        "Why",
        "Vladimir Putin",
        "ask",
    ),
    (
        "quoted X as saying",
        "A Kremlin readout quoted Putin as saying that “ties between the two countries are at their best”.",
        "ties",
        "Vladimir Putin",
        "say",
    ),
    ("short statement", "Putin spoke first. “We agree,” Xi Jinping said.", "We", "Xi Jinping", "say"),
    (
        "X said, in single quotes",
        "Putin praised the plan. 'Many provisions can be a basis for a settlement,' he said.",
        "Many",
        "Vladimir Putin",
        "say",
    ),
    (
        "X, asked about Y, said",
        "Foreign ministry spokesperson Mao Ning, asked about the pipeline at a briefing in Beijing, said: "
        "“China and Russia carry out normal trade cooperation.”",
        "China",
        "Mao Ning",
        "say",
    ),
    (
        "X, asked whether Y, said",
        "Peskov, asked whether Putin would travel, said: “The schedule is not ready.”",
        "The schedule",
        "Dmitry Peskov",
        "say",
    ),
    (
        "X, speaking at Y, said",
        "Wang Wenbin, speaking at a regular press conference, said: “China firmly opposes unilateral sanctions.”",
        "China",
        "Wang Wenbin",
        "say",
    ),
]


@pytest.mark.parametrize(("form", "text", "start", "speaker", "cue"), SPEAKERS, ids=[c[0] for c in SPEAKERS])
def test_speaker_comes_from_the_attribution(nlp, form, text, start, speaker, cue):
    row = only(quotes_of(nlp, text), start)
    assert value(row, "speaker") == speaker
    assert value(row, "cue") == cue
    assert row["kind"] == "full"


ADDRESSEES = [
    ("“Trade is growing fast this year,” Li Qiang told Mikhail Mishustin.", "Mikhail Mishustin"),
    ("“Trade is growing fast,” Li Qiang stressed to Mikhail Mishustin.", "Mikhail Mishustin"),
    ("Li Qiang told his Russian counterpart: “Trade is growing fast this year.”", "his Russian counterpart"),
    ("Li Qiang said: “Trade is growing fast this year.”", None),
]


ATTRIBUTIONS = [
    # (form, article text, quote start, speaker)
    ("a later bare surname", "Yury Ushakov briefed reporters on Monday. “The visit is being prepared,” Ushakov said.",
     "The visit", "Yury Ushakov"),
    ("a name the gazetteer does not know", "“Exports of grain are rising,” Rosstat Monitor said.", "Exports",
     "Rosstat Monitor"),
    ("a described source", "“We sell more wheat to China now,” the Siberian farmer said.", "We", "Siberian farmer"),
    ("a possessive description", "“Trade will double,” the governor's economic adviser said.", "Trade",
     "governor's economic adviser"),
    ("the title given with the name", "Kremlin spokesman Dmitry Peskov spoke on Monday. "
     "“The visit is being prepared,” the spokesman said.", "The visit", "Dmitry Peskov"),
    ("the title before the name", "Mayor Sergei Sobyanin met the delegation. “Moscow welcomes investors,” "
     "the mayor said.", "Moscow", "Sergei Sobyanin"),
    ("signed with a dash", "“Our friendship has no limits and no forbidden areas.” — Xi Jinping", "Our", "Xi Jinping"),
    ("signed with a dash, unknown name", "“Sanctions only made us stronger in the end.” ― Ivan Petrov", "Sanctions",
     "Ivan Petrov"),
    ("a clause ending in a colon", "Lavrov made a short statement:\n\n“Our ties with Beijing are at their best.”",
     "Our ties", "Sergey Lavrov"),
    ("a colon inside the sentence", "Putin chose one line for the headline: “Russia and China stand together.”",
     "Russia and", "Vladimir Putin"),
    ("X demanded", "“Why should Moscow pay more for the pipeline?” Lavrov demanded.", "Why", "Sergey Lavrov"),
    ("X continued", "Peskov continued: “Nothing has changed in our position on the talks.”", "Nothing",
     "Dmitry Peskov"),
    ("a document with its author before it", "“Growth in Russia will slow next year,” the IMF report stated.",
     "Growth", "International Monetary Fund"),
    ("a short reply after a question", "“Will trade keep growing?” Putin asked. “Surely it will.”", "Surely",
     "Vladimir Putin"),
    ("footage of X saying", "The report shows footage of Vladimir Putin saying, “We will not back down.”", "We",
     "Vladimir Putin"),
    ("the letter reads", "“We urge both sides to keep talking,” the letter reads.", "We", "letter"),
    ("signed with initials, after a non-breaking space", "“Trade must grow.” ―\u00a0Anna K. Petrova.", "Trade",
     "Anna K. Petrova"),
    ("a subject inside the quote is not the speaker", "“My answer, that was clear,” the Russian envoy's deputy said.",
     "My answer", "Russian envoy's deputy"),
    ("a pronoun inside the quote is not the speaker", "“If it holds, it will last,” said Ivan Sokolov, an analyst.",
     "If it", "Ivan Sokolov"),
]


@pytest.mark.parametrize(("form", "text", "start", "speaker"), ATTRIBUTIONS, ids=[c[0] for c in ATTRIBUTIONS])
def test_speaker_named_around_the_quote(nlp, form, text, start, speaker):
    assert value(only(quotes_of(nlp, text), start), "speaker") == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Xi told Putin: “Our friendship is unbreakable.”",
        "“Our friendship is unbreakable,” Xi told Putin.",
        "Xi told Putin that “our friendship is unbreakable.”",
        "Xi Jinping told Vladimir Putin during talks that “the world is changing”.",
    ],
)
def test_the_addressee_is_never_the_speaker(nlp, text):
    row = quotes_of(nlp, text).iloc[0]
    assert (row["speaker"], row["addressee"]) == ("Xi Jinping", "Vladimir Putin")


@pytest.mark.parametrize(("text", "addressee"), ADDRESSEES)
def test_addressee_where_stated(nlp, text, addressee):
    row = quotes_of(nlp, text).iloc[0]
    assert value(row, "addressee") == addressee


UNKNOWN = [
    "“The sanctions will fail,” the ministry said.",  # a bare institution word names nobody
    "“We are ready to help,” he said.",  # a pronoun with nobody before it
    "Some observers think “it is all over for the old order” now.",
    "“Nothing will change in the relationship between the two countries.”",
    "“Demand is weak,” a diplomat said.",  # an unnamed source with nothing to tell it by
]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Lavrov met Wang Yi, the Russian Foreign Ministry said. The ministers “discussed Ukraine,” the ministry said.",
         "Russian Foreign Ministry"),
        ("Gazprom exported more gas. “Demand is strong,” the company said.", "Gazprom"),
        ("The Bank of Russia held rates. “Inflation is high,” the bank said.", "Bank of Russia"),
    ],
)
def test_the_institution_named_before_speaks_as_the_ministry_or_the_company(nlp, text, speaker):
    row = quotes_of(nlp, text).iloc[0]
    assert value(row, "speaker") == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“It was a good meeting,” a senior Chinese diplomat, who asked not to be named, told Reuters.",
         "senior Chinese diplomat"),
        ("“Prices will rise,” said one oil trader in Singapore.", "one oil trader"),
        ("“The deal is close,” said two sources familiar with the talks.", "two sources"),
    ],
)
def test_an_unnamed_source_is_named_by_its_description(nlp, text, speaker):
    """Who said it, as far as the article tells: a user can still filter and count such quotes."""
    row = quotes_of(nlp, text).iloc[0]
    assert value(row, "speaker") == speaker and row["how"] == "role"


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown_speaker_is_null_not_a_guess(nlp, text):
    frame = quotes_of(nlp, text)
    assert len(frame) == 1
    assert value(frame.iloc[0], "speaker") is None


# --- several quotes ------------------------------------------------------------------------------------


def test_split_quote_gives_two_rows_with_one_speaker(nlp):
    frame = quotes_of(nlp, "“Trade is growing fast,” Li Qiang said, “and investment is rising too.”")
    assert list(frame["text"]) == ["Trade is growing fast,", "and investment is rising too."]
    assert list(frame["speaker"]) == ["Li Qiang", "Li Qiang"]


def test_quote_paragraph_continues_the_previous_speaker(nlp):
    text = (
        "Xi Jinping said: “Trade is growing fast this year.”\n\n"
        "“We will expand energy cooperation with our Russian friends.”"
    )
    row = only(quotes_of(nlp, text), "We will")
    assert row["speaker"] == "Xi Jinping"


def test_quote_over_several_paragraphs_keeps_its_speaker(nlp):
    text = (
        "Xinhua reported:\n\n"
        "“Trade between China and Russia grew fast. Energy led the growth. Farm goods followed.\n\n"
        "“Both sides expect more growth next year.”"
    )
    frame = quotes_of(nlp, text)
    assert list(frame["speaker"]) == ["Xinhua", "Xinhua"]


def test_speaker_named_in_the_sentence_after_the_quote_paragraph(nlp):
    text = "Russia and China held talks.\n\n“The pipeline will be built.”\n\nPeskov said so on Tuesday."
    assert only(quotes_of(nlp, text), "The pipeline")["speaker"] == "Dmitry Peskov"


def test_standalone_quote_before_a_document_takes_the_document(nlp):
    text = (
        "China and Russia met in Moscow on Tuesday.\n"
        "“Both sides oppose any attempt to interfere in the internal affairs of the two countries.”\n"
        "In the communique, both sides also pledged support for each other."
    )
    row = only(quotes_of(nlp, text), "Both sides")
    assert row["speaker"] == "communique"


def test_two_speakers_in_one_sentence(nlp):
    frame = quotes_of(nlp, 'Putin said "we will win this" and Xi Jinping said "we agree with that".')
    assert list(frame["speaker"]) == ["Vladimir Putin", "Xi Jinping"]


# --- fragments -------------------------------------------------------------------------------------------

FRAGMENTS = [
    (
        "Beijing criticised Washington for being the world’s “biggest creator of nuclear threats”.",
        "biggest creator",
        "China",
    ),
    ("Xi Jinping visited Moscow and held talks with his “dear friend” Vladimir Putin.", "dear friend", "Xi Jinping"),
    ("Lavrov accused the West of seeking a “strategic defeat” of Russia.", "strategic defeat", "Sergey Lavrov"),
    ("Putin called the sanctions “illegitimate” on Tuesday.", "illegitimate", "Vladimir Putin"),
    ("Peskov called the plan “Total Nonsense” on Monday.", "Total Nonsense", "Dmitry Peskov"),
    ("Zakharova called the senator “Mister Sanctions” on Friday.", "Mister Sanctions", "Maria Zakharova"),
]


@pytest.mark.parametrize(("text", "start", "speaker"), FRAGMENTS)
def test_phrases_someone_said_are_fragments_with_their_speaker(nlp, text, start, speaker):
    row = only(quotes_of(nlp, text), start)
    assert row["kind"] == "fragment"
    assert value(row, "speaker") == speaker


TERMS = [
    ("Xi Jinping praised the “no limits” partnership with Moscow.", "no limits"),
    ("Putin hailed the “no-limits” friendship with Beijing.", "no-limits"),
    ("The “friendly” nations signed several agreements on trade.", "friendly"),
    ("Analysts read the novel “War and Peace” at the summit.", "War and Peace"),
    ("Officials attended the “Belt and Road Forum for International Cooperation” in Beijing.", "Belt and Road"),
    ("Xi attended the ‘Victory Day’ parade in Moscow.", "Victory Day"),
    ("Russia’s so-called “pivot to Asia” has deepened its reliance on China.", "pivot to Asia"),
    ("Lavrov spoke about the policy known as “pivot to the East” on Monday.", "pivot to the East"),
    ("Gazprom signed the deal, dubbed “Power of Siberia 3” by analysts.", "Power of Siberia 3"),
]


@pytest.mark.parametrize(("text", "start"), TERMS)
def test_names_and_terms_in_quote_marks_are_terms_without_speaker(nlp, text, start):
    """The Quotes page can leave them out: nobody said them."""
    row = only(quotes_of(nlp, text), start)
    assert row["kind"] == "term"
    assert value(row, "speaker") is None


# --- marks: apostrophes, nesting, unbalanced --------------------------------------------------------------

SPANS = [
    ("Russia’s economy and China’s exports grew while Moscow’s allies watched.", []),
    ("Russia's economy and the countries' exports grew.", []),
    ("He said “yes” and then “no”.", ["yes", "no"]),
    ('He said "yes" and then "no".', ["yes", "no"]),
    (
        "“Policy is ‘declare neutrality, support Putin’ and more,” Tsang said.",
        ["Policy is ‘declare neutrality, support Putin’ and more,"],
    ),
    ("She called it ‘a new era’ of ties.", ["a new era"]),
    ("“Never closed here\nNext paragraph “is quoted” fine.", ["Never closed here", "is quoted"]),
    ("“First “second” third.", ["First", "second"]),
    ("Stray closing mark” here and “a real quote” there.", ["a real quote"]),
    ("“”", []),
    ("Putin praised the plan. 'Many provisions can be a basis for a settlement,' he said.",
     ["Many provisions can be a basis for a settlement,"]),
    ("Xi's Moscow trip seals 'no limits' friendship", ["no limits"]),
    ("'Both countries' interests are aligned,' he said.", ["Both countries' interests are aligned,"]),
    ("In the '90s, trade was small. Russia's exports grew.", []),
    ("The countries' leaders met. Xi's aides' notes were 'candid'.", ["candid"]),
]


@pytest.mark.parametrize(("text", "expected"), SPANS)
def test_quote_marks(text, expected):
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == expected


def test_unclosed_quote_does_not_swallow_the_article(nlp):
    sentences = " ".join(f"Trade between the two countries grew in year {n}." for n in range(2000, 2010))
    text = f"Xi Jinping said “trade is growing fast. {sentences} Li Qiang called it a “new era” for ties."
    frame = quotes_of(nlp, text)
    assert len(frame) >= 2
    assert frame["text"].str.len().max() < len(text) / 3
    assert "new era" in set(frame["text"])


def test_unbalanced_marks_never_crash_and_keep_other_quotes(nlp):
    text = "He said “this is a quote “with a nested opening” and more.\nPutin said “we agree with that fully.”"
    frame = quotes_of(nlp, text)
    assert "we agree with that fully." in set(frame["text"])
    assert only(frame, "we agree")["speaker"] == "Vladimir Putin"


# --- the table ---------------------------------------------------------------------------------------------


def test_rows_follow_the_schema_and_point_into_the_text(nlp):
    text = "China and Russia met. “Trade is growing fast this year,” said Li Qiang on Monday."
    frame = quotes_of(nlp, text)
    assert list(frame.columns[: len(TABLES["quotes"])]) == list(TABLES["quotes"])
    row = frame.iloc[0]
    assert text[row["start"] : row["end"]] == row["text"]
    assert text[row["sent_start"] : row["sent_end"]].startswith("“Trade")
    assert row["sent_start"] <= row["start"] < row["end"] <= row["sent_end"]


def test_no_quotes_gives_an_empty_table(nlp):
    frame = quotes_of(nlp, "China and Russia met in Moscow.")
    assert frame.empty
    assert list(frame.columns[: len(TABLES["quotes"])]) == list(TABLES["quotes"])


@given(st.text(alphabet="ab .,\n\u201c\u201d\u2018\u2019\"'", max_size=80))
def test_any_mix_of_marks_gives_spans_inside_one_paragraph(text):
    for span in find_quote_spans(text):
        inner = text[span.start : span.end]
        assert 0 <= span.start < span.end <= len(text)
        assert "\n" not in inner
        assert any(ch.isalnum() for ch in inner)


@pytest.mark.parametrize(
    "text",
    ["“", "”", '"', "“ ” “", "Li said “", "“a” “b” ” “c\n“d", "\u2018open single never closed", "“\n\n”"],
)
def test_degenerate_marks_never_crash(nlp, text):
    frame = quotes_of(nlp, text)
    assert all(text[r.start : r.end] == r.text for r in frame.itertuples())
