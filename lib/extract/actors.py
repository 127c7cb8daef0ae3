"""Actors: who is mentioned, under one canonical name and type.

Three layers, each driven by data files in `lib/data/` that a user can extend:

* `actors.csv` — the gazetteer: canonical name, type, country, role and aliases. Loaded into the
  `actor_gazetteer` entity rulers, which override the model where they know better (a person the
  model tagged as a place). Rows of type `metonym` are places that stand for an actor (capitals:
  "Beijing said" is China); rows of type `place`/`event`/`project` are known non-actors.
* `generic_names.csv` and `non_actor_heads.csv` — words that, alone or as a name's last word,
  make a model entity a non-actor ("State" in "Secretary of State", "…Forum");
  `currency_words.csv` — words after which a country names a currency ("US dollars"), and
  that make a name a currency ("the Chinese yuan");
  `credit_lines.csv` — openings of bylines and credit lines ("By", "Editing by"), whose names
  wrote the article and are not actors in it.
* surname resolution — "Li" after "Li Qiang" is Li Qiang, after "Li Hui" is Li Hui: the most
  recent full mention in the article wins; with none, the first matching gazetteer row.
* `roles.csv` — role phrases ("the Russian leader") resolved to their holder at the article's date.

Names unknown to the gazetteer are still kept with the model's label and a normalised name.
"""

# No postponed annotations here: spaCy validates a factory's signature and must resolve `Language`.
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span, Token

from lib.contract.datafiles import read_csv
from lib.contract.schema import from_rows
from lib.nlp.pipeline import doc_text

ACTOR_TYPES = ("person", "organization", "country", "bloc")
CREDIT_LINE_MAX_CHARS = 200  # a longer line is a paragraph, never a credit line
LABEL_FOR_TYPE = {
    "person": "PERSON",
    "organization": "ORG",
    "country": "GPE",
    "bloc": "BLOC",
    "metonym": "GPE",
    "place": "LOC",
    "event": "EVENT",
    "project": "PRODUCT",
}
# Model labels that can name an actor unknown to the gazetteer, and the type they give.
MODEL_TYPES = {"PERSON": "person", "ORG": "organization"}


@dataclass(frozen=True)
class Entry:
    """One row of the gazetteer."""

    name: str
    type: str
    country: str
    role: str
    aliases: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class Role:
    """A role phrase and who held it when."""

    phrase: str
    holder: str
    start: dt.date
    end: dt.date | None


@cache
def gazetteer() -> dict[str, Entry]:
    """Canonical name → entry, from `actors.csv` (first row wins for a repeated name)."""
    entries: dict[str, Entry] = {}
    for order, row in enumerate(read_csv("actors.csv")):
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        entries.setdefault(
            row["name"],
            Entry(row["name"], row["type"], row["country"], row["role"], (row["name"], *aliases), order),
        )
    return entries


@cache
def roles() -> dict[str, tuple[Role, ...]]:
    """Lower-cased role phrase → its holders, from `roles.csv`."""
    table: dict[str, list[Role]] = {}
    for row in read_csv("roles.csv"):
        end = dt.date.fromisoformat(row["to"]) if row["to"] else None
        role = Role(row["phrase"], row["holder"], dt.date.fromisoformat(row["from"]), end)
        table.setdefault(row["phrase"].lower(), []).append(role)
    return {k: tuple(v) for k, v in table.items()}


@cache
def country_possessors() -> frozenset[str]:
    """Nouns that stand for the country named last when they own something ("the country's
    customs authorities"), from `country_possessors.csv`."""
    return frozenset(row["word"].lower() for row in read_csv("country_possessors.csv"))


@cache
def _possessor_pattern() -> re.Pattern:
    """A possessor word owning something ("country's", "nation’s"): a text without one has no
    institution named by its role, and is spared the walk through its noun chunks."""
    words = "|".join(re.escape(word) for word in sorted(country_possessors()))
    return re.compile(rf"\b(?:{words})\s*['\u2019]s\b", re.IGNORECASE)


@cache
def institutions() -> dict[tuple[str, str], str]:
    """(country, lower-cased role) → the one actor of that country with that role in
    `actors.csv` ("China", "customs authority" → China Customs). A role several actors of one
    country share ("state oil company") names none of them."""
    holders: dict[tuple[str, str], list[str]] = {}
    for entry in gazetteer().values():
        if entry.type in ACTOR_TYPES and entry.country and entry.role:
            holders.setdefault((entry.country, entry.role.lower()), []).append(entry.name)
    return {key: names[0] for key, names in holders.items() if len(names) == 1}


