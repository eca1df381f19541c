"""Article-level coreference: what the resolver remembers of an article (people by name, the
mentions so far) and how a pronoun, a title or a repeated name finds its antecedent."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
RELATIVE = "through the relative pronoun"
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})
COPULAS = frozenset({"be", "seem", "appear", "remain", "become"})
"""A subject ``it`` of these is expletive or a thing ("it was not clear"), no actor."""


@dataclass
class ArticleMemory:
    """What the resolver has learned so far in one article (people and recent mentions)."""

    people: dict[str, Actor] = field(default_factory=dict)
    mentions: list[tuple[int, Actor, bool]] = field(default_factory=list)
    """(token index, actor, is a person) in text order."""
    speakers: dict[int, Actor] = field(default_factory=dict)
    """First-person words inside direct quotes -> the quote's speaker."""
    reporters: dict[int, int] = field(default_factory=dict)
    """A subject ``it`` in a reported clause -> the reporting verb's subject ("the ministry
    said Canada had no evidence for its allegations, which it rejected")."""

    def remember_person(self, head: Token, actor: Actor, overwrite: bool) -> Actor:
        """Remember a person under its name, the name in the phrase and its last word (not a
        suffix: "Ferdinand Marcos Jr." is "Marcos"); also under its first word ("Wang Yi ...
        Wang said")."""
        phrase = phrase_tokens(head)
        tokens = [t for t in phrase if t.ent_type_ == "PERSON"] or [
            t
            for t in phrase
            if t.pos_ == "PROPN"  # a name the tagger took for a place
        ]
        if tokens and head.pos_ == "PROPN" and head.i > tokens[-1].i:
            tokens.append(head)  # "President Gustavo Petro" with "Petro" tagged ORG
        while len(tokens) > 1 and tokens[-1].lower_.rstrip(".") in NAME_SUFFIXES:
            tokens = tokens[:-1]
        keys = {actor.name.lower()}
        if tokens:
            keys |= {join_words(tokens).lower(), tokens[-1].lower_}
        for key in keys:
            if overwrite or key not in self.people:
                self.people[key] = actor
        if len(tokens) > 1:  # "Wang Yi ... Wang said": a family name written first
            self.people.setdefault(tokens[0].lower_, actor)
        return actor


def person_with_code(code: str, memory: ArticleMemory) -> Actor | None:
    """The last person coded ``code``, a code that names a country or body (``the Japanese
    leader``); a bare role (``GOV``) says too little: "the junta" is no foreign minister."""
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.code == code and actor.code != actor.role:
            return actor
    return None


def resolve_pronoun(token: Token, memory: ArticleMemory) -> Actor | None:
    """He/she/his/her: the nearest person, preferring one earlier in the same sentence, else
    the last person who was a subject. Its: the nearest country or organization."""
    lower = token.lower_
    sentence_start = token.sent.start
    speaker = memory.speakers.get(token.i)
    if speaker is not None:  # "We reject these claims," the ministry said
        return as_mention(speaker, token, "coreference: the quote's speaker")
    if lower in PERSON_PRONOUNS:
        people = [(i, a) for i, a, is_person in memory.mentions if is_person and i < token.i]
        teller = [p for p in people if p[0] == memory.reporters.get(token.i)]
        if teller:  # "Iwaya told Wang he wanted ...": the one who tells
            i, actor = teller[-1]
            return as_mention(actor, token, "coreference: pronoun", antecedent=token.doc[i])
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
    if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl" and token.dep_ in ARGUMENT_DEPS:
        return _antecedent_of_relative(token, memory)
    if lower == "it" and token.dep_ == "nsubj" and token.head.lemma_ not in COPULAS:
        return _resolve_subject_it(token, memory)
    return None


def _antecedent_of_relative(token: Token, memory: ArticleMemory) -> Actor | None:
    """``who``/``which``/``that`` opening a relative clause: the phrase the clause is on
    ("Marles, who is on a visit to ...": Marles)."""
    antecedent = token.head.head
    found = next((a for i, a, _ in memory.mentions if i == antecedent.i), None)
    if found is None:
        return None
    return replace(found, rule=f"{found.rule}, {RELATIVE}")  # as named


def _resolve_subject_it(token: Token, memory: ArticleMemory) -> Actor | None:
    """A subject ``it``: the nearest singular noun subject before it, in its own sentence or
    the one before, when that names a country, government or body ("..., the Foreign Office
    said. It warned that ..."); a thing there ("Samsung ... said it") makes it no actor."""
    doc = token.doc
    reporter = memory.reporters.get(token.i)
    if reporter is not None:
        found = (a for i, a, person in memory.mentions if i == reporter and not person)
        actor = next(found, None)
        if actor is not None:
            return as_mention(actor, token, "coreference: pronoun", antecedent=doc[reporter])
    sentence = token.sent
    previous = doc[sentence.start - 1].sent if sentence.start > 0 else sentence
    subject = next(
        (
            t
            for t in reversed(doc[previous.start : token.i])
            if t.dep_ in {"nsubj", "nsubjpass"}
            and t.pos_ in {"NOUN", "PROPN"}
            and t.tag_ not in PLURAL_TAGS
        ),
        None,
    )
    if subject is None:
        return None
    found = (a for i, a, is_person in memory.mentions if i == subject.i and not is_person)
    actor = next(found, None)
    if actor is None:
        return None
    return as_mention(actor, token, "coreference: pronoun", antecedent=subject)


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
    minister`` after ``Japanese Prime Minister Shinzo Abe``, not after ``President Obama``); also
    a person whose country the article gives later (``Foreign Minister Hasan Mahmud``, placed as
    a bare role)."""
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.role == role and title in actor.text.lower():
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
