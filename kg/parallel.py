"""Extraction on many processes, or on a Dask cluster, with the same result as on one.

Articles are independent, so they are extracted in batches by workers that each compile the
lexicons once; the results come back in article order, so the graph is byte-identical
whatever the number of workers or the batch size.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
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
def _extractor(lexicons: str, extra: tuple[str, ...]) -> Extractor:
    """One extractor per process and lexicon set (a worker keeps it between batches)."""
    return Extractor(load(Path(lexicons), [Path(p) for p in extra]))


def extract_batch(articles: Sequence[Article], lexicons: str, extra: tuple[str, ...] = ()) -> list[Outcome]:
    """Extract a batch; one article's failure is its own outcome, not the batch's."""
    extractor = _extractor(lexicons, extra)
    out: list[Outcome] = []
    for article in articles:
        try:
            out.append((extractor.run(article), None))
        except Exception as exc:  # one article's bug must not lose the others
            out.append((None, f"{article.source}: extraction failed ({type(exc).__name__}: {exc})"))
    return out


def extract_all(articles: Sequence[Article], lexicons: Path, extra: Sequence[Path] = (), *,
                jobs: int = 1, dask: str | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of ``articles``: in this process, on ``jobs`` processes, or on the
    Dask cluster whose scheduler is at ``dask`` (``tcp://host:8786``)."""
    args = (str(lexicons), tuple(str(p) for p in extra))
    batches = [articles[i:i + BATCH] for i in range(0, len(articles), BATCH)]
    if dask:
        yield from _on_dask(batches, args, dask)
        return
    workers = min(jobs, max(1, len(articles) // MIN_ARTICLES_PER_WORKER))
    if workers <= 1:
        for batch in batches:
            yield from extract_batch(batch, *args)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                             initializer=_follow_parent, initargs=(os.getpid(),)) as pool:
        for outcomes in pool.map(extract_batch, batches, *zip(*[args] * len(batches))):
            yield from outcomes


def _follow_parent(parent: int) -> None:
    """A worker ends when kg does: a build killed with SIGKILL must not leave its workers behind."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _on_dask(batches: list, args: tuple, address: str) -> Iterator[Outcome]:
    try:
        from distributed import Client
    except ImportError:
        from kg.errors import KgError
        raise KgError("--dask needs Dask's distributed scheduler client",
                      hint="pip install 'kg[dask]' (dask.distributed)") from None
    with Client(address) as client:
        futures = client.map(extract_batch, batches, *zip(*[args] * len(batches)), pure=False)
        for future in futures:                 # in submission order: the graph does not depend on timing
            yield from future.result()
