"""The door of the application (pure ASGI, outermost of ours): every request's body is
bounded and its JSON checked before any route sees it, every response carries the security
headers, and an exception no handler took — a retryable database error above all — becomes a
coded answer that carries them too.

- Body size: :data:`MAX_BODY` bytes, :data:`MAX_UPLOAD` for the imports (a bundle, filings);
  over it 413 ``E-SEC-007`` (from ``Content-Length`` before reading, or while reading a body
  sent without one).
- A JSON body (``application/json``) is read with ``formats.safejson`` first: deeper than 64
  levels, more than 10,000 keys, a repeated key, an integer of more than 18 digits are
  refused with their code (``E-SEC-008..011``) — FastAPI's own parser would recurse into a 500
  or keep the last of two keys silently.
- Headers (:data:`HEADERS`): a strict Content-Security-Policy (no inline script: every script
  is a file under ``/static``; the API docs load theirs from the installed package),
  ``X-Frame-Options: DENY``, ``Referrer-Policy``, ``X-Content-Type-Options: nosniff``,
  ``Cross-Origin-Opener-Policy``, ``Permissions-Policy``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Final

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intikhab.formats import safejson
from intikhab.law.errors import IntikhabError
from intikhab.web import errors

MAX_BODY: Final = 1024 * 1024
"""Bytes of an ordinary request (a minute, a decision, a login: a few KB)."""
MAX_UPLOAD: Final = 64 * 1024 * 1024
"""Bytes of an import: an election bundle (JSON or zip of CSV), a file of filings."""
UPLOADS: Final = ("/api/v1/setup/bundle", "/admin/import", "/candidacies/import",
                  "/api/v1/candidacies/import")

CSP: Final = ("default-src 'self'; script-src 'self'; style-src 'self'; "
              "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
              "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
              "base-uri 'none'; form-action 'self'")
"""No inline script anywhere, no foreign origin.  Inline ``style`` *attributes* stay allowed
(not ``<style>`` elements): party colours and bar widths are data-driven attributes, and
Swagger UI sets some; an attribute cannot run script."""

HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = tuple(
    (k.encode(), v.encode()) for k, v in (
        ("content-security-policy", CSP),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("x-content-type-options", "nosniff"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
    ))


def limit_of(path: str) -> int:
    """The body limit of a path."""
    return MAX_UPLOAD if path.startswith(UPLOADS) else MAX_BODY


class Guard:
    """See the module: body limits, the JSON check, security headers, last-resort errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        request = Request(scope)
        try:
            replay = await self._body(scope, receive, request)
            await self.app(scope, replay, send_headers)
        except IntikhabError as error:
            if started:
                raise
            await errors.respond(request, error)(scope, receive, send_headers)
        except Exception as exc:
            if started:
                raise
            await errors.crash(request, exc)(scope, receive, send_headers)

    async def _body(self, scope: Scope, receive: Receive, request: Request) -> Receive:
        """Read and check the body (bounded); a ``receive`` that replays it."""
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return receive
        limit = limit_of(scope["path"])
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise IntikhabError("E-SEC-007", field="body", value=int(declared), limit=limit)
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise IntikhabError("E-SEC-007", field="body", value=size, limit=limit)
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if "json" in request.headers.get("content-type", "") and body:
            _check_json(body)
        return _replay(body, receive)


def _check_json(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return  # FastAPI answers the invalid body itself (E-ALLOC-001)
    try:
        safejson.loads(text)
    except (json.JSONDecodeError, ValueError):
        return  # not JSON: FastAPI's own answer (E-ALLOC-001)


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


__all__ = ["CSP", "HEADERS", "MAX_BODY", "MAX_UPLOAD", "Guard", "limit_of"]
