"""How the fuzzy-merge threshold was chosen: precision and recall of "same entity" decisions
on labelled name pairs (benchmarks/data/name_pairs.tsv) at each threshold.

    python benchmarks/fuzzy_threshold.py

Uses the same test as ``kg.resolve`` (rapidfuzz ratio on resolution keys; for names of several words, also
each name part). A wrong merge (two entities made one) costs more than a missed one, so the
threshold is the lowest with precision 1.0 on this set, plus a margin of two points.
"""
from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz

from kg.resolve import _same_words
from kg.text import FUZZY_THRESHOLD, name_key

PAIRS = Path(__file__).resolve().parent / "data" / "name_pairs.tsv"


def main() -> None:
    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, same = line.split("\t")
            pairs.append((name_key(a), name_key(b), same == "1"))
    print(f"{len(pairs)} labelled pairs ({sum(s for *_, s in pairs)} same, {sum(not s for *_, s in pairs)} different)")
    print("threshold  precision  recall  wrong merges")
    for threshold in range(80, 100, 2):
        said = [(fuzz.ratio(a, b) >= threshold and (len(a.split()) < 2 or _same_words(a, b)), same)
                for a, b, same in pairs]
        tp = sum(1 for s, same in said if s and same)
        fp = sum(1 for s, same in said if s and not same)
        fn = sum(1 for s, same in said if not s and same)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 0.0
        mark = "  <- kg.text.FUZZY_THRESHOLD" if threshold == FUZZY_THRESHOLD else ""
        print(f"{threshold:9}  {p:9.3f}  {r:6.3f}  {fp:12}{mark}")


if __name__ == "__main__":
    main()
