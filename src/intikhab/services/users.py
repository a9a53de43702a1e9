"""Users of the application, their roles, passwords and observers' accreditations — each
change in one transaction with its audit record.

Passwords are stored as argon2id hashes (``argon2-cffi``), never in clear.  The demo accounts
(``demo.users.DEMO_USERS``, passed in by the demo's callers) get the password *user id* +
``-2021`` (``clerk1-2021``, ``coord-2021``…): documented in ``docs/api.md`` and printed by
``intikhab serve``; they exist for the demo database only.

An observer — a list agent or a party representative — reads the minutes and results of the
constituencies they are accredited to: the representatives of the lists receive a copy of the
minutes (art. 23 §2, law 59.11 as amended).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import Accreditation, Constituency, DutyScope, User

ROLES: Final = ("clerk", "coordinator", "observer", "admin")
MIN_PASSWORD: Final = 8
_HASHER: Final = PasswordHasher()


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


_DUMMY: list[str] = []


def check_credentials(session: Session, user: str, password: str) -> str | None:
    """``user``'s role when ``password`` is theirs, else ``None`` — the same work for an
    unknown user (a dummy hash is verified) so the answer's time tells nothing.  Reads only:
    call it outside any write transaction (argon2 takes tens of milliseconds)."""
    found = session.get(User, user) if user and len(user) <= 64 else None
    if not _DUMMY:
        _DUMMY.append(hash_password("intikhab-dummy-password"))
    ok = verify_password(found.password_hash if found else _DUMMY[0], password)
    return found.role if ok and found is not None else None


def record_failed_login(session: Session, user: str, channel: str) -> None:
    """Audit a failed authentication (``auth.login_failed``, the web's action) in the caller's
    own short transaction; ``channel`` (``cli``) is recorded as the entity's suffix."""
    found = session.get(User, user) if user and len(user) <= 64 else None
    audit.append(session, actor=user[:64] or "?", role=found.role if found else "unknown",
                 action="auth.login_failed", entity=f"{user[:180] or '?'}@{channel}")


def demo_password(user: str) -> str:
    return f"{user}-2021"


@dataclass(frozen=True, slots=True)
class UserRow:
    id: str
    name: str
    role: str
    accredited: tuple[str, ...] = ()


def accredited(session: Session, user: str) -> frozenset[str]:
    """The constituencies an observer is accredited to."""
    return frozenset(session.scalars(
        select(Accreditation.constituency_id).where(Accreditation.user_id == user)))


def _row(session: Session, user: User) -> UserRow:
    return UserRow(user.id, user.name, user.role,
                   tuple(sorted(accredited(session, user.id))) if user.role == "observer"
                   else ())


def known_user(session: Session, user_id: str) -> UserRow | None:
    """The user ``user_id`` with a known role (an observer with their accreditations), or
    None: whom a session or a token speaks for."""
    user = session.get(User, user_id)
    return _row(session, user) if user is not None and user.role in ROLES else None


@cache
def _dummy_hash() -> str:
    return hash_password("not a password of anyone")  # evens out the login's timing


def check_login(session: Session, user_id: str, password: str) -> UserRow | None:
    """Check a user's password inside the caller's transaction and audit the attempt
    (``auth.login`` or ``auth.login_failed``): the user, or None — the same for an unknown
    user and a wrong password.  The failure's record is written too: commit either way."""
    user = session.get(User, user_id) if user_id and len(user_id) <= 64 else None
    ok = verify_password(user.password_hash if user else _dummy_hash(), password) and (
        user is not None and user.role in ROLES)
    audit.append(session, actor=user_id[:64] or "?", role=user.role if user else "unknown",
                 action="auth.login" if ok else "auth.login_failed", entity=user_id[:200] or "?")
    return _row(session, user) if ok and user is not None else None


def record_logout(session: Session, user: str, role: str) -> None:
    """Audit the end of a session (``auth.logout``)."""
    audit.append(session, actor=user, role=role, action="auth.logout", entity=user)


def list_users(session: Session) -> list[UserRow]:
    acc: dict[str, list[str]] = {}
    for uid, cid in session.execute(select(Accreditation.user_id, Accreditation.constituency_id)
                                    .order_by(Accreditation.constituency_id)):
        acc.setdefault(uid, []).append(cid)
    return [UserRow(u.id, u.name, u.role, tuple(acc.get(u.id, ())))
            for u in session.scalars(select(User).order_by(User.id))]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise IntikhabError("E-API-012", field="role", value=role, known=", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise IntikhabError("E-API-013", field="password", min=MIN_PASSWORD)


def _get(session: Session, user: str) -> User:
    found = session.get(User, user)
    if found is None:
        raise IntikhabError("E-API-004", field="user", value=user)
    return found


def create_user(session: Session, actor: str, user: str, name: str, role: str,
                password: str) -> UserRow:
    """An administrator creates an account (audit ``user.create``)."""
    actor_role = require_role(session, actor, {"admin"})
    _check_role(role)
    _check_password(password)
    if not user.strip() or len(user) > 64:
        raise IntikhabError("E-API-001", field="id", detail="1 to 64 characters")
    chain = audit.Chain(session)
    if session.get(User, user) is not None:
        raise IntikhabError("E-API-011", field="id", value=user)
    session.add(User(id=user, name=name, role=role, password_hash=hash_password(password)))
    chain.append(actor=actor, role=actor_role, action="user.create", entity=user,
                 after=audit.digest([user, name, role]))
    chain.flush()
    return UserRow(user, name, role)


def update_user(session: Session, actor: str, user: str, *, name: str | None = None,
                role: str | None = None, password: str | None = None) -> UserRow:
    """An administrator changes a user's name, role or password (audit ``user.update``;
    the password itself never reaches the audit log, only the fact that it changed)."""
    actor_role = require_role(session, actor, {"admin"})
    if role is not None:
        _check_role(role)
    if password is not None:
        _check_password(password)
    chain = audit.Chain(session)
    found = _get(session, user)
    before = audit.digest([found.id, found.name, found.role])
    if name is not None:
        found.name = name
    if role is not None:
        found.role = role
    if password is not None:
        found.password_hash = hash_password(password)
    chain.append(actor=actor, role=actor_role, action="user.update", entity=user, before=before,
                 after=audit.digest([found.id, found.name, found.role,
                                     "password changed" if password else ""]))
    chain.flush()
    return UserRow(found.id, found.name, found.role, tuple(sorted(accredited(session, user))))


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
