"""The project's attribute ruler gives every token the attributes the model's own ruler gives."""

import pickle

import pytest

from lib.nlp import load_model
from lib.tagmap import TagMapRuler, _tag_map_length

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
    return load_model()


@pytest.mark.parametrize("text", SENTENCES)
def test_same_token_attributes_as_the_models_own_ruler(nlp, stock, text):
    assert attributes(nlp(text)) == attributes(stock(text))


def test_the_pipeline_uses_the_fast_ruler_in_the_same_place(nlp, stock):
    assert isinstance(nlp.get_pipe("attribute_ruler"), TagMapRuler)
    assert nlp.pipe_names[: len(stock.pipe_names)] == stock.pipe_names


def test_only_the_leading_tag_map_rules_become_array_lookups(stock):
    patterns = stock.get_pipe("attribute_ruler").patterns
    split = _tag_map_length(patterns)
    assert 0 < split < len(patterns)
    assert all(set(rule["patterns"][0][0]) == {"TAG"} for rule in patterns[:split])
    assert set(patterns[split]["patterns"][0][0]) != {"TAG"}


def test_survives_pickling_as_nlp_pipe_with_processes_does(nlp):
    text = SENTENCES[1]
    assert attributes(pickle.loads(pickle.dumps(nlp))(text)) == attributes(nlp(text))
