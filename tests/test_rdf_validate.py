"""RDF layout and SHACL validation, on hand-built graphs and on real extraction."""
from collections import Counter

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.model import Article
from kg.rdf import Iris, article_quads, entity_quads
from kg.resolve import resolve
from kg.resources import data_dir
from kg.shacl import Checker, RdflibView
from kg.terms import rdflib_quads
from kg.validate import check, load_graphs, validate
from kg.vocab import KGO

D = Namespace("https://w3id.org/kg/id/")


@pytest.fixture(scope="module")
def shapes():
    return load_graphs(data_dir("shapes"), data_dir("ontology"))


@pytest.fixture
def quads(extractor):
    results = [extractor.run(Article(i, t, f"{i}.txt")) for i, t in [
        ("a", "According to the NIS, 12,000 North Korean troops were sent to Russia on 8 October 2024."),
        ("b", "The NIS said 1,500 North Korean troops arrived in Vladivostok.")]]
    entities, alias = resolve(results)
    iris = Iris()
    out = list(entity_quads(entities.values(), iris))
    for r in results:
        out += article_quads(r, alias, entities, iris)
    return list(rdflib_quads(out))


def _graph(quads):
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def test_rdf_each_triple_in_one_graph_only(quads):
    per_triple = Counter((s, p, o) for s, p, o, g in set(quads))
    assert max(per_triple.values()) == 1
    graphs = {g for *_, g in quads}
    assert graphs == {D["graph/entities"], D["graph/events"], D["article/a"], D["article/b"]}
    # the entity's description is once, in the shared graph; each article says it mentions it
    nis = D["national-intelligence-service"]
    assert {g for s, p, o, g in quads if s == nis and p == RDFS.label} == {D["graph/entities"]}
    assert {g for s, p, o, g in quads if s == nis and p == KGO.mentionedIn} == {D["article/a"], D["article/b"]}


def test_rdf_claim_with_evidence_and_offsets(quads):
    g = _graph(quads)
    claim = D["claim/a/national-intelligence-service-12000-troops"]
    assert g.value(claim, KGO.quantity) == Literal(12000, datatype=XSD.integer)
    assert g.value(claim, KGO.claimant) == D["national-intelligence-service"]
    ev = g.value(claim, KGO.evidence)
    assert str(g.value(ev, KGO.sentenceText)).startswith("According to the NIS")
    assert g.value(ev, KGO.startOffset).toPython() == 0


def test_validate_conforming_graph(quads, shapes):
    report = validate(_graph(quads), *shapes)
    assert report.conforms, report.text


@pytest.mark.parametrize("breakage, expected", [
    (lambda g: g.set((D["claim/a/national-intelligence-service-12000-troops"], KGO.quantity,
                      Literal(-5, datatype=XSD.integer))), "non-negative integer"),
    (lambda g: g.remove((D["vladivostok"], KGO.evidence, None)), "has evidence"),
    (lambda g: g.set((URIRef(next(iter(g.subjects(RDF.type, KGO.Deployment)))), KGO.date,
                      Literal("8 October"))), "xsd:date, xsd:gYearMonth or xsd:gYear"),
    (lambda g: g.add((D["national-intelligence-service"], RDFS.label, Literal("NIS"))), "exactly one canonical label"),
])
def test_validate_broken_graph_fails_with_readable_report(quads, shapes, breakage, expected):
    g = _graph(quads)
    breakage(g)
    report = validate(g, *shapes)
    assert not report.conforms
    assert expected in report.text
    assert "https://w3id.org/kg/id/" in report.text          # names the node
    # kg's checker (used by builds) finds the same violations as pyshacl, the reference engine
    ours = check(Checker(*shapes), RdflibView(g))
    assert {(v.focus, v.path, v.message) for v in ours.violations} == \
        {(v.focus, v.path, v.message) for v in report.violations}


