"""PETRARCH-2 / TABARI dictionaries as input: actors, agents, verbs and discards.

The readers turn the text formats of the PETRARCH and TABARI event coders into records
(:class:`ActorDictionaryFile`, :class:`AgentDictionaryFile`, :class:`VerbDictionaryFile`,
:class:`DiscardFile`) and raise :class:`~newsevents.errors.DictionaryError` naming ``file:line``
for a bad entry. :func:`verb_entries` maps verb patterns onto newsevents' own verb-dictionary
entries as far as the dependency-based engine can express them; what it cannot express is
listed per pattern in :attr:`VerbMapping.unsupported`. Formats and the mapping rules:
docs/actors.md ("PETRARCH and TABARI dictionaries").

The modules: :mod:`.lines` (lines, words, dates), :mod:`.actor_files` (actors and agents),
:mod:`.verb_files` (verb blocks and patterns), :mod:`.verb_mapping` (patterns onto verb
entries), :mod:`.files` (formats, :class:`PetrarchFiles`, discards) and :mod:`.layering` (PETRARCH
verbs over the built-in dictionary).
"""

from newsevents.coding.petrarch.actor_files import (
    ACTOR_CODE_TEXT,
    DATED,
    ROLE_CODE_TEXT,
    ActorDictionaryFile,
    AgentDictionaryFile,
    DatedCode,
    PetrarchActor,
    PetrarchAgent,
    codes_on,
    plural,
    read_actors,
    read_agents,
)
from newsevents.coding.petrarch.files import (
    FORMATS,
    Discard,
    DiscardFile,
    Discards,
    PetrarchFiles,
    dictionary_format,
    read_discards,
)
from newsevents.coding.petrarch.layering import (
    WordAnalyzer,
    dictionary_words,
    layer_verbs,
)
from newsevents.coding.petrarch.lines import (
    CODE_GROUP,
    NULL_CODES,
    TWO_DIGIT_YEAR_PIVOT,
    Line,
    parse_date,
    read_lines,
)
from newsevents.coding.petrarch.verb_files import (
    EVENT_CODE_TEXT,
    HEADER,
    PATTERN_CODE,
    VerbBlock,
    VerbDictionaryFile,
    VerbForm,
    VerbPattern,
    read_verbs,
)
from newsevents.coding.petrarch.verb_mapping import (
    ARTICLES,
    AUXILIARIES,
    MARKERS,
    MAX_OBJECT_PHRASES,
    NEGATORS,
    NULL_KIND,
    PETRARCH_TARGET_SLOTS,
    PREPOSITIONS,
    WORD_ORDER,
    IsVerb,
    Lemmatize,
    MappedPattern,
    VerbMapping,
    sequence_texts,
    verb_entries,
)

__all__ = [
    "ACTOR_CODE_TEXT",
    "ARTICLES",
    "AUXILIARIES",
    "CODE_GROUP",
    "DATED",
    "EVENT_CODE_TEXT",
    "FORMATS",
    "HEADER",
    "MARKERS",
    "MAX_OBJECT_PHRASES",
    "NEGATORS",
    "NULL_CODES",
    "NULL_KIND",
    "PATTERN_CODE",
    "PETRARCH_TARGET_SLOTS",
    "PREPOSITIONS",
    "ROLE_CODE_TEXT",
    "TWO_DIGIT_YEAR_PIVOT",
    "WORD_ORDER",
    "ActorDictionaryFile",
    "AgentDictionaryFile",
    "DatedCode",
    "Discard",
    "DiscardFile",
    "Discards",
    "IsVerb",
    "Lemmatize",
    "Line",
    "MappedPattern",
    "PetrarchActor",
    "PetrarchAgent",
    "PetrarchFiles",
    "VerbBlock",
    "VerbDictionaryFile",
    "VerbForm",
    "VerbMapping",
    "VerbPattern",
    "WordAnalyzer",
    "codes_on",
    "dictionary_format",
    "dictionary_words",
    "layer_verbs",
    "parse_date",
    "plural",
    "read_actors",
    "read_agents",
    "read_discards",
    "read_lines",
    "read_verbs",
    "sequence_texts",
    "verb_entries",
]
