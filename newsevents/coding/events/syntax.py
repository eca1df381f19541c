"""Dependency-tree helpers the event coder's stages share: a token's word class and forms, its
objects, complements and conjuncts, and the words that control it."""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
ANY_SUBJECT_DEPS = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "attr", "oprd"})
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp"})
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "pobj", "attr", "appos", "ROOT"})
OBJECT_PREPOSITIONS = frozenset({"of", "for", "over", "about"})
"""Prepositions whose object counts as an object of the verb when attached to its direct
object ("accused the minister of corruption")."""
CONTROLLING_PREPOSITIONS = frozenset({"for", "of", "on", "upon", "to", "against", "from", "with"})
"""A verb controls the act in its prepositional object ("prepare for the visit", "accused of
the raid", "refrained from attacking")."""
COPULAS = frozenset({"be", "remain", "become"})


def word_class(token: Token) -> str:
    """The token's part of speech, corrected by its syntax: a word tagged as a verb that fills a
    noun's slot and has a determiner, possessor or modifier is a noun ("condemned Pakistan's
    ceasefire violations")."""
    pos, dep = token.pos_, token.dep_
    if not (
        (pos == "VERB" and dep in NOMINAL_DEPS)
        or (pos == "NOUN" and dep in {"ROOT", "conj", "ccomp", "xcomp"})
    ):
        return pos  # the common case, decided without listing the children
    children = [c.dep_ for c in token.children]
    nominal = {"det", "poss", "amod", "compound", "nummod"}
    if pos == "VERB" and dep in NOMINAL_DEPS and nominal.intersection(children):
        return "NOUN"
    if (
        pos == "NOUN"
        and dep in {"ROOT", "conj", "ccomp", "xcomp"}
        and "nsubj" in children
        and ("dobj" in children or "aux" in children)
    ):
        return "VERB"  # "The government rejects and condemns the decision"
    return pos


def lemmas(token: Token) -> tuple[str, ...]:
    """The token's lemma, its lower-case form, and regular de-inflections of it: the tagger's
    lemma is sometimes wrong ("staged" -> "stag", "raped" -> "rap")."""
    word, lemma = token.lower_, token.lemma_.lower()
    found = [lemma, word]
    if word.endswith("ied") or word.endswith("ies"):
        found.append(word[:-3] + "y")
    for suffix in ("ed", "es", "ing", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            found.append(stem)
            if suffix == "ing":
                found.append(stem + "e")
            if len(stem) > 2 and stem[-1] == stem[-2]:
                found.append(stem[:-1])  # "stopped" -> "stop"
    return tuple(dict.fromkeys(found))


def has_lemma(token: Token, words: Collection[str]) -> bool:
    return any(lemma in words for lemma in lemmas(token))


def voice(token: Token) -> str:
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in token.children)
    return "passive" if passive else "active"


def quantity(particle: Token) -> bool:
    """``up`` of ``up to 16 advisers``: a quantity, no particle ("kidnapped up to 16 ...")."""
    doc = particle.doc
    after = doc[particle.i + 1 : particle.i + 3]
    return (
        particle.lower_ == "up"
        and len(after) == 2
        and after[0].lower_ == "to"
        and after[1].like_num
    )


def conjuncts(token: Token) -> list[Token]:
    """The conjuncts after the token ("Russia and Japan": Japan)."""
    return [t for t in token.conjuncts if t.i > token.i]


def has_subject(token: Token) -> bool:
    """Whether the token has a subject of its own, active or passive."""
    return any(c.dep_ in ANY_SUBJECT_DEPS for c in token.children)


def has_mark(token: Token, words: Collection[str] | None = None) -> bool:
    """Whether the clause is opened by a marker (one of ``words``, if given)."""
    return any(m.dep_ == "mark" and (words is None or m.lower_ in words) for m in token.children)


def objects_of(token: Token) -> list[Token]:
    """The token's objects: direct, prepositional ("pulled out of the town") and those of its
    direct object ("accused X of spying"), with their conjuncts."""
    objects = [c for c in token.children if c.dep_ in OBJECT_DEPS]
    for prep in (c for c in token.children if c.dep_ in {"prep", "agent"}):
        objects += [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}]
        for grandchild in prep.children:  # "pulled out of the town": out -> of -> town
            if grandchild.dep_ == "prep":
                objects += [g for g in grandchild.children if g.dep_ == "pobj"]
    objects += [g for c in objects for g in c.conjuncts]
    for direct in [c for c in objects if c.dep_ in {"dobj", "obj"}]:  # "accused X of spying"
        for prep in direct.children:
            if prep.dep_ == "prep" and prep.lower_ in OBJECT_PREPOSITIONS:
                objects += [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}]
    return objects


def complements(token: Token) -> list[Token]:
    """A verb's infinitive or clausal complements, and gerunds after its preposition
    ("refused to sign", "accused India of violating")."""
    found = [c for c in token.children if c.dep_ in COMPLEMENT_DEPS]
    found += [  # purpose infinitives ("called the president to discuss"), predicates ("set free")
        c
        for c in token.children
        if c.dep_ == "advcl"
        and (c.pos_ == "ADJ" or any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))
    ]
    found += [
        g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pcomp"
    ]
    return found


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above the token."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return node
    return None


def controllers(token: Token) -> list[Token]:
    """The trigger and the words that control it: verbs above it through ``xcomp``
    (``refused to sign``), the light verb of an event noun (``held no talks``), and the verb of
    a ``for`` phrase (``prepare for Putin's visit``)."""
    chain = [token]
    node = token
    while node.head.i != node.i:
        above = _controller(token, node)
        if above is None:
            break
        node = above
        chain.append(node)
    return chain


def _controller(token: Token, node: Token) -> Token | None:
    """The word that controls ``node`` on the way up from the trigger ``token``, if any."""
    light_verb = (
        node.i == token.i and word_class(node) == "NOUN" and node.dep_ in {"dobj", "nsubjpass"}
    )
    copula = node.dep_ == "acomp" and node.head.lemma_ in COPULAS  # "must be ready to"
    if node.dep_ == "xcomp" or light_verb or copula:
        return node.head
    if (
        node.dep_ in {"pobj", "pcomp"}
        and node.head.dep_ == "prep"
        and node.head.lower_ in CONTROLLING_PREPOSITIONS
        and node.head.head.pos_ in {"VERB", "AUX", "ADJ", "NOUN"}
    ):
        return node.head.head
    return None


def depth(token: Token) -> int:
    """How many links the token is below its sentence's root."""
    found = 0
    while token.head.i != token.i:
        token = token.head
        found += 1
    return found
