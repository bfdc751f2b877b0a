"""The SPARQL 1.1 Protocol at /sparql: GET, POST form-encoded, POST application/sparql-query.

Read-only: updates get 403. A query that does not parse gets 400 with the parser's message;
one that runs past the time limit, 503. Federated SERVICE calls are refused (403) unless the
operator allowed them, so the endpoint cannot be used to reach other hosts.
"""
from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.errors import QueryError
from kg.server.bounded import answer_in_process
from kg.server.errors import ApiError, error_body
from kg.server.security import NOSNIFF
from kg.server.workers import PoolBusy, QueryJob, QueryTimeout
from kg.store import FORMAT_NAMES, check_syntax

_STRIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def uses_service(sparql: str) -> bool:
    """Does the query call SERVICE (outside strings, IRIs and comments)?

    Example:
        >>> uses_service('SELECT * { SERVICE <http://x> { ?s ?p ?o } }'), uses_service('SELECT ("SERVICE" AS ?x) {}')
        (True, False)
    """
    if "service" not in sparql.lower():         # most queries: no need to strip them
        return False
    return re.search(r"\bSERVICE\b", _STRIP.sub(" ", sparql), re.I) is not None


# Deeper than this, Oxigraph's recursive parser overflows the worker's stack (seen at 10,000); no
# real query nests even 100 groups or brackets deep.
MAX_NESTING = 500


def nesting_depth(sparql: str) -> int:
    """The deepest nesting of ``{}`` and ``()`` outside strings, IRIs and comments.

    Example:
        >>> nesting_depth('SELECT * { { ?s ?p ?o FILTER(("}")) } }')
        4
    """
    depth = deepest = 0
    for ch in _STRIP.sub(" ", sparql):
        if ch in "{(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})":
            depth = max(0, depth - 1)
    return deepest


def accepted(fmt: str | None, accept: str) -> list[str]:
    """Media types the client accepts, best first; ``fmt`` (the ``format=`` parameter) wins over
    ``accept`` (the Accept header).

    Example:
        >>> accepted(None, "text/csv;q=0.5, application/sparql-results+json")
        ['application/sparql-results+json', 'text/csv']
    """
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower(), fmt)
        return [media]
    ranked = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(ranked)]


