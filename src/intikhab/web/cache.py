"""Election-night caching of the public results (BENCHMARKS.md, "Election night").

The public results are a function of the *declared* results only (``council_result``,
``national_result``), so they change only when a census commission declares.  Minutes being
entered meanwhile do not touch them (nothing counts before it is declared, art. 24, law 59.11
as amended), so they never invalidate anything.  Two layers, both keyed by the
**declared-results generation** (the number of declared results, the latest declaration time
and the newest declared result id, read from the database):

- :class:`ResultsCache` keeps each rendered answer (JSON bytes, a page's HTML) by a key the
  route chooses.  A miss is built once (concurrent requests for the same key wait for that one
  build) and never on the event loop (the routes are sync, they run in the thread pool).
- :class:`PublicFastPath`, a pure ASGI middleware in front of the application, keeps the whole
  answer of every anonymous GET the application marked public (``Cache-Control: public`` with
  an ``ETag``, no ``Set-Cookie``), keyed by path, query, cookies and host, and answers it again from
  memory — with 304 on ``If-None-Match`` — without routing, dependencies or the thread pool.
  When the generation moves (a declaration seen by the poller), a stale answer is served while
  one background request renders the new one (stale-while-revalidate), so no visitor waits on
  a rebuild; the delay is at most ``check_s`` plus one rendering.

A declaration made through this process calls :meth:`ResultsCache.invalidate`: both layers
forget everything at once (the next answer is built fresh, never stale).  Another process's
declaration is seen by a poller thread that re-reads the generation every ``check_s`` seconds
(one indexed aggregate query), off the event loop.  :func:`warm` renders the public addresses
once at start-up, in every worker.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intikhab.store.models import Constituency, Result

log = logging.getLogger("intikhab.web")


@dataclass(frozen=True, slots=True)
class Cached:
    """A rendered answer with its ETag (a digest of the bytes)."""

    body: bytes
    etag: str
    generation: tuple[Any, ...]


def generation(session: Session) -> tuple[Any, ...]:
    """(number of declared results, latest declaration, newest result id)."""
    row = session.execute(select(func.count(Result.id), func.max(Result.declared_at),
                                 func.max(Result.id))
                          .where(Result.declared_at.is_not(None))).one()
    return (int(row[0]), str(row[1]), row[2])


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class ResultsCache:
    """A thread-safe cache of rendered public answers, cleared when the generation of declared
    results changes; ``epoch`` counts the invalidations made by this process."""

    def __init__(self, sessions: sessionmaker[Session], check_s: float = 1.0,
                 max_items: int = 20_000, enabled: bool = True) -> None:
        self.sessions = sessions
        self.enabled = enabled  # False: every answer is built afresh (the benchmark's reference)
        self.check_s = check_s
        self.max_items = max_items
        self._lock = threading.Lock()
        self._items: dict[str, Cached] = {}
        self._building: dict[str, threading.Event] = {}
        self._generation: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()
        self.epoch = 0
        self.hits = self.misses = 0
        self.fast: PublicFastPath | None = None  # the fast path in front of it, if any

    # -- the generation ----------------------------------------------------------------------

    def _read(self) -> tuple[Any, ...]:
        with self.sessions() as s:
            gen = generation(s)
        with self._lock:
            if gen != self._generation:
                self._items.clear()
                self._generation = gen
            self._checked = time.monotonic()
        return gen

    def current(self) -> tuple[Any, ...]:
        """The generation: the poller's latest reading, or (without a poller) re-read from the
        database at most every ``check_s`` seconds."""
        gen = self._generation
        if gen is None or (self._poller is None
                           and time.monotonic() - self._checked >= self.check_s):
            gen = self._read()
        return gen

    def start(self) -> None:
        """Start the poller thread (idempotent); :meth:`stop` ends it."""
        if self._poller is not None:
            return
        self._stop.clear()
        self._read()

        def poll() -> None:
            while not self._stop.wait(self.check_s):
                try:
                    self._read()
                except Exception:  # a busy or restarting database: try again next time
                    log.exception("reading the declared-results generation failed")

        self._poller = threading.Thread(target=poll, name="intikhab-generation", daemon=True)
        self._poller.start()

    def stop(self) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.join(5)
            self._poller = None

    def invalidate(self) -> None:
        """Forget everything (after a declaration by this process)."""
        with self._lock:
            self._items.clear()
            self._generation = None
            self.epoch += 1

    # -- answers -----------------------------------------------------------------------------

    def get(self, key: str, build: Callable[[], bytes]) -> Cached:
        """The cached answer for ``key``, building it with ``build()`` on a miss — once: a
        concurrent request for the same key waits for that build."""
        if not self.enabled:
            self.misses += 1
            data = build()
            return Cached(data, etag_of(data), ())
        while True:
            gen = self.current()
            found = self._items.get(key)
            if found is not None and found.generation == gen:
                self.hits += 1
                return found
            with self._lock:
                pending = self._building.get(key)
                if pending is None:
                    done = self._building[key] = threading.Event()
                    break
            pending.wait(60)  # another thread builds it: take its answer (or build after)
        try:
            self.misses += 1
            data = build()
            item = Cached(data, etag_of(data), gen)
            with self._lock:
                if len(self._items) >= self.max_items:
                    self._items.clear()
                if self._generation == gen:
                    self._items[key] = item
            return item
        finally:
            with self._lock:
                del self._building[key]
            done.set()


# --------------------------------------------------------------------------------------------
# the fast path


@dataclass(frozen=True, slots=True)
class Stored:
    """A whole public answer as the application sent it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    generation: tuple[Any, ...]
    epoch: int


