"""Councils after the vote: each council's bureau session (president, vice-presidents,
secretary and deputy, by laws 111.14 / 112.14 / 113.14) and the indirect election of the
prefecture and province councils (art. 102–103 of law 59.11 as amended).

A bureau session keeps what is needed to replay it with :mod:`intikhab.law.bureau`: the
members in office and present, each office's candidacies (or lists) and rounds' votes, the
outcome, the lots and their seed.  A prefecture/province council's election has its own table
(its college is not a constituency of the ``result`` table): the figures (the lists and their
votes, the college), the engine's outcome and the declaration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class BureauSession(Base):
    """One session electing a council's bureau (جلسة انتخاب المكتب)."""

    __tablename__ = "bureau_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    council_id: Mapped[str] = mapped_column(ID, index=True)
    council_kind: Mapped[str] = mapped_column(String(20))  # region | prefecture | commune
    mode: Mapped[str] = mapped_column(String(20))  # list | single_member
    held_on: Mapped[date] = mapped_column(Date)
    members: Mapped[int] = mapped_column(Integer)
    in_office: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # formed | pending
    roster: Mapped[list[Any]] = mapped_column(JSON)  # the members as the law reads them
    offices: Mapped[dict[str, Any]] = mapped_column(JSON)  # office → candidacies, rounds, outcome
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)  # who governs
    committees: Mapped[list[Any]] = mapped_column(JSON)
    lots: Mapped[dict[str, Any]] = mapped_column(JSON)
    lot_seed: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))


class IndirectResult(Base):
    """One allocation of a prefecture or province council by its electoral college."""

    __tablename__ = "indirect_result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefecture_id: Mapped[str] = mapped_column(ForeignKey("prefecture.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int] = mapped_column(Integer)
    college: Mapped[int] = mapped_column(Integer)
    rules: Mapped[str] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(40))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    lots: Mapped[dict[str, Any]] = mapped_column(JSON)
    lot_seed: Mapped[str | None] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    declared_at: Mapped[datetime | None] = mapped_column(DateTime)
    declared_by: Mapped[str | None] = mapped_column(String(64))
