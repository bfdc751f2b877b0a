"""SHACL validation: the compiled checker (``check``, kg.shacl) for builds of any size, and
pyshacl (``validate``, the only module that imports it) as the reference engine.

Non-conformance is a result, not an exception: both return a report the fronts print; only
unreadable or unsupported shapes raise ``ShapesError``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

from kg.errors import ShapesError
from kg.shacl import Checker, GraphView, Term
from kg.vocab import KGO

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


def check(checker: Checker, view: GraphView, focus=None) -> ValidationReport:
    """The compiled checker's report on ``view``: every target node, or only ``focus``."""
    return _collect(((f.focus, f.path, f.message),
                     lambda f=f: _violation(f.focus, f.path, f.message, view))   # read only if reported
                    for f in checker.check(view, focus))


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
    if str(KGO.Article) in view.types(focus):
        articles = [focus[1]]
    else:
        articles = sorted({a[1] for p in (KGO.mentionedIn, KGO.reportedIn, KGO.inArticle)
                           for a in description.get(str(p), ())})
    labels = sorted(t[1] for t in description.get(str(RDFS.label), ()))
    return Violation(focus=focus[1], label=labels[0] if labels else "",
                     path=_short(URIRef(path) if path else None), message=message, articles=tuple(articles))


def load_graphs(shapes_dir: Path, ontology_dir: Path) -> tuple[Graph, Graph]:
    """Parse the shapes and the ontology once.

    Raises:
        ShapesError: naming the file that does not parse.
    """
    return _parse_dir(shapes_dir), _parse_dir(ontology_dir)


def _parse_dir(folder: Path) -> Graph:
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


def validate(data: Graph, shapes: Graph, ontology: Graph) -> ValidationReport:
    """Validate ``data`` (one graph: the union of the store's graphs) with pyshacl, the reference
    engine: it holds the whole graph in memory, so it suits small stores and tests.

    The ontology is mixed in so that ``sh:class kgo:Actor`` accepts a ``kgo:Person``.
    """
    import pyshacl

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
            path=_short(path), message=str(message or "violates a shape"), articles=tuple(articles)))
    violations.sort(key=lambda v: (v.articles, v.focus, v.path))
    return ValidationReport(False, tuple(violations))


def _short(path) -> str:
    if path is None:
        return "(node)"
    text = str(path)
    for prefix, ns in (("kgo:", str(KGO._NS)), ("rdfs:", str(RDFS)), ("schema:", "https://schema.org/")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return f"<{text}>" if isinstance(path, URIRef) else text
