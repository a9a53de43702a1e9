"""Separation of duties: who may enter, resolve, allocate and declare for which constituency.

The project's rule (docs/double-entry.md), after art. 23–24 of law 59.11 as amended — the
bureau's minute is typed and checked by people who did not decide it, and a census commission
decides only its own constituency:

- a clerk enters, and a coordinator resolves, sends back, corrects, allocates and declares,
  only for the constituencies of their *scope* (``duty_scope``): a list of constituency ids,
  or ``*`` — the national scope, an administrator's act recorded in the audit log
  (``user.scope``).  Without a scope a user acts nowhere (``E-ENTRY-007``);
- whoever typed an entry of a minute never decides on it (``records.entry``, ``E-ENTRY-006``).

The demo accounts have the national scope (``demo.users.DEMO_USERS``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import Constituency, DutyScope, User
from intikhab.store.models.duties import NATIONAL

__all__ = ["NATIONAL", "assign", "in_scope", "parse_scope", "require_scope", "scope_of"]


def parse_scope(text: str | Iterable[str] | None) -> list[str]:
    """A scope as the bundle writes it — ``*``, ``C1;C2`` or a list — as sorted ids."""
    if text is None:
        return []
    parts = text.split(";") if isinstance(text, str) else list(text)
    return sorted({p.strip() for p in parts if p and p.strip()})


def scope_of(session: Session, user: str) -> frozenset[str] | None:
    """The constituencies ``user`` is assigned to; ``None`` for the national scope."""
    found = frozenset(session.scalars(select(DutyScope.scope).where(DutyScope.user_id == user)))
    return None if NATIONAL in found else found


def in_scope(scope: frozenset[str] | None, constituency: str) -> bool:
    return scope is None or constituency in scope


_UNKNOWN: frozenset[str] = frozenset({"\x00unloaded"})


def require_scope(session: Session, user: str, constituencies: Iterable[str | None],
                  scope: frozenset[str] | None = _UNKNOWN) -> frozenset[str] | None:
    """Refuse (``E-ENTRY-007``, naming the first constituency out of scope) unless ``user`` is
    assigned to every one of ``constituencies`` (``None`` — an unknown station — is left to
    the checks that report it).  ``scope``, when the caller has it, saves reading it again.
    Returns the user's scope."""
    found = scope_of(session, user) if scope is _UNKNOWN else scope
    if found is not None:
        outside = sorted({c for c in constituencies if c is not None and c not in found})
        if outside:
            raise IntikhabError("E-ENTRY-007", field="constituency", user=user,
                                value=outside[0])
    return found


def assign(session: Session, actor: str, user: str, scopes: Iterable[str]) -> list[str]:
    """An administrator sets the constituencies ``user`` works for (``*`` = national),
    replacing the previous set (audit ``user.scope``)."""
    actor_role = require_role(session, actor, {"admin"})
    wanted = parse_scope(list(scopes))
    chain = audit.Chain(session)
    if session.get(User, user) is None:
        raise IntikhabError("E-API-004", field="user", value=user)
    ids = [s for s in wanted if s != NATIONAL]
    known = set(session.scalars(select(Constituency.id).where(Constituency.id.in_(ids))))
    for cid in ids:
        if cid not in known:
            raise IntikhabError("E-API-004", field="scope", value=cid)
    before = sorted(session.scalars(select(DutyScope.scope).where(DutyScope.user_id == user)))
    session.execute(delete(DutyScope).where(DutyScope.user_id == user))
    session.add_all(DutyScope(user_id=user, scope=s) for s in wanted)
    chain.append(actor=actor, role=actor_role, action="user.scope", entity=user,
                 before=audit.digest(before), after=audit.digest(wanted))
    chain.flush()
    return wanted
