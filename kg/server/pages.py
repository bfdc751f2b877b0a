"""What a browser or a linked-data client gets: the query page at /, a page (or RDF) for
every IRI under the data base, the dumps, and the VoID description."""
from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from kg import queries as kgqueries
from kg.server.errors import ApiError
from kg.server.sparql import accepted, client_host, run_job
from kg.server.views import config_json
from kg.server.workers import QueryJob
from kg.vocab import DCTERMS, KGO, PREFIXES, VOID

DUMPS = {"ttl": ("turtle", "text/turtle"), "trig": ("trig", "application/trig"), "nq": ("nquads", "application/n-quads")}
# nodes whose page draws no network: records about articles and sentences, not actors or events
_NOT_IN_NETWORKS = {"Article", "Evidence", "Mention", "Claim", "CoMention", "ClaimTally"}
_RDF_PAGE_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


def _accepted(request: Request) -> list[str]:
    return accepted(request.query_params.get("format"), request.headers.get("accept", ""))


def _render(request: Request, template: str, **context) -> HTMLResponse:
    env = request.app.state.templates
    return HTMLResponse(env.get_template(template).render(**context))


async def query_page(request: Request) -> HTMLResponse:
    state = request.app.state
    examples = [{"name": q.name, "description": q.description, "text": q.text}
                for q in kgqueries.examples(state.settings.queries)]
    return _render(request, "query.html", examples_json=json.dumps(examples).replace("<", "\\u003c"),
                   prefixes_json=json.dumps(PREFIXES), timeout=state.pool.timeout, config_json=config_json(request))


async def prefixes(request: Request) -> JSONResponse:
    """The predeclared prefixes, as prefix.cc gives them (the query page's PREFIX completion)."""
    return JSONResponse(PREFIXES)


async def resource(request: Request) -> Response:
    state = request.app.state
    iri = state.settings.base_iri + request.path_params["path"]
    wanted = next((m for m in _accepted(request) if m in ["text/html", *_RDF_PAGE_TYPES]), None)
    if wanted and wanted != "text/html":
        body, media = await run_job(state, client_host(request.scope), QueryJob(
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}",
            (wanted,)))
        if not body.strip() or body.strip() == b"[]":
            raise ApiError(404, f"nothing is known about <{iri}>")
        return Response(body, media_type=media)
    out = await _select(request, f"""SELECT ?p ?o ?label WHERE {{ <{iri}> ?p ?o OPTIONAL {{ ?o rdfs:label ?label }} }}
                                      ORDER BY ?p ?o""")
    incoming = await _select(request, f"""SELECT ?s ?p ?label WHERE {{ ?s ?p <{iri}>
                                           OPTIONAL {{ ?s rdfs:label ?label }} }} ORDER BY ?p ?label LIMIT 500""")
    if not out and not incoming:
        raise ApiError(404, f"nothing is known about <{iri}>")
    evidence = await _select(request, f"""SELECT ?text ?article ?title WHERE {{ <{iri}> kgo:evidence ?ev .
        ?ev kgo:sentenceText ?text ; kgo:inArticle ?article . OPTIONAL {{ ?article rdfs:label ?title }} }}
        ORDER BY ?title ?text""")
    label = next((r["o"]["value"] for r in out if r["p"]["value"].endswith("rdf-schema#label")), iri)
    types = [r["o"] for r in out if r["p"]["value"] == str(RDF.type)]
    props = [r for r in out if r["p"]["value"] != str(RDF.type)]
    kinds = {t["value"][len(str(KGO._NS)):] for t in types if t["value"].startswith(str(KGO._NS))}
    network = bool(kinds - _NOT_IN_NETWORKS)
    return _render(request, "resource.html", iri=iri, label=label, types=types, props=props, incoming=incoming,
                   network=network, focus=iri, focus_label=label, config_json=config_json(request),
                   evidence=evidence, link=lambda v: _link(state.settings.base_iri, v), short=_short)


async def _select(request: Request, sparql: str) -> list[dict]:
    body, _ = await run_job(request.app.state, client_host(request.scope),
                            QueryJob(sparql, ("application/sparql-results+json",)))
    return json.loads(body)["results"]["bindings"]


def _link(base: str, iri: str) -> str:
    """Where a page links an IRI: our own page for IRIs under the data base; the IRI itself when
    it is a web address. Any other scheme (an article's ``javascript:`` "URL") is linked to
    nothing: a page never carries a link that runs code."""
    if iri.startswith(base):
        return "/id/" + iri[len(base):]
    return iri if iri.lower().startswith(("http://", "https://")) else "#"


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


async def dump(request: Request) -> Response:
    fmt, media = DUMPS[request.path_params["ext"]]
    data = await run_in_threadpool(request.app.state.handle.dump, fmt)
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'inline; filename="kg-dump.{request.path_params["ext"]}"'})


async def void(request: Request) -> Response:
    text = await run_in_threadpool(_void_turtle, request.app.state, str(request.base_url).rstrip("/"))
    wanted = next((m for m in _accepted(request) if m in _RDF_PAGE_TYPES), "text/turtle")
    if wanted != "text/turtle":
        g = Graph().parse(data=text, format="turtle")
        fmt = {"application/n-triples": "nt", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[wanted]
        return Response(g.serialize(format=fmt), media_type=wanted)
    return Response(text, media_type="text/turtle")


def _void_turtle(state, server: str) -> str:
    handle = state.handle
    counts = handle.rows("""SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class
                            ORDER BY ?class""")
    g = Graph(bind_namespaces="none")
    for prefix in ("void", "dcterms", "kgo", "xsd"):
        g.bind(prefix, PREFIXES[prefix])
    ds = URIRef(f"{server}/.well-known/void#dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("kg knowledge graph")))
    g.add((ds, VOID.triples, Literal(handle.size(), datatype=XSD.integer)))
    entity_classes = {str(KGO[c]) for c in ("Person", "Organization", "Country", "MilitaryUnit", "Place",
                                             "MilitaryBase", "Ship")}
    entities = sum(int(n) for (_, c), (_, n) in counts if c in entity_classes)
    g.add((ds, VOID.entities, Literal(entities, datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(counts), datatype=XSD.integer)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{server}/sparql")))
    g.add((ds, VOID.uriSpace, Literal(state.settings.base_iri)))
    g.add((ds, VOID.vocabulary, URIRef(str(KGO._NS))))
    for ext in DUMPS:
        g.add((ds, VOID.dataDump, URIRef(f"{server}/dump.{ext}")))
    # a consumer's first look: the most mentioned person, country and event (kgo:articleCount
    # is kept on entities, so this is a lookup per class, not a count over the mentions)
    for cls in ("Person", "Country", "Organization"):
        for ((_, example),) in handle.rows(f"""SELECT ?x WHERE {{ ?x a <{KGO[cls]}> ; <{KGO.articleCount}> ?n }}
                                               ORDER BY DESC(?n) ?x LIMIT 1"""):
            g.add((ds, VOID.exampleResource, URIRef(example)))
    for ((_, example),) in handle.rows(f"SELECT ?e WHERE {{ ?e a <{KGO.Attack}> }} ORDER BY ?e LIMIT 1"):
        g.add((ds, VOID.exampleResource, URIRef(example)))
    built = handle.built()
    if built:
        g.add((ds, DCTERMS.modified, Literal(built.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    for (_, cls), (_, n) in counts:
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(int(n), datatype=XSD.integer)))
    return g.serialize(format="turtle")

