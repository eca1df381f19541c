"""Dependency slots: the tokens that fill a trigger's subject, object, dative, possessor,
prepositional and clause slots, and the arguments a trigger inherits from the verb that governs
it (control, coordination, light verbs). Slots name tokens; :mod:`.parties` turns them into
actors."""

from __future__ import annotations

from spacy.tokens import Token

from newsevents.coding.events.syntax import (
    ANY_SUBJECT_DEPS,
    COPULAS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    has_lemma,
    has_mark,
    has_subject,
    quantity,
    word_class,
)

CONTROL_DEPS = frozenset(
    {"xcomp", "pcomp", "advcl", "acl", "conj", "relcl", "ccomp", "prep", "pobj", "acomp"}
)
"""Links followed upwards to find an argument a trigger does not have itself."""
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis"})
"""Links that start a clause with its own subject: arguments are not inherited across them."""
PREPOSITION_DEPS = frozenset({"prep", "agent", "dative"})
TOPIC_PREPOSITIONS = frozenset({"about", "regarding", "concerning"})
"""Prepositions of a topic that the descent does not enter ("optimism about the talks with
Canada" has no target)."""
RESPONSIBLE = frozenset({"responsible", "guilty", "culpable", "accountable", "liable"})
"""Adjectives whose subject did the act their prepositional object names ("X is responsible for
the killings"): the copula carries the event noun like a light verb."""
NOUN_PHRASE_DEPS = frozenset({"det", "nummod", "quantmod", "amod", "compound", "poss", "case"})
"""Links inside a noun phrase, followed up from its first word to its head."""
ABOUT_PREPOSITIONS = frozenset({"into", "over", "about", "concerning", "regarding", "of"})
"""After a light verb's object, what that object is about ("opened an investigation into the
attack", "lodged a protest over the raid"): an event noun there is not the light verb's act."""
PARTITIVES = frozenset(
    {"round", "series", "wave", "spate", "string", "flurry", "barrage", "volley", "salvo"}
    | {"bout", "burst", "cycle"}
)
"""Nouns that count an event noun ("a new round of talks", "a barrage of rockets"): the event
noun's light verb governs them."""
RELATIVE_ADVERBS = frozenset({"where", "when", "whereby"})
"""A clause opened by one of these is no content clause, also when the parser hangs it on the
verb ("threatened to shell the towns ... where, it said, 100 people were killed")."""


def default_source_slots(token: Token) -> tuple[str, ...]:
    if word_class(token) == "NOUN":
        return ("poss", "modifier", "by", "governor-subject")
    return ("subject", "governor-subject")


def default_target_slots(token: Token) -> tuple[str, ...]:
    if word_class(token) == "NOUN":
        return ("against", "on", "to", "with", "dative", "governor-object", "between")
    return ("object", "dative", "with", "to", "against", "on", "for", "between")


def slot_tokens(token: Token, slot: str, light_verbs: frozenset[str]) -> list[Token]:
    """The tokens that fill a dependency slot of the trigger: ``subject``, ``object``,
    ``dative``, ``poss``, ``modifier``, ``governor-subject``, ``governor-object``,
    ``clause-subject``, or a preposition ("against")."""
    children = list(token.children)
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in children)
    if slot == "subject":
        return _subjects(token, children, passive)
    if slot == "object":
        return _objects(children, passive)
    if slot == "dative":  # "gave Iraq aid", and "gave aid to Iraq" parsed with a dative "to"
        return _datives(token, children)
    if slot == "poss":
        return [c for c in children if c.dep_ == "poss"]
    if slot == "modifier":  # the noun itself: the resolver puts "Saudi airstrikes" on its head
        return [token] + [c for c in children if c.dep_ in {"amod", "compound"} and c.i < token.i]
    if slot in {"governor-subject", "governor-object"}:
        return inherited(token, slot.split("-")[1], light_verbs)
    if slot == "clause-subject":  # "demanded that Israel ease ...": who is to act
        return clause_subjects(token)
    return _prepositional_objects(token, children, slot)


def _subjects(token: Token, children: list[Token], passive: bool) -> list[Token]:
    """The subject; of a passive verb, its agent ("was arrested by the police")."""
    if passive:
        return [
            g
            for c in children
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
            for g in c.children
            if g.dep_ == "pobj"
        ]
    subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
    if not subjects and token.dep_ == "acl" and token.head.dep_ == "ROOT":
        return [token.head]  # a misparse: "The minister called on ..." with a noun root
    return subjects


