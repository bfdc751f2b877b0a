"""Extraction on several processes, and on a real Dask scheduler, gives the graph one process gives."""
import os
import time

import pytest

from kg import parallel
from kg import store as kgstore
from kg.build import build
from kg.config import Settings

from conftest import DATA

REAL = DATA / "real" / "dev" / "articles"


def _nquads(store) -> bytes:
    return kgstore.dump(kgstore.open_read(store), "nquads")


@pytest.fixture()
def small_batches(monkeypatch):
    # a worker per handful of articles, so that a small corpus really is split across processes
    monkeypatch.setattr(parallel, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "BATCH", 3)


def test_jobs_and_batch_size_do_not_change_the_nquads(tmp_path, small_batches):
    build([REAL], Settings(store=tmp_path / "one", jobs=1))
    build([REAL], Settings(store=tmp_path / "two", jobs=2))
    assert _nquads(tmp_path / "one") == _nquads(tmp_path / "two")


def test_dask_build_equals_the_local_one(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        report = build([REAL], Settings(store=tmp_path / "dask", dask=cluster.scheduler_address))
    assert report.ok, report.failures
    build([REAL], Settings(store=tmp_path / "local"))
    assert _nquads(tmp_path / "dask") == _nquads(tmp_path / "local")


def test_compiling_an_extractor_prunes_the_cached_ones_unused_for_weeks(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    stale, recent = cache / "extractor-stale.pickle", cache / "extractor-recent.pickle"
    for file in (stale, recent):
        file.write_bytes(b"from another kg")
    weeks_ago = time.time() - (parallel.CACHE_UNUSED_DAYS + 1) * 86400
    os.utime(stale, (weeks_ago, weeks_ago))
    parallel._extractor.cache_clear()
    parallel._extractor(str(Settings(store=tmp_path / "s").lexicons), (), str(cache))
    left = sorted(f.name for f in cache.iterdir())
    assert "extractor-stale.pickle" not in left and "extractor-recent.pickle" in left
    assert len(left) == 2                    # and the one just compiled


def test_towns_come_from_their_own_cache_file_without_the_extractor(tmp_path):
    cache = tmp_path / "cache"
    lexicons = Settings(store=tmp_path / "s").lexicons
    parallel._extractor.cache_clear()
    first = parallel.towns(lexicons, (), cache)                    # compiles, and keeps both
    assert first == parallel._extractor(str(lexicons), (), str(cache)).mentions.evidence.cities
    assert len(list(cache.glob("towns-*.pickle"))) == 1
    parallel._extractor.cache_clear()
    again = parallel.towns(lexicons, (), cache)
    assert again == first and len(again) > 10_000
    assert parallel._extractor.cache_info().currsize == 0            # the extractor was not loaded
