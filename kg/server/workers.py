"""SPARQL queries run in worker processes, so that one past its time limit can be stopped.

pyoxigraph cannot cancel a query in-process (its Python API has no timeout), so a query
that runs too long would hold a thread, and the CPU, forever. Each worker process keeps the
store open read-only; a worker whose query overruns is killed and replaced, and the server
goes on answering others. A worker reopens the store when a build has swapped in a new one.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path


# a spare worker (started while every worker was busy) ends after this long idle
SPARE_IDLE = 20.0
# A query still running after this long gives up the CPU to the quick ones: its worker's
# priority is lowered (on 2 cores, four clients' runaway queries had made 21 quick ones in
# 3,600 run past the limit), and the worker is replaced once it answers, since a process may
# not raise its priority again.
SLOW_AFTER = 1.0


@dataclass(frozen=True)
class QueryJob:
    sparql: str
    accept: tuple[str, ...]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


def _worker_main(store_path: str, conn, max_result_bytes: int | None = None) -> None:
    """A worker's loop: answer jobs until the connection closes."""
    from kg import store as kgstore
    from kg.errors import KgError

    opened = None
    identity = None
    while True:
        try:
            job: QueryJob = conn.recv()
        except (EOFError, OSError):
            return
        try:
            now = kgstore.store_identity(store_path)
            if opened is None or now != identity:
                opened, identity = kgstore.open_read(store_path), now
            body, media = kgstore.answer(opened, job.sparql, list(job.accept),
                                         default_graphs=list(job.default_graphs),
                                         named_graphs=list(job.named_graphs), base_iri=job.base_iri,
                                         max_bytes=max_result_bytes)
            conn.send(("ok", body, media))
        except KgError as exc:
            conn.send(("error", str(exc) + (f"; {exc.hint}" if exc.hint else ""), type(exc).__name__))
        except Exception as exc:  # a worker must answer, whatever happened
            conn.send(("error", f"{type(exc).__name__}: {exc}", "QueryError"))


def _context():
    """Workers come from a fork server where there is one: it imports kg once, and each worker is a
    fork of it, so replacing a worker (after every query past the time limit or SLOW_AFTER) costs
    milliseconds rather than the half-second of CPU a fresh interpreter takes to import kg, which
    under load was taken from the quick queries. Not a plain fork: the server runs threads."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return mp.get_context("spawn")


def _lower_priority(pid: int) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 10)
    except (AttributeError, OSError):     # not on this platform, or already gone: no matter
        pass


class _Worker:
    def __init__(self, ctx, store_path: str, max_result_bytes: int | None = None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(store_path, child, max_result_bytes), daemon=True)
        self.process.start()
        child.close()
        self.idle_since = time.monotonic()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` query workers, and up to ``spare`` more while every worker is busy, so that a few
    clients' runaway queries (each holding a worker until its time limit) do not starve the
    others' quick ones; a spare worker ends when it is idle again. ``run`` blocks the calling
    thread until an answer, the time limit, or no worker freeing up within the time limit."""

    def __init__(self, store_path: str | Path, *, size: int = 2, timeout: float = 30.0,
                 max_result_bytes: int | None = None, spare: int = 4) -> None:
        self.store_path = str(store_path)
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.size = size
        self.spare = spare
        self._closed = threading.Event()
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._add()
        threading.Thread(target=self._reap, daemon=True).start()

    def _add(self) -> None:
        self._idle.put(self._new())

    def _new(self) -> _Worker:
        w = _Worker(self._ctx, self.store_path, self.max_result_bytes)
        with self._lock:
            self._all.add(w)
        return w

    def _take(self, deadline: float) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = len(self._all) < self.size + self.spare
        if grow:
            return self._new()
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise PoolBusy(f"all query workers stayed busy for {self.timeout:g} s") from None

    def _give_back(self, worker: _Worker) -> None:
        worker.idle_since = time.monotonic()
        self._idle.put(worker)

    def _reap(self) -> None:
        """End the spare workers idle for SPARE_IDLE seconds (a spare started for each query
        under steady load would cost a process start each time)."""
        while not self._closed.wait(1.0):
            with self._lock:
                surplus = len(self._all) - self.size
            if surplus <= 0:
                continue
            now = time.monotonic()
            stale = []
            with self._idle.mutex:
                for w in list(self._idle.queue):
                    if len(stale) < surplus and now - w.idle_since > SPARE_IDLE:
                        self._idle.queue.remove(w)
                        stale.append(w)
            for w in stale:
                with self._lock:
                    self._all.discard(w)
                w.kill()

    def run(self, job: QueryJob) -> tuple:
        """The worker's reply to ``job``; the time limit counts from the call, waiting for a
        worker included, so that an answer or a refusal always comes within it."""
        deadline = time.monotonic() + self.timeout
        worker = self._take(deadline)
        message = f"the query ran past the {self.timeout:g} s time limit and was stopped"
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, min(SLOW_AFTER, deadline - time.monotonic()))):
                reply = worker.conn.recv()
                self._give_back(worker)
                return reply
            _lower_priority(worker.process.pid)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                reply = worker.conn.recv()
                self._replace(worker)
                return reply
        except (EOFError, OSError):
            message = "the query's worker process stopped unexpectedly; try again"
        # too slow, or the worker died: replace it, and the others go on serving
        self._replace(worker)
        raise QueryTimeout(message)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        with self._lock:
            short = len(self._all) < self.size
        if short:
            self._add()

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()
