"""The API's interactive documentation, ``/api/docs`` (Swagger UI), served entirely from this
server: the Swagger UI files come from the installed ``fastapi-offline`` package (mounted at
``/api/docs/assets``) and the page starts it with ``/static/swagger-init.js`` — no CDN (a
commission's network may be offline) and no inline script (the Content-Security-Policy,
``web.guard``)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Final

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS: Final = Path(fastapi_offline.__file__).resolve().parent / "static"


def _page(title: str, openapi: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" href="/api/docs/assets/favicon.png"></head>
<body data-openapi="{escape(openapi)}"><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body></html>
"""


def install(app: FastAPI) -> None:
    """Mount the Swagger UI files and add ``/api/docs``."""
    app.mount("/api/docs/assets", StaticFiles(directory=str(ASSETS)), name="docs-assets")
    openapi = app.openapi_url or "/api/v1/openapi.json"
    title = f"{app.title} — API"

    async def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(_page(title, openapi))

    app.add_route("/api/docs", docs, include_in_schema=False)  # public, as FastAPI's own
