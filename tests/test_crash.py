"""`kg build` and `kg add` killed with SIGKILL at random moments (real processes): the store is
always the old one or the new one, opens and validates; the next run clears the leftovers."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from kg import store as kgstore
from kg.pipeline import validate_store
from kg.config import Settings

from conftest import SEEDS

KILLS = 20


def _kg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _dump(store: Path) -> bytes:
    return kgstore.dump(kgstore.open_read(store), "nquads")


def test_killed_at_random_moments_the_store_is_old_or_new(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(12):
        for f in SEEDS.glob("*.txt"):
            (corpus / f"{i}-{f.name}").write_text(f.read_text())
    extra = tmp_path / "extra.txt"
    extra.write_text("Drones were shot down near Kyiv on 3 March 2024, the Ukrainian Air Force said.\n")
    old = tmp_path / "old"
    assert subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(old)],
                          capture_output=True).returncode == 0
    # the two finished results, and how long each run takes uninterrupted
    outcomes = {}
    for kind, args in (("build", ["build", str(corpus)]), ("add", ["add", str(extra)])):
        store = tmp_path / f"whole-{kind}"
        shutil.copytree(old, store)
        started = time.perf_counter()
        assert _kg(*args, "--store", str(store)).wait(120) == 0
        outcomes[kind] = (_dump(store), time.perf_counter() - started)
    before = _dump(old)

    rng = random.Random(20261201)
    seen = {"old": 0, "new": 0}
    for n in range(KILLS):
        kind = "build" if n % 2 == 0 else "add"
        after, duration = outcomes[kind]
        store = tmp_path / "s"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(old, store)
        proc = _kg(*(["build", str(corpus)] if kind == "build" else ["add", str(extra)]), "--store", str(store))
        time.sleep(rng.uniform(0.05, duration))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        now = _dump(store)
        assert now in (before, after), f"kill {n} ({kind}): the store is neither the old one nor the new one"
        seen["old" if now == before else "new"] += 1
        assert validate_store(Settings(store=store)).conforms
    assert seen["old"] and seen["new"], seen             # the kills fell before and after the swap
    # the next run clears what the killed ones left beside the store
    assert _kg("add", str(extra), "--store", str(store)).wait(120) == 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("s.") and p.name != "s.lock"]
    assert leftovers == []
