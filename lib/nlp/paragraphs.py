"""Line breaks as sentence boundaries, set before the parser (which keeps boundaries it is given).

A news file puts its headline, byline, dateline and each paragraph on lines of their own, and a
headline or a byline ends without a full stop. Left to itself, the parser reads "Putin, Xi sign
statement\\n\\nBy Staff Writer\\n\\nMay 16, 2024\\n\\nPutin arrived in Beijing on Thursday." as one
sentence, so the date and actors of the lead sentence are joined to the headline's. Here a blank
line always ends a sentence, and so does a single line break, unless the text is hard-wrapped
(lines broken inside sentences: a line then often goes on in lower case), where a single line
break is only a space. A dateline that opens a line ("HONG KONG, Sept 5 (Bloomberg) -- ...")
is a sentence of its own too.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "line_breaks"
WRAPPED_SHARE = 0.25  # hard-wrapped: this share of single line breaks go on in lower case (and 2 at least) ...
WRAPPED_LEAST = 2  # ... or at least this many do
DATELINE_TOKENS = 16  # a dateline's dash comes within this many tokens of the line's start
DASHES = frozenset({"-", "--", "---", "\u2013", "\u2014"})


def breaks(doc: Doc) -> list[tuple[int, bool]]:
    """(index of the token after it, whether blank) of each line break that has text after it."""
    found = []
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            found.append((token.i + 1, token.text.count("\n") > 1))
    return found


def hard_wrapped(doc: Doc, found: list[tuple[int, bool]]) -> bool:
    """Whether single line breaks of `doc` fall inside sentences: enough of them go on in lower case."""
    single = [i for i, blank in found if not blank]
    going_on = sum(1 for i in single if doc[i].text[:1].islower())
    return going_on >= WRAPPED_LEAST or (going_on > 0 and going_on >= WRAPPED_SHARE * len(single))


def dateline_end(doc: Doc, start: int) -> int | None:
    """The index of the token after a dateline that opens the line at `start`: a place in
    capitals, then a date or an agency in brackets, then a dash ("LONDON (Reuters) - ...",
    "BEIJING, April 9 (Xinhua) -- ..."; not "US, China - a rivalry"); None when the line opens
    otherwise."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first) > 1):
        return None
    for token in doc[start + 1 : min(len(doc), start + DATELINE_TOKENS)]:
        if "\n" in token.text or token.text in (".", "!", "?"):
            return None
        if token.text in DASHES:
            dated = any(t.text == "(" or t.like_num for t in doc[start : token.i])
            return token.i + 1 if dated and token.i + 1 < len(doc) else None
    return None


@Language.component(COMPONENT)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after each blank line, after each single line break of a text that is
    not hard-wrapped, and after a dateline that opens a line."""
    found = breaks(doc)
    wrapped = hard_wrapped(doc, found)
    line_starts = [0]
    for i, blank in found:
        if blank or not wrapped:
            doc[i].is_sent_start = True
            line_starts.append(i)
    for start in line_starts:
        after = dateline_end(doc, start) if start < len(doc) else None
        if after is not None and not doc[after].is_space:
            for token in doc[start + 1 : after]:
                token.is_sent_start = False  # the parser would cut "LONDON (Reuters) -" apart
            doc[after].is_sent_start = True
    return doc


def add_to_pipeline(nlp: Language) -> Language:
    """Add the component just before the parser (or at the start when there is none)."""
    if COMPONENT in nlp.pipe_names:
        return nlp
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
    else:
        nlp.add_pipe(COMPONENT, first=True)
    return nlp
