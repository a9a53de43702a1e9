"""Users of the application, their roles, passwords and observers' accreditations — each
change in one transaction with its audit record.

Passwords are stored as argon2id hashes (``argon2-cffi``), never in clear.  A new password
has at least :data:`MIN_PASSWORD` characters and must not be guessable from the lists of common
passwords, words and names that ``zxcvbn`` ships (score of at least :data:`MIN_SCORE` of 4,
the user's id and name counted as known words): ``E-API-013``, ``E-SEC-004``.  A user id
follows one rule however the account is created (``formats.limits.user_id``, ``E-SEC-006``).
The last active administrator cannot be disabled or demoted (``E-SEC-005``); a disabled
account, a password change and a disabled account's sessions end at once
(``services.sessions.end_all``).  The demo accounts
(``demo.users.DEMO_USERS``, passed in by the demo's callers) get the password *user id* +
``-2021`` (``clerk1-2021``, ``coord-2021``…): documented in ``docs/api.md`` and printed by
``intikhab serve``; they exist for the demo database only.

An observer — a list agent or a party representative — reads the minutes and results of the
constituencies they are accredited to: the representatives of the lists receive a copy of the
minutes (art. 23 §2, law 59.11 as amended).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from intikhab.formats import limits
from intikhab.law.errors import IntikhabError
from intikhab.services import sessions
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import Accreditation, Constituency, DutyScope, User

ROLES: Final = ("clerk", "coordinator", "observer", "admin")
MIN_PASSWORD: Final = 10
MAX_PASSWORD: Final = 200
MIN_SCORE: Final = 2
_HASHER: Final = PasswordHasher(parallelism=1)
"""argon2id, 64 MiB, 3 passes, one lane: a check keeps to one core (the login gate then
leaves the others to data entry, docs/security.md); hashes made with 4 lanes still verify."""


def hash_password(password: str) -> str:
    """An argon2id hash (salted, with its parameters inside)."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches the stored hash; False for no hash or a wrong one."""
    if not stored:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def demo_password(user: str) -> str:
    return f"{user}-2021"


@dataclass(frozen=True, slots=True)
class UserRow:
    id: str
    name: str
    role: str
    accredited: tuple[str, ...] = ()
    active: bool = True


def accredited(session: Session, user: str) -> frozenset[str]:
    """The constituencies an observer is accredited to."""
    return frozenset(session.scalars(
        select(Accreditation.constituency_id).where(Accreditation.user_id == user)))


def _row(session: Session, user: User) -> UserRow:
    return UserRow(user.id, user.name, user.role,
                   tuple(sorted(accredited(session, user.id))) if user.role == "observer"
                   else (), user.active)


def known_user(session: Session, user_id: str) -> UserRow | None:
    """The user ``user_id`` with a known role (an observer with their accreditations), or
    None: whom a session or a token speaks for."""
    user = session.get(User, user_id)
    ok = user is not None and user.role in ROLES and user.active
    return _row(session, user) if ok and user is not None else None


