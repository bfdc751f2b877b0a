"""The use cases: build a store from articles, add articles to one, validate one, count it.

ingest → extract → resolve → rdf → validate → store. Per-file failures are collected in
the ``BuildReport`` (the other files are still built); a graph that does not conform is
not stored, and the previous store stays as it was.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef

from kg import lexicon, store as kgstore
from kg.config import Settings
from kg.errors import InputError
from kg.ingest import read_paths
from kg.model import Article, ArticleResult, BuildReport
from kg.parallel import extract_all
from kg.rdf import Iris, article_quads, entity_quads
from kg.resolve import KnownEntity, resolve
from kg.validate import ValidationReport, load_graphs, validate
from kg.vocab import ONTOLOGY_IRI

ONTOLOGY_GRAPH = URIRef(ONTOLOGY_IRI)


def build(paths: Iterable[str | Path], settings: Settings | None = None) -> BuildReport:
    """Build a new store from articles; it replaces ``settings.store`` only when complete and valid."""
    settings = settings or Settings()
    report = BuildReport(store=str(settings.store))
    results = _extract(paths, settings, report)
    if not results:
        report.failures.append("no articles could be read; the store was not changed")
        return report
    entities, alias = resolve(results)
    iris = Iris(settings.base_iri)
    quads = list(entity_quads(entities.values(), iris))
    for r in results:
        quads += article_quads(r, alias, entities, iris)
    shapes, ontology = load_graphs(settings.shapes, settings.ontology)
    _check(quads, shapes, ontology, report)
    if not report.conforms:
        return report
    with kgstore.write_lock(settings.store):
        staging = kgstore.staging_dir(settings.store)
        try:
            kgstore.new_store(staging, quads + _ontology_quads(ontology))
            kgstore.swap_in(staging, settings.store)
        except BaseException:
            kgstore.discard(staging)
            raise
    report.quads = len(set(quads))
    return report


def add(paths: Iterable[str | Path], settings: Settings | None = None) -> BuildReport:
    """Add (or replace) articles in an existing store without rebuilding the rest."""
    settings = settings or Settings()
    report = BuildReport(store=str(settings.store))
    live = kgstore.open_read(settings.store)
    known = _known_entities(live, settings.base_iri)
    del live
    results = _extract(paths, settings, report)
    if not results:
        report.failures.append("no articles could be read; the store was not changed")
        return report
    entities, alias = resolve(results, known)
    iris = Iris(settings.base_iri)
    quads = list(entity_quads(entities.values(), iris))
    for r in results:
        quads += article_quads(r, alias, entities, iris)
    shapes, ontology = load_graphs(settings.shapes, settings.ontology)
    _check(quads, shapes, ontology, report)
    if not report.conforms:
        return report
    with kgstore.write_lock(settings.store):
        staging = kgstore.staging_dir(settings.store)
        try:
            kgstore.copy_store(settings.store, staging)
            kgstore.update_store(staging, quads + _ontology_quads(ontology),
                                 drop_graphs=[iris.article(r.article.id) for r in results] + [ONTOLOGY_GRAPH],
                                 shared_graphs=[iris.entities_graph, iris.events_graph])
            kgstore.swap_in(staging, settings.store)
        except BaseException:
            kgstore.discard(staging)
            raise
    report.quads = len(set(quads))
    return report


def validate_store(settings: Settings | None = None) -> ValidationReport:
    """The SHACL report for the store (all of it)."""
    settings = settings or Settings()
    st = kgstore.open_read(settings.store)
    shapes, ontology = load_graphs(settings.shapes, settings.ontology)
    return validate(kgstore.union_graph(st), shapes, ontology)


def stats(settings: Settings | None = None) -> dict[str, int]:
    """Counts by class (kgo: classes, subclasses counted in their own line), and totals."""
    settings = settings or Settings()
    st = kgstore.open_read(settings.store)
    rows = kgstore.select(st, """
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class FILTER(STRSTARTS(STR(?class), STR(kgo:))) }
        GROUP BY ?class ORDER BY ?class""")
    out = {value.rsplit("#", 1)[-1]: int(n) for (_, value), (_, n) in rows.rows}
    out["triples"] = kgstore.count(st)
    out["graphs"] = len(list(st.named_graphs()))
    return out


def _extract(paths: Iterable[str | Path], settings: Settings, report: BuildReport) -> list[ArticleResult]:
    lexicon.load(settings.lexicons, settings.extra_lexicons)      # a bad lexicon fails here, once, in this process
    articles: dict[str, Article] = {}
    for item in read_paths(paths, settings.max_article_bytes):
        if isinstance(item, InputError):
            report.failures.append(str(item))
            continue
        if item.id in articles:
            report.failures.append(f"{item.source}: article id {item.id!r} is already used by "
                                   f"{articles[item.id].source}; rename one of the files")
            continue
        articles[item.id] = item
    ordered = [articles[a] for a in sorted(articles)]
    results = []
    for article, (result, failure) in zip(ordered, extract_all(ordered, settings.lexicons, settings.extra_lexicons,
                                                               jobs=settings.jobs, dask=settings.dask)):
        if failure:
            report.failures.append(failure)
            continue
        results.append(result)
        report.articles.append(article.source)
    return results


def _check(quads: list, shapes: Graph, ontology: Graph, report: BuildReport) -> None:
    data = Graph(bind_namespaces="none")
    for s, p, o, _ in quads:
        data.add((s, p, o))
    result = validate(data, shapes, ontology)
    report.conforms = result.conforms
    report.validation_text = result.text


def _ontology_quads(ontology: Graph) -> list:
    """The ontology, in a graph of its own, so that queries can follow rdfs:subClassOf."""
    return [(s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology]


def _known_entities(st, base: str) -> dict[str, KnownEntity]:
    """Entities already in the store, by resolution key (the IRI's last segment, unslugged)."""
    rows = kgstore.select(st, f"""
        SELECT ?e ?label ?type WHERE {{ GRAPH <{base}graph/entities> {{ ?e a ?type ; rdfs:label ?label }} }}""",
                          union=False)
    known = {}
    for (_, iri), (_, label), (_, type_) in rows.rows:
        key = iri[len(base):].replace("-", " ")
        known[key] = KnownEntity(key, label, type_.rsplit("#", 1)[-1])
    return known