Key = tuple[str, bytes, bytes, bytes]  # path, query, cookies, host (pages link to themselves)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class PublicFastPath:
    """Pure ASGI: answers anonymous GETs of public addresses from memory (see the module's
    docstring).  A request with a session cookie or an ``Authorization`` header always goes
    to the application."""

    def __init__(self, app: ASGIApp, cache: ResultsCache, session_cookie: str,
                 max_bytes: int = 256 * 2**20, max_item: int = 2 * 2**20) -> None:
        self.app = app
        self.cache = cache
        self.session_cookie = session_cookie.encode() + b"="
        self.max_bytes, self.max_item = max_bytes, max_item
        self.items: dict[Key, Stored] = {}
        self.size = 0
        self.refreshing: set[Key] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.hits = self.stale = self.passed = 0
        cache.fast = self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        cookie = match = host = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = value
            elif name == b"host":
                host = value
            elif name == b"if-none-match":
                match = value
            elif name == b"authorization":
                await self.app(scope, receive, send)
                return
        if self.session_cookie in cookie:
            await self.app(scope, receive, send)
            return
        key: Key = (scope["path"], scope["query_string"], cookie, host)
        found = self.items.get(key)
        if found is not None and found.epoch == self.cache.epoch:
            if found.generation == self.cache.current():
                self.hits += 1
                self.cache.hits += 1  # the cache's count: answers served from memory
            else:  # a declaration elsewhere: serve this one, render the new one meanwhile
                self.stale += 1
                self.refresh(key, scope)
            await self.answer(found, match, send)
            return
        self.passed += 1
        await self.through(key, scope, receive, send)

    async def answer(self, item: Stored, match: bytes, send: Send) -> None:
        if match and match == item.etag:
            headers = [(k, v) for k, v in item.headers if k in (b"etag", b"cache-control",
                                                                 b"vary")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": item.status,
                    "headers": item.headers})
        await send({"type": "http.response.body", "body": item.body})

    async def through(self, key: Key, scope: Scope, receive: Receive, send: Send | None
                      ) -> None:
        """Let the application answer (to ``send``, or to no one for a refresh) and keep its
        answer when it is public."""
        gen, epoch = self.cache.current(), self.cache.epoch
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            if send is not None:
                await send(message)

        await self.app(scope, receive, capture)
        if not start or start["status"] != 200:
            return
        headers = [(bytes(k).lower(), bytes(v)) for k, v in start.get("headers", [])]
        names = dict(headers)
        body = b"".join(chunks)
        if (b"set-cookie" in names or not names.get(b"cache-control", b"").startswith(b"public")
                or b"etag" not in names or len(body) > self.max_item):
            return
        if epoch != self.cache.epoch:
            return  # invalidated while it was being rendered
        old = self.items.get(key)
        if self.size + len(body) > self.max_bytes:
            self.items.clear()
            self.size = 0
            old = None
        self.items[key] = Stored(200, headers, body, names[b"etag"], gen, epoch)
        self.size += len(body) - (len(old.body) if old else 0)

    def refresh(self, key: Key, scope: Scope) -> None:
        """Render ``key`` again in the background (once at a time)."""
        if key in self.refreshing:
            return
        self.refreshing.add(key)

        async def run() -> None:
            try:
                await self.through(key, dict(scope), _no_body, None)
            except Exception:
                log.exception("refreshing %s failed", key[0])
            finally:
                self.refreshing.discard(key)

        task = asyncio.get_running_loop().create_task(run())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


def public_addresses(session: Session) -> list[str]:
    """The public addresses to render at start-up: the portal, the national results and every
    council's JSON and page."""
    councils = session.execute(select(Constituency.council, Constituency.vote).distinct()
                               .order_by(Constituency.council, Constituency.vote)).all()
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
            await app(scope, _no_body, record)
        except Exception:
            log.exception("warming %s failed", path)
        ok += status == 200
    return ok
