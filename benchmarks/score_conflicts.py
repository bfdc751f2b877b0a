"""Extraction scored conflict by conflict: each conflict's articles built alone and scored against
their hand annotations; the mean and the worst conflict.

    python benchmarks/score_conflicts.py tests/data/news-dev [tests/data/real/dev ...]

A folder holding `<conflict>/articles` and `<conflict>/gold` (news-dev's layout) gives one
conflict per sub-folder; a folder holding `articles/` and `gold/` directly (tests/data/real/*)
gives one conflict per file-name prefix (`houthi-mado.md` is conflict `houthi`).

The articles are built with the shipped lexicons and evidence model, which was fitted on every
annotated set of the repository: for the honest figure on those sets, fitted without the
conflict scored, run `benchmarks/loco.py`. On a set the model never saw (a set-aside), this is
the honest figure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from loco import score_with, table

from kg.training import conflicts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roots", type=Path, nargs="+")
    args = ap.parse_args()
    rows: dict[str, dict] = {}
    for root in args.roots:
        for conflict in conflicts(str(root.resolve()), Path("/")):
            with tempfile.TemporaryDirectory() as tmp:
                rows[f"{root.name}/{conflict.name}"] = score_with(conflict, None, Path(tmp))
    table(rows, f"`python benchmarks/score_conflicts.py {' '.join(map(str, args.roots))}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
