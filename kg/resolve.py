"""One entity, one node: mentions from every article merged into entities with a canonical
label, a type and alternative labels, all chosen so the result does not depend on the order
the articles came in.

Resolution keys are ``kg.text.name_key`` forms (case, hyphens, diacritics folded). Names the
lexicon lacks are also merged when they are near-identical spellings of the same type
(rapidfuzz ratio ≥ ``kg.text.FUZZY_THRESHOLD``); multi-word names are merged only word by word (never on
a shared surname or head word), and never across a different number.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from kg.gazetteer import GazetteerPlace, cities
from kg.model import ArticleResult
from kg.text import FUZZY_THRESHOLD, name_key

# when one name is read as several types, the more specific reading wins a tie
_TYPE_ORDER = ("Person", "MilitaryBase", "MilitaryUnit", "Country", "Ship", "Organization", "Place")


# what most entities have of alternative labels and operators: one shared empty set, not a set
# each (tracemalloc, 100,000 entities: 78 MB with a dict and two sets each, 30 MB slotted)
NONE: frozenset[str] = frozenset()


@dataclass(slots=True)
class Entity:
    key: str
    label: str
    type: str
    alt_labels: frozenset[str] = NONE
    wikidata: str | None = None
    operators: frozenset[str] = NONE
    location: GazetteerPlace | None = None     # places: the GeoNames town of that name


@dataclass(frozen=True)
class KnownEntity:
    """An entity already in the store (for ``kg add``): its label and type are kept."""

    key: str
    label: str
    type: str


# how often each value (label or type) was seen: (value, count) while there is one, else a Counter
# (a type's count is the sum of its readings' confidences, in hundredths)
Tally = tuple[str, int] | Counter


def _tally(table: dict[str, Tally], key: str, value: str, weight: int = 1) -> None:
    have = table.get(key)
    if have is None:
        table[key] = (value, weight)
    elif isinstance(have, tuple):
        table[key] = (value, have[1] + weight) if have[0] == value else Counter({have[0]: have[1], value: weight})
    else:
        have[value] += weight


def _counts(tally: Tally) -> Counter:
    return Counter({tally[0]: tally[1]}) if isinstance(tally, tuple) else tally


def _total(tally: Tally) -> int:
    return tally[1] if isinstance(tally, tuple) else sum(tally.values())


def _top(tally: Tally) -> str:
    """The most frequent value (the first seen of those tied)."""
    return tally[0] if isinstance(tally, tuple) else tally.most_common(1)[0][0]


def _spellings(alts: str | set[str] | None) -> set[str]:
    return set() if alts is None else {alts} if isinstance(alts, str) else alts


# what the index takes of one mention: key, label, type, spelling (of a name; else None),
# whether a lexicon named it, its Wikidata ID, its operator and the confidence of its type
IndexName = tuple[str, str, str, "str | None", bool, "str | None", "str | None", float]


def index_names(result: ArticleResult) -> tuple[IndexName, ...]:
    """What ``EntityIndex`` takes of an article: plain tuples, quick to send between processes."""
    return tuple((m.key, m.label, m.type, " ".join(m.text.split()) if m.is_name else None,
                  m.rule.startswith(("lexicon", "metonym", "fuzzy")) or bool(m.wikidata), m.wikidata, m.operator,
                  m.confidence)
                 for _, m in result.mentions)


class EntityIndex:
    """What resolution needs from every article, gathered one article at a time: counts of each
    name's labels and types, its spellings, identifiers and operators. It grows with the
    corpus's distinct names, not with its articles, so a build can stream the articles past it."""

    def __init__(self) -> None:
        # most names are met a few times, spelt and typed alike: a field holds (value, count)
        # until a second value comes, and a name's one spelling is a string, not a set. A
        # Counter and a set for each name and field were most of a 100k build's memory.
        self.labels: dict[str, Tally] = {}
        self.types: dict[str, Tally] = {}
        self.alts: dict[str, str | set[str]] = {}
        self.from_lexicon: set[str] = set()
        self.wikidata: dict[str, str] = {}
        self.operators: dict[str, set[str]] = {}

    def add(self, result: ArticleResult) -> None:
        self.add_names(index_names(result))

    def add_names(self, names: Iterable[IndexName]) -> None:
        """An article's mentions as ``index_names`` gives them (a build's extraction processes
        send these beside the pickled result, which the build process then need not read)."""
        for key, label, type_, spelling, from_lexicon, wikidata, operator, confidence in names:
            _tally(self.labels, key, label)
            # "Hamas-run" (an organisation, 0.72) outvotes "from Hamas" (a place, 0.5)
            # (in hundredths: integer sums do not depend on the order the articles came in)
            _tally(self.types, key, type_, round(confidence * 100))
            if spelling is not None:
                have = self.alts.get(key)
                if have is None:
                    self.alts[key] = spelling
                elif isinstance(have, str):
                    if have != spelling:
                        self.alts[key] = {have, spelling}
                else:
                    have.add(spelling)
            if from_lexicon:
                self.from_lexicon.add(key)
            if wikidata:
                self.wikidata[key] = wikidata
            if operator:
                self.operators.setdefault(key, set()).add(operator)

    def resolve(self, known: dict[str, KnownEntity] | None = None, towns: Mapping[str, GazetteerPlace] | None = None
                ) -> tuple[dict[str, Entity], dict[str, str]]:
        """Entities by key, and the map from every mention key to its entity's key; places are
        located in ``towns`` (by default the GeoNames towns of ``kg.gazetteer.cities``)."""
        return _resolve(self, known or {}, towns if towns is not None else cities())


