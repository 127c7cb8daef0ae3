"""Quotations: every span inside quotation marks, who said it, to whom, and how.

Two steps:

* `find_quote_spans` scans the raw text paragraph by paragraph for double quotation marks
  (curly “ ”, straight ", guillemets « ») and top-level single curly quotes ‘ ’. Apostrophes
  (Russia’s) are never quote marks. Unbalanced marks never crash or swallow the article: a quote
  that is never closed stops at the end of its paragraph, a new opening mark inside an open
  quote ends the previous one.
* `extract_quotes` attributes each span from the dependency parse: the reporting verb that
  governs the quote or sits beside it ("X said", "said X", "X told Y", "according to X"), the
  verb's subject resolved through the article's actors frame (so surnames and role phrases
  give canonical names), pronouns resolved to the most recent fitting actor, documents and
  institutions ("In the communique", "the resolution called for") from `quotes_sources.csv`,
  a standalone quote paragraph continuing the previous speaker (also across paragraphs of one
  quote), a dash signature after the quote ("— Vladimir Putin"), a clause ending in a colon
  before it, or a cue opening the sentence after it.
* `quote_kind` and `is_term` tell statements (`full`) from phrases someone said (`fragment`)
  and names or terms in quote marks (`term`: "Victory Day", the "no limits" partnership), which
  have no speaker.

Reporting verbs and the words that introduce a term live in `data/quotes_cues.csv`,
document/institution/role words in
`data/quotes_sources.csv`, pronouns and the actor types they refer to in `data/quotes_pronouns.csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token

from lib.contract.datafiles import read_csv
from lib.contract.schema import from_rows, missing, records
from lib.extract.actors import gazetteer
from lib.nlp.pipeline import doc_text

DOUBLE_OPEN = frozenset("\u201c\u00ab\u201e")  # “ « „
DOUBLE_CLOSE = frozenset("\u201d\u00bb")  # ” »
STRAIGHT = '"'
SINGLE_OPEN, SINGLE_CLOSE = "\u2018", "\u2019"  # ‘ ’
APOSTROPHE = "'"  # also a single quote mark where it opens before a word and closes after one
SINGLE_MARKS = re.compile(f"[{SINGLE_OPEN}{SINGLE_CLOSE}{APOSTROPHE}]")
QUOTE_MARKS = DOUBLE_OPEN | DOUBLE_CLOSE | {STRAIGHT, SINGLE_OPEN, SINGLE_CLOSE, "'"}

FRAGMENT_MAX_WORDS = 3  # a quote this short is a phrase, never a statement
TITLE_MAX_WORDS = 8  # a short quote with every word capitalised reads as a title
UNCLOSED_MAX_SENTENCES = 3  # an unclosed quote longer than this stops at its first sentence
TAIL_CUE_TOKENS = 8  # a cue split off after a quote sits within the next sentence's first words
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
SUBJECT_CLIMB_DEPS = ("conj", "advcl", "xcomp", "pcomp")  # clauses sharing their head's subject
RELATIVE_WORDS = frozenset({"who", "which", "that", "whom"})
PLACE_PREPOSITIONS = frozenset({"in", "under", "within"})  # "In the communique, ..."
NUMBER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})  # never a speaker


# --- data files --------------------------------------------------------------------------------


@cache
def cues() -> dict[str, dict[str, str]]:
    """Cue lemma → its row (`kind`: speech / preposition / author / term; `takes`: addressee, name
    (the verb gives a name in its own words: "called it “X”") or empty)."""
    return {row["cue"].lower(): row for row in read_csv("quotes_cues.csv")}


@cache
def speech_verbs() -> frozenset[str]:
    return frozenset(c for c, row in cues().items() if row["kind"] == "speech")


@cache
def term_words() -> tuple[str, ...]:
    """Words that introduce a name or term rather than someone's words ("the so-called", "the
    slogan", "known as"): rows of kind `term`."""
    return tuple(c for c, row in cues().items() if row["kind"] == "term")


@cache
def author_verbs() -> frozenset[str]:
    """Verbs whose subject authors their object ("Beijing released a document")."""
    return frozenset(c for c, row in cues().items() if row["kind"] == "author")


@cache
def sources() -> dict[str, str]:
    """Head word → `document` / `institution` / `role`: nouns that can speak without being actors."""
    return {row["word"].lower(): row["type"] for row in read_csv("quotes_sources.csv")}