@cache
def _dummy_hash() -> str:
    return hash_password("not a password of anyone")  # evens out the login's timing


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a login needs to know of a user, read before the password is checked."""

    user: UserRow | None
    password_hash: str


def credentials(session: Session, user_id: str) -> Credentials:
    """The user and stored hash (a dummy hash for an unknown user, so that a wrong user costs
    the same argon2 check as a wrong password).  A read: no write lock is held while the
    caller checks the password."""
    user = session.get(User, user_id) if user_id and len(user_id) <= 64 else None
    if user is None or user.role not in ROLES or not user.password_hash:
        return Credentials(None if user is None else _row(session, user), _dummy_hash())
    return Credentials(_row(session, user), user.password_hash)


def record_login(session: Session, user_id: str, role: str, action: str) -> None:
    """Audit a login attempt: ``auth.login``, ``auth.login_failed``, ``auth.login_disabled``,
    ``auth.locked``."""
    audit.append(session, actor=user_id[:64] or "?", role=role, action=action,
                 entity=user_id[:200] or "?")


def authenticate(read: Callable[[], AbstractContextManager[Session]],
                 write: Callable[[], AbstractContextManager[Session]],
                 user_id: str, password: str, address: str = "cli", now: int | None = None,
                 verify: Callable[[str, str], bool] = verify_password) -> UserRow:
    """Who is acting — the one login of the web and the command line, in three steps so that
    no write lock is held while argon2 runs (ASVS V2): (1) in a ``read`` session, the throttle
    (``E-SEC-001``/``E-SEC-002`` before any password check) and the user's stored hash; (2) the
    password check (``verify``: the web passes its rate-limited gate), outside any transaction;
    (3) in one short ``write`` transaction, the audit record (``auth.login``,
    ``auth.login_failed``, ``auth.locked``, ``auth.login_disabled``) and the throttle's count
    or reset.  ``E-API-008`` for a wrong user or password alike; ``E-SEC-003`` for a disabled
    account (told only to whom knows its password)."""
    now = int(time.time()) if now is None else now
    with read() as s:
        blocked = sessions.check_throttle(s, user_id, address, now)
        found = None if blocked else credentials(s, user_id)
    if blocked is not None:
        raise IntikhabError(blocked.code, field="user", value=user_id[:64],
                            seconds=blocked.retry_after, count=blocked.failures)
    assert found is not None
    ok = verify(found.password_hash, password) and found.user is not None
    role = found.user.role if found.user else "unknown"
    with write() as s:
        if not ok:
            if sessions.failed(s, user_id, address, now):
                record_login(s, user_id, role, "auth.locked")
            record_login(s, user_id, role, "auth.login_failed")
        elif found.user is not None and not found.user.active:
            record_login(s, user_id, role, "auth.login_disabled")
        else:
            sessions.succeeded(s, user_id)
            record_login(s, user_id, role, "auth.login")
    if not ok or found.user is None:
        raise IntikhabError("E-API-008", field="password")
    if not found.user.active:
        raise IntikhabError("E-SEC-003", field="user", value=user_id)
    return found.user


def record_logout(session: Session, user: str, role: str) -> None:
    """Audit the end of a session (``auth.logout``)."""
    audit.append(session, actor=user, role=role, action="auth.logout", entity=user)


def list_users(session: Session) -> list[UserRow]:
    acc: dict[str, list[str]] = {}
    for uid, cid in session.execute(select(Accreditation.user_id, Accreditation.constituency_id)
                                    .order_by(Accreditation.constituency_id)):
        acc.setdefault(uid, []).append(cid)
    return [UserRow(u.id, u.name, u.role, tuple(acc.get(u.id, ())), u.active)
            for u in session.scalars(select(User).order_by(User.id))]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise IntikhabError("E-API-012", field="role", value=role, known=", ".join(ROLES))


def check_password(password: str, known: Iterable[str] = ()) -> None:
    """The password policy: at least :data:`MIN_PASSWORD` characters (``E-API-013``), at most
    :data:`MAX_PASSWORD`, and not guessable from zxcvbn's lists of common passwords, words and
    names, nor from ``known`` (the user's id and name): ``E-SEC-004``."""
    if len(password) < MIN_PASSWORD:
        raise IntikhabError("E-API-013", field="password", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise IntikhabError("E-API-001", field="password", detail=f"at most {MAX_PASSWORD}")
    inputs = [k for k in known if k]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < MIN_SCORE:
        raise IntikhabError("E-SEC-004", field="password")


def _active_admins(session: Session, other_than: str) -> int:
    return int(session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != other_than)) or 0)


def _keep_an_admin(session: Session, found: User) -> None:
    """``E-SEC-005`` when ``found`` is the last active administrator."""
    if found.role == "admin" and found.active and _active_admins(session, found.id) == 0:
        raise IntikhabError("E-SEC-005", field="user", value=found.id)


def _get(session: Session, user: str) -> User:
    found = session.get(User, user)
    if found is None:
        raise IntikhabError("E-API-004", field="user", value=user)
    return found


def create_user(session: Session, actor: str, user: str, name: str, role: str,
                password: str) -> UserRow:
    """An administrator creates an account (audit ``user.create``)."""
    actor_role = require_role(session, actor, {"admin"})
    limits.user_id(user)
    _check_role(role)
    check_password(password, (user, name))
    chain = audit.Chain(session)
    if session.get(User, user) is not None:
        raise IntikhabError("E-API-011", field="id", value=user)
    session.add(User(id=user, name=name, role=role, password_hash=hash_password(password)))
    chain.append(actor=actor, role=actor_role, action="user.create", entity=user,
                 after=audit.digest([user, name, role]))
    chain.flush()
    return UserRow(user, name, role)


def has_admin(session: Session) -> bool:
    """Whether an active administrator who can log in exists."""
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.password_hash.is_not(None))) != 0


def create_first_admin(session: Session, user: str, name: str, password: str) -> UserRow:
    """The first administrator of a database that has none who can log in (``intikhab users
    add`` on a new database): the same id rule and password policy; audit ``user.create``
    by ``system``.  ``E-ENTRY-004`` once an administrator exists."""
    if has_admin(session):
        raise IntikhabError("E-ENTRY-004", field="user", user="?")
    limits.user_id(user)
    check_password(password, (user, name))
    chain = audit.Chain(session)
    if session.get(User, user) is not None:
        raise IntikhabError("E-API-011", field="id", value=user)
    session.add(User(id=user, name=name, role="admin", password_hash=hash_password(password)))
    chain.append(actor="system", role="system", action="user.create", entity=user,
                 after=audit.digest([user, name, "admin"]))
    chain.flush()
    return UserRow(user, name, "admin")


