"""Tallies kept at build time, so that "who is named with whom" and "who claims which number"
need no count over every sentence or claim of the corpus when they are asked.

- ``kgo:CoMention``: two actors named in the same sentence, with how many sentences and
  articles do so (``co-mentions`` query, the entity network view);
- ``kgo:ClaimTally``: one kind of quantity, one number, one claimant (or none), with how many
  articles report it (``conflicting-claims``, the claims view);
- ``kgo:TroopPlaceTally``: a place or base named in a sentence that speaks of troops, with how
  many articles do so (``troop-locations``, the map view): at 100,000 articles, matching every
  place's sentences at query time took 6.4 s;
- ``kgo:PublisherTally``: a publisher (or none named), with how many articles it published
  (``articles-per-publisher``: counting every article at query time took 0.9-1.2 s at 100,000).

They live in their own graph (``<base>graph/tallies``) and are derived data: every count is a sum over
articles, so ``kg add`` reads the ones its articles touch, takes away what the replaced versions
counted and adds what the new ones count (its cost grows with the articles added, not the store).
Counting happens per batch of articles (an article lies in one batch, so batch counts add up);
the same function reads a batch's quads and the quads of the articles a ``kg add`` replaces.
"""
from __future__ import annotations

import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.rdf import KGO, RDF, SCHEMA, XSD, Iris
from kg import store as kgstore
from kg.terms import Quad, Term, iri, literal
from kg.text import slug

# A sentence "speaks of troops" when it has one of these words (troop-locations' definition).
TROOP_WORDS = re.compile(r"troops|soldiers|forces|deploy|stationed|bases?\b|training", re.IGNORECASE)

PairKey = tuple[str, str]                 # two actor IRIs, the smaller first
ClaimKey = tuple[str, str, str]           # kind, quantity (lexical integer), claimant IRI or ""


@dataclass
class Tallies:
    pairs: dict[PairKey, list[int]] = field(default_factory=dict)      # -> [sentences, articles]
    claims: dict[ClaimKey, int] = field(default_factory=dict)           # -> articles
    places: dict[str, int] = field(default_factory=dict)                # place IRI -> articles
    publishers: dict[str, int] = field(default_factory=dict)            # publisher ("" none named) -> articles

    def update(self, other: "Tallies", sign: int = 1) -> None:
        """Add (``sign=-1``: take away) another set of articles' tallies: every count is a sum
        over articles, each article counted in its own graph."""
        for key, (sentences, articles) in other.pairs.items():
            mine = self.pairs.get(key)
            if mine is None:
                # each batch's keys come unpickled, as strings of their own: an actor in a
                # thousand pairs is one string, not a thousand (a 100k build's 240,000 pairs)
                mine = self.pairs[sys.intern(key[0]), sys.intern(key[1])] = [0, 0]
            mine[0] += sign * sentences
            mine[1] += sign * articles
        for key, articles in other.claims.items():
            have = self.claims.get(key)
            if have is None:        # as with the pairs: one string per kind and claimant (123,000 claims at 100k)
                have, key = 0, tuple(map(sys.intern, key))
            self.claims[key] = have + sign * articles
        for place, articles in other.places.items():
            self.places[sys.intern(place)] = self.places.get(place, 0) + sign * articles
        for publisher, articles in other.publishers.items():
            self.publishers[publisher] = self.publishers.get(publisher, 0) + sign * articles


def count(quads: Iterable[Quad], actors: set[str] | frozenset[str],
          places: set[str] | frozenset[str] = frozenset()) -> Tallies:
    """The tallies of some articles' own quads (article graphs). ``actors`` and ``places``: the
    IRIs of the actor and place entities (their types are in the entities graph, not among these
    quads)."""
    sentences: dict[str, set[str]] = defaultdict(set)           # evidence -> actors named in it
    located: dict[str, set[str]] = defaultdict(set)             # evidence -> places named in it
    troop_sentences: set[str] = set()
    article_of: dict[str, str] = {}
    claims: dict[str, dict[str, str]] = defaultdict(dict)
    evidence, kind, quantity, claimant, reported, text = (
        KGO[n][1] for n in ("evidence", "quantityKind", "quantity", "claimant", "reportedIn", "sentenceText"))
    rdf_type, article_class, publisher = RDF.type[1], KGO.Article[1], SCHEMA.publisher[1]
    article_nodes: set[str] = set()
    published_by: dict[str, str] = {}
    for s, p, o, g in quads:
        prop = p[1]
        if prop == rdf_type:
            if o[1] == article_class:
                article_nodes.add(s[1])
        elif prop == publisher:
            published_by[s[1]] = o[1]
        elif prop == evidence:
            if s[1] in actors:
                sentences[o[1]].add(s[1])
                article_of[o[1]] = g[1]
            if s[1] in places:
                located[o[1]].add(s[1])
                article_of[o[1]] = g[1]
        elif prop == text:
            if TROOP_WORDS.search(o[1]):
                troop_sentences.add(s[1])
        elif prop in (kind, quantity, claimant, reported):
            claims[s[1]][prop] = o[1]
    pair_articles: dict[PairKey, set[str]] = defaultdict(set)
    out = Tallies()
    for ev, named in sentences.items():
        named = sorted(named)
        for i, x in enumerate(named):
            for y in named[i + 1:]:
                out.pairs.setdefault((x, y), [0, 0])[0] += 1
                pair_articles[x, y].add(article_of[ev])
    for key, articles in pair_articles.items():
        out.pairs[key][1] = len(articles)
    claim_articles: dict[ClaimKey, set[str]] = defaultdict(set)
    for facts in claims.values():
        if kind in facts and quantity in facts and reported in facts:
            claim_articles[facts[kind], facts[quantity], facts.get(claimant, "")].add(facts[reported])
    out.claims = {key: len(articles) for key, articles in claim_articles.items()}
    place_articles: dict[str, set[str]] = defaultdict(set)
    for ev in troop_sentences & located.keys():
        for place in located[ev]:
            place_articles[place].add(article_of[ev])
    out.places = {place: len(articles) for place, articles in place_articles.items()}
    for article in article_nodes:
        name = published_by.get(article, "")
        out.publishers[name] = out.publishers.get(name, 0) + 1
    return out


