"""The candidate events one trigger makes: plain, framed or by means, and the acts folded
into another event when they did not happen as told.

Framing (``data/framing.yaml``) joins a framing verb and the event it governs into one event:
"refused to sign" is a rejection (127), "urged Tokyo to discuss" an appeal to meet (026),
"threatened to impose sanctions" a threat (1312). An attack noun that is a violent verb's
subject says how the act was done, the verb whom ("the car bomb killed fifty people").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from newsevents.coding.events.arguments import Pair, arguments
from newsevents.coding.events.dictionary import KEEP_CODE
from newsevents.coding.events.match import Trigger, trigger_tokens
from newsevents.coding.events.reports import speaker_for
from newsevents.coding.events.sentence import Candidate, Sentence
from newsevents.coding.events.slots import content_participle
from newsevents.model import Actor

NEAR_TOKENS = 4
"""A framed event's trigger span runs from the framing word to the governed word when they are
at most this many tokens apart ("refused to sign")."""


def event_candidates(s: Sentence, trigger: Trigger) -> list[Candidate]:
    """The candidates of an event trigger: framed when it governs an event, by means when an
    attack noun is its subject, else plain."""
    inner_index = s.inner_of.get(trigger.token.i)
    if inner_index is not None:
        return _framed(s, trigger, s.triggers[inner_index])
    means_index = s.means_of.get(trigger.token.i)
    if means_index is not None:
        return _with_means(s, trigger, s.triggers[means_index])
    return _plain(s, trigger)


def _plain(s: Sentence, trigger: Trigger) -> list[Candidate]:
    modality = s.modality(trigger.token)
    tokens = trigger_tokens(trigger.token, trigger.entry)
    pairs = arguments(s, trigger, speaker_for(s, trigger.token))
    entry = trigger.entry
    plain = [
        Candidate(trigger.token, tokens, entry.code, source, target, entry.rule, modality)
        for source, target in pairs
    ]
    if entry.reverse_code:  # the target's side of the same act ("arrived in": 032, 033)
        rule = f"{entry.rule} (reverse)"
        plain += [
            Candidate(trigger.token, tokens, entry.reverse_code, target, source, rule, modality)
            for source, target in pairs
            if source is not None and target is not None
        ]
    return plain


def _with_means(s: Sentence, verb: Trigger, means: Trigger) -> list[Candidate]:
    """The attack noun's code and source, the verb's target."""
    speaker = speaker_for(s, verb.token)
    targets = [t for _, t in arguments(s, verb, speaker) if t is not None]
    rule = f"{means.entry.rule} + {verb.entry.rule} (means and result)"
    tokens = (means.token, verb.token)
    modality = s.modality(verb.token)
    return [
        Candidate(verb.token, tokens, means.entry.code, source, target, rule, modality)
        for source, own in arguments(s, means, speaker)
        for target in [own or (targets[0] if targets else None)]
    ]


def _framed(s: Sentence, outer: Trigger, inner: Trigger) -> list[Candidate]:
    frame = s.framing.frames[str(outer.entry.frame)]
    inner_code = _governed_code(s, inner)
    code, prefix = frame.code_for(inner_code)
    if code == KEEP_CODE:
        code = inner_code
    rule = (
        f"{outer.entry.rule} + {inner.entry.rule} ({frame.rule}: {prefix or 'default'} -> {code})"
    )
    speaker = speaker_for(s, outer.token)
    inner_pairs = arguments(s, inner, speaker)
    tokens = trigger_tokens(outer.token, outer.entry)
    if 0 < inner.token.i - outer.token.i <= NEAR_TOKENS:
        tokens = (*tokens, inner.token)
    modality = s.modality(outer.token)
    found = []
    for source, own_target in arguments(s, outer, speaker):
        target = _pick_target(frame.target, own_target, inner_pairs, source)
        found.append(Candidate(outer.token, tokens, code, source, target, rule, modality))
    return found


def _governed_code(s: Sentence, inner: Trigger) -> str:
    """The code of a governed event; a governed frame codes as its own frame would."""
    nested = s.inner_of.get(inner.token.i)
    if nested is None or inner.entry.frame is None:
        return inner.entry.code
    frame = s.framing.frames[inner.entry.frame]
    nested_code = s.triggers[nested].entry.code
    code = frame.code_for(nested_code)[0]
    return nested_code if code == KEEP_CODE else code


def _pick_target(
    order: Sequence[str],
    own: Actor | None,
    inner_pairs: Sequence[Pair],
    source: Actor | None,
) -> Actor | None:
    """The framed event's target, from the frame's ``target`` order of preference."""
    for place in order:
        if place == "frame":
            candidates = [own]
        elif place == "inner-target":
            candidates = [t for _, t in inner_pairs]
        else:
            candidates = [s for s, _ in inner_pairs]
        for actor in candidates:
            if actor is not None and actor != source:
                return actor
    return None


# --- folded acts --------------------------------------------------------------------------------


def governed_acts(s: Sentence) -> list[Candidate]:
    """The acts that frames and constraints folded into another event, kept as events of
    their own when they did not happen as told: "refused to sign" (negated), "urged Tokyo
    to discuss" (hypothetical), "accused Mordor of a raid" (alleged, hypothetical)."""
    found = []
    for index in sorted(s.framed - set(s.means_of.values()) - s.contents):
        trigger = s.triggers[index]
        if trigger.entry.kind != "event" or s.modality(trigger.token) == "asserted":
            continue
        if _kept_by_frame(s, index):
            continue  # "ordered the expulsion of": the order is the expulsion, told once
        doer = _doer(s, trigger.token)
        for candidate in event_candidates(s, trigger):
            if doer is not None and (candidate.source is None or candidate.source == doer[1]):
                candidate = replace(candidate, source=doer[0])
            found.append(candidate)
    return found


