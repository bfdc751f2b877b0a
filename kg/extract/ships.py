"""Ships: named ("the landing ship Nikolai Vilkov", "cargo ships such as the Angara"), or a
class of vessel when no name is given ("four landing ships"), with the actor operating them."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from kg.extract.rules import ACTOR_TYPES, CONFIDENCE, LEADING_WORDS, MONTHS, TOKEN, WEEKDAYS, Candidate, plural
from kg.lexicon import Lexicons
from kg.model import Mention, Sentence
from kg.text import name_key

# a ship's name: capitalised words, and a number that ends it ("Unaizah Mae 1")
_NAME = rf"(?:{TOKEN})(?:[ \t]+{TOKEN}){{0,3}}(?:[ \t]+\d{{1,4}}\b)?"


# "the Haijian 51, 23 and 46", "identified as the Haijing 2102, 2166 and 2401"
_HULL = re.compile(r"\b(?P<word>[A-Z][a-z]{2,})[ \t]+(?P<first>\d{1,5})(?![\w,.]\d)"
                   r"(?:(?:,[ \t]*|,?[ \t]+and[ \t]+)\d{1,5}\b(?![\w-]))*")
_DIGITS = re.compile(r"\d{1,5}")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]+$")
# words a number follows that are no ship's
_NOT_HULLS = frozenset({"Article", "Articles", "Resolution", "Flight", "Route", "Highway", "Chapter", "Section",
                        "Point", "Camp", "Block", "Phase", "Level", "Grade", "Brigade", "Battalion", "Unit",
                        "Division", "Corps", "Room", "Gate", "Terminal", "Pier", "Berth", "Zone", "Sector",
                        "Area", "Hill", "Station", "Line", "Paragraph", "Protocol", "Convention", "Number",
                        "No", "Page", "Vol", "Volume", "Group", "Squadron", "Regiment", "Fleet", "Army", "Base",
                        "Km", "Kilometre", "Kilometer", "Mile", "Lot", "Plot", "Post", "Outpost", "Checkpoint"})
_MERCHANT = re.compile(r"^(?:M/[TVLY]|MV|MT|SS|FV)\.?[ \t]+")


_WORD_OR_SLASH = re.compile(r"[\w/]")


def _after(pattern: re.Pattern, not_after: re.Pattern, text: str, start: int, end: int) -> Iterator[re.Match]:
    """``pattern``'s matches in ``text[start:end]`` that do not follow a character ``not_after``
    matches: what ``(?<!...)`` at the pattern's front finds, the same matches."""
    at = start
    while (m := pattern.search(text, at, end)) is not None:
        if m.start() > 0 and not_after.match(text, m.start() - 1):
            at = m.start() + 1
            continue
        yield m
        at = m.end()


