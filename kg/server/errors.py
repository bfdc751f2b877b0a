"""One error shape for every failure of the server: ``{"error": {"status": N, "message": ...}}``."""
from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 406: "Not Acceptable",
          413: "Payload Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
          500: "Internal Server Error",
          503: "Service Unavailable"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_body(status: int, message: str) -> bytes:
    return json.dumps({"error": {"status": status, "title": TITLES.get(status, ""), "message": message}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(status, message), status_code=status, headers=headers, media_type="application/json")


async def api_error(request: Request, exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, exc.headers)


async def http_error(request: Request, exc) -> Response:
    return error_response(exc.status_code, str(exc.detail))