def resolve(results: Iterable[ArticleResult], known: dict[str, KnownEntity] | None = None
            ) -> tuple[dict[str, Entity], dict[str, str]]:
    """Entities by key, and the map from every mention key to its entity's key.

    Example:
        >>> from kg.model import Article, ArticleResult, Mention
        >>> def result(name):
        ...     m = Mention(0, len(name), name, name.lower(), name, "Place", "place-head", 0.7)
        ...     return ArticleResult(Article(name, name, name), (), ((0, m),), (), ())
        >>> entities, alias = resolve([result("Blagoveshensk"), result("Blagoveshchensk")])
        >>> sorted(set(alias.values()))
        ['blagoveshchensk']
    """
    index = EntityIndex()
    for result in results:
        index.add(result)
    return index.resolve(known)


def _resolve(index: EntityIndex, known: dict[str, KnownEntity], towns: Mapping[str, GazetteerPlace]
             ) -> tuple[dict[str, Entity], dict[str, str]]:
    labels, types, alts = index.labels, index.types, index.alts
    from_lexicon, wikidata, operators = index.from_lexicon, index.wikidata, index.operators
    alias = {key: key for key in labels}
    _merge_near_duplicates(alias, labels, types, from_lexicon | set(known))
    _merge_run_together(alias, labels, types, from_lexicon | set(known))

    entities: dict[str, Entity] = {}
    for key in sorted(labels):
        target = alias[key]
        e = entities.get(target)
        if e is None:
            e = entities[target] = Entity(key=target, label="", type="")
        e.wikidata = e.wikidata or wikidata.get(key)
    members_of: dict[str, list[str]] = {}
    for key, target in alias.items():
        members_of.setdefault(target, []).append(key)
    for target, e in entities.items():
        members = members_of[target]
        if target in known:
            e.label, e.type = known[target].label, known[target].type
        else:
            label_counts = sum((_counts(labels[k]) for k in members), Counter())
            type_counts = sum((_counts(types[k]) for k in members), Counter())
            e.label = _most_common(label_counts, key=lambda s: s)
            e.type = _most_common(type_counts, key=lambda t: _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 99)
        spellings = set().union(*(_spellings(alts.get(k)) for k in members))
        spellings.discard(e.label)
        e.alt_labels = _frozen(spellings)
        e.operators = _frozen({alias.get(o, o) for k in members for o in operators.get(k, ())})
        if e.type in ("Place", "MilitaryBase"):
            e.location = _locate(e, towns)
    return entities, alias


def _frozen(values: set[str]) -> frozenset[str]:
    return frozenset(values) if values else NONE


def _locate(e: Entity, towns: Mapping[str, GazetteerPlace]) -> GazetteerPlace | None:
    """The GeoNames town named by the label, or else by an alternative label (the most populous
    of a shared name)."""
    for name in (e.label, *sorted(e.alt_labels)):
        town = towns.get(name_key(name))
        if town is not None:
            return town
    return None