class ShipFinder:
    def __init__(self, lexicons: Lexicons) -> None:
        classes = sorted(lexicons.words("ship_classes"), key=len, reverse=True)
        self._ship_plural = {plural(c): c for c in classes}
        self._ships = re.compile(r"(?<![\w-])(" + "|".join(
            re.escape(f) for f in sorted([*classes, *self._ship_plural], key=len, reverse=True)) + r")(?![\w-])")
        self._demonyms = {d.lower() for e in lexicons.entries for d in e.demonyms}
        prefixes = sorted(lexicons.words("ship_prefixes"), key=len, reverse=True)
        # no lookbehind at the front (tested in _after): a pattern that opens with its literal
        # prefixes is searched for their first letters alone, three times as fast (the class
        # pattern above, with hundreds of words, is twice as slow so and keeps its lookbehind)
        self._prefixed = re.compile(r"(?:" + "|".join(re.escape(p) for p in prefixes) +
                                    rf")\.?[ \t]+(?:{TOKEN}|\d{{2,5}})(?:[ \t]+(?:{TOKEN}|\d{{1,4}}\b)){{0,3}}") \
            if prefixes else None

    def find(self, text: str, folded: str, s: Sentence) -> list[Candidate]:
        found = self._hull_numbers(text, folded, s)
        if self._prefixed is not None:
            for m in _after(self._prefixed, _WORD_OR_SLASH, text, s.start, s.end):   # "USS Mason", "M/L Kalayaan", "CCG 3302"
                # a navy's prefix is part of the name; a merchant one ("M/T", "MV") says the kind of ship
                label = _MERCHANT.sub("", m.group(0))
                found.append(Candidate(Mention(m.start(), m.end(), m.group(0), name_key(label), label,
                                                "Ship", "ship-prefix", CONFIDENCE["ship-prefix"]), 0))
        for m in self._ships.finditer(folded, s.start, s.end):
            cls = self._ship_plural.get(m.group(1), m.group(1))
            start, end = m.span()
            if cls == "ship" and re.search(r"\b(to|will|would|could|can)\s+$", folded[max(0, start - 8):start]):
                continue     # "to ship weapons" is a verb
            if start > 0 and text[start - 1] in "-‐‑" or text[end:end + 1] in "-‐‑":
                continue     # "an anti-ship missile", "ship-to-shore": part of another word
            if cls in ("vessel", "ship") and re.search(r"\b(the|this|that)\s+$", folded[max(0, start - 6):start]):
                continue     # "the vessel": a ship named before, not another one
            named_before = self._name_before(text, s, start, end, cls)
            if named_before is not None:       # "the Minsk landing ship", "the Rostov submarine"
                found.append(named_before)
                continue
            name = re.match(rf"(?:,[ \t]+|[ \t]+(?:such as (?:the )?|the |called (?:the )?|named (?:the )?)?)({_NAME})",
                            text[end:s.end])
            if name and name.group(0).startswith(",") and (m.group(1) in self._ship_plural or not re.match(
                    r"\s*,", text[end + name.end():end + name.end() + 2])):
                name = None          # "the fuel tanker, MADO, in ...": an apposition both sides, of one ship
            if name and name.group(1).split()[0] not in LEADING_WORDS | MONTHS | WEEKDAYS:
                label = name.group(1)
                if "such as" in name.group(0):       # the class, and the ship it names
                    found.append(Candidate(Mention(start, end, text[start:end], name_key(cls), cls, "Ship",
                                                    "ship-class", CONFIDENCE["ship-class"]), 1))
                start = end + name.start(1)
                found.append(Candidate(Mention(start, end + name.end(), text[start:end + name.end()],
                                                name_key(label), label, "Ship", "ship-name",
                                                CONFIDENCE["ship-name"]), 0))     # "the tanker Scarlet Bay"
                more = re.match(rf"[ \t]+and[ \t]+(?:the[ \t]+)?((?:{TOKEN})(?:[ \t]+{TOKEN}){{0,3}})",
                                text[end + name.end():s.end])
                if more and "such as" in name.group(0):      # "such as the Angara and the Lady R"
                    a = end + name.end() + more.start(1)
                    b = end + name.end() + more.end(1)
                    found.append(Candidate(Mention(a, b, text[a:b], name_key(more.group(1)), more.group(1), "Ship",
                                                    "ship-name", CONFIDENCE["ship-name"]), 1))
            else:
                found.append(Candidate(Mention(start, end, text[start:end], name_key(cls), cls, "Ship",
                                                "ship-class", CONFIDENCE["ship-class"]), 1))
        return found

    def _hull_numbers(self, text: str, folded: str, s: Sentence) -> list[Candidate]:
        """ "three of its marine surveillance ships — the Haijian 51, 23 and 46": ships named by a
        word and a hull number, the word shared by the numbers listed after it, in a sentence
        about ships (their numbers are names, no count of anything)."""
        hulls = list(_HULL.finditer(text, s.start, s.end))
        if not hulls or not self._ships.search(folded, s.start, s.end):
            return []       # (the ship words are the dearer search: asked only where a hull number is)
        found = []
        for m in hulls:
            if m.group("word") in _NOT_HULLS or m.group("word") in MONTHS | WEEKDAYS | LEADING_WORDS or \
                    _CAPITALISED_BEFORE.search(text, max(s.start, m.start() - 30), m.start()):
                continue     # "the Unaizah Mae 1": a longer name, which the rules below take whole
            # the first with its word; the others by their number alone, no name the text writes
            numbers = [(m.start("word"), m.end("first"), f"{m.group('word')} {m.group('first')}", True)]
            numbers += [(n.start(), n.end(), f"{m.group('word')} {n.group(0)}", False)
                        for n in _DIGITS.finditer(text, m.end("first"), m.end())]
            for start, end, label, own in numbers:
                found.append(Candidate(Mention(start, end, text[start:end], name_key(label), label, "Ship",
                                               "ship-name", CONFIDENCE["ship-name"], is_name=own), 0))
        return found

    def _name_before(self, text: str, s: Sentence, start: int, end: int, cls: str) -> Candidate | None:
        """A ship named before its class, after "the": "the Minsk landing ship" (not "the Russian
        landing ship" nor "the PCG vessel": a demonym or initials say whose, not which)."""
        window = max(s.start, start - 60)
        m = re.search(rf"\bthe[ \t]+((?:{TOKEN})(?:[ \t]+{TOKEN}){{0,2}})[ \t]+$", text[window:start])
        if m is None or cls in self._ship_plural:
            return None
        name = m.group(1)
        words = name.split()
        if any(w.lower() in self._demonyms or w in LEADING_WORDS | MONTHS | WEEKDAYS for w in words) or \
                not all(w[0].isupper() for w in words) or (len(words) == 1 and name.isupper()):
            return None      # "the PCG vessel": an operator's initials, not the ship's name
        a = window + m.start(1)
        # the mention spans the class too: its words ("ship") are no event's trigger
        return Candidate(Mention(a, end, text[a:end], name_key(name), name, "Ship", "ship-name",
                                 CONFIDENCE["ship-name"]), 0)

    def operators(self, text: str, chosen: list[Mention]) -> list[Mention]:
        """Who operates each ship: "belonging to the Russian Navy", or "Russian landing ships"."""
        out = []
        for i, m in enumerate(chosen):
            if m.type != "Ship":
                out.append(m)
                continue
            operator = None
            for later in chosen[i + 1:]:
                gap = text[m.end:later.start]
                if later.type in ACTOR_TYPES and re.search(r"\b(?:belonging to|operated by|owned by|of)\s+(?:the\s+)?$",
                                                           gap) and len(gap) < 60:
                    operator = later.key
                    break
            if operator is None and i > 0:
                prev = out[-1]
                gap = text[prev.end:m.start]
                if prev.type in ACTOR_TYPES and re.fullmatch(r"\s*(?:naval\s+)?", gap):
                    operator = prev.key
                elif prev.type == "Ship" and prev.operator and re.fullmatch(r"\s+and\s+(?:\w+\s+)?", gap):
                    operator = prev.operator
            out.append(replace(m, operator=operator))
        return out
