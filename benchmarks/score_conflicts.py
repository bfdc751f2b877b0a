"""Extraction scored conflict by conflict: each conflict's articles built alone and scored against
their hand annotations; the mean and the worst conflict.

    python benchmarks/score_conflicts.py tests/data/news-dev [tests/data/real/dev ...]

A folder holding `<conflict>/articles` and `<conflict>/gold` (news-dev's layout) gives one
conflict per sub-folder; a folder holding `articles/` and `gold/` directly (tests/data/real/*)
gives one conflict per file-name prefix (`houthi-mado.md` is conflict `houthi`).

kg's extractor learns nothing from these sets (its rules and lexicons are data files), so scoring a
conflict alone is its leave-one-conflict-out figure as long as no rule was tuned on that conflict:
the sets' READMEs say which were looked at.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from kg.config import Settings
from kg.evaluate import score
from kg.pipeline import build

KINDS = ("entities", "claims", "events")


def conflicts(root: Path) -> dict[str, tuple[list[Path], list[Path]]]:
    """conflict -> (articles, gold files)."""
    if (root / "articles").is_dir():
        found: dict[str, tuple[list[Path], list[Path]]] = {}
        for article in sorted((root / "articles").iterdir()):
            gold = root / "gold" / (article.stem + ".toml")
            if gold.exists():
                articles, golds = found.setdefault(article.name.split("-")[0], ([], []))
                articles.append(article)
                golds.append(gold)
        return found
    return {d.name: (sorted((d / "articles").iterdir()), sorted((d / "gold").glob("*.toml")))
            for d in sorted(root.iterdir()) if (d / "articles").is_dir()}


def score_conflict(articles: list[Path], golds: list[Path], work: Path) -> dict:
    gold = work / "gold"
    gold.mkdir()
    for g in golds:
        shutil.copy(g, gold / g.name)
    report = build(articles, Settings(store=work / "store"))
    if not report.ok:
        raise SystemExit("\n".join(report.failures + report.left_out + [report.validation_text]))
    return score(work / "store", gold)


def f1(s) -> float | None:
    """F1, or None where there was nothing to find and nothing was found (no score, not 0)."""
    return None if s.gold == 0 and s.found == 0 else s.f1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roots", type=Path, nargs="+")
    args = ap.parse_args()
    rows: dict[str, dict] = {}
    for root in args.roots:
        for name, (articles, golds) in conflicts(root).items():
            with tempfile.TemporaryDirectory() as tmp:
                rows[f"{root.name}/{name}"] = score_conflict(articles, golds, Path(tmp))
    print(f"`python benchmarks/score_conflicts.py {' '.join(map(str, args.roots))}`\n")
    print("| conflict | " + " | ".join(KINDS) + " |\n|---|" + "---:|" * len(KINDS))
    for name, scores in rows.items():
        print(f"| {name} | " + " | ".join("–" if f1(scores[k]) is None else f"{f1(scores[k]):.2f}" for k in KINDS)
              + " |")
    means = {k: statistics.mean(f1(s[k]) for s in rows.values() if f1(s[k]) is not None) for k in KINDS}
    worst = {k: min((n for n in rows if f1(rows[n][k]) is not None), key=lambda n: f1(rows[n][k])) for k in KINDS}
    print("| **mean** | " + " | ".join(f"**{means[k]:.2f}**" for k in KINDS) + " |")
    print("| worst | " + " | ".join(f"{f1(rows[worst[k]][k]):.2f} ({worst[k].split('/')[-1]})" for k in KINDS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
