"""Campaign accounts (arts. 155–160, law 59.11 as amended): ``campaign_account`` and its
``account_line`` s; amounts in integer centimes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


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
