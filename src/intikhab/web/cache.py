"""Election-night caching of the public results.

The public results are a function of the *declared* results only (``council_result``,
``national_result``), so they change only when a census commission declares.  The cache keys
every rendered answer (JSON bytes or a page's HTML) by the **declared-results generation** —
the number of declared results and the latest declaration time, read from the database — so
that a declaration, made by this process or by any other worker, invalidates it:

- a declaration through this process calls :meth:`ResultsCache.invalidate` at once;
- otherwise the generation is re-read at most every ``check_s`` seconds (one indexed
  aggregate query), so another worker's declaration shows within that delay.

Minutes being entered meanwhile do not touch the public results (nothing counts before it is
declared, art. 24, law 59.11 as amended), so they never invalidate the cache.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.store.models import Result


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


class ResultsCache:
    """A small thread-safe cache of rendered public answers, cleared when the generation of
    declared results changes."""

    def __init__(self, sessions: sessionmaker[Session], check_s: float = 1.0,
                 max_items: int = 20_000) -> None:
        self.sessions = sessions
        self.check_s = check_s
        self.max_items = max_items
        self._lock = threading.Lock()
        self._items: dict[str, Cached] = {}
        self._generation: tuple[Any, ...] | None = None
        self._checked = 0.0
        self.hits = self.misses = 0

    def current(self) -> tuple[Any, ...]:
        """The generation, re-read from the database at most every ``check_s`` seconds."""
        now = time.monotonic()
        if self._generation is None or now - self._checked >= self.check_s:
            with self.sessions() as s:
                gen = generation(s)
            with self._lock:
                if gen != self._generation:
                    self._items.clear()
                    self._generation = gen
                self._checked = now
        assert self._generation is not None
        return self._generation

    def invalidate(self) -> None:
        """Forget everything (after a declaration by this process)."""
        with self._lock:
            self._items.clear()
            self._generation = None

    def get(self, key: str, build: Callable[[], bytes]) -> Cached:
        """The cached answer for ``key``, building it with ``build()`` on a miss."""
        gen = self.current()
        found = self._items.get(key)
        if found is not None and found.generation == gen:
            self.hits += 1
            return found
        self.misses += 1
        data = build()
        item = Cached(data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"', gen)
        with self._lock:
            if len(self._items) >= self.max_items:
                self._items.clear()
            if self._generation == gen:
                self._items[key] = item
        return item
