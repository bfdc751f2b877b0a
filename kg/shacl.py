"""A SHACL Core checker compiled from ``shapes/``, fast enough to check every node of a
100k-article build, reading the graph through lookups rather than holding it.

pyshacl (``kg.validate.validate``) stays the reference engine: the tests run both on the
same broken graphs and expect the same violations. This checker covers the part of SHACL
Core that kg's shapes use (listed in ``_SUPPORTED``); a shape using anything else is
refused by name when the shapes are loaded, never silently ignored.

The graph is read through a ``GraphView`` (the store implements one over Oxigraph,
``RdflibView`` over an rdflib Graph). Terms are plain tuples: ``(kind, value, datatype,
language)`` with kind ``"iri"``, ``"bnode"`` or ``"literal"``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from kg.errors import ShapesError
from kg.terms import Quad, Term, from_rdflib
from kg.vocab import RDF_NS, RDFS_NS, SH_NS, XSD_NS

# IRIs as strings: a compiled Checker (kept in kg's cache) is used without importing rdflib,
# which only the compiling and RdflibView need
_RDF_TYPE = RDF_NS + "type"
_SUBCLASS_OF = RDFS_NS + "subClassOf"
_INTEGER, _DECIMAL, _DATE = XSD_NS + "integer", XSD_NS + "decimal", XSD_NS + "date"
_NODE_KINDS = {SH_NS + "IRI": {"iri"}, SH_NS + "BlankNode": {"bnode"}, SH_NS + "Literal": {"literal"},
               SH_NS + "BlankNodeOrIRI": {"iri", "bnode"}, SH_NS + "IRIOrLiteral": {"iri", "literal"},
               SH_NS + "BlankNodeOrLiteral": {"bnode", "literal"}}


class GraphView(Protocol):
    def instances(self, cls: str) -> Iterable[Term]: ...
    def describe(self, node: Term) -> dict[str, set[Term]]: ...
    def types(self, node: Term) -> frozenset[str]: ...


# ------------------------------------------------------------------ literal values
_TZ = r"(Z|[+-]\d\d:\d\d)?"
_LEXICAL = {
    XSD_NS + "integer": re.compile(r"[+-]?\d+"),
    XSD_NS + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD_NS + "date": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ),
    XSD_NS + "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])" + _TZ),
    XSD_NS + "gYear": re.compile(r"-?\d{4,}" + _TZ),
    XSD_NS + "boolean": re.compile(r"true|false|1|0"),
}


def well_formed(term: Term) -> bool:
    """A literal's lexical form is valid for its datatype (kg's datatypes; others pass)."""
    pattern = _LEXICAL.get(term[2])
    if pattern is None or not pattern.fullmatch(term[1]):
        return pattern is None
    if term[2] == _DATE and len(term[1].split("-")[0]) == 4:
        try:
            date.fromisoformat(term[1][:10])
        except ValueError:                       # 2024-02-30
            return False
    return True


def _comparable(term: Term):
    """A literal's value for sh:minInclusive and sh:lessThan, or None if it has none."""
    if term[0] != "literal" or not well_formed(term):
        return None
    if term[2] == _INTEGER:             # well formed: digits; an int compares with a Decimal
        return int(term[1])
    if term[2] == _DECIMAL:
        try:
            return Decimal(term[1])
        except InvalidOperation:
            return None
    if term[2] == _DATE:
        return ("date", term[1])
    return None


def _in_order(values):
    """The values in a fixed order (the report's), without sorting the single value most paths have."""
    return values if len(values) < 2 else sorted(values)


def _less(a: Term, b: Term, or_equal: bool) -> bool:
    x, y = _comparable(a), _comparable(b)
    if x is None or y is None or isinstance(x, tuple) is not isinstance(y, tuple):     # a date and a number
        return False
    return x <= y if or_equal else x < y


