"""Mapping PETRARCH verb patterns onto newsevents' own verb-dictionary entries
(:class:`~newsevents.coding.events.dictionary.VerbEntry`) as far as the dependency-based
engine can express them; what it cannot express is listed per pattern."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from newsevents.coding.petrarch.lines import NULL_CODES
from newsevents.coding.petrarch.verb_files import VerbBlock, VerbDictionaryFile, VerbPattern

NEGATORS = frozenset({"not", "n't", "no", "never", "neither", "nor", "without"})
AUXILIARIES = frozenset(
    {
        "be", "is", "are", "was", "were", "been", "being", "am", "have", "has", "had", "having",
        "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may",
        "might", "must", "to", "wo", "ca", "ever", "even", "now", "also", "again", "really",
    }
)  # fmt: skip
PREPOSITIONS = frozenset(
    {
        "about", "above", "across", "after", "against", "along", "among", "around", "as", "at",
        "before", "behind", "below", "beside", "between", "by", "down", "during", "for", "from",
        "in", "inside", "into", "near", "of", "off", "on", "onto", "out", "over", "through",
        "to", "toward", "towards", "under", "up", "upon", "with", "within", "without",
    }
)  # fmt: skip
MARKERS = frozenset({"$", "+", "^", "%", "*"})
ARTICLES = frozenset({"a", "an", "the"})
MAX_OBJECT_PHRASES = 64


# --- mapping verbs onto the engine -----------------------------------------------------------

Lemmatize = Callable[[str, str], str]
"""``lemmatize(word, pos)`` with pos ``VERB`` or ``NOUN``."""
IsVerb = Callable[[str], bool]


@dataclass(frozen=True)
class MappedPattern:
    """What one verb or pattern became: its engine entries (none when it could not be
    expressed), the pattern features the engine does not check, and notes on what was kept."""

    rule: str
    code: str
    entries: tuple[object, ...]
    unsupported: tuple[str, ...]
    outside_codebook: tuple[str, ...] = ()
    """Its event codes that the CAMEO codebook does not have: kept as written."""

    @property
    def entry(self) -> object | None:
        return self.entries[0] if self.entries else None

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"code {code} is not in the CAMEO codebook: kept as written"
            for code in self.outside_codebook
        )


@dataclass(frozen=True)
class VerbMapping:
    entries: tuple[object, ...]
    """:class:`newsevents.events.VerbEntry` records, most specific first."""
    patterns: tuple[MappedPattern, ...]
    lemmas: frozenset[str]

    @property
    def unsupported(self) -> tuple[MappedPattern, ...]:
        return tuple(p for p in self.patterns if p.unsupported)

    @property
    def outside_codebook(self) -> frozenset[str]:
        """The event codes of this file that the CAMEO codebook does not have."""
        return frozenset(code for p in self.patterns for code in p.outside_codebook)


PETRARCH_TARGET_SLOTS = (
    "object", "dative", "with", "to", "against", "on", "for", "at", "in", "into", "from",
    "toward", "towards", "over", "about", "of", "between", "near", "by",
)  # fmt: skip
"""PETRARCH takes the target from anywhere in the verb phrase; entries read from its files
look in the object first, then in these prepositional phrases, in this order."""
NULL_KIND = "null"
"""The kind of an entry read from a null code (``[---]``): a verb or pattern that is no event.
Being the best fit for a word, it keeps less specific entries from coding it."""
WORD_ORDER = "word order"
"""Rule suffix of the entry that checks a pattern's words by their order in the sentence."""


