"""The query workers themselves: real processes over the seeds' store."""
from __future__ import annotations

import os
import threading
import time

import pytest

from kg.server.workers import PoolBusy, QueryJob, QueryTimeout, WorkerPool

JSON = ("application/sparql-results+json",)
# every pair of quads of the seeds: long enough to pass SLOW_AFTER, short of the limits below
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_slow_query_gives_up_the_cpu_and_its_worker_is_replaced(seeds_store):
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
        assert first not in pool._all and not first.process.is_alive()
        assert len(pool._all) == 1
        assert pool.run(QueryJob("ASK { ?s ?p ?o }", JSON))[0] == "ok"     # the new worker answers
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
