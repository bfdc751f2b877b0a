"""The one place that knows where the shipped data files live: a checkout's top level
(``ontology/``, ``shapes/``, ``queries/``, ``lexicons/``) or, in a wheel, ``kg/_data/``."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_KINDS = ("ontology", "shapes", "queries", "lexicons")


def data_dir(kind: str) -> Path:
    """Folder of a kind of data file.

    Example:
        >>> data_dir("ontology").name
        'ontology'
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {_KINDS}")
    for candidate in (_PACKAGE / "_data" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg's {kind}/ folder is missing from {_PACKAGE.parent}; reinstall kg")



def view_queries_dir() -> Path:
    """The SPARQL files the analyst views draw from (beside the pages, in kg/server); ``kg
    report`` reads the same ones."""
    return _PACKAGE / "server" / "view-queries"