def client_host(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


class SparqlEndpoint:
    """The endpoint as a bare ASGI app, so that ``SparqlFirst`` can answer it without Starlette's
    request, response and middleware objects; routed as well (for the methods it does not take)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        status, headers, body = await self.respond(scope, receive, request_headers(scope))
        await _send(send, status, headers, body)

    async def respond(self, scope: Scope, receive: Receive, headers: dict[str, str]
                      ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """(status, headers, body) for the request, whose ``headers`` (``request_headers``) are
        given: the answer, or the error as JSON."""
        try:
            body, media = await self._answer(scope, receive, headers)
        except ApiError as exc:
            return exc.status, [(b"content-type", b"application/json"),
                                *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in exc.headers.items())
                                ], error_body(exc.status, exc.message)
        if media.startswith("text/") and "charset" not in media:
            media += "; charset=utf-8"
        return 200, [(b"content-type", media.encode("latin-1"))], body

    async def _answer(self, scope: Scope, receive: Receive, headers: dict[str, str]) -> tuple[bytes, str]:
        app = scope["app"].state
        params = form_fields(scope["query_string"])
        query = None
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        if scope["method"] == "POST":
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            size = int(headers.get("content-length") or 0)
            if size > app.max_request_bytes:
                raise ApiError(413, f"the request is larger than the {app.max_request_bytes:,}-byte limit")
            if ctype == "application/sparql-update":
                raise ApiError(403, "this endpoint is read-only: updates are refused")
            body = await _body(receive, app.max_request_bytes)
            if ctype == "application/x-www-form-urlencoded":
                form = form_fields(body)
                if "update" in form:
                    raise ApiError(403, "this endpoint is read-only: updates are refused")
                if len(form.get("query", [])) > 1:
                    raise ApiError(400, "more than one query: send exactly one query parameter")
                query = form["query"][0] if form.get("query") else None
                default_graphs += form.get("default-graph-uri", [])
                named_graphs += form.get("named-graph-uri", [])
            elif ctype == "application/sparql-query":
                query = body.decode("utf-8", errors="replace")
            else:
                raise ApiError(415, f"unsupported content type {ctype or '(none)'!r}; send "
                                    "application/x-www-form-urlencoded or application/sparql-query")
        else:
            if "update" in params:
                raise ApiError(403, "this endpoint is read-only: updates are refused")
            if len(params.get("query", [])) > 1:
                raise ApiError(400, "more than one query: send exactly one query parameter")
            query = params["query"][0] if "query" in params else None
        if not query:
            raise ApiError(400, "no query: send one as ?query=... (GET) or in the request body (POST)")
        if len(query.encode()) > app.max_request_bytes:
            raise ApiError(413, f"the query is longer than the {app.max_request_bytes:,}-byte limit")
        if uses_service(query) and not app.allow_service:
            raise ApiError(403, "federated SERVICE calls are disabled on this endpoint "
                                "(the operator can allow them with --allow-service)")
        # counted first: no query with fewer brackets in all can nest deeper (the walk is per character)
        if query.count("{") + query.count("(") > MAX_NESTING and nesting_depth(query) > MAX_NESTING:
            raise ApiError(400, f"the query is nested more than {MAX_NESTING} levels deep (groups and brackets); "
                                "kg refuses it rather than overflow the parser")
        # relative IRIs in the query resolve against the endpoint's own URL (SPARQL 1.1 Protocol)
        base = str(URL(scope=scope)).split("?", 1)[0]
        fmt = params.get("format")
        job = QueryJob(query, tuple(accepted(fmt[0] if fmt else None, headers.get("accept", ""))),
                       tuple(default_graphs), tuple(named_graphs), base)
        return await run_job(app, client_host(scope), job, parse_first=True)


# a "%" not followed by two hex digits: kept as it is, as urllib keeps it
_MALFORMED = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def form_fields(data: bytes) -> dict[str, list[str]]:
    """An application/x-www-form-urlencoded body or a query string, as ``urllib.parse.parse_qs``
    reads it with blank values kept (escapes decoded as UTF-8, malformed ones kept as they are).
    A lookup's form is mostly escapes (its PREFIX lines), and ``parse_qs`` decoded them one
    by one in Python (47-90 us for a 1,043-byte lookup, by timeit); here Python's C codec for
    ``\\xXX`` escapes decodes them all at once (13-16 us)."""
    fields: dict[str, list[str]] = {}
    for pair in data.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        fields.setdefault(_unescaped(name), []).append(_unescaped(value))
    return fields


def _unescaped(text: bytes) -> str:
    text = text.replace(b"+", b" ")
    if b"%" in text:
        if _MALFORMED.search(text):
            return unquote_to_bytes(text).decode("utf-8", errors="replace")
        # every byte that is not an escape stands for itself (latin-1), each %XX for byte XX
        text = codecs.decode(text.replace(b"\\", b"\\\\").replace(b"%", b"\\x"), "unicode_escape").encode("latin-1")
    return text.decode("utf-8", errors="replace")


def request_headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name (the first of a repeated one, as Starlette's)."""
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return headers


async def _body(receive: Receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"the request is larger than the {limit:,}-byte limit")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


# what GZipMiddleware(minimum_size=GZIP_MINIMUM) does, which the other routes go through: level 9,
# in a thread from 128 KiB
GZIP_MINIMUM = 1000
_GZIP_IN_THREAD = 128 * 1024


class SparqlFirst:
    """ASGI middleware answering /sparql (GET, HEAD, POST) before the general middleware stack,
    with the CORS and gzip headers that stack gives every response. On one-row lookups py-spy had
    put about a seventh of the server process's busy samples in Starlette's middleware, request
    and response code; ``tests/test_server.py`` checks that both paths give the same responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.endpoint = SparqlEndpoint()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "HEAD", "POST"):
            await self.app(scope, receive, send)
            return
        request = request_headers(scope)
        try:
            status, headers, body = await self.endpoint.respond(scope, receive, request)
        except ClientDisconnect:
            return
        if len(body) >= GZIP_MINIMUM:       # the answer depends on Accept-Encoding, whether gzipped or not
            headers.append((b"vary", b"Accept-Encoding"))
            if "gzip" in request.get("accept-encoding", ""):
                body = await run_in_threadpool(_gzip, body) if len(body) >= _GZIP_IN_THREAD else _gzip(body)
                headers.append((b"content-encoding", b"gzip"))
        # CORSMiddleware(allow_origins=["*"]) on a request other than a preflight
        if "origin" in request:
            headers.append((b"access-control-allow-origin", b"*"))
        vary = [v for k, v in headers if k == b"vary"]
        headers = [(k, v) for k, v in headers if k != b"vary"] + [(b"vary", b", ".join([*vary, b"Origin"])), NOSNIFF]
        await _send(send, status, headers, body)


def _gzip(body: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(body) + compressor.flush()


def _parser(job: QueryJob) -> Callable[[], None]:
    """The server's own parse of a client's query, run only if the query has waited a moment
    (``kg.server.workers.SPARE_AFTER``) for a worker: a malformed one then gets its 400 within that
    moment, never a 503 because the workers stayed busy; with a worker free soon, the worker's own
    parse refuses it as quickly, and no query is parsed twice."""
    def parse() -> None:
        try:
            check_syntax(job.sparql, base_iri=job.base_iri)
        except QueryError as exc:
            raise ApiError(400, str(exc)) from None
    return parse


async def run_job(state, client: str, job: QueryJob, *, parse_first: bool = False) -> tuple[bytes, str]:
    """The answer to ``job`` for the app whose ``state`` is given, asked by ``client``: a query
    whose work is bounded (``kg.server.bounded``) here, others by a worker; ``parse_first`` for a
    client's query (kg's own parse)."""
    reply = answer_in_process(state.handle.get, job) if state.bounded_in_process else None
    if reply is None:
        reply = await _run_in_worker(state, client, job, parse_first)
    if reply[0] == "error":
        # a result too large to send is refused as such (the query itself may be fine)
        raise ApiError(422 if reply[2] == "ResultTooLarge" else 400, reply[1])
    return reply[1], reply[2]


async def _run_in_worker(state, client: str, job: QueryJob, parse_first: bool) -> tuple:
    # one client may not hold every worker: over its bound it is told to come back (as the
    # Wikidata Query Service does); the rest wait their turn in the pool's first-come queue
    if state.running.get(client, 0) >= state.per_client:
        raise ApiError(429, f"this client already has {state.per_client} queries running; "
                            "send the next one when one of them has finished", headers={"Retry-After": "1"})
    state.running[client] = state.running.get(client, 0) + 1
    try:
        return await state.pool.run_async(job, client, _parser(job) if parse_first else None, run_in_threadpool)
    except QueryTimeout as exc:
        raise ApiError(503, str(exc)) from None
    except PoolBusy as exc:
        raise ApiError(503, str(exc)) from None
    finally:
        state.running[client] -= 1
        if not state.running[client]:
            del state.running[client]
