"""Types for names no rule is sure of, from the evidence around them, weighed by a fitted model.

Every capitalised run of words is a candidate name. Where the strong rules of ``mentions``
(titles, head words, the lexicons) say nothing, each cue in the text is a feature: a town of
the gazetteer, "said" after the name, "told Reuters", "posted on Telegram", "the Houthi
rebels", an acronym that acts ("JNIM killed"), and the shape of the name itself (two to four
name-like words, one word, an acronym). The features of every occurrence of a name in the
article are pooled and weighed by a small multinomial logistic model, whose weights are data
(``lexicons/evidence.toml``) fitted on hand-annotated real articles by ``kg.training`` — not
set by hand. A name is typed when the model's most likely class is a type, not "none", with
a probability of at least the model's threshold; otherwise it is dropped, not guessed. Each
decision keeps its cues with their learned weights, so ``kg explain`` can show why a name got
its type.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.gazetteer import GazetteerPlace
from kg.lexicon import Lexicons
from kg.text import name_key

NONE = "none"       # the model's class for "not a name of any type kg keeps"


# What each feature is evidence for: the rules' knowledge (a gazetteer town points to a place,
# "X said" to an actor); how much it counts is fitted (kg.training). "any" is every type.
POINTS_TO: dict[str, tuple[str, ...]] = {
    "shape:personal": ("Person",), "shape:short-acronym": ("Organization", "MilitaryUnit"), "given-name": ("Person",), "title-before": ("Person",), "shape:acronym": ("Organization", "MilitaryUnit"),
    "shape:one-word": (NONE,), "shape:other": ("Organization", "MilitaryUnit", "Place"),
    "gazetteer-town": ("Place",), "place-preposition": ("Place",),
    "speech-subject:personal": ("Person",), "told-or-cited:personal": ("Person",), "said-by:personal": ("Person",),
    "led-by:personal": ("Person",), "agent-subject": ("Person", "Organization", "MilitaryUnit"),
    "platform": ("Organization",), "in-a-statement": ("Organization",),
    "group-noun-after": ("Organization", "MilitaryUnit"), "actor-compound": ("Person", "Organization"),
    "photo-credit": ("Person",), "role-after": ("Person",), "role-before": ("Person",), "reporter": ("Person",),
    "next-sentence-he-she": ("Person",), "brackets-after": ("Organization", "MilitaryUnit", "Place"),
    "typed-by-a-rule": ("any",), "sentence-initial:one-word": (NONE,), "sentence-initial:words": (NONE,), "repeated": ("any",),
    "first-word-in-lower-case": (NONE,), "last-word-in-lower-case": ("Organization", "MilitaryUnit", "Place"),
}
for _shape in ("acronym", "short-acronym", "one-word", "other"):          # an actor that does not look like a person
    for _cue in ("speech-subject", "told-or-cited", "said-by", "led-by"):
        POINTS_TO[f"{_cue}:{_shape}"] = ("Organization", "MilitaryUnit")


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: the feature it sets (a stable id the model has weights for) and
    what was seen, for people."""

    feature: str
    what: str


@dataclass(frozen=True)
class Decision:
    type: str
    score: float                     # the model's probability for the type
    cues: tuple[str, ...]            # the cues for the type, with their learned weights, strongest first


