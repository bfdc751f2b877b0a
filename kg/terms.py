"""RDF terms as plain tuples, the form quads take between kg's stages.

A term is ``(kind, value, datatype, language)``, kind being ``"iri"``, ``"bnode"`` or
``"literal"``. rdflib's terms normalise and parse every literal as they are made, which
cost more than the rest of writing a graph; these cost a tuple. The store turns them into
Oxigraph's terms, the SHACL checker reads them as they are, and ``to_rdflib`` gives rdflib's
for notebooks and tests.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

Term = tuple[str, str, str, str]
Quad = tuple[Term, Term, Term, Term]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def iri(value: str) -> Term:
    return ("iri", value, "", "")


def literal(value: object, datatype: Term | None = None, language: str = "") -> Term:
    if language:
        return ("literal", str(value), LANG_STRING, language)
    return ("literal", str(value), datatype[1] if datatype else XSD_STRING, "")


class Vocabulary:
    """A namespace whose members are IRI terms: ``KGO.Article``, ``KGO["Person"]``."""

    def __init__(self, base: str) -> None:
        self._base = str(base)

    @lru_cache(maxsize=None)
    def __getitem__(self, name: str) -> Term:
        return iri(self._base + name)

    def __getattr__(self, name: str) -> Term:
        if name.startswith("_"):
            raise AttributeError(name)
        # kept as a plain attribute: __getattr__ is then not called again for it (the rendering
        # of a batch read KGO.evidence and the like 270,000 times, 8% of its time through here)
        term = self[name]
        object.__setattr__(self, name, term)
        return term

    def __hash__(self) -> int:
        return hash(self._base)


def to_rdflib(term: Term):
    from rdflib import BNode, Literal, URIRef

    kind, value, datatype, language = term
    if kind == "iri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def from_rdflib(term) -> Term:
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term), "", "")
    if term.language:
        return literal(str(term), language=term.language)
    return ("literal", str(term), str(term.datatype) if term.datatype else XSD_STRING, "")


def rdflib_quads(quads: Iterable[Quad]) -> Iterator[tuple]:
    for quad in quads:
        yield tuple(to_rdflib(t) for t in quad)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nquad(quad: Quad) -> str:
    """One N-Quads line (with its newline)."""
    s, p, o, g = quad
    return f"{n3(s)} {n3(p)} {n3(o)} {n3(g)} .\n"


def nquads_chunks(quads: Iterable[Quad], count: list[int] | None = None, *, size: int) -> Iterator[bytes]:
    """N-Quads text in chunks of about ``size`` characters, for a loader that reads a stream:
    never one string of everything. ``count[0]``, if given, counts the quads."""
    lines: list[str] = []
    length = 0
    for quad in quads:
        line = nquad(quad)
        lines.append(line)
        length += len(line)
        if length >= size:
            if count is not None:
                count[0] += len(lines)
            yield "".join(lines).encode()
            lines, length = [], 0
    if lines:
        if count is not None:
            count[0] += len(lines)
        yield "".join(lines).encode()


def n3(term: Term) -> str:
    """A term as N-Triples and N-Quads write it."""
    kind, value, datatype, language = term
    if kind == "iri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = '"' + value.translate(_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    return text if datatype == XSD_STRING else f"{text}^^<{datatype}>"