def verb_entries(
    dictionary: VerbDictionaryFile,
    known_code: Callable[[str], bool],
    lemmatize: Lemmatize,
    is_verb: IsVerb,
) -> VerbMapping:
    """Map a PETRARCH verb dictionary onto :class:`~newsevents.events.VerbEntry` records.

    Each verb of a block becomes a lemma entry with the block's code (a later block's code
    wins for the same lemma). Each pattern becomes up to two entries. One has the
    dependency constraints the engine has: a particle (the first word after the verb, if a
    preposition), an object (the head of the noun phrase after it; synsets expand to lists), a
    controlling verb before the verb (``SAID *``), an infinitive after it (``* TO
    RECONSIDER``), negation. The other checks the pattern's words by their order around the
    verb (``preceding``/``following``, with ``_`` for adjacent words). Both carry the words
    before the verb, and argument slots from ``$`` (source) and ``+`` (target).

    Codes are kept as written, also outside the CAMEO codebook (``known_code`` only notes
    them); a null code (``[---]``) makes an entry of kind :data:`NULL_KIND` that codes
    nothing; ``[032:033]`` adds the reverse-direction code.
    """
    from newsevents.coding.events.dictionary import VerbEntry  # lazy: see layer_verbs

    entries: list[VerbEntry] = []
    mapped: list[MappedPattern] = []
    defaults: dict[str, VerbEntry] = {}
    name = dictionary.path.name
    for block in dictionary.blocks:
        for form in block.forms:
            lemma = lemmatize(form.word, "VERB")
            raw = form.code or block.code
            rule = f"{name}:{form.line} {block.name}"
            particle = form.after[0] if form.after and form.after[0] in PREPOSITIONS else None
            preceding = frozenset({"_".join(form.before) + "_"}) if form.before else frozenset()
            entry = _entry(VerbEntry, rule, raw, lemma, particle=particle, preceding=preceding)
            if particle is None and not preceding:
                defaults[lemma] = entry
            else:
                entries.append(entry)
            outside = _outside(raw, known_code)
            mapped.append(MappedPattern(rule, raw, (entry,), (), outside))
        lemmas = tuple(dict.fromkeys(lemmatize(f.word, "VERB") for f in block.forms))
        phrasal = {
            (lemmatize(f.word, "VERB"), f.after[0])
            for f in block.forms
            if f.after and f.after[0] in PREPOSITIONS
        }
        for pattern in block.patterns:
            result = _map_pattern(
                dictionary, block, pattern, lemmas, known_code, lemmatize, is_verb, VerbEntry
            )
            mapped.append(result)
            entries.extend(result.entries)  # type: ignore[arg-type]
            # the block's patterns hold for its phrasal verbs too ("broke down a treaty")
            entries.extend(
                replace(e, lemmas=frozenset({lemma}), particle=particle)  # type: ignore[type-var]
                for e in result.entries
                if e.particle is None  # type: ignore[attr-defined]
                for lemma, particle in sorted(phrasal)
            )
    ordered = sorted(entries, key=lambda e: -_specificity(e))
    all_entries = (*ordered, *defaults.values())
    lemmas = frozenset(lemma for e in all_entries for lemma in e.lemmas)
    return VerbMapping(tuple(all_entries), tuple(mapped), lemmas)


def _specificity(entry: object) -> int:
    e = entry  # a VerbEntry
    return sum(
        bool(x)
        for x in (
            e.particle,  # type: ignore[attr-defined]
            e.objects,  # type: ignore[attr-defined]
            e.xcomps,  # type: ignore[attr-defined]
            e.governors,  # type: ignore[attr-defined]
            e.negated is not None,  # type: ignore[attr-defined]
            e.preceding,  # type: ignore[attr-defined]
            e.following,  # type: ignore[attr-defined]
        )
    )


def _split_code(code: str) -> tuple[str | None, str | None]:
    """``032:033`` -> (``032``, ``033``); a null part (``---``) or a missing one is None."""
    first, _, second = (part.strip() for part in code.partition(":"))
    return (
        None if not first or first in NULL_CODES else first,
        None if not second or second in NULL_CODES else second,
    )


def _outside(code: str, known_code: Callable[[str], bool]) -> tuple[str, ...]:
    """The parts of a ``[CODE]`` or ``[CODE:CODE]`` that the codebook does not have."""
    return tuple(part for part in _split_code(code) if part and not known_code(part))


