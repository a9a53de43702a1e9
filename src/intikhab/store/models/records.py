"""The polling-station minutes as entered: each typed entry (never updated nor deleted), the
double-entry state of each (station, vote) and every accepted version (docs/double-entry.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class Entry(Base):
    """One typed entry of a minute.  Never updated nor deleted."""

    __tablename__ = "entry"
    __table_args__ = (
        UniqueConstraint("station_id", "vote", "version", "user_id", "digest"),
        {"sqlite_strict": True},
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), index=True)
    vote: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    digest: Mapped[str] = mapped_column(String(64))
    minute: Mapped[dict[str, Any]] = mapped_column(JSON)
    accepted_warnings: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MinuteState(Base):
    """The double-entry state machine of one (station, vote): docs/double-entry.md."""

    __tablename__ = "minute_state"
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), primary_key=True)
    vote: Mapped[str] = mapped_column(String(20), primary_key=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    first_entry_id: Mapped[str | None] = mapped_column(ForeignKey("entry.id"))
    second_entry_id: Mapped[str | None] = mapped_column(ForeignKey("entry.id"))
    accepted_entry_id: Mapped[str | None] = mapped_column(ForeignKey("entry.id"))


class MinuteVersion(Base):
    """Every accepted version of a minute (corrections are new versions, never overwrites)."""

    __tablename__ = "minute_version"
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), primary_key=True)
    vote: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"))
    accepted_by: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime] = mapped_column(DateTime)