def pair_node(iris: Iris, key: PairKey) -> Term:
    return iri(f"{iris.base}co-mention/{_local(iris, key[0])}/{_local(iris, key[1])}")


def claim_node(iris: Iris, key: ClaimKey) -> Term:
    who = _local(iris, key[2]) if key[2] else "unattributed"
    return iri(f"{iris.base}tally/{slug(key[0])}/{key[1]}/{who}")


def place_node(iris: Iris, place: str) -> Term:
    return iri(f"{iris.base}tally/troop-place/{_local(iris, place)}")


def publisher_node(iris: Iris, publisher: str) -> Term:
    """One node a publisher's name (spellings that slug alike keep nodes of their own)."""
    if not publisher:
        return iri(f"{iris.base}tally/publisher/unknown")
    digest = hashlib.sha1(publisher.encode()).hexdigest()[:8]
    return iri(f"{iris.base}tally/publisher/{slug(publisher)}-{digest}")


def _local(iris: Iris, node: str) -> str:
    return node[len(iris.base):] if node.startswith(iris.base) else slug(node)


def _counted(counts: dict) -> Iterator[tuple]:
    """(key, count) in key order, the zero counts left out."""
    return ((key, counts[key]) for key in sorted(counts) if counts[key])


def tally_quads(tallies: Tallies, iris: Iris) -> Iterator[Quad]:
    """The tallies as quads of the tallies graph, in a stable order; zero counts are left out."""
    g = iris.tallies_graph
    for key in sorted(tallies.pairs):
        sentences, articles = tallies.pairs[key]
        if not sentences:
            continue
        node = pair_node(iris, key)
        yield node, RDF.type, KGO.CoMention, g
        yield node, KGO.between, iri(key[0]), g
        yield node, KGO.between, iri(key[1]), g
        yield node, KGO.sentenceCount, literal(sentences, XSD.integer), g
        yield node, KGO.reportCount, literal(articles, XSD.integer), g
    for key, articles in _counted(tallies.claims):
        node = claim_node(iris, key)
        yield node, RDF.type, KGO.ClaimTally, g
        yield node, KGO.quantityKind, literal(key[0]), g
        yield node, KGO.quantity, literal(key[1], XSD.integer), g
        if key[2]:
            yield node, KGO.claimant, iri(key[2]), g
        yield node, KGO.reportCount, literal(articles, XSD.integer), g
    for place, articles in _counted(tallies.places):
        node = place_node(iris, place)
        yield node, RDF.type, KGO.TroopPlaceTally, g
        yield node, KGO.tallyPlace, iri(place), g
        yield node, KGO.reportCount, literal(articles, XSD.integer), g
    for publisher, articles in _counted(tallies.publishers):
        node = publisher_node(iris, publisher)
        yield node, RDF.type, KGO.PublisherTally, g
        if publisher:
            yield node, SCHEMA.publisher, literal(publisher), g
        yield node, KGO.reportCount, literal(articles, XSD.integer), g


def nodes(tallies: Tallies, iris: Iris) -> Iterator[Term]:
    """The nodes of the tallies that are written (the ones counted more than zero), one by one:
    a 100k build has a quarter of a million."""
    for key in sorted(k for k, (n, _) in tallies.pairs.items() if n):
        yield pair_node(iris, key)
    for key, _ in _counted(tallies.claims):
        yield claim_node(iris, key)
    for place, _ in _counted(tallies.places):
        yield place_node(iris, place)
    for publisher, _ in _counted(tallies.publishers):
        yield publisher_node(iris, publisher)


def article_quads_in(store, articles: Iterable[str]) -> Iterator[Quad]:
    """The quads of these article graphs of a store (what ``count`` reads)."""
    for a in articles:
        yield from kgstore.matching(store, g=iri(a))


def stored(store, iris: Iris, pairs: Iterable[PairKey], claims: Iterable[ClaimKey],
           places: Iterable[str] = (), publishers: Iterable[str] = ()) -> Tallies:
    """These tallies as the store's tallies graph has them (none yet: zero)."""
    g = iris.tallies_graph

    def number(node: Term, prop: Term) -> int:
        found = next(kgstore.matching(store, node, prop, g=g), None)
        return int(found[2][1]) if found else 0

    out = Tallies()
    for key in pairs:
        node = pair_node(iris, key)
        out.pairs[key] = [number(node, KGO.sentenceCount), number(node, KGO.reportCount)]
    for key in claims:
        out.claims[key] = number(claim_node(iris, key), KGO.reportCount)
    for place in places:
        out.places[place] = number(place_node(iris, place), KGO.reportCount)
    for publisher in publishers:
        out.publishers[publisher] = number(publisher_node(iris, publisher), KGO.reportCount)
    return out


def remove(store, iris: Iris, tallies: Tallies) -> None:
    """Take these tallies' nodes out of the tallies graph (before they are written again)."""
    nodes = [pair_node(iris, k) for k in tallies.pairs] + [claim_node(iris, k) for k in tallies.claims] + \
        [place_node(iris, k) for k in tallies.places] + [publisher_node(iris, k) for k in tallies.publishers]
    kgstore.remove_subjects(store, nodes, iris.tallies_graph)
