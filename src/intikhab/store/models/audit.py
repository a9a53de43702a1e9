"""The append-only, hash-chained audit log and the single row holding its head."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import Base


class AuditLog(Base):
    """Append-only, hash-chained: ``hash = sha256(prev_hash ␟ canonical record)``."""

    __tablename__ = "audit_log"
    # a publication's look-ups of each entity's latest record of an action
    __table_args__ = (Index("ix_audit_log_action_entity", "action", "entity", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(200))
    before_digest: Mapped[str | None] = mapped_column(String(64))
    after_digest: Mapped[str | None] = mapped_column(String(64))
    # the digest of the rows this record's transaction wrote (``audit_binding``), if any
    bound: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the record's Merkle leaf hash (RFC 9162), stored so a proof need not rehash the log
    leaf: Mapped[str | None] = mapped_column(String(64))


class AuditBinding(Base):
    """One row written by the transaction of audit record ``seq``: its table, primary key
    (canonical JSON list) and digest (null: deleted).  ``audit_log.bound`` of that record is
    the digest of its bindings in order ``n``, so none can be altered, added or removed."""

    __tablename__ = "audit_binding"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    tbl: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(400))
    digest: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base):
    """The single row holding the chain's head; ``SELECT … FOR UPDATE`` on it serialises
    writers so the chain never forks."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
