"""Extraction time against input size, for inputs that used to be quadratic: an article on one
line, one endless sentence, and many sentences; and the endpoint's checks of a query (whether
its work is bounded, whether it calls SERVICE, how deep it nests) on long queries of the shapes
that could make a regular expression backtrack. Each doubling of the input should about double
the time.

    python benchmarks/linear_inputs.py [--sizes 100000 200000 400000 800000]
"""
from __future__ import annotations

import argparse
import time

from kg.extract import Extractor
from kg.lexicon import load
from kg.model import Article
from kg.resources import data_dir

QUERY_SHAPES = {
    "spaces": ("SELECT ?s {", " "),
    "comments": ("SELECT ?s { ?s ?p ?o ", "#x\n"),
    "variables": ("SELECT ", "?a "),
    "a dotted name": ("SELECT * { ?s ?p ex:", "a."),
    "a string of escapes": ('SELECT * { ?s ?p "', "\\a"),
    "prefixes": ("", "PREFIX a: <x> "),
}

SHAPES = {
    "many sentences": "The troops moved on. Kim Lee said 5 soldiers died in Nyala on Friday. ",
    "one sentence": "the Blue River Group and Kim Lee said 5 soldiers died in Nyala, ",
    "one word": "Abcdefghij",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000, 400_000, 800_000])
    args = ap.parse_args()
    extractor = Extractor(load(data_dir("lexicons")))
    print("| input | " + " | ".join(f"{n:,} chars" for n in args.sizes) + " |")
    print("|---|" + "---|" * len(args.sizes))
    for name, unit in SHAPES.items():
        cells = []
        for n in args.sizes:
            text = (unit * (n // len(unit) + 1))[:n]
            started = time.perf_counter()
            extractor.run(Article("a", text, "a.txt"))
            cells.append(f"{time.perf_counter() - started:.2f} s")
        print(f"| {name} | " + " | ".join(cells) + " |")
    _query_checks(args.sizes)


def _query_checks(sizes: list[int]) -> None:
    from kg.server.bounded import is_bounded
    from kg.server.sparql import nesting_depth, uses_service

    print("\n| query (the endpoint's checks) | " + " | ".join(f"{n:,} chars" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for name, (head, unit) in QUERY_SHAPES.items():
        cells = []
        for n in sizes:
            query = head + unit * (n // len(unit)) + " FILTER"
            started = time.perf_counter()
            is_bounded(query), uses_service(query), nesting_depth(query)
            cells.append(f"{(time.perf_counter() - started) * 1000:.1f} ms")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
