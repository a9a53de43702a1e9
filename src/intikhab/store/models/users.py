"""The people who use the system and their role."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))  # clerk | coordinator | observer | admin
    password_hash: Mapped[str | None] = mapped_column(String(200))
