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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from intikhab.records.checkpoint import leaf_bytes
from intikhab.records.merkle import leaf_hash
from intikhab.store import binding
from intikhab.store.models import AuditBinding, AuditHead, AuditLog

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
            before: str | None, after: str | None, bound: str | None = None) -> str:
    """The hashed text of a record: every field it carries (``bound``, the digest of the rows
    its transaction wrote, only when there is one, so that records written before rows were
    bound keep their hashes)."""
    fields: list[Any] = [seq, at.isoformat(), actor, role, action, entity, before, after]
    return canonical(fields if bound is None else [*fields, bound])


def leaf_of(record: dict[str, Any]) -> str:
    """The record's Merkle leaf hash (hex), RFC 9162: ``SHA-256(0x00 ‖ canonical JSON of every
    field)`` — stored at append time so a proof need not rehash the log."""
    fields = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()
              if k != "leaf" and not (k == "bound" and v is None)}
    return leaf_hash(leaf_bytes(fields)).hex()


def bound_digest(bindings: list[tuple[str, str, str | None]]) -> str:
    """The digest an audit record carries of the rows its transaction wrote."""
    return digest([list(b) for b in bindings])


def chain_hash(prev: str, record: str) -> str:
    return hashlib.sha256(f"{prev}\x1f{record}".encode()).hexdigest()


def lock_head(session: Session) -> AuditHead:
    """Lock the chain's head for the rest of the transaction: the writers' lock."""
    return session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()


class Chain:
    """Appends records to the chain within one transaction: locks the head once, numbers each
    record in order, and on :meth:`flush` binds the rows the transaction wrote to its last
    record (``store/binding.py``), computes the hashes and leaves, writes the records in bulk and
    advances the head.  Call :meth:`flush` before the transaction commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.head = lock_head(session)
        self.seq, self.hash = self.head.seq, self.head.hash
        self.pending: list[dict[str, Any]] = []

    def append(self, *, actor: str, role: str, action: str, entity: str,
               before: str | None = None, after: str | None = None,
               at: datetime | None = None) -> int:
        """Queue one record; returns its number (``seq``)."""
        self.seq += 1
        self.pending.append({"seq": self.seq, "at": at or now(), "actor": actor, "role": role,
                             "action": action, "entity": entity, "before_digest": before,
                             "after_digest": after, "bound": None})
        return self.seq

    def flush(self) -> None:
        self.session.flush()  # the ORM's writes, so that the binding events see them
        bindings = binding.collect(self.session)
        if bindings and not self.pending:
            self.append(actor="system", role="system", action="audit.bind",
                        entity=bindings[-1][0])
        if bindings:
            self.pending[-1]["bound"] = bound_digest(bindings)
        prev = self.head.hash
        for r in self.pending:
            r["prev_hash"] = prev
            r["hash"] = prev = chain_hash(prev, _record(
                r["seq"], r["at"], r["actor"], r["role"], r["action"], r["entity"],
                r["before_digest"], r["after_digest"], r["bound"]))
            r["leaf"] = leaf_of(r)
        if self.pending:
            self.session.execute(insert(AuditLog), self.pending)
            self.hash = prev
        if bindings:
            last = self.pending[-1]["seq"]
            self.session.execute(insert(AuditBinding), [
                {"seq": last, "n": i, "tbl": t, "key": k, "digest": d}
                for i, (t, k, d) in enumerate(bindings)])
        self.pending = []
        self.head.seq, self.head.hash = self.seq, self.hash
        self.session.flush()


def append(
    session: Session, *, actor: str, role: str, action: str, entity: str,
    before: str | None = None, after: str | None = None, at: datetime | None = None,
) -> int:
    """Append one record to the chain, inside the caller's transaction; returns its number."""
    chain = Chain(session)
    seq = chain.append(actor=actor, role=role, action=action, entity=entity, before=before,
                       after=after, at=at)
    chain.flush()
    return seq


@event.listens_for(Session, "before_commit")
def _bind_at_commit(session: Session) -> None:
    """Rows written after the transaction's last audit record are bound by one more record
    (``audit.bind``); refused under ``INTIKHAB_STRICT_BINDING=1``."""
    session.flush()
    if not binding.pending(session):
        return
    if binding.strict():
        raise AssertionError("rows written without an audit record: "
                             f"{sorted(session.info.get('intikhab.touched', {}))}")
    Chain(session).flush()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    binding.forget(session)


@dataclass(frozen=True, slots=True)
class Verification:
    """The chain walk's verdict; with ``collect``, also what the rest of the verification
    needs: each record's ``bound`` digest (by ``seq``) and the leaf hashes in order."""

    ok: bool
    records: int
    first_bad: int | None = None
    reason: str | None = None
    bound: dict[int, str] = field(default_factory=dict)
    leaves: list[bytes] = field(default_factory=list)


_FIELDS = ("seq", "at", "actor", "role", "action", "entity", "before_digest", "after_digest",
           "bound", "prev_hash", "hash", "leaf")


def _rows(session: Session, batch: int = 50_000) -> Iterator[Any]:
    cols = [getattr(AuditLog, f) for f in _FIELDS]
    conn = session.connection()
    last = 0
    while True:
        rows = conn.execute(select(*cols).where(AuditLog.seq > last).order_by(AuditLog.seq)
                            .limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def verify(session: Session, collect: bool = False) -> Verification:
    """Walk the chain from the genesis: every ``prev_hash`` links, every hash recomputes from
    every field, every stored leaf is the record's, sequence numbers have no gap, and the head
    points at the last record."""
    prev, expected, count = GENESIS, 1, 0
    bound: dict[int, str] = {}
    leaves: list[bytes] = []
    for row in _rows(session):
        seq, at, actor, role, action, entity, before, after, bnd, prev_hash, h, leaf = row
        if seq != expected:
            return Verification(False, count, expected, f"record {expected} is missing")
        if prev_hash != prev:
            return Verification(False, count, seq, "the chain is broken (prev_hash)")
        record = _record(seq, at, actor, role, action, entity, before, after, bnd)
        if chain_hash(prev, record) != h:
            return Verification(False, count, seq, "the record was altered (hash)")
        computed = leaf_of(dict(zip(_FIELDS, row, strict=True)))
        if leaf is not None and leaf != computed:
            return Verification(False, count, seq, "the record's Merkle leaf was altered")
        if collect:
            leaves.append(bytes.fromhex(computed))
            if bnd is not None:
                bound[seq] = bnd
        prev, expected, count = h, expected + 1, count + 1
    head = session.get(AuditHead, 1)
    if head is None or head.seq != count or head.hash != prev:
        return Verification(False, count, count + 1, "records after the last were removed")
    return Verification(True, count, bound=bound, leaves=leaves)