MORE_BREAKAGES = [
    # each SHACL component the shapes use, broken once
    lambda g: g.add((D["national-intelligence-service"], KGO.mentionedIn, D["vladivostok"])),          # sh:class
    lambda g: g.set((next(iter(g.subjects(RDF.type, KGO.Evidence))), KGO.startOffset,
                     Literal(9999, datatype=XSD.integer))),                                              # sh:lessThan
    lambda g: g.set((D["claim/a/national-intelligence-service-12000-troops"], KGO.quantity,
                     Literal("many", datatype=XSD.integer))),                                            # ill-typed
    lambda g: g.set((next(iter(g.subjects(RDF.type, KGO.Mention))), KGO.confidence,
                     Literal("1.5", datatype=XSD.decimal))),                                             # maxInclusive
    lambda g: g.add((next(iter(g.subjects(RDF.type, KGO.Mention))), KGO.mentionOf, Literal("x"))),     # nodeKind, maxCount
    lambda g: g.set((next(iter(g.subjects(RDF.type, KGO.Evidence))), KGO.sentenceText, Literal(""))),  # minLength
    lambda g: g.set((D["vladivostok/geometry"], URIRef("http://www.opengis.net/ont/geosparql#asWKT"),
                     Literal("POINT(a b)", datatype=URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")))),  # node+pattern
    lambda g: [g.remove((c, p, None)) for c in list(g.subjects(RDF.type, KGO.Claim))
               for p in (KGO.claimant, KGO.reportedIn)],                                               # node-level sh:or
    lambda g: g.set((next(iter(g.subjects(RDF.type, KGO.Deployment))), KGO.date,
                     Literal("2024-02-30", datatype=XSD.date))),                                         # not a date
]


@pytest.mark.parametrize("breakage", MORE_BREAKAGES)
def test_kg_checker_agrees_with_pyshacl(quads, shapes, breakage):
    g = _graph(quads)
    breakage(g)
    reference = validate(g, *shapes)
    ours = check(Checker(*shapes), RdflibView(g))
    assert not reference.conforms
    assert {(v.focus, v.path, v.message) for v in ours.violations} == \
        {(v.focus, v.path, v.message) for v in reference.violations}


def test_validate_report_names_the_article(quads, shapes):
    g = _graph(quads)
    g.set((D["claim/b/national-intelligence-service-1500-troops"], KGO.quantity, Literal(-1, datatype=XSD.integer)))
    [violation] = validate(g, *shapes).violations
    assert violation.path == "kgo:quantity" and violation.articles == (str(D["article/b"]),)


@pytest.mark.parametrize("name", ["timeline", "conflicting-claims", "co-mentions", "claim-evidence", "entity-mentions",
                                  "ships", "statements", "troop-locations", "troop-claims", "articles-per-publisher"])
def test_rewritten_queries_give_the_rows_they_gave_before(seeds_store, name):
    """Rewritten for speed at 10k articles (README: Benchmarks); same answer on the seeds, GROUP_CONCAT's
    order and the order of ties aside."""
    from conftest import DATA
    from kg import store as kgstore

    st = kgstore.open_read(seeds_store)
    before = kgstore.select(st, (DATA / "queries-before" / f"{name}.rq").read_text()).rows
    after = kgstore.select(st, (data_dir("queries") / f"{name}.rq").read_text()).rows

    def canonical(rows):
        return sorted(tuple(" | ".join(sorted(v.split(" | "))) if isinstance(v, str) else v for _, v in row)
                      for row in rows)
    assert canonical(before) == canonical(after) and len(after) > 0


def test_compiled_shapes_are_kept_in_the_cache_and_compiled_again_when_a_shape_changes(quads, tmp_path):
    import shutil

    from kg.validate import compiled_shapes

    shapes_dir, cache = tmp_path / "shapes", tmp_path / "cache"
    shutil.copytree(data_dir("shapes"), shapes_dir)
    g = _graph(quads)
    claim = next(iter(g.subjects(RDF.type, KGO.Claim)))
    g.set((claim, KGO.quantity, Literal(-1, datatype=XSD.integer)))

    def messages(compiled):
        return {(v.focus, v.path, v.message) for v in check(compiled.checker, RdflibView(g)).violations}

    fresh = compiled_shapes(shapes_dir, data_dir("ontology"))
    kept = compiled_shapes(shapes_dir, data_dir("ontology"), cache)
    assert len(list(cache.glob("shapes-*.pickle"))) == 1
    recalled = compiled_shapes(shapes_dir, data_dir("ontology"), cache)
    assert messages(recalled) == messages(kept) == messages(fresh) and messages(fresh)
    assert sorted(recalled.ontology) == sorted(fresh.ontology) and len(fresh.ontology) > 100

    [quantity_message] = {m for _, path, m in messages(fresh) if path == "kgo:quantity"}
    shape_file = next(shapes_dir.glob("*.ttl"))
    shape_file.write_text(shape_file.read_text().replace(quantity_message, "A quantity is never negative."))
    changed = compiled_shapes(shapes_dir, data_dir("ontology"), cache)
    assert "A quantity is never negative." in {m for _, _, m in messages(changed)}
    assert len(list(cache.glob("shapes-*.pickle"))) == 2


def test_one_checker_checks_the_same_node_in_two_graphs_each_on_its_own(quads, shapes):
    """The checker outlives the graphs it checks (compiled once, kept in the cache): a node's
    description read in one graph must not stand for the same node in the next."""
    checker = Checker(*shapes)
    good = _graph(quads)
    broken = _graph(quads)
    nis = D["national-intelligence-service"]
    broken.add((nis, RDFS.label, Literal("NIS")))
    focus = [("iri", str(nis), "", "")]
    assert check(checker, RdflibView(good), focus).conforms
    report = check(checker, RdflibView(broken), focus)
    assert not report.conforms and "exactly one canonical label" in report.text