def update_user(session: Session, actor: str, user: str, *, name: str | None = None,
                role: str | None = None, password: str | None = None) -> UserRow:
    """An administrator changes a user's name, role or password (audit ``user.update``;
    the password itself never reaches the audit log, only the fact that it changed)."""
    actor_role = require_role(session, actor, {"admin"})
    if role is not None:
        _check_role(role)
    chain = audit.Chain(session)
    found = _get(session, user)
    if password is not None:
        check_password(password, (found.id, found.name))
    if role is not None and role != "admin":
        _keep_an_admin(session, found)
    before = audit.digest([found.id, found.name, found.role])
    if name is not None:
        found.name = name
    if role is not None:
        found.role = role
    if password is not None:
        found.password_hash = hash_password(password)
        sessions.end_all(session, user)  # a new password ends every session at once
    chain.append(actor=actor, role=actor_role, action="user.update", entity=user, before=before,
                 after=audit.digest([found.id, found.name, found.role,
                                     "password changed" if password else ""]))
    chain.flush()
    return UserRow(found.id, found.name, found.role, tuple(sorted(accredited(session, user))),
                   found.active)


def change_password(session: Session, user: str, password: str) -> None:
    """A user sets their own password (checked by the caller): the policy applies, every
    session of the user ends (audit ``user.password``)."""
    chain = audit.Chain(session)
    found = _get(session, user)
    check_password(password, (found.id, found.name))
    found.password_hash = hash_password(password)
    sessions.end_all(session, user)
    chain.append(actor=user, role=found.role, action="user.password", entity=user)
    chain.flush()


def set_active(session: Session, actor: str, user: str, active: bool) -> UserRow:
    """An administrator disables (every session ends at once) or enables an account (audit
    ``user.disable`` / ``user.enable``); the last active administrator stays
    (``E-SEC-005``)."""
    actor_role = require_role(session, actor, {"admin"})
    chain = audit.Chain(session)
    found = _get(session, user)
    if not active:
        _keep_an_admin(session, found)
        sessions.end_all(session, user)
    found.active = active
    chain.append(actor=actor, role=actor_role, action="user.enable" if active else
                 "user.disable", entity=user)
    chain.flush()
    return _row(session, found)


def unlock(session: Session, actor: str, user: str) -> bool:
    """An administrator lifts an account's login lockout (audit ``user.unlock``)."""
    actor_role = require_role(session, actor, {"admin"})
    chain = audit.Chain(session)
    lifted = sessions.unlock(session, user)
    chain.append(actor=actor, role=actor_role, action="user.unlock", entity=user)
    chain.flush()
    return lifted


def accredit(session: Session, actor: str, user: str, constituencies: Iterable[str]) -> UserRow:
    """An administrator sets the constituencies an observer is accredited to (replacing the
    previous set; audit ``user.accredit``) — the list agents and representatives who receive
    the minutes (art. 23 §2, law 59.11 as amended)."""
    actor_role = require_role(session, actor, {"admin"})
    wanted = sorted(set(constituencies))
    chain = audit.Chain(session)
    found = _get(session, user)
    known = set(session.scalars(select(Constituency.id).where(Constituency.id.in_(wanted))))
    for cid in wanted:
        if cid not in known:
            raise IntikhabError("E-API-004", field="constituencies", value=cid)
    before = audit.digest(sorted(accredited(session, user)))
    session.execute(delete(Accreditation).where(Accreditation.user_id == user))
    session.add_all(Accreditation(user_id=user, constituency_id=c) for c in wanted)
    chain.append(actor=actor, role=actor_role, action="user.accredit", entity=user,
                 before=before, after=audit.digest(wanted))
    chain.flush()
    return UserRow(found.id, found.name, found.role, tuple(wanted))


def ensure_demo_accounts(session: Session, accounts: Iterable[Mapping[str, str]]
                         ) -> list[tuple[str, str, str]]:
    """Give every demo account (``{id, name, role}``, e.g. ``demo.users.DEMO_USERS``) that
    has no password its demo password (creating a missing account), audit
    ``user.demo_password``; returns (user, role, password) of the demo accounts.  For the demo
    database only."""
    chain = audit.Chain(session)
    out: list[tuple[str, str, str]] = []
    for demo in accounts:
        limits.user_id(demo["id"])  # the one rule for an id, the demo's too
        found = session.get(User, demo["id"])
        if found is None:
            found = User(id=demo["id"], name=demo["name"], role=demo["role"])
            session.add(found)
            session.flush()
            if demo.get("scope"):  # the demo's national scope (services/duties.py)
                session.add(DutyScope(user_id=found.id, scope=demo["scope"]))
                chain.append(actor="system", role="system", action="user.scope",
                             entity=found.id, after=audit.digest([demo["scope"]]))
        if not found.password_hash:
            found.password_hash = hash_password(demo_password(found.id))
            chain.append(actor="system", role="system", action="user.demo_password",
                         entity=found.id)
        out.append((found.id, found.role, demo_password(found.id)))
    chain.flush()
    return out
