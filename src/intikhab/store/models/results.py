"""The census commission's allocations, with everything needed to replay them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import Base


class Result(Base):
    """One allocation by the census commission, with everything needed to replay it."""

    __tablename__ = "result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    rules: Mapped[str] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(40))
    minutes_digest: Mapped[str] = mapped_column(String(64))
    lots: Mapped[dict[str, Any]] = mapped_column(JSON)
    lot_seed: Mapped[str | None] = mapped_column(String(200))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # the engine's input
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)  # the engine's output
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    declared_at: Mapped[datetime | None] = mapped_column(DateTime)
    declared_by: Mapped[str | None] = mapped_column(String(64))
