"""Administration, ``/api/v1/users…``, ``/setup/bundle``, ``/audit/verify``: accounts, roles,
observers' accreditations (art. 23 §2), the election's import, the audit chain's check."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from intikhab.services import queries, users, web_support
from intikhab.services.setup import load_bundle
from intikhab.web import deps
from intikhab.web.api.common import new_router
from intikhab.web.auth import Principal, require
from intikhab.web.deps import ADMINS, COORDINATORS, Id

router = new_router()
Admin = Annotated[Principal, Depends(require(*ADMINS))]


class UserOut(BaseModel):
    id: str
    name: str
    role: str
    accredited: list[str]
    active: bool = True


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(min_length=1, max_length=64, description=(
        "2 to 32 of a-z 0-9 . _ -, starting with a letter or a digit (E-SEC-006)"))]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Literal["clerk", "coordinator", "observer", "admin"]
    password: Annotated[str, Field(min_length=1, max_length=users.MAX_PASSWORD)]


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    role: Literal["clerk", "coordinator", "observer", "admin"] | None = None
    password: Annotated[str | None, Field(min_length=1, max_length=users.MAX_PASSWORD)] = None


class AccreditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    constituencies: list[Annotated[str, Field(min_length=1, max_length=64)]]


def _user(u: users.UserRow) -> UserOut:
    return UserOut(id=u.id, name=u.name, role=u.role, accredited=list(u.accredited),
                   active=u.active)


@router.get("/users", tags=["admin"], response_model=list[UserOut])
def list_users(request: Request, p: Admin) -> list[UserOut]:
    """Every user, role and accreditations."""
    with deps.read(request) as s:
        return [_user(u) for u in queries.users(s)]


@router.post("/users", tags=["admin"], response_model=UserOut, status_code=201)
def create_user(body: UserIn, request: Request, p: Admin) -> UserOut:
    """Create an account (argon2-hashed password; audited)."""
    with deps.write(request) as s:
        return _user(users.create_user(s, p.id, body.id, body.name, body.role, body.password))


@router.patch("/users/{user}", tags=["admin"], response_model=UserOut)
def update_user(user: Id, body: UserPatch, request: Request, p: Admin) -> UserOut:
    """Change a user's name, role or password (audited)."""
    with deps.write(request) as s:
        return _user(users.update_user(s, p.id, user, name=body.name, role=body.role,
                                       password=body.password))


@router.post("/users/{user}/disable", tags=["admin"], response_model=UserOut)
def disable_user(user: Id, request: Request, p: Admin) -> UserOut:
    """Disable an account: every session of the user ends at once; the last active
    administrator cannot be disabled (409 ``E-SEC-005``; audited)."""
    with deps.write(request) as s:
        return _user(users.set_active(s, p.id, user, False))


@router.post("/users/{user}/enable", tags=["admin"], response_model=UserOut)
def enable_user(user: Id, request: Request, p: Admin) -> UserOut:
    """Enable an account again (audited)."""
    with deps.write(request) as s:
        return _user(users.set_active(s, p.id, user, True))


class UnlockOut(BaseModel):
    user: str
    unlocked: bool


@router.post("/users/{user}/unlock", tags=["admin"], response_model=UnlockOut)
def unlock_user(user: Id, request: Request, p: Admin) -> UnlockOut:
    """Lift an account's login lockout and its failure count (audited)."""
    with deps.write(request) as s:
        return UnlockOut(user=user, unlocked=users.unlock(s, p.id, user))


@router.put("/users/{user}/accreditations", tags=["admin"], response_model=UserOut)
def accredit(user: Id, body: AccreditIn, request: Request, p: Admin) -> UserOut:
    """Set the constituencies an observer is accredited to (art. 23 §2; audited)."""
    with deps.write(request) as s:
        return _user(users.accredit(s, p.id, user, body.constituencies))


@router.post("/setup/bundle", tags=["admin"], response_model=dict[str, int])
def import_bundle(body: dict[str, Any], request: Request, p: Admin) -> dict[str, int]:
    """Import an election bundle — territory, constituencies, stations, lists, users
    (docs/records.md): all or nothing, every row error reported (422 ``E-IMP-001``)."""
    with deps.write(request) as s:
        counts = load_bundle(s, body, actor=p.id, role=p.role)
    request.app.state.cache.invalidate()
    return counts


class AuditOut(BaseModel):
    ok: bool
    records: int
    first_bad: int | None
    reason: str | None


@router.get("/audit/verify", tags=["admin"], response_model=AuditOut)
def audit_verify(request: Request,
                 p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> AuditOut:
    """Walk the hash-chained audit log."""
    with deps.read(request) as s:
        return AuditOut(**asdict(web_support.verify_audit(s)))
