"""SHACL validation: the compiled checker (``check``, kg.shacl) for builds of any size, and
pyshacl (``validate``, the only module that imports it) as the reference engine.

Non-conformance is a result, not an exception: both return a report the fronts print; only
unreadable or unsupported shapes raise ``ShapesError``.
"""
from __future__ import annotations

import functools
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg import cache as kgcache
from kg.errors import ShapesError
from kg.shacl import Checker, GraphView, Term
from kg.terms import Quad, from_rdflib, iri
from kg.vocab import KGO_NS, ONTOLOGY_IRI, RDFS_NS, SCHEMA_NS

_ARTICLE = KGO_NS + "Article"
_IN_ARTICLE = tuple(KGO_NS + p for p in ("mentionedIn", "reportedIn", "inArticle"))

# a build that breaks a shape everywhere would otherwise print a million lines
MAX_REPORTED = 1000


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str
    articles: tuple[str, ...]

    def __str__(self) -> str:
        where = f" (in {', '.join(self.articles)})" if self.articles else ""
        name = f" \"{self.label}\"" if self.label else ""
        return f"{self.focus}{name}: {self.path}: {self.message}{where}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    more: int = 0                 # violations found beyond those listed

    @property
    def text(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes."
        lines = [f"{len(self.violations) + self.more} SHACL violation(s):"] + [f"  - {v}" for v in self.violations]
        if self.more:
            lines.append(f"  ... and {self.more} more")
        return "\n".join(lines)


def check(checker: Checker, view: GraphView, focus=None, values_of: frozenset[str] | None = None) -> ValidationReport:
    """The compiled checker's report on ``view``: every target node, or only ``focus``; with
    ``values_of``, only the values of those paths, each by itself (``Checker.check``)."""
    # a view that reads some values only in part (kg.store.SpreadView) offers the whole
    # description for the report, which names every article that wrote the node
    whole = getattr(view, "whole", view)
    return _collect(((f.focus, f.path, f.message),
                     lambda f=f: _violation(f.focus, f.path, f.message, whole))   # read only if reported
                    for f in checker.check(view, focus, values_of))


def merge(reports: Iterable[ValidationReport]) -> ValidationReport:
    """One report from the reports on parts of a graph."""
    reports = list(reports)
    return _collect((((v.focus, v.path, v.message), lambda v=v: v) for r in reports for v in r.violations),
                    more=sum(r.more for r in reports))


def _collect(items: Iterable[tuple[tuple, Callable[[], Violation]]], more: int = 0) -> ValidationReport:
    """Violations once each, the first MAX_REPORTED of them made and listed, the rest counted."""
    found: dict[tuple, Violation] = {}
    for key, make in items:
        if key in found:
            continue
        if len(found) >= MAX_REPORTED:
            more += 1
        else:
            found[key] = make()
    violations = sorted(found.values(), key=lambda v: (v.articles, v.focus, v.path))
    return ValidationReport(not found and not more, tuple(violations), more)


def _violation(focus: Term, path: str | None, message: str, view: GraphView) -> Violation:
    description = view.describe(focus)
    if _ARTICLE in view.types(focus):
        articles = [focus[1]]
    else:
        articles = sorted({a[1] for p in _IN_ARTICLE for a in description.get(p, ())})
    labels = sorted(t[1] for t in description.get(RDFS_NS + "label", ()))
    return Violation(focus=focus[1], label=labels[0] if labels else "",
                     path=_short(path), message=message, articles=tuple(articles))


@dataclass(frozen=True)
class CompiledShapes:
    """What a build needs of ``shapes/`` and ``ontology/``: the compiled checker, and the
    ontology's quads (written into the store's ontology graph)."""
    checker: Checker
    ontology: tuple[Quad, ...]


def compiled_shapes(shapes_dir: Path, ontology_dir: Path, cache: Path | None = None) -> CompiledShapes:
    """The shapes compiled against the ontology; with a ``cache`` folder, kept there under a key of
    their files' bytes and kg's code. Parsing and compiling them with rdflib took 60 ms and rdflib's
    import 100-170 ms more, a third of a one-article ``kg add``.

    Raises:
        ShapesError: naming the file that does not parse, or the feature kg does not implement.
    """
    file = None
    if cache is not None:
        file = Path(cache) / f"shapes-{kgcache.key([Path(shapes_dir), Path(ontology_dir)])}.pickle"
        kept = kgcache.recall(file)
        if isinstance(kept, CompiledShapes):
            return kept
    shapes, ontology = load_graphs(shapes_dir, ontology_dir)
    graph = iri(ONTOLOGY_IRI)
    compiled = CompiledShapes(Checker(shapes, ontology),
                              tuple((*(from_rdflib(t) for t in triple), graph) for triple in ontology))
    if file is not None:
        kgcache.keep(file, functools.partial(pickle.dump, compiled, protocol=pickle.HIGHEST_PROTOCOL))
    return compiled


def load_graphs(shapes_dir: Path, ontology_dir: Path):
    """Parse the shapes and the ontology once.

    Raises:
        ShapesError: naming the file that does not parse.
    """
    return _parse_dir(shapes_dir), _parse_dir(ontology_dir)


def _parse_dir(folder: Path):
    from rdflib import Graph

    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ShapesError("no .ttl files here", path=folder)
    g = Graph(bind_namespaces="none")
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:   # rdflib raises many types for a bad file
            raise ShapesError(f"does not parse: {exc}", path=f) from None
    return g


def validate(data, shapes, ontology) -> ValidationReport:
    """Validate ``data`` (one graph: the union of the store's graphs) with pyshacl, the reference
    engine: it holds the whole graph in memory, so it suits small stores and tests.

    The ontology is mixed in so that ``sh:class kgo:Actor`` accepts a ``kgo:Person``.
    """
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDFS, SH

    from kg.vocab import KGO

    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                            abort_on_first=False, allow_warnings=True, advanced=True)
    if conforms:
        return ValidationReport(True, ())
    violations = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        articles = sorted({str(a) for p in (KGO.mentionedIn, KGO.reportedIn, KGO.inArticle)
                           for a in data.objects(focus, p)})
        if (focus, None, KGO.Article) in data:
            articles = [str(focus)]
        violations.append(Violation(
            focus=str(focus), label=str(data.value(focus, RDFS.label) or ""),
            path=_short(str(path) if path is not None else None, iri=isinstance(path, URIRef)),
            message=str(message or "violates a shape"), articles=tuple(articles)))
    violations.sort(key=lambda v: (v.articles, v.focus, v.path))
    return ValidationReport(False, tuple(violations))


def _short(path: str | None, *, iri: bool = True) -> str:
    """A property path as the reports write it: prefixed, or an IRI in <>, or as pyshacl gave it."""
    if not path:
        return "(node)"
    for prefix, ns in (("kgo:", KGO_NS), ("rdfs:", RDFS_NS), ("schema:", SCHEMA_NS)):
        if path.startswith(ns):
            return prefix + path[len(ns):]
    return f"<{path}>" if iri else path
