"""Each example query's time on a store: rows, and the best and median of --runs runs in one
process (the store opened once, before the clock starts).

    python benchmarks/queries.py STORE                  # every query in queries/
    python benchmarks/queries.py STORE old/ships.rq ... # these files (an earlier version, say)
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg import store as kgstore

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("queries", type=Path, nargs="*", help="query files (default: queries/*.rq)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    st = kgstore.open_read(args.store)
    print("| query | rows | best s | median s |\n|---|---|---|---|")
    for path in args.queries or sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        times, rows = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            rows = kgstore.select(st, text)
            times.append(time.perf_counter() - start)
        print(f"| {path.stem} | {len(rows.rows)} | {min(times):.2f} | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()
