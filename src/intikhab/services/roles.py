"""The one role check of the use cases: who may do what is decided by the user's stored role."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.store.models import User

__all__ = ["require_role"]


def require_role(session: Session, user: str, allowed: Collection[str]) -> str:
    """``user``'s role, when it is one of ``allowed``; ``E-ENTRY-004`` for an unknown user or
    another role."""
    found = session.get(User, user)
    if found is None or found.role not in allowed or not found.active:
        raise IntikhabError("E-ENTRY-004", field="user", user=user)
    return found.role
