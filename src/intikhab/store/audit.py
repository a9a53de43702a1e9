"""The append-only, hash-chained audit log.

Every change that matters writes one audit record *in the same transaction* (who, role, what,
when, digests of before and after).  Record ``n`` stores ``hash_n = sha256(hash_{n-1} ␟
canonical(record_n))``, so altering, deleting or re-ordering any record breaks every hash after
it; :func:`verify` (``intikhab audit verify``) walks the chain.  Appending locks the single
``audit_head`` row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already
serialises writers), so concurrent writers can never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from intikhab.store.models import AuditHead, AuditLog

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept — the input of every digest."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def now() -> datetime:
    """UTC, naive (stored as such on both databases), microsecond precision."""
    return datetime.now(UTC).replace(tzinfo=None)


def _record(seq: int, at: datetime, actor: str, role: str, action: str, entity: str,
            before: str | None, after: str | None) -> str:
    return canonical([seq, at.isoformat(), actor, role, action, entity, before, after])


def chain_hash(prev: str, record: str) -> str:
    return hashlib.sha256(f"{prev}\x1f{record}".encode()).hexdigest()


def lock_head(session: Session) -> AuditHead:
    """Lock the chain's head for the rest of the transaction: the writers' lock."""
    return session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()


class Chain:
    """Appends records to the chain within one transaction: locks the head once, computes
    each hash in order, and writes the records in bulk on :meth:`flush` (which also advances
    the head).  Call :meth:`flush` before the transaction commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.head = lock_head(session)
        self.seq, self.hash = self.head.seq, self.head.hash
        self.pending: list[dict[str, Any]] = []

    def append(self, *, actor: str, role: str, action: str, entity: str,
               before: str | None = None, after: str | None = None,
               at: datetime | None = None) -> str:
        at = at or now()
        self.seq += 1
        h = chain_hash(self.hash, _record(self.seq, at, actor, role, action, entity, before,
                                          after))
        self.pending.append({"seq": self.seq, "at": at, "actor": actor, "role": role,
                             "action": action, "entity": entity, "before_digest": before,
                             "after_digest": after, "prev_hash": self.hash, "hash": h})
        self.hash = h
        return h

    def flush(self) -> None:
        if self.pending:
            self.session.execute(insert(AuditLog), self.pending)
            self.pending = []
        self.head.seq, self.head.hash = self.seq, self.hash
        self.session.flush()


def append(
    session: Session, *, actor: str, role: str, action: str, entity: str,
    before: str | None = None, after: str | None = None, at: datetime | None = None,
) -> str:
    """Append one record to the chain, inside the caller's transaction; returns its hash."""
    chain = Chain(session)
    h = chain.append(actor=actor, role=role, action=action, entity=entity, before=before,
                     after=after, at=at)
    chain.flush()
    return h


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    records: int
    first_bad: int | None = None
    reason: str | None = None


def _rows(session: Session, batch: int = 20_000) -> Iterator[AuditLog]:
    last = 0
    while True:
        rows = session.execute(
            select(AuditLog).where(AuditLog.seq > last).order_by(AuditLog.seq).limit(batch)
        ).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(session: Session) -> Verification:
    """Walk the chain from the genesis: every ``prev_hash`` links, every hash recomputes,
    sequence numbers have no gap, and the head points at the last record."""
    prev, expected, count = GENESIS, 1, 0
    for row in _rows(session):
        if row.seq != expected:
            return Verification(False, count, expected, f"record {expected} is missing")
        if row.prev_hash != prev:
            return Verification(False, count, row.seq, "the chain is broken (prev_hash)")
        record = _record(row.seq, row.at, row.actor, row.role, row.action, row.entity,
                         row.before_digest, row.after_digest)
        if chain_hash(prev, record) != row.hash:
            return Verification(False, count, row.seq, "the record was altered (hash)")
        prev, expected, count = row.hash, expected + 1, count + 1
    head = session.get(AuditHead, 1)
    if head is None or head.seq != count or head.hash != prev:
        return Verification(False, count, count + 1, "records after the last were removed")
    return Verification(True, count)
