"""What the mention rules share: the confidence each rule earns, the shape of a name token,
the capitalised words that are not names, and the candidate type."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Mention

ACTOR_TYPES = frozenset({"Person", "Organization", "Country", "MilitaryUnit"})
PLACE_TYPES = frozenset({"Place", "MilitaryBase"})

# How sure a rule is of what it finds (kgo:confidence): a lexicon name is near-certain, a
# capitalised word after "in" is a guess.
CONFIDENCE = {
    "lexicon": 0.95, "lexicon-generic": 0.85, "metonym": 0.8, "fuzzy-lexicon": 0.75,
    "demonym": 0.6, "qualifier": 0.6,
    "title-person": 0.85, "role-person": 0.8, "coordinated-person": 0.7, "short-name": 0.8,
    "org-head": 0.75, "org-cue": 0.8, "acronym": 0.8, "unit-head": 0.8,
    "place-head": 0.75, "place-kind": 0.75, "base-head": 0.8, "base-apposition": 0.75, "place-preposition": 0.5,
    "ship-class": 0.8, "ship-name": 0.85, "ship-prefix": 0.9, "evidence": 0.6, "part-of-name": 0.8,
    "alias-in-brackets": 0.8, "dateline-agency": 0.8, "dateline-place": 0.75, "photo-credit": 0.75, "byline": 0.75,
    "post-author": 0.75,
    "home-institution": 0.7, "listed": 0.7,
}

# British style writes them without a full stop ("Ms Anele"); they are never part of the name
COURTESY_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr."})

# Capitalised words that start sentences or clauses rather than names.
LEADING_WORDS = frozenset("""
The A An For In At On According During If As But And Also While When After Before Since Meanwhile
However Additionally Speaking Visiting Both One Two Three Four Five Six Seven Eight Nine Ten This That These
Those It Its Their His Her Our We They He She Some Many Most Several Earlier Later Last Next Yet Still
Now Then Under Over From To By With Without Amid Despite Following Asked Citing Unlike Like Of Is Was
Islamist Jihadist Militant Rebel Separatist Paramilitary Insurgent Pro Anti
Along Across Near Inside Outside Behind Beyond Through Throughout Toward Towards Against Around Between Among
Photo Photos Picture Pictures Photograph Credit Video Image Images Watch Read Source Sources File Supplied Caption
Updated Reporting Editing
""".split())
MONTHS = frozenset("January February March April May June July August September October November December "
                   "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())

# a word of a name: "Kim", "Jong-un", "O'Brien", "U.S.", "11th"; never a possessive "'s"
# A hyphen joins the parts of a name ("Nagorno-Karabakh", "Jong-un") but not a name and the word
# that makes it an adjective ("Houthi-owned", "Panama-flagged"); "al-Burhan" is one word.
_NOT_NAME_PART = ("owned|flagged|backed|led|aligned|controlled|held|brokered|based|linked|affiliated|allied|run|"
                  "operated|funded|supported|registered|bound|made|built|class|type|style|era|born|occupied|annexed|"
                  "dominated|majority|speaking|language|wide|level|run")
TOKEN = (r"(?:\d+(?:st|nd|rd|th)|(?:[A-Z]\.){2,}|[A-Z]\.(?=[ \t]+[A-Z][a-z])|(?:St|Ste|Mt|Ft)\.(?=[ \t]+[A-Z])|(?:al|el|ad|ar|as|an|bin|ibn)-[A-Z]\w*|(?:Al|El)-[ \t][A-Z]\w*|"
         r"(?:People|Peoples|Workers|Women|Martyrs|Mujahideen)['’]s(?=[ \t]+[A-Z])|"
         rf"[A-ZÀ-Ý][\w]*(?:-(?!(?:{_NOT_NAME_PART})\b)\w+|['’](?!s\b)\w+)*)")
TOKEN_RE = re.compile(TOKEN)


@dataclass(frozen=True)
class Candidate:
    mention: Mention
    priority: int        # lower wins a tie of lengths: lexicon 0, patterns 1


def plural(word: str) -> str:
    """Example:
        >>> [plural(w) for w in ("ferry", "frigate", "landing craft", "bus")]
        ['ferries', 'frigates', 'landing crafts', 'buses']
    """
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"
