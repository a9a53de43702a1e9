"""The election being run and the parties that stand in it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class Election(Base):
    __tablename__ = "election"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    polling_date: Mapped[date] = mapped_column(Date)
    rules_communal: Mapped[str] = mapped_column(String(40))
    rules_regional: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int | None] = mapped_column(Integer)


class Party(Base):
    __tablename__ = "party"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name_ar: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
