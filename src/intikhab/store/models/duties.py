"""Which constituencies a clerk or a coordinator works for (their *scope*).

A clerk enters the minutes, and a coordinator resolves them and allocates and declares the
seats, only of the constituencies they are assigned to: the census commission of a
constituency is its own (art. 24, law 59.11 as amended), and no one outside it decides on its
minutes.  A row's ``scope`` is a constituency id, or ``*`` for the national scope — granted
by an administrator, in the audit log (``services/duties.py``).  Observers' accreditations
are another table (``web.Accreditation``).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base

NATIONAL = "*"
"""The scope that covers every constituency."""


class DutyScope(Base):
    __tablename__ = "duty_scope"
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(ID, primary_key=True)
