"""Disputes: ``dispute_case`` — one candidacy appeal or results petition, its court, trigger,
deadline, admissibility and current state; ``dispute_step`` — every step taken on it (the audit
log holds the same steps, hash-chained).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class DisputeCase(Base):
    __tablename__ = "dispute_case"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # candidacy_appeal | results_petition
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    vote: Mapped[str] = mapped_column(String(20))
    filer: Mapped[str] = mapped_column(String(200))
    filer_kind: Mapped[str] = mapped_column(String(20))
    court: Mapped[str] = mapped_column(String(20))
    trigger_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive
    filed_at: Mapped[datetime] = mapped_column(DateTime)
    deadline: Mapped[datetime] = mapped_column(DateTime)
    admissible: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column()
    ruling: Mapped[dict[str, Any] | None] = mapped_column()


class DisputeStep(Base):
    __tablename__ = "dispute_step"
    case_id: Mapped[str] = mapped_column(ForeignKey("dispute_case.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column()
