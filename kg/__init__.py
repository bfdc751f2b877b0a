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


def query(sparql: str, path: str | Path = "kg-store") -> list[dict[str, str]]:
    """Rows of a SELECT query as plain dicts (variable → value; unbound variables left out)."""
    from kg.store import Rows, open_read, run_query

    result = run_query(open_read(path), sparql, "rows")
    if isinstance(result, bool):
        return [{"boolean": str(result).lower()}]
    assert isinstance(result, Rows)
    return [{name: value for name, (kind, value) in zip(result.variables, row) if kind}
            for row in result.rows]


def dataframe(sparql: str, path: str | Path = "kg-store"):
    """The rows of a SELECT query as a pandas DataFrame (pip install 'kg[pandas]')."""
    try:
        import pandas as pd
    except ImportError:
        raise KgError("pandas is not installed", hint="pip install pandas") from None
    from kg.store import open_read, select

    result = select(open_read(path), sparql)
    return pd.DataFrame([[value if kind else None for kind, value in row] for row in result.rows],
                        columns=list(result.variables))


__all__ = ["KgError", "Settings", "__version__", "add", "build", "dataframe", "open", "query", "stats",
           "validate_store"]
