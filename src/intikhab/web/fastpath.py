"""The fast path of the public results (election night): a pure ASGI middleware in front of
the application that keeps the whole answer of every anonymous GET the application marked
public (``Cache-Control: public`` with an ``ETag``, no ``Set-Cookie``), keyed by path, query,
cookies and host, and answers it again from memory — with 304 on ``If-None-Match`` — without
routing, dependencies or the thread pool.  An answer whose tags changed (``web.cache``: a
declaration) is served *stale* while it is rendered again in the background
(stale-while-revalidate): no visitor waits on a rebuild.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intikhab.web.cache import ResultsCache, Tags, tags_of_path

log = logging.getLogger("intikhab.web")


@dataclass(frozen=True, slots=True)
class Stored:
    """A whole public answer as the application sent it, with what renders it again."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    tick: int
    tags: Tags
    scope: Scope


Key = tuple[str, bytes, bytes, bytes]  # path, query, cookies, host (pages link to themselves)


async def no_body() -> Message:
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
        self.tasks: set[asyncio.Task[None] | asyncio.Future[None]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.hits = self.stale = self.passed = self.renewed = 0
        cache.fast = self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        self.loop = asyncio.get_running_loop()
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
        if found is not None:
            if self.cache.fresh(found.tick, found.tags):
                self.hits += 1
                self.cache.hits += 1  # the cache's count: answers served from memory
            else:  # a declaration: serve this one, render the new one meanwhile
                self.stale += 1
                self.refresh(key, found.scope)
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
        tick = self.cache.tick
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
        tags = tags_of_path(key[0])
        if not self.cache.fresh(tick, tags):
            return  # changed while it was being rendered
        old = self.items.get(key)
        if self.size + len(body) > self.max_bytes:
            self.items.clear()
            self.size = 0
            old = None
        kept = {k: v for k, v in scope.items() if k not in ("router", "endpoint", "route",
                                                             "path_params", "fastapi_astack")}
        kept["headers"] = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
        self.items[key] = Stored(200, headers, body, names[b"etag"], tick, tags, kept)
        self.size += len(body) - (len(old.body) if old else 0)

    async def render(self, key: Key, scope: Scope) -> None:
        """Render ``key`` again (skipped while another rendering of it runs)."""
        if key in self.refreshing:
            return
        self.refreshing.add(key)
        try:
            await self.through(key, dict(scope), no_body, None)
            self.renewed += 1
        except Exception:
            log.exception("refreshing %s failed", key[0])
        finally:
            self.refreshing.discard(key)

    def refresh(self, key: Key, scope: Scope) -> None:
        """Render ``key`` again in the background (once at a time)."""
        if key not in self.refreshing:
            self._spawn(self.render(key, scope))

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def renew(self, tags: Tags) -> None:
        """Render again, one after the other, every stored answer that depends on ``tags``;
        then forget any still stale (its next visitor renders it)."""
        keys = [(k, v.scope) for k, v in list(self.items.items()) if v.tags & tags]
        for key, scope in keys:
            await self.render(key, scope)
        for key, _ in keys:
            found = self.items.get(key)
            if found is not None and not self.cache.fresh(found.tick, found.tags):
                self.drop(key)

    def drop(self, key: Key) -> None:
        found = self.items.pop(key, None)
        if found is not None:
            self.size -= len(found.body)

    def changed(self, tags: Tags | None, wait: bool) -> None:
        """Called from another thread after a change: ``None`` forgets everything; otherwise
        the answers depending on ``tags`` are rendered again in the background — ``wait``:
        before this returns (a declaration by this process, which its author must see)."""
        if tags is None:
            if wait:  # by this process: at once; from elsewhere: stale, renewed when asked
                self.items, self.size = {}, 0
            return
        loop = self.loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or not loop.is_running() or running is loop:
            # no loop serving (or called on it, where nothing can wait): forget them
            for key in [k for k, v in list(self.items.items()) if v.tags & tags]:
                self.drop(key)
            return
        future = asyncio.run_coroutine_threadsafe(self.renew(tags), loop)
        if wait:
            try:
                future.result(self.cache.wait_s)
            except Exception:  # too slow, or the loop is stopping: forget them instead
                log.warning("re-rendering after a declaration timed out; dropping them")
                loop.call_soon_threadsafe(self._drop_stale, tags)

    def _drop_stale(self, tags: Tags) -> None:
        for key, found in list(self.items.items()):
            if found.tags & tags and not self.cache.fresh(found.tick, found.tags):
                self.drop(key)

