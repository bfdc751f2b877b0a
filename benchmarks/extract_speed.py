"""Extractor speed on one core: articles per second and words per second.

    python benchmarks/extract_speed.py [--rounds 20]

Reads the seeds and the test articles, then extracts them ``rounds`` times in this process
(one core; lexicons compiled once, as a build does) and prints the figures.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from kg.errors import InputError
from kg.extract import Extractor
from kg.ingest import read_paths
from kg.lexicon import load
from kg.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})     # one core
    articles = [a for a in read_paths([ROOT / "seeds", ROOT / "tests/data/unseen/articles",
                                       ROOT / "tests/data/heldout/articles"]) if not isinstance(a, InputError)]
    words = sum(len(a.text.split()) for a in articles)
    t0 = time.perf_counter()
    extractor = Extractor(load(data_dir("lexicons")))
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for a in articles:
            extractor.run(a)
    elapsed = time.perf_counter() - t0
    n = len(articles) * args.rounds
    print(f"lexicons compiled in {compile_s:.2f} s")
    print(f"{n} articles ({words * args.rounds:,} words) in {elapsed:.2f} s on one core")
    print(f"{n / elapsed:.1f} articles/s, {words * args.rounds / elapsed:,.0f} words/s")


if __name__ == "__main__":
    main()
