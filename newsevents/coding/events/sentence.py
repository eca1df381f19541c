"""One sentence as the event coder's stages see it: its triggers, its actors, the
dictionaries, and how its triggers fold into each other; and the candidate events the stages
make of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.tokens import Token

from newsevents.coding.events import structure
from newsevents.coding.events.dictionary import Framing, ModalityWords, RootPolicies
from newsevents.coding.events.match import Trigger
from newsevents.coding.events.modality import modal_flags, modality
from newsevents.model import Actor, Modality


@dataclass(frozen=True)
class Sentence:
    """The triggers and actors of one sentence, carried through the coder's stages."""

    triggers: Mapping[int, Trigger]
    actors: Mapping[int, Actor]
    framing: Framing
    words: ModalityWords
    inner_of: Mapping[int, int]
    """Framing token index -> governed trigger index."""
    means_of: Mapping[int, int]
    """Violent verb index -> the attack noun that is its subject ("the car bomb killed")."""
    framed: frozenset[int]
    """Triggers folded into another event: governed, means, or named by an entry."""
    reported: Mapping[int, int]
    """Token index -> index of the report that reports it."""
    contents: frozenset[int] = frozenset()
    """Nouns that are what another trigger's event is about ("host talks"): folded, and never
    events of their own."""
    results: Mapping[int, int] = field(default_factory=dict)
    """Violent participle index -> the violent act whose result it tells ("struck a house,
    killing six"): one event with that act when the act names whom it struck."""

    @classmethod
    def read(
        cls,
        triggers: Mapping[int, Trigger],
        actors: Mapping[int, Actor],
        framing: Framing,
        words: ModalityWords,
    ) -> Sentence:
        """The sentence with its folds worked out."""
        inner_of = structure.governed_events(triggers, framing.light_verbs)
        contents = frozenset(
            structure.contents_of(triggers, framing.roots.content) - set(inner_of.values())
        )
        results = structure.results_of(triggers, framing.roots.violent, framing.light_verbs)
        means_of = structure.means_of(triggers, framing.roots.violent)
        framed = frozenset(
            set(inner_of.values())
            | set(means_of.values())
            | {t.i for trigger in triggers.values() for t in structure.absorbed(trigger, triggers)}
            | contents
        )
        reported = structure.reports_of(triggers)
        folds = (inner_of, means_of, framed, reported, contents, results)
        return cls(triggers, actors, framing, words, *folds)

    @property
    def light_verbs(self) -> frozenset[str]:
        return self.framing.light_verbs

    @property
    def roots(self) -> RootPolicies:
        return self.framing.roots

    def is_event(self, index: int) -> bool:
        """Whether an event trigger (not a report or comment) is at the token."""
        return index in self.triggers and self.triggers[index].entry.kind == "event"

    def members(self, index: int) -> tuple[Actor, ...]:
        """Every actor a phrase stands for ("Hungarian and Romanian officials" is two)."""
        members = getattr(self.actors, "members", None)
        if members is not None:
            return tuple(members(index))
        actor = self.actors.get(index)
        return (actor,) if actor is not None else ()

    def absorbed(self, trigger: Trigger) -> list[Token]:
        """The event words the trigger's entry names in its own constraints."""
        return structure.absorbed(trigger, self.triggers)

    def modality(self, token: Token) -> Modality:
        return modality(token, self.words)

    def modal_flags(self, token: Token) -> tuple[bool, bool, bool]:
        return modal_flags(token, self.words)


@dataclass(frozen=True)
class Candidate:
    """An event before it becomes an :class:`~newsevents.model.Event`: where it sits, what it
    codes, who."""

    anchor: Token
    """The token whose place in the tree ranks the event (the framing word of a framed event)."""
    tokens: tuple[Token, ...]
    """The words of the trigger span."""
    code: str
    source: Actor | None
    target: Actor | None
    rule: str
    modality: Modality
