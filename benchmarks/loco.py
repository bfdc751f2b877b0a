"""Leave-one-conflict-out: the honest figure for what kg learns from annotated articles.

For every conflict of the annotated real sets, the evidence model is fitted on all the other
conflicts' articles (``kg.training``), the conflict's articles are built with that model
alone, and the graph is scored against their gold files. Prints the table, the mean and the
worst conflict.

    python benchmarks/loco.py                          # every conflict of kg.training.TRAINING_SETS
    python benchmarks/loco.py --regularisation 0.3 1 3 --threshold 0.4 0.5 0.6   # choose by the mean

The rules and lexicons are not fitted, so their part of the figure is leave-one-out only for
conflicts no rule was drawn from (the sets' READMEs say which were looked at).
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from kg.config import Settings
from kg.evaluate import score
from kg.lexicon import load
from kg.pipeline import build
from kg.training import (
    EXTERNAL_SETS,
    KIND,
    REGULARISATION,
    REPOSITORY,
    THRESHOLD,
    TRAINING_SETS,
    Conflict,
    all_conflicts,
    collect,
    external_examples,
    fit,
    to_toml,
)

KINDS = ("entities", "claims", "events")


def score_with(conflict: Conflict, model_toml: str | None, work: Path) -> dict:
    """Build the conflict's articles with ``model_toml`` as the evidence model and score them."""
    lexicons = work / "lexicons"
    shutil.copytree(REPOSITORY / "lexicons", lexicons)
    if model_toml is not None:
        (lexicons / "evidence.toml").write_text(model_toml, encoding="utf-8")
    gold = work / "gold"
    gold.mkdir()
    for g in conflict.golds:
        shutil.copy(g, gold / g.name)
    report = build(list(conflict.articles), Settings(store=work / "store", lexicons=lexicons))
    if not report.ok:
        raise SystemExit("\n".join(report.failures + report.left_out + [report.validation_text]))
    return score(work / "store", gold)


def f1(s) -> float | None:
    return None if s.gold == 0 and s.found == 0 else s.f1


def table(rows: dict[str, dict], title: str) -> dict[str, float]:
    print(f"\n{title}\n")
    print("| conflict | " + " | ".join(KINDS) + " |\n|---|" + "---:|" * len(KINDS))
    for name, scores in rows.items():
        print(f"| {name} | " + " | ".join("–" if f1(scores[k]) is None else f"{f1(scores[k]):.2f}" for k in KINDS)
              + " |")
    means = {k: statistics.mean(f1(s[k]) for s in rows.values() if f1(s[k]) is not None) for k in KINDS}
    worst = {k: min((n for n in rows if f1(rows[n][k]) is not None), key=lambda n: f1(rows[n][k])) for k in KINDS}
    print("| **mean** | " + " | ".join(f"**{means[k]:.3f}**" for k in KINDS) + " |")
    print("| worst | " + " | ".join(f"{f1(rows[worst[k]][k]):.3f} ({worst[k]})" for k in KINDS) + " |")
    return means


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=list(TRAINING_SETS))
    ap.add_argument("--external", nargs="*", default=list(EXTERNAL_SETS),
                    help="span-annotated corpora fitted on in every fold (never scored)")
    ap.add_argument("--regularisation", type=float, nargs="+", default=[REGULARISATION])
    ap.add_argument("--threshold", type=float, nargs="+", default=[THRESHOLD])
    ap.add_argument("--kind", nargs="+", default=[KIND], choices=["directed", "multinomial"])
    ap.add_argument("--shipped", action="store_true", help="also score each conflict with lexicons/evidence.toml "
                                                           "as shipped (fitted on every conflict: not held out)")
    args = ap.parse_args()
    print(f"`python benchmarks/loco.py {' '.join(sys.argv[1:])}`")
    conflicts = all_conflicts(args.sets)
    lexicons = load(REPOSITORY / "lexicons")
    examples = {c.name: collect(c, lexicons) for c in conflicts}
    external = external_examples(args.external, lexicons)
    for kind, c_value, threshold in itertools.product(args.kind, args.regularisation, args.threshold):
        rows = {}
        for conflict in conflicts:
            train = [e for name, ex in examples.items() if name != conflict.name for e in ex] + external
            with tempfile.TemporaryDirectory() as tmp:
                rows[conflict.name] = score_with(conflict, to_toml(fit(train, c_value, threshold, kind), "loco"),
                                                 Path(tmp))
        table(rows, f"Leave-one-conflict-out, {kind}, C={c_value}, threshold={threshold}")
    if args.shipped:
        rows = {}
        for conflict in conflicts:
            with tempfile.TemporaryDirectory() as tmp:
                rows[conflict.name] = score_with(conflict, None, Path(tmp))
        table(rows, "The shipped model (fitted on every conflict: not held out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