def _most_common(counts: Counter, key) -> str:
    """Most frequent, ties broken by ``key``: never by the order articles were read."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], key(kv[0])))[0][0]


_NUMBER = re.compile(r"\d+")
# Near-duplicates are looked for among a name's neighbours in two sorted orders, this many on each
# side (see _merge_near_duplicates). On the 10k synthetic corpus 25 found the very merges all pairs
# did (10 missed one of 472).
NEIGHBOURS = 25


def _merge_near_duplicates(alias: dict[str, str], labels: dict[str, Tally], types: dict[str, Tally],
                           anchored: set[str]) -> None:
    """Point near-identical spellings of one type at one key; a lexicon entry is the anchor.

    Keys are compared only within a block of the same type, number of words (merging is word by
    word) and numbers, or with no number, first letter. Names differing in a number are never one:
    the 47th and the 67th Mechanized Brigade are two units however alike their names are spelt
    (blocked by first letter alone, a 10k corpus's units had 3,750 such merges). A misspelt first
    letter is not merged, as before it rarely was at this threshold.

    Within a block of more than 2 * NEIGHBOURS + 1 names, a name is compared with its NEIGHBOURS
    on each side in the block sorted by spelling and sorted by spelling read backwards (the
    sorted-neighbourhood method of record linkage, Hernández and Stolfo's multi-pass merge/purge):
    a near-identical spelling differs late, and sorts close by, or early, and sorts close by read
    backwards. All pairs grow with the square of a block, and blocks grow with the corpus (the
    100k corpus's 323,644 names: 171 s, against 24 s by neighbours); this grows with the names. Each key
    takes the earliest key in rank order (anchors first, then the most seen) that is close enough
    and still its own, so the result does not depend on the order the articles came in.
    """
    keys = sorted(labels, key=lambda k: (k not in anchored, -_total(labels[k]), k))
    rank = {k: i for i, k in enumerate(keys)}
    kind = {k: _top(types[k]) for k in keys}
    blocks: dict[tuple[str, tuple[str, ...] | str, int], list[str]] = {}
    for key in keys:
        blocks.setdefault((kind[key], tuple(_NUMBER.findall(key)) or key[:1], key.count(" ")), []).append(key)
    for block in blocks.values():           # each in rank order
        neighbours = _neighbours(block, NEIGHBOURS)
        for n, key in enumerate(block):
            if key in anchored:
                continue
            earlier = [k for k in (block[:n] if neighbours is None else neighbours(key))
                       if rank[k] < rank[key] and alias[k] == k]
            found = process.extract(key, earlier, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None)
            for other in sorted((m[0] for m in found), key=rank.__getitem__):
                if _same_words(key, other, typo=kind[key] != "Person"):
                    alias[key] = other
                    break


def _merge_run_together(alias: dict[str, str], labels: dict[str, Tally], types: dict[str, Tally],
                        anchored: set[str]) -> None:
    """ "LasAnod" and "Las Anod", "US Central Command" and "U S Central Command": one name written
    with its words run together or apart (which the word-by-word comparison above never pairs) is
    one, of one type; the key anchored or most seen wins, and the spellings already merged into a
    loser follow it. Linear: keys grouped by their letters alone."""
    groups: dict[tuple[str, str], list[str]] = {}
    for key in labels:
        if alias[key] == key:
            letters = key.replace(" ", "")
            if len(letters) >= 6:
                groups.setdefault((_top(types[key]), letters), []).append(key)
    moved: dict[str, str] = {}
    for group in groups.values():
        if len(group) > 1:
            winner = min(group, key=lambda k: (k not in anchored, -_total(labels[k]), k))
            moved.update((key, winner) for key in group if key != winner and key not in anchored)
    if moved:
        for key, target in alias.items():
            alias[key] = moved.get(target, target)


def _neighbours(block: list[str], width: int) -> Callable[[str], set[str]] | None:
    """A key's neighbours in ``block`` sorted by spelling and by spelling backwards, ``width``
    on each side; None when the block is small enough to compare every pair."""
    if len(block) <= 2 * width + 1:
        return None
    orders = (sorted(block), sorted(block, key=lambda k: k[::-1]))
    where = [{k: i for i, k in enumerate(order)} for order in orders]

    def near(key: str) -> set[str]:
        found: set[str] = set()
        for order, position in zip(orders, where):
            i = position[key]
            found.update(order[max(0, i - width):i + width + 1])
        return found
    return near


def _same_words(a: str, b: str, *, typo: bool = False) -> bool:
    """Same number of words, each spelt alike (or, with ``typo``, one letter apart: "Scarlet Ray",
    "Scarlet Bay"; never for people, where Joan is not John). Names sharing their longer words
    ("... Brigade", "Admiral ...", a surname) are otherwise alike enough whatever the word that
    tells them apart."""
    pa, pb = a.split(), b.split()
    return len(pa) == len(pb) and all(fuzz.ratio(x, y) >= 80 or (typo and Levenshtein.distance(x, y) <= 1)
                                      for x, y in zip(pa, pb))
