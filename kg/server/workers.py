"""SPARQL queries run in worker processes, so that one past its time limit can be stopped.

pyoxigraph cannot cancel a query in-process (its Python API has no timeout), so a query
that runs too long would hold a thread, and the CPU, forever. Each worker process keeps the
store open read-only; a worker whose query overruns is killed and replaced, and the server
goes on answering others. A worker reopens the store when a build has swapped in a new one.
"""
from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import sys
import itertools
import math
import threading
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


# a spare worker (started while workers were held by slow queries) ends after this long idle
SPARE_IDLE = 20.0
# A query waiting for a worker looks this often (the first time, after this long) whether a spare
# may be started for it: only while workers are held by slow queries (past SLOW_AFTER), one spare
# for each. Workers merely taking turns at ordinary queries get no spares: on 2 cores more
# processes add no CPU, and six workers' separate caches cost each query of the example mix
# 219-275 ms of CPU against 166-167 with two (8 clients sending the example queries for 20 s,
# the server's CPU per answer; benchmarks/RESULTS.md).
SPARE_AFTER = 0.1
# A query still running after this long gives up the CPU to the quick ones: its worker's
# priority is lowered (on 2 cores, four clients' runaway queries had made 21 quick ones in
# 3,600 run past the limit), and the worker is replaced once it answers, since a process may
# not raise its priority again (unless the system allows it: see _restore_priority).
SLOW_AFTER = 1.0
# how fast a client's use of the workers is forgotten, and the share of a worker above which a
# client gets no spare worker (see WorkerPool)
USAGE_HALF_LIFE = 30.0
HEAVY_SHARE = 0.5
# A busy client's query waits behind the others' for at most this share of the time limit, then
# takes its turn in arrival order: the others go first, but its quick queries are still answered
# (in a 10-minute soak, 8 of 342 quick queries of clients sending runaways had waited out the limit)
AGED_AFTER = 0.5
# A worker holding more than this (resident) after a query is replaced: on the 10k store a worker
# settles at ~130 MB (the store's caches), but one query's big joins can leave it holding far
# more, which the allocator need not give back.
MAX_WORKER_MB = 512


class QueryJob(NamedTuple):
    """A query for a worker; it crosses the pipe as a plain tuple (unpickling the class by name
    was a seventh of a worker's busy samples, by py-spy, on one-row lookups)."""
    sparql: str
    accept: tuple[str, ...]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None


# Windows' event loop cannot watch a pipe (add_reader): there, every query waits in a thread
_LOOP_READS_PIPES = sys.platform != "win32"


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


def error_reply(exc) -> tuple[str, str, str]:
    """A worker's reply for a query kg refused or could not answer (a ``KgError``)."""
    return ("error", str(exc) + (f"; {exc.hint}" if exc.hint else ""), type(exc).__name__)


def _worker_main(store_path: str, conn, max_result_bytes: int | None = None) -> None:
    """A worker's loop: answer jobs until the connection closes."""
    from kg import store as kgstore
    from kg.errors import KgError

    # the store is opened before the first query comes, so that a new worker (at start, a spare,
    # a replacement) answers its first as quickly as the rest; a store that cannot be opened now
    # is opened (or its error reported) at the first query
    opened = identity = None
    with contextlib.suppress(KgError, OSError):
        identity = kgstore.store_identity(store_path)
        opened = kgstore.open_read(store_path)
    while True:
        try:
            job = QueryJob(*conn.recv())
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
            conn.send(error_reply(exc))
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


_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 0.0


def _open_statm(pid: int) -> int | None:
    """The process's /proc statm, kept open: re-read after every query, it costs a pread, not
    an open (None where there is no /proc)."""
    try:
        return os.open(f"/proc/{pid}/statm", os.O_RDONLY)
    except OSError:
        return None


def _resident_mb(statm: int | None) -> float:
    """A process's resident memory (0 where /proc is not there to tell)."""
    if statm is None:
        return 0.0
    try:
        return int(os.pread(statm, 128, 0).split()[1]) * _PAGE_MB
    except (OSError, ValueError, IndexError):
        return 0.0