def _objects(children: list[Token], passive: bool) -> list[Token]:
    """The direct object; of a passive verb, its subject."""
    if passive:
        return [c for c in children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    objects = [c for c in children if c.dep_ in {"dobj", "obj"}]
    return objects or [  # "kidnapped up to 16 advisers", parsed as a particle "up to"
        g
        for c in children
        if c.dep_ == "prt" and quantity(c)
        for p in c.children
        if p.lower_ == "to"
        for g in p.children
        if g.dep_ == "pobj"
    ]


def _datives(token: Token, children: list[Token]) -> list[Token]:
    datives = [c for c in children if c.dep_ in {"dative", "iobj"}]
    if word_class(token) == "NOUN" and token.dep_ == "dobj":  # "gave Putin a warning"
        datives += [c for c in token.head.children if c.dep_ in {"dative", "iobj"}]
    return [g for d in datives for g in ([d] if d.pos_ != "ADP" else d.children)]


def _prepositional_objects(token: Token, children: list[Token], slot: str) -> list[Token]:
    """The objects of the preposition ``slot`` on the trigger, on the head of an event noun
    that is a compound or an object, or on a verb's direct object ("lifted sanctions against
    Iran")."""
    preps = [c for c in children if c.dep_ in PREPOSITION_DEPS and c.lower_ == slot]
    if word_class(token) == "NOUN" and token.dep_ == "compound":  # "a mediation effort between"
        preps += [c for c in token.head.children if c.dep_ in PREPOSITION_DEPS and c.lower_ == slot]
        token = token.head
    if word_class(token) == "NOUN" and token.dep_ in {"dobj", "nsubjpass"}:
        preps += [c for c in token.head.children if c.dep_ in PREPOSITION_DEPS and c.lower_ == slot]
    elif word_class(token) != "NOUN":  # "lifted sanctions against Iran"
        objects = [c for c in children if c.dep_ in {"dobj", "obj"}]
        preps += [c for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == slot]
    return [g for p in preps for g in p.children if g.dep_ == "pobj"] or [
        g for p in preps for g in _dangling_object(p)
    ]


def _dangling_object(prep: Token) -> list[Token]:
    """The object of a preposition the parser left without one: the last object of the verb
    phrase coordinated with it ("established ties with and opened an embassy in Tehran"), or
    the noun phrase right after it when the parser hung that phrase on another clause ("granted
    asylum to five officers holed up in ...", parsed with "officers" as a subject)."""
    doc = prep.doc
    if any(c.dep_ in {"pobj", "pcomp"} for c in prep.children) or prep.i + 1 >= len(doc):
        return []
    after = doc[prep.i + 1]
    if after.dep_ == "cc":
        return [
            objects[-1]
            for conjunct in after.head.conjuncts
            if conjunct.i > prep.i
            for objects in [[t for t in conjunct.subtree if t.dep_ == "pobj"]]
            if objects
        ][:1]
    node = after
    while node.dep_ in NOUN_PHRASE_DEPS and node.head.i > node.i:
        node = node.head
    if node.pos_ in {"NOUN", "PROPN"} and node.dep_ in ANY_SUBJECT_DEPS:
        return [node]
    return []


# --- content clauses ----------------------------------------------------------------------------


def clause_subjects(token: Token) -> list[Token]:
    """The subjects of the that-clause a trigger governs ("demanded that the US cancel",
    "its demand that Israel ease"): the party asked, threatened or committed to act."""
    clauses = [c for c in token.children if c.dep_ == "ccomp" or (c.dep_ == "acl" and has_mark(c))]
    clauses += _distant_content_clauses(token)
    return [
        s
        for c in clauses
        if not any(w.dep_ == "advmod" and w.lower_ in RELATIVE_ADVERBS for w in c.children)
        for s in c.children
        if s.dep_ in ANY_SUBJECT_DEPS
    ]


def _distant_content_clauses(token: Token) -> list[Token]:
    """A that-clause that belongs to the trigger but hangs elsewhere: an event noun's clause
    moved after its light verb's adjuncts ("reiterated its demand today that Israel ease ..."),
    and the clause on a verb's prepositional object ("insisted on its demand that X grant")."""
    if word_class(token) == "NOUN" and token.dep_ in {"dobj", "obj"}:
        return [
            c
            for c in token.head.children
            if c.dep_ == "ccomp" and c.i > token.i and has_mark(c, {"that"})
        ]
    if word_class(token) == "NOUN":
        return []
    return [
        clause
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ not in TOPIC_PREPOSITIONS
        for noun in prep.children
        if noun.dep_ == "pobj" and word_class(noun) == "NOUN"
        for clause in noun.children
        if clause.dep_ == "acl" and has_mark(clause, {"that"})
    ]


def content_participle(token: Token, noun: Token) -> bool:
    """A present participle without a subject that says what a light verb's noun does
    ("issued a statement condemning X", "sent a letter urging Y to ...")."""
    return (
        token.dep_ == "acl"
        and token.head.i == noun.i
        and token.tag_ == "VBG"
        and word_class(noun) == "NOUN"
        and not has_subject(token)
    )


def is_purpose_clause(token: Token) -> bool:
    """An infinitive of purpose without a subject ("sent a team to investigate"), also as an
    infinitival relative ("converged for a rally to protest the law")."""
    children = list(token.children)
    return (
        token.dep_ in {"advcl", "relcl"}
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
        and not any(c.dep_ in ANY_SUBJECT_DEPS for c in children)
    )


def is_participle_clause(token: Token) -> bool:
    """A present participle clause without a subject on a verb ("recalled its ambassador,
    accusing Addis Ababa of ..."): its act is done by the verb's subject."""
    return (
        token.dep_ == "advcl"
        and token.tag_ == "VBG"
        and token.head.pos_ in {"VERB", "AUX"}
        and not any(c.dep_ in ANY_SUBJECT_DEPS | {"expl"} for c in token.children)
    )


# --- inherited arguments ------------------------------------------------------------------------


def inherited(token: Token, slot: str, light_verbs: frozenset[str]) -> list[Token]:
    """An argument taken from the verb that governs the trigger (control, coordination, light
    verbs): ``Lavrov made the remarks after meeting ...``, ``Japan imposed sanctions``. An event
    noun takes it only from a light verb ("condemned the attack" says nothing of who attacked)."""
    if word_class(token) == "NOUN":
        governor = light_governor(token, light_verbs)
        if governor is None:
            return []
        return slot_tokens(governor, slot, light_verbs) or inherited(governor, slot, light_verbs)
    if slot == "subject" and any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in token.children):
        return []  # a passive verb's subject is its agent, never its governor's subject
    node = token
    while node.dep_ in CONTROL_DEPS and node.head.i != node.i:
        if node.dep_ in CLAUSE_DEPS and not is_purpose_clause(node):
            return []
        link = node.dep_
        node = node.head
        found = _from_governor(token, node, link, slot, light_verbs)
        if found:
            return found
    return []


