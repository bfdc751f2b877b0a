"""Later references to what an article has named: a person's surname, a ship's name said
again, an organisation's initials."""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.rules import CONFIDENCE
from kg.model import Mention


def repeats(text: str, sentences, found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
    """A named ship named again ("voyages by the Angara"), and an organisation's initials
    ("RUSI" for the Royal United Services Institute named in the article)."""
    ships = {m.label: m for _, m in found if m.type == "Ship" and m.rule == "ship-name"}
    orgs: dict[str, Mention] = {}
    for _, m in found:
        if m.type in ("Organization", "MilitaryUnit") and m.rule not in ("demonym", "qualifier"):
            initials = "".join(w[0] for w in re.findall(r"[A-Z][\w'-]*", m.text) if w[0].isupper())
            if len(initials) >= 3:
                orgs.setdefault(initials, m)
    acronyms = {a: m for a, m in orgs.items() if re.search(rf"(?<![\w-]){a}(?![\w-])", text)}
    extra = _later_mentions(text, sentences, found, ships, "ship-name")
    extra += _later_mentions(text, sentences, found + extra, acronyms, "acronym")
    return sorted(found + extra, key=lambda x: (x[1].start, x[1].end))

def short_names(text: str, sentences, found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
    """"Yoon", "Ryabykh": a lone name token that is the first or last word of exactly one
    person named in full in this article. "Kim" alone, shared by two people, stays unresolved."""
    found = repeats(text, sentences, found)
    persons: dict[str, Mention] = {}
    for _, m in found:
        if m.type == "Person" and len(m.label.split()) > 1:
            persons.setdefault(m.key, m)
    parts: dict[str, set[str]] = {}
    for key, m in persons.items():
        words = re.split(r"[\s-]+", m.label)
        for w in {words[0], words[-1]}:
            if len(w) >= 3:
                parts.setdefault(w, set()).add(key)
    if not parts:
        return found
    taken: dict[int, list[tuple[int, int]]] = {}
    for index, m in found:
        taken.setdefault(index, []).append((m.start, m.end))
    extra = []
    for s in sentences:
        for t in re.finditer(r"\b[A-Z][a-z]+\b", text[s.start:s.end]):
            start, end = s.start + t.start(), s.start + t.end()
            keys = parts.get(t.group(), set())
            if len(keys) == 1 and not any(a < end and start < b for a, b in taken.get(s.index, ())):
                person = persons[next(iter(keys))]
                extra.append((s.index, replace(person, start=start, end=end, text=t.group(),
                                               rule="short-name", confidence=CONFIDENCE["short-name"])))
    return sorted(found + extra, key=lambda x: (x[1].start, x[1].end))


def _later_mentions(text, sentences, found, targets: dict[str, Mention], rule: str):
    if not targets:
        return []
    taken: dict[int, list[tuple[int, int]]] = {}
    for index, m in found:
        taken.setdefault(index, []).append((m.start, m.end))
    # one pass over each sentence for all the surfaces, longest first
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in sorted(targets, key=len, reverse=True)) +
                         r")(?![\w-])")
    extra = []
    for s in sentences:
        for hit in pattern.finditer(text, s.start, s.end):
            start, end = hit.span()
            here = taken.setdefault(s.index, [])
            if not any(a < end and start < b for a, b in here):
                m = targets[hit.group(0)]
                extra.append((s.index, replace(m, start=start, end=end, text=hit.group(0), rule=rule,
                                               confidence=CONFIDENCE[rule])))
                here.append((start, end))
    return extra
