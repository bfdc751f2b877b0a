"""Build a folder of articles and score the graph against hand annotations.

    python benchmarks/score_gold.py ARTICLES GOLD [--explain]

e.g. the project's own unseen set: tests/data/unseen/articles tests/data/unseen/gold
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kg.pipeline import build
from kg.config import Settings
from kg.evaluate import score


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = build([args.articles], Settings(store=Path(tmp) / "store"))
        if not report.ok:
            print("\n".join(report.failures + [report.validation_text]), file=sys.stderr)
            return 1
        scores = score(Path(tmp) / "store", args.gold)
    for kind, s in scores.items():
        if args.explain:
            print(f"\n## {kind}: missed")
            print("\n".join(f"  - {m}" for m in s.missed))
            print(f"## {kind}: extra")
            print("\n".join(f"  + {e}" for e in s.extra))
    print()
    for kind, s in scores.items():
        print(f"{kind:9} {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
