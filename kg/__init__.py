"""kg: turns news articles into a knowledge graph and serves it over SPARQL.

The public API::

    import kg
    kg.build(["seeds"], kg.Settings(store=Path("kg-store")))
    ds = kg.open("kg-store")       # an rdflib Dataset over the store
"""
from __future__ import annotations

import importlib
from pathlib import Path

from kg.config import Settings
from kg.errors import KgError

# imported when first used: the pipeline's modules took 0.3 s of every command's start, and a
# kg add forks its extraction before importing them (kg.cli)
_LAZY = {"add": "kg.pipeline", "build": "kg.pipeline", "stats": "kg.queries", "validate_store": "kg.pipeline"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    # read when asked: importlib.metadata's import alone took 60-130 ms of every command
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version("kg")
        except PackageNotFoundError:  # running from a checkout that is not installed
            return "0.0.0"
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def open(path: str | Path = "kg-store"):  # noqa: A001  (the name SPEC.md gives it)
    """An rdflib ``Dataset`` over the store at ``path``: read-only, named graphs kept, the
    default graph their union, SPARQL evaluated by Oxigraph.

    Example (after ``kg build seeds``)::

        ds = kg.open("kg-store")
        ds.query("SELECT ?l WHERE { ?x a kgo:Person ; rdfs:label ?l }")
    """
    from kg.dataset import open_dataset

    return open_dataset(path)


def query(sparql: str, path: str | Path = "kg-store", *, raw: bool = False, iri=str) -> list[dict] | bool:
    """The rows of a SELECT query as dicts (variable → value; unbound variables left out), or an
    ASK query's answer as a bool.

    Values are Python values: integers as ``int``, decimals as ``Decimal``, doubles as ``float``,
    booleans as ``bool``, ``xsd:date`` as ``datetime.date``, ``xsd:gYearMonth`` and ``xsd:gYear``
    as ``kg.model.DateValue`` (the precision kept, with ``earliest`` and ``latest`` days), other
    literals as their text, IRIs as ``iri(value)`` (strings unless you pass, say,
    ``rdflib.URIRef``). ``raw=True`` gives every value as its text, as the SPARQL results carry it.
    """
    from kg.store import open_read, select_typed
    from kg.values import python_value

    result = select_typed(open_read(path), sparql)
    if isinstance(result, bool):
        return result
    names, rows = result
    if raw:
        return [{n: value for n, (kind, value, _) in zip(names, row) if kind} for row in rows]
    return [{n: python_value(kind, value, datatype, iri) for n, (kind, value, datatype) in zip(names, row) if kind}
            for row in rows]


def dataframe(sparql: str, path: str | Path = "kg-store", *, raw: bool = False, iri=str):
    """The rows of a SELECT query as a pandas DataFrame (pip install 'kg[pandas]'), one column a
    variable, typed where the data is: integers as ``Int64``, decimals and doubles as ``float64``,
    booleans as ``boolean``, days as ``datetime64``; a column of months or years as pandas
    ``Period`` values (their precision kept); anything else as objects (strings). ``raw=True``
    keeps every value as text."""
    try:
        import pandas as pd
    except ImportError:
        raise KgError("pandas is not installed", hint="pip install pandas") from None
    from kg.store import open_read, select_typed
    from kg.values import column_for_pandas

    result = select_typed(open_read(path), sparql)
    if isinstance(result, bool):
        raise KgError("an ASK query has no rows", hint="use kg.query(...), which returns its bool")
    names, rows = result
    return pd.DataFrame({name: column_for_pandas(pd, [row[i] for row in rows], raw=raw, iri=iri)
                         for i, name in enumerate(names)}, columns=list(names))


__all__ = ["KgError", "Settings", "__version__", "add", "build", "dataframe", "open", "query", "stats",
           "validate_store"]
