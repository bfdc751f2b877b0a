"""kg.open()'s faster result conversion gives exactly what oxrdflib's stock store gives."""
import pyoxigraph as ox
import pytest
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from rdflib import BNode, Dataset, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import ResultRow

from kg.dataset import KgOxigraphStore, term_converter, open_dataset
from kg.store import PREFIXES, open_read

SLOTS = ("_language", "_datatype", "_value", "_ill_typed")


def _same_term(fast, stock):
    assert type(fast) is type(stock) and fast == stock, (fast, stock)
    if isinstance(stock, Literal):
        assert [getattr(fast, s) for s in SLOTS] == [getattr(stock, s) for s in SLOTS]
        assert fast.toPython() == stock.toPython() and hash(fast) == hash(stock)


@pytest.mark.parametrize("term", [
    ox.NamedNode("https://w3id.org/kg/id/person/kim-jong-un"),
    ox.BlankNode("b0"),
    ox.Literal("Kim Jong Un"),
    ox.Literal("Ким Чен Ын", language="ru"),
    ox.Literal("12000", datatype=ox.NamedNode(str(XSD.integer))),
    ox.Literal("2024-10-18", datatype=ox.NamedNode(str(XSD.date))),
    ox.Literal("not a date", datatype=ox.NamedNode(str(XSD.date))),
    ox.Literal("1.5e3", datatype=ox.NamedNode(str(XSD.double))),
    ox.Literal("", datatype=ox.NamedNode(str(XSD.string))),
])
def test_each_kind_of_term_converts_as_rdflib_builds_it(term):
    _same_term(term_converter()(term), from_ox(term))


QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "SELECT ?a ?d ?missing WHERE { ?a a kgo:Article . OPTIONAL { ?a schema:datePublished ?d } } ORDER BY ?a",
    "SELECT (COUNT(*) AS ?n) (BNODE() AS ?b) WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_select_rows_and_bindings_equal_the_stock_stores(seeds_store, query):
    fast = open_dataset(seeds_store)
    stock = Dataset(store=OxigraphStore(store=open_read(seeds_store)), default_union=True)
    for prefix, namespace in PREFIXES.items():
        stock.bind(prefix, namespace, replace=True)
    fast_result, stock_result = fast.query(query), stock.query(query)
    fast_rows, stock_rows = list(fast_result), list(stock_result)
    assert len(fast_rows) == len(stock_rows) > 0
    assert fast_result.vars == stock_result.vars
    for fast_row, stock_row in zip(fast_rows, stock_rows):
        assert fast_row.asdict().keys() == stock_row.asdict().keys()
        assert isinstance(fast_row, ResultRow) and fast_row.labels == stock_row.labels
        for index, variable in enumerate(stock_result.vars):
            if isinstance(stock_row[index], BNode):  # fresh per evaluation
                assert isinstance(fast_row[index], BNode)
                continue
            if stock_row[index] is None:
                assert fast_row[index] is None
                continue
            _same_term(fast_row[index], stock_row[index])
            assert fast_row[str(variable)] is fast_row[variable] is getattr(fast_row, str(variable))
    # a result can be iterated again and its bindings read, as rdflib's own results can
    assert [tuple(r) for r in fast_result] == [tuple(r) for r in fast_rows]
    assert len(fast_result.bindings) == len(stock_result.bindings)


def test_ask_construct_and_initbindings(seeds_store):
    ds = open_dataset(seeds_store)
    assert isinstance(ds.store, KgOxigraphStore)
    assert ds.query("ASK { ?a a kgo:Article }").askAnswer is True
    graph = ds.query("CONSTRUCT { ?a a kgo:Article } WHERE { ?a a kgo:Article }").graph
    assert len(graph) == 5 and all(isinstance(s, URIRef) for s, _, _ in graph)
    article = next(iter(graph))[0]
    rows = list(ds.query("SELECT ?a ?t WHERE { ?a schema:headline ?t }", initBindings={"a": article}))
    assert len(rows) == 1 and isinstance(rows[0].t, Literal)
    assert Variable("t") in ds.query("SELECT ?t WHERE { ?a schema:headline ?t }").vars


@pytest.mark.parametrize("query", [
    "SELECT ?a ?d WHERE { ?a a kgo:Article . OPTIONAL { ?a schema:nothing ?d } } ORDER BY ?a",
    "SELECT * WHERE {}",
])
def test_rows_and_bindings_are_whole_in_any_order_of_reading(seeds_store, query):
    """Rows and bindings equal a fresh stock result's, however the result was read before: bindings
    first, or rows after a first reading stopped early (after which rdflib's own results skip the
    rows already read: not copied)."""
    fast = open_dataset(seeds_store)
    stock = Dataset(store=OxigraphStore(store=open_read(seeds_store)), default_union=True)
    for prefix, namespace in PREFIXES.items():
        stock.bind(prefix, namespace, replace=True)
    rows, bindings = [tuple(r) for r in stock.query(query)], stock.query(query).bindings
    bindings_first = fast.query(query)
    assert bindings_first.bindings == bindings and [tuple(r) for r in bindings_first] == rows
    abandoned = fast.query(query)
    for _ in zip(range(1), abandoned):
        pass
    assert [tuple(r) for r in abandoned] == rows
    assert abandoned.bindings == bindings and len(abandoned) == len(bindings)
