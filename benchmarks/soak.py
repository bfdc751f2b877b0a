"""Soak: `kg serve` on a (10k-article) store under mixed load for a while, while `kg add` swaps in
a new store twice. Figures, not pass/fail.

    python benchmarks/soak.py STORE [--minutes 10] [--threads 16] [--timeout 5]

Client threads, each from its own loopback address (127.0.0.x: kg bounds queries per client):
most send fast queries (label lookups, a small example query); ``--abusive`` of them send
runaway queries (past the time limit), malformed and too deeply nested queries, oversized
requests, and a fast query now and then. Prints queries answered,
failures by kind, p50/p99 of fast queries, the slowest runaway's time to its 503, the server's
memory (PSS, with its workers) at start and end, and its processes at start and end.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from endpoint import free_port, wait_until_up  # noqa: E402
from kg import store as kgstore  # noqa: E402
from kg.server.workers import SPARE_IDLE  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MALFORMED = "SELECT ?x WHERE { ?x ?y }"
NESTED = "SELECT * WHERE " + "{ " * 600 + "?s ?p ?o" + " }" * 600
ARTICLE = """---
title: Soak test article {n}
published: 2024-05-0{n}
---
Drones were shot down near Kharkiv on 3 May 2024, the Ukrainian Air Force said in soak round {n}.
"""


def _descendants(pid: int) -> list[int]:
    """The process and everything it started, at any depth (workers forked by a fork server are
    its grandchildren)."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    tree = [pid]
    for p in tree:
        tree += [c for c, pp in parent.items() if pp == p]
    return tree


