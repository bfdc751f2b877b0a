"""kg: turns news articles into a knowledge graph and serves it over SPARQL.

The public API::

    import kg
    kg.build(["seeds"], kg.Settings(store=Path("kg-store")))
    ds = kg.open("kg-store")       # an rdflib Dataset over the store
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from kg.build import add, build, stats, validate_store
from kg.config import Settings
from kg.errors import KgError

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0"

__all__ = ["KgError", "Settings", "__version__", "add", "build", "stats", "validate_store"]
