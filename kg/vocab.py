"""The vocabulary in code: a closed ``KGO`` namespace checked against ``ontology/`` by a test,
and the one prefix table used by serializers, queries and pages.

``schema:`` is ``https://schema.org/`` (the form schema.org itself now publishes).
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace, OWL, PROV, RDF, RDFS, SKOS, XSD

ONTOLOGY_IRI = "https://w3id.org/kg/ontology"
DEFAULT_BASE = "https://w3id.org/kg/id/"


class KGO(DefinedNamespace):
    """kg's ontology. ``KGO.Deploymnet`` raises: a typo never mints an IRI."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Article: URIRef
    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    MilitaryUnit: URIRef
    Place: URIRef
    MilitaryBase: URIRef
    Ship: URIRef
    Event: URIRef
    Deployment: URIRef
    Transport: URIRef
    Meeting: URIRef
    Training: URIRef
    Agreement: URIRef
    ArmsTransfer: URIRef
    Attack: URIRef
    Statement: URIRef
    Denial: URIRef
    Claim: URIRef
    Evidence: URIRef
    Mention: URIRef
    CoMention: URIRef
    ClaimTally: URIRef
    # properties
    mentionedIn: URIRef
    articleCount: URIRef
    typeEvidence: URIRef
    date: URIRef
    startDate: URIRef
    endDate: URIRef
    earliest: URIRef
    latest: URIRef
    agent: URIRef
    participant: URIRef
    place: URIRef
    claimant: URIRef
    about: URIRef
    quantity: URIRef
    quantityKind: URIRef
    hedge: URIRef
    reportedIn: URIRef
    evidence: URIRef
    operator: URIRef
    inArticle: URIRef
    sentenceText: URIRef
    startOffset: URIRef
    endOffset: URIRef
    confidence: URIRef
    rule: URIRef
    sourceFile: URIRef
    mentionOf: URIRef
    surfaceForm: URIRef
    trigger: URIRef
    lexiconEntry: URIRef
    between: URIRef
    reportCount: URIRef
    sentenceCount: URIRef


SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
GEONAMES = "https://sws.geonames.org/"

PREFIXES: dict[str, str] = {
    "kgo": str(KGO._NS),
    "kg": DEFAULT_BASE,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "wd": str(WD),
    "void": str(VOID),
    "dcterms": str(DCTERMS),
    "geo": str(GEO),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every prefix in the table, for queries that omit them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
