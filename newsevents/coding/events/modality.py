"""Modality: whether a trigger's act is negated, future, hypothetical or asserted, from the
trigger and the words that control it (``data/modality.yaml``)."""

from __future__ import annotations

from spacy.tokens import Token

from newsevents.coding.events.dictionary import ModalityWords
from newsevents.coding.events.syntax import controllers, has_lemma, word_class
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
    negated = (
        any(is_negated(t, words) for t in chain)
        or any(has_lemma(t, words.negating_governors) for t in chain[1:])
        or any(has_negative_subject(t, words) for t in chain)
    )
    hypothetical = any(has_lemma(t, words.hypothetical_governors) for t in chain[1:])
    future = False
    own = chain[:2] if word_class(token) == "NOUN" else chain[:1]  # a noun's light verb
    for node in chain:
        auxes = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
        conditional = any(
            c.dep_ == "mark" and c.lower_ in words.conditional_markers for c in node.children
        ) or (node in own and has_condition(node, words))
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
    if not (negated or future or hypothetical):
        future, hypothetical = _purpose_of(chain[-1], words)
    return negated, future, hypothetical


def has_condition(token: Token, words: ModalityWords) -> bool:
    """Whether the act is the consequence of a condition ("will take the case to the Council if
    the men are not freed", "unless Y withdraws"): an adverbial clause with a conditional
    marker other than "whether"."""
    markers = words.conditional_markers - {"whether"}
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in markers for m in c.children)
        for c in token.children
    )


def _purpose_of(node: Token, words: ModalityWords) -> tuple[bool, bool]:
    """(future, hypothetical) of the act a purpose infinitive serves: "is expected to travel to
    Erbil to meet leaders" meets them in the future, as it travels."""
    purpose = node.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in node.children
    )
    if not purpose or node.head.i == node.i:
        return False, False
    _, future, hypothetical = modal_flags(node.head, words)
    return future, hypothetical


def is_negated(token: Token, words: ModalityWords) -> bool:
    """Whether the word itself is negated ("did not sign", "no talks")."""
    return any(
        (c.dep_ == "neg") or (c.dep_ in {"det", "advmod"} and c.lower_ in words.negators)
        for c in token.children
    )


def has_negative_subject(token: Token, words: ModalityWords) -> bool:
    """Whether the word's subject denies that anyone did it ("no country has asked", "nobody
    was hurt", "neither side fired")."""
    for child in token.children:
        if child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if child.lower_ in words.negative_subjects:
            return True
        if any(
            d.dep_ == "det" and d.lower_ in words.negators | words.negative_subjects
            for d in child.children
        ):
            return True
    return False