@dataclass(frozen=True)
class EvidenceModel:
    """A multinomial logistic model: a bias and a weight per feature for each class.

    Example:
        >>> m = EvidenceModel(("none", "Person", "Place"), {"none": 1.0, "Person": 0.0, "Place": 0.0},
        ...                   {"said": {"Person": 3.0}, "in": {"Place": 2.5}}, 0.5)
        >>> m.decide([Cue("said", "subject of 'said'")]).type
        'Person'
        >>> m.decide([Cue("unknown-feature", "something")]) is None
        True
    """

    classes: tuple[str, ...] = (NONE,)
    bias: dict[str, float] = field(default_factory=dict)
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    threshold: float = 0.5

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons) -> "EvidenceModel":
        doc = lexicons.evidence
        if not doc:
            return cls()      # no model: only the strong rules and the lexicons type names
        return cls(tuple(doc["classes"]), dict(doc.get("bias", {})),
                   {f: dict(w) for f, w in doc.get("weights", {}).items()}, float(doc.get("threshold", 0.5)))

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        """Each class's probability for a name with ``features`` (a feature seen in two distinct
        cues, "subject of 'said'" and "subject of 'told'", counts twice)."""
        features = list(features)
        scores = {c: self.bias.get(c, 0.0) + sum(self.weights.get(f, {}).get(c, 0.0) for f in features)
                  for c in self.classes}
        top = max(scores.values())
        exp = {c: math.exp(v - top) for c, v in scores.items()}
        total = sum(exp.values())
        return {c: v / total for c, v in exp.items()}

    def decide(self, cues: Iterable[Cue], name: str = "") -> Decision | None:
        """The type the evidence favours, or None when "none" is likelier or no type is likely enough.
        (``name``, the name decided on, is for ``kg.training``'s recorder; the weights do not read it.)"""
        cues = tuple(dict.fromkeys(cues))
        if all(_about_the_name_only(c.feature) for c in cues):
            return None      # "GB", "Qwest": a name's shape and repetition alone never type it
        probs = self.probabilities(c.feature for c in cues)
        best = max(self.classes, key=lambda c: (probs[c], c))
        if best == NONE or probs[best] < self.threshold:
            return None
        weighed = sorted(((self.weights.get(c.feature, {}).get(best, 0.0), c) for c in cues),
                         key=lambda wc: (-wc[0], wc[1].what))
        # the cues that speak for the type (a name's record is kept small: a million mentions at 100k)
        weighed = [(w, c) for w, c in weighed if w > 0] or weighed[:1]
        return Decision(best, round(min(0.9, probs[best]), 2),
                        tuple(dict.fromkeys(f"{c.what} -> {best} ({w:+.2f})" for w, c in weighed)))


