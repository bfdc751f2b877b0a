"""Types for names no rule is sure of, from the evidence around them.

Every capitalised run of words is a candidate name. Where the strong rules of ``mentions``
(titles, head words, the lexicons) say nothing, each cue in the text is a piece of evidence
for a type, with a weight: a town of the gazetteer (Place), "said" after the name (an actor),
"told Reuters" (an outlet), "posted on Telegram" (a platform), "the Houthi rebels" (a group),
an acronym that acts ("JNIM killed"). The evidence of every occurrence of a name in the
article is summed; the type with the most wins if it reaches ``THRESHOLD``. A name with too
little evidence is dropped, not guessed. Each decision keeps its evidence, so ``kg explain``
can show why a name got its type.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.gazetteer import GazetteerPlace
from kg.lexicon import Lexicons
from kg.text import name_key

# The least summed weight that makes a type: one cue of weight 0.5, or two weak ones.
THRESHOLD = 0.5


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: what was seen, the type it points to, and how much it counts."""

    what: str
    type: str
    weight: float

    def __str__(self) -> str:
        return f"{self.what} -> {self.type} ({self.weight:.2f})"


@dataclass(frozen=True)
class Decision:
    type: str
    score: float
    cues: tuple[Cue, ...]


def decide(cues: Iterable[Cue]) -> Decision | None:
    """The type the evidence favours, or None when it is too weak or split evenly.

    Example:
        >>> decide([Cue("said after it", "Actor", 0.3), Cue("told it", "Organization", 0.5)]).type
        'Organization'
        >>> decide([Cue("after 'in'", "Place", 0.3)]) is None
        True
    """
    cues = tuple(cues)
    totals: dict[str, float] = {}
    for c in cues:
        totals[c.type] = totals.get(c.type, 0.0) + c.weight
    actor = totals.pop("Actor", 0.0)       # "X said": a person or an organisation, not a place
    if not totals and actor:
        return None
    for t in ("Person", "Organization"):
        if t in totals:
            totals[t] += actor
    if not totals:
        return None
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    best, score = ranked[0]
    if score < THRESHOLD or (len(ranked) > 1 and ranked[1][1] >= score):
        return None
    return Decision(best, min(0.9, round(score, 2)), cues)


