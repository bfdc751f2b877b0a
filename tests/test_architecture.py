"""The layering of STYLE.md §4.2, checked on the imports themselves, and what the command line imports."""
import ast
from pathlib import Path

from conftest import ROOT

LAYERS = {
    "model": 0, "errors": 0, "terms": 0, "config": 0, "vocab": 0, "resources": 0, "cache": 0,
    "ingest": 1, "text": 1, "lexicon": 1, "gazetteer": 1, "values": 1,
    "resolve": 2, "extract": 2,
    "rdf": 3, "shacl": 3, "roles": 3, "spool": 1,
    "validate": 4, "store": 4, "parallel": 4, "tally": 4,
    "pipeline": 5, "dataset": 5, "push": 5, "queries": 5, "evaluate": 5, "explain": 5, "report": 5,
    "training": 5,
    "cli": 6, "server": 6, "__init__": 7, "__main__": 7,
}
ONLY_IN = {"click": {"cli"}, "pyoxigraph": {"store", "dataset"}, "oxrdflib": {"dataset"}, "pyshacl": {"validate"}, "starlette": {"server"},
           "uvicorn": {"server"}, "jinja2": {"server"},
           "sklearn": {"training"}, "scipy": {"training"}, "numpy": {"training"}}
# `kg serve` starts the server: the cli may import it; the server never imports the cli.
SIDEWAYS_OK = {("cli", "server"), ("extract", "lexicon"), ("extract", "text"), ("queries", "store"), ("tally", "store"), ("report", "pipeline"), ("report", "queries"), ("resolve", "model"),
               ("config", "resources"), ("config", "vocab"),
               ("gazetteer", "lexicon"), ("gazetteer", "text")}


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            if node.module == "kg":
                for alias in node.names:
                    yield f"kg.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_architecture_layers_point_one_way():
    problems = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        rel = path.relative_to(ROOT / "kg").with_suffix("")
        here = rel.parts[0]
        for module in _imports(path):
            top = module.split(".")[0]
            for lib, allowed in ONLY_IN.items():
                if top == lib and here not in allowed:
                    problems.append(f"{rel}: imports {lib}, which only {allowed} may")
            if top == "kg" and "." in module:
                there = module.split(".")[1]
                if there == here or (here, there) in SIDEWAYS_OK:
                    continue
                if LAYERS[there] >= LAYERS[here] and not (LAYERS[here] == 0 and LAYERS[there] == 0):
                    problems.append(f"{rel}: imports kg.{there} (layer {LAYERS[there]}) from layer {LAYERS[here]}")
    assert problems == []


def test_the_command_line_does_not_import_rdflib_or_package_metadata():
    """rdflib and importlib.metadata took 0.15-0.3 s of a 0.75 s kg add, multiprocessing and
    concurrent.futures 45 ms (README: Benchmarks); only the commands that need them (validate
    --engine pyshacl, a first compile, a build's workers) import them."""
    import subprocess
    import sys

    code = ("import sys, kg.cli; print(sorted(m for m in ('rdflib', 'importlib.metadata', 'http.client', "
            "'pyshacl', 'multiprocessing', 'concurrent.futures') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"
