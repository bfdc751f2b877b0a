"""Extraction results kept on disk between a build's two passes.

Resolution needs every article's names before any article's graph can be written, so the
results wait here rather than in memory: a build holds one batch of them at a time.
"""
from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

from kg.model import ArticleResult


class Spool:
    """Append results, then read them back in the same order; the folder is removed on close."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._path = folder / "results.pickle"
        self._out = open(self._path, "wb")
        self.count = 0

    def write(self, result: ArticleResult) -> None:
        pickle.dump(result, self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[ArticleResult]:
        self._out.flush()
        with open(self._path, "rb") as source:
            for _ in range(self.count):
                yield pickle.load(source)

    def close(self) -> None:
        self._out.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