@cache
def place_cues() -> dict[str, frozenset[str]]:
    """Prepositions and motion words that make a capital a place, from `place_cues.csv`."""
    kinds: dict[str, set[str]] = {}
    for row in read_csv("place_cues.csv"):
        kinds.setdefault(row["kind"], set()).add(row["word"].lower())
    return {k: frozenset(v) for k, v in kinds.items()}


@cache
def generic_names() -> frozenset[str]:
    """Single words that the model tags as names but that name no one alone ("Secretary of State")."""
    return frozenset(row["word"] for row in read_csv("generic_names.csv"))


@cache
def currency_words() -> frozenset[str]:
    """Words that make the country before them part of a currency's name ("US dollars")."""
    return frozenset(row["word"].lower() for row in read_csv("currency_words.csv"))


def names_currency(span: Span) -> bool:
    """"US" in "136.5 billion US dollars": a country that only names a currency (the next word is
    a currency noun, not a verb: "Britain pounds..." keeps Britain); or a name that is a currency
    ("the Chinese yuan")."""
    if span[-1].lower_ in currency_words():
        return True
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return following is not None and following.lower_ in currency_words() and following.pos_ in ("NOUN", "PROPN")


@cache
def credit_prefixes() -> tuple[tuple[str, ...], ...]:
    """The opening words of a byline or credit line ("By", "Reporting by"), longest first."""
    prefixes = (tuple(row["prefix"].lower().split()) for row in read_csv("credit_lines.csv"))
    return tuple(sorted(prefixes, key=len, reverse=True))


def is_credit_line(sent: Span) -> bool:
    """A byline or credit line ("By Anna Petrova", "Reporting by X; Editing by Y", "Photo:
    Reuters"): it opens with a credit prefix followed by a name and has no verb of its own ("By
    Tuesday, Xi had left" is a sentence). The people and agencies it names made the article or
    its pictures; they are not actors in it."""
    words = [t.lower_ for t in sent[:4]]
    credit_words = {word for prefix in credit_prefixes() for word in prefix}  # "Editing by" further on
    for prefix in credit_prefixes():
        if tuple(words[: len(prefix)]) != prefix:
            continue
        start = len(prefix)
        while start < len(sent) and sent[start].text in (":", "-", "\u2013", "\u2014", "/"):
            start += 1  # "Photo: Reuters"
        if start < len(sent) and sent[start].pos_ == "PROPN":
            rest = sent[start:]
            return not any(t.pos_ in ("VERB", "AUX") and t.lower_ not in credit_words for t in rest)
    return False


def _credit_line_sentences(doc: Doc) -> set[int]:
    """Starts of the sentences on a line that is a credit line as a whole, where the parser cut
    it in two ("Photo:" | "Reuters")."""
    firsts = {prefix[0] for prefix in credit_prefixes()}
    found: set[int] = set()
    at = 0
    for line in doc_text(doc).split("\n"):
        words = line.split(maxsplit=1)
        if words and words[0].rstrip(":").lower() in firsts and len(line) < CREDIT_LINE_MAX_CHARS:
            span = doc.char_span(at, at + len(line), alignment_mode="expand")
            if span is not None and len(span) and is_credit_line(span):
                found.update(sent.start for sent in span.sents)
        at += len(line) + 1
    return found


@cache
def non_actor_heads() -> frozenset[str]:
    """Last words that make an organisation-like name an event or place (…Forum, …Summit)."""
    return frozenset(row["word"] for row in read_csv("non_actor_heads.csv"))


def family_name(entry: Entry) -> str:
    """The token a person is referred to by alone: first for Chinese and Korean names, else last."""
    parts = entry.name.split()
    return parts[0] if entry.country in ("China", "North Korea", "South Korea", "Taiwan") else parts[-1]


@cache
def surname_index() -> dict[str, tuple[str, ...]]:
    """Family name → canonical person names sharing it, in gazetteer order."""
    index: dict[str, list[str]] = {}
    for entry in sorted(gazetteer().values(), key=lambda e: e.order):
        if entry.type == "person" and len(entry.name.split()) > 1:
            index.setdefault(family_name(entry), []).append(entry.name)
    return {k: tuple(v) for k, v in index.items()}


def _apostrophe_variants(alias: str) -> list[str]:
    """The alias with straight and curly apostrophes, so either spelling matches."""
    return sorted({alias, alias.replace("\u2019", "'"), alias.replace("'", "\u2019")})


