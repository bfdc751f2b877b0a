"""``kg.open()``: an rdflib ``Dataset`` over a kg store, SPARQL evaluated by Oxigraph.

oxrdflib's store spends most of a large SELECT turning Oxigraph's terms into rdflib's: each
``URIRef`` re-validates an IRI Oxigraph has already parsed, each ``Literal`` goes through rdflib's
casting machinery, and each ``ResultRow`` builds its own label table. ``KgOxigraphStore`` keeps
oxrdflib for everything else and answers queries with

- IRIs, blank nodes, plain and language-tagged strings built directly (the same values, slots
  included, as rdflib's constructors give: tests/test_dataset.py compares them),
- every other literal built by rdflib once per distinct (lexical form, datatype) in a result,
- rows made straight from each solution, of a row class made for the result that holds its
  label table (rdflib sets the table on each row: a dict per row); the bindings dicts only when
  asked for.

Rows (of a ``ResultRow`` subclass), bindings and terms are equal to a stock ``OxigraphStore``'s
(and a result read again after a first reading stopped early gives every row, which rdflib's own
results do not).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox, to_ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from kg.store import PREFIXES, open_read

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_STRING_REF = URIRef(_XSD_STRING)
_new_str = str.__new__
_new_tuple = tuple.__new__


def string_literal(value: str, language: str | None) -> Literal:
    """``Literal(value, lang=language)`` or ``Literal(value, datatype=xsd:string)``, built directly."""
    literal = _new_str(Literal, value)
    literal._value = value
    if language:
        literal._language, literal._datatype, literal._ill_typed = language, None, None
    else:
        literal._language, literal._datatype, literal._ill_typed = None, _XSD_STRING_REF, False
    return literal


def term_converter() -> Callable[[Any], Node | None]:
    """Oxigraph term → rdflib term; typed literals built by rdflib once per distinct value."""
    typed: dict[tuple[str, str], Literal] = {}
    named_node, literal_type, blank_node = ox.NamedNode, ox.Literal, ox.BlankNode

    def convert(term: Any) -> Node | None:
        kind = type(term)
        if kind is named_node:
            return _new_str(URIRef, term.value)
        if kind is literal_type:
            language = term.language
            datatype = term.datatype.value
            if language or datatype == _XSD_STRING:
                return string_literal(term.value, language)
            key = (term.value, datatype)
            literal = typed.get(key)
            if literal is None:
                literal = typed[key] = Literal(term.value, datatype=URIRef(datatype))
            return literal
        if kind is blank_node:
            return _new_str(BNode, term.value)
        return None if term is None else from_ox(term)  # quoted triples: rare, left to oxrdflib

    return convert


class SelectResult(Result):
    """A SELECT result made of rows that share one label table. Rows are what a result is mostly
    read as; the bindings dicts (what rdflib's serialisers and ``len`` read) are made from them only
    when asked for, equal to oxrdflib's (an unbound variable maps to None)."""

    def __init__(self, variables: list[Variable], rows: Iterator[ResultRow]) -> None:
        super().__init__("SELECT")
        self.vars = variables
        self._rows: list[ResultRow] = []
        self._pending = rows

    def __iter__(self) -> Iterator[Any]:
        if not self.vars:       # as rdflib's results: a solution binding nothing is no row
            return
        rows = self._rows
        yield from rows[:]
        for row in self._pending:
            rows.append(row)
            yield row

    @property
    def bindings(self) -> list[dict[Variable, Any]]:
        if self._bindings is None:
            self._rows.extend(self._pending)
            self._bindings = [dict(zip(self.vars, row)) for row in self._rows]
        return self._bindings

    @bindings.setter
    def bindings(self, bindings: Iterable[Mapping[Variable, Any]]) -> None:
        labels = {str(variable): index for index, variable in enumerate(self.vars or [])}
        row_type = row_class(labels)
        self._rows, self._pending, self._bindings = [], (_new_tuple(row_type, b.values()) for b in bindings), None


def row_class(labels: dict[str, int]) -> type[ResultRow]:
    """The class of one result's rows: they hold its label table through it (rdflib sets the
    table on each row, a dict per row: 2-5% of a 3,300-row SELECT)."""
    return type("ResultRow", (ResultRow,), {"__slots__": (), "labels": labels})


def _rows(solutions: ox.QuerySolutions, convert: Callable[[Any], Node | None],
          labels: dict[str, int]) -> Iterator[ResultRow]:
    new_tuple, row_type = _new_tuple, row_class(labels)          # locals: this loop runs once per row
    for solution in solutions:
        yield new_tuple(row_type, map(convert, solution))


class KgOxigraphStore(OxigraphStore):
    """oxrdflib's store with the faster result conversion described above."""

    def query(self, query: Any, initNs: Mapping[str, Any], initBindings: Mapping[str, Any],  # noqa: N803
              queryGraph: str, **kwargs: object) -> Result:
        if not isinstance(query, str) or kwargs:
            return super().query(query, initNs, initBindings, queryGraph, **kwargs)
        answer = self._inner.query(
            query,
            use_default_graph_as_union=queryGraph == "__UNION__",
            default_graph=to_ox(queryGraph) if isinstance(queryGraph, Node) else None,
            prefixes=dict(self._namespace_for_prefix, **initNs),
            substitutions={ox.Variable(name): to_ox(value) for name, value in initBindings.items()},
        )
        convert = term_converter()
        if isinstance(answer, ox.QuerySolutions):
            variables = [Variable(variable.value) for variable in answer.variables]
            labels = {str(variable): index for index, variable in enumerate(variables)}
            out = SelectResult(variables, _rows(answer, convert, labels))
        elif isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
        else:
            out = Result("CONSTRUCT")
            out.graph = Graph()
            out.graph += ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer)
        return out


def open_dataset(path: str | Path) -> Dataset:
    """An rdflib ``Dataset`` over the store, read-only; SPARQL is evaluated by Oxigraph and the
    default graph is the union of the named graphs."""
    ds = Dataset(store=KgOxigraphStore(store=open_read(path)), default_union=True)
    for prefix, namespace in PREFIXES.items():
        ds.bind(prefix, namespace, replace=True)
    return ds