def _tree_pss_mb(pid: int) -> float:
    """Memory of the server and its processes (query workers, fork server), as PSS: pages the
    workers share with the fork server they were forked from are counted once, not per process."""
    total = 0
    for p in _descendants(pid):
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def _children(pid: int) -> int:
    """Processes the server started, at any depth."""
    return len(_descendants(pid)) - 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--abusive", type=int, default=4, help="client threads that send the bad requests")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-soak-"))
    store = work / "store"
    shutil.copytree(args.store, store)
    st = kgstore.open_read(store)
    entities = [v for (_, v), in kgstore.select(st, "SELECT ?e WHERE { GRAPH ?g { ?e kgo:articleCount ?n } } LIMIT 300").rows]
    del st
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port),
                               "--timeout", str(args.timeout), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_until_up(url)
    # memory is compared warm to warm: a worker opening the 10k store takes ~80 MB of caches, once.
    # So the workers first answer the soak's fast queries for a while, two at a time (one each:
    # none runs past SLOW_AFTER, so the warmed workers are the ones kept), and the spares end, as
    # before the end figure.
    troop_claims = (ROOT / "queries" / "troop-claims.rq").read_text()
    warm = [troop_claims] * 10 + [f"SELECT ?l WHERE {{ <{e}> rdfs:label ?l }}" for e in entities[:100]]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda q: httpx.post(url, data={"query": q}, timeout=60), warm * 2))
    time.sleep(SPARE_IDLE + 5)
    rss_start, workers_start = _tree_pss_mb(server.pid), _children(server.pid)
    stop = time.time() + args.minutes * 60
    lock = threading.Lock()
    outcomes: collections.Counter = collections.Counter()
    fast_latency: list[float] = []
    fair_latency: list[float] = []
    runaway_latency: list[float] = []
    bad_without_message = [0]

    def client(i: int) -> None:
        rng = random.Random(i)
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{2 + i}")
        with httpx.Client(transport=transport, timeout=args.timeout + 30) as http:
            while time.time() < stop:
                weights = [20, 20, 20, 20, 20] if i < args.abusive else [1, 0, 0, 0, 0]
                kind = rng.choices(["fast", "runaway", "malformed", "nested", "oversized"], weights)[0]
                if kind == "fast":
                    q = (f"SELECT ?l WHERE {{ <{rng.choice(entities)}> rdfs:label ?l }}" if rng.random() < 0.7
                         else (ROOT / "queries" / "troop-claims.rq").read_text())
                    request = dict(method="POST", url=url, data={"query": q})
                elif kind == "runaway":
                    request = dict(method="GET", url=url, params={"query": RUNAWAY})
                elif kind == "malformed":
                    request = dict(method="GET", url=url, params={"query": MALFORMED})
                elif kind == "nested":
                    request = dict(method="POST", url=url, data={"query": NESTED})
                else:
                    request = dict(method="POST", url=url, content=b"x" * 2_000_000,
                                   headers={"Content-Type": "application/sparql-query"})
                t = time.perf_counter()
                try:
                    r = http.request(**request)
                    status = r.status_code
                    text = r.text
                except httpx.HTTPError as exc:
                    status, text = f"error {type(exc).__name__}", ""
                elapsed = time.perf_counter() - t
                if status == 503:     # which refusal: worker queue or time limit
                    status = "503 busy" if "busy" in text else "503 time limit" if "limit" in text else "503 other"
                elif status == 429:
                    status = "429 throttled"
                client_kind = "abusive" if i < args.abusive else "fair"
                with lock:
                    outcomes[(kind, status)] += 1
                    if kind == "fast":
                        outcomes[(f"fast from {client_kind} clients", status)] += 1
                    if kind == "fast" and status == 200:
                        fast_latency.append(elapsed)
                        if client_kind == "fair":
                            fair_latency.append(elapsed)
                    if kind == "runaway":
                        runaway_latency.append(elapsed)
                    if kind in ("malformed", "nested", "oversized") and isinstance(status, int) \
                            and 400 <= status < 500 and not text.strip():
                        bad_without_message[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.threads)]
    for t in threads:
        t.start()
    swaps = []
    for n in (1, 2):                     # kg add swaps in a new store twice, a third and two thirds in
        time.sleep(max(0.0, (stop - time.time()) / (3 - n)))
        article = work / f"soak-{n}.md"
        article.write_text(ARTICLE.format(n=n))
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg", "add", str(article), "--store", str(store)],
                              capture_output=True, text=True)
        swaps.append((done.returncode, time.perf_counter() - t))
    for t in threads:
        t.join()
    time.sleep(SPARE_IDLE + 5)          # the spare workers started under load have ended
    rss_end, workers_end = _tree_pss_mb(server.pid), _children(server.pid)
    server.terminate()
    server.wait(20)
    shutil.rmtree(work, ignore_errors=True)

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")

    total = sum(outcomes.values())
    fast_failed = sum(n for (kind, status), n in outcomes.items() if kind == "fast" and status != 200)
    print(f"\n`python benchmarks/soak.py STORE --minutes {args.minutes:g} --threads {args.threads} "
          f"--timeout {args.timeout:g} --abusive {args.abusive}`\n")
    print("| figure | value |\n|---|---|")
    print(f"| requests answered | {total:,} |")
    for (kind, status), n in sorted(outcomes.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        print(f"| {kind} → {status} | {n:,} |")
    print(f"| fast queries failed | {fast_failed} |")
    print(f"| fast queries p50 / p99 | {pct(fast_latency, .5):.1f} ms / {pct(fast_latency, .99):.1f} ms |")
    print(f"| fast queries from fair clients p50 / p99 | {pct(fair_latency, .5):.1f} ms / "
          f"{pct(fair_latency, .99):.1f} ms |")
    print(f"| slowest runaway until its answer (limit {args.timeout:g} s) | "
          f"{max(runaway_latency, default=float('nan')):.2f} s |")
    print(f"| bad requests answered 4xx without a message | {bad_without_message[0]} |")
    print(f"| kg add swaps (exit code, seconds) | {', '.join(f'{c}, {s:.1f} s' for c, s in swaps)} |")
    print(f"| server memory (PSS) with its processes, warm start → end | {rss_start:.0f} MB → {rss_end:.0f} MB |")
    print(f"| processes under the server (workers, fork server), start → end | {workers_start} → {workers_end} |")


if __name__ == "__main__":
    main()
