"""Reports: what a reporting verb ("said", "told", "announced") makes of the act in its clause.

"X said Y attacked Z" is the attack; the speaker's own future act is an intent ("Russia said it
would cooperate" is 032; negated, a refusal); "X said Y must act" is X's demand on Y
(framing.yaml ``modal_frames``); otherwise the report is a statement by its subject, refined by
a comment word in its clause ("no expectations" makes a pessimistic comment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from spacy.tokens import Token

from newsevents.coding.events.arguments import arguments
from newsevents.coding.events.dictionary import KEEP_CODE
from newsevents.coding.events.match import Trigger, trigger_tokens
from newsevents.coding.events.parties import SPEAKER_PRONOUNS, SUBJECT_PRONOUNS, owner
from newsevents.coding.events.sentence import Candidate, Sentence
from newsevents.coding.events.slots import inherited, slot_tokens
from newsevents.coding.events.structure import REPORTED_DEPS, reported_tokens
from newsevents.coding.events.syntax import controllers, has_lemma, word_class
from newsevents.model import Actor

SPEAKER_INTENT_FRAME = "intent"
SPEAKER_REFUSAL_FRAME = "refusal"


# --- the speaker --------------------------------------------------------------------------------


def speaker(s: Sentence, report_index: int) -> Actor | None:
    """Who speaks in a report: its subject's actor, else the actor behind the subject phrase
    ("a group of Yoruba leaders said")."""
    sources = slot_tokens(s.triggers[report_index].token, "subject", s.light_verbs)
    found = next((s.actors[t.i] for t in sources if t.i in s.actors), None)
    if found is None:  # "a group of Yoruba leaders said": the actor behind the phrase
        found = next((a for t in sources for a in owner(s, t)), None)
    return found


def speaker_for(s: Sentence, token: Token) -> Actor | None:
    """The speaker of the report whose clause holds the token, if any."""
    report = s.reported.get(token.i)
    return speaker(s, report) if report is not None else None


# --- an act in a reported clause ----------------------------------------------------------------


def in_report(
    s: Sentence, candidate: Candidate, trigger: Trigger, report: int
) -> tuple[Candidate, bool]:
    """An event in a reported clause, and whether it replaces the report as the event:

    - "X said Y must/should do Z": X demands (appeals) that Y does Z (framing.yaml
      ``modal_frames``);
    - a future or hypothetical act of the speaker ("Russia said it would cooperate"), or a
      definite future act of anyone ("Y will visit Z, X said"): an intent (negated: a
      refusal);
    - an asserted act: the act itself ("X said Y attacked Z");
    - anything else leaves the report a statement.
    """
    if _in_relative_clause(candidate.anchor, report):  # "... to Macedonia, which is
        return candidate, False  # preparing an offensive, the paper said": not the report
    said_by = speaker(s, report)
    if _speaker_pronoun(candidate.source, said_by):  # "X announced that he ...": X as named
        candidate = replace(candidate, source=said_by)
    negated, future, hypothetical = s.modal_flags(candidate.anchor)
    if (future or hypothetical) and _governed_by_event(s, candidate.anchor):
        return candidate, False  # "a judge ordered X to appear for questioning, Y said"
    by_speaker = _by_speaker(s, candidate, trigger, said_by)
    modal = modal_frame(s, candidate.anchor)
    if modal is not None and not by_speaker and candidate.source is not None:
        demanded = replace(candidate, source=said_by, target=candidate.source)
        return reframe(s, demanded, report, modal), True
    if future or hypothetical:
        if _forecast(s, candidate.anchor) or not (by_speaker or (future and not hypothetical)):
            return candidate, False  # "Japan said China could attack": Japan's statement
        name = SPEAKER_REFUSAL_FRAME if negated else SPEAKER_INTENT_FRAME
        intended = replace(candidate, source=candidate.source or said_by)
        return reframe(s, intended, report, name), True
    replaces = _replaces_report(s, candidate, said_by)
    return candidate, replaces and not _demand_above(s, candidate.anchor, report)


def _replaces_report(s: Sentence, candidate: Candidate, said_by: Actor | None) -> bool:
    """Whether a reported act that is neither intent nor demand is the event of the report, so
    that the report is no statement of its own: an act told as done or as not done ("X said Y
    attacked Z"; "officials said Washington had not asked Seoul to ...") whose doer is named,
    or a verb's act on someone ("a bomb killed eight people, officials said"), or any act of an
    unnamed speaker. An event noun the clause talks about ("said talks would be difficult") is
    no act the report tells."""
    if candidate.modality not in {"asserted", "negated"}:
        return False
    if candidate.source is not None:
        return True
    return (
        (candidate.target is not None or said_by is None)
        and word_class(candidate.anchor) != "NOUN"
        and candidate.code[:2] not in s.roots.statement
    )


def _demand_above(s: Sentence, token: Token, report: int) -> bool:
    """Whether the reported clause puts a modal on someone's act above the token ("said the
    authorities must ensure security so that people can return"): the report is that demand,
    and an act below it does not replace it."""
    modal = _modal_clause(s, s.triggers[report].token)
    return modal is not None and not any(
        c.dep_ in REPORTED_DEPS and c.i == token.i for c in s.triggers[report].token.children
    )


def _forecast(s: Sentence, token: Token) -> bool:
    """Whether the act is future only as others expect it ("Y is expected to sign", "is due
    to visit"): a forecast, not anyone's announced intent."""
    return any(
        has_lemma(node, s.words.future_governors)
        and any(c.dep_ == "auxpass" for c in node.children)
        for node in controllers(token)[1:]
    )


def _governed_by_event(s: Sentence, token: Token) -> bool:
    """Whether an event word of the clause controls the act ("ordered X to appear for
    questioning"): the act is that event's content, not the speaker's intent."""
    return any(s.is_event(node.i) for node in controllers(token)[1:])


def _by_speaker(s: Sentence, candidate: Candidate, trigger: Trigger, said_by: Actor | None) -> bool:
    """Whether the reported act is the speaker's own: same side, or a pronoun subject
    ("the party said it would boycott the vote")."""
    if candidate.source is not None:
        return said_by is None or _same_side(candidate.source, said_by)
    subjects = slot_tokens(trigger.token, "subject", s.light_verbs)
    subjects = subjects or inherited(trigger.token, "subject", s.light_verbs)
    return any(t.lower_ in SPEAKER_PRONOUNS for t in subjects)


def modal_frame(s: Sentence, token: Token) -> str | None:
    """The frame a modal of the reported act calls for ("must" -> demand)."""
    for node in controllers(token):
        for child in node.children:
            if child.dep_ == "aux":
                frame = s.framing.modal_frames.get(child.lower_)
                if frame is not None:
                    return frame
    return None


def reframe(s: Sentence, candidate: Candidate, report: int, name: str) -> Candidate:
    """Recode a reported act through a frame; the report's word anchors it."""
    frame = s.framing.frames[name]
    code, prefix = frame.code_for(candidate.code)
    if code == KEEP_CODE:
        code = candidate.code
    report_trigger = s.triggers[report]
    rule = (
        f"{report_trigger.entry.rule} + {candidate.rule} "
        f"({frame.rule}: {prefix or 'default'} -> {code})"
    )
    return replace(
        candidate,
        anchor=report_trigger.token,
        code=code,
        rule=rule,
        modality=s.modality(report_trigger.token),
    )


def _speaker_pronoun(actor: Actor | None, said_by: Actor | None) -> bool:
    """A pronoun subject of a reported clause that stands for the speaker ("Gorbachev said he
    would resign"): the speaker's named mention is the better source."""
    if actor is None or said_by is None or actor.text.lower() not in SUBJECT_PRONOUNS:
        return False
    return actor.code == said_by.code and actor.span != said_by.span


def _in_relative_clause(token: Token, report: int) -> bool:
    """Whether the token sits in a relative clause below the report: background to what is
    reported, not the reported act."""
    node = token
    while node.i != report and node.head.i != node.i:
        if node.dep_ == "relcl":
            return True
        node = node.head
    return False


def _same_side(actor: Actor, said_by: Actor) -> bool:
    """Whether an act's source is the speaker (or speaks for the same country)."""
    if actor.code == said_by.code or actor.span == said_by.span:
        return True
    return actor.country is not None and actor.country == said_by.country


# --- a report as a statement --------------------------------------------------------------------


def statement(s: Sentence, trigger: Trigger) -> list[Candidate]:
    """A report coded as a statement by its subject, refined by a comment in its clause.

    A statement is a political act only when a coded speaker says something of a coded other
    party ("Japan said Moscow's decision came as a surprise", "Kabul announced a truce with the
    Taliban"); a speaker no dictionary knows ("said Lin, a boat owner") or a bare statement
    about no other party ("the coast guard said there were no reports of damage", "was
    maintaining full readiness", "claims the sea") makes no event, and a reporting word that is
    itself what another report tells ("said its forces responded") is no second report. A
    comment word ("said talks would be difficult") or a modal ("said Y must act") makes a
    stance, an event of its speaker."""
    clause = reported_tokens(trigger.token) or [  # "claims to be making arms to use
        t for c in trigger.token.children if c.dep_ == "xcomp" for t in c.subtree
    ]  # against the US": what the speaker says of itself
    if _told_by_another(s, trigger.token):
        return []
    code, rule = trigger.entry.code, trigger.entry.rule
    comment = _comment_in(s, trigger.token)
    if comment is not None:
        code, rule = comment.entry.code, comment.entry.rule
    modal = _modal_clause(s, trigger.token)
    found = []
    for source, own_target in arguments(s, trigger, None):
        target = own_target
        if source is None:
            continue
        if modal is not None and modal[1] != source:  # "X said Y must act"
            frame = s.framing.frames[modal[0]]
            code, prefix = frame.code_for("")
            rule = f"{trigger.entry.rule} ({frame.rule}: {prefix or 'default'} -> {code})"
            target = modal[1]
        elif target is None or target.country is None:  # "told reporters": prefer a party
            target = _other_actor_in(clause, s.actors, source) or target
        if comment is None and modal is None and not _other_party(source, target):
            continue
        tokens = trigger_tokens(trigger.token, trigger.entry)
        modality = s.modality(trigger.token)
        found.append(Candidate(trigger.token, tokens, code, source, target, rule, modality))
    return found


def _told_by_another(s: Sentence, report: Token) -> bool:
    """Whether a reporting word is the content of another report and has no clause of its own
    ("the military said its forces responded with fire": what is said, not a second report)."""
    teller = s.reported.get(report.i)
    if teller is None or teller == report.i:
        return False
    return not any(c.dep_ in REPORTED_DEPS or c.dep_ == "xcomp" for c in report.children)


def _other_party(source: Actor, target: Actor | None) -> bool:
    """Whether a statement's target is a party (a country, or an organization such as the UN)
    other than its speaker: "told reporters" names none, "told Hungarian reporters" Hungary."""
    if target is None or target.code == source.code:
        return False
    if target.country is None:
        return target.role is None
    return target.country != source.country


def _modal_clause(s: Sentence, report: Token) -> tuple[str, Actor] | None:
    """(frame, subject) when the reported clause puts a modal on someone's act ("said
    Libya must hand over the suspects")."""
    for clause in report.children:
        if clause.dep_ not in REPORTED_DEPS:
            continue
        frame = modal_frame(s, clause)
        subjects = [
            a for t in slot_tokens(clause, "subject", s.light_verbs) for a in s.members(t.i)
        ]
        if frame is not None and subjects:
            return frame, subjects[0]
    return None


def _comment_in(s: Sentence, report: Token) -> Trigger | None:
    for index, trigger in s.triggers.items():
        if trigger.entry.kind == "comment" and s.reported.get(index) == report.i:
            return trigger
    return None


def _other_actor_in(
    tokens: Iterable[Token], actors: Mapping[int, Actor], source: Actor | None
) -> Actor | None:
    """The first actor in the reported clause from another country than the speaker's."""
    for token in tokens:
        actor = actors.get(token.i)
        if actor is None or source is None:
            continue
        if actor.country != source.country and actor.code != source.code:
            return actor
    return None
