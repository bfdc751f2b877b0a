"""Browser hardening on every response: article text is untrusted input shown in kg's pages, and
the query page embeds a third-party editor (Yasgui) reachable through shared links.

Every HTML page gets a strict Content-Security-Policy (scripts and styles from kg itself only, no
inline script, no eval, no framing, no plugins), ``Referrer-Policy: no-referrer`` and the legacy
anti-framing header; every response gets ``X-Content-Type-Options: nosniff``. CORS for /sparql
stays open (``kg.server.sparql``): linked-data clients rely on it.
"""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# the vendored pages run under it: their data is in JSON blocks (not executed), their code in
# /static; Vega runs its expressions with its interpreter, not eval (static/views.js)
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
NOSNIFF = (b"x-content-type-options", b"nosniff")
HTML_HEADERS = ((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"))


def hardened(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with nosniff, and the page headers where the body is HTML."""
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    extra = (NOSNIFF, *HTML_HEADERS) if content_type.startswith(b"text/html") else (NOSNIFF,)
    return [*headers, *extra]


class SecurityHeaders:
    """ASGI middleware adding ``hardened`` headers to each response's start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": hardened(list(message.get("headers", ())))}
            await send(message)

        await self.app(scope, receive, send_hardened)