def _kept_by_frame(s: Sentence, index: int) -> bool:
    """Whether a frame that keeps the governed act's own code folds the act ("ordered the
    expulsion of X" is the expulsion): the framed event already is that act."""
    for outer, inner in s.inner_of.items():
        if inner != index:
            continue
        frame = s.framing.frames[str(s.triggers[outer].entry.frame)]
        if frame.code_for(_governed_code(s, s.triggers[inner]))[0] == KEEP_CODE:
            return True
    return False


def _doer(s: Sentence, token: Token) -> tuple[Actor | None, Actor | None] | None:
    """(who would do a folded act, the folding event's source): the addressee of an
    appeal, demand or accusation ("accused Mordor of a raid": the raid is Mordor's), else
    the folding event's own source ("threatened Ukraine with sanctions")."""
    for trigger in s.triggers.values():
        folded = s.inner_of.get(trigger.token.i) == token.i or any(
            t.i == token.i for t in s.absorbed(trigger)
        )
        if not folded:
            continue
        pairs = arguments(s, trigger, speaker_for(s, trigger.token))
        source = pairs[0][0] if pairs else None
        frame = s.framing.frames.get(str(trigger.entry.frame))
        if frame is not None and "inner-source" in frame.target:
            targets = [t for _, t in pairs if t is not None]
            return (targets[0] if targets else None), source
        return source, None
    return None


def statement_contents(s: Sentence, found: list[Candidate]) -> list[Candidate]:
    """The act a statement noun's participle names ("issued a declaration demanding that X
    ...") is what the statement says, so it takes the statement's place (and its word as
    anchor, so that it is as near the root as the statement was)."""
    contents = {
        id(c): c.anchor.head
        for c in found
        if c.source is not None
        and content_participle(c.anchor, c.anchor.head)
        and any(o.anchor.i == c.anchor.head.i and o.code[:2] in s.roots.statement for o in found)
    }
    said = {noun.i for noun in contents.values()}
    kept = []
    for c in found:
        noun = contents.get(id(c))
        if noun is not None:
            kept.append(replace(c, anchor=noun, tokens=(noun, *c.tokens)))
        elif not (c.anchor.i in said and c.code[:2] in s.roots.statement):
            kept.append(c)
    return kept
