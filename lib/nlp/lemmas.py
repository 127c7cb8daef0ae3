"""A faster, output-identical stand-in for the model's rule-based lemmatizer.

spaCy's lemmatizer visits every token as a Python `Token` and, for the many tokens already in
their base form (a singular noun, an infinitive), works the lemma out again at each occurrence:
it caches only the others. A token's lemma depends on its text, part of speech and morphology
alone, so `MemoLemmatizer` remembers every one by those three (as array values of the Doc) and
asks the model's own lemmatizer only about combinations it has not seen yet.
"""

# No postponed annotations here: spaCy validates a factory's signature and must resolve `Language`.
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

MEMO_LIMIT = 500_000  # lemmas remembered before the memo starts afresh (a bound on its memory)


class MemoLemmatizer:
    """The model's lemmatizer with every lemma remembered by (text, POS, morphology)."""

    def __init__(self, nlp: Language, name: str, mode: str, overwrite: bool) -> None:
        self.name = name
        self.lemmatizer: Lemmatizer = nlp.create_pipe("lemmatizer", config={"mode": mode, "overwrite": overwrite})
        self.memo: dict[tuple[int, int, int], str] = {}

    def use(self, lemmatizer: Lemmatizer) -> "MemoLemmatizer":
        """Lemmatize as `lemmatizer` does (the model's own, its tables loaded)."""
        self.lemmatizer, self.memo = lemmatizer, {}
        return self

    def __call__(self, doc: Doc) -> Doc:
        if self.lemmatizer.mode != "rule" or not len(doc):
            return self.lemmatizer(doc)  # the memo holds for the rule mode's inputs only
        if len(self.memo) > MEMO_LIMIT:
            self.memo = {}
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        overwrite, strings, memo = self.lemmatizer.overwrite, doc.vocab.strings, self.memo
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            if lemma and not overwrite:
                continue  # set by an earlier component ("gonna" → "go")
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = self.lemmatizer.lemmatize(doc[i])[0]
                if pos:  # spaCy warns about a token without POS each time: not remembered
                    memo[key] = found
            lemmas[i] = strings.add(found)  # in this Doc's memory zone, where it may be freed
        doc.from_array([LEMMA], lemmas)
        return doc

    def to_bytes(self, *, exclude=()) -> bytes:
        return self.lemmatizer.to_bytes(exclude=exclude)

    def from_bytes(self, data: bytes, *, exclude=()) -> "MemoLemmatizer":
        self.lemmatizer.from_bytes(data, exclude=exclude)
        return self.use(self.lemmatizer)


@Language.factory("memo_lemmatizer", default_config={"mode": "rule", "overwrite": False})
def make_memo_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> MemoLemmatizer:
    """A `MemoLemmatizer` around a new lemmatizer; `speed_up` gives it the model's own."""
    return MemoLemmatizer(nlp, name, mode, overwrite)


def speed_up(nlp: Language) -> Language:
    """Swap the model's `lemmatizer` for a `MemoLemmatizer` around it."""
    if "lemmatizer" in nlp.pipe_names and isinstance(nlp.get_pipe("lemmatizer"), Lemmatizer):
        own = nlp.get_pipe("lemmatizer")
        config = {"mode": own.mode, "overwrite": own.overwrite}
        nlp.replace_pipe("lemmatizer", "memo_lemmatizer", config=config).use(own)
    return nlp
