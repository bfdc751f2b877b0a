"""Queries whose work is bounded, answered in the server process without the hop to a worker.

A query goes to a worker process so that one past its time limit can be killed (pyoxigraph
cannot cancel a query). Some queries cannot run long, whatever the store: one triple pattern
(in a GRAPH or not), no FILTER, join, path, DISTINCT, OFFSET, ordering or grouping, and no
variable twice. Oxigraph answers such a pattern from one of its indexes, row by row, each row
one step of an index scan; so writing at most QUICK_BYTES of answer is at most that many rows'
work. Past QUICK_BYTES the query is handed to a worker as any other. Label lookups and a
resource's description (``<s> ?p ?o``), what linked-data clients send most, are of this shape;
the hop to a worker was most of their cost (the server process's CPU on a one-row lookup was
about 1.2 ms with the hop, against 0.3 ms for a trivial route).

The shape is recognised on the safe side: a query the expression below does not match whole
goes to a worker. Oxigraph still parses and answers the query itself.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from kg import store as kgstore
from kg.errors import KgError, ResultTooLarge
from kg.server.workers import QueryJob, error_reply

# answered in the server process up to this size; the event loop is held for about as long as
# serialising it takes (under a millisecond)
QUICK_BYTES = 16 * 1024

# The shape as one regular expression (tokenising in Python had cost more than Oxigraph's own
# parse and answer of a lookup: 69 against 59 µs). Every quantifier is possessive, so that no
# input makes it backtrack: matching stays linear in the query's length.
_WS = r"(?:\s++|\#[^\n]*+)*+"
_IRI = r"<[^<>\"{}|^`\\\s]*+>"
_PNAME = r"(?:[A-Za-z][\w-]*+)?+:(?:[\w%-]++(?:\.++[\w%-]++)*+)?+"
_VAR = r"[?$]\w++"
_LITERAL = (r"(?:\"(?:[^\"\\\n\r]|\\.)*+\"|'(?:[^'\\\n\r]|\\.)*+')"
            rf"(?:@[A-Za-z]++(?:-[A-Za-z0-9]++)*+|\^\^(?:{_IRI}|{_PNAME}))?+")
_NODE = rf"{_VAR}|{_IRI}|{_PNAME}"
_BOUNDED = re.compile(rf"""
    {_WS} (?:(?i:PREFIX) {_WS} {_PNAME} {_WS} {_IRI} {_WS} | (?i:BASE) {_WS} {_IRI} {_WS})*+
    (?:(?i:ASK) | (?i:SELECT) (?:{_WS} \* | (?:{_WS} {_VAR})++))
    (?:{_WS} (?i:WHERE))?+ {_WS} \{{ {_WS}
    (?:(?i:GRAPH) {_WS} (?P<g>{_NODE}) {_WS} \{{ {_WS})?+
    (?P<s>{_NODE}) {_WS} (?P<p>{_NODE}|a\b) {_WS}
    (?P<o>{_NODE}|{_LITERAL}|[+-]?+[0-9]++(?![.\w])|(?:true|false)\b) {_WS} (?:\. {_WS})?+
    (?(g)\}} {_WS}) \}}
    (?:{_WS} (?i:LIMIT) {_WS} [0-9]++)?+ {_WS}
""", re.X)
# a long string (triple quotes) could hide anything; no lookup needs one
_LONG_STRING = ('"' * 3, "'" * 3)


def is_bounded(sparql: str) -> bool:
    """Is the query one triple pattern (optionally in one GRAPH), with nothing that makes a row
    cost more than one index step: a SELECT or ASK, no FILTER, join, path, DISTINCT, OFFSET,
    ORDER or GROUP, no variable twice?

    Example:
        >>> is_bounded('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
        ...            'SELECT ?label WHERE { <http://x/e> rdfs:label ?label }')
        True
        >>> is_bounded('SELECT * { GRAPH ?g { ?s ?p "Kim"@en . } } LIMIT 10'), is_bounded('ASK { ?s a ?c }')
        (True, True)
        >>> is_bounded('SELECT * { ?s ?p ?o FILTER(?o = 1) }'), is_bounded('SELECT DISTINCT ?p { ?s ?p ?o }')
        (False, False)
        >>> is_bounded('SELECT * { ?x ?p ?x }'), is_bounded('SELECT * { ?s ?p ?o . ?o ?q ?r }')
        (False, False)
    """
    if any(quotes in sparql for quotes in _LONG_STRING):
        return False
    m = _BOUNDED.fullmatch(sparql)
    if m is None:
        return False
    variables = [t[1:] for t in m.group("g", "s", "p", "o") if t and t[0] in "?$"]
    return len(variables) == len(set(variables))


def answer_in_process(store: Callable[[], object], job: QueryJob, max_bytes: int = QUICK_BYTES) -> tuple | None:
    """The reply a worker would give to ``job``, answered here on the store ``store()`` returns
    (asked only for a bounded query); None if the query is not bounded, names graphs (the
    protocol's default-graph-uri and named-graph-uri) or its answer is longer than ``max_bytes``."""
    if job.default_graphs or job.named_graphs or not is_bounded(job.sparql):
        return None
    try:
        body, media = kgstore.answer(store(), job.sparql, list(job.accept), base_iri=job.base_iri,
                                     max_bytes=max_bytes)
    except ResultTooLarge:
        return None
    except KgError as exc:
        return error_reply(exc)
    return ("ok", body, media)
