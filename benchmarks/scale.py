"""Scale figures: build time and peak memory, kg add latency, and each example query's time,
on a synthetic corpus of N articles (benchmarks/corpus.py), or on real text (--real FOLDER: its
articles copied in turn to reach N).

    python benchmarks/scale.py --articles 1000 10000 [--jobs 2] [--real FOLDER] [--out benchmarks/RESULTS.md]

Every measured command runs in a process of its own (the peak RSS is that process's), the way a
user runs it. Prints a Markdown table, and appends it with the machine's description to --out.
"""
from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUERY_TIMEOUT = 60.0


def _run(args: list[str], timeout: float | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, peak RSS (MB) of the child, and its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024, done


def _peak_rss_of(args: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Like _run, but the peak of this one child alone (RUSAGE_CHILDREN keeps the maximum of all)."""
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys, time\n"
               "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "s = time.perf_counter() - t\n"
               "print(f'{s} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n"
               "sys.stderr.write(r.stdout + r.stderr); sys.exit(r.returncode)", *args]
    done = subprocess.run(wrapper, capture_output=True, text=True)
    seconds, kb = done.stdout.split()[-2:] if done.stdout.strip() else ("nan", "0")
    return float(seconds), int(kb) // 1024, done


def real_copies(source: Path, out: Path, n: int) -> None:
    """N articles of real text: the files of ``source`` copied in turn, each copy under a name of
    its own (a new article id), 1,000 to a folder."""
    files = sorted(f for f in source.rglob("*") if f.suffix in (".txt", ".md", ".html", ".jsonl"))
    if not files:
        raise SystemExit(f"{source}: no articles (.txt, .md, .html, .jsonl) to copy")
    for i in range(n):
        folder = out / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files[i % len(files)], folder / f"{i:06d}-{files[i % len(files)].name}")


def measure(n: int, work: Path, jobs: int, real: Path | None = None) -> dict:
    corpus = work / (f"real-{n}" if real else f"corpus-{n}")
    if not corpus.exists():
        real_copies(real, corpus, n) if real else generate(corpus, n)
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    kg = [sys.executable, "-m", "kg"]
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    seconds, peak, done = _peak_rss_of([*kg, "build", str(corpus), "--store", str(store), *jobs_args])
    row = {"articles": n, "build_s": seconds, "build_rss_mb": peak, "ok": done.returncode == 0,
           "build_tail": done.stderr.strip().splitlines()[-1:] if done.stderr else []}
    extra = work / f"extra-{n}"
    shutil.rmtree(extra, ignore_errors=True)
    generate(extra, 4, seed=n + 7)
    adds = []
    for path in sorted(extra.rglob("*.txt")):
        # an article of its own id: rename so it is new to the store
        fresh = path.with_name(f"added-{path.name}")
        path.rename(fresh)
        s, _, _ = _run([*kg, "add", str(fresh), "--store", str(store)])
        adds.append(s)
    # the first add of a new checkout or kg version compiles the cached extractor and shapes
    # (~2 s): not what an analyst's every add costs
    row["add_s"] = statistics.median(adds[1:])
    row["queries"] = {}
    for q in sorted((ROOT / "queries").glob("*.rq")):
        times = []
        for _ in range(3):
            try:
                s, _, done = _run([sys.executable, "-c", _QUERY, str(store), str(q)], timeout=QUERY_TIMEOUT)
                times.append(float(done.stdout.strip() or "nan"))
            except subprocess.TimeoutExpired:
                times.append(float("inf"))
                break
        row["queries"][q.stem] = statistics.median(times)
    # the analyst views' queries as the pages send them (benchmarks/views.py: median of 3)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "views.py"), str(store)],
                          capture_output=True, text=True, timeout=QUERY_TIMEOUT * 20)
    for line in done.stdout.splitlines():
        if line.startswith("| view: "):
            name, seconds = (cell.strip() for cell in line.strip("|").split("|")[:2])
            row["queries"][name] = float(seconds)
    return row


# the query's own time, in a fresh process (store opening excluded)
_QUERY = """
import sys, time
from kg import store as kgstore
st = kgstore.open_read(sys.argv[1])
q = open(sys.argv[2]).read()
t = time.perf_counter()
rows = kgstore.select(st, q)
print(time.perf_counter() - t)
"""


def table(rows: list[dict]) -> str:
    out = ["| articles | build s | articles/s | peak RSS MB | kg add s (median of 3) | slowest query s |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        slowest = max(r["queries"].items(), key=lambda kv: kv[1])
        out.append(f"| {r['articles']:,} | {r['build_s']:.1f} | {r['articles'] / r['build_s']:.0f} | "
                   f"{r['build_rss_mb']:,} | {r['add_s']:.2f} | {slowest[1]:.2f} ({slowest[0]}) |")
    out += ["", "| query | " + " | ".join(f"{r['articles']:,} articles, s" for r in rows) + " |",
            "|---|" + "---|" * len(rows)]
    for name in sorted(rows[0]["queries"]):
        out.append(f"| {name} | " + " | ".join(f"{r['queries'][name]:.3f}" for r in rows) + " |")
    return "\n".join(out)


def calibration() -> str:
    """How fast this machine is at what a build does most, so that tables from different machines
    can be compared: a pure-Python loop, and RocksDB point lookups through pyoxigraph (this
    workplace's machines have differed by 2-3x on the second)."""
    import pyoxigraph as ox

    started = time.perf_counter()
    sum(range(30_000_000))
    python_s = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="kg-calibration-"))
    try:
        store = ox.Store(str(folder))
        p = ox.NamedNode("http://example.org/p")
        nodes = [ox.NamedNode(f"http://example.org/n{i}") for i in range(200_000)]
        store.bulk_extend(ox.Quad(n, p, ox.Literal(str(i)), ox.DefaultGraph()) for i, n in enumerate(nodes))
        store.flush()
        probes = nodes[::20]
        started = time.perf_counter()
        for n in probes:
            next(store.quads_for_pattern(n, p, None, None), None)
        lookup_us = (time.perf_counter() - started) / len(probes) * 1e6
        del store
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return (f"Machine speed: `sum(range(30_000_000))` {python_s:.2f} s; a pyoxigraph point lookup "
            f"(200,000-quad on-disk store) {lookup_us:.0f} us.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[1000])
    ap.add_argument("--jobs", type=int, default=None, help="kg build --jobs (default: kg's own default)")
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and stores (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=None, help="append the table to this Markdown file")
    ap.add_argument("--endpoint", type=int, default=None, metavar="N",
                    help="after the builds, run benchmarks/endpoint.py on the N-article store")
    ap.add_argument("--real", type=Path, default=None, metavar="FOLDER",
                    help="real text: the articles of FOLDER copied in turn to make each size "
                         "(benchmarks/data/SOURCES.md), instead of the synthetic corpus of corpus.py")
    args = ap.parse_args()
    # an installed kg has its bytecode (pip compiles it at install); a checkout in an environment
    # that sets PYTHONDONTWRITEBYTECODE (as this machine's does) would compile every module again
    # at each command: 0.1 s of a kg add
    compileall.compile_dir(ROOT / "kg", quiet=1)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    rows = []
    for n in args.articles:
        row = measure(n, work, args.jobs, args.real)
        if not row["ok"]:
            print(f"build of {n} failed: {row['build_tail']}", file=sys.stderr)
        rows.append(row)
    text = calibration() + "\n\n" + table(rows)
    if args.endpoint:
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "endpoint.py"),
                               str(work / f"store-{args.endpoint}")], capture_output=True, text=True)
        text += "\n" + (done.stdout if done.returncode == 0 else f"endpoint.py failed: {done.stderr[-500:]}")
    print(text)
    if args.out:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        with args.out.open("a", encoding="utf-8") as f:
            f.write(f"\n## {time.strftime('%Y-%m-%d')} — {machine}, --jobs {args.jobs}\n\n"
                    f"`python benchmarks/scale.py --articles {' '.join(map(str, args.articles))} --jobs {args.jobs}"
                    f"{f' --real {args.real}' if args.real else ''}`\n\n"
                    f"{text}\n")


if __name__ == "__main__":
    main()
