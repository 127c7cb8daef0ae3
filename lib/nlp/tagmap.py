"""A faster, output-identical stand-in for the model's `attribute_ruler`.

The model's attribute ruler is a `Matcher` of some 180 patterns that every token is checked
against, and it sets each match's attributes one token at a time in Python: it costs about as
much as the dependency parser. Its patterns are fixed sequences of one to two tokens, each
token tested on a few attributes, which NumPy answers for a whole Doc at once:

* the leading tag map (`{"TAG": "NN"}` → POS NOUN and its morphology), which every token matches,
  is applied as two array lookups per Doc;
* every other pattern whose tokens test string attributes (TAG, LOWER, DEP, ...) or flags
  (IS_SPACE, ...) by value, `IN`, `NOT_IN` or `REGEX` is found by comparing the Doc's attribute
  arrays (`TokenTests`);
* only what is left (operators such as `OP`, other predicates) goes through a `Matcher`.

The matches are then applied in the original rule order by the model's own `AttributeRuler`
code, so later rules win exactly as they do in the model (tests compare every token attribute).
"""

# No postponed annotations here: spaCy validates a factory's signature and must resolve `Language`.
import re

import numpy as np
import srsly
from spacy.attrs import IDS as ATTR_IDS
from spacy.attrs import MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc

STRING_KEYS = ("LOWER", "ORTH", "NORM", "DEP", "TAG")  # compared by string hash; rarest values first
FLAG_KEYS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_STOP"})  # 0 or 1
PREDICATES = frozenset({"IN", "NOT_IN", "REGEX"})  # the value forms `TokenTests` answer
VERDICTS_LIMIT = 500_000  # regular-expression results remembered before starting afresh (a bound on memory)


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


def _answerable(key: str, value) -> bool:
    """Whether `TokenTests` can test a token-pattern entry as the `Matcher` does."""
    if key in FLAG_KEYS:
        return isinstance(value, bool)
    if key not in STRING_KEYS:
        return False
    if isinstance(value, str):
        return True
    if not (isinstance(value, dict) and len(value) == 1 and set(value) <= PREDICATES):
        return False
    (predicate, operand), = value.items()
    return isinstance(operand, str) if predicate == "REGEX" else (
        isinstance(operand, list) and all(isinstance(v, str) for v in operand))


