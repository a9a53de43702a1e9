"""Server-side sessions and login throttling (OWASP ASVS 4.0 level 2, V2.2 and V3).

Sessions: the web layer hands a random token to the browser (cookie) or the API client
(bearer) and keeps here only its keyed hash (``web.auth``: HMAC-SHA-256 with the app's secret),
so that a copy of the database opens no session.  A session ends when it has been idle longer
than its idle timeout, at its absolute expiry, at logout, and — for every session of the user at
once — when the password changes or the account is disabled (:func:`end_all`).

Throttling: failed logins are counted per account (``user:<id>``) and per client address
(``addr:<ip>``) in ``login_throttle``, in the database so that every worker sees the same
counts.  From the :data:`FREE_ACCOUNT`-th failure of an account (:data:`FREE_ADDRESS`-th of an
address) each attempt must wait a delay that doubles, up to :data:`MAX_DELAY_S`; at
:data:`LOCK_ACCOUNT` failures (:data:`LOCK_ADDRESS`) the key is locked for :data:`LOCK_S` unless
an administrator lifts it (:func:`unlock`).  A success clears the account's count (not the
address's).  Counts older than :data:`WINDOW_S` are forgotten.  A refused attempt is answered
before any password is checked, from one read: a flood costs no argon2 and takes no write lock.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Final

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.store.models import LoginThrottle, User, UserSession

__all__ = ["Blocked", "SessionRow", "check_throttle", "end", "end_all", "failed", "find",
           "new_session", "succeeded", "touch", "unlock"]

FREE_ACCOUNT: Final = 3
FREE_ADDRESS: Final = 10
LOCK_ACCOUNT: Final = 10
LOCK_ADDRESS: Final = 100
MAX_DELAY_S: Final = 60
LOCK_S: Final = 15 * 60
WINDOW_S: Final = 15 * 60
TOUCH_EVERY_S: Final = 60
"""``last_seen`` is written at most once a minute per session (the idle timeout's grain)."""


# -- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionRow:
    user: str
    sid: str
    expires_at: int
    last_seen: int
    token_hash: str


def new_session(session: Session, user: str, token_hash: str, now: int, ttl_s: int) -> str:
    """Record a session of ``user`` (expiring ``ttl_s`` from ``now``); its CSRF id."""
    sid = secrets.token_urlsafe(16)
    session.add(UserSession(token_hash=token_hash, user_id=user, sid=sid, created_at=now,
                            last_seen=now, expires_at=now + ttl_s))
    return sid


def find(session: Session, token_hash: str, now: int, idle_s: int) -> SessionRow | None:
    """The live session of ``token_hash`` (a read); None when unknown or ended; ``E-API-009``
    when past its absolute expiry or idle for longer than ``idle_s``."""
    row = session.get(UserSession, token_hash)
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen + idle_s <= now:
        raise IntikhabError("E-API-009")
    return SessionRow(row.user_id, row.sid, row.expires_at, row.last_seen, row.token_hash)


def touch(session: Session, token_hash: str, now: int) -> None:
    """Mark the session seen now (for the idle timeout)."""
    row = session.get(UserSession, token_hash)
    if row is not None:
        row.last_seen = now


def end(session: Session, token_hash: str) -> None:
    """End one session (logout)."""
    session.execute(delete(UserSession).where(UserSession.token_hash == token_hash))


def end_all(session: Session, user: str) -> int:
    """End every session of ``user`` (password changed, account disabled, logout
    everywhere); how many there were."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user))
    return int(getattr(result, "rowcount", 0) or 0)


def purge(session: Session, now: int) -> None:
    """Forget expired sessions and stale throttle counts."""
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure < now - WINDOW_S,
                                                LoginThrottle.locked_until < now))


# -- throttling -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Blocked:
    """Why a login is refused before its password is checked, and for how long."""

    code: str  # E-SEC-001 (wait) or E-SEC-002 (locked)
    key: str
    retry_after: int
    failures: int


def _keys(user: str, address: str) -> tuple[str, str]:
    return f"user:{user[:64]}", f"addr:{address[:64]}"


def _delay(failures: int, free: int) -> int:
    return 0 if failures < free else min(MAX_DELAY_S, 2 ** (failures - free))


def check_throttle(session: Session, user: str, address: str, now: int) -> Blocked | None:
    """Whether a login of ``user`` from ``address`` must wait (a read only)."""
    for key, free in zip(_keys(user, address), (FREE_ACCOUNT, FREE_ADDRESS), strict=True):
        row = session.get(LoginThrottle, key)
        if row is None or (row.last_failure < now - WINDOW_S and row.locked_until <= now):
            continue
        if row.locked_until > now:
            return Blocked("E-SEC-002", key, row.locked_until - now, row.failures)
        wait = row.last_failure + _delay(row.failures, free) - now
        if wait > 0:
            return Blocked("E-SEC-001", key, wait, row.failures)
    return None


def failed(session: Session, user: str, address: str, now: int) -> bool:
    """Count a failed login for the account and the address; True when this failure locks
    one of them."""
    locked = False
    for key, limit in zip(_keys(user, address), (LOCK_ACCOUNT, LOCK_ADDRESS), strict=True):
        row = session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure=now, locked_until=0)
            session.add(row)
        elif row.last_failure < now - WINDOW_S and row.locked_until <= now:
            row.failures = 0
        row.failures += 1
        row.last_failure = now
        if row.failures >= limit and row.locked_until <= now:
            row.locked_until = now + LOCK_S
            locked = True
    if random.random() < 0.01:
        purge(session, now)
    return locked


def succeeded(session: Session, user: str) -> None:
    """A successful login clears the account's count (the address keeps its own)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"user:{user[:64]}"))


def unlock(session: Session, user: str) -> bool:
    """Lift the lockout and the count of an account (an administrator's act; the caller
    audits it); whether there was anything to lift.  ``E-API-004`` for an unknown user."""
    if session.get(User, user) is None:
        raise IntikhabError("E-API-004", field="user", value=user[:64])
    result = session.execute(delete(LoginThrottle).where(
        LoginThrottle.key == f"user:{user[:64]}"))
    return bool(getattr(result, "rowcount", 0))


def locked_accounts(session: Session, now: int) -> dict[str, int]:
    """Accounts locked now, with the seconds left."""
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.like("user:%"),
                                                       LoginThrottle.locked_until > now))
    return {r.key[5:]: r.locked_until - now for r in rows}
