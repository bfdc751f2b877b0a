"""Extraction results kept on disk between a build's two passes.

Resolution needs every article's names before any article's graph can be written, so the
results wait here rather than in memory: a build holds one batch of them at a time.
"""
from __future__ import annotations

import pickle
import shutil
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.model import ArticleResult


@dataclass(frozen=True)
class SpoolSlice:
    """Consecutive results of a spool, read where they are needed: a worker process reads its
    batch from the file itself, so the build process neither reads the results back nor
    sends them (both had cost it 16 s of a 10k build)."""

    path: Path
    start: int
    count: int

    def read(self) -> list[ArticleResult]:
        with open(self.path, "rb") as source:
            source.seek(self.start)
            return [pickle.load(source) for _ in range(self.count)]


class Spool:
    """Append results, then read them back in the same order; the folder is removed on close."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._path = folder / "results.pickle"
        self._out = open(self._path, "wb")
        self._offsets = array("q")            # where each result starts
        self.count = 0

    def write(self, result: ArticleResult) -> None:
        self._offsets.append(self._out.tell())
        pickle.dump(result, self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[ArticleResult]:
        for part in self.slices(1000):
            yield from part.read()

    def slices(self, size: int) -> Iterator[SpoolSlice]:
        """The results in slices of ``size``, in order."""
        self._out.flush()
        for first in range(0, self.count, size):
            yield SpoolSlice(self._path, self._offsets[first], min(size, self.count - first))

    def close(self) -> None:
        self._out.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