class TokenTests:
    """Fixed-length token patterns (a list of token specs without operators) found in a Doc by
    its attribute arrays, with the `Matcher`'s semantics: a value compares the string hash,
    `IN`/`NOT_IN` a set of them, `REGEX` searches the attribute's string, a flag is 0 or 1.

    A pattern whose first token tests a string attribute by value or `IN` is anchored on it: one
    `isin` per anchoring attribute finds the few tokens where such patterns can start, and a
    dictionary gives the patterns to check there. The others are tested on whole columns."""

    def __init__(self, strings: StringStore) -> None:
        self.strings = strings
        self.keys: list[str] = []  # attribute names, in column order of `to_array`
        self.anchored: dict[int, dict[int, list[tuple]]] = {}  # column → value → [(id, tests)]
        self.unanchored: list[tuple[int, list[list[tuple]]]] = []  # (match id, tests per token)
        self.verdicts: dict[tuple[str, int], bool] = {}  # (regex, string hash) → search result

    @staticmethod
    def answerable(pattern: list[dict]) -> bool:
        return bool(pattern) and all(
            spec and all(_answerable(key, value) for key, value in spec.items()) for spec in pattern)

    def add(self, match_id: int, pattern: list[dict]) -> None:
        """Add an `answerable` pattern, reported as `match_id`."""
        tests = [[self._test(key, value) for key, value in spec.items()] for spec in pattern]
        anchors = [t for t in tests[0] if t[1] in ("eq", "in") and self.keys[t[0]] in STRING_KEYS]
        anchor = min(anchors, key=lambda t: STRING_KEYS.index(self.keys[t[0]]), default=None)
        if anchor is None:
            self.unanchored.append((match_id, tests))
            return
        by_value = self.anchored.setdefault(anchor[0], {})
        for value in ([anchor[2]] if anchor[1] == "eq" else anchor[2]):
            by_value.setdefault(value, []).append((match_id, tests))

    def _test(self, key: str, value) -> tuple:
        """(column, operation, operand) of one token-pattern entry."""
        if key not in self.keys:
            self.keys.append(key)
        column = self.keys.index(key)
        if isinstance(value, bool):
            return column, "eq", int(value)
        if isinstance(value, str):
            return column, "eq", self.strings.add(value)
        (predicate, operand), = value.items()
        if predicate == "REGEX":
            return column, "regex", re.compile(operand)
        return column, predicate.lower(), frozenset(self.strings.add(v) for v in operand)

    def _passes(self, test: tuple, value: int) -> bool:
        """Whether one test holds for a token's attribute value."""
        _, operation, operand = test
        if operation == "eq":
            return value == operand
        if operation == "in":
            return value in operand
        if operation == "not_in":
            return value not in operand
        key = (operand.pattern, value)
        verdict = self.verdicts.get(key)
        if verdict is None:
            if len(self.verdicts) > VERDICTS_LIMIT:
                self.verdicts.clear()
            verdict = self.verdicts[key] = operand.search(self.strings[value]) is not None
        return verdict

    def _holds(self, test: tuple, column_values: np.ndarray) -> np.ndarray:
        """Per token, whether one test holds (`_passes` over a whole column)."""
        _, operation, operand = test
        if operation == "eq":
            return column_values == operand
        if operation in ("in", "not_in"):
            inside = np.isin(column_values, np.fromiter(operand, dtype=np.uint64, count=len(operand)))
            return inside if operation == "in" else ~inside
        unique = np.unique(column_values).tolist()
        return np.isin(column_values, np.array([v for v in unique if self._passes(test, v)], dtype=np.uint64))

    def _match_at(self, rows: list[list[int]], start: int, tests: list[list[tuple]]) -> bool:
        return start + len(tests) <= len(rows) and all(
            self._passes(test, rows[start + offset][test[0]]) for offset, token in enumerate(tests) for test in token)

    def __call__(self, doc: Doc) -> set[tuple[int, int, int]]:
        """(match id, start, end) of every place where a pattern matches."""
        n = len(doc)
        if not n or not self.keys:
            return set()
        values = doc.to_array([ATTR_IDS[key] for key in self.keys]).reshape(n, len(self.keys))
        rows = values.tolist()
        found = set()
        for column, by_value in self.anchored.items():
            anchors = np.fromiter(by_value, dtype=np.uint64, count=len(by_value))
            for start in np.flatnonzero(np.isin(values[:, column], anchors)).tolist():
                for match_id, tests in by_value[rows[start][column]]:
                    if self._match_at(rows, start, tests):
                        found.add((match_id, start, start + len(tests)))
        for match_id, tests in self.unanchored:
            hits = np.ones(n, dtype=bool)
            for test in tests[0]:
                hits &= self._holds(test, values[:, test[0]])
            for start in np.flatnonzero(hits).tolist():
                if self._match_at(rows, start, tests):
                    found.add((match_id, start, start + len(tests)))
        return found


class TagMapRuler:
    """The model's attribute-ruler rules: tag map by array lookup, fixed token patterns by
    `TokenTests`, the rest by `Matcher`; all applied in rule order by an `AttributeRuler`."""

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.load([])

    def load(self, patterns: list[dict]) -> "TagMapRuler":
        """Take over an attribute ruler's patterns, in their order (replacing any loaded before)."""
        self.patterns = list(patterns)
        self.pos: dict[int, int] = {}  # tag hash → POS id (the tag map)
        self.morph: dict[int, int] = {}  # tag hash → morphology hash (the tag map)
        self.tests = TokenTests(self.vocab.strings)
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
            if all(TokenTests.answerable(alternative) for alternative in rule["patterns"]):
                for alternative in rule["patterns"]:
                    self.tests.add(number, alternative)
            else:
                self.matcher.add(str(number), rule["patterns"])
        return self

    def _tag_map(self, doc: Doc) -> None:
        values = doc.to_array([TAG, POS, MORPH])
        tags = values[:, 0].tolist()
        pos = [self.pos.get(t, p) for t, p in zip(tags, values[:, 1].tolist())]
        morph = [self.morph.get(t, m) for t, m in zip(tags, values[:, 2].tolist())]
        doc.from_array([POS, MORPH], np.array([pos, morph], dtype=values.dtype).T)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        self._tag_map(doc)
        strings = self.vocab.strings
        matches = [(number, strings[str(number)], start, end) for number, start, end in self.tests(doc)]
        if len(self.matcher):
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
