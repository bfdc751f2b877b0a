"""The server, in-process (Starlette's TestClient) and live (uvicorn on 127.0.0.1, real clients)."""
from __future__ import annotations

import gzip
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import rdflib
from starlette.testclient import TestClient

from kg import queries as kgqueries
from kg import store as kgstore
from kg.config import Settings
from kg.resources import data_dir
from kg.server import create_app

from conftest import running

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
KIM = "https://w3id.org/kg/id/kim-jong-un"


@pytest.fixture(scope="module")
def client(seeds_store):
    app = create_app(Settings(store=seeds_store), timeout=3.0, workers=2)
    with TestClient(app) as c:
        yield c


# ------------------------------------------------------------------ protocol
def test_server_get_post_form_and_direct_post(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Article }"
    for response in (client.get("/sparql", params={"query": q}),
                     client.post("/sparql", data={"query": q}),
                     client.post("/sparql", content=q, headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "5"


@pytest.mark.parametrize("accept, fmt, media, check", [
    ("application/sparql-results+xml", "xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "csv", "text/csv", b"n\r\n5"),
    ("text/tab-separated-values", "tsv", "text/tab-separated-values", b"?n\n5"),
    ("application/json", "json", "application/sparql-results+json", b'"bindings"'),
])
def test_server_select_formats_by_accept_and_format(client, accept, fmt, media, check):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Article }"
    by_accept = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    by_param = client.get("/sparql", params={"query": q, "format": fmt})
    for r in (by_accept, by_param):
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert check in r.content


@pytest.mark.parametrize("accept, rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                   ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_server_construct_formats_parse(client, accept, rdflib_format):
    q = f"CONSTRUCT {{ <{KIM}> ?p ?o }} WHERE {{ <{KIM}> ?p ?o }}"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.text, format=rdflib_format)
    assert (rdflib.URIRef(KIM), rdflib.RDFS.label, rdflib.Literal("Kim Jong Un")) in g


def test_server_ask_and_describe(client):
    assert client.get("/sparql", params={"query": "ASK { ?x a kgo:Claim }"}).json()["boolean"] is True
    r = client.get("/sparql", params={"query": f"DESCRIBE <{KIM}>"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Kim Jong Un" in r.text


def test_server_default_and_named_graph_uris(client):
    article = "https://w3id.org/kg/id/article/002_ca6e3800ea5608bd"
    q = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kgo:Claim }"
    all_claims = int(client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"])
    one = client.get("/sparql", params={"query": q, "default-graph-uri": article})
    assert 0 < int(one.json()["results"]["bindings"][0]["n"]["value"]) < all_claims
    named = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": article})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [article]


def test_server_refuses_updates(client):
    assert client.post("/sparql", content="INSERT DATA { <a:b> <a:c> <a:d> }",
                       headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 403


def test_server_bad_query_400_with_parser_message(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x "})
    assert r.status_code == 400
    body = r.json()["error"]
    assert body["status"] == 400 and "does not parse" in body["message"]


def test_server_deeply_nested_query_is_400_not_a_crashed_worker(client):
    deep = "SELECT * WHERE " + "{" * 20_000 + "?s ?p ?o" + "}" * 20_000      # overflowed the parser's stack
    r = client.post("/sparql", content=deep, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "nested" in r.json()["error"]["message"]
    assert client.get("/sparql", params={"query": "ASK { ?x a kgo:Article }"}).json()["boolean"] is True


def test_server_two_query_parameters_are_400(client):
    r = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert r.status_code == 400 and "more than one query" in r.json()["error"]["message"]
    r = client.post("/sparql", content="query=ASK%20%7B%7D&query=ASK%20%7B%7D",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


def test_one_client_over_its_bound_gets_429_with_retry_after(seeds_store):
    app = create_app(Settings(store=seeds_store), timeout=2.0, workers=2, per_client=1)
    with TestClient(app) as c, ThreadPoolExecutor(3) as pool:
        replies = list(pool.map(lambda _: c.get("/sparql", params={"query": SLOW}), range(3)))
        statuses = sorted(r.status_code for r in replies)
        assert 429 in statuses and 503 in statuses        # one ran (to its time limit); the others were refused
        refused = next(r for r in replies if r.status_code == 429)
        assert refused.headers["retry-after"] == "1" and "queries running" in refused.json()["error"]["message"]
        assert c.get("/sparql", params={"query": "ASK { ?x a kgo:Article }"}).status_code == 200   # freed


def test_malformed_query_gets_400_at_once_while_every_worker_is_busy(seeds_store):
    # one worker, no spare, held by a query that runs to its time limit: a malformed query must not
    # wait behind it (and then get 503 busy); it is refused for what it is
    app = create_app(Settings(store=seeds_store), timeout=3.0, workers=1, spare=0)
    with TestClient(app) as c, ThreadPoolExecutor(1) as pool:
        slow = pool.submit(c.get, "/sparql", params={"query": SLOW})
        time.sleep(0.5)
        t = time.perf_counter()
        r = c.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y"})
        assert r.status_code == 400 and "does not parse" in r.json()["error"]["message"]
        assert time.perf_counter() - t < 1.0
        assert slow.result().status_code == 503


def test_server_relative_iris_resolve_against_the_endpoint(client):
    r = client.post("/sparql", content="CONSTRUCT { <s> <p> 1 } WHERE {}",
                    headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert r.status_code == 200
    assert "<http://testserver/s> <http://testserver/p>" in r.text


def test_server_refuses_service_and_big_requests(client):
    r = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.json()["error"]["message"]
    r = client.post("/sparql", content="#" + "x" * 1_100_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_server_error_shape_is_one(client):
    for r in (client.get("/sparql"), client.get("/id/nobody-at-all"), client.get("/nothing-here"),
              client.post("/sparql", content="x", headers={"Content-Type": "text/plain"})):
        assert r.status_code in (400, 404, 415)
        assert set(r.json()["error"]) == {"status", "title", "message"}


def test_server_cors(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://notebook.example"})
    assert r.headers["access-control-allow-origin"] == "*"


# ------------------------------------------------------------------ linked data
def test_server_entity_iri_dereferences(client):
    html = client.get("/id/kim-jong-un", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "<h1>Kim Jong Un</h1>" in html.text and "Evidence" in html.text and 'href="/id/' in html.text
    ttl = client.get("/id/kim-jong-un", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (rdflib.URIRef(KIM), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/kg/ontology#Person")) in g
    jsonld = client.get("/id/kim-jong-un", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(g)


def test_server_claim_event_article_iris_dereference(client):
    for path in ("claim/004_a0c74e52440efbcf/national-intelligence-service-12000-troops",
                 "event/2024-10-18-meeting-yoon-suk-yeol", "article/003_ee409ff46c783017"):
        r = client.get(f"/id/{path}", headers={"Accept": "text/html"})
        assert r.status_code == 200, path


def test_server_base_iri_is_configurable(seeds_store):
    app = create_app(Settings(store=seeds_store, base_iri="https://w3id.org/kg/id/kim-"), timeout=3.0, workers=1)
    with TestClient(app) as c:
        assert "<h1>Kim Jong Un</h1>" in c.get("/id/jong-un").text


# ------------------------------------------------------------------ dumps and VoID
def test_server_dumps_parse_back_to_the_same_quads(client, seeds_store):
    n_quads = len(kgstore.open_read(seeds_store))
    nq = client.get("/dump.nq")
    ds = rdflib.Dataset()
    ds.parse(data=nq.text, format="nquads")
    assert len(set(ds.quads((None, None, None, None)))) == n_quads
    trig = rdflib.Dataset()
    trig.parse(data=client.get("/dump.trig").text, format="trig")
    assert len(set(trig.quads((None, None, None, None)))) == n_quads
    ttl = rdflib.Graph().parse(data=client.get("/dump.ttl").text, format="turtle")
    assert len(ttl) > 0.9 * n_quads


def test_server_dump_gzip_when_asked(client):
    r = client.get("/dump.nq", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"


def test_server_void(client, seeds_store):
    g = rdflib.Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = next(g.subjects(rdflib.RDF.type, VOID.Dataset))
    assert int(g.value(ds, VOID.triples)) == len(kgstore.open_read(seeds_store))
    assert int(g.value(ds, VOID.entities)) > 50
    assert str(g.value(ds, VOID.sparqlEndpoint)).endswith("/sparql")
    assert {str(d).rsplit("/", 1)[-1] for d in g.objects(ds, VOID.dataDump)} == {"dump.ttl", "dump.trig", "dump.nq"}
    assert g.value(ds, rdflib.URIRef("http://purl.org/dc/terms/modified")) is not None
    classes = {str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities)) for p in g.objects(ds, VOID.classPartition)}
    assert classes["https://w3id.org/kg/ontology#Article"] == 5
    examples = {str(e) for e in g.objects(ds, VOID.exampleResource)}
    assert "https://w3id.org/kg/id/kim-jong-un" in examples or "https://w3id.org/kg/id/north-korea" in examples
    assert len(examples) == 4 and all(client.get(e.replace("https://w3id.org/kg/id/", "/id/")).status_code == 200
                                      for e in examples)


def test_server_query_page_lists_examples_and_needs_no_network(client):
    page = client.get("/")
    assert page.status_code == 200 and 'id="examples"' in page.text
    assert "troop-claims" in page.text
    for src in ("/static/query.js", "/static/kg.css"):
        assert client.get(src).status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text.replace(
        "https://w3id.org", "").replace("https://schema.org", "")


# ------------------------------------------------------------------ live server, real clients
def test_live_sparqlwrapper_and_sparqlstore_match_kg_query(live, seeds_store):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    st = kgstore.open_read(seeds_store)
    remote = SPARQLStore(f"{live}/sparql", returnFormat="json")
    for q in kgqueries.examples(data_dir("queries")):
        expected = kgstore.run_query(st, q.text, "rows")
        wrapper = SPARQLWrapper(f"{live}/sparql")
        wrapper.setQuery(q.text)
        wrapper.setReturnFormat(JSON)
        got = wrapper.query().convert()
        rows = [tuple(b.get(v, {}).get("value", "") for v in expected.variables) for b in got["results"]["bindings"]]
        assert rows == [tuple(value for _, value in r) for r in expected.rows], q.name
        prefixed = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in kgstore.PREFIXES.items()) + q.text
        via_rdflib = [tuple(str(x) if x is not None else "" for x in row) for row in remote.query(prefixed)]
        assert via_rdflib == rows, q.name


def test_live_slow_query_stopped_while_another_is_answered(live):
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(httpx.get, f"{live}/sparql", params={"query": SLOW}, timeout=60)
        time.sleep(0.5)
        t0 = time.time()
        quick = httpx.get(f"{live}/sparql", params={"query": "ASK { ?x a kgo:Article }"}, timeout=60)
        quick_seconds = time.time() - t0
        slow_response = slow.result()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert quick_seconds < 2.5                           # answered while the slow one ran
    assert slow_response.status_code == 503
    assert "time limit" in slow_response.json()["error"]["message"]
    after = httpx.get(f"{live}/sparql", params={"query": "ASK { ?x a kgo:Article }"}, timeout=30)
    assert after.status_code == 200                      # the killed worker was replaced


def test_live_answers_longer_than_the_pipe_arrive_whole_again_and_again(live, seeds_store):
    """The event loop reads a worker's answer: one longer than the pipe's buffer must arrive whole,
    each time, from every worker (a pipe the loop had made non-blocking broke them once)."""
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    expected = len(set(kgstore.union_graph(kgstore.open_read(seeds_store))))
    with httpx.Client(timeout=60) as c:
        for _ in range(6):
            r = c.get(f"{live}/sparql", params={"query": everything}, headers={"Accept": "application/n-triples",
                                                                               "Accept-Encoding": "identity"})
            assert r.status_code == 200 and len(r.content) > 300_000
            assert len(set(r.text.splitlines())) == expected
            assert c.get(f"{live}/sparql", params={"query": "ASK { ?x a kgo:Article }"}).json()["boolean"]


def test_live_gzip_dump_over_http(live):
    with httpx.Client() as c:
        r = c.get(f"{live}/dump.nq", headers={"Accept-Encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip" and r.text.count("\n") > 1000
        raw = c.build_request("GET", f"{live}/dump.nq", headers={"Accept-Encoding": "gzip"})
        streamed = c.send(raw, stream=True)
        body = b"".join(streamed.iter_raw())
        assert gzip.decompress(body).decode() == r.text


def test_sparql_first_answers_as_the_middleware_stack_does(seeds_store):
    """/sparql is answered ahead of Starlette's middleware (for speed): status, headers and body
    must be those the general stack (CORS, gzip, error handlers) gives, whatever the request."""
    everything = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    origin = {"Origin": "https://notebook.example"}
    requests = [
        ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept-Encoding": "identity"}}),
        ("GET", {"params": {"query": "SELECT ?s WHERE { ?s a kgo:Article }", "format": "tsv"}, "headers": origin}),
        ("POST", {"data": {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 40"},
                  "headers": {"Accept-Encoding": "gzip", **origin}}),
        ("POST", {"content": everything, "headers": {"Content-Type": "application/sparql-query",
                                                     "Accept": "text/csv", "Accept-Encoding": "gzip"}}),
        ("POST", {"content": everything, "headers": {"Content-Type": "application/sparql-query",
                                                     "Accept-Encoding": "identity"}}),
        ("HEAD", {"params": {"query": "SELECT ?s WHERE { ?s a kgo:Article }"}}),
        ("GET", {"headers": origin}),
        ("GET", {"params": {"query": "SELECT nonsense"}}),
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        ("POST", {"content": "x", "headers": {"Content-Type": "text/plain"}}),
        ("POST", {"content": "INSERT DATA {}", "headers": {"Content-Type": "application/sparql-update"}}),
        ("PUT", {"content": "x"}),
        ("OPTIONS", {"headers": {**origin, "Access-Control-Request-Method": "POST"}}),
    ]
    answers = {}
    for first in (True, False):
        app = create_app(Settings(store=seeds_store), timeout=5.0, workers=1, sparql_first=first)
        with running(app) as url, httpx.Client(timeout=30) as http:
            answers[first] = []
            for method, options in requests:
                r = http.request(method, f"{url}/sparql", **options)
                headers = sorted((k, v) for k, v in r.headers.multi_items() if k not in ("date", "server"))
                answers[first].append((method, r.status_code, headers, r.content))
    assert answers[True] == answers[False]
    assert [status for _, status, _, _ in answers[True]] == [200, 200, 200, 200, 200, 200, 400, 400, 403, 415,
                                                             403, 405, 200]
    big_gzip, big_plain = answers[True][3], answers[True][4]
    assert ("content-encoding", "gzip") in big_gzip[2] and len(big_plain[3]) > 128 * 1024
    assert ("access-control-allow-origin", "*") in answers[True][2][2]


BOUNDED = [
    f"SELECT ?label WHERE {{ <{KIM}> rdfs:label ?label }}",
    f"select * {{ <{KIM}> ?p ?o . }} limit 5",
    "PREFIX x: <https://w3id.org/kg/id/>\nASK WHERE { x:kim-jong-un a kgo:Person }",
    "SELECT ?s ?g WHERE { GRAPH ?g { ?s rdfs:label 'Kim Jong Un'@en } }  # a comment naming FILTER",
    'SELECT ?s { ?s kgo:articleCount 3 }',
    "SELECT ?o WHERE { <nothing-here> ?p ?o }",               # relative: resolved against the endpoint
    "SELECT ?o WHERE { undeclared:thing ?p ?o }",             # Oxigraph's own parse refuses it: 400
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",                     # bounded, but too long: to a worker
]
UNBOUNDED = [
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o = 1) }",
    "SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }",
    "SELECT * WHERE { ?s rdfs:label ?l ; a ?c }",
    "SELECT * WHERE { ?s rdfs:label ?l , ?m }",
    "SELECT * WHERE { ?x ?p ?x }",
    "SELECT * WHERE { GRAPH ?g { ?g ?p ?o } }",
    "SELECT * WHERE { ?s rdfs:label/rdfs:label ?o }",
    "SELECT * WHERE { ?s kgo:partOf* ?o }",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 100000",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { ?o ?q ?r } }",
    "SELECT * WHERE { ?s ?p ?o } VALUES ?s { <a> }",
    "SELECT * FROM <https://w3id.org/kg/graph/ontology> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o # }\n FILTER(true) }",
    'SELECT * WHERE { ?s ?p """long""" }',
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p [] }",
    "ASK {}",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_bounded_shape_recognised(query):
    from kg.server.bounded import is_bounded
    assert is_bounded(query)


@pytest.mark.parametrize("query", UNBOUNDED)
def test_unbounded_shapes_go_to_a_worker(query):
    from kg.server.bounded import is_bounded
    assert not is_bounded(query)


def test_bounded_queries_answered_in_the_server_as_a_worker_answers_them(seeds_store):
    """A bounded query is answered in the server process (no worker asked), byte for byte as a
    worker answers it, errors included; one whose answer is long goes to a worker, whole."""
    answers, asked = {}, {}
    for in_process in (True, False):
        app = create_app(Settings(store=seeds_store), timeout=5.0, workers=1, bounded_in_process=in_process)
        seen = asked[in_process] = []
        run_async = app.state.pool.run_async

        async def counting(job, *args, _run=run_async, _seen=seen):
            _seen.append(job.sparql)
            return await _run(job, *args)

        app.state.pool.run_async = counting
        with running(app) as url, httpx.Client(timeout=30) as http:
            answers[in_process] = []
            for query in BOUNDED + UNBOUNDED[:3]:
                for accept in ("application/sparql-results+json", "text/tab-separated-values"):
                    r = http.post(f"{url}/sparql", data={"query": query}, headers={"Accept": accept})
                    answers[in_process].append((query, r.status_code, r.headers["content-type"], r.content))
    assert answers[True] == answers[False]
    statuses = {q: status for q, status, _, _ in answers[True]}
    assert statuses[BOUNDED[6]] == 400 and all(statuses[q] == 200 for q in BOUNDED[:6] + BOUNDED[7:])
    everything = [body for q, _, _, body in answers[True] if q == BOUNDED[7]]
    assert min(len(body) for body in everything) > 16 * 1024                 # ?s ?p ?o, answered whole
    assert len(asked[False]) == len(answers[False])
    assert sorted(set(asked[True])) == sorted([BOUNDED[7], *UNBOUNDED[:3]])


def test_live_server_sees_a_store_swapped_in_by_a_build(tmp_path, good_dir):
    from kg.pipeline import build
    store = tmp_path / "s"
    assert build([good_dir], Settings(store=store)).ok
    app = create_app(Settings(store=store), timeout=5.0, workers=1)
    with TestClient(app) as c:
        q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Article }"}
        assert c.get("/sparql", params=q).json()["results"]["bindings"][0]["n"]["value"] == "4"
        from conftest import SEEDS
        assert build([good_dir, SEEDS], Settings(store=store)).ok
        assert c.get("/sparql", params=q).json()["results"]["bindings"][0]["n"]["value"] == "9"
        assert "Article" in c.get("/.well-known/void").text
