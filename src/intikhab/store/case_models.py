"""Tables of the disputes and campaign-finance workflows (migration ``0003``).

- ``dispute_case`` — one candidacy appeal or results petition, its court, trigger, deadline,
  admissibility and current state; ``dispute_step`` — every step taken on it (the audit log
  holds the same steps, hash-chained).
- ``campaign_account`` and ``account_line`` — campaign accounts (arts. 155–160, law 59.11 as
  amended); amounts in integer centimes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models import ID, Base


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


class CampaignAccount(Base):
    __tablename__ = "campaign_account"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    vote: Mapped[str] = mapped_column(String(20))
    constituency_id: Mapped[str | None] = mapped_column(ForeignKey("constituency.id"),
                                                        index=True)
    candidates: Mapped[int] = mapped_column(Integer)
    list_vote: Mapped[bool] = mapped_column(Boolean)
    elected: Mapped[bool] = mapped_column(Boolean)
    filed_at: Mapped[datetime | None] = mapped_column(DateTime)
    notice_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_notice: Mapped[bool] = mapped_column(Boolean)


class AccountLine(Base):
    __tablename__ = "account_line"
    __table_args__ = (UniqueConstraint("account_id", "seq"), {"sqlite_strict": True})
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("campaign_account.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)  # centimes
    category: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[str | None] = mapped_column(String(30))
    document: Mapped[str | None] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200))
