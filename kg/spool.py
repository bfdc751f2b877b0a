"""Extraction results kept on disk between a build's two passes, and what the second pass
reads beside them.

Resolution needs every article's names before any article's graph can be written, so the
results wait here rather than in memory: a build holds one batch of them at a time. The
resolved names wait here too, for the processes that write the graphs to read.
"""
from __future__ import annotations

import pickle
import shutil
from array import array
from collections.abc import Iterable, Iterator
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


@dataclass(frozen=True)
class PackedResult:
    """An extraction result as a spool keeps it (pickled, by the process that extracted it), with
    what the build process needs of it unread: its article's source, and the names the
    entity index takes (kg.resolve.index_names). Unpickling each result there and pickling it
    again into the spool had cost the build process a third of a millisecond an article."""

    source: str
    pickled: bytes
    names: tuple


class Spool:
    """Append results, then read them back in the same order; the folder is removed on close."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._path = folder / "results.pickle"
        self._out = open(self._path, "wb")
        self._offsets = array("q")            # where each result starts
        self.count = 0

    def write(self, result: ArticleResult | PackedResult) -> None:
        self._offsets.append(self._out.tell())
        if isinstance(result, PackedResult):
            self._out.write(result.pickled)
        else:
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

    def keep_text(self, name: str, chunks: Iterable[bytes]) -> Path:
        """A file of these chunks of text beside the results (removed with them)."""
        path = self.folder / name
        with open(path, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        return path

    def keep_object(self, name: str, value: object) -> Path:
        """A file of this value, pickled, beside the results (removed with them)."""
        path = self.folder / name
        with open(path, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    def close(self) -> None:
        self._out.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_object(path: Path) -> object:
    """A value ``Spool.keep_object`` kept."""
    with open(path, "rb") as source:
        return pickle.load(source)


def read_lines(path: Path, size: int) -> Iterator[bytes]:
    """The text ``Spool.keep_text`` kept, in chunks of about ``size`` bytes that end where a
    line ends (a loader may start a new run of its input at any chunk)."""
    with open(path, "rb") as source:
        rest = b""
        while block := source.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest
