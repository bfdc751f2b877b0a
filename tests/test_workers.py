"""The query workers themselves: real processes over the seeds' store."""
from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kg.server import workers
from kg.server.workers import HEAVY_SHARE, SLOW_AFTER, SPARE_AFTER, PoolBusy, QueryJob, QueryTimeout, WorkerPool

JSON = ("application/sparql-results+json",)
# every pair of quads of the seeds: long enough to pass SLOW_AFTER, short of the limits below
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _may_raise_priority() -> bool:
    """Can this process raise a process's priority again (root, or RLIMIT_NICE)?"""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        os.setpriority(os.PRIO_PROCESS, child.pid, 10)
        os.setpriority(os.PRIO_PROCESS, child.pid, 0)
        return True
    except OSError:
        return False
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize("restorable", [True, False])
def test_a_slow_query_gives_up_the_cpu_and_gets_it_back_or_its_worker_is_replaced(seeds_store, monkeypatch,
                                                                                    restorable):
    if restorable and not _may_raise_priority():
        pytest.skip("this system does not let a process raise a priority again")
    if not restorable:
        monkeypatch.setattr(workers, "_restore_priority", lambda pid: False)
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=60)
    try:
        (first,) = pool._all
        answers = []
        thread = threading.Thread(target=lambda: answers.append(pool.run(QueryJob(SLOW, JSON))))
        thread.start()
        time.sleep(1.6)
        if not thread.is_alive():
            pytest.skip("the slow query answered within SLOW_AFTER on this machine")
        assert os.getpriority(os.PRIO_PROCESS, first.process.pid) == 10
        thread.join(60)
        assert answers and answers[0][0] == "ok"
        if restorable:      # kept, with its caches, at its priority again
            assert pool._all == {first} and os.getpriority(os.PRIO_PROCESS, first.process.pid) == 0
        else:
            assert first not in pool._all and not first.process.is_alive()
        assert len(pool._all) == 1
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON))[0] == "ok"     # the worker then answers
    finally:
        pool.close()


def test_waiting_for_a_worker_counts_against_the_time_limit(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=2)
    try:
        hog = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, QueryJob(RUNAWAY, JSON)))
        hog.start()
        time.sleep(0.3)
        start = time.monotonic()
        with pytest.raises((PoolBusy, QueryTimeout)):
            pool.run(QueryJob(RUNAWAY, JSON))
        assert time.monotonic() - start < 2.5          # not the wait plus a whole limit (4 s)
        hog.join(10)
    finally:
        pool.close()


def _busy_client(pool: WorkerPool, client: str) -> None:
    """``client`` has just kept a worker busy with a slow query (with a usage half-life of 1 s,
    that makes it busier than HEAVY_SHARE for a second or so)."""
    start = time.monotonic()
    assert pool.run(QueryJob(SLOW, JSON), client)[0] == "ok"
    if time.monotonic() - start < 1.0:
        pytest.skip("the slow query is too quick on this machine to make a client busy")
    assert pool.share(client) > HEAVY_SHARE > pool.share("light")


def _in_background(pool: WorkerPool, job: QueryJob, client: str, done: list) -> threading.Thread:
    thread = threading.Thread(target=lambda: (pool.run(job, client), done.append(client)))
    thread.start()
    return thread


def test_a_waiting_quick_query_goes_before_a_busy_clients(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=60, usage_half_life=1.0)
    try:
        done: list[str] = []
        start = time.monotonic()
        slow = _in_background(pool, QueryJob(SLOW, JSON), "heavy", done)
        time.sleep(0.3)
        heavy = _in_background(pool, QueryJob("ASK { ?s ?p ?o }", JSON), "heavy", done)
        time.sleep(0.3)                 # the busy client's quick query came first
        light = _in_background(pool, QueryJob("ASK { ?s ?p ?o }", JSON), "light", done)
        for thread in (slow, heavy, light):
            thread.join(60)
        if time.monotonic() - start < 1.0:
            pytest.skip("the slow query is too quick on this machine to make a client busy")
        assert done == ["heavy", "light", "heavy"]
    finally:
        pool.close()