# ------------------------------------------------------------------ compiled shapes
@dataclass
class Shape:
    name: str
    path: str | None = None                   # a property shape's predicate; None for a node shape
    targets: tuple[str, ...] = ()
    target_set: frozenset[str] = frozenset()  # the same, for the test of a node's types
    message: str | None = None
    min_count: int | None = None
    max_count: int | None = None
    value_checks: list[tuple[str, object]] = field(default_factory=list)   # (component, argument)
    less_than: str | None = None
    nodes: list[Shape] = field(default_factory=list)
    alternatives: list[list[Shape]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    focus: Term
    path: str | None
    message: str


_VALUE_COMPONENTS = {SH_NS + c: c for c in ("datatype", "class", "nodeKind", "minLength", "maxLength", "pattern",
                                             "minInclusive", "maxInclusive", "in")}
_SUPPORTED = {_RDF_TYPE, RDFS_NS + "label", RDFS_NS + "comment", *_VALUE_COMPONENTS,
              *(SH_NS + c for c in ("targetClass", "property", "path", "message", "minCount", "maxCount", "lessThan",
                                    "node", "or", "name", "description", "flags", "severity"))}


class Checker:
    """The shapes compiled once; ``check`` yields what a set of focus nodes violates.

    Raises:
        ShapesError: a shape uses a SHACL feature this checker does not implement.
    """

    def __init__(self, shapes, ontology) -> None:
        """Compile ``shapes`` against ``ontology`` (rdflib Graphs)."""
        from rdflib.namespace import SH

        self._graph = shapes
        self._subclasses = _subclass_closure(ontology + shapes)
        self._compiled: dict[object, Shape] = {}
        self.shapes = [self._compile(s) for s in sorted(set(shapes.subjects(SH.targetClass)), key=str)]
        self._paths, self._spreadable = _paths_of(self.shapes)    # asked by every batch a build writes
        self._graph = self._compiled = None       # compiled: small, and sent to worker processes as it is

    # -------------------------------------------------------------- compiling
    def subclasses(self, cls: str) -> set[str]:
        """``cls`` and every class below it in the ontology."""
        return self._subclasses.get(cls, {cls})

    def superclasses(self, cls: str) -> frozenset[str]:
        """Every class above ``cls`` in the ontology (``cls`` itself left out)."""
        return frozenset(c for c, below in self._subclasses.items() if cls in below and c != cls)

    def value_classes(self, target: str, path: str) -> frozenset[str] | None:
        """The classes (subclasses included) that every value of ``path`` on an instance of
        ``target`` must have, by the shapes' ``sh:class`` (or an ``sh:or`` of them); None if
        the shapes do not restrict that value's class.

        The mapping asks this before it writes a role link, so that the shapes and the links
        written can never disagree (kg.roles)."""
        allowed: frozenset[str] | None = None
        for shape in self.shapes:
            if target not in shape.targets:
                continue
            for prop in shape.properties:
                if prop.path == path and (classes := _required_classes(prop)) is not None:
                    allowed = classes if allowed is None else allowed & classes
        return allowed

    def _compile(self, node) -> Shape:
        from rdflib import URIRef
        from rdflib.collection import Collection
        from rdflib.namespace import SH

        if node in self._compiled:
            return self._compiled[node]
        g = self._graph
        for p in set(g.predicates(node)):
            if str(p) not in _SUPPORTED:
                raise ShapesError(f"shape {_name(node)} uses {p}, which kg's checker does not implement",
                                  hint="use the SHACL Core features listed in kg/shacl.py, or validate "
                                       "with `kg validate --engine pyshacl`")
        path = g.value(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise ShapesError(f"shape {_name(node)}: only a predicate IRI is supported as sh:path")
        shape = Shape(_name(node), str(path) if path is not None else None)
        self._compiled[node] = shape            # before its parts: a shape may refer to itself
        shape.targets = tuple(sorted({c for t in g.objects(node, SH.targetClass)
                                      for c in self._subclasses.get(str(t), {str(t)})}))
        shape.target_set = frozenset(shape.targets)
        message = g.value(node, SH.message)
        shape.message = str(message) if message is not None else None
        if (n := g.value(node, SH.minCount)) is not None:
            shape.min_count = int(n)
        if (n := g.value(node, SH.maxCount)) is not None:
            shape.max_count = int(n)
        if (other := g.value(node, SH.lessThan)) is not None:
            shape.less_than = str(other)
        for predicate, component in _VALUE_COMPONENTS.items():
            for value in g.objects(node, URIRef(predicate)):
                shape.value_checks.append((component, self._argument(node, component, value)))
        shape.nodes = [self._compile(n) for n in g.objects(node, SH.node)]
        shape.alternatives = [[self._compile(m) for m in Collection(g, alts)] for alts in g.objects(node, SH["or"])]
        shape.properties = [self._compile(p) for p in g.objects(node, SH.property)]
        return shape

    def _argument(self, node, component: str, value):
        from rdflib.collection import Collection
        from rdflib.namespace import SH

        if component == "class":
            return self._subclasses.get(str(value), {str(value)})
        if component == "pattern":
            flags = self._graph.value(node, SH.flags)
            return re.compile(str(value), re.IGNORECASE if flags and "i" in str(flags) else 0)
        if component in ("minLength", "maxLength"):
            return int(value)
        if component in ("minInclusive", "maxInclusive"):
            return from_rdflib(value)
        if component == "in":
            return {from_rdflib(v) for v in Collection(self._graph, value)}
        return str(value)

    # -------------------------------------------------------------- checking
    def spreadable_paths(self) -> frozenset[str]:
        """The predicates whose values may be checked part by part: on no shape do they carry a
        maximum count, a minimum count above one, or a comparison with another path. Each value
        of such a path is checked by itself (its class, datatype, form), and a set of values has
        at least one member as soon as one part has; so the values written in many places (an
        entity's evidence in every article's graph) can be checked where each part is written,
        and the whole set read only as far as one value (kg.pipeline, kg.store.SpreadView)."""
        return self._spreadable

    def paths(self) -> frozenset[str]:
        """Every predicate some shape constrains the values of."""
        return self._paths

    def check(self, view: GraphView, focus: Iterable[Term] | None = None,
              values_of: frozenset[str] | None = None) -> Iterator[Finding]:
        """What the graph violates: every target node's (``focus=None``), or only that of the given
        nodes (those a ``kg add`` wrote or changed). With ``values_of`` (``spreadable_paths``),
        only the values of those paths are checked, each by itself, and not how many there are:
        the part of a node's description that ``view`` holds."""
        view = _LastDescribed(view)
        if values_of is not None:
            yield from self._check_values(view, focus or (), values_of)
            return
        if focus is None:
            for shape in self.shapes:
                for i, cls in enumerate(shape.targets):
                    earlier = set(shape.targets[:i])
                    for node in view.instances(cls):
                        if earlier and view.types(node) & earlier:
                            continue            # checked under an earlier target class
                        yield from self._findings(shape, node, view)
            return
        for node in focus:
            types = view.types(node)
            for shape in self.shapes:
                if types & shape.target_set:
                    yield from self._findings(shape, node, view)

    def _check_values(self, view: GraphView, focus: Iterable[Term], paths: frozenset[str]) -> Iterator[Finding]:
        for node in focus:
            types = view.types(node)
            for shape in self.shapes:
                if types & shape.target_set:
                    for prop in shape.properties:
                        if prop.path in paths:
                            for value in _in_order(view.describe(node).get(prop.path, ())):
                                for found, _component, path, message in self._value_findings(prop, node, value, view):
                                    yield Finding(found, path, message)

    def _findings(self, shape: Shape, focus: Term, view: GraphView) -> Iterator[Finding]:
        for node, _component, path, message in self._evaluate(shape, focus, view):
            yield Finding(node, path, message)

    def conforms(self, shape: Shape, node: Term, view: GraphView) -> bool:
        return next(iter(self._evaluate(shape, node, view)), None) is None

    def _evaluate(self, shape: Shape, focus: Term, view: GraphView) -> Iterator[tuple[Term, str, str | None, str]]:
        """(focus, component, path, message) of each failed constraint; a value that fails its
        sh:node shape also gives that shape's own failures, with the value as focus (as
        pyshacl's nested results do), since they say what is wrong with it."""
        if shape.path is None:
            values: Iterable[Term] = (focus,)
        else:
            values = view.describe(focus).get(shape.path, ())

        def fail(component: str, default: str):
            return focus, component, shape.path, shape.message or default

        if shape.min_count is not None and len(values) < shape.min_count:
            yield fail("minCount", f"needs at least {shape.min_count} value(s)")
        if shape.max_count is not None and len(values) > shape.max_count:
            yield fail("maxCount", f"has {len(values)} values; at most {shape.max_count} allowed")
        for value in _in_order(values):
            yield from self._value_findings(shape, focus, value, view)
        if shape.less_than is not None:
            # values that cannot be compared fail too (SHACL 4.5.3); pyshacl lets them pass
            others = view.describe(focus).get(shape.less_than, ())
            if any(not _less(v, w, False) for v in values for w in others):
                yield fail("lessThan", f"must be less than {shape.less_than}")
        for prop in shape.properties:
            for value in values:
                yield from self._evaluate(prop, value, view)

    def _value_findings(self, shape: Shape, focus: Term, value: Term,
                        view: GraphView) -> Iterator[tuple[Term, str, str | None, str]]:
        """The failures of one value of ``shape``'s path, checked by itself."""
        def fail(component: str, default: str):
            return focus, component, shape.path, shape.message or default

        for component, argument in shape.value_checks:
            if not _value_ok(component, argument, value, view):
                yield fail(component, f"value {value[1]!r} fails sh:{component} {_show(argument)}")
        for node_shape in shape.nodes:
            nested = list(self._evaluate(node_shape, value, view))
            if nested:
                yield fail("node", f"value {value[1]!r} does not conform to {node_shape.name}")
                yield from nested
        for alternatives in shape.alternatives:
            if not any(self.conforms(s, value, view) for s in alternatives):
                yield fail("or", f"value {value[1]!r} conforms to none of the alternatives")


def _paths_of(shapes: list[Shape]) -> tuple[frozenset[str], frozenset[str]]:
    """The paths the shapes constrain, and those of them ``Checker.spreadable_paths`` names."""
    every = list(_all_shapes(shapes))
    paths = frozenset(s.path for s in every if s.path is not None)
    compared = {s.less_than for s in every if s.less_than is not None}
    barred = {s.path for s in every if s.max_count is not None or (s.min_count or 0) > 1 or s.less_than is not None}
    return paths, paths - barred - compared


def _all_shapes(shapes: Iterable[Shape]) -> Iterator[Shape]:
    """These shapes and every shape inside them, each once."""
    seen: set[int] = set()
    todo = list(shapes)
    while todo:
        shape = todo.pop()
        if id(shape) not in seen:
            seen.add(id(shape))
            yield shape
            todo.extend(shape.properties + shape.nodes + [a for alts in shape.alternatives for a in alts])


class _LastDescribed:
    """A view that keeps the last node's description, so that the property shapes checking a
    node read it once. Kept per check: the checker outlives the graphs it checks (it is
    compiled once and cached), and had served one graph's description of a node for the same
    node in the next graph."""

    def __init__(self, view: GraphView) -> None:
        self.view = view
        self.last: tuple[Term, dict[str, set[Term]]] | None = None

    def instances(self, cls: str) -> Iterator[Term]:
        return self.view.instances(cls)

    def types(self, node: Term) -> frozenset[str]:
        return self.view.types(node)

    def describe(self, node: Term) -> dict[str, set[Term]]:
        if self.last is None or self.last[0] != node:
            self.last = (node, self.view.describe(node))
        return self.last[1]


def _required_classes(shape: Shape) -> frozenset[str] | None:
    """The classes a value must have to pass this shape's ``sh:class`` and ``sh:or`` checks
    (None: no class is required). An ``sh:or`` admits the union of its alternatives' classes,
    unless one alternative requires no class."""
    required: frozenset[str] | None = None
    for component, argument in shape.value_checks:
        if component == "class":
            required = frozenset(argument) if required is None else required & argument
    for alternatives in shape.alternatives:
        union: set[str] = set()
        for alternative in alternatives:
            classes = _required_classes(alternative) if alternative.path is None else None
            if classes is None:
                union = set()
                break
            union |= classes
        if union:
            required = frozenset(union) if required is None else required & union
    return required


def _value_ok(component: str, argument, value: Term, view: GraphView) -> bool:
    kind = value[0]
    if component == "datatype":
        return kind == "literal" and value[2] == argument and well_formed(value)
    if component == "class":
        return kind != "literal" and bool(view.types(value) & argument)
    if component == "nodeKind":
        return kind in _NODE_KINDS[argument]
    if component in ("minLength", "maxLength"):
        if kind == "bnode":
            return False
        return len(value[1]) >= argument if component == "minLength" else len(value[1]) <= argument
    if component == "pattern":
        return kind != "bnode" and argument.search(value[1]) is not None
    if component == "minInclusive":
        return _less(argument, value, True)
    if component == "maxInclusive":
        return _less(value, argument, True)
    if component == "in":
        return value in argument
    raise AssertionError(component)


def _subclass_closure(g) -> dict[str, set[str]]:
    """For each class, itself and every class below it (rdfs:subClassOf*)."""
    from rdflib import URIRef

    below: dict[str, set[str]] = {}
    for sub, sup in g.subject_objects(URIRef(_SUBCLASS_OF)):
        below.setdefault(str(sup), set()).add(str(sub))
    closure: dict[str, set[str]] = {}
    for cls in list(below):
        seen, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = seen
    return closure


def _name(node) -> str:
    from rdflib import URIRef

    return str(node) if isinstance(node, URIRef) else "(an anonymous shape)"


def _show(argument) -> str:
    if isinstance(argument, set):
        return " or ".join(sorted(str(a) if isinstance(a, str) else a[1] for a in argument))[:200]
    if isinstance(argument, tuple):
        return argument[1]
    return getattr(argument, "pattern", str(argument))


class QuadsView:
    """A ``GraphView`` over quads in memory (one batch of articles); the classes of nodes
    described elsewhere (the entities) are given by ``known_types``."""

    def __init__(self, quads: Iterable[Quad], known_types: dict[str, frozenset[str]]) -> None:
        descriptions: dict[Term, dict[str, set[Term]]] = {}
        graphs: dict[Term, set[str]] = {}
        for s, p, o, g in quads:        # no setdefault: it makes an empty container on every call
            description = descriptions.get(s)
            if description is None:
                description = descriptions[s] = {}
                graphs[s] = {g[1]}
            else:
                graphs[s].add(g[1])
            values = description.get(p[1])
            if values is None:
                description[p[1]] = {o}
            else:
                values.add(o)
        self.descriptions, self.graphs = descriptions, graphs
        self.known_types = known_types
        self._types: dict[Term, frozenset[str]] = {}

    def instances(self, cls: str) -> Iterator[Term]:
        for node, description in self.descriptions.items():
            if any(t[1] == cls for t in description.get(_RDF_TYPE, ())):
                yield node

    def describe(self, node: Term) -> dict[str, set[Term]]:
        return self.descriptions.get(node, {})

    def types(self, node: Term) -> frozenset[str]:
        found = self._types.get(node)
        if found is None:
            description = self.descriptions.get(node)
            if description and _RDF_TYPE in description:
                found = frozenset(t[1] for t in description[_RDF_TYPE])
            else:
                found = self.known_types.get(node[1], frozenset())
            self._types[node] = found
        return found


class RdflibView:
    """A ``GraphView`` over an rdflib Graph (tests, and small graphs)."""

    def __init__(self, graph) -> None:
        self.graph = graph

    def instances(self, cls: str) -> Iterator[Term]:
        from rdflib import URIRef

        for s in set(self.graph.subjects(URIRef(_RDF_TYPE), URIRef(cls))):
            yield from_rdflib(s)

    def describe(self, node: Term) -> dict[str, set[Term]]:
        out: dict[str, set[Term]] = {}
        for p, o in self.graph.predicate_objects(_rdflib(node)):
            out.setdefault(str(p), set()).add(from_rdflib(o))
        return out

    def types(self, node: Term) -> frozenset[str]:
        if node[0] == "literal":
            return frozenset()
        from rdflib import URIRef

        return frozenset(str(t) for t in self.graph.objects(_rdflib(node), URIRef(_RDF_TYPE)))


def _rdflib(node: Term):
    from rdflib import BNode, Literal, URIRef

    return URIRef(node[1]) if node[0] == "iri" else BNode(node[1]) if node[0] == "bnode" else Literal(node[1])
