"""The W3C SPARQL 1.1 Protocol test suite (tests/data/w3c-protocol, see SOURCE.md), run as
the manifest writes it: each ht:Request sent to a real `kg serve` on 127.0.0.1, each
ht:Response's expectations checked. kg is a read-only endpoint (see SOURCE.md)."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from conftest import running
from kg import store as kgstore
from kg.config import Settings
from kg.server import create_app
from kg.terms import from_rdflib

HERE = Path(__file__).parent / "data" / "w3c-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

FORMATS = {  # mf:expectedFormat → the media types that are that kind of result
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"},
}

MANIFEST = Graph().parse(HERE / "manifest.ttl", publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl")
ENTRIES = list(Collection(MANIFEST, MANIFEST.value(MANIFEST.value(predicate=RDF.type, object=MF.Manifest),
                                                    MF.entries)))


def _name(test) -> str:
    return str(test).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One kg server per dataset the tests ask for (the graphs each test names)."""
    urls: dict[frozenset, str] = {}
    with contextlib.ExitStack() as servers_running:
        def serve(graph_data: frozenset) -> str:
            if graph_data not in urls:
                urls[graph_data] = servers_running.enter_context(running(create_app(
                    Settings(store=_store(graph_data, tmp_path_factory)), timeout=5.0, workers=1)))
            return urls[graph_data]

        yield serve


def _store(graph_data: frozenset, tmp_path_factory) -> Path:
    """A store holding the test's graphs, each under the name the manifest gives it."""
    store = tmp_path_factory.mktemp("w3c") / "store"
    quads = []
    for file, name in sorted(graph_data):
        for s, p, o in Graph().parse(HERE / file, format="nt"):
            quads.append((from_rdflib(s), from_rdflib(p), from_rdflib(o), ("iri", name, "", "")))
    kgstore.new_store(store, quads)
    return store


def _requests(test):
    action = MANIFEST.value(test, MF.action)
    return list(Collection(MANIFEST, MANIFEST.value(action, HT.requests)))


def _is_update(request) -> bool:
    body = MANIFEST.value(request, HT.body)
    chars = str(MANIFEST.value(body, CNT.chars) or "") if body is not None else ""
    headers = {str(MANIFEST.value(h, HT.fieldName)).lower(): str(MANIFEST.value(h, HT.fieldValue))
               for h in Collection(MANIFEST, MANIFEST.value(request, HT.headers) or RDF.nil)}
    return "sparql-update" in headers.get("content-type", "") or chars.startswith("update=") \
        or "update=" in str(MANIFEST.value(request, HT.absolutePath))


def test_the_manifest_has_34_tests():
    assert len(ENTRIES) == 34


@pytest.mark.parametrize("test", ENTRIES, ids=_name)
def test_w3c_protocol(test, servers):
    data = frozenset((str(MANIFEST.value(g, UT.graph)).rsplit("/", 1)[-1], str(MANIFEST.value(g, RDFS.label)))
                     for g in MANIFEST.objects(test, UT.graphData))
    base = servers(data)
    for request in _requests(test):
        method = str(MANIFEST.value(request, HT.methodName))
        path = str(MANIFEST.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        headers = {str(MANIFEST.value(h, HT.fieldName)): str(MANIFEST.value(h, HT.fieldValue))
                   for h in Collection(MANIFEST, MANIFEST.value(request, HT.headers) or RDF.nil)}
        body = MANIFEST.value(request, HT.body)
        content = None
        if body is not None:
            encoding = str(MANIFEST.value(body, CNT.characterEncoding) or "UTF-8")
            content = str(MANIFEST.value(body, CNT.chars)).encode(encoding)
        response = httpx.request(method, base + path, headers=headers, content=content, timeout=30)
        expected = MANIFEST.value(request, HT.resp)
        classes = {str(s)[len(HTS):] for s in MANIFEST.objects(expected, MF.expectedStatus)}
        got = f"{response.status_code // 100}xx"
        if _is_update(request) and classes & {"2xx", "3xx"}:
            # read-only: refused, with a reason; what follows would check the update's effect
            assert response.status_code == 403 and "read-only" in response.text, response.text
            return
        assert got in classes, f"{method} {path}: {response.status_code} {response.text[:300]}"
        if got == "4xx":
            assert response.text.strip(), "a refusal says why"
        fmt = MANIFEST.value(expected, MF.expectedFormat)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if fmt is not None:
            assert media in FORMATS[str(fmt)], media
        boolean = MANIFEST.value(expected, MF.expectedBoolean)
        if boolean is not None:
            assert _boolean(response.content, media) is boolean.toPython()


def _boolean(content: bytes, media: str) -> bool:
    if media.endswith("json"):
        return json.loads(content)["boolean"]
    node = ElementTree.fromstring(content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return node.text.strip() == "true"
