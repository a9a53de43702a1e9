"""What a forger with write access to the database does to the audit log: recompute every
record's hash (and stored leaf) from one on, and the head, so that the chain walk passes again.
Only a checkpoint signed with a key kept outside the database catches it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intikhab.store import audit
from intikhab.store.models import AuditHead, AuditLog

FIELDS = ("seq", "at", "actor", "role", "action", "entity", "before_digest", "after_digest",
          "bound", "prev_hash", "hash")


def rehash_from(s: Session, seq: int) -> None:
    prev = s.execute(select(AuditLog.hash).where(AuditLog.seq == seq - 1)).scalar() \
        or audit.GENESIS
    rows = s.execute(select(AuditLog).where(AuditLog.seq >= seq).order_by(AuditLog.seq)
                     ).scalars().all()
    for row in rows:
        row.prev_hash = prev
        row.hash = prev = audit.chain_hash(prev, audit._record(
            row.seq, row.at, row.actor, row.role, row.action, row.entity, row.before_digest,
            row.after_digest, row.bound))
        row.leaf = audit.leaf_of({f: getattr(row, f) for f in FIELDS})
    head = s.get(AuditHead, 1)
    assert head is not None
    last = s.execute(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).scalar_one()
    head.seq, head.hash = last.seq, last.hash
