"""What `kg serve` and a bad query say: the server binds first and then says where it serves; a
port in use is one line and exit 3; a query that does not parse names the unknown prefix, or
where the parser stopped, in one line."""
import re
import socket
import subprocess
import sys

import httpx
from click.testing import CliRunner

from kg.cli import main


def test_serve_says_where_only_once_it_listens(seeds_store):
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(seeds_store), "--port", "0",
                               "--workers", "1"], stderr=subprocess.PIPE, text=True)
    try:
        first = server.stderr.readline()
        url = re.match(r"Serving \S+ at (http://127\.0\.0\.1:\d+/) \(SPARQL at \1sparql\)", first)
        assert url, first                      # port 0: the port the system gave, not "0"
        r = httpx.get(url.group(1) + "sparql", params={"query": "ASK { ?s ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert r.json()["boolean"] is True
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_port_in_use_is_one_line_and_exit_3(seeds_store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", str(seeds_store), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert lines[0] == f"Error: port {port} on 127.0.0.1 is already in use"
    assert "Serving" not in done.stderr and "Errno" not in done.stderr and len(lines) == 2      # and its hint


def test_an_unknown_prefix_is_named_in_one_line(seeds_store, live):
    result = CliRunner().invoke(main, ["query", "SELECT ?x WHERE { ?x foo:bar ?y }", "--store", str(seeds_store)])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: the query does not parse: unknown prefix `foo:` at line 1, column 22; "
                                     "declare it (PREFIX foo: <...>) or use one of kg's predeclared prefixes")
    r = httpx.get(live + "/sparql", params={"query": "SELECT ?x WHERE {\n  ?x foo:bar ?y }"})
    assert r.status_code == 400 and "unknown prefix `foo:` at line 2, column 6" in r.json()["error"]["message"]


def test_a_syntax_error_says_where_in_one_line(seeds_store):
    result = CliRunner().invoke(main, ["query", "SELECT ?x WHERE { ?x ?y }", "--store", str(seeds_store)])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line and "\\u{" not in line
    assert line.startswith("Error: the query does not parse at line 1, column 26, after `?x ?y }`")
