"""Which constituencies an observer (a list agent or party representative, وكيل اللائحة) is
accredited to.

The representatives of the lists receive a copy of every minute (art. 23 §2, law 59.11 as
amended); in the application an observer reads the minutes and results of the constituencies
listed here, and nothing else.  Sessions are server-side rows (``models.security``).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import Base


class Accreditation(Base):
    __tablename__ = "accreditation"
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"),
                                                 primary_key=True)
