"""From extraction results and resolved entities to quads. Pure: returns quads, writes nothing.

Graph layout (each triple kept in one place, so union queries see it once):

- ``<base>graph/entities``: what an entity is: type, label, alternative labels, sameAs, operator;
- ``<base>graph/events``: what an event is: type, dates, agent, participants, place;
- ``<base>graph/tallies``: counts derived from the article graphs (``kg.tally``);
- one graph per article, named by the article's IRI: its metadata, and what only that
  article says: which entities and events it mentions, its claims, its evidence sentences.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from urllib.parse import quote

from kg import vocab
from kg.model import ArticleResult, Claim, DateValue, DroppedRole, Event, Precision
from kg.resolve import Entity
from kg.terms import Quad, Term, Vocabulary, iri, literal
from kg.text import slug
from kg.vocab import DEFAULT_BASE, GEONAMES

OWL, RDF, RDFS, SKOS, XSD = (Vocabulary(ns) for ns in (vocab.OWL_NS, vocab.RDF_NS, vocab.RDFS_NS,
                                                        vocab.SKOS_NS, vocab.XSD_NS))
DCTERMS, GEO, KGO, SCHEMA, WD = (Vocabulary(ns) for ns in (vocab.DCTERMS_NS, vocab.GEO_NS, vocab.KGO_NS,
                                                            vocab.SCHEMA_NS, vocab.WD_NS))

_DATATYPE = {Precision.DAY: XSD.date, Precision.MONTH: XSD.gYearMonth, Precision.YEAR: XSD.gYear}


@dataclass(frozen=True)
class Iris:
    """Every IRI kg mints, from one base.

    Example:
        >>> Iris().entity("kim jong un")
        ('iri', 'https://w3id.org/kg/id/kim-jong-un', '', '')
    """

    base: str = DEFAULT_BASE

    def entity(self, key: str) -> Term:
        return iri(f"{self.base}{slug(key)}")

    def article(self, article_id: str) -> Term:
        return iri(f"{self.base}article/{article_id}")

    def evidence(self, article_id: str, start: int, end: int) -> Term:
        return iri(f"{self.base}evidence/{article_id}/{start}-{end}")

    def claim(self, article_id: str, name: str) -> Term:
        return iri(f"{self.base}claim/{article_id}/{name}")

    def mention(self, article_id: str, name: str) -> Term:
        return iri(f"{self.base}mention/{article_id}/{name}")

    def event(self, name: str) -> Term:
        return iri(f"{self.base}event/{name}")

    @property
    def entities_graph(self) -> Term:
        return iri(f"{self.base}graph/entities")

    @property
    def events_graph(self) -> Term:
        return iri(f"{self.base}graph/events")

    @property
    def tallies_graph(self) -> Term:
        return iri(f"{self.base}graph/tallies")


# class local name -> the kgo classes above it, each written as a type too (``supertypes``), so
# that ``?x a kgo:Actor`` finds every actor; computed from the ontology by the caller
Supertypes = Mapping[str, tuple[str, ...]]


def entity_quads(entities: Iterable[Entity], iris: Iris, supertypes: Supertypes | None = None) -> Iterator[Quad]:
    g = iris.entities_graph
    supertypes = supertypes or {}
    for e in entities:
        node = iris.entity(e.key)
        yield node, RDF.type, KGO[e.type], g
        for above in supertypes.get(e.type, ()):
            yield node, RDF.type, KGO[above], g
        yield node, RDFS.label, literal(e.label), g
        for alt in sorted(e.alt_labels):
            yield node, SKOS.altLabel, literal(alt), g
        if e.wikidata:
            yield node, OWL.sameAs, WD[e.wikidata], g
        for op in sorted(e.operators):
            yield node, KGO.operator, iris.entity(op), g
        if e.location is not None:
            place = e.location
            geometry = iri(f"{node[1]}/geometry")
            source = iri(f"{GEONAMES}{place.geonames_id}/")
            yield node, GEO.hasGeometry, geometry, g
            yield node, RDFS.seeAlso, source, g
            yield geometry, RDF.type, GEO.Geometry, g
            yield geometry, GEO.asWKT, literal(f"POINT({place.longitude} {place.latitude})", GEO.wktLiteral), g
            yield geometry, DCTERMS.source, source, g


def article_quads(result: ArticleResult, alias: dict[str, str], entities: dict[str, Entity],
                  iris: Iris, supertypes: Supertypes | None = None) -> Iterator[Quad]:
    """Quads of one article's graph, and its events' descriptions in the shared events graph."""
    a = result.article
    art = iris.article(a.id)
    g = art
    yield art, RDF.type, KGO.Article, g
    yield art, RDFS.label, literal(a.title or a.id), g
    if a.title:
        yield art, SCHEMA.headline, literal(a.title), g
    if a.url:
        yield art, SCHEMA.url, url_term(a.url), g
    if a.publisher:
        yield art, SCHEMA.publisher, literal(a.publisher), g
    if a.published:
        yield art, SCHEMA.datePublished, literal(a.published.isoformat(), XSD.date), g
    if a.language:
        yield art, SCHEMA.inLanguage, literal(a.language), g
    yield art, KGO.sourceFile, literal(a.source.replace("\\", "/").rsplit("/", 1)[-1]), g

    sentences = {s.index: s for s in result.sentences}
    used_sentences: set[int] = set()

    def evidence(index: int) -> Term:
        used_sentences.add(index)
        s = sentences[index]
        return iris.evidence(a.id, s.start, s.end)

    best: dict[Term, float] = {}
    for index, m in result.mentions:
        key = alias.get(m.key, m.key)
        node = iris.entity(key)
        mention = iris.mention(a.id, slug(key))
        yield node, KGO.mentionedIn, art, g
        yield node, KGO.evidence, evidence(index), g
        yield mention, RDF.type, KGO.Mention, g
        yield mention, KGO.mentionOf, node, g
        yield mention, KGO.surfaceForm, literal(" ".join(m.text.split())), g
        yield mention, KGO.rule, literal(m.rule), g
        yield mention, KGO.evidence, evidence(index), g
        if m.source:
            yield mention, KGO.lexiconEntry, literal(m.source), g
        for cue in m.evidence:
            yield mention, KGO.typeEvidence, literal(cue), g
        best[mention] = max(best.get(mention, 0.0), m.confidence)

    for event in result.events:
        name = event_name(event, a.id, alias, entities)
        node = iris.event(name)
        mention = iris.mention(a.id, f"event-{name}")
        yield node, KGO.mentionedIn, art, g
        yield node, KGO.evidence, evidence(event.sentence), g
        yield mention, RDF.type, KGO.Mention, g
        yield mention, KGO.mentionOf, node, g
        yield mention, KGO.trigger, literal(event.trigger), g
        yield mention, KGO.rule, literal("trigger-and-date"), g
        yield mention, KGO.surfaceForm, literal(event.time.text), g
        yield mention, KGO.evidence, evidence(event.sentence), g
        best[mention] = max(best.get(mention, 0.0), event.confidence)
        yield from _event_description(node, event, alias, iris, supertypes or {})
        yield from _dropped_roles(node, event.dropped, iris, g)

    for mention, confidence in best.items():
        yield mention, KGO.confidence, literal(f"{confidence:.2f}", XSD.decimal), g

    for claim, sentence_indexes in _merge_claims(result.claims):
        node = iris.claim(a.id, claim_name(claim, alias))
        yield node, RDF.type, KGO.Claim, g
        who = entities[alias.get(claim.claimant, claim.claimant)].label if claim.claimant else "unattributed"
        yield node, RDFS.label, literal(f"{who}: {claim.hedge + ' ' if claim.hedge else ''}"
                                        f"{claim.quantity:,} {claim.kind}"), g
        yield node, KGO.quantity, literal(claim.quantity, XSD.integer), g
        yield node, KGO.quantityKind, literal(claim.kind), g
        if claim.hedge:
            yield node, KGO.hedge, literal(claim.hedge), g
        if claim.claimant:
            yield node, KGO.claimant, iris.entity(alias.get(claim.claimant, claim.claimant)), g
        if claim.about:
            yield node, KGO.about, iris.entity(alias.get(claim.about, claim.about)), g
        yield node, KGO.reportedIn, art, g
        yield node, KGO.confidence, literal(f"{claim.confidence:.2f}", XSD.decimal), g
        yield node, KGO.rule, literal(claim.rule), g
        for index in sentence_indexes:
            yield node, KGO.evidence, evidence(index), g
        yield from _dropped_roles(node, claim.dropped, iris, g)

    for index in sorted(used_sentences):
        s = sentences[index]
        ev = iris.evidence(a.id, s.start, s.end)
        yield ev, RDF.type, KGO.Evidence, g
        yield ev, KGO.inArticle, art, g
        yield ev, KGO.sentenceText, literal(s.text), g
        yield ev, KGO.startOffset, literal(s.start, XSD.integer), g
        yield ev, KGO.endOffset, literal(s.end, XSD.integer), g


def _event_description(node: Term, event: Event, alias: dict[str, str], iris: Iris,
                       supertypes: Supertypes) -> Iterator[Quad]:
    g = iris.events_graph
    t = event.time
    yield node, RDF.type, KGO[event.type], g
    for above in supertypes.get(event.type, ()):
        yield node, RDF.type, KGO[above], g
    yield node, RDFS.label, literal(f"{event.type} ({_when(event)})"), g
    if t.date:
        yield node, KGO.date, _date_literal(t.date), g
    if t.begin:
        yield node, KGO.startDate, _date_literal(t.begin), g
    if t.until:
        yield node, KGO.endDate, _date_literal(t.until), g
    first = t.date or t.begin
    last = t.date or t.until
    if first:
        yield node, KGO.earliest, literal(first.earliest.isoformat(), XSD.date), g
    if last:
        yield node, KGO.latest, literal(last.latest.isoformat(), XSD.date), g
    if event.agent:
        yield node, KGO.agent, iris.entity(alias.get(event.agent, event.agent)), g
    for p in event.participants:
        yield node, KGO.participant, iris.entity(alias.get(p, p)), g
    for p in event.places:
        yield node, KGO.place, iris.entity(alias.get(p, p)), g


def _dropped_roles(node: Term, dropped: Iterable[DroppedRole], iris: Iris, g: Term) -> Iterator[Quad]:
    """The role links kg.roles dropped, told on both ends in the article's graph (``kg explain``
    of the event, the claim or the entity shows them)."""
    for d in dropped:
        entity = iris.entity(d.entity)
        why = f"the entity is a kgo:{d.type}, which the shapes do not admit as kgo:{d.role}"
        yield node, KGO.droppedRole, literal(f"kgo:{d.role} <{entity[1]}>: {why}"), g
        yield entity, KGO.droppedRole, literal(f"kgo:{d.role} of <{node[1]}>: {why}"), g


def url_term(url: str) -> Term:
    """An article's URL as an IRI (RFC 3987), what IRIs forbid percent-encoded; a URL that cannot be
    one (another scheme, a host with spaces, a port that is not a number) as a string. One
    article's "http://example.com/100%" had made the store's loader refuse the whole build."""
    m = _WEB_URL.fullmatch(url.strip())
    if m is None:
        return literal(url)
    rest, first_hash = [], True
    for i, c in enumerate(m["rest"] or ""):
        if c == "%" and _HEX2.fullmatch(m["rest"], i + 1, i + 3):
            rest.append(c)
        elif c == "#" and first_hash:          # the fragment's mark: once
            first_hash = False
            rest.append(c)
        elif c in _IRI_ASCII or (ord(c) > 0x7F and _ucschar(ord(c))):
            rest.append(c)
        else:
            rest.append(quote(c, safe=""))
    return iri(f"{m['scheme']}://{m['host']}{m['port'] or ''}{''.join(rest)}")


_WEB_URL = re.compile(r"(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://(?P<host>[\w-]+(?:\.[\w-]+)*\.?)(?P<port>:\d{1,5})?"
                      r"(?P<rest>[/?#].*)?", re.DOTALL)
_HEX2 = re.compile(r"[0-9A-Fa-f]{2}")
# unreserved, sub-delims and ":@/?" (RFC 3987 ipath, iquery, ifragment), ASCII part
_IRI_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?")


def _ucschar(cp: int) -> bool:
    """RFC 3987's ucschar: the non-ASCII characters an IRI may hold as they are."""
    return (0xA0 <= cp <= 0xD7FF or 0xF900 <= cp <= 0xFDCF or 0xFDF0 <= cp <= 0xFFEF
            or (0x10000 <= cp <= 0xEFFFD and (cp & 0xFFFF) <= 0xFFFD))


