"""A real corpus built as a user builds it: articles, seconds, peak memory, violations, articles
left out, role links dropped by kind; and, with --sample, what the extractor finds in random
articles of a real feed (off-genre text: sport, business, entertainment).

    python benchmarks/real_corpus.py CORPUS [CORPUS...] [--jobs 2] [--strict]
    python benchmarks/real_corpus.py CORPUS --sample 100 [--seed 1] [--show 30]

The corpora are not in the repository; benchmarks/data/SOURCES.md says where each one comes from
(repository, commit, licence) and how to lay it out. `kg build` runs in a process of its own; its
peak is the largest resident set of it and its workers.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from pyoxigraph import Store

SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl"}


def build(paths: list[Path], store: Path, jobs: int, strict: bool) -> dict:
    """Run `kg build`; what it printed and cost."""
    shutil.rmtree(store, ignore_errors=True)
    args = [sys.executable, "-m", "kg", "build", *map(str, paths), "--store", str(store), "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(args + (["--strict"] if strict else []), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    built = re.search(r"Built (\d+) article", done.stdout)
    violations = re.search(r"(\d+) SHACL violation", done.stderr)
    dropped_line = next((line for line in done.stderr.splitlines() if line.startswith("Dropped ")), "")
    return {"exit": done.returncode, "seconds": seconds, "peak_mb": peak,
            "built": int(built.group(1)) if built else 0,
            "violations": int(violations.group(1)) if violations else 0,
            "left_out": [line for line in done.stderr.splitlines() if "left out of the build" in line],
            "dropped": {kind: int(n.replace(",", "")) for n, kind in
                        re.findall(r"([\d,]+) (kgo:\w+ to a kgo:\w+)", dropped_line)},
            "stderr": done.stderr}


def articles_in(paths: list[Path]) -> list[Path]:
    found = []
    for p in paths:
        found += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES) if p.is_dir() else [p]
    return found


def report_build(paths: list[Path], args) -> None:
    store = Path(tempfile.mkdtemp(prefix="kg-real-")) / "store"
    r = build(paths, store, args.jobs, args.strict)
    files = len(articles_in(paths))
    print(f"`python benchmarks/real_corpus.py {' '.join(map(str, paths))} --jobs {args.jobs}"
          f"{' --strict' if args.strict else ''}`\n")
    print("| files | built | exit | seconds | peak MB | violations | left out | role links dropped |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    dropped = ", ".join(f"{n} {k}" for k, n in sorted(r["dropped"].items())) or "0"
    print(f"| {files:,} | {r['built']:,} | {r['exit']} | {r['seconds']:.1f} | {r['peak_mb']:,.0f} | "
          f"{r['violations']} | {len(r['left_out'])} | {dropped} |")
    for line in r["left_out"]:
        print(f"- {line}")
    if r["violations"]:
        print("\n" + r["stderr"][-3000:])
    shutil.rmtree(store.parent, ignore_errors=True)


SAMPLE_QUERY = """
PREFIX kgo: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind ?what ?file ?text WHERE {
  { ?x a kgo:Claim ; kgo:quantityKind ?k ; rdfs:label ?what ; kgo:evidence ?ev . BIND("claim" AS ?kind) }
  UNION
  { GRAPH ?g { ?x kgo:evidence ?ev } ?x a ?t . FILTER(STRSTARTS(STR(?x), "https://w3id.org/kg/id/event/"))
    ?x rdfs:label ?what . BIND("event" AS ?kind) }
  ?ev kgo:sentenceText ?text ; kgo:inArticle ?a . ?a kgo:sourceFile ?file .
}"""


def report_sample(paths: list[Path], args) -> None:
    """Build a random sample of the corpus and list what it found: counts by kind and, for a hand
    review, a random selection of the events and claims with their sentences."""
    everything = articles_in(paths)
    chosen = random.Random(args.seed).sample(everything, min(args.sample, len(everything)))
    work = Path(tempfile.mkdtemp(prefix="kg-sample-"))
    r = build(chosen, work / "store", args.jobs, args.strict)
    rows = [{name: str(row[name].value) for name in ("kind", "what", "file", "text")}
            for row in Store.read_only(str(work / "store")).query(SAMPLE_QUERY, use_default_graph_as_union=True)]
    found = {(row["kind"], row["what"], row["file"]): row["text"] for row in rows}
    print(f"`python benchmarks/real_corpus.py {' '.join(map(str, paths))} --sample {args.sample} "
          f"--seed {args.seed}`: {len(chosen)} articles, exit {r['exit']}\n")
    for kind in ("event", "claim"):
        items = [k for k in found if k[0] == kind]
        per_type = Counter(re.sub(r" \(.*", "", what) if kind == "event" else what.split(" ", 1)[0].rstrip(":")
                           for _, what, _ in items)
        articles = len({f for _, _, f in items})
        print(f"- {kind}s: {len(items)} in {articles} of {len(chosen)} articles; "
              f"{'by type' if kind == 'event' else 'by claimant'}: "
              + ", ".join(f"{n} {t}" for t, n in per_type.most_common(12)))
    print(f"\nA random {args.show} of them, for review by hand:\n")
    for kind, what, file in random.Random(args.seed).sample(sorted(found), min(args.show, len(found))):
        print(f"- {kind} `{what}` ({file}): “{found[(kind, what, file)][:240]}”")
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path, nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--strict", action="store_true", help="build with kg build --strict (all or nothing)")
    ap.add_argument("--sample", type=int, default=0, help="build this many random articles and list their finds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=30)
    args = ap.parse_args()
    (report_sample if args.sample else report_build)(args.corpus, args)


if __name__ == "__main__":
    main()
