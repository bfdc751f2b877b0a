"""How long each example query of queries/ and each analyst view's query takes on a store
(median of 3); the views' as the pages send them: the network of the store's most mentioned
actor, the claims of its most claimed kind.

    python benchmarks/views.py STORE
"""
from __future__ import annotations

import argparse
import statistics
import time

from kg import store as kgstore
from kg.queries import view_query
from kg.resources import data_dir, view_queries_dir
from kg.terms import literal, n3

FOCUS_IN_FILE = "https://w3id.org/kg/id/kim-jong-un"


def _timed(store, text: str) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(3):
        start = time.perf_counter()
        rows = len(kgstore.select(store, text).rows)
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    args = ap.parse_args()
    store = kgstore.open_read(args.store)
    hub = kgstore.select(store, """SELECT ?e WHERE { ?e a ?c ; kgo:articleCount ?n .
        VALUES ?c { kgo:Person kgo:Organization kgo:Country } } ORDER BY DESC(?n) LIMIT 1""").rows
    kind = kgstore.select(store, view_query("claim-kinds")).rows
    replacements = {"network": {FOCUS_IN_FILE: hub[0][0][1]} if hub else {},
                    "claims": {'"troops"': n3(literal(kind[0][0][1]))} if kind else {}}
    print(f"| query | median s | rows |  ({args.store})")
    print("|---|---:|---:|")
    for path in sorted(data_dir("queries").glob("*.rq")):
        seconds, rows = _timed(store, path.read_text())
        print(f"| {path.stem} | {seconds:.3f} | {rows} |", flush=True)
    for path in sorted(view_queries_dir().glob("*.rq")):
        seconds, rows = _timed(store, view_query(path.stem, replacements.get(path.stem)))
        print(f"| view: {path.stem} | {seconds:.3f} | {rows} |", flush=True)


if __name__ == "__main__":
    main()