def _restore_priority(pid: int) -> bool:
    """Give a slow query's worker its priority back, where the system lets a process raise it
    (root, or an RLIMIT_NICE that allows it): kept, the worker keeps its warm caches (the example
    queries' mix, most of them past SLOW_AFTER under load: 0.87x of Oxigraph's own server with the
    workers replaced, 0.95x with them kept, one run each on the 10k store)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 0)
        return os.getpriority(os.PRIO_PROCESS, pid) == 0
    except (AttributeError, OSError):
        return False


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
        self._statm = _open_statm(self.process.pid)

    def resident_mb(self) -> float:
        return _resident_mb(self._statm)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
        if self._statm is not None:
            os.close(self._statm)
            self._statm = None


@dataclass(eq=False)
class _Waiter:
    client: str
    seq: int
    loop: asyncio.AbstractEventLoop | None = None       # a query awaited on this event loop
    since: float = field(default_factory=time.monotonic)
    worker: _Worker | None = None

    def __post_init__(self) -> None:
        self.ready = threading.Event() if self.loop is None else asyncio.Event()

    def wake(self) -> None:
        """Called by whichever thread hands the worker over."""
        if self.loop is None:
            self.ready.set()
        else:
            self.loop.call_soon_threadsafe(self.ready.set)


# what _taking asks its driver to do: start a spare worker and send it back
_START = object()


class WorkerPool:
    """``size`` query workers, and up to ``spare`` more while workers are held by slow queries (past
    SLOW_AFTER), one for each held worker, started for a query that has waited SPARE_AFTER or
    more for a worker: so that a few clients' runaway queries (each holding a worker until its
    time limit) do not starve the others' quick ones; a spare worker ends when it is idle again. ``run`` blocks the calling
    thread until an answer, the time limit, or no worker freeing up within the time limit.

    Queries waiting for a worker are served first come, first served, except that a busy client's
    wait behind the others': one that lately kept more than HEAVY_SHARE of a worker busy (its
    worker-seconds, decaying with a half-life of USAGE_HALF_LIFE). A busy client is not given a
    spare worker either. So a client sending one runaway query after another gets what the others
    leave, and quick queries from the rest stay quick. (Ordering every client by its share
    starved the less light of the fair clients: 12 of their quick queries in 3 minutes of the
    soak ran out of time, none first come, first served.)"""

    def __init__(self, store_path: str | Path, *, size: int = 2, timeout: float = 30.0,
                 max_result_bytes: int | None = None, spare: int = 4,
                 usage_half_life: float = USAGE_HALF_LIFE, max_worker_mb: float = MAX_WORKER_MB) -> None:
        self.store_path = str(store_path)
        self.max_worker_mb = max_worker_mb
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.size = size
        self.spare = spare
        self._closed = threading.Event()
        self._ctx = _context()
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._waiting: list[_Waiter] = []
        self._arrivals = itertools.count()
        self._usage: dict[str, tuple[float, float]] = {}     # client -> (worker-seconds, as of)
        self._running: dict[_Worker, float] = {}             # worker -> when its query was sent
        self._half_life = usage_half_life
        self.started = 0                    # worker processes started, replacements and spares included
        for _ in range(size):
            self._give_back(self._new())
        threading.Thread(target=self._reap, daemon=True).start()

    def _new(self, replacing: _Worker | None = None) -> _Worker:
        w = _Worker(self._ctx, self.store_path, self.max_result_bytes)
        with self._lock:
            self._all.discard(replacing)
            self._all.add(w)
            self.started += 1
        return w

    def _used(self, client: str, now: float) -> float:
        """``client``'s worker-seconds, decayed to ``now``."""
        used, since = self._usage.get(client, (0.0, now))
        return used * 0.5 ** ((now - since) / self._half_life)

    def share(self, client: str, now: float | None = None) -> float:
        """How many workers ``client`` has kept busy lately, on average."""
        now = time.monotonic() if now is None else now
        return self._used(client, now) * math.log(2) / self._half_life

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            self._usage[client] = (self._used(client, now) + seconds, now)

    def _taking(self, deadline: float, client: str, before_waiting: Callable[[], None] | None,
                loop: asyncio.AbstractEventLoop | None) -> Generator:
        """The steps of taking a worker, for a thread (``_take``) or an event loop (``_take_async``):
        yields a (waiter, seconds) to wait for a handover, or _START for a spare worker to be
        started and sent back; returns the worker."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            may_grow = self.share(client) < HEAVY_SHARE
            waiter = _Waiter(client, next(self._arrivals), loop)
            self._waiting.append(waiter)
        yield waiter, max(0.0, min(SPARE_AFTER, deadline - time.monotonic()))
        with self._lock:
            if waiter.worker is not None:
                return waiter.worker
        if before_waiting is not None:
            try:
                before_waiting()
            except BaseException:
                self._abandon(waiter)
                raise
        while may_grow and time.monotonic() < deadline:
            with self._lock:
                if waiter.worker is not None:
                    return waiter.worker
                grow = len(self._all) < self.size + self.spare and self._unheld() < self.size
                if grow:
                    self._waiting.remove(waiter)
            if grow:
                return (yield _START)
            yield waiter, max(0.0, min(SPARE_AFTER, deadline - time.monotonic()))
        yield waiter, max(0.0, deadline - time.monotonic())
        with self._lock:
            if waiter.worker is not None:           # handed over, perhaps just as time ran out
                return waiter.worker
            self._waiting.remove(waiter)
        raise PoolBusy(f"all query workers stayed busy for {self.timeout:g} s")

    def _unheld(self) -> int:
        """Workers not held by a slow query (one running past SLOW_AFTER); under the lock."""
        now = time.monotonic()
        return len(self._all) - sum(1 for sent in self._running.values() if now - sent >= SLOW_AFTER)

    def _take(self, deadline: float, client: str, before_waiting: Callable[[], None] | None) -> _Worker:
        steps = self._taking(deadline, client, before_waiting, None)
        try:
            step = next(steps)
            while True:
                if step is _START:
                    step = steps.send(self._new())
                else:
                    waiter, seconds = step
                    waiter.ready.wait(seconds)
                    step = next(steps)
        except StopIteration as taken:
            return taken.value

    async def _take_async(self, deadline: float, client: str, before_waiting: Callable[[], None] | None,
                          in_thread: Callable[..., Awaitable]) -> _Worker:
        steps = self._taking(deadline, client, before_waiting, asyncio.get_running_loop())
        try:
            step = next(steps)
            while True:
                if step is _START:
                    step = steps.send(await in_thread(self._new))      # a process start: not on the loop
                else:
                    waiter, seconds = step
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(waiter.ready.wait(), seconds)
                    step = next(steps)
        except StopIteration as taken:
            return taken.value
        except asyncio.CancelledError:      # the request was cancelled while waiting: no waiter left behind
            if isinstance(step, tuple):
                self._abandon(step[0])
            raise

    def _abandon(self, waiter: _Waiter) -> None:
        """A waiter that no longer waits: out of the queue, and a worker handed to it given back."""
        with self._lock:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            worker, waiter.worker = waiter.worker, None
        if worker is not None:
            self._give_back(worker)

    def _give_back(self, worker: _Worker) -> None:
        """To the first waiting query, busy clients' queries after the others', or idle."""
        now = time.monotonic()
        with self._lock:
            worker.idle_since = now
            if not self._waiting:
                self._idle.append(worker)
                return
            aged = now - self.timeout * AGED_AFTER
            waiter = min(self._waiting, key=lambda w: (w.since > aged and self.share(w.client, now) > HEAVY_SHARE,
                                                       w.seq))
            self._waiting.remove(waiter)
            waiter.worker = worker
        waiter.wake()

    def _reap(self) -> None:
        """End the spare workers idle for SPARE_IDLE seconds (a spare started for each query
        under steady load would cost a process start each time), and forget idle clients."""
        while not self._closed.wait(1.0):
            now = time.monotonic()
            with self._lock:
                surplus = len(self._all) - self.size
                stale = [w for w in self._idle if now - w.idle_since > SPARE_IDLE][:max(0, surplus)]
                for w in stale:
                    self._idle.remove(w)
                    self._all.discard(w)
                # forget the clients whose use has decayed to nothing (an endpoint sees many)
                for client in [c for c in self._usage if self._used(c, now) < 0.01]:
                    del self._usage[client]
            for w in stale:
                w.kill()

    def run(self, job: QueryJob, client: str = "", before_waiting: Callable[[], None] | None = None) -> tuple:
        """The worker's reply to ``job``; the time limit counts from the call, waiting for a
        worker included, so that an answer or a refusal always comes within it.

        ``before_waiting`` is called once the query has waited SPARE_AFTER for a worker, before it
        waits longer or a worker is started for it: what it raises, the caller gets, and the query
        waits no more. (Called before any wait, the server's parse of every query that waited a
        moment for a worker had been a tenth of its process's time in a flood of lookups.)"""
        deadline = time.monotonic() + self.timeout
        worker = self._take(deadline, client, before_waiting)
        started = self._started(worker)
        reply, fast = self._ask(worker, job, deadline)
        if not self._done(worker, client, started, reply, fast):
            self._replace(worker)
        return self._reply(reply)

    async def run_async(self, job: QueryJob, client: str, before_waiting: Callable[[], None] | None,
                        in_thread: Callable[..., Awaitable]) -> tuple:
        """``run`` for an event loop: the query waits for a worker, and for its answer, on the loop,
        with no thread (the hop to a thread and back was a fifth of the server process's CPU per
        quick query: 1.35 -> 1.05 ms); ``in_thread(function, *args)`` runs what would block the loop (a process start)."""
        if not _LOOP_READS_PIPES:
            return await in_thread(self.run, job, client, before_waiting)
        deadline = time.monotonic() + self.timeout
        worker = await self._take_async(deadline, client, before_waiting, in_thread)
        started = self._started(worker)
        try:
            reply, fast = await self._ask_async(asyncio.get_running_loop(), worker, job, deadline)
        except asyncio.CancelledError:
            # the worker may still be answering: replaced (in a thread of its own, as the loop
            # must not wait for a kill), never given to the next query with a stale answer
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise
        if not self._done(worker, client, started, reply, fast):
            await in_thread(self._replace, worker)      # a kill and a start: not on the loop
        return self._reply(reply)

    def _started(self, worker: _Worker) -> float:
        now = time.monotonic()
        with self._lock:
            self._running[worker] = now
        return now

    def _done(self, worker: _Worker, client: str, started: float, reply: tuple | str, fast: bool) -> bool:
        """Charge the client and give the worker back; False if it must be replaced instead."""
        with self._lock:
            self._running.pop(worker, None)
        # charged before the worker goes to the next query, which the charge may put back
        self._charge(client, time.monotonic() - started)
        answered = not isinstance(reply, str)
        if answered and (fast or _restore_priority(worker.process.pid)) \
                and worker.resident_mb() <= self.max_worker_mb:
            self._give_back(worker)
            return True
        # stopped, dead, holding too much memory, or slow with a priority it cannot have back:
        # replaced, and the others go on serving
        return False

    @staticmethod
    def _reply(reply: tuple | str) -> tuple:
        if isinstance(reply, str):
            raise QueryTimeout(reply)
        return reply

    async def _ask_async(self, loop, worker: _Worker, job: QueryJob, deadline: float
                         ) -> tuple[tuple | str, bool]:
        """``_ask``, awaiting the worker's pipe on the loop."""
        answered = loop.create_future()

        def settle(value: bool) -> None:
            if not answered.done():
                answered.set_result(value)

        fd = worker.conn.fileno()
        try:
            worker.conn.send(tuple(job))
            loop.add_reader(fd, settle, True)
        except (EOFError, OSError):
            return "the query's worker process stopped unexpectedly; try again", False
        timer = loop.call_later(max(0.0, min(SLOW_AFTER, deadline - time.monotonic())), settle, False)
        try:
            fast = await answered
            if not fast:
                _lower_priority(worker.process.pid)
                answered = loop.create_future()
                timer = loop.call_later(max(0.0, deadline - time.monotonic()), settle, False)
                if not await answered:
                    return f"the query ran past the {self.timeout:g} s time limit and was stopped", False
            # the worker writes its whole answer at once: reading it is a copy, not a wait. uvloop
            # made the pipe non-blocking when it watched it; a long answer must be read whole
            loop.remove_reader(fd)
            os.set_blocking(fd, True)
            return worker.conn.recv(), fast
        except (EOFError, OSError):
            return "the query's worker process stopped unexpectedly; try again", False
        finally:
            timer.cancel()
            loop.remove_reader(fd)

    def _ask(self, worker: _Worker, job: QueryJob, deadline: float) -> tuple[tuple | str, bool]:
        """The reply (or why there is none) and whether it came before SLOW_AFTER."""
        try:
            worker.conn.send(tuple(job))
            if worker.conn.poll(max(0.0, min(SLOW_AFTER, deadline - time.monotonic()))):
                return worker.conn.recv(), True
            _lower_priority(worker.process.pid)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                return worker.conn.recv(), False
        except (EOFError, OSError):
            return "the query's worker process stopped unexpectedly; try again", False
        return f"the query ran past the {self.timeout:g} s time limit and was stopped", False

    def _replace(self, worker: _Worker) -> None:
        # the worker stays counted until its replacement is there, so that a waiting query does
        # not start a spare in its place meanwhile
        with self._lock:
            self._running.pop(worker, None)
        worker.kill()
        with self._lock:
            # a worker short, or a query waiting that a spare could take
            short = len(self._all) <= self.size or (bool(self._waiting) and len(self._all) <= self.size + self.spare)
            if not short:
                self._all.discard(worker)
        if short:
            self._give_back(self._new(replacing=worker))

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()
