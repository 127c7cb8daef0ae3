"""The project's lemmatizer gives every token the lemma the model's own lemmatizer gives."""

from __future__ import annotations

import pickle

import pytest

from lib.nlp import lemmas, paragraphs
from lib.nlp.lemmas import MemoLemmatizer
from lib.nlp.pipeline import load_model
from lib.read.corpus import read_corpus
from tests.conftest import SEEDS

SENTENCES = [
    "The talks were held as leaders met, meeting again after they had been meeting for years.",
    "He's gonna say they're better, the best; geese, mice and data were studied.",
    "Russia's exports rose; Gazprom's pipelines are flowing, and flows grew.",
    "",
]


@pytest.fixture(scope="module")
def stock():
    """The model as shipped, with the project's sentence boundaries at line breaks: they change
    the parse, which both pipelines must share, not what is compared here."""
    return paragraphs.add_to_pipeline(load_model())


def lemmas_of(doc):
    return [(t.text, t.lemma_) for t in doc]


@pytest.mark.parametrize("text", SENTENCES)
def test_same_lemmas_as_the_models_lemmatizer(nlp, stock, text):
    assert lemmas_of(nlp(text)) == lemmas_of(stock(text))


def test_same_lemmas_over_whole_seed_articles_twice(nlp, stock):
    """Twice: the second time, the lemmas come from the memo."""
    articles, _ = read_corpus(SEEDS)
    texts = list(articles["text"]) * 2
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert lemmas_of(ours) == lemmas_of(theirs)


def test_remembered_lemmas_are_readable_in_a_later_memory_zone(nlp, stock):
    text = "Zyxwv shipments of qwertyuiops were zorbled."  # words the vocabulary does not know
    with nlp.memory_zone():
        first = lemmas_of(nlp(text))
    with nlp.memory_zone():
        again = lemmas_of(nlp(text))
    assert first == again == lemmas_of(stock(text))


def test_the_pipeline_uses_the_memo_lemmatizer_around_the_models_own(nlp, stock):
    component = nlp.get_pipe("lemmatizer")
    assert isinstance(component, MemoLemmatizer)
    assert type(component.lemmatizer) is type(stock.get_pipe("lemmatizer"))
    assert [name for name in nlp.pipe_names if name in stock.pipe_names] == stock.pipe_names  # in the same order


def test_the_memo_is_bounded(nlp, monkeypatch):
    monkeypatch.setattr(lemmas, "MEMO_LIMIT", 5)
    component = nlp.get_pipe("lemmatizer")
    nlp(SENTENCES[0])
    nlp(SENTENCES[1])
    assert len(component.memo) <= 5 + len(nlp(SENTENCES[2]))


def test_survives_pickling_and_serialisation(nlp):
    text = SENTENCES[0]
    assert lemmas_of(pickle.loads(pickle.dumps(nlp))(text)) == lemmas_of(nlp(text))
    component = nlp.get_pipe("lemmatizer")
    copy = MemoLemmatizer(nlp, "lemmatizer", "rule", False).from_bytes(component.to_bytes())
    with nlp.select_pipes(disable=["lemmatizer"]):
        doc = nlp(text)
    assert lemmas_of(copy(doc.copy())) == lemmas_of(component(doc.copy())) == lemmas_of(nlp(text))
