"""The command line, through click's CliRunner and through a real `python -m kg` process."""
import json
import subprocess
from pathlib import Path
import sys

from click.testing import CliRunner

from kg.cli import main

from conftest import DATA, ROOT, SEEDS


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_build_query_export_stats_validate(tmp_path, good_dir):
    store = tmp_path / "s"
    result = _run("build", good_dir, "--store", store)
    assert result.exit_code == 0, result.output
    assert "Built 4 article(s)" in result.output

    result = _run("query", "SELECT ?l WHERE { ?x a kgo:Person ; rdfs:label ?l } ORDER BY ?l", "--store", store,
                  "--format", "json")
    labels = [b["l"]["value"] for b in json.loads(result.stdout_bytes)["results"]["bindings"]]
    assert "Lloyd Austin" in labels and "Yoon Suk Yeol" in labels

    result = _run("query", "troop-claims", "--store", store)
    assert result.exit_code == 0 and "10000" in result.output and "Pentagon" not in result.output.split("\n")[0]

    query_file = tmp_path / "ask.rq"
    query_file.write_text("ASK { ?c a kgo:Claim }")
    assert _run("query", query_file, "--store", store).output.strip() == "true"

    out = tmp_path / "dump.ttl"
    assert _run("export", "--store", store, "--format", "turtle", "-o", out).exit_code == 0
    assert "@prefix kgo:" in out.read_text()

    result = _run("stats", "--store", store)
    assert result.exit_code == 0 and "Article" in result.output

    result = _run("validate", "--store", store)
    assert result.exit_code == 0 and "conforms" in result.output


def test_cli_query_csv_and_construct_turtle(seeds_store):
    result = _run("query", "SELECT ?a WHERE { ?a a kgo:Article } ORDER BY ?a", "--store", seeds_store, "--format", "csv")
    assert result.stdout.splitlines()[0] == "a" and len(result.stdout.splitlines()) == 6
    result = _run("query", "CONSTRUCT { ?a a kgo:Article } WHERE { ?a a kgo:Article }", "--store", seeds_store,
                  "--format", "turtle")
    assert "kgo:Article" in result.output


def test_cli_bad_input_errors_and_exit_code(tmp_path, good_dir):
    result = _run("build", good_dir, DATA / "bad", "--store", tmp_path / "s")
    assert result.exit_code == 1
    assert "binary.txt: binary file" in result.stderr
    assert "lines.jsonl:2: not valid JSON" in result.stderr
    assert "Built 5 article(s)" in result.stdout


def test_cli_errors_for_people(tmp_path, seeds_store):
    result = _run("query", "SELEC nonsense", "--store", seeds_store)
    assert result.exit_code == 1 and "not a SPARQL query, a .rq file, or a query name" in result.stderr
    assert "timeline" in result.stderr                                 # lists the named queries
    result = _run("query", "SELECT ?x WHERE { ?x ", "--store", seeds_store)
    assert result.exit_code == 1 and "does not parse" in result.stderr
    result = _run("stats", "--store", tmp_path / "nothing")
    assert result.exit_code == 3 and "no kg store here" in result.stderr and "kg build" in result.stderr
    result = _run("build", "--store", tmp_path / "s")
    assert result.exit_code == 2                                       # usage: no PATH


def test_cli_bad_lexicon_lists_every_problem(tmp_path, good_dir):
    bad = tmp_path / "extra.toml"
    bad.write_text('[[entity]]\nlabel = "A"\ntype = "Planet"\n\n[[entity]]\ntype = "Person"\n'
                   '[[entity]]\nlabel = "B"\ntype = "Place"\nmetonym_for = "Nowhere"\n')
    result = _run("build", good_dir, "--store", tmp_path / "s", "--lexicon", bad)
    assert result.exit_code == 3
    assert "3 problem(s)" in result.stderr
    assert "entity #1 (A): type 'Planet'" in result.stderr
    assert "entity #2: 'label' is required" in result.stderr
    assert "metonym_for 'Nowhere' is not the label of a Country entry" in result.stderr


def test_cli_real_process_python_dash_m(tmp_path):
    store = tmp_path / "s"
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-m", "kg", "query", "articles-per-publisher", "--store", str(store)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0 and "Kyiv Post" in run.stdout
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(DATA / "bad" / "binary.txt"), "--store",
                          str(store)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "binary file" in run.stderr


def test_cli_add_in_a_real_process_writes_what_the_library_add_writes(tmp_path):
    """`kg add` forks its extraction before importing the pipeline (kg.cli), twice: with the
    extractor compiled in the child, then unpickled from the cache; the graph is the library's."""
    import os

    from kg import store as kgstore
    from kg.config import Settings
    from kg.pipeline import add, build

    seeds = sorted(SEEDS.glob("*.txt"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for name in ("cli", "library"):
        assert build(seeds[:2], Settings(store=tmp_path / name)).ok
    for batch in (seeds[2:4], seeds[4:]):
        run = subprocess.run([sys.executable, "-m", "kg", "add", *map(str, batch), "--store", str(tmp_path / "cli")],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=180)
        assert run.returncode == 0, run.stderr
        assert add(batch, Settings(store=tmp_path / "library")).ok
    assert any((tmp_path / "cache" / "kg").glob("extractor-*.pickle"))
    graphs = [sorted(str(q) for q in kgstore.open_read(tmp_path / name).quads_for_pattern(None, None, None, None))
              for name in ("cli", "library")]
    assert graphs[0] == graphs[1] and len(graphs[0]) > 1000


def test_cli_explain_names_sentences_rules_and_confidence(seeds_store):
    result = _run("explain", "Kim Jong Un", "--store", seeds_store)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Kim Jong Un  <https://w3id.org/kg/id/kim-jong-un>")
    assert "lexicon entry: entities.toml: Kim Jong Un" in out and "confidence 0.95" in out
    assert "“Fears grew even greater when Russian President Vladimir Putin met with North Korean leader Kim Jong-un" in out
    event = _run("explain", "kg:event/2024-10-18-meeting-yoon-suk-yeol", "--store", seeds_store).output
    assert "trigger: meeting" in event and "Read from 2 article(s)" in event
    claim = _run("explain", "claim/004_a0c74e52440efbcf/national-intelligence-service-12000-troops", "--store",
                 seeds_store).output
    assert "kgo:claimant: kg:national-intelligence-service" in claim and "by rule speech-verb" in claim
    missing = _run("explain", "Nobody At All", "--store", seeds_store)
    assert missing.exit_code == 1 and "nothing in the graph is called 'Nobody At All'" in missing.stderr


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_cli_build_killed_midway_leaves_the_old_store(tmp_path):
    """SIGKILL a real `kg build` part-way: the previous store answers as before, and the next
    build clears what the killed one left beside it."""
    import os
    import signal
    import time

    from kg import store as kgstore
    store = tmp_path / "s"
    assert subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store)],
                          capture_output=True, timeout=120).returncode == 0
    before = kgstore.dump(kgstore.open_read(store), "nquads")
    many = tmp_path / "many"
    many.mkdir()
    for i in range(120):
        for f in SEEDS.glob("*.txt"):
            (many / f"{i}-{f.name}").write_text(f.read_text())
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(many), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert kgstore.dump(kgstore.open_read(store), "nquads") == before
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.2)
    assert not any(Path(f"/proc/{w}").exists() for w in workers), "the killed build left its workers running"
    assert subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store)],
                          capture_output=True, timeout=120).returncode == 0
    assert not list(tmp_path.glob("s.new-*")) and not list(tmp_path.glob("s.old"))
