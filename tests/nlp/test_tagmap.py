"""The project's attribute ruler gives every token the attributes the model's own ruler gives."""

import pickle

import pytest

from lib.nlp import paragraphs
from lib.nlp.pipeline import load_model
from lib.nlp.tagmap import TagMapRuler, _tag_map_length

SENTENCES = [
    "Xi Jinping met Vladimir Putin in Moscow on Tuesday, and they signed 14 agreements.",
    "That is what they did, but I'd say it wasn't enough; there is more to come.",
    "He's gonna tell 'em: \"We have been trading in yuan since 2022.\"",
    "Trade rose 26.3% to $240.1 billion in 2023, according to China's customs.",
    "Does Russia supply gas? It does, and it had done so before.",
    "Is there  a  double space here?\n\nYes, and a new line.",
    "",
]


def attributes(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def stock():
    """The model as shipped, with the project's sentence boundaries at line breaks: they change
    the parse, which both pipelines must share, not what is compared here."""
    return paragraphs.add_to_pipeline(load_model())


@pytest.mark.parametrize("text", SENTENCES)
def test_same_token_attributes_as_the_models_own_ruler(nlp, stock, text):
    assert attributes(nlp(text)) == attributes(stock(text))


def test_the_pipeline_uses_the_fast_ruler_in_the_same_place(nlp, stock):
    assert isinstance(nlp.get_pipe("attribute_ruler"), TagMapRuler)
    assert [name for name in nlp.pipe_names if name in stock.pipe_names] == stock.pipe_names  # in the same order


def test_only_the_leading_tag_map_rules_become_array_lookups(stock):
    patterns = stock.get_pipe("attribute_ruler").patterns
    split = _tag_map_length(patterns)
    assert 0 < split < len(patterns)
    assert all(set(rule["patterns"][0][0]) == {"TAG"} for rule in patterns[:split])
    assert set(patterns[split]["patterns"][0][0]) != {"TAG"}


def test_survives_pickling_as_nlp_pipe_with_processes_does(nlp):
    text = SENTENCES[1]
    assert attributes(pickle.loads(pickle.dumps(nlp))(text)) == attributes(nlp(text))


RULE_KINDS = [
    "He's gonna tell y'all: I ain't got nothin' and we gotta go, c'mon, let's see.",
    "There is a way, and there were others.  Two spaces,\n\na new paragraph.",
    "Do you know what it does? I did it for you, and you gave it to me.",
]


@pytest.mark.parametrize("text", RULE_KINDS)
def test_same_attributes_on_the_rules_for_contractions_pronouns_and_spaces(nlp, stock, text):
    assert attributes(nlp(text)) == attributes(stock(text))


def test_same_attributes_over_whole_seed_articles(nlp, stock):
    from lib.read.corpus import read_corpus
    from tests.conftest import SEEDS

    articles, _ = read_corpus(SEEDS)
    texts = list(articles["text"])
    assert texts
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert attributes(ours) == attributes(theirs)


CUSTOM_RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"LOWER": {"IN": ["the", "a"]}, "DEP": {"NOT_IN": ["nsubj", ""]}}]], "attrs": {"LEMMA": "article"}},
    {"patterns": [[{"LOWER": {"REGEX": "e[ew]"}}]], "attrs": {"LEMMA": "ee-or-ew"}},
    {"patterns": [[{"IS_PUNCT": True}, {"LOWER": "and"}]], "attrs": {"LEMMA": "and-after-punct"}, "index": 1},
    {"patterns": [[{"TAG": {"IN": ["JJ", "JJR"]}}], [{"ORTH": "Russia"}]], "attrs": {"MORPH": "Degree=Pos"}},
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"LEMMA": "intensified"}, "index": -1},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"LOWER": "trade"}]], "attrs": {"LEMMA": "commerce"}},  # a later rule wins
]


def test_any_rules_give_what_spacys_attribute_ruler_gives(nlp):
    from spacy.pipeline import AttributeRuler

    doc = nlp("Trade grew very very fast, and the greener deal with Russia  greets a new year.")
    theirs = AttributeRuler(nlp.vocab)
    theirs.add_patterns(CUSTOM_RULES)
    ours = TagMapRuler(nlp).load(CUSTOM_RULES)
    assert len(ours.matcher) == 1  # only the rule with an operator needs spaCy's Matcher
    assert attributes(ours(doc.copy())) == attributes(theirs(doc.copy()))
    assert attributes(ours(doc.copy())) != attributes(doc)  # the rules did change something


def test_the_models_own_rules_need_no_matcher(nlp):
    assert len(nlp.get_pipe("attribute_ruler").matcher) == 0


def test_remembered_regular_expression_results_are_bounded(nlp, stock, monkeypatch):
    from lib.nlp import tagmap

    monkeypatch.setattr(tagmap, "VERDICTS_LIMIT", 3)
    tests = nlp.get_pipe("attribute_ruler").tests
    monkeypatch.setattr(tests, "verdicts", {})
    for text in RULE_KINDS:
        assert attributes(nlp(text)) == attributes(stock(text))
        assert len(tests.verdicts) <= 3 + 1
