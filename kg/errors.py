"""Errors for people: what failed, where (file, line), and what to do about it.

The core raises these; the fronts (cli, server) translate them once.
"""
from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base of every error kg raises on purpose.

    Args:
        message: what failed, in a sentence.
        path: the file it concerns, if any.
        line: the 1-based line in that file, if known.
        hint: what the user can do about it.

    Example:
        >>> str(InputError("not UTF-8 text", path="a.txt", line=3))
        'a.txt:3: not UTF-8 text'
    """

    def __init__(self, message: str, *, path: str | Path | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(KgError):
    """An article file cannot be read or parsed."""


class LexiconError(KgError):
    """A lexicon file is malformed; the message lists every bad entry."""


class ShapesError(KgError):
    """The ontology or SHACL shapes cannot be loaded."""


class StoreError(KgError):
    """The store is missing, unreadable, or cannot be written."""


class StoreLocked(StoreError):
    """Another kg process is writing to the store."""


class ServeError(KgError):
    """``kg serve`` cannot listen where it was asked to (the port is taken, the address is not this
    machine's)."""


class QueryError(KgError):
    """A SPARQL query is missing, does not parse, or fails."""


class ResultTooLarge(QueryError):
    """A query's result is larger than the endpoint will send."""