def _from_governor(
    token: Token, node: Token, link: str, slot: str, light_verbs: frozenset[str]
) -> list[Token]:
    """The slot of ``node``, reached from the trigger ``token`` over a ``link``, as the
    trigger's own."""
    if slot == "subject" and link == "acl" and content_participle(token, node):
        # "issued a declaration demanding that ...": who issued it demands
        governor = light_governor(node, light_verbs)
        found = slot_tokens(governor, slot, light_verbs) if governor is not None else []
        if found:
            return found
    if word_class(node) not in {"VERB", "AUX"}:
        return []
    if slot == "subject" and link == "xcomp":  # object control: urged Tokyo to discuss
        controller = slot_tokens(node, "object", light_verbs)
        if controller:
            return controller
    return slot_tokens(node, slot, light_verbs)


def light_governor(token: Token, light_verbs: frozenset[str]) -> Token | None:
    """The light verb whose object (or prepositional object) an event noun is; through a
    partitive ("held a new round of talks") and a copula's ``on`` ("who is on a visit to")."""
    head = token.head
    if token.dep_ == "compound" and word_class(head) == "NOUN":  # "a mediation effort"
        token, head = head, head.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PARTITIVES:
        token = head.head  # "a new round of talks", "a barrage of rockets"
        head = token.head
    if token.dep_ in {"dobj", "obj", "nsubjpass"} and has_lemma(head, light_verbs):
        return head
    if token.dep_ == "attr" and head.lemma_ in COPULAS:  # "Germany is the largest donor"
        return head
    if (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and has_lemma(head.head, light_verbs)
        and not (
            head.lower_ in ABOUT_PREPOSITIONS
            and any(c.dep_ in {"dobj", "obj"} for c in head.head.children)
        )
    ):  # "took part in the talks"; not "opened an investigation into the attack"
        return head.head
    if token.dep_ == "pobj" and head.lower_ == "on" and head.head.lemma_ in COPULAS:
        return head.head  # "Marles, who is on a two-day visit to Papua New Guinea"
    blamed = head.head  # "X is responsible for the killings": the copula carries the noun
    if (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and blamed.lower_ in RESPONSIBLE
        and blamed.dep_ == "acomp"
        and blamed.head.lemma_ in COPULAS
    ):
        return blamed.head
    return None
