"""A faster, output-identical stand-in for the model's `attribute_ruler`.

The model's attribute ruler is a `Matcher` of some 180 patterns that every token is checked
against, and it sets each match's attributes one token at a time in Python: it costs about as
much as the dependency parser. Most of its patterns look at one token's TAG and/or lower-cased
text, which a dictionary answers at once:

* the leading tag map (`{"TAG": "NN"}` → POS NOUN and its morphology), which every token matches,
  is applied as two array lookups per Doc;
* the other one-token TAG/LOWER rules ("that" as a relative pronoun, "'d" as "would", ...) are
  found by dictionary lookup;
* only the rest (rules on the dependency label, regular expressions, several tokens) go through
  a `Matcher`.

The matches are then applied in the original rule order by the model's own `AttributeRuler`
code, so later rules win exactly as they do in the model (tests compare every token attribute).
"""

# No postponed annotations here: spaCy validates a factory's signature and must resolve `Language`.
from collections.abc import Iterator

import numpy as np
import srsly
from spacy.attrs import LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

LOOKUP_KEYS = {"TAG", "LOWER"}  # token-pattern keys a dictionary can answer


def _tag_map_length(patterns: list[dict]) -> int:
    """How many leading rules are plain tag-map rules: one token matched on TAG alone, setting
    only POS and MORPH on it."""
    count = 0
    for rule in patterns:
        tokens = rule["patterns"]
        plain = (
            len(tokens) == 1 and len(tokens[0]) == 1 and set(tokens[0][0]) == {"TAG"}
            and isinstance(tokens[0][0]["TAG"], str) and set(rule["attrs"]) <= {"POS", "MORPH"}
            and rule.get("index", 0) in (0, -1)
        )
        if not plain:
            break
        count += 1
    return count


def _values(spec) -> list[str] | None:
    """The strings a token-pattern value accepts (a string or {"IN": [...]}), else None."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return list(spec["IN"])
    return None


def _lookup_keys(alternative: list[dict]) -> list[tuple[str | None, str | None]] | None:
    """(tag, lower) pairs that match a one-token TAG/LOWER pattern (None: any), else None."""
    if len(alternative) != 1 or not alternative[0] or not set(alternative[0]) <= LOOKUP_KEYS:
        return None
    tags = _values(alternative[0]["TAG"]) if "TAG" in alternative[0] else [None]
    lowers = _values(alternative[0]["LOWER"]) if "LOWER" in alternative[0] else [None]
    if tags is None or lowers is None:
        return None
    return [(tag, lower) for tag in tags for lower in lowers]


class TagMapRuler:
    """The model's attribute-ruler rules: tag map by array lookup, one-token rules by dictionary,
    the rest by `Matcher`; all applied in rule order by an `AttributeRuler`."""

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.load([])

    def load(self, patterns: list[dict]) -> "TagMapRuler":
        """Take over an attribute ruler's patterns, in their order (replacing any loaded before)."""
        self.patterns = list(patterns)
        self.pos: dict[int, int] = {}  # tag hash → POS id (the tag map)
        self.morph: dict[int, int] = {}  # tag hash → morphology hash (the tag map)
        self.lookup: dict[tuple[int, int], list[int]] = {}  # (tag hash | 0, lower hash | 0) → rules
        self.matcher = Matcher(self.vocab)
        self.rules = AttributeRuler(self.vocab)  # holds the other rules' attributes, in order
        strings = self.vocab.strings
        split = _tag_map_length(patterns)
        for rule in patterns[:split]:  # a later rule overrides an earlier one, attribute by attribute
            tag = strings.add(rule["patterns"][0][0]["TAG"])
            if "POS" in rule["attrs"]:
                self.pos[tag] = POS_IDS[rule["attrs"]["POS"]]
            if "MORPH" in rule["attrs"]:
                self.morph[tag] = self.vocab.morphology.add(rule["attrs"]["MORPH"])
        for rule in patterns[split:]:
            number = len(self.rules.attrs)
            self.rules.add(rule["patterns"], rule["attrs"], rule.get("index", 0))
            keys = [_lookup_keys(alternative) for alternative in rule["patterns"]]
            if all(k is not None for k in keys):
                for tag, lower in (pair for pairs in keys for pair in pairs):
                    entry = (strings.add(tag) if tag else 0, strings.add(lower) if lower else 0)
                    self.lookup.setdefault(entry, []).append(number)
            else:
                self.matcher.add(str(number), rule["patterns"])
        return self

    def _tag_map(self, doc: Doc) -> None:
        values = doc.to_array([TAG, POS, MORPH])
        tags = values[:, 0].tolist()
        pos = [self.pos.get(t, p) for t, p in zip(tags, values[:, 1].tolist())]
        morph = [self.morph.get(t, m) for t, m in zip(tags, values[:, 2].tolist())]
        doc.from_array([POS, MORPH], np.array([pos, morph], dtype=values.dtype).T)

    def _looked_up(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        """(rule, start, end) of every one-token rule that matches, by dictionary."""
        lookup = self.lookup
        for i, (tag, lower) in enumerate(doc.to_array([TAG, LOWER]).tolist()):
            found = {*lookup.get((tag, lower), ()), *lookup.get((tag, 0), ()), *lookup.get((0, lower), ())}
            for number in found:
                yield number, i, i + 1

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        self._tag_map(doc)
        strings = self.vocab.strings
        matches = [(number, strings[str(number)], start, end) for number, start, end in self._looked_up(doc)]
        for match_id, start, end in self.matcher(doc, allow_missing=True):
            matches.append((int(strings[match_id]), match_id, start, end))
        matches.sort()
        self.rules.set_annotations(doc, matches)
        return doc

    def to_bytes(self, *, exclude=()) -> bytes:
        """The patterns, so that a pickled pipeline (`nlp.pipe(n_process=...)`) keeps them."""
        return srsly.msgpack_dumps(self.patterns)

    def from_bytes(self, data: bytes, *, exclude=()) -> "TagMapRuler":
        return self.load(srsly.msgpack_loads(data))


@Language.factory("tag_map_ruler")
def make_tag_map_ruler(nlp: Language, name: str) -> TagMapRuler:
    """An empty `TagMapRuler`; `speed_up` fills it with the model's attribute-ruler patterns."""
    return TagMapRuler(nlp)


def speed_up(nlp: Language) -> Language:
    """Swap the model's `attribute_ruler` for a `TagMapRuler` built from its own patterns."""
    if "attribute_ruler" in nlp.pipe_names:
        patterns = nlp.get_pipe("attribute_ruler").patterns
        nlp.replace_pipe("attribute_ruler", "tag_map_ruler").load(patterns)
    return nlp
