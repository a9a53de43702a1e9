"""Sessions that can be ended, and the failed logins that slow an attacker down.

- ``user_session``: one row per logged-in session (a browser's cookie or an API token).  The
  token itself is never stored, only its SHA-256: a copy of the database opens no session.
  Ending a session deletes its row; logging out, changing a password or disabling an account
  deletes every row of that user at once.  ``last_seen`` drives the idle timeout,
  ``expires_at`` the absolute one (epoch seconds).
- ``login_throttle``: failed logins counted per account (``user:<id>``) and per client address
  (``addr:<ip>``), the time of the last one and, once over the limit, ``locked_until``; the
  state lives in the database so that every uvicorn worker sees the same counts.
- ``app_user.active`` (``models.users``): a disabled account logs in nowhere.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import Base


class UserSession(Base):
    __tablename__ = "user_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    sid: Mapped[str] = mapped_column(String(64))  # ties the CSRF token to this session
    created_at: Mapped[int] = mapped_column(BigInteger)
    last_seen: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class LoginThrottle(Base):
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[int] = mapped_column(BigInteger)
    locked_until: Mapped[int] = mapped_column(BigInteger)


__all__ = ["LoginThrottle", "UserSession"]
