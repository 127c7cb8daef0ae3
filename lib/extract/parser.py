"""The pipeline every extractor expects: the NLP layer's model plus the actor rulers."""

from __future__ import annotations

from spacy.language import Language

from lib.extract import actors
from lib.nlp.pipeline import fast_model


def build_pipeline() -> Language:
    """The model (`lib.nlp.pipeline.fast_model`) plus the actor rulers, ready for `nlp.pipe`."""
    nlp = fast_model()
    actors.add_to_pipeline(nlp)
    return nlp
