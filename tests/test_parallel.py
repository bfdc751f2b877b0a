"""Extraction on several processes, and on a real Dask scheduler, gives the graph one process gives."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import cache as kgcache, parallel
from kg import store as kgstore
from kg.pipeline import build
from kg.config import Settings

from conftest import DATA, ROOT, SEEDS

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


def test_dask_build_equals_the_local_one(tmp_path, small_batches):
    """Three Dask workers, each a process of its own (no shared memory; no cache files: the
    settings name no cache, so each compiles its extractor), as on three machines."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        report = build([REAL], Settings(store=tmp_path / "dask", dask=cluster.scheduler_address))
        with distributed.Client(cluster) as client:
            extracted_on = client.run(parallel.extractor_loaded)
    assert report.ok, report.failures
    assert sum(extracted_on.values()) >= 2, extracted_on        # the work really was spread
    build([REAL], Settings(store=tmp_path / "local"))
    assert _nquads(tmp_path / "dask") == _nquads(tmp_path / "local")


def test_compiling_an_extractor_prunes_the_cached_ones_unused_for_weeks(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    stale, recent = cache / "extractor-stale.pickle", cache / "extractor-recent.pickle"
    for file in (stale, recent):
        file.write_bytes(b"from another kg")
    weeks_ago = time.time() - (kgcache.CACHE_UNUSED_DAYS + 1) * 86400
    os.utime(stale, (weeks_ago, weeks_ago))
    parallel._extractor.cache_clear()
    parallel._extractor(str(Settings(store=tmp_path / "s").lexicons), (), str(cache))
    left = sorted(f.name for f in cache.iterdir())
    assert "extractor-stale.pickle" not in left and "extractor-recent.pickle" in left
    assert len([name for name in left if name.startswith("extractor-")]) == 2     # and the one just compiled,
    assert len([name for name in left if name.startswith("towns-")]) == 1         # with its towns


def test_towns_come_from_their_own_cache_file_without_the_extractor(tmp_path):
    cache = tmp_path / "cache"
    lexicons = Settings(store=tmp_path / "s").lexicons
    parallel._extractor.cache_clear()
    first = parallel.towns(lexicons, (), cache)                    # compiles, and keeps both
    assert first == parallel._extractor(str(lexicons), (), str(cache)).mentions.evidence.cities
    assert len(list(cache.glob("towns-*.shards"))) == 1
    parallel._extractor.cache_clear()
    again = parallel.towns(lexicons, (), cache)
    assert isinstance(again, parallel.TownShards)
    some = sorted(first)[::1000]
    assert [again.get(key) for key in some] == [first[key] for key in some]
    assert again.get("no such town anywhere") is None
    assert len(again._shards) < parallel.TownShards.SHARDS          # a lookup reads its shard only
    assert again == first and len(again) > 10_000                   # and all of them, read whole
    assert parallel._extractor.cache_info().currsize == 0            # the extractor was not loaded


def test_a_damaged_towns_file_is_compiled_again(tmp_path):
    cache = tmp_path / "cache"
    lexicons = Settings(store=tmp_path / "s").lexicons
    parallel._extractor.cache_clear()
    first = dict(parallel.towns(lexicons, (), cache))
    [file] = cache.glob("towns-*.shards")
    file.write_bytes(file.read_bytes()[:-10])                        # cut short
    parallel._extractor.cache_clear()
    assert dict(parallel.towns(lexicons, (), cache)) == first
    assert parallel.TownShards.open(file) is not None                 # written again whole


# ------------------------------------------------------------------ ahead_in_child
# A child is forked only where no other Python thread runs, and earlier tests leave some behind
# (Dask's offload thread): the checks that need a child run in a fresh interpreter.
def _in_fresh_python(check: str, *args) -> None:
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import test_parallel; test_parallel.{check}(*{args!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _pids(count):
    for _ in range(count):
        yield os.getpid()


def _check_items_come_from_a_child_in_order():
    import threading
    assert threading.active_count() == 1
    with parallel.ahead_in_child(lambda: enumerate(_pids(300))) as items:
        got = list(items)
    assert [n for n, _ in got] == list(range(300))
    assert {pid for _, pid in got} != {os.getpid()} and len({pid for _, pid in got}) == 1


def test_ahead_items_come_from_a_child_process_in_order():
    _in_fresh_python("_check_items_come_from_a_child_in_order")


def test_ahead_runs_here_while_other_threads_run():
    import threading
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with parallel.ahead_in_child(lambda: _pids(2)) as items:
            assert list(items) == [os.getpid()] * 2
    finally:
        stop.set()
        other.join()


def _check_failure_before_the_first_item_runs_here():
    from kg.errors import LexiconError
    here = os.getpid()

    def child_only_failure():
        if os.getpid() != here:
            raise OSError("a child's trouble")
        yield "made here"

    with parallel.ahead_in_child(child_only_failure) as items:
        assert items._pid is not None and list(items) == ["made here"]

    def bad_lexicon():
        raise LexiconError("entry #3 has no label", path="extra.toml", line=7)
        yield

    with pytest.raises(LexiconError) as caught, parallel.ahead_in_child(bad_lexicon) as items:
        assert items._pid is not None
        list(items)
    assert caught.value.path == "extra.toml" and caught.value.line == 7


def test_a_child_failing_before_its_first_item_is_run_here_with_its_own_error():
    _in_fresh_python("_check_failure_before_the_first_item_runs_here")


def _check_child_dying_after_items():
    from kg.errors import KgError
    here = os.getpid()

    def dies():
        yield 1
        yield 2
        if os.getpid() != here:
            os._exit(9)

    got = []
    with pytest.raises(KgError, match="after 2 result"), parallel.ahead_in_child(dies) as items:
        got.extend(items)
    assert got == [1, 2]


def test_a_child_dying_after_items_is_an_error_naming_how_far_it_got():
    _in_fresh_python("_check_child_dying_after_items")


def _check_closing_unread_items_ends_the_child():
    def forever():
        while True:
            yield b"x" * 10_000          # fills the pipe: the child blocks until it is stopped
    items = parallel.ahead_in_child(forever)
    pid = items._pid
    assert pid is not None
    items.close()
    with pytest.raises(ChildProcessError):      # stopped and collected: no zombie left
        os.waitpid(pid, os.WNOHANG)


def test_closing_unread_ahead_items_ends_the_child():
    _in_fresh_python("_check_closing_unread_items_ends_the_child")


def _check_add_in_a_child_equals_adding_here(work: str):
    from kg.pipeline import add
    tmp_path = Path(work)
    forks = []
    real_fork = os.fork

    def counted_fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    articles = sorted(REAL.glob("*.md"))[:6]
    assert len(articles) == 6
    stores = {}
    for name, cache in (("here", None), ("child", tmp_path / "cache")):
        store = tmp_path / name
        build(articles[:-2], Settings(store=store))
        parallel._extractor.cache_clear()
        os.fork = counted_fork
        report = add(articles[-2:], Settings(store=store, cache=cache))
        os.fork = real_fork
        assert report.ok and len(report.articles) == 2, report.failures
        stores[name] = _nquads(store)
    assert len(forks) == 1                      # the cached run extracted in a child, the other here
    assert stores["child"] == stores["here"]


def test_kg_add_extracting_in_a_child_equals_adding_in_process(tmp_path):
    _in_fresh_python("_check_add_in_a_child_equals_adding_here", str(tmp_path))


def test_a_cached_extractor_reads_its_towns_lazily_and_extracts_the_same(tmp_path):
    from kg.ingest import read_paths
    cache = tmp_path / "cache"
    lexicons = str(Settings(store=tmp_path / "s").lexicons)
    articles = [a for a in read_paths([REAL]) if not isinstance(a, Exception)][:8]
    plain = parallel._extractor(lexicons, (), None)
    parallel._extractor.cache_clear()
    parallel._extractor(lexicons, (), str(cache))                 # compiles and keeps it
    parallel._extractor.cache_clear()
    cached = parallel._extractor(lexicons, (), str(cache))        # unpickled from the cache
    assert isinstance(cached.mentions.evidence.cities, parallel.TownShards)
    assert [cached.run(a) for a in articles] == [plain.run(a) for a in articles]
    for towns_file in cache.glob("towns-*"):                       # gone: compiled again, not a failure
        towns_file.unlink()
    parallel._extractor.cache_clear()
    again = parallel._extractor(lexicons, (), str(cache))
    assert [again.run(a) for a in articles[:2]] == [plain.run(a) for a in articles[:2]]
    assert len(list(cache.glob("towns-*"))) == 1
    parallel.forget_extractors()


def test_cache_key_changes_when_a_file_moves_to_the_next_folder(tmp_path):
    first, second = tmp_path / "shapes", tmp_path / "ontology"
    for folder in (first, second):
        folder.mkdir()
    (first / "a.ttl").write_text("a")
    (first / "b.ttl").write_text("b")
    (second / "c.ttl").write_text("c")
    before = kgcache.key([first, second])
    (first / "b.ttl").rename(second / "b.ttl")
    moved = kgcache.key([first, second])
    assert moved != before
    (second / "c.ttl").write_text("changed")
    assert kgcache.key([first, second]) not in (before, moved)


def test_a_packed_result_is_spooled_and_indexed_as_the_result_itself(tmp_path):
    """A build's extraction processes pickle each result for the spool and send its names for the
    index beside it: the build process reads neither, and gets what it got from the result."""
    from kg.ingest import read_paths
    from kg.resolve import EntityIndex
    from kg.spool import Spool

    articles = list(read_paths([SEEDS]))[:3]
    results = [r for r, _ in parallel.extract_batch(articles, str(ROOT / "lexicons"))]
    packed = [r for r, _ in parallel.extract_batch(articles, str(ROOT / "lexicons"), packed=True)]
    assert [p.source for p in packed] == [r.article.source for r in results]
    with Spool(tmp_path / "a") as a, Spool(tmp_path / "b") as b:
        for result, pack in zip(results, packed):
            a.write(result)
            b.write(pack)
        assert list(a) == list(b) == results
    whole, names = EntityIndex(), EntityIndex()
    for result, pack in zip(results, packed):
        whole.add(result)
        names.add_names(pack.names)
    assert vars(whole) == vars(names) and whole.labels
