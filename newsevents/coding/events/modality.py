"""Modality: whether a trigger's act is negated, future, hypothetical or asserted, from the
trigger and the words that control it (``data/modality.yaml``)."""

from __future__ import annotations

from spacy.tokens import Token

from newsevents.coding.events.dictionary import ModalityWords
from newsevents.coding.events.syntax import controllers, has_lemma
from newsevents.model import Modality


def modality(token: Token, words: ModalityWords) -> Modality:
    """Negated, future, hypothetical or asserted (``refused to sign``, ``will visit``,
    ``prepare for ... visit``)."""
    negated, future, hypothetical = modal_flags(token, words)
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    if future:
        return "future"
    return "asserted"


def modal_flags(token: Token, words: ModalityWords) -> tuple[bool, bool, bool]:
    """(negated, future, hypothetical) for a trigger: "would not sign" is negated and
    hypothetical, "will not visit" negated and future."""
    chain = controllers(token)
    negated = any(is_negated(t, words) for t in chain) or any(
        has_lemma(t, words.negating_governors) for t in chain[1:]
    )
    hypothetical = any(has_lemma(t, words.hypothetical_governors) for t in chain[1:])
    future = False
    for node in chain:
        auxes = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
        conditional = any(
            c.dep_ == "mark" and c.lower_ in words.conditional_markers for c in node.children
        )
        if auxes & words.hypothetical_auxiliaries or conditional:
            hypothetical = True
            break
        if auxes & words.future_auxiliaries or (
            node.i != token.i and has_lemma(node, words.future_governors)
        ):
            future = True
            break
    if any(c.lower_ in words.future_modifiers for c in token.children if c.dep_ == "amod"):
        future = True
    return negated, future, hypothetical


def is_negated(token: Token, words: ModalityWords) -> bool:
    """Whether the word itself is negated ("did not sign", "no talks")."""
    return any(
        (c.dep_ == "neg") or (c.dep_ in {"det", "advmod"} and c.lower_ in words.negators)
        for c in token.children
    )
