"""The web application: FastAPI with the REST API (``web.api``: ``/api/v1``, OpenAPI at
``/api/v1/openapi.json`` and ``/api/docs``) and the server-rendered pages (``web.pages``), over
one database.  This is where the application is assembled — the only module of the web that
opens the store (the engine and the session factory); every route reads and writes through
the services.

``create_app`` builds everything an instance needs and puts it on ``app.state``: the engine and
the session factory, the Jinja2 templates, the secret that signs sessions and CSRF tokens, the
session lifetime and the public results cache.  ``intikhab serve`` runs it under uvicorn.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from intikhab import __version__
from intikhab.store.db import database_url, make_engine, read_sessions, sessions
from intikhab.web import api, docs, errors, pages
from intikhab.web.auth import COOKIE, PreSessionMiddleware
from intikhab.web.cache import ResultsCache
from intikhab.web.fastpath import PublicFastPath
from intikhab.web.guard import Guard
from intikhab.web.pages.common import make_templates
from intikhab.web.site import StaticSite
from intikhab.web.warm import public_addresses, warm

HERE: Final = Path(__file__).resolve().parent
TEMPLATES: Final = HERE / "templates"
STATIC: Final = HERE / "static"
log = logging.getLogger("intikhab.web")


def _lifespan(warm_public: bool, host: str) -> Callable[[FastAPI], Any]:
    """Start the poller of declarations; then, when ``warm_public``, render every public address
    once in the background (each worker has its own cache); stop both at shutdown."""
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        cache: ResultsCache = app.state.cache
        await asyncio.to_thread(cache.start)
        task = None
        if warm_public and cache.enabled:
            async def run() -> None:
                t0 = time.perf_counter()
                with app.state.Sessions() as s:
                    paths = await asyncio.to_thread(public_addresses, s)
                ok = await warm(app, paths, host)
                log.warning("intikhab: %d of %d public addresses warm in %.1f s (pid %d)",
                            ok, len(paths), time.perf_counter() - t0, os.getpid())
            task = asyncio.create_task(run())
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
            await asyncio.to_thread(cache.stop)
    return lifespan


def create_app(db_url: str | None = None, *, secret: str | None = None,
               session_ttl_s: int = 8 * 3600, session_idle_s: int = 30 * 60,
               cache: bool = True,
               warm_public: bool = False, public_host: str = "localhost",
               site: Path | None = None) -> FastAPI:
    """An application over the database at ``db_url`` (default ``$INTIKHAB_DB``, else the
    SQLite file ``intikhab.sqlite``).  ``secret`` keys the sessions' hashes and CSRF tokens (default
    ``$INTIKHAB_SECRET``, else a random one — sessions then end with the process, and several
    workers must share ``$INTIKHAB_SECRET``).  A session ends after ``session_idle_s``
    without a request or ``session_ttl_s`` after the login (docs/security.md).  The
    database must be migrated already (``intikhab serve`` does it).  ``cache=False`` builds
    every public answer afresh (the benchmark's reference); ``warm_public`` renders every
    public address at start-up, as asked of ``public_host`` (the ``Host`` the visitors send:
    pages link to themselves).  ``site``: a published site (``intikhab publish``) that
    answers the anonymous public addresses from its files (``web.site.StaticSite``); no
    warm-up then."""
    app = FastAPI(
        lifespan=_lifespan(warm_public and site is None, public_host),
        title="intikhab",
        version=__version__,
        description="Morocco's regional and communal elections (organic law 59.11 as amended): "
                    "double entry of the minutes, allocation, declaration, public results. "
                    "Every error answers `{code, field, message: {ar, fr, en}}` (docs/errors.md).",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # web.docs serves Swagger UI from the installed package, no CDN
        redoc_url=None,
        openapi_tags=api.TAGS,
    )
    engine = make_engine(database_url(db_url))
    key = (secret or os.environ.get("INTIKHAB_SECRET") or secrets.token_hex(32)).encode()
    app.state.engine = engine
    app.state.Sessions = sessions(engine)
    app.state.ReadSessions = read_sessions(engine)
    app.state.secret = key
    app.state.session_ttl_s = session_ttl_s
    app.state.session_idle_s = session_idle_s
    app.state.cache = ResultsCache(app.state.Sessions, enabled=cache)
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(STATIC), check_dir=False), name="static")
    errors.install(app)
    app.add_middleware(PreSessionMiddleware)
    if cache:
        app.add_middleware(PublicFastPath, cache=app.state.cache, session_cookie=COOKIE)
    if site is not None:
        app.add_middleware(StaticSite, root=site, session_cookie=COOKIE)
    app.add_middleware(Guard)  # outermost: body limits, JSON limits, headers, 503
    docs.install(app)
    for router in (*api.ROUTERS, *pages.ROUTERS):
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several workers): ``$INTIKHAB_DB``,
    ``$INTIKHAB_SECRET``, ``$INTIKHAB_SESSION_TTL``, ``$INTIKHAB_SESSION_IDLE``,
    ``$INTIKHAB_CACHE`` (``0``: no public cache), ``$INTIKHAB_WARM`` (``0``: no warm-up),
    ``$INTIKHAB_PUBLIC_HOST`` (host:port), ``$INTIKHAB_SITE`` (a published site serving the
    public addresses)."""
    site = os.environ.get("INTIKHAB_SITE")
    return create_app(session_ttl_s=int(os.environ.get("INTIKHAB_SESSION_TTL", 8 * 3600)),
                      session_idle_s=int(os.environ.get("INTIKHAB_SESSION_IDLE", 30 * 60)),
                      site=Path(site) if site else None,
                      cache=os.environ.get("INTIKHAB_CACHE", "1") != "0",
                      warm_public=os.environ.get("INTIKHAB_WARM", "1") != "0",
                      public_host=os.environ.get("INTIKHAB_PUBLIC_HOST", "localhost"))
