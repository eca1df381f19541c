"""Article-level coreference: what the resolver remembers of an article (people by name, the
mentions so far) and how a pronoun, a title or a repeated name finds its antecedent."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from newsevents.coding.actors.dictionary import PersonEntry
from newsevents.coding.actors.phrases import join_words, phrase_tokens, span_of
from newsevents.model import Actor

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"its"})
GROUP_PRONOUNS = frozenset({"them", "their", "themselves"})
"""Plural pronouns resolved to a group; a subject "they" is left to the event coder, which
gives it the speaker ("the rebels said they would ...")."""
PLURAL_TAGS = frozenset({"NNS", "NNPS"})


@dataclass
class ArticleMemory:
    """What the resolver has learned so far in one article (people and recent mentions)."""

    people: dict[str, Actor] = field(default_factory=dict)
    mentions: list[tuple[int, Actor, bool]] = field(default_factory=list)
    """(token index, actor, is a person) in text order."""

    def remember_person(self, head: Token, actor: Actor, overwrite: bool) -> Actor:
        """Remember a person under its name, the name in the phrase and its last word."""
        tokens = [t for t in phrase_tokens(head) if t.ent_type_ == "PERSON"]
        keys = {actor.name.lower()}
        if tokens:
            keys |= {join_words(tokens).lower(), tokens[-1].lower_}
        for key in keys:
            if overwrite or key not in self.people:
                self.people[key] = actor
        return actor


def person_with_code(code: str, memory: ArticleMemory) -> Actor | None:
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.code == code:
            return actor
    return None


def resolve_pronoun(token: Token, memory: ArticleMemory) -> Actor | None:
    """He/she/his/her: the nearest person, preferring one earlier in the same sentence, else
    the last person who was a subject. Its: the nearest country or organization."""
    lower = token.lower_
    sentence_start = token.sent.start
    if lower in PERSON_PRONOUNS:
        people = [(i, a) for i, a, is_person in memory.mentions if is_person and i < token.i]
        same_sentence = [p for p in people if p[0] >= sentence_start]
        if same_sentence:
            i, actor = same_sentence[-1]
        else:
            subjects = [p for p in people if token.doc[p[0]].dep_ in {"nsubj", "nsubjpass"}]
            if not (subjects or people):
                return None
            i, actor = (subjects or people)[-1]
        return as_mention(actor, token, "coreference: pronoun", antecedent=token.doc[i])
    if lower in THING_PRONOUNS:
        things = [(i, a) for i, a, is_person in memory.mentions if not is_person and i < token.i]
        if things:
            i, actor = things[-1]
            return as_mention(actor, token, "coreference: pronoun", antecedent=token.doc[i])
    if lower in GROUP_PRONOUNS:
        return _resolve_group_pronoun(token, memory)
    return None


def _resolve_group_pronoun(token: Token, memory: ArticleMemory) -> Actor | None:
    """They/them/their: the nearest plural phrase earlier in the same sentence (``the rebels
    said they would ...``), else the last plural subject of an earlier sentence."""
    doc = token.doc
    groups = [
        (i, a)
        for i, a, _ in memory.mentions
        if i < token.i and doc[i].tag_ in PLURAL_TAGS and not a.rule.startswith("group:")
    ]
    if token.dep_ in {"dobj", "dative"}:  # "police beat them": not the police
        groups = [g for g in groups if not _subject_of(doc[g[0]], token.head)]
    same_sentence = [g for g in groups if g[0] >= token.sent.start]
    subjects = [g for g in groups if doc[g[0]].dep_ in {"nsubj", "nsubjpass"}]
    found = same_sentence or subjects
    if not found:
        return None
    i, actor = found[-1]
    return as_mention(actor, token, "coreference: pronoun", antecedent=doc[i])


def _subject_of(candidate: Token, verb: Token) -> bool:
    return candidate.dep_ in {"nsubj", "nsubjpass"} and candidate.head.i == verb.i


def title_of(head: Token) -> str:
    """The words of a role phrase without determiners: ``the prime minister`` -> ``prime
    minister``."""
    return " ".join(t.lower_ for t in phrase_tokens(head) if t.dep_ not in {"det", "poss"})


def antecedent_with_title(role: str, title: str, memory: ArticleMemory) -> Actor | None:
    """The last person with that role whose descriptor used the same title (``the prime
    minister`` after ``Japanese Prime Minister Shinzo Abe``, not after ``President Obama``)."""
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.role == role and actor.country and title in actor.text.lower():
            return actor
    return None


def as_mention(actor: Actor, head: Token, rule: str, antecedent: Token | None = None) -> Actor:
    tokens = phrase_tokens(head)
    span = span_of(tokens)
    source = actor.span
    if antecedent is not None:
        source = span_of(phrase_tokens(antecedent))
    return Actor(span.text, actor.name, actor.code, actor.country, actor.role, span, source, rule)


def from_person_entry(person: PersonEntry, head: Token, role: str | None = None) -> Actor:
    """The office holder as an actor; ``role`` replaces the office's role when the phrase names
    another (``former president X``: the holder's country, role ``ELI``)."""
    span = span_of(phrase_tokens(head))
    code, rule = person.code, person.rule
    if role and person.country:
        code, rule = person.country + role, f"{rule}, role from the phrase"
    role = role or person.role
    return Actor(span.text, person.name, code, person.country, role, span, None, rule)
