"""Why entity descriptions live once, in a shared graph: the same union query on N synthetic
articles, with kg's layout and with every article graph repeating the descriptions.

    python benchmarks/union_scale.py [--articles 2000]

Oxigraph's union-default-graph mode yields a triple once per graph that holds it, so
repeated descriptions multiply the work of every query that joins through entities.
(Validation is skipped here: the point is the store's layout, not the build.)
"""
from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from kg import store as kgstore
from kg.errors import InputError
from kg.extract import Extractor
from kg.ingest import read_paths
from kg.lexicon import load
from kg.rdf import Iris, article_quads, entity_quads
from kg.resolve import resolve
from kg.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
QUERY = (data_dir("queries") / "troop-claims.rq").read_text()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    args = ap.parse_args()
    seeds = [a for a in read_paths([ROOT / "seeds"]) if not isinstance(a, InputError)]
    extractor = Extractor(load(data_dir("lexicons")))
    base = [extractor.run(a) for a in seeds]
    results = [dataclasses.replace(r, article=dataclasses.replace(r.article, id=f"{r.article.id}-{i}"))
               for i in range(args.articles // len(base) + 1) for r in base][: args.articles]
    entities, alias = resolve(results)
    iris = Iris()
    shared = list(entity_quads(entities.values(), iris))
    per_article = [list(article_quads(r, alias, entities, iris)) for r in results]
    layouts = {
        "kg layout (descriptions once)": shared + [q for qs in per_article for q in qs],
        "repeated in each article graph": [q for r, qs in zip(results, per_article) for q in qs] + [
            (s, p, o, iris.article(r.article.id)) for r in results for s, p, o, _ in shared
            if any(m.key == alias.get(m.key, m.key) and iris.entity(m.key) == s for _, m in r.mentions)],
    }
    print(f"{len(results)} articles")
    with tempfile.TemporaryDirectory() as tmp:
        for name, quads in layouts.items():
            path = Path(tmp) / name.split()[0]
            kgstore.new_store(path, quads)
            st = kgstore.open_read(path)
            t0 = time.perf_counter()
            rows = kgstore.run_query(st, QUERY, "rows").rows
            elapsed = time.perf_counter() - t0
            print(f"{name:34} {len(st):>10,} quads   troop-claims: {len(rows):>6,} rows in {elapsed:6.2f} s")


if __name__ == "__main__":
    main()