class EvidenceFinder:
    """The cues around one occurrence of a candidate name. Word lists come from patterns.toml."""

    def __init__(self, lexicons: Lexicons, cities: dict[str, GazetteerPlace],
                 given_names: frozenset[str] = frozenset()) -> None:
        w = lexicons.words
        self.cities = cities
        self.given_names = given_names
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
        self._role_after = re.compile(rf",\s+(?:(?:a|an|the|his|her|its|their)\s+|(?:(?:al|el)[\s-])?[A-Z][\w]*['’]s\s+)"
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
        """Evidence for the name at ``text[start:end]`` (its words ``words``), from its sentence.

        Cues that say "an actor" ("said", "told") are split by the name's shape, since "X said"
        means a person when X looks like a personal name and an organisation otherwise; the
        model weighs the two apart.
        """
        name = text[start:end]
        before = text[max(sentence_start, start - 60):start]
        after = text[end:min(sentence_end, end + 60)]
        looks_personal = 2 <= len(words) <= 4 and all(_name_word(x) for x in words)
        acronym = len(words) == 1 and _ACRONYM.fullmatch(words[0]) is not None
        shape = "personal" if looks_personal and words[0] != "Al" else \
            ("short-acronym" if len(words[0]) == 2 else "acronym") if acronym else \
            "one-word" if len(words) == 1 else "other"
        cues = [Cue(f"shape:{shape}", {"personal": "two to four name-like words", "acronym": "an acronym",
                                       "short-acronym": "two capitals ('GB', 'NY')", "one-word": "one word",
                                       "other": "a longer or mixed name"}[shape])]
        if shape == "personal" and name_key(words[0]) in self.given_names:
            cues.append(Cue("given-name", f"begins with the given name '{words[0]}'"))
        place = self.cities.get(name_key(name))
        if place is not None and not acronym:
            cues.append(Cue("gazetteer-town", f"GeoNames town {place.name} ({place.country_code}, "
                                              f"geonames:{place.geonames_id})"))
        if self._place_before.search(before):
            cues.append(Cue("place-preposition", "after a preposition of place"))
        speech = self._speech.match(after)
        if speech:
            cues.append(Cue(f"speech-subject:{shape}", f"subject of '{speech.group(1)}'"))
        agent = self._agent.match(after)
        if agent:
            cues.append(Cue("agent-subject", f"subject of '{agent.group(1)}'"))
        told = self._told.search(before)
        if told:
            cues.append(Cue(f"told-or-cited:{shape}", f"after '{told.group(0).strip()}'"))
        if self._platform.search(before) and self._posting.search(text[sentence_start:start]):
            cues.append(Cue("platform", "the platform a statement was posted on"))
        if _IN_A.search(before) and _STATEMENT_AFTER.match(after):
            cues.append(Cue("in-a-statement", "'in a ... statement': a platform or an outlet"))
        passive = _SAID_BY.search(before)
        if passive:
            cues.append(Cue(f"said-by:{shape}", f"after '{passive.group(0).strip()}'"))
        group = self._group_after.match(after)
        if group:
            cues.append(Cue("group-noun-after", f"before '{group.group(0).strip()}'"))
        compound = self._compound.match(text, end)
        if compound:
            cues.append(Cue("actor-compound", f"'{name}{compound.group(0)}'"))
        if 2 <= len(words) <= 3 and _CREDIT_SLASH.match(after) and all(w[:1].isupper() and len(w) > 1 for w in words):
            cues.append(Cue("photo-credit", "a photo credit ('Name/Agency')"))     # "[File: Aziz Karimov/Reuters]"
        role_after = self._role_after.match(after) if looks_personal else None
        if role_after:
            cues.append(Cue("role-after", f"a role after it ('{role_after.group(0).strip(', ')}')"))
        role_before = self._role_before.search(before) if looks_personal else None
        if role_before and _CLAUSE_ENDS.match(after):
            cues.append(Cue("role-before", f"in apposition to '{role_before.group(0).strip(', ')}'"))
        led_by = self._led_by.search(before)
        if led_by:     # "led by Abdel Fattah al-Burhan": a full name leads a force
            cues.append(Cue(f"led-by:{shape}", f"after '{led_by.group(0).strip()}'"))
        if looks_personal and _POSSESSIVE_BEFORE.search(before) and self._reporting.match(after):
            cues.append(Cue("reporter", "an outlet's reporter"))
        if looks_personal and not _CAPITAL.search(text, sentence_start, start) and \
                _HE_OR_SHE.match(text, sentence_end, sentence_end + 8):
            cues.append(Cue("next-sentence-he-she", "the next sentence goes on with 'he' or 'she'"))
        if _BRACKET_AFTER.match(after):
            cues.append(Cue("brackets-after", "followed by brackets (an acronym, a place, a role)"))
        return cues


# the cues' fixed patterns, compiled once (each name of each article asks most of them)
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_IN_A = re.compile(r"\bin\s+an?\s+$")
_STATEMENT_AFTER = re.compile(r"\s+(?:statement|post|video|message|broadcast)\b")
_SAID_BY = re.compile(r"\b(?:said|stated|announced|reported|claimed|confirmed)\s+(?:\w+\s+){0,2}by\s+$")
_CREDIT_SLASH = re.compile(r"/[A-Z]")
_CLAUSE_ENDS = re.compile(r"\s*(?:[,).;]|$)")
_POSSESSIVE_BEFORE = re.compile(r"['’]s\s+$")
_CAPITAL = re.compile(r"[A-Z]")
_HE_OR_SHE = re.compile(r"\s*(?:He|She)\s")
_BRACKET_AFTER = re.compile(r"\s*\(")
_INITIAL = re.compile(r"[A-Z]\.?")
_ARABIC_ARTICLE_NAME = re.compile(r"(?:al|el|ad|as|ar)-[A-Z]\w+")


def _about_the_name_only(feature: str) -> bool:
    return feature.startswith(("shape:", "sentence-initial")) or feature in (
        "repeated", "first-word-in-lower-case", "last-word-in-lower-case")


def word_cues(words: list[str], lower_case_words: set[str]) -> list[Cue]:
    """Cues from the article's other words: a name whose first word the article also writes in
    lower case ("Recently Ukrposhta", "Residents of Shire", "Weapons") is likely no name there; a
    last word in lower case elsewhere is a common head noun ("Tigray Conflict", "Wagner Group")."""
    cues = []
    first, last = words[0].lower(), words[-1].lower()
    if first in lower_case_words:
        cues.append(Cue("first-word-in-lower-case", f"'{first}' is written in lower case elsewhere"))
    if len(words) > 1 and last in lower_case_words:
        cues.append(Cue("last-word-in-lower-case", f"'{last}' is written in lower case elsewhere"))
    return cues


def _words_after(verbs: Iterable[str]) -> re.Pattern:
    """ "X said", "X, a spokesman, said", "X (UKMTO) said", "X has said", "X on Monday said" """
    alternatives = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(r"(?:\s*\([^)]{1,15}\))?(?:\s*,\s*[^,]{1,60},)?\s+(?:(?:also|later|earlier|has|have|had|"
                      r"on\s+\w+|then)\s+){0,2}(" + alternatives + r")\b")


def _name_word(word: str) -> bool:
    """A word of a personal name: capitalised, a particle, or an initial ("M Owen", "J. White")."""
    return (word[:1].isupper() and not word.isupper() and not word[:1].isdigit()) or \
        _INITIAL.fullmatch(word) is not None or \
        word in ("al", "bin", "de", "van", "von", "da", "del", "le", "la", "ibn", "abu", "el") or \
        _ARABIC_ARTICLE_NAME.fullmatch(word) is not None
