"""SHACL validation with pyshacl (the only module that imports it).

Non-conformance is a result, not an exception: ``validate`` returns a report the fronts
print; only unreadable shapes or ontology raise ``ShapesError``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.errors import ShapesError
from kg.vocab import KGO


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

    @property
    def text(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes."
        lines = [f"{len(self.violations)} SHACL violation(s):"] + [f"  - {v}" for v in self.violations]
        return "\n".join(lines)


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


def validate(data: Graph, shapes: Graph, ontology: Graph, focus_nodes: list | None = None) -> ValidationReport:
    """Validate ``data`` (one graph: the union of the store's graphs), or only ``focus_nodes`` of it.

    The ontology is mixed in so that ``sh:class kgo:Actor`` accepts a ``kgo:Person``.
    """
    import pyshacl

    options = {"focus_nodes": focus_nodes} if focus_nodes is not None else {}
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                            abort_on_first=False, allow_warnings=True, advanced=True, **options)
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
            focus=str(focus), label=str(min(data.objects(focus, RDFS.label), default="")),
            path=_short(path), message=str(message or "violates a shape"), articles=tuple(articles)))
    violations.sort(key=lambda v: (v.articles, v.focus, v.path))
    return ValidationReport(False, tuple(violations))


# about this many triples are checked at once: pyshacl's cost grows faster than its input, and
# one batch's graph is what must fit in memory
BATCH_TRIPLES = 50_000


def validate_quads(quads, shapes: Graph, ontology: Graph, *, jobs: int = 1) -> ValidationReport:
    """Validate a build's quads (their union) in batches of nodes, on ``jobs`` processes.

    Each batch holds its nodes' triples, from every graph, and what the shapes need from
    further away: the classes of the nodes they point to (``sh:class``), and the triples of a
    node a shape descends into (``sh:node``, a place's geometry). Violations name the same node,
    property, message and article as one whole-graph check would.
    """
    index: dict = {}
    for s, p, o, _ in quads:
        index.setdefault(s, set()).add((p, o))
    types = {s: [o for p, o in pairs if p == RDF.type] for s, pairs in index.items()}
    descend = {path for prop in shapes.subjects(SH.node, None) for path in shapes.objects(prop, SH.path)}
    batches, batch, size = [], [], 0
    for subject in sorted(index, key=str):
        batch.append(subject)
        size += len(index[subject])
        if size >= BATCH_TRIPLES:
            batches.append(batch)
            batch, size = [], 0
    if batch:
        batches.append(batch)
    payloads = [_batch_ntriples(b, index, types, descend) for b in batches]
    if jobs > 1 and len(payloads) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=min(jobs, len(payloads)), mp_context=mp.get_context("spawn"),
                                 initializer=_load_in_worker, initargs=(shapes.serialize(format="nt"),
                                                                         ontology.serialize(format="nt"))) as pool:
            reports = list(pool.map(_validate_in_worker, payloads))
    else:
        reports = [_validate_payload(payload, shapes, ontology) for payload in payloads]
    violations = sorted({v for r in reports for v in r.violations}, key=lambda v: (v.articles, v.focus, v.path))
    return ValidationReport(not violations, tuple(violations))


def _batch_ntriples(batch: list, index: dict, types: dict, descend: set) -> tuple[str, list[str]]:
    from rdflib.term import BNode

    lines: set[str] = set()
    own = set(batch)
    focus = [str(s) for s in batch if isinstance(s, URIRef)]
    for s in batch:
        for p, o in index[s]:
            lines.add(f"{s.n3()} {p.n3()} {o.n3()} .")
            if isinstance(o, (URIRef, BNode)) and o not in own:
                for t in types.get(o, ()):
                    lines.add(f"{o.n3()} {RDF.type.n3()} {t.n3()} .")
                if p in descend:
                    # pyshacl keeps a nested node's results only when that node is a focus node too
                    lines.update(f"{o.n3()} {p2.n3()} {o2.n3()} ." for p2, o2 in index.get(o, ()))
                    if isinstance(o, URIRef):
                        focus.append(str(o))
    return "\n".join(sorted(lines)), focus


def _validate_payload(payload: tuple[str, list[str]], shapes: Graph, ontology: Graph) -> ValidationReport:
    text, focus = payload
    data = Graph(bind_namespaces="none")
    data.parse(data=text, format="nt")
    return validate(data, shapes, ontology, focus_nodes=[URIRef(f) for f in focus])


_WORKER: dict = {}


def _load_in_worker(shapes_nt: str, ontology_nt: str) -> None:
    """A validation worker parses the shapes and the ontology once."""
    for name, text in (("shapes", shapes_nt), ("ontology", ontology_nt)):
        g = Graph(bind_namespaces="none")
        g.parse(data=text, format="nt")
        _WORKER[name] = g


def _validate_in_worker(payload: tuple[str, list[str]]) -> ValidationReport:
    return _validate_payload(payload, _WORKER["shapes"], _WORKER["ontology"])


def _short(path) -> str:
    if path is None:
        return "(node)"
    text = str(path)
    for prefix, ns in (("kgo:", str(KGO._NS)), ("rdfs:", str(RDFS)), ("schema:", "https://schema.org/")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return f"<{text}>" if isinstance(path, URIRef) else text
