"""The web application: FastAPI with the REST API (``/api/v1``, OpenAPI at ``/api/v1/openapi.json``
and ``/api/docs``) and the server-rendered pages (``web.pages``), over one database.

``create_app`` builds everything an instance needs and puts it on ``app.state``: the engine and
the session factory, the Jinja2 templates, the secret that signs sessions and CSRF tokens, the
session lifetime and the public results cache.  ``intikhab serve`` runs it under uvicorn.
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
from pathlib import Path
from typing import Final

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import URLSafeSerializer

from intikhab import __version__
from intikhab.store.db import database_url, make_engine, sessions
from intikhab.web import errors
from intikhab.web.auth import PreSessionMiddleware, csrf_token
from intikhab.web.cache import ResultsCache

HERE: Final = Path(__file__).resolve().parent
TEMPLATES: Final = HERE / "templates"
STATIC: Final = HERE / "static"
log = logging.getLogger("intikhab.web")

TAGS: Final = [
    {"name": "auth", "description": "Log in (bearer token or session cookie), log out, who am I."},
    {"name": "public", "description": "Declared results for everyone, cached (election night)."},
    {"name": "entry", "description": "Polling stations and their minutes: double entry "
                                     "(art. 23, law 59.11 as amended)."},
    {"name": "commission", "description": "Progress, conflicts, allocation, lots and "
                                          "declaration by the census commission (art. 24)."},
    {"name": "admin", "description": "Users, roles, accreditations, election set-up."},
]


def create_app(db_url: str | None = None, *, secret: str | None = None,
               session_ttl_s: int = 8 * 3600) -> FastAPI:
    """An application over the database at ``db_url`` (default ``$INTIKHAB_DB``, else the
    SQLite file ``intikhab.sqlite``).  ``secret`` signs sessions and CSRF tokens (default
    ``$INTIKHAB_SECRET``, else a random one — sessions then end with the process, and several
    workers must share ``$INTIKHAB_SECRET``).  The database must be migrated already
    (``intikhab serve`` does it)."""
    app = FastAPI(
        title="intikhab",
        version=__version__,
        description="Morocco's regional and communal elections (organic law 59.11 as amended): "
                    "double entry of the minutes, allocation, declaration, public results. "
                    "Every error answers `{code, field, message: {ar, fr, en}}` (docs/errors.md).",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_tags=TAGS,
    )
    engine = make_engine(database_url(db_url))
    key = (secret or os.environ.get("INTIKHAB_SECRET") or secrets.token_hex(32)).encode()
    app.state.engine = engine
    app.state.Sessions = sessions(engine)
    app.state.secret = key
    app.state.serializer = URLSafeSerializer(key, salt="intikhab-session")
    app.state.session_ttl_s = session_ttl_s
    app.state.cache = ResultsCache(app.state.Sessions)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["csrf_token"] = csrf_token
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(STATIC), check_dir=False), name="static")
    errors.install(app)
    app.add_middleware(PreSessionMiddleware)

    from intikhab.web import api

    app.include_router(api.router)
    try:
        pages = importlib.import_module("intikhab.web.pages")
    except ModuleNotFoundError as exc:  # the pages are optional until they exist
        if exc.name != "intikhab.web.pages":
            raise
        log.warning("intikhab.web.pages is missing: serving the API only")
    else:
        app.include_router(pages.router)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several workers): ``$INTIKHAB_DB``,
    ``$INTIKHAB_SECRET``, ``$INTIKHAB_SESSION_TTL``."""
    return create_app(session_ttl_s=int(os.environ.get("INTIKHAB_SESSION_TTL", 8 * 3600)))