def test_a_busy_client_gets_no_spare_worker(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=1, timeout=60, usage_half_life=1.0)
    try:
        _busy_client(pool, "heavy")
        done: list[str] = []
        hog = _in_background(pool, QueryJob(SLOW, JSON), "hog", done)
        time.sleep(0.3)
        heavy = _in_background(pool, QueryJob("ASK { ?s ?p ?o }", JSON), "heavy", done)
        light = _in_background(pool, QueryJob("ASK { ?s ?p ?o }", JSON), "light", done)
        for thread in (hog, heavy, light):
            thread.join(60)
        # the light client's query ran on a spare while the hog held the one worker, and the busy
        # client's, which came first, waited for the spare to be free (given one, it would have
        # answered first and the light one waited for it)
        assert done == ["light", "heavy", "hog"]
    finally:
        pool.close()


def test_quick_queries_taking_turns_start_no_spare_but_a_held_worker_does(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=2, timeout=60)
    try:
        # the worker's first query opens the store, which took past SPARE_AFTER on a slow machine
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), "c0")[0] == "ok"
        with ThreadPoolExecutor(4) as clients:
            answers = list(clients.map(lambda i: pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), f"c{i % 4}"),
                                       range(200)))
        assert all(a[0] == "ok" for a in answers)
        assert pool.started == 1                   # they waited their turn on the one worker
        done: list[str] = []
        hog = _in_background(pool, QueryJob(SLOW, JSON), "hog", done)
        time.sleep(0.3)
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), "other")[0] == "ok"
        assert pool.started == 2 and done == []    # a spare answered while the hog held the worker
        hog.join(60)
    finally:
        pool.close()


def test_a_worker_opens_the_store_before_its_first_query(seeds_store):
    """So that a new worker (at start, a spare, a replacement) answers its first query as quickly
    as the others: its process holds the store's files before any query is sent."""
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=60)
    try:
        (worker,) = pool._all
        fds = Path(f"/proc/{worker.process.pid}/fd")
        store = str(Path(seeds_store).resolve())
        deadline = time.monotonic() + 30
        opened = []
        while not opened and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                opened = [f for f in fds.iterdir() if os.readlink(f).startswith(store + "/")]
            time.sleep(0.05)
        assert opened
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON))[0] == "ok"
    finally:
        pool.close()


def test_a_worker_busy_but_not_slow_earns_no_spare(seeds_store):
    """Spares stand in for workers held by slow queries; a query waiting behind ordinary ones
    waits its turn (more processes than cores add no CPU, only separate caches)."""
    pool = WorkerPool(seeds_store, size=1, spare=2, timeout=60)
    try:
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), "c0")[0] == "ok"
        busy = pool._take(time.monotonic() + 60, "c0", None)
        pool._started(busy)                                 # as if answering a query just sent
        threading.Timer(SLOW_AFTER / 2, lambda: (pool._running.pop(busy), pool._give_back(busy))).start()
        start = time.monotonic()
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), "c1")[0] == "ok"
        assert pool.started == 1 and time.monotonic() - start >= SLOW_AFTER / 2 - 0.05   # waited its turn
        held = pool._take(time.monotonic() + 60, "c0", None)
        pool._running[held] = time.monotonic() - SLOW_AFTER        # its query has run past SLOW_AFTER
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), "c1")[0] == "ok"
        assert pool.started == 2                            # a spare stood in for the held worker
    finally:
        pool.close()


def test_queries_on_an_event_loop_wait_their_turn_there_without_a_thread(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=60)
    threaded: list = []

    async def in_thread(function, *args):
        threaded.append(function)
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    async def queries():
        return await asyncio.gather(*(pool.run_async(QueryJob("ASK { ?s ?p ?o }", JSON), f"c{i}", None, in_thread)
                                      for i in range(8)))
    try:
        # one from a thread too: a worker given back by either kind of caller reaches the other
        thread_answer: list = []
        thread = threading.Thread(target=lambda: thread_answer.append(pool.run(QueryJob("ASK { }", JSON), "t")))
        thread.start()
        answers = asyncio.run(queries())
        thread.join(60)
        assert [a[0] for a in answers] == ["ok"] * 8 and thread_answer[0][0] == "ok"
        assert threaded == [] and pool.started == 1
    finally:
        pool.close()


