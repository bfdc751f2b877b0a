"""The build process's memory over a `kg build`, by stage: where the peak is, not only how high.

    python benchmarks/build_memory.py CORPUS STORE [--every 0.5]

Samples the resident memory of the `kg build` process, and of the largest of its child processes
(extraction, writing and checking workers), from /proc; prints them at each stage change of the
build's progress lines and every 10 s, then each one's peak and the stage it came in.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path


def _resident_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20
    except OSError:
        return None


def _largest_child_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            pids = [int(p) for p in children.read().split()]
    except OSError:
        return 0.0
    return max((_resident_mb(p) or 0.0 for p in pids), default=0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args = ap.parse_args()
    shutil.rmtree(args.store, ignore_errors=True)
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(args.corpus), "--store", str(args.store)],
                             stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    stage = ["starting"]

    def follow() -> None:
        for line in build.stderr:
            stage[0] = line.strip()

    threading.Thread(target=follow, daemon=True).start()
    started = time.time()
    samples: list[tuple[float, float, float, str]] = []
    while build.poll() is None:
        rss = _resident_mb(build.pid)
        if rss is not None:
            samples.append((time.time() - started, rss, _largest_child_mb(build.pid), stage[0]))
        time.sleep(args.every)
    print(f"\n`python benchmarks/build_memory.py {args.corpus} {args.store}` (exit code {build.returncode})\n")
    print("| s | build MB | largest child MB | stage |\n|---:|---:|---:|---|")
    last_stage, last_time = None, -10.0
    for t, rss, child, what in samples:
        kind = what.split()[0] if what else what
        if kind != last_stage or t - last_time >= 10:
            print(f"| {t:.0f} | {rss:,.0f} | {child:,.0f} | {what} |")
            last_stage, last_time = kind, t
    if samples:
        for name, column in (("build process", 1), ("largest child", 2)):
            peak = max(samples, key=lambda s: s[column])
            print(f"\n{name}: peak {peak[column]:,.0f} MB at {peak[0]:.0f} s ({peak[3]})")
        print(f"\nthe build took {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
