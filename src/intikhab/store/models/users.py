"""The people who use the system, their role and whether their account is active (a disabled
account logs in nowhere and has no session left: ``services.users.set_active``)."""

from __future__ import annotations

from sqlalchemy import Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))  # clerk | coordinator | observer | admin
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
