"""Where a build's time goes: each phase's wall time, and how busy the machine's cores were.

    python benchmarks/build_phases.py CORPUS [--jobs 2] [--store DIR]

Builds CORPUS (a folder of articles, e.g. one ``scale.py`` made) into a new store and prints
the phases in order: extraction (on ``--jobs`` processes), name resolution, writing (the
render workers and the bulk loader), then each step after the writing (the tallies' load,
the events read back, the article counts, compaction) and the check of the shared
descriptions. The steps are timed by wrapping the ``kg.store`` functions the pipeline calls,
so the build itself is the one ``kg build`` runs. The CPU column is the share of all cores the
build's processes used in that phase (from ``/proc``; ``-`` where it is not available, or the
phase lasted under a second).
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import shutil
import tempfile
import time
from pathlib import Path

from kg import pipeline, store as kgstore
from kg.config import Settings

# the kg.store functions the build calls between its progress stages
TIMED = ("load_nquads", "subjects", "write_article_counts", "compact", "swap_in")


def _cpu_seconds() -> float | None:
    """CPU time of this process and its children so far (children: once they have ended, and the
    live ones read from /proc)."""
    own = os.times()
    total = own.user + own.system + own.children_user + own.children_system
    try:
        tick = os.sysconf("SC_CLK_TCK")
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                if int(fields[1]) == os.getpid():          # a live child: its time is not in os.times yet
                    total += (int(fields[11]) + int(fields[12])) / tick
    except (OSError, ValueError):
        return None
    return total


class Timeline:
    """Points (seconds, when CPU was read, CPU seconds, the phase that ended there) as the build goes."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.points: list[tuple[float, float, float | None, str]] = [(0.0, 0.0, _cpu_seconds(), "")]
        self.extracting: tuple[float, float, float | None] | None = None     # the latest extraction progress
        self.checked = False
        self.depth = 0

    def mark(self, phase: str) -> tuple[float, float, float | None]:
        now = time.perf_counter() - self.start
        point = (now, now, _cpu_seconds())
        self.points.append((*point, phase))
        return point

    def wrap(self, module, name: str) -> None:
        inner = getattr(module, name)

        @functools.wraps(inner)
        def timed(*args, **kwargs):
            if self.depth:                  # called by another timed step: part of it
                return inner(*args, **kwargs)
            self.mark("other work")
            self.depth += 1
            try:
                return inner(*args, **kwargs)
            finally:
                self.depth -= 1
                self.mark(name)
        setattr(module, name, timed)

    def progress(self, stage: str, done: int) -> None:
        if stage == "extracted":
            now = time.perf_counter() - self.start
            if self.extracting is None:
                self.extracting = self.mark("start-up (shapes, extractor, first articles)")
            elif now - self.extracting[1] >= 0.25:    # every article reports: CPU is read a few times a second
                self.extracting = (now, now, _cpu_seconds())
            else:
                self.extracting = (now, *self.extracting[1:])
        elif stage == "validated" and not self.checked:
            self.checked = True
            self.mark("check of the shared descriptions")

    def phases(self) -> list[tuple[str, float, float | None]]:
        """(phase, seconds, share of all cores busy) in order."""
        points = list(self.points)
        if self.extracting is not None:
            points.append((*self.extracting, "extraction"))
        points.sort(key=lambda p: p[0])
        cores = os.cpu_count() or 1
        out = []
        for i, ((t0, r0, c0, before), (t1, r1, c1, phase)) in enumerate(zip(points, points[1:])):
            if phase == "other work" and before == "extraction":
                phase = "name resolution"
            if phase == "load_nquads":
                phase = "load_nquads (the tallies)" if any(p[3] == "load_nquads" for p in points[:i + 1]) \
                    else "writing (render workers, bulk loader)"
            # CPU time comes in clock ticks: over less than a second the share says little
            share = None if c0 is None or c1 is None or r1 - r0 < 1 else (c1 - c0) / (r1 - r0) / cores
            if t1 - t0 >= 0.05 or phase != "other work":
                out.append((phase, t1 - t0, share))
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--store", type=Path, default=None, help="where to build (default: a temporary folder)")
    args = ap.parse_args()
    work = None if args.store else Path(tempfile.mkdtemp(prefix="kg-phases-"))
    store = args.store or work / "store"
    timeline = Timeline()
    for name in TIMED:
        timeline.wrap(kgstore, name)
    try:
        settings = dataclasses.replace(Settings(), store=store, jobs=args.jobs)
        report = pipeline.build([args.corpus], settings, timeline.progress)
        timeline.mark("other work")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"`python benchmarks/build_phases.py {args.corpus} --jobs {args.jobs}`: "
          f"{len(report.articles):,} articles, {report.quads:,} quads, {timeline.points[-1][0]:.1f} s\n")
    print("| phase (ended by) | s | CPU (share of all cores) |\n|---|---|---|")
    for what, seconds, share in timeline.phases():
        print(f"| {what} | {seconds:.1f} | {'-' if share is None else f'{share:.0%}'} |")


if __name__ == "__main__":
    main()