class EvidenceFinder:
    """The cues around one occurrence of a candidate name. Word lists come from patterns.toml."""

    def __init__(self, lexicons: Lexicons, cities: dict[str, GazetteerPlace]) -> None:
        w = lexicons.words
        self.cities = cities
        self._speech = _words_after(w("speech_verbs"))
        self._agent = _words_after(set(w("agent_verbs")) - set(w("speech_verbs")))
        self._told = re.compile(r"\b(?:told|tells|telling|interview with|speaking to|quoted by|reported by|"
                                r"according to|citing|cited by|said to|wrote in|writing in)\s+(?:the\s+)?$", re.I)
        self._platform = re.compile(r"\b(?:on|via|through)\s+(?:the\s+)?(?:(?:social\s+)?(?:media\s+)?"
                                    r"(?:platform|network|channel|app|site|messaging app)\s+)?$", re.I)
        self._posting = re.compile(r"\b(?:post(?:ed|s|ing)?|said|wrote|published|shared|statement|message|video|"
                                   r"announced|channel|account)\b", re.I)
        self._group_after = re.compile(r"\s+(?:" + "|".join(re.escape(g) for g in w("group_nouns")) + r")\b")
        self._place_before = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in w("place_prepositions")) +
                                        r")\s+(?:the\s+)?$")
        self._compound = re.compile(r"-(?:" + "|".join(re.escape(c) for c in w("actor_compounds")) + r")\b")
        roles = "|".join(re.escape(r) for r in sorted({*w("person_roles_after"), *w("person_titles")}, key=len,
                                                       reverse=True) if not r.endswith("."))
        # "X, a senior fellow at Y", "X, the group's spokesman"
        self._role_after = re.compile(rf",\s+(?:(?:a|an|the|his|her|its|their)\s+|[A-Z][\w]*['’]s\s+)"
                                      rf"(?:[\w’'-]+\s+){{0,4}}?(?:{roles})\b|,\s+(?-i:[A-Z][\w-]*\s+){{0,2}}(?-i:"
                                      rf"Director|President|Minister|Secretary|Commander|Chief|Head|Governor|"
                                      rf"Spokesman|Spokesperson|Ambassador|General)\b", re.I)
        # "The Houthi military spokesman, Yahya Saree, said"
        # "the chief of al Shabaab's intelligence wing, Tahliil Abdishakur"
        self._role_before = re.compile(rf"\b(?:{roles})\b(?:\s+(?:of|for|at)\s+[^,.;]{{1,60}})?,\s+$", re.I)
        self._led_by = re.compile(r"\b(?:led|headed|commanded|founded|run|chaired) by\s+(?:the\s+)?$|"
                                  r"\bloyal to\s+(?:the\s+)?$", re.I)
        self._reporting = re.compile(r",\s+(?:reporting|speaking|writing|who spoke|who reported)\b")

    def cues(self, text: str, sentence_start: int, sentence_end: int, start: int, end: int,
             words: list[str]) -> list[Cue]:
        """Evidence for the name at ``text[start:end]`` (its words ``words``), from its sentence."""
        name = text[start:end]
        before = text[max(sentence_start, start - 60):start]
        after = text[end:min(sentence_end, end + 60)]
        cues: list[Cue] = []
        looks_personal = 2 <= len(words) <= 4 and all(_name_word(x) for x in words)
        acronym = len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]) is not None
        place = self.cities.get(name_key(name))
        if place is not None and not acronym:
            cues.append(Cue(f"GeoNames town {place.name} ({place.country_code}, geonames:{place.geonames_id})",
                            "Place", 0.6))
        if self._place_before.search(before):
            cues.append(Cue("after a preposition of place", "Place", 0.3))
        organisation_like = words[0] == "Al" or not looks_personal      # "Al Jazeera", "Al Masirah"
        who = "Organization" if organisation_like else "Person"
        speech = self._speech.match(after)
        if speech:
            cues.append(Cue(f"subject of '{speech.group(1)}'", who, 0.5))
        agent = self._agent.match(after)
        if agent:
            cues.append(Cue(f"subject of '{agent.group(1)}'", "Actor", 0.3))
        told = self._told.search(before)
        if told:
            cues.append(Cue(f"after '{told.group(0).strip()}'", who, 0.5))
        if self._platform.search(before) and self._posting.search(text[sentence_start:start]):
            cues.append(Cue("the platform a statement was posted on", "Organization", 0.5))
        if re.search(r"\bin\s+an?\s+$", before) and re.match(r"\s+(?:statement|post|video|message|broadcast)\b", after):
            cues.append(Cue("'in a ... statement': a platform or an outlet", "Organization", 0.5))
        passive = re.search(r"\b(?:said|stated|announced|reported|claimed|confirmed)\s+(?:\w+\s+){0,2}by\s+$", before)
        if passive:
            cues.append(Cue(f"after '{passive.group(0).strip()}'", who, 0.5))
        group = self._group_after.match(after)
        if group:
            cues.append(Cue(f"before '{group.group(0).strip()}'", "Organization", 0.6))
        compound = self._compound.match(text, end)
        if compound:
            cues.append(Cue(f"'{name}{compound.group(0)}'", "Actor", 0.3))
        if acronym:
            cues.append(Cue("an acronym", "Organization", 0.25))
        if 2 <= len(words) <= 3 and re.match(r"/[A-Z]", after) and all(w[:1].isupper() and len(w) > 1 for w in words):
            cues.append(Cue("a photo credit ('Name/Agency')", "Person", 0.6))     # "[File: Aziz Karimov/Reuters]"
        role_after = self._role_after.match(after) if looks_personal else None
        if role_after:
            cues.append(Cue(f"a role after it ('{role_after.group(0).strip(', ')}')", "Person", 0.6))
        role_before = self._role_before.search(before) if looks_personal else None
        if role_before and re.match(r"\s*(?:[,).;]|$)", after):
            cues.append(Cue(f"in apposition to '{role_before.group(0).strip(', ')}'", "Person", 0.6))
        led_by = self._led_by.search(before)
        if led_by:     # "led by Abdel Fattah al-Burhan": a full name leads a force
            cues.append(Cue(f"after '{led_by.group(0).strip()}'", who, 0.5 if who == "Person" else 0.4))
        if looks_personal and re.search(r"['’]s\s+$", before) and self._reporting.match(after):
            cues.append(Cue("an outlet's reporter", "Person", 0.5))
        if looks_personal and not re.search(r"[A-Z]", text[sentence_start:start]) and \
                re.match(r"\s*(?:He|She)\s", text[sentence_end:sentence_end + 8]):
            cues.append(Cue("the next sentence goes on with 'he' or 'she'", "Person", 0.4))
        return cues


def _words_after(verbs: Iterable[str]) -> re.Pattern:
    """ "X said", "X, a spokesman, said", "X (UKMTO) said", "X has said", "X on Monday said" """
    alternatives = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(r"(?:\s*\([^)]{1,15}\))?(?:\s*,\s*[^,]{1,60},)?\s+(?:(?:also|later|earlier|has|have|had|"
                      r"on\s+\w+|then)\s+){0,2}(" + alternatives + r")\b")


def _name_word(word: str) -> bool:
    return (word[:1].isupper() and not word.isupper() and not word[:1].isdigit()) or \
        word in ("al", "bin", "de", "van", "von", "da", "del", "le", "la", "ibn", "abu", "el") or \
        re.fullmatch(r"(?:al|el|ad|as|ar)-[A-Z]\w+", word) is not None
