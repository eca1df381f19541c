"""Stage 3, actors: resolve noun phrases to CAMEO actor codes across the whole article.

A noun phrase is resolved from the dictionary phrases inside it (countries, demonyms, capitals,
metonyms, regions, organizations, roles) and, for people, from the article itself: a full
descriptor ("Russian Foreign Minister Sergey Lavrov") fixes a person's actor for the article, so
a later "Lavrov", "the foreign minister" or "he" inherits it. No person dictionary is needed; the
built-in office holders in people.tsv are used only when the article gives no descriptor.

Codes compose: a prefix role (PETRARCH ``[NGO~]``), the base (a country, an organization or a
dictionary actor such as ``USAGOV``) and the role codes of the phrase in text order, each role
once (``Danish Islamist media`` -> ``DNKMUSMED``). A role noun with no country of its own takes
it from a possessor or an ``of``/``from``/``in`` phrase (``soldiers from Gondor``), or from the
first conjunct (``Danish media and government``). One phrase can stand for several actors: a
dictionary entry with several codes, coordinated countries inside one phrase (``Hungarian and
Romanian officials``, ``lawmakers in France and Germany``) and ``the two sides``/``both
countries`` (the dyad in focus). :class:`ResolvedActors` maps each phrase head to its first
actor and gives all of them through :meth:`ResolvedActors.members`. Rules: docs/actors.md.

The modules:

- :mod:`.dictionary`: loading the actor dictionaries (:class:`ActorDictionary`);
- :mod:`.phrases`: noun phrases and the dictionary entries matched in them;
- :mod:`.describe`: one phrase's actors, composed from those entries;
- :mod:`.coreference`: what an article has said so far (people, mentions, pronouns);
- :mod:`.bare_roles`: the country of a role with none of its own;
- :mod:`.resolver`: :class:`ActorResolver`, the pass over an article.
"""

from newsevents.coding.actors.bare_roles import INFERRED_COUNTRY, country_is_inferred
from newsevents.coding.actors.coreference import GROUP_PRONOUNS, PERSON_PRONOUNS, THING_PRONOUNS
from newsevents.coding.actors.describe import COUNTERPART
from newsevents.coding.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    PersonEntry,
    TokenizeFn,
    _PhraseLoader,
    load_user_actors,
    user_entry,
)
from newsevents.coding.actors.resolver import DYAD_NOUNS, DYAD_WORDS, ActorResolver, ResolvedActors

__all__ = [
    "COUNTERPART",
    "DYAD_NOUNS",
    "DYAD_WORDS",
    "GROUP_PRONOUNS",
    "INFERRED_COUNTRY",
    "PERSON_PRONOUNS",
    "THING_PRONOUNS",
    "ActorDictionary",
    "ActorEntry",
    "ActorResolver",
    "PersonEntry",
    "ResolvedActors",
    "TokenizeFn",
    "_PhraseLoader",
    "country_is_inferred",
    "load_user_actors",
    "user_entry",
]
