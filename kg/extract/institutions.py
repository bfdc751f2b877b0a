"""A state's institution named without its state: "the defence ministry said", "according to the
military".

Wire copy names the speaking ministry or army once with its country ("Niger's defence
ministry", found by the lexicons' generic phrases) or not at all: an AFP story filed from
Colombo says only "the defence ministry said". Such a phrase, where it is a source (before a
speech verb, after "according to" or "said"), is the institution of that kind the article
named before, or else its home country's: the country it names most (the first of a tie).
Elsewhere ("fighting between the military and the rebels") it is left alone: who is meant
is less sure there, and a source is what a claim needs.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.rules import CONFIDENCE
from kg.lexicon import Entry, Lexicons
from kg.model import Mention, Sentence
from kg.text import name_key, sentence_at


class HomeInstitutions:
    """Compiled once per set of lexicons; ``find`` is then pure per article."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.entries = {e.label: e for e in lexicons.entries}
        self.by_country: dict[tuple[str, str], Entry] = {}
        self.type_of: dict[str, str] = {}
        for e in lexicons.entries:
            for word in e.generic if e.country else ():
                self.by_country.setdefault((e.country, word.lower()), e)
                self.type_of.setdefault(word.lower(), e.type)
            if e.type == "Country":
                # "the government said": the state itself (a state's government that speaks is the state)
                self.by_country.setdefault((e.label, "government"), e)
                self.type_of["government"] = "Country"
        words = sorted({w for _, w in self.by_country}, key=len, reverse=True)
        verbs = sorted({v.lower() for v in lexicons.words("speech_verbs") if " " not in v}, key=len, reverse=True)
        verb = r"(?:" + "|".join(re.escape(v) for v in verbs) + r")"
        # "the defence ministry said"; "local police said" (the police of the place the story is from);
        # wire copy drops the article: "police said Sunday", "according to police"
        self._phrase = re.compile(r"\b(?:[Tt]he|[Ll]ocal)\s+(" + "|".join(re.escape(w) for w in words) + r")\b", re.I) \
            if words else None
        self._bare = re.compile(r"\b(" + "|".join(re.escape(w) for w in words if w in _SAID_BARE) + r")\b", re.I) \
            if any(w in _SAID_BARE for w in words) else None
        # "the ministry also said", "the military said on Sunday", "the ministry said in a statement"
        self._verb_after = re.compile(r"(?:\s+(?:also|has|had|have|later|then|on\s+\w+|in\s+a\s+statement))*"
                                      r"(?:\s*,[^,.;]{1,60},)?\s+" + verb + r"\b")
        self._source_before = re.compile(r"\b(?:according\s+to|" + verb + r"|citing|cited\s+by)\s+$", re.I)

    def find(self, text: str, sentences: tuple[Sentence, ...] | list[Sentence],
             found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
        """The mentions of the institutions the article names without their state, as
        (sentence index, mention); ``found`` holds the article's other mentions."""
        if self._phrase is None:
            return []
        hits = [h for h in self._phrase.finditer(text) if self._is_source(text, h)]
        if self._bare is not None:
            phrased = {h.start(1) for h in hits}      # "the police said": found with its article already
            hits += [h for h in self._bare.finditer(text) if h.start(1) not in phrased and self._is_source(text, h)]
            hits.sort(key=lambda h: h.start())
        if not hits:
            return []
        # a name found already ("the Defence Ministry of Russia") stays, unless it is only the
        # phrase itself ("the Defence Ministry", typed by its head)
        taken = [(m.start, m.end) for _, m in found]
        home = _home_country(found)
        out: list[tuple[int, Mention]] = []
        for hit in hits:
            start, end = hit.span(1)
            if any(a < end and start < b and (a, b) != (start, end) for a, b in taken):
                continue
            word = hit.group(1).lower()
            before = self._named_before(word, start, found, home)
            if before is not None:
                # "The Turkish General Staff said ... according to the military": the body named
                # before, whose claims kg.extract.claims gives it; a lexicon's institution is made here
                entry = self.entries.get(before.label)
                if entry is None or not entry.generic:
                    continue
            else:
                entry = self.by_country.get((home, word)) if home else None
            if entry is None:
                continue
            out.append((sentence_at(sentences, start), Mention(start, end, text[start:end], name_key(entry.label), entry.label, entry.type,
                                       "home-institution", CONFIDENCE["home-institution"],
                                       is_name=entry.type != "Country",      # "government" is no name of the state
                                       wikidata=entry.wikidata, source=f"{entry.file}: {entry.label}")))
        return out

    def _is_source(self, text: str, hit: re.Match) -> bool:
        if self._verb_after.match(text, hit.end()):
            return True
        # "according to police.", but not "citing government sources", "claimed government forces
        # killed": a bare word followed by a noun is that noun's modifier
        bare = hit.start(1) == hit.start()
        return bool(self._source_before.search(text, max(0, hit.start() - 30), hit.start())) and \
            (not bare or _CLAUSE_END.match(text, hit.end()) is not None)

    def _named_before(self, word: str, at: int, found: list[tuple[int, Mention]], home: str | None) -> Mention | None:
        """The last body of this kind named before ``at``: "Russia's Defence Ministry ... the
        defence ministry said"; the home country's armed force before "the military said" (in an
        Indian story that named China's army first, "the army said" is India's)."""
        type_, head = self.type_of[word], word.split()[-1]
        if type_ == "Country":
            return None               # "the government" is the home country's, whoever was named before
        countries = {m.start: m.label for _, m in found if m.type == "Country" and m.rule == "qualifier"}
        for _, m in reversed(found):
            if m.end > at or m.type != type_ or m.rule == "demonym":
                continue
            entry = self.entries.get(m.label)
            institution = entry is not None and word in (g.lower() for g in entry.generic)
            if type_ == "MilitaryUnit" and home is not None:
                if (entry.country if entry is not None else countries.get(m.start)) == home:
                    return m
            elif institution or (type_ != "MilitaryUnit" and head in m.label.lower()):
                return m
        return None


# the generic words wire copy uses without an article as a source ("police said Sunday")
_SAID_BARE = frozenset({"police", "military", "army", "government", "intelligence"})
_CLAUSE_END = re.compile(r"\s*(?:[,.;:)]|$)")


def _home_country(found: list[tuple[int, Mention]]) -> str | None:
    """The country the article names most; the first named of a tie."""
    counts = Counter(m.label for _, m in found if m.type == "Country")
    if not counts:
        return None
    first = {}
    for _, m in found:
        if m.type == "Country":
            first.setdefault(m.label, m.start)
    return min(counts, key=lambda label: (-counts[label], first[label]))
