"""Election-night caching of the public results (BENCHMARKS.md, "Election night").

The public results are a function of the *declared* results only (``council_result``,
``national_result``), so they change only when a census commission declares (or a court's
ruling replaces a declared result).  Minutes being entered meanwhile do not touch them
(nothing counts before it is declared, art. 24, law 59.11 as amended), so they never
invalidate anything.  And a declaration changes only **its own council**, the constituency's
allocation, the national results and the portal: every cached answer carries the *tags* it
depends on (:func:`tags_of_path`), and only the answers tagged with what changed are renewed.

Two layers:

- :class:`ResultsCache` keeps each rendered answer (JSON bytes, a page's HTML) by a key the
  route chooses, with its tags.  A miss (or an answer whose tags changed) is built once —
  concurrent requests for the same key wait for that one build — and never on the event loop
  (the routes are sync, they run in the thread pool).
- :class:`PublicFastPath`, a pure ASGI middleware in front of the application, keeps the whole
  answer of every anonymous GET the application marked public (``Cache-Control: public`` with
  an ``ETag``, no ``Set-Cookie``), keyed by path, query, cookies and host, and answers it again
  from memory — with 304 on ``If-None-Match`` — without routing, dependencies or the thread
  pool.  An answer whose tags changed is served *stale* while it is rendered again in the
  background (stale-while-revalidate): no visitor waits on a rebuild.

**What changed** is read by a poller thread every ``check_s`` seconds from the audit log —
every declaration is audited (``result.declare``, entity = the constituency; a court's
``dispute.rule``; an ``import.bundle`` changes everything), and the audit's sequence numbers
are committed in order (the writers serialise on the chain's head, ``store/audit.py``), so
``seq > last seen`` (the primary key) finds exactly the new ones.  A declaration *updates* an
allocation row made earlier, so ``result.id > last id`` would miss some: the audit does not.
As a safety net the poller also reads the declared-results generation (count, latest
declaration, newest id); a change the audit does not explain renews everything.  The touched
constituencies are mapped to their councils; the stale answers of the fast path are rendered
again at once, one after the other, in the background.

A declaration made **through this process** calls :meth:`ResultsCache.invalidate` with its
constituencies: the touched answers are rendered again *before* the call returns (visitors
meanwhile get the previous answer), so the next request — the declaring coordinator's
included — sees the declaration.  ``invalidate()`` without arguments (an import, a page
that does not say what it changed) forgets everything at once.  :func:`warm` renders the
public addresses once at start-up, in every worker.
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

from intikhab.store.models import AuditLog, Constituency, DisputeCase, Result

log = logging.getLogger("intikhab.web")

VOTES = ("communal", "regional")
ANY = "any"  # an answer of unknown dependencies: renewed by every declaration
Tags = frozenset[str]
WATCHED = ("result.declare", "dispute.rule", "import.bundle")  # audit actions that matter


def council_tag(council: str) -> str:
    return f"council:{council}"


def constituency_tag(constituency: str) -> str:
    return f"constituency:{constituency}"


def national_tag(vote: str) -> str:
    """The national results of a vote (and the portal): every declaration of that vote."""
    return f"national:{vote}"


def tags_of_path(path: str) -> Tags:
    """What a public address depends on: ``/council/{id}`` and
    ``/api/v1/results/councils/{id}/{vote}`` their council, ``/api/v1/results/constituencies/
    {id}`` its constituency, the national results of a vote every declaration of that vote,
    ``/`` (both votes) every declaration; ``/search`` lists names only (renewed by an import);
    anything else every declaration."""
    if path == "/":
        return frozenset(national_tag(v) for v in VOTES)
    if path.startswith("/api/v1/results/national/"):
        return frozenset({national_tag(path.removeprefix("/api/v1/results/national/"))})
    if path.startswith("/council/"):
        return frozenset({council_tag(path.removeprefix("/council/"))})
    if path.startswith("/api/v1/results/councils/"):
        return frozenset({council_tag(path.removeprefix("/api/v1/results/councils/")
                                      .rsplit("/", 1)[0])})
    if path.startswith("/api/v1/results/constituencies/"):
        return frozenset({constituency_tag(path.removeprefix(
            "/api/v1/results/constituencies/"))})
    if path == "/search":
        return frozenset()
    return frozenset({ANY})


def tags_of_key(key: str) -> Tags:
    """The tags of a :class:`ResultsCache` key: a page's key (``page␟host␟path␟…``) by its
    path, anything else by its address-like prefix, else every declaration."""
    if key.startswith("page\x1f"):
        parts = key.split("\x1f")
        return tags_of_path(parts[2]) if len(parts) > 2 else frozenset({ANY})
    kind, _, rest = key.partition(":")
    if kind == "national":
        return frozenset({national_tag(rest)})
    if kind == "council":
        return frozenset({council_tag(rest.rsplit(":", 1)[0])})
    if kind == "allocation":
        return frozenset({constituency_tag(rest)})
    return frozenset({ANY})


def generation(session: Session) -> tuple[Any, ...]:
    """(number of declared results, latest declaration, newest result id)."""
    row = session.execute(select(func.count(Result.id), func.max(Result.declared_at),
                                 func.max(Result.id))
                          .where(Result.declared_at.is_not(None))).one()
    return (int(row[0]), str(row[1]), row[2])


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


@dataclass(frozen=True, slots=True)
class Cached:
    """A rendered answer with its ETag (a digest of the bytes), the tick at which its build
    started and the tags it depends on."""

    body: bytes
    etag: str
    tick: int = 0
    tags: Tags = frozenset({ANY})


class ResultsCache:
    """A thread-safe cache of rendered public answers; an answer is *fresh* while none of its
    tags changed since its build started (``tick``)."""

    def __init__(self, sessions: sessionmaker[Session], check_s: float = 1.0,
                 max_items: int = 20_000, enabled: bool = True) -> None:
        self.sessions = sessions
        self.enabled = enabled  # False: every answer is built afresh (the benchmark's reference)
        self.check_s = check_s
        self.max_items = max_items
        self.wait_s = 10.0  # how long an in-process declaration waits for its re-renderings
        self._lock = threading.Lock()
        self._poll_lock = threading.Lock()
        self._items: dict[str, Cached] = {}
        self._building: dict[str, threading.Event] = {}
        self._tick = 0  # moves at every change
        self._changed: dict[str, int] = {}  # tag -> tick of its last change
        self._all = 0  # tick of the last change of everything
        self._seq: int | None = None  # the last audit record seen
        self._generation: tuple[Any, ...] | None = None
        self._council_of: dict[str, tuple[str, str]] = {}  # constituency -> council, vote
        self._own: dict[str, int] = {}  # constituency -> audit seq its in-process renewal covers
        self._checked = 0.0
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()
        self.hits = self.misses = 0
        self.changes = self.full_changes = 0  # targeted / whole renewals seen
        self.fast: PublicFastPath | None = None  # the fast path in front of it, if any

    # -- freshness ---------------------------------------------------------------------------

    def fresh(self, tick: int, tags: Tags) -> bool:
        """No change of ``tags`` (nor of everything) since ``tick``."""
        if self._all > tick:
            return False
        changed = self._changed
        return all(changed.get(t, 0) <= tick for t in tags)

    @property
    def tick(self) -> int:
        return self._tick

    def _mark(self, tags: Tags | None) -> int:
        """Record a change of ``tags`` (``None``: everything); returns the new tick."""
        with self._lock:
            self._tick += 1
            if tags is None:
                self._all = self._tick
                self._items.clear()
            else:
                for t in tags:
                    self._changed[t] = self._tick
            return self._tick

    def touched(self, constituencies: Iterable[str], session: Session | None = None) -> Tags:
        """The tags a declaration in ``constituencies`` changes: theirs, their councils', the
        national results of their vote (and every answer of unknown dependencies)."""
        ids = set(constituencies)
        if ids - self._council_of.keys():
            self._load_councils(session)
        out = {ANY}
        for cid in ids:
            out.add(constituency_tag(cid))
            if cid in self._council_of:
                council, vote = self._council_of[cid]
                out |= {council_tag(council), national_tag(vote)}
            else:  # unknown (yet): both votes
                out |= {national_tag(v) for v in VOTES}
        return frozenset(out)

    def _load_councils(self, session: Session | None) -> None:
        def read(s: Session) -> None:
            self._council_of = {k: (c, v) for k, c, v in s.execute(
                select(Constituency.id, Constituency.council, Constituency.vote))}
        if session is not None:
            read(session)
        else:
            with self.sessions() as s:
                read(s)

    # -- what changed ------------------------------------------------------------------------

    def poll(self) -> Tags | None:
        """Read what was declared since the last poll and mark it changed (in this cache,
        stale-while-revalidate in the fast path).  Returns the tags changed (``None`` for
        everything, an empty set for nothing)."""
        with self._poll_lock:
            with self.sessions() as s:
                found = self._read_changes(s)
            self._checked = time.monotonic()
        if found is None or found:
            self._mark(found)
            if found is None:
                self.full_changes += 1
            else:
                self.changes += 1
            if self.fast is not None:
                self.fast.changed(found, wait=False)
        return found

    def _read_changes(self, s: Session) -> Tags | None:
        top = s.scalar(select(func.max(AuditLog.seq))) or 0
        first = self._seq is None
        seen = self._watched(s, top) if not first else []
        self._seq = top
        gen = generation(s)
        old, self._generation = self._generation, gen
        if first:
            return frozenset()
        if any(action == "import.bundle" for _, action, _ in seen):
            self._council_of = {}
            return None
        if not seen and gen != old:  # not explained by the audit (yet): look once more
            again = s.scalar(select(func.max(AuditLog.seq))) or 0
            seen = self._watched(s, again, start=top)
            self._seq = max(top, again)
            if not seen:
                log.warning("the declared results changed without an audit record: "
                            "renewing every public answer")
                return None
        own, self._own = self._own, {c: q for c, q in self._own.items() if q > self._seq}
        declared = {entity for seq, action, entity in seen
                    if action == "result.declare" and own.get(entity, 0) < seq}
        cases = [entity for _, action, entity in seen if action == "dispute.rule"]
        if cases:
            declared |= set(s.scalars(select(DisputeCase.constituency_id)
                                      .where(DisputeCase.id.in_(cases))))
        return self.touched(declared, s) if declared else frozenset()

    def _watched(self, s: Session, top: int, start: int | None = None
                 ) -> list[tuple[int, str, str]]:
        last = self._seq if start is None else start
        return [(q, a, e) for q, a, e in s.execute(
            select(AuditLog.seq, AuditLog.action, AuditLog.entity)
            .where(AuditLog.seq > last, AuditLog.seq <= top, AuditLog.action.in_(WATCHED))
            .order_by(AuditLog.seq))]

    def _maybe_poll(self) -> None:
        """Without a poller thread: poll inline, at most every ``check_s`` seconds."""
        if self._poller is None and (self._seq is None
                                     or time.monotonic() - self._checked >= self.check_s):
            self.poll()

    def start(self) -> None:
        """Start the poller thread (idempotent); :meth:`stop` ends it."""
        if self._poller is not None:
            return
        self._stop.clear()
        self.poll()

        def run() -> None:
            while not self._stop.wait(self.check_s):
                try:
                    self.poll()
                except Exception:  # a busy or restarting database: try again next time
                    log.exception("reading the declared results failed")

        self._poller = threading.Thread(target=run, name="intikhab-declared", daemon=True)
        self._poller.start()

    def stop(self) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.join(5)
            self._poller = None

    def invalidate(self, constituencies: Iterable[str] | None = None) -> None:
        """After a change by this process: a declaration in ``constituencies`` renews their
        answers, their councils', the national ones — rendered again before this returns, the
        previous answers served meanwhile; ``None`` forgets everything at once."""
        tags = None
        if constituencies is not None:
            ids = set(constituencies)
            with self.sessions() as s:  # the poller need not renew them again
                top = s.scalar(select(func.max(AuditLog.seq))) or 0
                tags = self.touched(ids, s)
            for cid in ids:
                self._own[cid] = max(self._own.get(cid, 0), top)
        self._mark(tags)
        if tags is None:
            self._council_of = {}
        if self.fast is not None:
            self.fast.changed(tags, wait=True)

    # -- answers -----------------------------------------------------------------------------

    def get(self, key: str, build: Callable[[], bytes], tags: Tags | None = None) -> Cached:
        """The cached answer for ``key``, building it with ``build()`` when missing or
        stale — once: a concurrent request for the same key waits for that build.  ``tags``:
        what it depends on (default :func:`tags_of_key`)."""
        if not self.enabled:
            self.misses += 1
            data = build()
            return Cached(data, etag_of(data))
        self._maybe_poll()
        while True:
            found = self._items.get(key)
            if found is not None and self.fresh(found.tick, found.tags):
                self.hits += 1
                return found
            with self._lock:
                pending = self._building.get(key)
                if pending is None:
                    done = self._building[key] = threading.Event()
                    tick = self._tick
                    break
            pending.wait(60)  # another thread builds it: take its answer (or build after)
        try:
            self.misses += 1
            data = build()
            item = Cached(data, etag_of(data), tick, tags_of_key(key) if tags is None else tags)
            with self._lock:
                if len(self._items) >= self.max_items:
                    self._items.clear()
                if self.fresh(tick, item.tags):
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
    """A whole public answer as the application sent it, with what renders it again."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    tick: int
    tags: Tags
    scope: Scope


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
            await self.through(key, dict(scope), _no_body, None)
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