def _map_pattern(
    dictionary: VerbDictionaryFile,
    block: VerbBlock,
    pattern: VerbPattern,
    lemmas: Sequence[str],
    known_code: Callable[[str], bool],
    lemmatize: Lemmatize,
    is_verb: IsVerb,
    entry_type: type,
) -> MappedPattern:
    rule = f"{dictionary.path.name}:{pattern.line} {block.name}"
    reasons: list[str] = []
    shared: dict[str, object] = {}
    preceding = sequence_texts(pattern.pre_text, dictionary, before=True)
    if preceding:
        shared["preceding"] = preceding
    source, target = _slots(pattern)
    if source:
        shared["source"] = source
    if target:
        shared["target"] = target
    coordinated = _compound_slots(pattern)
    if coordinated:
        shared["coordinated"] = coordinated
    constraints = dict(shared)
    if _negated(pattern.pre, dictionary) or _negated(pattern.post[:1], dictionary):
        constraints["negated"] = True
    governor = _governor(pattern.pre, dictionary, is_verb)
    if governor:
        constraints["governors"] = frozenset({lemmatize(governor, "VERB")})
    post_constraints, ignored_post = _post(pattern.post, dictionary, lemmatize)
    constraints.update(post_constraints)
    made = []
    checked = {k for k in constraints if k not in {"source", "target"}}
    adjacent = re.search(r"[^\s_]_+[^\s_]", pattern.post_text) is not None
    if checked and not ignored_post and not adjacent:  # only word order checks adjacency
        made.append(_entry(entry_type, rule, pattern.code, *lemmas, **constraints))
    following = sequence_texts(pattern.post_text, dictionary, before=False)
    if following:
        word_order = f"{rule} ({WORD_ORDER})"
        particle = post_constraints.get("particle")  # "clash over": the verb's particle
        made.append(
            _entry(
                entry_type, word_order, pattern.code, *lemmas,
                following=following, particle=particle, **shared,
            )
        )  # fmt: skip
    if not made:
        reasons.append("nothing the engine can check distinguishes it from the verb")
    outside = _outside(pattern.code, known_code)
    return MappedPattern(rule, pattern.code, tuple(made), tuple(reasons), outside)


def _entry(entry_type: type, rule: str, code: str, *lemmas: str, **constraints: object) -> object:
    first, reverse = _split_code(code)
    return entry_type(
        id=rule,
        code=first or "---",
        lemmas=frozenset(lemmas),
        pos=frozenset({"VERB"}),
        kind="event" if first else NULL_KIND,
        particle=constraints.get("particle"),
        objects=constraints.get("objects", frozenset()),
        xcomps=constraints.get("xcomps", frozenset()),
        governors=constraints.get("governors", frozenset()),
        negated=constraints.get("negated"),
        source=constraints.get("source", ()),
        target=constraints.get("target", PETRARCH_TARGET_SLOTS),
        examples=(),
        rule=rule,
        preceding=constraints.get("preceding", frozenset()),
        following=constraints.get("following", frozenset()),
        reverse_code=reverse if first else None,
        coordinated=constraints.get("coordinated", ()),
    )


def sequence_texts(text: str, dictionary: VerbDictionaryFile, *, before: bool) -> frozenset[str]:
    """The word sequences (``VerbEntry.preceding``/``following``) a pattern's words before
    or after ``*`` stand for: words lower-cased, ``_`` kept between adjacent words, a space
    where other words may come between. ``$ + ^ %`` stand for a phrase, so they break
    adjacency; a synset stands for each of its members (at most :data:`MAX_OBJECT_PHRASES`
    combinations). A ``_`` next to ``*`` keeps the word next to the verb (``RECENTLY_*``)."""
    options: list[list[str]] = []
    glue: list[bool] = []  # glue[i]: word i is right after word i-1
    edge_first = pending = False
    for part in re.findall(r"[^\s_]+|[\s_]+", text.strip(" \t")):
        if not part.strip(" \t_"):
            pending = pending or "_" in part
            continue
        if part in MARKERS:
            pending = False  # a phrase comes between
            continue
        members = ["_".join(m) for m in dictionary.expand(part)] if part.startswith("&") else [part]
        if not members:
            return frozenset()  # an undefined synset
        if not options:
            edge_first = pending
        glue.append(pending)
        options.append([m.lower() for m in members])
        pending = False
    edge_last = pending
    texts: set[str] = set()
    kept = list(zip(options, glue, strict=True))
    if not kept:
        return frozenset()
    for combination in itertools.islice(
        itertools.product(*(o for o, _ in kept)), MAX_OBJECT_PHRASES
    ):
        joined = combination[0]
        for word, (_, glued) in zip(combination[1:], kept[1:], strict=True):
            joined += ("_" if glued else " ") + word
        if before and edge_last:
            joined += "_"
        if not before and edge_first:
            joined = "_" + joined
        texts.add(joined)
    return frozenset(texts)


def _is_negation(word: str, dictionary: VerbDictionaryFile) -> bool:
    if word.startswith("&"):
        return any(set(p) & NEGATORS for p in dictionary.expand(word))
    return word in NEGATORS


def _negated(words: Iterable[str], dictionary: VerbDictionaryFile) -> bool:
    return any(_is_negation(w, dictionary) for w in words)


