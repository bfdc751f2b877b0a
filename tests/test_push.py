"""`kg push` against a real Oxigraph server (the `oxigraph` package's `oxigraph serve`) on 127.0.0.1."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import free_port
from kg import store as kgstore
from kg.cli import main

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


@pytest.fixture
def oxigraph_server(tmp_path):
    port = free_port()
    location = tmp_path / "remote"
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    yield url, location, process
    process.terminate()
    process.wait(10)


def test_push_round_trips_every_quad(seeds_store, oxigraph_server, tmp_path):
    url, location, process = oxigraph_server
    result = CliRunner().invoke(main, ["push", "--store", str(seeds_store), f"{url}/store",
                                       "--header", "Authorization: Bearer not-checked-by-oxigraph"])
    assert result.exit_code == 0, result.output
    local = kgstore.open_read(seeds_store)
    assert f"Pushed {len(kgstore.graph_names(local))} graph(s), {len(local)} triples" in result.output
    process.terminate()
    process.wait(10)
    remote = kgstore.dump(kgstore.open_read(location), "nquads")
    assert remote == kgstore.dump(local, "nquads")


def test_push_twice_replaces_rather_than_doubles(seeds_store, oxigraph_server):
    url, location, process = oxigraph_server
    for _ in range(2):
        assert CliRunner().invoke(main, ["push", "--store", str(seeds_store), f"{url}/store"]).exit_code == 0
    count = httpx.post(url + "/query", data={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"Accept": "text/csv"}).text.split()[-1]
    assert int(count) == len(kgstore.open_read(seeds_store))


def test_push_to_a_wrong_address_names_the_graph_and_the_answer(seeds_store, oxigraph_server):
    url, _, _ = oxigraph_server
    result = CliRunner().invoke(main, ["push", "--store", str(seeds_store), f"{url}/no-such-service"])
    assert result.exit_code != 0
    assert "refused graph <https://w3id.org/kg/" in result.output and "HTTP 404" in result.output


def test_push_to_nothing_listening_says_so(seeds_store):
    port = free_port()
    result = CliRunner().invoke(main, ["push", "--store", str(seeds_store), f"http://127.0.0.1:{port}/store"])
    assert result.exit_code != 0 and "cannot push graph" in result.output