def _date_literal(value: DateValue) -> Term:
    return literal(value.iso, _DATATYPE[value.precision])


def _when(event: Event) -> str:
    t = event.time
    if t.date:
        return t.date.iso
    return f"{t.begin.iso if t.begin else ''}/{t.until.iso if t.until else ''}"


def event_name(event: Event, article_id: str, alias: dict[str, str], entities: dict[str, Entity]) -> str:
    """An event's IRI name. The same type, date and agent told by several articles is one
    event; an event without an agent stays the article's own."""
    t = event.time
    when = t.date.iso if t.date else (f"{t.begin.iso}--{t.until.iso}" if t.begin and t.until
                                      else f"since-{t.begin.iso}" if t.begin else f"until-{t.until.iso}")
    if event.agent:
        return f"{when}-{event.type.lower()}-{slug(alias.get(event.agent, event.agent))}"
    return f"{when}-{event.type.lower()}-{article_id}-s{event.sentence}"


def claim_name(claim: Claim, alias: dict[str, str]) -> str:
    who = slug(alias.get(claim.claimant, claim.claimant)) if claim.claimant else "unattributed"
    return f"{who}-{claim.quantity}-{slug(claim.kind)}"


def _merge_claims(claims: Iterable[Claim]) -> list[tuple[Claim, list[int]]]:
    """One claim per (claimant, number, kind) in an article, with every sentence saying it."""
    merged: dict[tuple, tuple[Claim, list[int]]] = {}
    for c in claims:
        key = (c.claimant, c.quantity, c.kind)
        if key in merged:
            first, sentences = merged[key]
            if c.sentence not in sentences:
                sentences.append(c.sentence)
            if first.hedge is None and c.hedge:
                merged[key] = (c, sentences)
        else:
            merged[key] = (c, [c.sentence])
    return list(merged.values())