def _governor(pre: Sequence[str], dictionary: VerbDictionaryFile, is_verb: IsVerb) -> str | None:
    """The verb nearest before ``*`` that is not an auxiliary (``SAID *``, ``PLAN TO *``)."""
    words = [w for w in pre if w not in MARKERS and not w.startswith("&")]
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word in AUXILIARIES or word in NEGATORS:
            continue
        followed_by_to = index + 1 < len(words) and words[index + 1] == "to"
        if followed_by_to or word.endswith("ed") or is_verb(word):
            return word
    return None


def _compound_slots(pattern: VerbPattern) -> tuple[str, ...]:
    """The slots PETRARCH's compound-actor marker ``%`` asks to be coordinated: ``% *`` the
    subject, ``* %`` the object, ``* WITH %`` the object of ``with``."""
    slots = ["subject"] if "%" in pattern.pre else []
    post = [w for w in pattern.post if w != "^"]
    for index, word in enumerate(post):
        if word == "%":
            before = post[index - 1] if index else None
            slots.append(before if before in PREPOSITIONS else "object")
    return tuple(dict.fromkeys(slots))


def _slots(pattern: VerbPattern) -> tuple[tuple[str, ...], tuple[str, ...]]:
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    if "$" in pattern.pre:
        source = ("subject",)
    if "+" in pattern.pre:
        target = ("object",)
    post = [w for w in pattern.post if w != "^"]
    for index, word in enumerate(post):
        if word not in {"$", "+"}:
            continue
        before = post[index - 1] if index else None
        slot = before if before in PREPOSITIONS else "object"
        if word == "$" and not source:
            source = (slot,)
        elif word == "+" and not target:
            target = (slot,) if slot != "object" else ("object", "dative")
    return source, target


def _prepositions(word: str, dictionary: VerbDictionaryFile) -> frozenset[str]:
    """The prepositions a pattern word is: itself, or every member of a synset of single
    prepositions (``&PREPOSIT1``); empty when it is not one."""
    if not word.startswith("&"):
        return frozenset({word}) if word in PREPOSITIONS else frozenset()
    members = dictionary.expand(word)
    if members and all(len(m) == 1 and m[0] in PREPOSITIONS for m in members):
        return frozenset(m[0] for m in members)
    return frozenset()


def _post(
    post: Sequence[str], dictionary: VerbDictionaryFile, lemmatize: Lemmatize
) -> tuple[dict[str, object], list[str]]:
    """Particle, object and infinitive constraints from the words after the verb."""
    words = [w for w in post if w not in MARKERS and not _is_negation(w, dictionary)]
    constraints: dict[str, object] = {}
    if not words:
        return constraints, []
    used: set[int] = set()
    index = 0
    if words[0] == "to" and len(words) > 1 and words[1] not in PREPOSITIONS:
        constraints["xcomps"] = frozenset({lemmatize(words[1], "VERB")})
        used |= {0, 1}
        return constraints, [w for i, w in enumerate(words) if i not in used]
    particles = _prepositions(words[0], dictionary)
    if particles:
        constraints["particle"] = particles if len(particles) > 1 else next(iter(particles))
        used.add(0)
        index = 1
    run: list[int] = []
    for position in range(index, len(words)):
        if words[position] in PREPOSITIONS:
            break
        run.append(position)
    if run:
        constraints["objects"] = _object_phrases([words[i] for i in run], dictionary, lemmatize)
        used |= set(run)
    return constraints, [w for i, w in enumerate(words) if i not in used]


def _object_phrases(
    run: Sequence[str], dictionary: VerbDictionaryFile, lemmatize: Lemmatize
) -> frozenset[str]:
    """The object phrases a run of pattern words stands for: every combination of synset
    members (at most :data:`MAX_OBJECT_PHRASES`), articles left out, the last word also as
    its lemma. The engine wants all the words in the object's phrase, the last as its head."""
    options: list[list[tuple[str, ...]]] = []
    for word in run:
        if word in ARTICLES:
            continue
        options.append(list(dictionary.expand(word)) if word.startswith("&") else [(word,)])
    phrases: set[str] = set()
    for combination in itertools.islice(itertools.product(*options), MAX_OBJECT_PHRASES):
        words = [w for part in combination for w in part if w not in ARTICLES]
        if not words:
            continue
        phrases.add(" ".join(words))
        phrases.add(" ".join([*words[:-1], lemmatize(words[-1], "NOUN")]))
    return frozenset(phrases)
