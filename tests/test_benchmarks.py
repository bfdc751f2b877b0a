"""The benchmark scripts that time a build still run, and say what they measured."""
import re
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent


def test_build_phases_times_every_phase_of_a_real_build(tmp_path):
    store = tmp_path / "store"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/build_phases.py"), str(SEEDS), "--jobs", "1",
                           "--store", str(store)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    total = float(re.search(r"(\d+) articles, [\d,]+ quads, ([\d.]+) s", done.stdout).group(2))
    rows = {m.group(1): float(m.group(2)) for m in re.finditer(r"^\| ([^|]+?) \| ([\d.]+) \|", done.stdout, re.M)}
    for phase in ("extraction", "writing (render workers, bulk loader)", "check of the shared descriptions"):
        assert phase in rows, (phase, done.stdout)
    assert 0 < sum(rows.values()) <= total + 0.05 * len(rows)      # each row rounded to 0.1 s
    assert (store / "CURRENT").exists()          # the build it timed is a real store
