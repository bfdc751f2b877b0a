"""``kg push``: publish the store to any SPARQL 1.1 Graph Store HTTP Protocol endpoint, one PUT
per named graph, streamed, so that a graph that outgrows one machine moves into a larger
store (QLever, Virtuoso, GraphDB, Neptune, Fuseki, Oxigraph).

The standard library's HTTP client is enough here: a PUT with a chunked body, no session.
"""
from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from kg import store as kgstore
from kg.errors import KgError

CHUNK = 1 << 20


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0


def push(store_path: str | Path, url: str, headers: dict[str, str] | None = None,
         progress: Callable[[str, int], None] | None = None, timeout: float = 300.0) -> PushReport:
    """PUT each named graph of the store to ``url`` (the graph store's address: ``?graph=IRI`` is
    added); it replaces the graph of that name there.

    Raises:
        KgError: the endpoint cannot be reached or refuses a graph (the graph and the answer named).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KgError(f"{url!r} is not an http(s) URL", hint="give the graph store's address, e.g. "
                      "http://localhost:7878/store")
    st = kgstore.open_read(store_path)
    report = PushReport()
    for graph in kgstore.graph_names(st):
        counter = [0]
        target = f"{parts.path or '/'}?{parts.query + '&' if parts.query else ''}graph={quote(graph, safe='')}"
        _put(parts, target, _chunks(kgstore.graph_ntriples(st, graph), counter), headers or {}, graph, timeout)
        report.graphs += 1
        report.triples += counter[0]
        if progress:
            progress("pushed", report.graphs)
    return report


def _chunks(lines: Iterator[str], counter: list[int]) -> Iterator[bytes]:
    buffer: list[str] = []
    size = 0
    for line in lines:
        buffer.append(line)
        size += len(line)
        counter[0] += 1
        if size >= CHUNK:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _put(parts, target: str, body: Iterator[bytes], headers: dict[str, str], graph: str, timeout: float) -> None:
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.netloc, timeout=timeout)
    try:
        connection.request("PUT", target, body=body, encode_chunked=True,
                           headers={"Content-Type": "application/n-triples", **headers})
        response = connection.getresponse()
        answer = response.read(2000).decode("utf-8", "replace").strip()
    except OSError as exc:
        raise KgError(f"cannot push graph <{graph}> to {parts.scheme}://{parts.netloc}: {exc}",
                      hint="is the endpoint running, and is the URL its graph store address?") from None
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise KgError(f"the endpoint refused graph <{graph}>: HTTP {response.status} {response.reason}"
                      + (f": {answer}" if answer else ""),
                      hint="check the URL (the graph store, not the query endpoint) and --header for "
                           "authorisation")
