"""Warming the public results at start-up: every public address (the portal, the national
results, every council's JSON and page) rendered once through the whole stack, in every
worker, so that the first visitors of election night are served from memory."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Scope

from intikhab.services import web_support
from intikhab.web.fastpath import no_body

log = logging.getLogger("intikhab.web")


def public_addresses(session: Session) -> list[str]:
    """The public addresses to render at start-up: the portal, the national results and every
    council's JSON and page."""
    councils = web_support.councils(session)
    out = ["/", "/api/v1/results/national/communal", "/api/v1/results/national/regional"]
    for council, vote in councils:
        out += [f"/api/v1/results/councils/{council}/{vote}", f"/council/{council}"]
    return list(dict.fromkeys(out))


async def warm(app: ASGIApp, paths: Iterable[str], host: str = "localhost") -> int:
    """Render ``paths`` once through ``app`` (the whole stack, fast path included): one at a
    time, so that the visitors already served keep the rest of the machine.  Returns how many
    answered 200."""
    ok = 0
    for path in paths:
        status = 0

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        scope: Scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                        "method": "GET", "scheme": "http", "path": path,
                        "raw_path": path.encode(), "root_path": "", "query_string": b"",
                        "headers": [(b"host", host.encode())], "client": ("127.0.0.1", 0),
                        "server": ("127.0.0.1", 80), "state": {}}
        try:
            await app(scope, no_body, record)
        except Exception:
            log.exception("warming %s failed", path)
        ok += status == 200
    return ok

