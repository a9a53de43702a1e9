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
- ``web.fastpath.PublicFastPath``, a pure ASGI middleware in front of the application, keeps
  the whole answer of every anonymous GET the application marked public and answers it again
  from memory; an answer whose tags changed is served *stale* while it is rendered again in the
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
that does not say what it changed) forgets everything at once.  ``web.warm`` renders the
public addresses once at start-up, in every worker.

This module is the cache and what invalidates it; what changed is read through
``services.web_support``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from intikhab.services import web_support

if TYPE_CHECKING:
    from intikhab.web.fastpath import PublicFastPath

log = logging.getLogger("intikhab.web")

VOTES = ("communal", "regional")
ANY = "any"  # an answer of unknown dependencies: renewed by every declaration
Tags = frozenset[str]
WATCHED = ("result.declare", "dispute.rule", "import.bundle",  # audit actions that matter
           *("bureau.formed", "bureau.pending", "indirect.declare"))  # who governs (COUNCILS)
COUNCILS = ("bureau.", "indirect.")
"""Audit actions whose entity is a council (a bureau session, a prefecture council declared):
they renew that council's answers, the national ones and those of unknown dependencies."""


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
    if path.startswith("/prefecture/"):
        return frozenset({council_tag(path.removeprefix("/prefecture/"))})
    if path.startswith("/api/v1/councils/") and path.endswith("/bureau"):
        return frozenset({council_tag(path.removeprefix("/api/v1/councils/")
                                      .removesuffix("/bureau"))})
    if path.startswith("/api/v1/results/prefectures/"):
        return frozenset({council_tag(path.removeprefix("/api/v1/results/prefectures/"))})
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
            self._council_of = web_support.council_of(s)
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
        top = web_support.last_audit_seq(s)
        first = self._seq is None
        seen = self._watched(s, top) if not first else []
        self._seq = top
        gen = web_support.declared_generation(s)
        old, self._generation = self._generation, gen
        if first:
            return frozenset()
        if any(action == "import.bundle" for _, action, _ in seen):
            self._council_of = {}
            return None
        if not seen and gen != old:  # not explained by the audit (yet): look once more
            again = web_support.last_audit_seq(s)
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
            declared |= web_support.constituencies_of_cases(s, cases)
        tags = self.touched(declared, s) if declared else frozenset()
        governed = {entity for _, action, entity in seen if action.startswith(COUNCILS)}
        if governed:
            tags |= {council_tag(c) for c in governed} | {national_tag(v) for v in VOTES} | {ANY}
        return tags

    def _watched(self, s: Session, top: int, start: int | None = None
                 ) -> list[tuple[int, str, str]]:
        last = (self._seq or 0) if start is None else start
        return web_support.audit_since(s, last, top, WATCHED)

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
                top = web_support.last_audit_seq(s)
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

