"""The vocabulary in code: a closed ``KGO`` namespace checked against ``ontology/`` by a test,
and the one prefix table used by serializers, queries and pages.

``schema:`` is ``https://schema.org/`` (the form schema.org itself now publishes).

The namespaces are plain strings here; their rdflib forms (``KGO``, ``SCHEMA``...) are made on
first use, so that a command that never touches rdflib (``kg add`` with its shapes cached) does
not import it: rdflib and the package metadata it reads took 0.15-0.3 s of a 0.75 s ``kg add``.
"""
from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/kg/ontology"
DEFAULT_BASE = "https://w3id.org/kg/id/"

KGO_NS = ONTOLOGY_IRI + "#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
SH_NS = "http://www.w3.org/ns/shacl#"
SCHEMA_NS = "https://schema.org/"
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"
WD_NS = "http://www.wikidata.org/entity/"
VOID_NS = "http://rdfs.org/ns/void#"
DCTERMS_NS = "http://purl.org/dc/terms/"
GEO_NS = "http://www.opengis.net/ont/geosparql#"
GEONAMES = "https://sws.geonames.org/"

PREFIXES: dict[str, str] = {
    "kgo": KGO_NS,
    "kg": DEFAULT_BASE,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "skos": SKOS_NS,
    "prov": PROV_NS,
    "schema": SCHEMA_NS,
    "sem": SEM_NS,
    "wd": WD_NS,
    "void": VOID_NS,
    "dcterms": DCTERMS_NS,
    "geo": GEO_NS,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every prefix in the table, for queries that omit them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


_NAMESPACES = {"SCHEMA": SCHEMA_NS, "SEM": SEM_NS, "WD": WD_NS, "VOID": VOID_NS, "DCTERMS": DCTERMS_NS,
               "GEO": GEO_NS}


def __getattr__(name: str):
    """``KGO`` and the rdflib ``Namespace`` of each prefix, made (and kept) on first use."""
    if name == "KGO":
        value = _kgo()
    elif name in _NAMESPACES:
        from rdflib import Namespace
        value = Namespace(_NAMESPACES[name])
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def _kgo():
    from rdflib import Namespace, URIRef
    from rdflib.namespace import DefinedNamespace

    class KGO(DefinedNamespace):
        """kg's ontology. ``KGO.Deploymnet`` raises: a typo never mints an IRI."""

        _fail = True
        _NS = Namespace(KGO_NS)

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
        TroopPlaceTally: URIRef
        PublisherTally: URIRef
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
        droppedRole: URIRef
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
        tallyPlace: URIRef
        reportCount: URIRef
        sentenceCount: URIRef

    return KGO
