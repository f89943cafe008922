"""The guards every request passes: Host header, token, body size, cross-site writes.

A server on 127.0.0.1 can still be reached from a web page through DNS rebinding, so the
Host header must name the server; a server bound elsewhere requires a token; a request
body over the cap gets 413 before it is read whole; a POST must have a
JSON body (a cross-site form cannot send one) or carry the CSRF token (other methods
than POST need a CORS preflight across sites, which this server never grants).
"""

from __future__ import annotations

import hmac
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from zopa.web.settings import Settings


async def _deny(send: Send, status: int, reason: str) -> None:
    body = json.dumps({"reason": reason}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _query(scope: Scope, name: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware applying the guards of the module docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on (with its body counted)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        s = self.settings
        host = headers.get("host", "")
        if s.allowed_hosts and host not in s.allowed_hosts:
            await _deny(send, 400, f"unexpected Host header {host!r}")
            return
        if s.token is not None:
            bearer = headers.get("authorization", "")
            given = bearer[7:] if bearer.lower().startswith("bearer ") else None
            given = given or _cookie(headers.get("cookie", ""), "zopa_token")
            given = given or _query(scope, "token")
            if not _same(given, s.token):
                await _deny(send, 401, "this server needs its token (see where it was started)")
                return
        if scope["method"] == "POST":  # the one method a cross-site form can send
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if kind != "application/json" and not _same(headers.get("x-csrf-token"), s.csrf):
                await _deny(
                    send,
                    403,
                    "a request that changes something needs a JSON body or the X-CSRF-Token"
                    " header (GET /api/session gives it)",
                )
                return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > s.max_upload:
            await _deny(send, 413, f"the request is larger than {s.max_upload} bytes")
            return
        await self.app(scope, _counted(receive, s.max_upload), send)


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body growing past ``limit`` (chunked uploads)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message: Any = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message  # type: ignore[no-any-return]

    return wrapped


class BodyTooLarge(Exception):  # noqa: N818
    """A request body grew past the cap while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request is larger than {limit} bytes")