@cache
def pronouns() -> dict[str, frozenset[str]]:
    """Pronoun → actor types it can refer to."""
    return {
        row["pronoun"].lower(): frozenset(t for t in row["actor_types"].split("|") if t)
        for row in read_csv("quotes_pronouns.csv")
    }


# --- finding the spans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteSpan:
    """Offsets of the text inside one pair of marks; `closed` is False for a never-closed quote."""

    start: int
    end: int
    closed: bool = True


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line of `text`."""
    out, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _trimmed(text: str, start: int, end: int, closed: bool) -> QuoteSpan | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(ch.isalnum() for ch in text[start:end]):
        return None
    return QuoteSpan(start, end, closed)


def _opens_here(text: str, i: int, lo: int, hi: int) -> bool:
    """A straight or single mark that starts a quote: after a space or bracket, before a word."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return (before.isspace() or before in "([{\u2014-") and not after.isspace()


def _closes_here(text: str, i: int, lo: int, hi: int) -> bool:
    """A mark that ends a quote: after a non-space, before a space, punctuation or the end."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return not before.isspace() and not after.isalnum()


def _scan_double(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    opened: int | None = None
    for i in range(lo, hi):
        ch = text[i]
        if ch == STRAIGHT:
            if opened is None:
                opened = i
            elif _opens_here(text, i, lo, hi) and not _closes_here(text, i, lo, hi):
                spans.append(_trimmed(text, opened + 1, i, False))
                opened = i
            else:
                spans.append(_trimmed(text, opened + 1, i, True))
                opened = None
        elif ch in DOUBLE_OPEN:
            if opened is not None:  # the previous quote was never closed
                spans.append(_trimmed(text, opened + 1, i, False))
            opened = i
        elif ch in DOUBLE_CLOSE and opened is not None:
            spans.append(_trimmed(text, opened + 1, i, True))
            opened = None
    if opened is not None:
        spans.append(_trimmed(text, opened + 1, hi, False))
    return [s for s in spans if s is not None]


def _scan_single(text: str, lo: int, hi: int, taken: list[QuoteSpan]) -> list[QuoteSpan]:
    """Top-level ‘…’ and '…' quotes outside double quotes. A ’ or ' closes only at a word's end,
    and a ' opens only before a letter: in "Xi's" or "the '90s" it is an apostrophe, and so may
    be the ' of a plural possessive (`_plural_possessive`)."""
    spans: list[QuoteSpan] = []
    opened: int | None = None
    for mark in SINGLE_MARKS.finditer(text, lo, hi):  # only the marks matter, not every character
        i = mark.start()
        if any(s.start - 1 <= i <= s.end or (opened is not None and opened < s.start - 1 < i) for s in taken):
            opened = None  # inside, or past, a double-quoted span
            continue
        ch = text[i]
        if opened is None and (ch == SINGLE_OPEN or (ch == APOSTROPHE and _opens_before_letter(text, i, hi))):
            if _opens_here(text, i, lo, hi):
                opened = i
        elif (ch == SINGLE_CLOSE or (ch == APOSTROPHE and not _plural_possessive(text, i, lo, hi))) and \
                opened is not None and _closes_here(text, i, lo, hi):
            span = _trimmed(text, opened + 1, i, True)
            if span is not None:
                spans.append(span)
            opened = None
    return spans  # a ‘ never closed is dropped: too easily a stray mark


def _opens_before_letter(text: str, i: int, hi: int) -> bool:
    return i + 1 < hi and text[i + 1].isalpha()


def _plural_possessive(text: str, i: int, lo: int, hi: int) -> bool:
    """"'Both countries' interests are aligned,' he said": a ' after an s and before a word in
    lower case, when a later ' in the paragraph can close the quote instead ("seals 'no
    limits' friendship" has none: that one closes)."""
    if text[i - 1 : i] != "s" or text[i + 1 : i + 2] != " " or not text[i + 2 : i + 3].islower():
        return False
    return any(text[j] == APOSTROPHE and _closes_here(text, j, lo, hi) for j in range(i + 1, hi))


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted span of `text`, in order, scanned one paragraph at a time."""
    spans: list[QuoteSpan] = []
    for lo, hi in paragraphs(text):
        double = _scan_double(text, lo, hi)
        spans.extend(double)
        spans.extend(_scan_single(text, lo, hi, double))
    return sorted(spans, key=lambda s: s.start)


# --- the article's context -------------------------------------------------------------------------


@dataclass
class Context:
    """What attribution needs about one article: actors by token, quote tokens, earlier quotes."""

    doc: Doc
    actor_at: dict[int, tuple[str, str]]  # token index → (actor, actor_type)
    quoted: set[int]  # token indices inside quotes or quote marks
    rows: list[dict] = field(default_factory=list)  # quotes attributed so far, in order

    def actor(self, token: Token) -> tuple[str, str] | None:
        return self.actor_at.get(token.i)

    def quote_covering(self, token: Token) -> dict | None:
        for row in self.rows:
            if row["start"] <= token.idx < row["end"]:
                return row
        return None


def _actor_index(doc: Doc, actors: pd.DataFrame) -> dict[int, tuple[str, str]]:
    """Token index → (actor, actor_type); where mentions overlap, the longest wins."""
    index: dict[int, tuple[str, str]] = {}
    rows = [r for r in records(actors) if not (missing(r["actor"]) or missing(r["start"]) or missing(r["end"]))]
    mentions = [(int(r["start"]), int(r["end"]), r["actor"], r["actor_type"]) for r in rows]
    for start, end, actor, actor_type in sorted(mentions, key=lambda m: m[0] - m[1]):  # longest first, stable
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            index.setdefault(token.i, (str(actor), str(actor_type)))
    return index


def _quoted_tokens(doc: Doc, spans: list[QuoteSpan]) -> set[int]:
    marks = {doc.vocab.strings[mark] for mark in QUOTE_MARKS if mark != "'"}  # hashes, not Token objects
    quoted = {i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in marks}
    for span in spans:
        tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is not None:
            quoted.update(range(tokens.start, tokens.end))
    return quoted


# --- resolving a noun phrase to a speaker -----------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    name: str | None
    how: str  # actor / pronoun / document / institution / role / quote / none


NOBODY = Speaker(None, "none")


def phrase(token: Token) -> str:
    """The noun phrase up to its head, without determiners: "the joint communique" → "joint communique"."""
    left = [t for t in token.subtree if t.i <= token.i]
    while left and (left[0].dep_ in ("det", "predet", "punct") or left[0].i < token.left_edge.i):
        left = left[1:]
    if not left:
        return token.text
    return token.doc[left[0].i : token.i + 1].text


def subject_of(verb: Token, quoted: set[int] | frozenset[int] = frozenset()) -> Token | None:
    """The verb's subject; clauses without one borrow their head's ("X met Y, saying ...").
    Tokens in `quoted` are never the subject of a verb outside the quote (the parser may hang
    "“My view, ...,” the envoy said" on "said" twice)."""
    for _ in range(8):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and (c.i not in quoted or verb.i in quoted)]
        if subjects:
            return subjects[0]
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            return agents[0]
        fronted = _subject_of_inserted_participle(verb)
        if fronted is not None:
            return fronted
        if verb.dep_ in ("acl", "relcl"):
            return verb.head
        quoted_as = [c for c in verb.head.children if c.dep_ == "dobj"] if verb.head.lemma_ == "quote" else []
        if quoted_as and verb.pos_ == "ADP":  # "quoted Putin as saying"
            return quoted_as[0]
        climbs = verb.dep_ in SUBJECT_CLIMB_DEPS or verb.pos_ == "ADP"
        if not climbs or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _subject_of_inserted_participle(verb: Token) -> Token | None:
    """"Mao Ning, asked about the pipeline, said: ..." — the parser may hang the subject on the
    clause set off by commas between it and the verb (read as "Mao Ning asked ..."). A clause of
    that shape (no "when"/"as"/"after", a comma right before its own verb) lends its subject to
    the verb."""
    doc = verb.doc
    for clause in verb.lefts:
        if clause.dep_ not in ("advcl", "ccomp") or any(c.dep_ == "mark" for c in clause.children):
            continue
        for subject in clause.lefts:
            if subject.dep_ in SUBJECT_DEPS and doc[clause.i - 1].text == "," and subject.i < clause.i - 1:
                return subject
    return None


def resolve(ctx: Context, token: Token, allow_phrase: bool = True) -> Speaker:
    """The speaker a noun phrase stands for, or NOBODY."""
    lower = token.lower_
    if lower in RELATIVE_WORDS and token.head.dep_ == "relcl":
        token = token.head.head
        lower = token.lower_
    if token.pos_ == "PRON" and lower in pronouns():
        return resolve_pronoun(ctx, token, pronouns()[lower])
    found = ctx.actor(token)
    if found is not None:
        return Speaker(found[0], "actor")
    for child in token.children:
        if child.dep_ == "appos":
            named = resolve(ctx, child, allow_phrase=False)
            if named.name:
                return named
    named = resolve_named_before(ctx, token)
    if named.name:
        return named
    earlier = ctx.quote_covering(token)
    if earlier is not None and earlier["speaker"]:
        return Speaker(earlier["speaker"], "quote")
    kind = sources().get(token.lemma_.lower()) or sources().get(lower)
    if kind == "document":
        return resolve_document(ctx, token)
    if not allow_phrase:
        return NOBODY
    if kind and " " in phrase(token):  # "the ministry" alone names nobody
        return Speaker(phrase(token), kind)
    if token.pos_ == "PROPN" and token.ent_type_ not in NUMBER_LABELS and not token.ent_id_:  # no known non-actor
        return Speaker(proper_name(token), "name")
    if token.pos_ == "NOUN" and _described(token):
        return Speaker(phrase(token), "description")
    return NOBODY


def proper_name(token: Token) -> str:
    """A name the actors table does not know ("PolitiFact said", "Zero Hedge asked"): the
    proper nouns that make up its phrase."""
    doc, start = token.doc, token.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == token.i \
            and doc[start - 1].dep_ in ("compound", "flat"):
        start -= 1
    return doc[start : token.i + 1].text


def _described(token: Token) -> bool:
    """A noun subject that says who spoke ("the ad's narrator", "the New York businessman",
    "my father"): it has a possessive or a modifier before it; a bare "a diplomat" does not."""
    return any(c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < token.i for c in token.children)


def resolve_document(ctx: Context, token: Token) -> Speaker:
    """A document speaks for its author when one is named ("Xi's letter", "Beijing issued a paper")."""
    for child in token.children:
        if child.dep_ in ("poss", "compound") and ctx.actor(child):  # "Xi's letter", "the IMF report"
            return Speaker(ctx.actor(child)[0], "actor")
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in author_verbs():
        author = subject_of(head)
        if author is not None and author.i != token.i:
            found = ctx.actor(author)
            if found is not None:
                return Speaker(found[0], "actor")
    return Speaker(phrase(token), "document")


def resolve_named_before(ctx: Context, token: Token) -> Speaker:
    """"the ministry said", after "the Russian Foreign Ministry": "the" and a bare noun stand for
    the last actor named before whose name or role holds that noun — an organisation's name or
    role (`actors.csv`), a person's role in the gazetteer or given beside the name ("Kremlin
    spokesman Dmitry Peskov", "Peskov, the spokesman"). A noun with modifiers ("the Chinese
    ministry") describes rather than refers back."""
    if token.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return NOBODY
    if any(c.dep_ in ("amod", "compound", "poss", "nmod", "prep") for c in token.children):
        return NOBODY
    noun = token.lemma_.lower()
    for i in range(token.i - 1, -1, -1):
        found = ctx.actor_at.get(i)
        if found is None or found[1] not in ("organization", "person"):
            continue
        entry = gazetteer().get(found[0])
        if entry is not None and noun in entry.role.lower().split():
            return Speaker(found[0], "actor")
        if found[1] == "organization" and noun in found[0].lower().split():
            return Speaker(found[0], "actor")
        if found[1] == "person" and i not in ctx.quoted and noun in _titles_beside(ctx, ctx.doc[i]):
            return Speaker(found[0], "actor")
    return NOBODY


def _titles_beside(ctx: Context, token: Token) -> set[str]:
    """Lower-cased lemmas of the title words given with a person's name: before it ("Mayor Bill
    de Blasio", "Kremlin spokesman Dmitry Peskov") or in apposition ("Peskov, the spokesman";
    "the spokesman, Dmitry Peskov")."""
    actor = ctx.actor(token)
    while token.head.i != token.i and ctx.actor(token.head) == actor:
        token = token.head
    words = [c for c in token.children if c.dep_ in ("compound", "appos") and ctx.actor(c) != actor]
    if token.dep_ == "appos":
        words.append(token.head)
    return {t.lemma_.lower() for w in words for t in w.subtree if t.pos_ in ("NOUN", "PROPN")}


def is_subject(token: Token) -> bool:
    """Whether a mention is (part of) a clause subject: "Li", "Premier Li", "Li and Xi"."""
    while token.dep_ in ("compound", "flat", "conj", "appos") and token.head.i != token.i:
        token = token.head
    return token.dep_ in SUBJECT_DEPS


def resolve_pronoun(ctx: Context, token: Token, types: frozenset[str]) -> Speaker:
    """The most recent fitting actor before the pronoun: a subject or an earlier quote's speaker."""
    best: tuple[int, str] | None = None
    fallback: tuple[int, str] | None = None
    for i in range(token.i - 1, -1, -1):
        found = ctx.actor_at.get(i)
        if found is None or i in ctx.quoted or found[1] not in types:
            continue
        if fallback is None:
            fallback = (ctx.doc[i].idx, found[0])
        if is_subject(ctx.doc[i]):
            best = (ctx.doc[i].idx, found[0])
            break
    for row in ctx.rows:
        fits = row["speaker"] and row["speaker_type"] in types and row["start"] < token.idx
        if fits and (best is None or row["start"] > best[0]):
            best = (row["start"], row["speaker"])
    chosen = best or fallback
    return Speaker(chosen[1], "pronoun") if chosen else NOBODY


# --- finding the cue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    token: Token
    lemma: str  # the verb lemma, or "according to"
    target: Token | None = None  # the object of "according to"


def as_cue(ctx: Context, token: Token) -> Cue | None:
    """A reporting verb or an "according to X" outside any quote."""
    if token.i in ctx.quoted:
        return None
    lemma = token.lemma_.lower()
    if lemma in speech_verbs() and token.pos_ in ("VERB", "AUX"):
        return Cue(token, lemma)
    if token.lower_ == "according":
        for to in token.children:
            objects = [c for c in to.children if c.dep_ == "pobj"] if to.lower_ == "to" else []
            if objects:
                return Cue(token, "according to", objects[0])
    return None


def quote_tops(tokens: Span) -> list[Token]:
    """Tokens of the quote whose head lies outside it (or that are roots)."""
    inside = range(tokens.start, tokens.end)
    return [t for t in tokens if t.head.i not in inside or t.head.i == t.i]


def cue_on_path(ctx: Context, tokens: Span) -> Cue | None:
    """The nearest cue governing the quote, or attached to a clause that governs it ("..., Xi said").

    "according to a readout" only names where the words were recorded: a speaking verb further
    up ("Wang said Beijing 'firmly supports' ..., according to a readout") names who said them."""
    inside = range(tokens.start, tokens.end)
    level = quote_tops(tokens)
    seen: set[int] = set(inside)
    record: Cue | None = None
    while level:
        nearby = [token for token in level if token.i not in inside]
        nearby += [child for token in level for child in token.children
                   if child.i not in seen and child.dep_ in ("parataxis", "prep", "ccomp", "advcl")]
        for token in nearby:
            cue = as_cue(ctx, token)
            if cue is not None and _names_a_record(cue):
                record = record or cue
            elif cue is not None:
                return cue
        seen.update(t.i for t in level)
        level = [t.head for t in level if t.head.i != t.i and t.head.i not in seen]
    return record


def _names_a_record(cue: Cue) -> bool:
    """"according to a readout / the statement": a document, not a speaker."""
    return cue.target is not None and sources().get(cue.target.lemma_.lower()) == "document"


def nearest_cue(ctx: Context, tokens: Span, sentences: list[Span]) -> Cue | None:
    """The cue closest to the quote anywhere in its sentences."""
    found = []
    for sent in sentences:
        for token in sent:
            cue = as_cue(ctx, token)
            if cue is not None:
                distance = min(abs(token.i - tokens.start), abs(token.i - tokens.end))
                found.append((distance, token.i, cue))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def tail_cue(ctx: Context, tokens: Span, sentence: Span) -> Cue | None:
    """A cue the parser split off into the next sentence: “Why not?” | Putin asked."""
    after = next_sentence(ctx.doc, sentence)
    if after is None or not sentence.text.rstrip().endswith(tuple(QUOTE_MARKS)):
        return None
    gap = doc_text(ctx.doc)[tokens.end_char : after.start_char]
    if "\n" in gap or any(ch.isalnum() for ch in gap):
        return None
    opening = ctx.doc[after.start : min(after.end, after.start + TAIL_CUE_TOKENS)]
    return next((cue for t in opening if (cue := as_cue(ctx, t)) is not None and not cue.target), None)


def speaker_of_cue(ctx: Context, cue: Cue) -> Speaker:
    """Who the cue names as the source: its subject, the object of "according to", or its document."""
    if cue.target is not None:
        return resolve(ctx, cue.target)
    shown = _person_before_participle(ctx, cue.token)
    if shown is not None:
        return shown
    subject = subject_of(cue.token, ctx.quoted)
    speaker = resolve(ctx, subject) if subject is not None else NOBODY
    if speaker.name is None:
        return document_reference(ctx, list(cue.token.children)) or speaker
    return speaker


def _person_before_participle(ctx: Context, verb: Token) -> Speaker | None:
    """"footage of Xi saying ...", "a video shows Putin telling ...": a speaking -ing form right
    after a person's name (no comma between) is that person's; the clause's subject only shows it."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return None
    found = ctx.actor(verb.doc[verb.i - 1])
    return Speaker(found[0], "actor") if found is not None and found[1] == "person" else None


def document_reference(ctx: Context, tokens: list[Token]) -> Speaker | None:
    """A source named by a place-like preposition: "In the communique, ..." → the communique."""
    for token in tokens:
        if token.dep_ == "prep" and token.lower_ in PLACE_PREPOSITIONS:
            for obj in token.children:
                kind = sources().get(obj.lemma_.lower())
                if obj.dep_ == "pobj" and kind == "document":
                    return resolve_document(ctx, obj)
    return None


def addressee_of(ctx: Context, cue: Cue) -> str | None:
    """Whom the speaker addressed: "told Y", "stressed to Y" — canonical if an actor, else the phrase."""
    if cue.target is not None:
        return None
    takes_object = cues().get(cue.lemma, {}).get("takes") == "addressee"
    for child in cue.token.children:
        if child.i in ctx.quoted:
            continue
        if child.dep_ in ("dative", "iobj") or (takes_object and child.dep_ == "dobj"):
            return _name_or_phrase(ctx, child)
        if child.dep_ == "prep" and child.lower_ == "to":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return _name_or_phrase(ctx, objects[0])
    return None


def _name_or_phrase(ctx: Context, token: Token) -> str:
    found = ctx.actor(token) or next(
        (ctx.actor(c) for c in token.children if c.dep_ == "compound" and ctx.actor(c)), None
    )
    return found[0] if found else phrase(token)


# --- kind, sentences, continuation ---------------------------------------------------------------------


def quote_kind(tokens: Span) -> str:
    """`full` for a statement (it has a verb), `fragment` for a phrase, a title or a scare quote."""
    words = [t for t in tokens if t.is_alpha]
    inside = range(tokens.start, tokens.end)
    clause = any(t.dep_ in SUBJECT_DEPS and t.head.i in inside and t.head.pos_ in ("VERB", "AUX") for t in tokens)
    if len(words) <= FRAGMENT_MAX_WORDS and not clause:
        return "fragment"
    if len(words) <= TITLE_MAX_WORDS and all(w.is_title for w in words if len(w) > 3):
        return "fragment"
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")]
    return "full" if verbs else "fragment"


TERM_BEFORE_CHARS = 40  # how far back a word introducing a term ("the so-called") is looked for


def is_term(ctx: Context, tokens: Span) -> bool:
    """A name or term in quote marks, not words someone said: it follows a word that introduces
    a term ("the so-called", "known as"), modifies a noun after it ("the “no limits”
    partnership", but not a name: "his “dear friend” Putin"), or is a short name in capitals
    ("Victory Day") in the middle of a sentence. Anything ending in punctuation is speech."""
    text = doc_text(ctx.doc)
    if text[tokens.end_char - 1 : tokens.end_char] in ",.!?;:":
        return False
    before = text[max(0, tokens.start_char - TERM_BEFORE_CHARS) : tokens.start_char].rstrip(" \u201c\u00ab\u201e\"'\u2018").lower()
    if any(before.endswith(word) and not before[-len(word) - 1 : -len(word)].isalpha() for word in term_words()):
        return True
    tops = quote_tops(tokens)
    if len(tops) == 1 and tops[0].dep_ in ("compound", "amod", "nmod") and tops[0].head.i >= tokens.end \
            and tops[0].head.pos_ == "NOUN":
        return True
    words = [t for t in tokens if t.is_alpha]
    opens_sentence = all(t.is_punct or t.is_space for t in ctx.doc[tokens.sent.start : tokens.start])
    said = any(_names_with(ctx, top.head) or (top.dep_ == "appos" and _names_with(ctx, top.head.head)) for top in tops)
    return bool(words) and len(words) <= TITLE_MAX_WORDS and not opens_sentence and not said \
        and words[0].is_title and all(w.is_title for w in words if len(w) > 3)


def _names_with(ctx: Context, verb: Token) -> bool:
    """Whether a verb gives a name in its own words ("called her “Miss Sanctions”", "called the
    plan “Total Nonsense”"): a cue whose `takes` is `name` in `quotes_cues.csv`."""
    cue = as_cue(ctx, verb)
    return cue is not None and cues().get(cue.lemma, {}).get("takes") == "name"


def sentences_of(tokens: Span) -> list[Span]:
    first, last = tokens[0].sent, tokens[-1].sent
    doc = tokens.doc
    return [s for s in doc.sents if first.start <= s.start and s.end <= last.end]


def previous_sentence(doc: Doc, sentence: Span) -> Span | None:
    if sentence.start == 0:
        return None
    return doc[sentence.start - 1].sent


def next_sentence(doc: Doc, sentence: Span) -> Span | None:
    return doc[sentence.end].sent if sentence.end < len(doc) else None


def is_standalone(ctx: Context, sentences: list[Span]) -> bool:
    """Whether the quote's sentences say nothing but quotes (no attribution of their own)."""
    return all(t.i in ctx.quoted or t.is_punct or t.is_space for s in sentences for t in s)


def continued_speaker(ctx: Context, sentence: Span) -> tuple[Speaker, str | None]:
    """A quote with no attribution continues the previous sentence's quote or speaker — also a
    quote running over paragraphs, whose earlier part began sentences before — else is named
    by a document or a speaker in the sentence right after it, or by a clause ending in a colon."""
    before = previous_sentence(ctx.doc, sentence)
    if before is not None:
        for row in reversed(ctx.rows):
            if row["start"] < before.end_char and row["end"] > before.start_char and row["speaker"]:
                return Speaker(row["speaker"], "continuation"), row["cue"]
        for token in before:
            cue = as_cue(ctx, token)
            if cue is not None:
                speaker = speaker_of_cue(ctx, cue)
                if speaker.name:
                    return speaker, cue.lemma
    after = next_sentence(ctx.doc, sentence)
    if after is not None:
        found = document_reference(ctx, list(after))
        if found is not None:
            return found, None
        cue = cue_opening(ctx, after)
        if cue is not None and speaker_of_cue(ctx, cue).name:
            return speaker_of_cue(ctx, cue), cue.lemma
    return introduced_by_colon(ctx, sentence), None


def cue_opening(ctx: Context, sentence: Span) -> Cue | None:
    """A cue among the first words of a sentence that quotes nothing itself ("“…” / Peskov said
    so on Monday."): the speaker of the quote just before it, named after it."""
    if any(t.i in ctx.quoted for t in sentence):
        return None
    opening = sentence[: TAIL_CUE_TOKENS]
    return next((cue for t in opening if (cue := as_cue(ctx, t)) is not None), None)


def governing_subject(ctx: Context, tokens: Span) -> Speaker:
    """For a phrase: the subject of the first verb above it ("Beijing criticised ... “X”")."""
    level = quote_tops(tokens)
    for _ in range(12):
        verbs = [t for t in level if t.pos_ in ("VERB", "AUX") and t.i not in range(tokens.start, tokens.end)]
        for verb in verbs:
            subject = subject_of(verb)
            if subject is not None and subject.i not in range(tokens.start, tokens.end):
                return (
                    resolve(ctx, subject, allow_phrase=False)
                    if sources().get(subject.lemma_.lower()) != "document"
                    else resolve_document(ctx, subject)
                )
            if subject is not None:
                return NOBODY
        level = [t.head for t in level if t.head.i != t.i]
        if not level:
            break
    return NOBODY


# --- attribution of one quote --------------------------------------------------------------------------


def attribute(ctx: Context, tokens: Span, kind: str) -> tuple[Speaker, Cue | None, str | None]:
    """(speaker, cue, cue lemma) of one quote: a signature after it, its cue, else continuation,
    the clause that introduces it with a colon, or the governing subject."""
    signed = signature(ctx, tokens)
    if signed.name:
        return signed, None, None
    sentences = sentences_of(tokens)
    cue = cue_on_path(ctx, tokens)
    if cue is None and kind == "full":
        cue = nearest_cue(ctx, tokens, sentences) or tail_cue(ctx, tokens, sentences[-1])
    if cue is not None:
        return speaker_of_cue(ctx, cue), cue, cue.lemma
    if is_standalone(ctx, sentences):
        speaker, lemma = continued_speaker(ctx, sentences[0])
        return speaker, None, lemma
    if kind == "full":
        found = document_reference(ctx, [t for s in sentences for t in s]) or introduced_by_colon(ctx, tokens)
        return found, None, None
    return governing_subject(ctx, tokens), None, None


SIGNATURE = re.compile(r"[\s\u201d\u00bb\u2019\"',.]*[\u2015\u2014\u2013-][^\S\n]*(?=[A-Z])")


def signature(ctx: Context, tokens: Span) -> Speaker:
    """A quote signed with a dash and a name ("“We will win.” — Vladimir Putin"): that name."""
    text = doc_text(ctx.doc)
    mark = SIGNATURE.match(text, tokens.end_char)
    if mark is None or "\n" in text[tokens.end_char : mark.end()]:
        return NOBODY
    first = ctx.doc.char_span(mark.end(), mark.end() + 1, alignment_mode="expand")
    if first is None:
        return NOBODY
    found = ctx.actor(first[0])
    if found is not None:
        return Speaker(found[0], "actor")
    name = []
    for token in ctx.doc[first.start : first.start + 6]:  # capitalised words and initials ("Anna K. Petrova")
        if not token.text[:1].isupper() or not (token.is_alpha or re.fullmatch(r"[A-Z]\.", token.text)):
            break
        name.append(token)
    return Speaker(ctx.doc[name[0].i : name[-1].i + 1].text, "name") if name else NOBODY


def introduced_by_colon(ctx: Context, tokens: Span) -> Speaker:
    """A quote after a colon that closes a clause of its own ("Sanders made this comment:",
    "The paper ran her words as its headline:"): the subject of that clause speaks."""
    doc = ctx.doc
    i = tokens.start - 1
    while i >= 0 and (doc[i].is_space or doc[i].i in ctx.quoted and doc[i].is_punct):
        i -= 1
    if i < 0 or doc[i].text != ":":
        return NOBODY
    verb = doc[i - 1] if i > 0 else doc[i]
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") and verb.i not in ctx.quoted:
            subject = subject_of(verb, ctx.quoted)
            return resolve(ctx, subject) if subject is not None else NOBODY
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return NOBODY


def _cap_unclosed(doc: Doc, span: QuoteSpan) -> QuoteSpan:
    """A never-closed quote running over many sentences ends with its first sentence."""
    if span.closed:
        return span
    first = doc.char_span(span.start, span.end, alignment_mode="expand")
    if first is None:
        return span
    sents = list(first.sents)
    if len(sents) <= UNCLOSED_MAX_SENTENCES:
        return span
    end = sents[0].end_char
    return QuoteSpan(span.start, min(end, span.end), False)


def extract_quotes(doc: Doc, article_id: str, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per quotation in `doc` (schema `quotes`), with speaker, cue, kind and addressee;
    `actors` is the article's actors table (a frame or row dicts)."""
    return from_rows(quote_rows(doc, article_id, actors), "quotes")


def quote_rows(doc: Doc, article_id: str, actors: pd.DataFrame | list[dict]) -> list[dict]:
    """`extract_quotes` as row dicts."""
    spans = [_cap_unclosed(doc, s) for s in find_quote_spans(doc_text(doc))]
    ctx = Context(doc, _actor_index(doc, actors), _quoted_tokens(doc, spans))
    types = {name: kind for name, kind in ctx.actor_at.values()}
    for span in spans:
        tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is None or len(tokens) == 0:
            continue
        kind = quote_kind(tokens)
        if kind == "fragment" and is_term(ctx, tokens):
            kind = "term"
        speaker, cue, lemma = attribute(ctx, tokens, kind) if kind != "term" else (NOBODY, None, None)
        sentences = sentences_of(tokens)
        ctx.rows.append(
            {
                "article_id": article_id,
                "text": doc_text(doc)[span.start : span.end],
                "start": span.start,
                "end": span.end,
                "speaker": speaker.name,
                "cue": lemma,
                "kind": kind,
                "addressee": addressee_of(ctx, cue) if cue is not None else None,
                "sent_start": sentences[0].start_char,
                "sent_end": sentences[-1].end_char,
                "speaker_type": types.get(speaker.name, speaker.how if speaker.name else None),
                "how": speaker.how,
            }
        )
    return [{k: v for k, v in row.items() if k != "speaker_type"} for row in ctx.rows]