def gazetteer_patterns(nlp: Language) -> tuple[list[dict], list[dict]]:
    """Phrase patterns for every alias, split in two: single words (matched exactly, so "US" is
    not "us") and longer aliases (matched case-insensitively, either apostrophe)."""
    words, phrases = [], []
    for entry in gazetteer().values():
        label = LABEL_FOR_TYPE.get(entry.type, "MISC")
        for alias in dict.fromkeys(entry.aliases):
            if len(nlp.make_doc(alias)) == 1:
                words.append({"label": label, "pattern": alias, "id": entry.name})
            else:
                phrases.extend({"label": label, "pattern": v, "id": entry.name} for v in _apostrophe_variants(alias))
    return words, phrases


def surname_patterns(nlp: Language) -> list[dict]:
    """One pattern that makes a known family name an entity where the model saw none.

    Only as a proper noun, and never for a family name that is also an English stop word
    ("He" Lifeng must not turn every sentence-initial "He" into a person).
    """
    stop_words = nlp.Defaults.stop_words
    names = sorted(name for name in surname_index() if name.lower() not in stop_words)
    return [{"label": "PERSON", "pattern": [{"ORTH": {"IN": names}, "POS": "PROPN"}]}] if names else []


class GazetteerRuler:
    """The gazetteer as two phrase-matching entity rulers run in turn, both overriding the
    model: exact single words, then case-insensitive longer aliases. Phrase matchers cost the
    same however many aliases there are (token patterns cost one check per pattern and token);
    a longer alias overrides a single word inside it, as one ruler's longest-match rule would."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        words, phrases = gazetteer_patterns(nlp)
        self.words = EntityRuler(nlp, name=f"{name}_words", overwrite_ents=True)
        self.words.add_patterns(words)
        self.phrases = EntityRuler(nlp, name=f"{name}_phrases", overwrite_ents=True, phrase_matcher_attr="LOWER")
        self.phrases.add_patterns(phrases)

    def __call__(self, doc: Doc) -> Doc:
        return self.phrases(self.words(doc))


@Language.factory("actor_gazetteer")
def make_actor_gazetteer(nlp: Language, name: str) -> GazetteerRuler:
    """Entity rulers over the gazetteer; they override the model's entities they overlap."""
    return GazetteerRuler(nlp, name)


@Language.factory("actor_surnames")
def make_actor_surnames(nlp: Language, name: str) -> EntityRuler:
    """Entity ruler for bare family names; only fills gaps the model and gazetteer left."""
    ruler = EntityRuler(nlp, name=name, overwrite_ents=False)
    ruler.add_patterns(surname_patterns(nlp))
    return ruler


def add_to_pipeline(nlp: Language) -> Language:
    """Add the gazetteer, the surname ruler and the role ruler after the model's NER."""
    nlp.add_pipe("actor_gazetteer", after="ner")
    nlp.add_pipe("actor_surnames", after="actor_gazetteer")
    role_ruler = nlp.add_pipe(
        "span_ruler",
        name="actor_roles",
        after="actor_surnames",
        config={"spans_key": "actor_roles", "phrase_matcher_attr": "LOWER"},
    )
    role_ruler.add_patterns([{"label": "ROLE", "pattern": p} for p in roles()])
    return nlp


# --- resolution ------------------------------------------------------------------------------


def governing_token(span: Span) -> Token:
    """The span's root, climbing coordination ("China and Russia" → the first conjunct)."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def used_as_actor(span: Span) -> bool:
    """Whether a place name stands for its government ("Beijing said") rather than a place.

    Places: objects of locative prepositions ("in Beijing"), destinations of motion ("a trip to
    Beijing"), and modifiers inside a name ("the Beijing summit"). Everything else — subjects,
    possessives, objects — is the government.
    """
    token = governing_token(span)
    cues = place_cues()
    if token.dep_ == "compound":
        return False
    if token.dep_ == "pobj":
        preposition = token.head
        word = preposition.lower_
        if word in cues.get("preposition", ()):
            return False
        if word == "to" and preposition.head.lemma_.lower() in cues.get("motion", ()):
            return False
    return True


def normalise_name(text: str) -> str:
    """A readable canonical form for an unknown name: no leading "the", no possessive, one space."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"[\u2019']s$", "", text).strip()
    text = re.sub(r"^(the|The)\s+", "", text)
    return text.strip(" ,.;:\u2019'\"")


def _bare(span: Span) -> str:
    """Span text without a trailing possessive."""
    return normalise_name(span.text)


def _role_holder(phrase: str, published: dt.date | None) -> str | None:
    holders = roles().get(phrase.lower(), ())
    if published is None:
        current = [r for r in holders if r.end is None]
        return current[0].holder if len(current) == 1 else None
    for role in holders:
        if role.start <= published and (role.end is None or published <= role.end):
            return role.holder
    return None


class _Resolver:
    """Walks an article's entities in order, remembering recent full person mentions."""

    def __init__(self) -> None:
        self.recent: dict[str, str] = {}  # name token → canonical person, most recent wins

    def remember(self, canonical: str) -> None:
        parts = canonical.split()
        if len(parts) > 1:
            for part in (parts[0], parts[-1]):
                self.recent[part] = canonical

    def surname(self, text: str) -> str | None:
        if text in self.recent:
            return self.recent[text]
        known = surname_index().get(text)
        return known[0] if known else None

    def resolve(self, ent: Span) -> tuple[str, str, str, bool] | None:
        """(actor, actor_type, how, known) for an entity, or None when it is not an actor."""
        entries = gazetteer()
        entry = entries.get(ent.ent_id_) if ent.ent_id_ else None
        if entry is not None:
            if entry.type in ACTOR_TYPES:
                return entry.name, entry.type, "gazetteer", True
            if entry.type == "metonym" and used_as_actor(ent):
                stands_for = entries.get(entry.country)
                kind = stands_for.type if stands_for else "country"
                return entry.country, kind, "metonymy", stands_for is not None
            return None
        bare = _bare(ent)
        if " " not in bare and ent.label_ in ("PERSON", "ORG", "GPE", "NORP") and ent.root.pos_ == "PROPN":
            person = self.surname(bare)
            if person is not None:
                return person, "person", "surname", person in entries
        actor_type = MODEL_TYPES.get(ent.label_)
        if actor_type is None or not bare or not bare[0].isupper() or any(ch.isdigit() for ch in bare):
            return None  # a name the model guessed with a digit in it is an amount or a code ("Rbs 600bn")
        if bare.split()[-1] in non_actor_heads() or bare in generic_names():
            return None
        return bare, actor_type, "model", False


def extract_actors(doc: Doc, article_id: str, published: dt.date | None = None) -> pd.DataFrame:
    """One row per actor mention in `doc` (schema `actors`), canonical names resolved."""
    return from_rows(actor_rows(doc, article_id, published), "actors")


def actor_rows(doc: Doc, article_id: str, published: dt.date | None = None) -> list[dict]:
    """`extract_actors` as row dicts, in text order."""
    resolver = _Resolver()
    rows = []
    credits = {sent.start for sent in doc.sents if is_credit_line(sent)} | _credit_line_sentences(doc)
    for ent in _joined_names(doc):
        if ent.sent.start in credits:
            continue
        resolved = None if names_currency(ent) else resolver.resolve(ent)
        if resolved is None:
            continue
        actor, actor_type, how, known = resolved
        if actor_type == "person":
            resolver.remember(actor)
        rows.append(_row(article_id, ent, actor, actor_type, how, known))
    rows.extend(_name_part_rows(doc, article_id, rows, credits))
    rows.extend(_role_rows(doc, article_id, published, rows))
    rows.extend(_institution_rows(doc, article_id, rows))
    return sorted(rows, key=lambda row: row["start"])


def _joined_names(doc: Doc) -> list[Span]:
    """The document's entities, with a person's name the model split in two joined again ("Yury"
    ORG + "Ushakov" PERSON → one person): a model entity of one word that modifies the person
    entity right after it. Gazetteer entities are never joined."""
    ents = list(doc.ents)
    out: list[Span] = []
    i = 0
    while i < len(ents):
        ent, after = ents[i], ents[i + 1] if i + 1 < len(ents) else None
        if after is not None and after.start == ent.end and after.label_ == "PERSON" and len(ent) == 1 \
                and not ent.ent_id_ and not after.ent_id_ and ent.root.dep_ == "compound" \
                and ent.root.head.i in range(after.start, after.end):
            out.append(Span(doc, ent.start, after.end, label="PERSON"))
            i += 2
            continue
        out.append(ent)
        i += 1
    return out


def _name_part_rows(doc: Doc, article_id: str, found: list[dict], credits: set[int]) -> list[dict]:
    """Rows for a bare surname or first name the model left untagged or mislabelled ("Tester
    said" after "Jon Tester"; "Trump" read as a title after a quote): a proper noun, in no actor
    mention, that is the first or last word of a person named in full before it; the most
    recent such person wins."""
    people = sorted((row["start"], row["actor"]) for row in found if row["actor_type"] == "person")
    parts = {part for _, name in people if " " in name for part in (name.split()[0], name.split()[-1])}
    if not parts:
        return []
    taken = [(row["start"], row["end"]) for row in found]
    wanted = {doc.vocab.strings[part] for part in parts}  # hashes: only matching tokens become Token objects
    rows = []
    for i, orth in enumerate(doc.to_array(ORTH).tolist()):
        if orth not in wanted:
            continue
        token = doc[i]
        if token.pos_ != "PROPN" or token.is_stop or token.sent.start in credits:
            continue
        if token.ent_id_ or any(start <= token.idx < end for start, end in taken):
            continue  # already an actor, or a known non-actor
        if token.i > 0 and doc[token.i - 1].pos_ == "PROPN" or token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN":
            continue  # part of a longer name the model did not tag ("Tester Smith")
        named = [name for start, name in people if start < token.idx and token.text in (name.split()[0], name.split()[-1])]
        if named:
            known = named[-1] in gazetteer()
            rows.append(_row(article_id, doc[token.i : token.i + 1], named[-1], "person", "surname", known))
    return rows


def _role_rows(doc: Doc, article_id: str, published: dt.date | None, found: list[dict] = ()) -> list[dict]:
    """Rows for role phrases used alone ("the Russian leader"), not as a title before a name.
    A role given as the title of a person named in the article ("Chinese Foreign Minister Qin
    Gang") stays that person's in the article: the role alone later names them, whoever
    `roles.csv` gives for the date."""
    people = {row["start"]: row["actor"] for row in found if row["actor_type"] == "person"}
    titled: dict[str, str] = {}
    rows = []
    for span in doc.spans.get("actor_roles", []):
        following = doc[span.end] if span.end < len(doc) else None
        if following is not None and (following.ent_type_ or following.pos_ == "PROPN"):
            if following.idx in people:
                titled[span.text.lower()] = people[following.idx]
            continue
        if any(ent.start < span.end and span.start < ent.end and ent.label_ != "NORP" for ent in doc.ents):
            continue  # the phrase is part of a name ("Russian Prime Minister Mikhail Mishustin")
        holder = titled.get(span.text.lower()) or _role_holder(span.text, published)
        if holder is None:
            continue
        entry = gazetteer().get(holder)
        rows.append(_row(article_id, span, holder, entry.type if entry else "person", "role", entry is not None))
    return rows


def _institution_rows(doc: Doc, article_id: str, found: list[dict]) -> list[dict]:
    """Rows for a country's institution named by its role ("the country's customs authorities"
    → China Customs after "China"): the country is the last one named before it, in its own
    sentence or the one before; the role must be that of exactly one actor of that country."""
    countries = sorted((row["start"], row["actor"]) for row in found if row["actor_type"] == "country")
    rows = []
    if not countries or not _possessor_pattern().search(doc_text(doc)):
        return rows
    for chunk in doc.noun_chunks:
        owner = next((t for t in chunk.root.children if t.dep_ == "poss"), None)
        if owner is None or owner.lower_ not in country_possessors() or owner.i + 2 > chunk.root.i:
            continue
        the = next((t for t in owner.children if t.dep_ == "det" and t.lower_ == "the"), None)
        if the is None or doc[owner.i + 1].tag_ != "POS" or chunk.root.ent_type_:
            continue  # "a country's ..." (no country in particular), or a name
        role = [t.lower_ for t in doc[owner.i + 2 : chunk.root.i]] + [chunk.root.lemma_.lower()]
        sentence = owner.sent
        earliest = doc[sentence.start - 1].sent.start_char if sentence.start > 0 else sentence.start_char
        named = [actor for start, actor in countries if earliest <= start < owner.idx]
        actor = institutions().get((named[-1], " ".join(role))) if named else None
        if actor is not None:
            span = doc[the.i : chunk.root.i + 1]  # "the country's customs authorities"
            rows.append(_row(article_id, span, actor, gazetteer()[actor].type, "institution", True))
    return rows


def _row(article_id: str, span: Span, actor: str, actor_type: str, how: str, known: bool) -> dict:
    return {
        "article_id": article_id,
        "actor": actor,
        "actor_type": actor_type,
        "surface": span.text,
        "start": span.start_char,
        "end": span.end_char,
        "known": known,
        "how": how,
        "sent_start": span.sent.start_char,
        "sent_end": span.sent.end_char,
    }