def test_a_query_cancelled_while_waiting_or_running_leaves_no_worker_lost(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=60)

    async def in_thread(function, *args):
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    async def scenario():
        running = asyncio.ensure_future(pool.run_async(QueryJob(SLOW, JSON), "a", None, in_thread))
        await asyncio.sleep(0.3)
        waiting = asyncio.ensure_future(pool.run_async(QueryJob("ASK { }", JSON), "b", None, in_thread))
        await asyncio.sleep(0.3)
        waiting.cancel()                      # gone while it waited for the one worker
        running.cancel()                      # gone while its query ran
        for task in (waiting, running):
            with pytest.raises(asyncio.CancelledError):
                await task
        return await asyncio.wait_for(pool.run_async(QueryJob("ASK { }", JSON), "c", None, in_thread), 30)
    try:
        assert asyncio.run(scenario())[0] == "ok"        # the pool still has its worker
        assert pool._waiting == [] and len(pool._all) == 1
    finally:
        pool.close()


def test_a_worker_grown_past_its_memory_bound_is_replaced(seeds_store):
    roomy = WorkerPool(seeds_store, size=1, spare=0, timeout=60)
    tight = WorkerPool(seeds_store, size=1, spare=0, timeout=60, max_worker_mb=1)   # any worker is over
    try:
        for pool, replaced in ((roomy, False), (tight, True)):
            (before,) = pool._all
            assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON))[0] == "ok"
            (after,) = pool._all
            assert (after is not before) is replaced
            assert before.process.is_alive() is not replaced
            assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON))[0] == "ok"
    finally:
        roomy.close()
        tight.close()


def test_before_waiting_runs_only_when_the_query_waits_past_a_moment(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=3)
    calls = []

    def refuse() -> None:
        calls.append(1)
        raise ValueError("refused before waiting")

    try:
        # a worker idle: taken at once, the check not run (the worker's own parse suffices)
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), before_waiting=refuse)[0] == "ok"
        assert calls == []
        # the only worker back well within SPARE_AFTER: the query waited a moment, unchecked
        held = pool._take(time.monotonic() + 3, "other", None)
        threading.Timer(SPARE_AFTER / 5, pool._give_back, args=(held,)).start()
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), before_waiting=refuse)[0] == "ok"
        assert calls == []
        hog = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, QueryJob(RUNAWAY, JSON)))
        hog.start()
        time.sleep(0.3)
        start = time.monotonic()
        with pytest.raises(ValueError, match="refused before waiting"):
            pool.run(QueryJob("ASK { ?s ?p ?o }", JSON), before_waiting=refuse)
        assert calls == [1] and time.monotonic() - start < 0.5       # refused, not kept waiting
        hog.join(10)
    finally:
        pool.close()


def test_a_busy_clients_query_that_waited_half_the_limit_takes_its_turn(seeds_store):
    pool = WorkerPool(seeds_store, size=1, spare=0, timeout=4)
    try:
        pool._charge("heavy", 100.0)          # a client that lately kept workers busy for 100 s
        assert pool.share("heavy") > HEAVY_SHARE
        done: list[str] = []
        hog = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, QueryJob(RUNAWAY, JSON), "hog"))
        hog.start()
        time.sleep(1.0)
        heavy = _in_background(pool, QueryJob("ASK { ?s ?p ?o }", JSON), "heavy", done)
        time.sleep(2.2)                       # the busy client's query has waited past half the limit
        light = _in_background(pool, QueryJob("ASK { ?s ?p ?o }", JSON), "light", done)
        for thread in (hog, heavy, light):
            thread.join(20)
        # when the runaway is stopped, the aged query goes first although its client is busy
        assert done == ["heavy", "light"]
    finally:
        pool.close()
