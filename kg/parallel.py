"""Extraction on many processes, or on a Dask cluster, with the same result as on one.

Articles are independent, so they are extracted in batches by workers that each compile the
lexicons once; the results come back in article order, so the graph is byte-identical
whatever the number of workers or the batch size.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
import pickle
import signal
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg import cache as kgcache
from kg.config import Settings
from kg.errors import InputError
from kg.gazetteer import GazetteerPlace
from kg.ingest import read_paths
from kg.lexicon import load
from kg.model import Article, ArticleResult, BuildReport
from kg.resolve import index_names
from kg.spool import PackedResult

if TYPE_CHECKING:
    from kg.extract import Extractor

# (result, None) or (None, "what failed"); the result packed for the spool when asked (pack)
Outcome = tuple["ArticleResult | PackedResult | None", str | None]

# A pool's start-up (a fresh interpreter, the lexicons compiled) costs about 2 s a worker:
# fewer articles than this a worker are extracted in this process.
MIN_ARTICLES_PER_WORKER = 200
BATCH = 32


@lru_cache(maxsize=4)
def _extractor(lexicons: str, extra: tuple[str, ...], cache: str | None = None) -> Extractor:
    """One extractor per process and lexicon set (a worker keeps it between batches).

    Compiling the lexicons and gazetteers takes about a second, most of a one-article ``kg add``;
    with a ``cache`` folder the compiled extractor is kept there, under a key made of everything
    it is compiled from (kg's code, the gazetteers' installed files, the lexicon files' bytes)."""
    paths = [Path(lexicons), *(Path(p) for p in extra)]
    if not cache:
        from kg.extract import Extractor    # imported only here: a kg add's own process never extracts

        return Extractor(load(paths[0], paths[1:]))
    extractor = _cached_extractor(paths, Path(cache))
    # about a million objects that live as long as the process: kept out of the collector's full
    # passes, each of which would otherwise walk them all (~30 ms; a third of a one-article kg add).
    # Only with a cache, as kg's own commands and workers run: a process kg is a guest in (a
    # notebook, a Dask worker) is not frozen under its feet
    gc.freeze()
    return extractor


def _cached_extractor(paths: list[Path], cache: Path) -> Extractor:
    key = kgcache.key(paths)
    file = cache / f"extractor-{key}.pickle"
    extractor = kgcache.recall(file)
    if extractor is None:            # none yet, or from another kg: compile it
        from kg.extract import Extractor

        extractor = Extractor(load(paths[0], paths[1:]))
        # the kept extractor reads its towns from their own file, a shard at a time (a one-article
        # kg add looks up a few; unpickling all 32,000 with the extractor took 35-40 ms)
        towns_file = cache / f"towns-{key}.shards"
        kgcache.keep(towns_file, functools.partial(TownShards.write, extractor.mentions.evidence.cities))
        shards = TownShards.open(towns_file)
        if shards is not None:       # else (a read-only cache) it keeps them whole
            extractor.mentions.evidence.cities = shards
        kgcache.keep(file, functools.partial(pickle.dump, extractor, protocol=pickle.HIGHEST_PROTOCOL))
    return extractor


def forget_extractors() -> None:
    """Let this process's extractors go (~150 MB each) once its extraction is over: the rest of a
    build needs none. They were frozen out of the collector; unfrozen, a last collection frees
    whatever of them refers to itself."""
    _extractor.cache_clear()
    gc.unfreeze()
    gc.collect()


def towns(lexicons: Path, extra: Sequence[Path] = (), cache: Path | None = None) -> Mapping[str, GazetteerPlace]:
    """The gazetteer's towns the extractor reads with, by name key. With a cache, from a file of
    their own read a shard at a time (``TownShards``), not from the whole compiled extractor:
    ~150 MB once loaded, which the build process, whose workers do the extracting, held until the
    end for these towns alone."""
    def from_extractor() -> dict[str, GazetteerPlace]:
        extractor = _extractor(str(lexicons), tuple(str(p) for p in extra), str(cache) if cache else None)
        return extractor.mentions.evidence.cities

    if cache is None or extractor_loaded():     # none kept, or one loaded here already
        return from_extractor()
    file = Path(cache) / f"towns-{kgcache.key([Path(lexicons), *(Path(p) for p in extra)])}.shards"
    found = TownShards.open(file)
    if found is None:
        found = from_extractor()
        kgcache.keep(file, functools.partial(TownShards.write, found))
    return found


class TownShards(Mapping):
    """The towns of a cache file, unpickled a shard at a time as names are looked up: a ``kg add``
    looks up a few place names, and unpickling all 32,000 towns took it 40-55 ms (a build's many
    lookups end up reading every shard, as it read the whole file before).

    The file: a pickled header (the number of towns, each shard's size), then the shards, each
    a pickled dict of the towns whose key's CRC-32 falls in it."""

    SHARDS = 64

    def __init__(self, file: Path, count: int, start: int, sizes: list[int]) -> None:
        self._file, self._count, self._sizes = file, count, sizes
        self._offsets = list(itertools.accumulate(sizes, initial=start))
        self._shards: dict[int, dict[str, GazetteerPlace]] = {}

    @classmethod
    def open(cls, file: Path) -> TownShards | None:
        """The towns of ``file``, or None if it holds nothing this kg can read."""
        try:
            with open(file, "rb") as handle:
                count, sizes = pickle.load(handle)
                start = handle.tell()
            if len(sizes) != cls.SHARDS or file.stat().st_size != start + sum(sizes):
                return None
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(file)               # in use: kept by kgcache.prune
        return cls(file, count, start, sizes)

    def __reduce__(self):
        # pickled as its file (in the cached extractor), never with the shards read so far
        return _reopen_towns, (str(self._file),)

    @classmethod
    def write(cls, towns: Mapping[str, GazetteerPlace], handle: BinaryIO) -> None:
        shards: list[dict[str, GazetteerPlace]] = [{} for _ in range(cls.SHARDS)]
        for key, town in towns.items():
            shards[cls._shard_of(key)][key] = town
        blobs = [pickle.dumps(shard, protocol=pickle.HIGHEST_PROTOCOL) for shard in shards]
        pickle.dump((len(towns), [len(blob) for blob in blobs]), handle, protocol=pickle.HIGHEST_PROTOCOL)
        for blob in blobs:
            handle.write(blob)

    @staticmethod
    def _shard_of(key: str) -> int:
        return zlib.crc32(key.encode()) % TownShards.SHARDS

    def _shard(self, number: int) -> dict[str, GazetteerPlace]:
        shard = self._shards.get(number)
        if shard is None:
            with open(self._file, "rb") as handle:
                handle.seek(self._offsets[number])
                shard = self._shards[number] = pickle.loads(handle.read(self._sizes[number]))
        return shard

    def __getitem__(self, key: str) -> GazetteerPlace:
        return self._shard(self._shard_of(key))[key]

    def __iter__(self) -> Iterator[str]:
        for number in range(self.SHARDS):
            yield from self._shard(number)

    def __len__(self) -> int:
        return self._count


def _reopen_towns(file: str) -> TownShards:
    towns = TownShards.open(Path(file))
    if towns is None:
        raise ValueError(f"the towns file {file} is gone or damaged")
    return towns


def extract_batch(articles: Sequence[Article], lexicons: str, extra: tuple[str, ...] = (),
                  cache: str | None = None, packed: bool = False) -> list[Outcome]:
    """Extract a batch; one article's failure is its own outcome, not the batch's. ``packed``:
    each result as ``pack`` gives it."""
    extractor = _extractor(lexicons, extra, cache)
    out: list[Outcome] = []
    for article in articles:
        try:
            result = extractor.run(article)
            out.append((pack(result) if packed else result, None))
        except Exception as exc:  # one article's bug must not lose the others
            out.append((None, f"{article.source}: extraction failed ({type(exc).__name__}: {exc})"))
    return out


def pack(result: ArticleResult) -> PackedResult:
    """A result pickled for the spool, with its article's source and its names for the entity
    index: what the build process takes of it without reading it."""
    return PackedResult(result.article.source, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
                        index_names(result))


def extract_all(articles: Iterable[Article], lexicons: Path, extra: Sequence[Path] = (), *,
                jobs: int = 1, dask: str | None = None, cache: Path | None = None,
                packed: bool = False) -> Iterator[Outcome]:
    """Outcomes in the order of ``articles``: in this process, on ``jobs`` processes, or on the
    Dask cluster whose scheduler is at ``dask`` (``tcp://host:8786``).

    ``articles`` may be a stream: it is read as the work goes, with a few batches a worker in
    flight, so memory holds those batches, not the corpus."""
    args = (str(lexicons), tuple(str(p) for p in extra), str(cache) if cache and not dask else None, packed)
    articles = iter(articles)
    if dask:
        yield from _on_dask(_batches(articles), args, dask)
        return
    # enough articles to know whether workers pay for their start-up
    head = list(itertools.islice(articles, jobs * MIN_ARTICLES_PER_WORKER))
    workers = min(jobs, max(1, len(head) // MIN_ARTICLES_PER_WORKER))
    batches = _batches(itertools.chain(head, articles))
    if workers <= 1:
        for batch in batches:
            yield from extract_batch(batch, *args)
        return
    with _pool(workers, _follow_parent, (os.getpid(),)) as pool:
        for outcomes in _in_order(lambda batch: pool.submit(extract_batch, batch, *args), batches, ahead=4 * workers):
            yield from outcomes


def ordered_map(work: Callable, batches: Iterable, context: object, *, jobs: int) -> Iterator:
    """``work(batch, context)`` for each batch, in order, on ``jobs`` processes (the context is sent
    to each worker once, when it starts) or in this process when ``jobs`` is 1."""
    if jobs <= 1:
        for batch in batches:
            yield work(batch, context)
        return
    with _pool(jobs, _start_worker, (os.getpid(), context)) as pool:
        yield from _in_order(lambda batch: pool.submit(_with_context, work, batch), batches, ahead=4 * jobs)


def _pool(workers: int, initializer: Callable, initargs: tuple):
    """Worker processes, spawned. multiprocessing and concurrent.futures are imported here, by the
    commands that start workers: they were 45 ms of every other command's start, a one-article
    kg add's among them."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer, initargs=initargs)


_worker_context: list = []      # a worker process's context, set once when it starts


def _start_worker(parent: int, context: object) -> None:
    _follow_parent(parent)
    _worker_context.append(context)


def _with_context(work: Callable, batch):
    return work(batch, _worker_context[0])


def _batches(articles: Iterator[Article]) -> Iterator[list[Article]]:
    while batch := list(itertools.islice(articles, BATCH)):
        yield batch


def _in_order(submit: Callable, batches: Iterable, ahead: int) -> Iterator:
    """Submit batches keeping at most ``ahead`` in flight; each batch's result in submission
    order, so the graph does not depend on timing."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _follow_parent(parent: int) -> None:
    """A worker ends when kg does: a build killed with SIGKILL must not leave its workers behind."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _on_dask(batches: Iterator[list[Article]], args: tuple, address: str) -> Iterator[Outcome]:
    try:
        from distributed import Client
    except ImportError:
        from kg.errors import KgError
        raise KgError("--dask needs Dask's distributed scheduler client",
                      hint="pip install 'kg[dask]' (dask.distributed)") from None
    with Client(address) as client:
        ahead = 4 * max(1, sum(client.nthreads().values()))
        for outcomes in _in_order(lambda batch: client.submit(extract_batch, batch, *args, pure=False), batches,
                                  ahead):
            yield from outcomes


def extractor_loaded() -> bool:
    """Whether this process holds a compiled extractor already (then extracting here is quick)."""
    return bool(_extractor.cache_info().currsize)


def extract_ahead(paths: Iterable[str | Path], settings: Settings) -> AheadItems | None:
    """The articles' extraction messages (``extraction_messages``), told from now on by a forked
    child: for ``kg add``, where the cached extractor's unpickling (most of a one-article add's
    extraction) then overlaps the reading of the shapes and the opening and copying of the store,
    and the command line starts it before importing the rest of kg. None (extract in this process)
    where the extractor is here already (a notebook adding again), where there is no cache
    (compiling it in a child would be lost) or where Dask extracts."""
    if settings.cache is None or settings.dask is not None or extractor_loaded():
        return None
    paths = list(paths)
    return ahead_in_child(lambda: extraction_messages(paths, settings))


def extraction_messages(paths: list[str | Path], settings: Settings) -> Iterator[tuple[str, object]]:
    """``extract_paths``'s results and failures as messages, for a child process to send."""
    report = BuildReport(store=str(settings.store))
    told = 0
    for result in extract_paths(paths, settings, report, packed=True):
        yield from (("failure", failure) for failure in report.failures[told:])
        told = len(report.failures)
        yield "result", result
    yield from (("failure", failure) for failure in report.failures[told:])


def extract_paths(paths: Iterable[str | Path], settings: Settings, report: BuildReport, *,
                  packed: bool = False) -> Iterator:
    """Extraction results as they come (packed for the spool if ``packed``); failures go to the report."""
    load(settings.lexicons, settings.extra_lexicons)      # a bad lexicon fails here, once, in this process
    sources: dict[str, str] = {}

    def articles() -> Iterator[Article]:
        for item in read_paths(paths, settings.max_article_bytes, skip=_own_files(settings.store)):
            if isinstance(item, InputError):
                report.failures.append(str(item))
            elif item.id in sources:
                report.failures.append(f"{item.source}: article id {item.id!r} is already used by "
                                       f"{sources[item.id]}; rename one of the files")
            else:
                sources[item.id] = item.source
                yield item

    for result, failure in extract_all(articles(), settings.lexicons, settings.extra_lexicons,
                                       jobs=settings.jobs, dask=settings.dask, cache=settings.cache, packed=packed):
        if failure:
            report.failures.append(failure)
            continue
        report.articles.append(result.source if packed else result.article.source)
        yield result


def _own_files(store: Path) -> Callable[[Path], bool]:
    """kg's own files when the store lies among the articles: the store, its lock, its staging
    copy and spool (``<store>``, ``<store>.lock``, ``<store>.new-*``)."""
    store = Path(store).absolute()

    def own(path: Path) -> bool:
        path = path.absolute()
        for folder in (path, *path.parents):
            if folder.parent == store.parent and (
                    folder.name in (store.name, store.name + ".lock", store.name + ".old")
                    or folder.name.startswith(store.name + ".new-")):
                return True
        return False
    return own


def ahead_in_child(produce: Callable[[], Iterable]) -> AheadItems:
    """``produce()``'s items, produced from now on by a forked child process while this one goes on
    with other work: a one-article ``kg add`` unpickles the extractor there (0.12 s) while here
    it reads the shapes and opens and copies the store. Close it (``with``) when done, read or not.

    Where a child cannot be forked safely (no ``fork``, or other Python threads, which may hold
    locks the child would need), ``produce()`` runs here when the items are first asked for. If
    the child fails before its first item, ``produce()`` runs here too: a deterministic error
    (a bad lexicon) is then raised with all its details, as without a child."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return AheadItems(produce, None, None)
    readable, writable = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:                     # the child: never returns into its caller's frames
        status = 1
        try:
            os.close(readable)
            _follow_parent(parent)
            with open(writable, "wb") as out:
                try:
                    for item in produce():
                        pickle.dump(("item", item), out, protocol=pickle.HIGHEST_PROTOCOL)
                        out.flush()
                    pickle.dump(("end", None), out)
                    status = 0
                except Exception as exc:   # noqa: BLE001 - told to the parent, which decides
                    pickle.dump(("error", f"{type(exc).__name__}: {exc}"), out)
        finally:
            os._exit(status)
    os.close(writable)
    return AheadItems(produce, pid, open(readable, "rb"))


class AheadItems:
    """The items of ``ahead_in_child``, read as they come."""

    def __init__(self, produce: Callable[[], Iterable], pid: int | None, source) -> None:
        self._produce, self._pid, self._source = produce, pid, source

    def __enter__(self) -> AheadItems:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child if it still runs, and collect it."""
        self._end(stop=True)

    def __iter__(self) -> Iterator:
        received = 0
        failure = "it ended without a word (killed?)"
        while self._pid is not None:
            try:
                kind, value = pickle.load(self._source)
            except (EOFError, pickle.UnpicklingError):
                break
            if kind == "item":
                received += 1
                yield value
            elif kind == "end":
                self._end(stop=False)
                return
            else:
                failure = value
                break
        self._end(stop=False)
        if received:
            from kg.errors import KgError
            raise KgError(f"the extraction process stopped after {received} result(s): {failure}",
                          hint="run the command again; if it fails the same way, report it with this message")
        yield from self._produce()

    def _end(self, stop: bool) -> None:
        if self._pid is not None:
            pid, self._pid = self._pid, None
            self._source.close()
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                if stop and os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
