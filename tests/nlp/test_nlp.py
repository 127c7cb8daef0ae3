"""The pipeline's text handling: extraction reads the text a Doc was made from, not its rebuild."""

import pytest

from lib.extract.article import article_result, extract_chunk
from lib.nlp.pipeline import doc_text

TEXTS = [
    "Xi Jinping met Vladimir Putin in Moscow on 20 March 2023.",
    "  Leading spaces,\ttabs\tand a trailing newline.\n",
    "Line one.\r\n\r\nLine two after a blank line — and “curly quotes”.",
    "Non-breaking\u00a0space, zero\u200bwidth and emoji 🇨🇳🇷🇺 between words.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_doc_text_is_the_text_it_was_made_from(nlp, text):
    doc = nlp(text)
    assert doc.text == text  # what remember_text relies on
    assert doc_text(doc) == text


def test_a_chunk_extracts_what_each_article_alone_does(nlp):
    articles = [{"article_id": f"a{i}", "file": f"a{i}.txt", "text": text, "published": "2023-03-21"}
                for i, text in enumerate(TEXTS)]
    alone = [article_result(nlp(a["text"]), dict(a)) for a in articles]
    assert repr(extract_chunk(nlp, [dict(a) for a in articles])) == repr(alone)  # repr: NaN cells compare equal
    assert any(result["columns"] for result in alone)  # the comparison covers extracted rows
