"""``kg serve``: the SPARQL endpoint, the query page, linked-data pages, dumps and VoID,
as one Starlette app over a store opened read-only (the only module importing starlette).

A build may swap a new store in while the server runs: the workers and the handle below
notice the new folder and reopen it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import threading
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import store as kgstore
from kg.config import Settings
from kg.errors import ServeError
from kg.server import pages, sparql, views
from kg.server.errors import ApiError, api_error, http_error
from kg.server.security import SecurityHeaders
from kg.server.workers import MAX_WORKER_MB, WorkerPool

_HERE = Path(__file__).resolve().parent


class StoreHandle:
    """The server's own read-only view of the store (dumps, VoID, bounded queries), reopened after
    a swap."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._store = None
        self._identity = None

    def get(self):
        with self._lock:
            now = kgstore.store_identity(self.path)
            if self._store is None or now != self._identity:
                self._store, self._identity = kgstore.open_read(self.path), now
            return self._store

    def dump(self, fmt: str) -> bytes:
        return kgstore.dump(self.get(), fmt)

    def rows(self, sparql_text: str):
        return kgstore.select(self.get(), sparql_text).rows

    def size(self) -> int:
        return kgstore.count(self.get())

    def built(self) -> dt.datetime | None:
        """When the store was last built or added to (its folder's modification time)."""
        try:
            return dt.datetime.fromtimestamp((self.path / "CURRENT").stat().st_mtime, tz=dt.timezone.utc)
        except OSError:
            return None


def create_app(settings: Settings, *, timeout: float = 30.0, workers: int = 2, allow_service: bool = False,
               max_request_bytes: int = 1_000_000, per_client: int = 4,
               max_result_bytes: int = 100_000_000, spare: int = 4,
               max_worker_mb: float = MAX_WORKER_MB, sparql_first: bool = True,
               bounded_in_process: bool = True) -> Starlette:
    """The ASGI app over ``settings.store`` (which must exist); ``workers`` query processes, and up
    to ``spare`` more while they are all busy. ``sparql_first=False`` sends /sparql through the
    general middleware stack, as every other route, and ``bounded_in_process=False`` sends every
    query to a worker, bounded or not (``kg.server.bounded``; the tests compare both ways)."""
    handle = StoreHandle(Path(settings.store))
    handle.get()            # fail now, with a clear message, if there is no store; kept open for the server
    pool = WorkerPool(settings.store, size=workers, timeout=timeout, max_result_bytes=max_result_bytes,
                      spare=spare, max_worker_mb=max_worker_mb)
    routes = [
        Route("/", pages.query_page),
        Route("/sparql", sparql.SparqlEndpoint(), methods=["GET", "POST"]),
        Route("/id/{path:path}", pages.resource),
        Route("/dump.{ext:str}", pages.dump),
        Route("/.well-known/void", pages.void),
        Route("/prefixes.json", pages.prefixes),
        Route("/timeline", views.view_page),
        Route("/map", views.view_page),
        Route("/claims", views.view_page),
        Route("/graph", views.graph_page),
        Route("/views/{name:str}.rq", views.view_query),
        Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
    ]
    middleware = [
        *([Middleware(sparql.SparqlFirst)] if sparql_first else []),
        Middleware(SecurityHeaders),
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"]),
        Middleware(GZipMiddleware, minimum_size=sparql.GZIP_MINIMUM),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        pool.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={ApiError: api_error, HTTPException: http_error})
    app.state.settings = settings
    app.state.pool = pool
    app.state.handle = handle
    app.state.bounded_in_process = bounded_in_process
    app.state.allow_service = allow_service
    app.state.max_request_bytes = max_request_bytes
    app.state.per_client = per_client          # queries one client address may have running at once
    app.state.running = {}                     # client address -> queries running (the event loop's own)
    app.state.templates = Environment(loader=FileSystemLoader(_HERE / "templates"),
                                      autoescape=select_autoescape(["html"]))
    return app


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 7878, access_log: bool = False,
          forwarded_allow_ips: str | None = None, on_listening=None, **options) -> None:
    """Run the server until interrupted; ``access_log`` logs every request on stderr (a tenth of
    the server process's busy samples on one-row lookups, so off unless asked for).

    The socket is bound before anything is said or started: a port in use is a ``ServeError``,
    and ``on_listening(url)`` is called only once the address is really kg's. Behind a reverse
    proxy, ``forwarded_allow_ips`` names the proxies whose X-Forwarded-For gives the client's
    address (the per-client bound counts clients, not the proxy).

    Raises:
        ServeError: the address cannot be listened on.
    """
    import uvicorn

    sock = _listen(host, port)
    try:
        app = create_app(settings, **options)
        bound_host, bound_port = sock.getsockname()[:2]
        if on_listening is not None:
            on_listening(f"http://{f'[{bound_host}]' if ':' in bound_host else bound_host}:{bound_port}/")
        config = uvicorn.Config(app, log_level="info", access_log=access_log, proxy_headers=True,
                                forwarded_allow_ips=forwarded_allow_ips)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            app.state.pool.close()
    finally:
        sock.close()


def _listen(host: str, port: int):
    """A socket bound to ``host:port`` and listening, or a ServeError that says why not."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}", hint="give --host an address of this machine "
                         "(127.0.0.1, 0.0.0.0, ::)") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use", hint="stop what serves there, or give "
                             "kg serve another --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}",
                         hint="give --host an address of this machine and a --port you may use") from None
    sock.set_inheritable(True)
    return sock
