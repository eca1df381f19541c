"""Stage 4, events: find event triggers with the verb dictionary and code them in CAMEO.

The dictionary (``data/verbs.yaml``, format in docs/dictionaries.md) maps trigger lemmas (verbs,
event nouns such as "visit" or "sanctions") with optional constraints to CAMEO codes. For each
trigger the coder takes the source and target from dependency slots (subject, object,
prepositional objects, possessors), follows control and coordination (``promised to continue``,
``Russia and Japan``), and records negation and modality.

Framing (``data/framing.yaml``) joins a framing verb and the event it governs into one event:
"refused to sign" is a rejection (127), "urged Tokyo to discuss" an appeal to meet (026),
"threatened to impose sanctions" a threat (1312). Reporting verbs code the event in their clause
when there is one ("X said Y attacked Z" is an attack); a speaker's own future act is an intent
("Russia said it would cooperate" is 032); otherwise the report is a statement, refined by the
comment words found in the reported clause ("no expectations" makes a pessimistic comment).
Each sentence's principal event (``is_root``) is the asserted event nearest the root of the
dependency tree.

The modules, in the order a sentence goes through them:

- :mod:`.dictionary`: verbs.yaml, modality.yaml and framing.yaml, read into records;
- :mod:`.syntax`, :mod:`.slots`: dependency-tree helpers and a trigger's slots;
- :mod:`.match`: the entry that fits a token (:class:`Trigger`);
- :mod:`.structure`: how a sentence's triggers fold into each other;
- :mod:`.sentence`: one sentence's triggers and actors, carried through the stages;
- :mod:`.parties`, :mod:`.targets`, :mod:`.arguments`: a trigger's source and target;
- :mod:`.modality`: negated, future, hypothetical or asserted;
- :mod:`.framing`, :mod:`.reports`: frames, means, folded acts, and what a report makes of
  the act it reports;
- :mod:`.coder`: :class:`EventCoder`, the events kept, their ids.
"""

from newsevents.coding.events.coder import EventCoder, event_id
from newsevents.coding.events.dictionary import (
    KEEP_CODE,
    Frame,
    Framing,
    ModalityWords,
    RootPolicies,
    VerbDictionary,
    VerbEntry,
    parse_verb_entry,
)
from newsevents.coding.events.match import Trigger
from newsevents.coding.events.slots import clause_subjects as _clause_subjects
from newsevents.coding.events.syntax import lemmas, word_class

__all__ = [
    "KEEP_CODE",
    "EventCoder",
    "Frame",
    "Framing",
    "ModalityWords",
    "RootPolicies",
    "Trigger",
    "VerbDictionary",
    "VerbEntry",
    "_clause_subjects",
    "event_id",
    "lemmas",
    "parse_verb_entry",
    "word_class",
]
