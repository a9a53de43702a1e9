"""The signed checkpoints of the audit log (``services/transparency.py``).

A checkpoint records that the audit log had ``tree_size`` records whose Merkle tree hash was
``root_hash`` (RFC 9162 §2.1), signed with the commission's Ed25519 key, which is kept outside
the database.  ``note`` is the signed text exactly as published; the other columns repeat what
it says so that checkpoints can be looked up.  A stored checkpoint proves nothing by itself
(whoever edits the database can edit this table): its worth is in the copies held outside.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import Base


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoint"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(200))
    tree_size: Mapped[int] = mapped_column(Integer, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    key_id: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text)
