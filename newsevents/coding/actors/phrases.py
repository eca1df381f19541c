"""Noun phrases as the actor stage sees them: a phrase's head and its left modifiers, the
dictionary entries matched inside it, and the words that make a match no actor (a stance such
as ``pro-Iranian``, a lower-case common word such as "turkey")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spacy.tokens import Doc, Token

from newsevents.coding.actors.dictionary import ActorEntry
from newsevents.model import Span

MODIFIER_DEPS = frozenset({"compound", "amod", "flat", "nmod", "det", "nummod", "nn"})
ARGUMENT_POS = frozenset({"NOUN", "PROPN", "PRON", "ADJ"})
LOCATIVES = frozenset({"in", "at", "near", "inside", "across", "around", "outside"})
BASE_KINDS = frozenset({"country", "demonym", "capital", "metonym", "region", "user"})
STANCE_PREFIXES = frozenset({"pro", "anti"})
"""``pro-Iranian``, ``anti-Syria``: a stance towards a country, not the country itself."""
BACKERS = frozenset(
    {"backed", "allied", "supported", "sponsored", "funded", "financed", "armed", "trained"}
    | {"aligned", "affiliated", "linked", "inspired", "friendly", "leaning"}
)
"""``X-backed rebels`` are not X's rebels: X is a stance."""
LEADERS = frozenset({"led", "run", "controlled", "dominated", "based"})
"""``the X-led coalition`` is X's, and so are ``X-based groups``."""

Entries = Mapping[int, tuple[ActorEntry, int, int]]
"""Token index -> (entry, start, end) of the dictionary phrase that covers it."""


def is_stance(doc: Doc, start: int, end: int) -> bool:
    """``pro-Iranian``, ``anti-Syria``, ``US-backed``: a stance, not the actor's country."""
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCE_PREFIXES:
        return True
    return end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in BACKERS


def leader_entry(head: Token, entries: Entries) -> ActorEntry | None:
    """The country or actor X of ``the X-led coalition`` (also ``-run``, ``-controlled``,
    ``-based``)."""
    for participle in head.children:
        if participle.dep_ != "amod" or participle.lower_ not in LEADERS:
            continue
        for child in participle.children:
            hit = entries.get(child.i)
            if child.i < participle.i and hit is not None and hit[0].kind in BASE_KINDS:
                return hit[0]
    return None


def plausible(entry: ActorEntry, span: object) -> bool:
    """Reject phrases that only look like actors: a lower-case country or capital name is a
    common word ("turkey", "chad"), while roles and demonyms are fine in lower case."""
    text = span.text  # type: ignore[attr-defined]
    if entry.phrase or entry.kind not in {
        "country",
        "capital",
        "metonym",
        "region",
        "organization",
    }:
        return True  # contextual.tsv's phrases ("the kingdom") are matched by their own case
    letters = text.replace(".", "")
    if len(letters) <= 3 and not letters.isupper():
        return False  # "Us" or "Who" opening a sentence is not the US or the WHO
    return any(ch.isupper() for ch in text)


def is_phrase_head(token: Token) -> bool:
    if token.pos_ not in ARGUMENT_POS or token.dep_ in MODIFIER_DEPS:
        return False
    if token.pos_ == "ADJ":
        return token.dep_ in {"nsubj", "dobj", "pobj"}
    return True


def phrase_tokens(head: Token) -> list[Token]:
    """The head with its left modifiers (compounds, adjectives, determiners), in text order."""
    tokens = [head]
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in MODIFIER_DEPS and child.i < head.i:
                tokens.append(child)
                stack.append(child)
    return sorted(tokens, key=lambda t: t.i)


def entries_in(tokens: Sequence[Token], entries: Entries) -> list[ActorEntry]:
    seen: list[ActorEntry] = []
    starts: set[int] = set()
    for token in tokens:
        hit = entries.get(token.i)
        if hit is not None and hit[1] not in starts:
            starts.add(hit[1])
            seen.append(hit[0])
    return seen


def span_of(tokens: Sequence[Token]) -> Span:
    doc = tokens[0].doc
    first, last = doc[min(t.i for t in tokens)], doc[max(t.i for t in tokens)]
    start, end = first.idx, last.idx + len(last.text)
    # the text of the tokens in between, which is doc.text[start:end] without building the
    # whole article's text (Doc.text joins every token on each call)
    return Span(start, end, doc[first.i : last.i + 1].text)


def join_words(tokens: Sequence[Token]) -> str:
    return " ".join(t.text for t in tokens)


def is_locative(token: Token) -> bool:
    return token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.lower_ in LOCATIVES
