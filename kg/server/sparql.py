"""The SPARQL 1.1 Protocol at /sparql: GET, POST form-encoded, POST application/sparql-query.

Read-only: updates get 403. A query that does not parse gets 400 with the parser's message;
one that runs past the time limit, 503. Federated SERVICE calls are refused (403) unless the
operator allowed them, so the endpoint cannot be used to reach other hosts.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kg.errors import QueryError
from kg.server.errors import ApiError
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


def accepted(request: Request) -> list[str]:
    """Media types the client accepts, best first; ``format=`` wins over the Accept header."""
    fmt = request.query_params.get("format")
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower(), fmt)
        return [media]
    ranked = []
    for i, part in enumerate(request.headers.get("accept", "").split(",")):
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


async def sparql_endpoint(request: Request) -> Response:
    app = request.app.state
    params = request.query_params
    query = None
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        size = int(request.headers.get("content-length") or 0)
        if size > app.max_request_bytes:
            raise ApiError(413, f"the request is larger than the {app.max_request_bytes:,}-byte limit")
        if ctype == "application/sparql-update":
            raise ApiError(403, "this endpoint is read-only: updates are refused")
        body = await request.body()
        if len(body) > app.max_request_bytes:
            raise ApiError(413, f"the request is larger than the {app.max_request_bytes:,}-byte limit")
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
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
        if len(params.getlist("query")) > 1:
            raise ApiError(400, "more than one query: send exactly one query parameter")
        query = params.get("query")
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
    base = str(request.url).split("?", 1)[0]
    job = QueryJob(query, tuple(accepted(request)), tuple(default_graphs), tuple(named_graphs), base)
    body, media = await run_job(request, job, parse_first=True)
    return Response(body, media_type=media)


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


async def run_job(request: Request, job: QueryJob, *, parse_first: bool = False) -> tuple[bytes, str]:
    """The worker's answer to ``job``; ``parse_first`` for a client's query (kg's own parse)."""
    state = request.app.state
    client = request.client.host if request.client else "unknown"
    # one client may not hold every worker: over its bound it is told to come back (as the
    # Wikidata Query Service does); the rest wait their turn in the pool's first-come queue
    if state.running.get(client, 0) >= state.per_client:
        raise ApiError(429, f"this client already has {state.per_client} queries running; "
                            "send the next one when one of them has finished", headers={"Retry-After": "1"})
    state.running[client] = state.running.get(client, 0) + 1
    try:
        reply = await state.pool.run_async(job, client, _parser(job) if parse_first else None, run_in_threadpool)
    except QueryTimeout as exc:
        raise ApiError(503, str(exc)) from None
    except PoolBusy as exc:
        raise ApiError(503, str(exc)) from None
    finally:
        state.running[client] -= 1
        if not state.running[client]:
            del state.running[client]
    if reply[0] == "error":
        # a result too large to send is refused as such (the query itself may be fine)
        raise ApiError(422 if reply[2] == "ResultTooLarge" else 400, reply[1])
    return reply[1], reply[2]
